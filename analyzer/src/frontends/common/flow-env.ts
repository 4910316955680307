// What a walker knows about the local variables of a function at one program point, and
// how that knowledge merges where control flow joins (after an `if`, a `switch`, a loop).
// Generic over each front-end's own fact union; the merge rules of a fact kind stay with
// the front-end that defines it.

import type { AbiTest } from "../c/evaluate.js";
import { equalSyms, join, selectByAbi, type Sym } from "../c/sym.js";

export type { AbiTest };

/** A fact about one variable; `kind` tells which. */
export interface KindedFact {
  kind: string;
}

/** One way control reaches a join point, with what the arm's condition says about the ABI. */
export interface Incoming<E> {
  env: E;
  abi?: AbiTest;
}

/**
 * Variable name -> fact. Subclasses say which facts walkers change in place, so `clone`
 * copies them; `clone` builds the subclass through its constructor, which must keep taking
 * just the map.
 */
export abstract class FlowEnv<F extends KindedFact> {
  constructor(readonly vars: Map<string, F> = new Map()) {}

  get(name: string): F | undefined {
    return this.vars.get(name);
  }

  set(name: string, fact: F | undefined): void {
    if (fact) this.vars.set(name, fact);
    else this.vars.delete(name);
  }

  clone(): this {
    const copy = new Map<string, F>();
    for (const [k, v] of this.vars) copy.set(k, this.copyFact(v));
    return new (this.constructor as new (vars: Map<string, F>) => this)(copy);
  }

  /** A copy of a fact that walkers mutate in place; the fact itself when they never do. */
  protected abstract copyFact(fact: F): F;
}

/**
 * Merges the environments flowing into a join point, one variable at a time (`mergeFacts`
 * gets the variable's fact on each path, undefined where the path does not know it).
 */
export function joinFlowEnvs<F extends KindedFact, E extends FlowEnv<F>>(
  incoming: Incoming<E>[],
  empty: () => E,
  mergeFacts: (facts: (F | undefined)[], incoming: Incoming<E>[]) => F | undefined,
): E {
  if (incoming.length === 0) return empty();
  if (incoming.length === 1) return incoming[0]!.env;
  const names = new Set<string>();
  for (const i of incoming) for (const k of i.env.vars.keys()) names.add(k);
  const out = empty();
  for (const name of names) {
    const merged = mergeFacts(
      incoming.map((i) => i.env.get(name)),
      incoming,
    );
    if (merged) out.set(name, merged);
  }
  return out;
}

/**
 * One variable's facts from every path into a join. Where all paths hold a fact of the same
 * kind, `mergeSameKind` decides. Otherwise a variable that only some paths set keeps what it
 * is known to be on the others, unless it is a bit word (`sym`, `attr`): that would be a join
 * with an unknown start, so it is dropped.
 */
export function mergeFactsOfPaths<F extends KindedFact>(facts: (F | undefined)[], mergeSameKind: (facts: F[]) => F | undefined): F | undefined {
  const first = facts[0];
  if (!first || facts.some((f) => !f || f.kind !== first.kind)) {
    const defined = facts.filter((f): f is F => !!f);
    if (defined.length && defined.every((f) => f.kind === defined[0]!.kind) && defined[0]!.kind !== "sym" && defined[0]!.kind !== "attr") return defined[0];
    return undefined;
  }
  return mergeSameKind(facts as F[]);
}

/** How one bit word's values on each path (`syms[i]` arrives by `incoming[i]`) merge. */
export type SymMerge = (syms: Sym[], incoming: readonly { abi?: AbiTest }[]) => Sym;

/**
 * Two paths, one of them under an ABI test (`if (abi >= 8) flags |= TSYNC;`): the word
 * becomes ABI-conditional. Anything else is a plain join.
 */
export const mergeSymsOfTwoArms: SymMerge = (syms, incoming) => {
  if (syms.every((s) => equalSyms(s, syms[0]!))) return syms[0]!;
  if (syms.length === 2) {
    const test = incoming[0]!.abi ?? (incoming[1]!.abi ? { abi: incoming[1]!.abi.abi, negated: !incoming[1]!.abi.negated } : undefined);
    if (test) return test.negated ? selectByAbi(test.abi, syms[1]!, syms[0]!) : selectByAbi(test.abi, syms[0]!, syms[1]!);
  }
  return syms.reduce((a, b) => join(a, b));
};

/**
 * Any number of paths that all tested the ABI against the same version: the bits that only
 * the paths at or above it set become ABI-conditional (`if (abi >= 8) flags |= TSYNC;`, a
 * `switch (abi)` whose cases below 8 clear TSYNC). Anything else is a plain join.
 */
export const mergeSymsOfSameAbiTest: SymMerge = (syms, incoming) => {
  if (syms.every((s) => equalSyms(s, syms[0]!))) return syms[0]!;
  const abi = incoming[0]!.abi?.abi;
  if (abi !== undefined && incoming.every((i) => i.abi?.abi === abi)) {
    const above = syms.filter((_, i) => !incoming[i]!.abi!.negated);
    const below = syms.filter((_, i) => incoming[i]!.abi!.negated);
    if (above.length && below.length) return selectByAbi(abi, above.reduce((a, b) => join(a, b)), below.reduce((a, b) => join(a, b)));
  }
  return syms.reduce((a, b) => join(a, b));
};
