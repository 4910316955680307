// What the Go walker knows about local variables at one point of a function, and how that
// knowledge merges where control flow joins. Flag words merge through the ABI test of the
// arm that set them (`if abi >= 8 { flags |= TSYNC }` makes TSYNC ABI-conditional).

import type { Range, RulesetInfo } from "../../ir.js";
import type { Sym } from "../c/sym.js";
import { FlowEnv, joinFlowEnvs, mergeFactsOfPaths, mergeSymsOfTwoArms, type Incoming as FlowIncoming } from "../common/flow-env.js";
import { mergeAttrs, type AttrState } from "../common/ruleset-attr.js";

// Go spells attr fields every way: x/sys/unix `Access_fs`, go-landlock `HandledAccessFS`, home-made ones.
export { attrFieldOfAnySpelling as attrFieldOf, freshAttr, rulesetInfoOf, unknownAttr, type AttrField, type AttrState } from "../common/ruleset-attr.js";

export type PidOrigin = "getpid" | "getppid" | "gettid" | "pgrp" | "child" | "other";

/** A go-landlock `Config` value. */
export interface LandlockConfig {
  /** `landlock.V<n>`; undefined when built from explicit sets. */
  version?: number;
  bestEffort: boolean;
  /** Scope bits, or undefined when they could not be read. */
  scopes?: bigint;
  neededAbi: number;
}

export type VarFact =
  | { kind: "sym"; sym: Sym }
  /** Holds the running Landlock ABI version. */
  | { kind: "abi" }
  | { kind: "attr"; attr: AttrState }
  | { kind: "ruleset"; info: RulesetInfo; range: Range }
  | { kind: "pid"; origin: PidOrigin }
  /** An *os.Process for a pid of this origin. */
  | { kind: "process"; origin: PidOrigin }
  /** An *exec.Cmd. */
  | { kind: "cmd" }
  | { kind: "str"; value: string }
  /** A unix socket address (`net.UnixAddr`, `unix.SockaddrUnix`) and its name. */
  | { kind: "unixaddr"; name?: string }
  | { kind: "llconfig"; config: LandlockConfig };

export class Env extends FlowEnv<VarFact> {
  protected copyFact(fact: VarFact): VarFact {
    return fact.kind === "attr" ? { kind: "attr", attr: { ...fact.attr } } : fact;
  }
}

export type Incoming = FlowIncoming<Env>;

export function joinEnvs(incoming: Incoming[]): Env {
  return joinFlowEnvs(incoming, () => new Env(), mergeFacts);
}

function mergeFacts(facts: (VarFact | undefined)[], incoming: Incoming[]): VarFact | undefined {
  const mergeSyms = (syms: Sym[]) => mergeSymsOfTwoArms(syms, incoming);
  return mergeFactsOfPaths(facts, (same) => {
    const first = same[0]!;
    if (first.kind === "sym") return { kind: "sym", sym: mergeSyms(same.map((f) => (f as { sym: Sym }).sym)) };
    if (first.kind === "attr") return { kind: "attr", attr: mergeAttrs(same.map((f) => (f as { attr: AttrState }).attr), mergeSyms) };
    if (first.kind === "llconfig") {
      const configs = same.map((f) => (f as { config: LandlockConfig }).config);
      const sameConfig = configs.every((c) => c.version === first.config.version && c.scopes === first.config.scopes);
      return {
        kind: "llconfig",
        config: sameConfig
          ? { ...first.config, bestEffort: configs.some((c) => c.bestEffort) }
          : { bestEffort: configs.some((c) => c.bestEffort), neededAbi: Math.max(...configs.map((c) => c.neededAbi)) },
      };
    }
    return first;
  });
}
