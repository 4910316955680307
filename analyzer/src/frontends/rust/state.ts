// What the Rust walker knows about local variables at one point of a function, and how
// that knowledge merges where control flow joins (after an `if`, a `match`, a loop).

import type { IrOp, Range, RulesetInfo } from "../../ir.js";
import type { AttrState, PidOrigin } from "../c/state.js";
import { equalSyms, join, selectByAbi, type Sym } from "../c/sym.js";
import { cloneRuleset, type RustRuleset } from "./library.js";

export type RestrictOp = Extract<IrOp, { type: "restrict" }>;

export type Fact =
  | { kind: "sym"; sym: Sym }
  /** Holds the running Landlock ABI version. */
  | { kind: "abi" }
  /** A raw `landlock_ruleset_attr` struct. */
  | { kind: "attr"; attr: AttrState }
  /** A ruleset fd from a raw create_ruleset. */
  | { kind: "ruleset-fd"; info: RulesetInfo; range: Range }
  | { kind: "pid"; origin: PidOrigin }
  /** The result of fork: nix's `Result<ForkResult>` (`result`), a `ForkResult`, or libc's pid. */
  | { kind: "fork"; how: string; shape: "result" | "fork-result" | "pid" }
  /** A rust-landlock `Ruleset` (before `create()`) or `RulesetCreated`. */
  | { kind: "ll"; stage: "ruleset" | "created"; ruleset: RustRuleset }
  /** rust-landlock's `RestrictSelf` builder (restrict_self without a domain). */
  | { kind: "ll-restrict-self"; logSubdomainsOff: boolean }
  /** A `RestrictionStatus` (or the `Result` holding it) from these restrict ops. */
  | { kind: "status"; ops: RestrictOp[] }
  | { kind: "command" }
  | { kind: "child-process" }
  | { kind: "thread-builder" }
  /** The handle a scope closure receives (`s.spawn(...)` starts a thread). */
  | { kind: "scope-handle"; how: string }
  | { kind: "tokio-builder"; multi: boolean }
  | { kind: "runtime"; multi: boolean; how: string }
  | { kind: "rayon-builder" }
  /** A thread pool whose `install`/`spawn`/`execute` closures run on its threads. */
  | { kind: "pool"; how: string }
  /** A rayon parallel iterator: closures given to it run on pool threads. */
  | { kind: "par"; how: string; range: Range }
  | { kind: "sockaddr"; abstract: boolean; name?: string };

export class Env {
  constructor(readonly vars: Map<string, Fact> = new Map()) {}

  get(name: string): Fact | undefined {
    return this.vars.get(name);
  }

  set(name: string, fact: Fact | undefined): void {
    if (fact) this.vars.set(name, fact);
    else this.vars.delete(name);
  }

  clone(): Env {
    const copy = new Map<string, Fact>();
    for (const [k, v] of this.vars) {
      if (v.kind === "attr") copy.set(k, { kind: "attr", attr: { ...v.attr } });
      else if (v.kind === "ll") copy.set(k, { kind: "ll", stage: v.stage, ruleset: cloneRuleset(v.ruleset) });
      else copy.set(k, v);
    }
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
    const merged = mergeFacts(facts, incoming);
    if (merged) out.set(name, merged);
  }
  return out;
}

function mergeFacts(facts: (Fact | undefined)[], incoming: Incoming[]): Fact | undefined {
  const first = facts[0];
  if (!first || facts.some((f) => !f || f.kind !== first.kind)) {
    const defined = facts.filter((f): f is Fact => !!f);
    if (defined.length && defined.every((f) => f.kind === defined[0]!.kind) && defined[0]!.kind !== "sym" && defined[0]!.kind !== "attr") return defined[0];
    return undefined;
  }
  if (first.kind === "sym") return { kind: "sym", sym: mergeSyms(facts.map((f) => (f as { sym: Sym }).sym), incoming) };
  if (first.kind === "status") return { kind: "status", ops: [...new Set(facts.flatMap((f) => (f as { ops: RestrictOp[] }).ops))] };
  return first;
}

function mergeSyms(syms: Sym[], incoming: Incoming[]): Sym {
  if (syms.every((s) => equalSyms(s, syms[0]!))) return syms[0]!;
  if (syms.length === 2) {
    const test = incoming[0]!.abi ?? (incoming[1]!.abi ? { abi: incoming[1]!.abi.abi, negated: !incoming[1]!.abi.negated } : undefined);
    if (test) return test.negated ? selectByAbi(test.abi, syms[1]!, syms[0]!) : selectByAbi(test.abi, syms[0]!, syms[1]!);
  }
  return syms.reduce((a, b) => join(a, b));
}
