// What the walker knows about local variables at one point of a function, and how that
// knowledge merges where control flow joins (after an `if`, a `switch`, a loop).

import type { Range, RulesetInfo } from "../../ir.js";
import { FlowEnv, joinFlowEnvs, mergeFactsOfPaths, mergeSymsOfSameAbiTest, type Incoming as FlowIncoming } from "../common/flow-env.js";
import { mergeAttrs, type AttrField, type AttrState } from "../common/ruleset-attr.js";
import type { Sym } from "./sym.js";

export { freshAttr, rulesetInfoOf, unknownAttr, type AttrField, type AttrState } from "../common/ruleset-attr.js";

/** Maps a struct field name to the attr word it holds (projects without the UAPI header name them their own way). */
export function attrFieldOf(name: string): AttrField | undefined {
  switch (name) {
    case "handled_access_fs":
    case "access_fs":
    case "handled_fs":
    case "fs":
      return "fs";
    case "handled_access_net":
    case "access_net":
    case "handled_net":
    case "net":
      return "net";
    case "scoped":
    case "scope":
    case "scopes":
      return "scoped";
    default:
      return undefined;
  }
}

export type PidOrigin = "fork" | "getpid" | "getppid" | "gettid" | "pgrp" | "other";

export type VarFact =
  | { kind: "sym"; sym: Sym }
  /** Holds the running Landlock ABI version. */
  | { kind: "abi" }
  | { kind: "attr"; attr: AttrState }
  /** A ruleset file descriptor returned by create_ruleset. */
  | { kind: "ruleset"; info: RulesetInfo; range: Range }
  | { kind: "pid"; origin: PidOrigin; how?: string }
  /** A `struct sockaddr_un` whose path is abstract (leading NUL) or not. */
  | { kind: "sockaddr"; abstract: boolean; name?: string }
  /** Holds whether CAP_SYS_ADMIN is in some capability set (cap_get_flag output). */
  | { kind: "capflag" };

export class Env extends FlowEnv<VarFact> {
  protected copyFact(fact: VarFact): VarFact {
    return fact.kind === "attr" ? { kind: "attr", attr: { ...fact.attr } } : fact;
  }
}

export type Incoming = FlowIncoming<Env>;

/**
 * Merges the environments flowing into a join point. Flag words merge through the ABI test
 * shared by all the paths (a `switch (abi)` has many arms that tested the same version).
 */
export function joinEnvs(incoming: Incoming[]): Env {
  return joinFlowEnvs(incoming, () => new Env(), mergeFacts);
}

function mergeFacts(facts: (VarFact | undefined)[], incoming: Incoming[]): VarFact | undefined {
  const mergeSyms = (syms: Sym[]) => mergeSymsOfSameAbiTest(syms, incoming);
  return mergeFactsOfPaths(facts, (same) => {
    const first = same[0]!;
    switch (first.kind) {
      case "sym":
        return { kind: "sym", sym: mergeSyms(same.map((f) => (f as { sym: Sym }).sym)) };
      case "attr":
        return { kind: "attr", attr: mergeAttrs(same.map((f) => (f as { attr: AttrState }).attr), mergeSyms) };
      case "sockaddr": {
        const all = same as { kind: "sockaddr"; abstract: boolean; name?: string }[];
        const abstract = all.some((f) => f.abstract);
        const name = all.find((f) => f.name)?.name;
        return name ? { kind: "sockaddr", abstract, name } : { kind: "sockaddr", abstract };
      }
      default:
        return first;
    }
  });
}
