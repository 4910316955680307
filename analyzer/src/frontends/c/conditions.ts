// Reads what an `if`/`switch` condition means for Landlock: an ABI test, an error check of
// a Landlock call, the child side of a fork, a CAP_SYS_ADMIN or root guard.

import { abiAndFailureConditions, describeOtherArms, flip, mirrorComparison, type ArmConditions, type ArmSide } from "../common/arm-conditions.js";
import { abiFacts, evaluate, type EvalScope } from "./evaluate.js";
import { identifiersOf, type Expr } from "./expr.js";
import { signed, valueOf } from "./sym.js";

export type { ArmSide };

export interface ConditionFacts extends ArmConditions {
  /** The arm that runs in a freshly forked child, and how it was forked. */
  child?: { side: ArmSide; how: string };
  /** The arm that runs with CAP_SYS_ADMIN / as root, as the condition states it. */
  privileged?: { side: ArmSide; api: string };
}

export interface ConditionContext {
  scope: EvalScope;
  /**
   * Whether the expression is the result of a Landlock (or no_new_privs) call, directly or
   * through a variable: "zero-ok" calls return 0 on success (restrict_self, add_rule,
   * prctl), "nonneg-ok" ones a descriptor or version (create_ruleset).
   */
  landlockResult(e: Expr): "zero-ok" | "nonneg-ok" | undefined;
  /** Whether the expression is a fork-like result (call or pid variable); how it was forked. */
  forkResult(e: Expr): string | undefined;
  /** Whether the expression holds a CAP_SYS_ADMIN test result (cap_get_flag output). */
  isCapFlag(name: string): boolean;
  /** Whether the function documents that this path runs privileged (for euid checks). */
  privilegeDocumented: boolean;
}

const COMPARISONS = new Set(["==", "!=", "<", ">", "<=", ">="]);

export function analyzeCondition(e: Expr, text: string, ctx: ConditionContext): ConditionFacts {
  const facts: ConditionFacts = abiAndFailureConditions(abiFacts(e, ctx.scope), failureSide(e, ctx, 0));
  const child = childSide(e, ctx, 0);
  if (child) facts.child = child;
  const privileged = privilegedSide(e, ctx);
  if (privileged) facts.privileged = privileged;
  describeOtherArms(facts, text);
  return facts;
}

/**
 * The condition can only hold when a Landlock call failed (`rc != 0 && errno == EINTR`):
 * a loop with it repeats only failed attempts.
 */
export function conditionImpliesFailure(e: Expr, landlockResult: ConditionContext["landlockResult"], scope: EvalScope): boolean {
  const ctx: ConditionContext = { scope, landlockResult, forkResult: () => undefined, isCapFlag: () => false, privilegeDocumented: false };
  const implies = (x: Expr, depth: number): boolean => {
    if (depth > 16) return false;
    if (x.k === "bin" && x.op === "&&") return implies(x.l, depth + 1) || implies(x.r, depth + 1);
    return failureSide(x, ctx, depth) === "then";
  };
  return implies(e, 0);
}

/** Which arm handles the failure of a Landlock call tested by `e`. */
function failureSide(e: Expr, ctx: ConditionContext, depth: number): ArmSide | undefined {
  if (depth > 16) return undefined;
  if (ctx.landlockResult(e) === "zero-ok") return "then";
  switch (e.k) {
    case "un":
      if (e.op === "!") return flip(failureSide(e.e, ctx, depth + 1));
      return undefined;
    case "bin": {
      if (e.op === "||") return failureSide(e.l, ctx, depth + 1) === "then" || failureSide(e.r, ctx, depth + 1) === "then" ? "then" : undefined;
      if (e.op === "&&") return failureSide(e.l, ctx, depth + 1) === "else" || failureSide(e.r, ctx, depth + 1) === "else" ? "else" : undefined;
      if (!COMPARISONS.has(e.op)) return undefined;
      let op = e.op;
      let other: Expr;
      if (ctx.landlockResult(e.l)) other = e.r;
      else if (ctx.landlockResult(e.r)) {
        other = e.l;
        op = mirrorComparison(op);
      } else return undefined;
      const v = valueOf(evaluate(other, ctx.scope));
      if (v === undefined) return undefined;
      const n = signed(v);
      // Landlock calls return -1 (errno set) on failure, 0 or a positive fd / ABI on success.
      if ((op === "<" && n <= 1n) || (op === "<=" && n <= 0n) || (op === "==" && n < 0n) || (op === "!=" && n === 0n)) return "then";
      if ((op === ">=" && n <= 1n) || (op === ">" && n <= 0n) || (op === "!=" && n < 0n) || (op === "==" && n === 0n)) return "else";
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Which arm runs in the child of a fork tested by `e` (`pid == 0`, `!pid`, `fork() == 0`, `pid > 0` else). */
function childSide(e: Expr, ctx: ConditionContext, depth: number): { side: ArmSide; how: string } | undefined {
  if (depth > 16) return undefined;
  const direct = ctx.forkResult(e);
  if (direct) return { side: "else", how: direct };
  if (e.k === "un" && e.op === "!") {
    const inner = childSide(e.e, ctx, depth + 1);
    return inner ? { side: flip(inner.side)!, how: inner.how } : undefined;
  }
  if (e.k !== "bin" || !COMPARISONS.has(e.op)) return undefined;
  let op = e.op;
  let how = ctx.forkResult(e.l);
  let other = e.r;
  if (!how) {
    how = ctx.forkResult(e.r);
    other = e.l;
    op = mirrorComparison(op);
  }
  if (!how) return undefined;
  const v = valueOf(evaluate(other, ctx.scope));
  if (v !== 0n) return undefined;
  if (op === "==" || op === "<=") return { side: "then", how };
  if (op === "!=" || op === ">") return { side: "else", how };
  return undefined;
}

const ROOT_ID_CALLS = new Set(["geteuid", "getuid"]);

/** A CAP_SYS_ADMIN check, or a documented root check, guarding one arm. */
function privilegedSide(e: Expr, ctx: ConditionContext): { side: ArmSide; api: string } | undefined {
  const ids = identifiersOf(e);
  const mentionsCap = ids.has("CAP_SYS_ADMIN") || [...ids].some((id) => ctx.isCapFlag(id));
  if (mentionsCap) return { side: isNegative(e) ? "else" : "then", api: "CAP_SYS_ADMIN check" };
  if (!ctx.privilegeDocumented) return undefined;
  const rootCall = [...ids].find((id) => ROOT_ID_CALLS.has(id));
  if (!rootCall) return undefined;
  // `geteuid() == 0` (then) / `geteuid() != 0` (else), possibly under `!`.
  let negatedOuter = false;
  let inner = e;
  while (inner.k === "un" && inner.op === "!") {
    negatedOuter = !negatedOuter;
    inner = inner.e;
  }
  if (inner.k !== "bin") return undefined;
  const callSide = inner.l.k === "call" && ROOT_ID_CALLS.has(inner.l.callee) ? inner.r : inner.r.k === "call" && ROOT_ID_CALLS.has(inner.r.callee) ? inner.l : undefined;
  if (!callSide || valueOf(evaluate(callSide, ctx.scope)) !== 0n) return undefined;
  let side: ArmSide | undefined;
  if (inner.op === "==") side = "then";
  else if (inner.op === "!=" || inner.op === ">") side = "else";
  if (!side) return undefined;
  return { side: negatedOuter ? flip(side)! : side, api: `${rootCall}() == 0` };
}

/** Whether a condition reads as "does not have it" (`!has_cap(...)`, `x == 0`, `val != CAP_SET`). */
function isNegative(e: Expr): boolean {
  if (e.k === "un" && e.op === "!") return !isNegative(e.e);
  if (e.k === "bin") {
    if (e.op === "&&" || e.op === "||") return isNegative(e.l);
    const rhs = e.r.k === "id" ? e.r.name : e.r.k === "num" ? String(e.r.v) : "";
    if (e.op === "==" && (rhs === "0" || rhs === "CAP_CLEAR" || rhs === "false")) return true;
    if (e.op === "!=" && (rhs === "CAP_SET" || rhs === "1" || rhs === "true")) return true;
  }
  return false;
}
