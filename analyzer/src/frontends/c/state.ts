// What the walker knows about local variables at one point of a function, and how that
// knowledge merges where control flow joins (after an `if`, a `switch`, a loop).

import type { Range, RulesetInfo } from "../../ir.js";
import { namesOfBits } from "./landlock-constants.js";
import { SCOPE_NAMES } from "./landlock-constants.js";
import { equalSyms, exact, join, selectByAbi, UNKNOWN, type Sym } from "./sym.js";

/** The three handled-access words of `struct landlock_ruleset_attr`. */
export interface AttrState {
  fs: Sym;
  net: Sym;
  scoped: Sym;
  /** Some word was reduced according to the running ABI ("best effort"). */
  masked: boolean;
}

export type AttrField = "fs" | "net" | "scoped";

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

export class Env {
  constructor(readonly vars: Map<string, VarFact> = new Map()) {}

  get(name: string): VarFact | undefined {
    return this.vars.get(name);
  }

  set(name: string, fact: VarFact | undefined): void {
    if (fact) this.vars.set(name, fact);
    else this.vars.delete(name);
  }

  clone(): Env {
    const copy = new Map<string, VarFact>();
    for (const [k, v] of this.vars) copy.set(k, v.kind === "attr" ? { kind: "attr", attr: { ...v.attr } } : v);
    return new Env(copy);
  }
}

/** One way control reaches a join point, with what the arm's condition says about the ABI. */
export interface Incoming {
  env: Env;
  abi?: { abi: number; negated: boolean };
}

/** Merges the environments flowing into a join point. */
export function joinEnvs(incoming: Incoming[]): Env {
  if (incoming.length === 0) return new Env();
  if (incoming.length === 1) return incoming[0]!.env;
  const names = new Set<string>();
  for (const i of incoming) for (const k of i.env.vars.keys()) names.add(k);
  const out = new Env();
  for (const name of names) {
    const facts = incoming.map((i) => i.env.get(name));
    const merged = mergeFacts(facts, incoming);
    if (merged) out.set(name, merged);
  }
  return out;
}

function mergeFacts(facts: (VarFact | undefined)[], incoming: Incoming[]): VarFact | undefined {
  const first = facts[0];
  if (!first || facts.some((f) => !f || f.kind !== first.kind)) {
    // A variable that only some paths set keeps what it is known to be on the others
    // as "maybe": for flag words that is a join with an unknown start, so drop it.
    const defined = facts.filter((f): f is VarFact => !!f);
    if (defined.length && defined.every((f) => f.kind === defined[0]!.kind) && defined[0]!.kind !== "sym" && defined[0]!.kind !== "attr") {
      return defined[0];
    }
    return undefined;
  }
  switch (first.kind) {
    case "sym": {
      const syms = facts.map((f) => (f as { sym: Sym }).sym);
      return { kind: "sym", sym: mergeSyms(syms, incoming) };
    }
    case "attr": {
      const attrs = facts.map((f) => (f as { attr: AttrState }).attr);
      return {
        kind: "attr",
        attr: {
          fs: mergeSyms(attrs.map((a) => a.fs), incoming),
          net: mergeSyms(attrs.map((a) => a.net), incoming),
          scoped: mergeSyms(attrs.map((a) => a.scoped), incoming),
          masked: attrs.some((a) => a.masked),
        },
      };
    }
    case "sockaddr": {
      const all = facts as { kind: "sockaddr"; abstract: boolean; name?: string }[];
      const abstract = all.some((f) => f.abstract);
      const name = all.find((f) => f.name)?.name;
      return name ? { kind: "sockaddr", abstract, name } : { kind: "sockaddr", abstract };
    }
    default:
      return first;
  }
}

/**
 * Paths that tested the ABI against the same version: the bits that only the paths at or
 * above it set become ABI-conditional (`if (abi >= 8) flags |= TSYNC;`, a `switch (abi)`
 * whose cases below 8 clear TSYNC). Anything else is a plain join.
 */
function mergeSyms(syms: Sym[], incoming: Incoming[]): Sym {
  if (syms.every((s) => equalSyms(s, syms[0]!))) return syms[0]!;
  const abi = incoming[0]!.abi?.abi;
  if (abi !== undefined && incoming.every((i) => i.abi?.abi === abi)) {
    const above = syms.filter((_, i) => !incoming[i]!.abi!.negated);
    const below = syms.filter((_, i) => incoming[i]!.abi!.negated);
    if (above.length && below.length) return selectByAbi(abi, above.reduce((a, b) => join(a, b)), below.reduce((a, b) => join(a, b)));
  }
  return syms.reduce((a, b) => join(a, b));
}

export function freshAttr(): AttrState {
  return { fs: exact(0n), net: exact(0n), scoped: exact(0n), masked: false };
}

export function unknownAttr(): AttrState {
  return { fs: UNKNOWN, net: UNKNOWN, scoped: UNKNOWN, masked: false };
}

/** The IR's view of a ruleset built from an attr state. */
export function rulesetInfoOf(attr: AttrState | undefined): RulesetInfo {
  if (!attr) return { scopes: [], scopesKnown: false, neededAbi: 1, neededFor: [], maskedByAbi: false };
  const scopeBits = attr.scoped.yes | (attr.scoped.unknown ? 0n : attr.scoped.maybe);
  const scopes = SCOPE_NAMES.filter(([bit]) => (scopeBits & bit) !== 0n).map(([, name]) => name);
  const requested = [
    ...namesOfBits("access-fs", attr.fs.yes | (attr.fs.unknown ? 0n : attr.fs.maybe)),
    ...namesOfBits("access-net", attr.net.yes | (attr.net.unknown ? 0n : attr.net.maybe)),
    ...namesOfBits("scope", scopeBits),
  ];
  const neededAbi = requested.reduce((m, r) => Math.max(m, r.abi), 1);
  return {
    scopes,
    scopesKnown: !attr.scoped.unknown,
    neededAbi,
    neededFor: requested.filter((r) => r.abi === neededAbi && neededAbi > 1).map((r) => r.name),
    maskedByAbi: attr.masked,
  };
}
