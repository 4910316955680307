// Evaluates an Expr to a symbolic flag word (sym.ts) and recognises ABI tests
// (`abi >= 8`, `abi < 8`, `7 < abi`, `!(abi >= 8)`, `switch (abi) case 8`).

import type { Expr } from "./expr.js";
import { and, arithmetic, clear, exact, join, or, selectByAbi, unary, UNKNOWN, valueOf, type Sym } from "./sym.js";

export interface AbiTest {
  abi: number;
  negated: boolean;
}

/** What a condition tells about the ABI when it is true and when it is false. */
export interface AbiFacts {
  whenTrue?: AbiTest;
  whenFalse?: AbiTest;
}

export interface EvalScope {
  /** Value of an identifier (local variable, macro, enum constant); undefined when unknown. */
  ident(name: string, depth: number): Sym | undefined;
  /** Whether the expression holds the running ABI version (a variable or a query call). */
  isAbiValue(e: Expr): boolean;
  /** Value of a call (function-like macro, `defined`); undefined when unknown. */
  call?(callee: string, args: Expr[], depth: number): Sym | undefined;
  /** Value of `obj.field` (struct fields tracked by the caller); undefined when unknown. */
  field?(obj: Expr, field: string): Sym | undefined;
}

const MAX_DEPTH = 48;

export function evaluate(e: Expr, scope: EvalScope, depth = 0): Sym {
  if (depth > MAX_DEPTH) return UNKNOWN;
  const d = depth + 1;
  switch (e.k) {
    case "num":
      return exact(e.v);
    case "id":
      return scope.ident(e.name, d) ?? UNKNOWN;
    case "un":
      return unary(e.op, evaluate(e.e, scope, d));
    case "bin": {
      if (e.op === "&&" || e.op === "||") {
        const l = evaluate(e.l, scope, d);
        const lv = valueOf(l);
        // Short-circuit so `defined(X) && X >= 3` works when X is undefined.
        if (e.op === "&&" && lv === 0n) return exact(0n);
        if (e.op === "||" && lv !== undefined && lv !== 0n) return exact(1n);
        const r = evaluate(e.r, scope, d);
        const rv = valueOf(r);
        if (e.op === "&&" && rv === 0n) return exact(0n);
        if (e.op === "||" && rv !== undefined && rv !== 0n) return exact(1n);
        return arithmetic(e.op, l, r);
      }
      const l = evaluate(e.l, scope, d);
      if (e.op === "&" && e.r.k === "un" && e.r.op === "~") {
        const mask = valueOf(evaluate(e.r.e, scope, d));
        if (mask !== undefined) return clear(l, mask);
      }
      const r = evaluate(e.r, scope, d);
      if (e.op === "|") return or(l, r);
      if (e.op === "&") return and(l, r);
      return arithmetic(e.op, l, r);
    }
    case "cond": {
      const c = evaluate(e.c, scope, d);
      const cv = valueOf(c);
      if (cv !== undefined) return evaluate(cv !== 0n ? e.t : e.f, scope, d);
      const t = evaluate(e.t, scope, d);
      const f = evaluate(e.f, scope, d);
      // Only a pure ABI test splits the values by ABI (`abi >= 8 && x` does not).
      const facts = abiFacts(e.c, scope);
      if (facts.whenTrue && facts.whenFalse && facts.whenTrue.abi === facts.whenFalse.abi) {
        return facts.whenTrue.negated ? selectByAbi(facts.whenTrue.abi, f, t) : selectByAbi(facts.whenTrue.abi, t, f);
      }
      return join(t, f);
    }
    case "call":
      return scope.call?.(e.callee, e.args, d) ?? UNKNOWN;
    case "field":
      return scope.field?.(e.obj, e.field) ?? UNKNOWN;
    default:
      return UNKNOWN;
  }
}

const FLIP: Record<string, string> = { "<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!=" };

/**
 * ABI facts of a condition. Tests against 0 or 1 from below (`abi < 1`, `abi <= 0`) are
 * "Landlock unavailable" error checks, not version tests, and give no facts.
 */
export function abiFacts(e: Expr, scope: EvalScope, depth = 0): AbiFacts {
  if (depth > MAX_DEPTH) return {};
  if (e.k === "un" && e.op === "!") {
    const inner = abiFacts(e.e, scope, depth + 1);
    const out: AbiFacts = {};
    if (inner.whenFalse) out.whenTrue = inner.whenFalse;
    if (inner.whenTrue) out.whenFalse = inner.whenTrue;
    return out;
  }
  if (e.k !== "bin") return {};
  if (e.op === "&&") {
    const l = abiFacts(e.l, scope, depth + 1);
    const r = abiFacts(e.r, scope, depth + 1);
    const whenTrue = strongest(l.whenTrue, r.whenTrue);
    return whenTrue ? { whenTrue } : {};
  }
  if (e.op === "||") {
    const l = abiFacts(e.l, scope, depth + 1);
    const r = abiFacts(e.r, scope, depth + 1);
    const whenFalse = strongest(l.whenFalse, r.whenFalse);
    return whenFalse ? { whenFalse } : {};
  }
  let op = e.op;
  let value: Expr;
  if (scope.isAbiValue(e.l)) value = e.r;
  else if (scope.isAbiValue(e.r)) {
    value = e.l;
    const flipped = FLIP[op];
    if (!flipped) return {};
    op = flipped;
  } else return {};
  const n = valueOf(evaluate(value, scope));
  if (n === undefined) return {};
  const k = Number(BigInt.asIntN(64, n));
  if (!Number.isFinite(k) || k < 0 || k > 1000) return {};
  const atLeast = (abi: number): AbiTest => ({ abi, negated: false });
  const below = (abi: number): AbiTest => ({ abi, negated: true });
  switch (op) {
    case ">=":
      return k <= 1 ? {} : { whenTrue: atLeast(k), whenFalse: below(k) };
    case ">":
      return k + 1 <= 1 ? {} : { whenTrue: atLeast(k + 1), whenFalse: below(k + 1) };
    case "<":
      return k <= 1 ? {} : { whenTrue: below(k), whenFalse: atLeast(k) };
    case "<=":
      return k + 1 <= 1 ? {} : { whenTrue: below(k + 1), whenFalse: atLeast(k + 1) };
    case "==":
      return k <= 1 ? {} : { whenTrue: atLeast(k) };
    case "!=":
      return k <= 1 ? {} : { whenFalse: atLeast(k) };
    default:
      return {};
  }
}

function strongest(a: AbiTest | undefined, b: AbiTest | undefined): AbiTest | undefined {
  if (!a) return b;
  if (!b) return a;
  if (!a.negated && !b.negated) return a.abi >= b.abi ? a : b;
  return a.negated ? b : a;
}
