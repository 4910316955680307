// What the Rust walker knows about local variables at one point of a function, and how
// that knowledge merges where control flow joins (after an `if`, a `match`, a loop).

import type { IrOp, Range, RulesetInfo } from "../../ir.js";
import type { AttrState, PidOrigin } from "../c/state.js";
import type { Sym } from "../c/sym.js";
import { FlowEnv, joinFlowEnvs, mergeFactsOfPaths, mergeSymsOfTwoArms, type Incoming as FlowIncoming } from "../common/flow-env.js";
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

export class Env extends FlowEnv<Fact> {
  protected copyFact(fact: Fact): Fact {
    if (fact.kind === "attr") return { kind: "attr", attr: { ...fact.attr } };
    if (fact.kind === "ll") return { kind: "ll", stage: fact.stage, ruleset: cloneRuleset(fact.ruleset) };
    return fact;
  }
}

export type Incoming = FlowIncoming<Env>;

export function joinEnvs(incoming: Incoming[]): Env {
  return joinFlowEnvs(incoming, () => new Env(), mergeFacts);
}

// Raw attr structs are not merged word by word here (the C and Go front-ends do): the first
// path's struct is kept.
function mergeFacts(facts: (Fact | undefined)[], incoming: Incoming[]): Fact | undefined {
  return mergeFactsOfPaths(facts, (same) => {
    const first = same[0]!;
    if (first.kind === "sym") return { kind: "sym", sym: mergeSymsOfTwoArms(same.map((f) => (f as { sym: Sym }).sym), incoming) };
    if (first.kind === "status") return { kind: "status", ops: [...new Set(same.flatMap((f) => (f as { ops: RestrictOp[] }).ops))] };
    return first;
  });
}
