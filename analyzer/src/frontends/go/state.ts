// What the Go walker knows about local variables at one point of a function, and how that
// knowledge merges where control flow joins. Flag words merge through the ABI test of the
// arm that set them (`if abi >= 8 { flags |= TSYNC }` makes TSYNC ABI-conditional).

import type { Range, RulesetInfo } from "../../ir.js";
import { namesOfBits, SCOPE_NAMES } from "../c/landlock-constants.js";
import { equalSyms, exact, join, selectByAbi, UNKNOWN, type Sym } from "../c/sym.js";

export interface AttrState {
  fs: Sym;
  net: Sym;
  scoped: Sym;
  /** Some word was reduced according to the running ABI ("best effort"). */
  masked: boolean;
}

export type AttrField = "fs" | "net" | "scoped";

/** Field names of ruleset attribute structs: x/sys/unix `Access_fs`, go-landlock `HandledAccessFS`, home-made ones. */
export function attrFieldOf(name: string): AttrField | undefined {
  const n = name.toLowerCase().replace(/_/g, "");
  if (/^(?:handled)?(?:access)?fs$/.test(n)) return "fs";
  if (/^(?:handled)?(?:access)?net$/.test(n)) return "net";
  if (/^scope[ds]?$/.test(n)) return "scoped";
  return undefined;
}

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

/** One way control reaches a join point, with what its arm's condition says about the ABI. */
export interface Incoming {
  env: Env;
  abi?: { abi: number; negated: boolean };
}

export function joinEnvs(incoming: Incoming[]): Env {
  if (incoming.length === 0) return new Env();
  if (incoming.length === 1) return incoming[0]!.env;
  const names = new Set<string>();
  for (const i of incoming) for (const k of i.env.vars.keys()) names.add(k);
  const out = new Env();
  for (const name of names) {
    const facts = incoming.map((i) => i.env.get(name));
    const first = facts[0];
    if (!first || facts.some((f) => !f || f.kind !== first.kind)) {
      const defined = facts.filter((f): f is VarFact => !!f);
      // Facts about what a value is (not its bits) survive a path where the variable was not set.
      if (defined.length && defined.every((f) => f.kind === defined[0]!.kind) && defined[0]!.kind !== "sym" && defined[0]!.kind !== "attr") out.set(name, defined[0]);
      continue;
    }
    if (first.kind === "sym") {
      out.set(name, { kind: "sym", sym: mergeSyms(facts.map((f) => (f as { sym: Sym }).sym), incoming) });
    } else if (first.kind === "attr") {
      const attrs = facts.map((f) => (f as { attr: AttrState }).attr);
      out.set(name, {
        kind: "attr",
        attr: {
          fs: mergeSyms(attrs.map((a) => a.fs), incoming),
          net: mergeSyms(attrs.map((a) => a.net), incoming),
          scoped: mergeSyms(attrs.map((a) => a.scoped), incoming),
          masked: attrs.some((a) => a.masked),
        },
      });
    } else if (first.kind === "llconfig") {
      const configs = facts.map((f) => (f as { config: LandlockConfig }).config);
      const same = configs.every((c) => c.version === first.config.version && c.scopes === first.config.scopes);
      out.set(name, {
        kind: "llconfig",
        config: same
          ? { ...first.config, bestEffort: configs.some((c) => c.bestEffort) }
          : { bestEffort: configs.some((c) => c.bestEffort), neededAbi: Math.max(...configs.map((c) => c.neededAbi)) },
      });
    } else {
      out.set(name, first);
    }
  }
  return out;
}

function mergeSyms(syms: Sym[], incoming: Incoming[]): Sym {
  if (syms.every((s) => equalSyms(s, syms[0]!))) return syms[0]!;
  if (syms.length === 2) {
    const test = incoming[0]!.abi ?? (incoming[1]!.abi ? { abi: incoming[1]!.abi.abi, negated: !incoming[1]!.abi.negated } : undefined);
    if (test) return test.negated ? selectByAbi(test.abi, syms[1]!, syms[0]!) : selectByAbi(test.abi, syms[0]!, syms[1]!);
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
  const bits = (s: Sym) => s.yes | (s.unknown ? 0n : s.maybe);
  const scopeBits = bits(attr.scoped);
  const scopes = SCOPE_NAMES.filter(([bit]) => (scopeBits & bit) !== 0n).map(([, name]) => name);
  const requested = [...namesOfBits("access-fs", bits(attr.fs)), ...namesOfBits("access-net", bits(attr.net)), ...namesOfBits("scope", scopeBits)];
  const neededAbi = requested.reduce((m, r) => Math.max(m, r.abi), 1);
  return {
    scopes,
    scopesKnown: !attr.scoped.unknown,
    neededAbi,
    neededFor: requested.filter((r) => r.abi === neededAbi && neededAbi > 1).map((r) => r.name),
    maskedByAbi: attr.masked,
  };
}
