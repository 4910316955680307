// Reads what an `if`/`switch` condition of a Go program means for Landlock: an ABI test
// (`abi >= 8`, `err != nil || abi < 8`), the error check of a Landlock call
// (`errno != 0`, `err != nil`, `errors.Is(err, unix.EINVAL)`), or a root check
// (`os.Geteuid() != 0`).

import { abiFacts, type EvalScope } from "../c/evaluate.js";
import { abiAndFailureConditions, describeOtherArms, flip, mirrorComparison, type ArmConditions, type ArmSide } from "../common/arm-conditions.js";
import type { Expr } from "./expr.js";

export type { ArmSide };

export interface ConditionFacts extends ArmConditions {
  /** The arm that runs as root (`os.Geteuid() == 0`). */
  privileged?: ArmSide;
}

export interface ConditionContext {
  scope: EvalScope;
  /** Whether the expression holds the result of a Landlock or no_new_privs call (an error, an errno, a return value). */
  isLandlockResult(e: Expr): boolean;
}

const EUID_CALLS = /^(?:os|unix|syscall)\.Get(?:e)?uid$/;

export function analyzeGoCondition(e: Expr, text: string, ctx: ConditionContext): ConditionFacts {
  const facts: ConditionFacts = abiAndFailureConditions(abiFacts(e, ctx.scope), failureSide(e, ctx, 0));
  const privileged = privilegedSide(e);
  if (privileged) facts.privileged = privileged;
  describeOtherArms(facts, text);
  return facts;
}

function isZero(e: Expr): boolean {
  return (e.k === "num" && e.v === 0n) || (e.k === "id" && e.name === "nil");
}

/** Which arm handles the failure of a Landlock call tested by `e`. */
function failureSide(e: Expr, ctx: ConditionContext, depth: number): ArmSide | undefined {
  if (depth > 16) return undefined;
  switch (e.k) {
    case "un":
      return e.op === "!" ? flip(failureSide(e.e, ctx, depth + 1)) : undefined;
    case "call":
      // errors.Is(err, unix.EINVAL), errors.As(err, &target): true only when the call failed.
      if (/^errors\.(?:Is|As)$/.test(e.callee) && e.args[0] && ctx.isLandlockResult(e.args[0])) return "then";
      return undefined;
    case "bin": {
      if (e.op === "||" || e.op === "&&") {
        const l = failureSide(e.l, ctx, depth + 1);
        const r = failureSide(e.r, ctx, depth + 1);
        if (e.op === "||") return l === "then" || r === "then" ? "then" : undefined;
        return l === "else" || r === "else" ? "else" : l === "then" || r === "then" ? "then" : undefined;
      }
      let result: Expr;
      let other: Expr;
      let op = e.op;
      if (ctx.isLandlockResult(e.l)) {
        result = e.l;
        other = e.r;
      } else if (ctx.isLandlockResult(e.r)) {
        result = e.r;
        other = e.l;
        op = mirrorComparison(op);
      } else return undefined;
      void result;
      if (isZero(other)) {
        if (op === "!=" || op === "<") return "then";
        if (op === "==" || op === ">=") return "else";
        return undefined;
      }
      // errno == unix.EINVAL, err == syscall.ENOSYS: a specific failure.
      if (op === "==") return "then";
      if (op === "!=") return "else";
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `os.Geteuid() == 0`: the then-arm runs as root; `!= 0`: the else-arm does. */
function privilegedSide(e: Expr): ArmSide | undefined {
  if (e.k !== "bin" || (e.op !== "==" && e.op !== "!=")) return undefined;
  const isEuid = (x: Expr) => x.k === "call" && EUID_CALLS.test(x.callee);
  const other = isEuid(e.l) ? e.r : isEuid(e.r) ? e.l : undefined;
  if (!other || other.k !== "num" || other.v !== 0n) return undefined;
  return e.op === "==" ? "then" : "else";
}
