// Reads what a JS condition means for Landlock: an ABI test (`abi >= 8`, `abi < 8n`), the
// failure test of a Landlock call made through an FFI (`rc !== 0`, `rc < 0`, `if (rc)`),
// a root check (`process.geteuid() === 0`), and which side runs on a worker thread
// (`isMainThread`, `parentPort`, `threadId` from worker_threads).

import type { IrCond } from "../../ir.js";
import type { Expr } from "../c/expr.js";
import { abiFacts, type EvalScope } from "../c/evaluate.js";

export type ArmSide = "then" | "else";

export interface ConditionFacts {
  thenCond: IrCond;
  elseCond: IrCond;
  thenAbi?: { abi: number; negated: boolean };
  elseAbi?: { abi: number; negated: boolean };
  /** The arm that runs as root. */
  privileged?: ArmSide;
  /** The arm that runs on a worker thread. */
  workerSide?: ArmSide;
}

export type WorkerFlag = "isMainThread" | "parentPort" | "threadId";

export interface ConditionContext {
  scope: EvalScope;
  /** The expression holds the result of a Landlock call whose failure is a non-zero value. */
  isLandlockResult(e: Expr): boolean;
  /** The expression names a worker_threads flag. */
  workerFlag(e: Expr): WorkerFlag | undefined;
}

const EUID_CALLS = /^(?:process\.)?get(?:e)?uid$/;

export function analyzeJsCondition(e: Expr, shown: string, ctx: ConditionContext): ConditionFacts {
  const abi = abiFacts(e, ctx.scope);
  let thenCond: IrCond | undefined;
  let elseCond: IrCond | undefined;
  const facts: Partial<ConditionFacts> = {};
  if (abi.whenTrue) {
    thenCond = { kind: "abi-at-least", abi: abi.whenTrue.abi, negated: abi.whenTrue.negated };
    facts.thenAbi = abi.whenTrue;
  }
  if (abi.whenFalse) {
    elseCond = { kind: "abi-at-least", abi: abi.whenFalse.abi, negated: abi.whenFalse.negated };
    facts.elseAbi = abi.whenFalse;
  }
  const failure = failureSide(e, ctx, 0);
  if (failure === "then" && !thenCond) thenCond = { kind: "error-path" };
  if (failure === "else" && !elseCond) elseCond = { kind: "error-path" };
  const privileged = privilegedSide(e);
  if (privileged) facts.privileged = privileged;
  const worker = workerSide(e, ctx, 0);
  if (worker) facts.workerSide = worker;
  return {
    ...facts,
    thenCond: thenCond ?? { kind: "other", text: shown },
    elseCond: elseCond ?? { kind: "other", text: `!(${shown})` },
  };
}

function isZero(e: Expr): boolean {
  return e.k === "num" && e.v === 0n;
}

function isMinusOne(e: Expr): boolean {
  return (e.k === "un" && e.op === "-" && e.e.k === "num" && e.e.v === 1n) || (e.k === "num" && BigInt.asIntN(64, e.v) === -1n);
}

function flip(side: ArmSide | undefined): ArmSide | undefined {
  return side === "then" ? "else" : side === "else" ? "then" : undefined;
}

const MIRROR: Record<string, string> = { "<": ">", ">": "<", "<=": ">=", ">=": "<=" };

/** Which arm handles the failure of a Landlock call tested by `e`. */
function failureSide(e: Expr, ctx: ConditionContext, depth: number): ArmSide | undefined {
  if (depth > 16) return undefined;
  if (ctx.isLandlockResult(e)) return "then";
  switch (e.k) {
    case "un":
      return e.op === "!" ? flip(failureSide(e.e, ctx, depth + 1)) : undefined;
    case "bin": {
      if (e.op === "||" || e.op === "&&") {
        const l = failureSide(e.l, ctx, depth + 1);
        const r = failureSide(e.r, ctx, depth + 1);
        if (e.op === "||") return l === "then" || r === "then" ? "then" : undefined;
        return l === "else" || r === "else" ? "else" : l === "then" || r === "then" ? "then" : undefined;
      }
      let other: Expr;
      let op = e.op;
      if (ctx.isLandlockResult(e.l)) other = e.r;
      else if (ctx.isLandlockResult(e.r)) {
        other = e.l;
        op = MIRROR[op] ?? op;
      } else return undefined;
      if (isZero(other)) {
        if (op === "!=" || op === "<") return "then";
        if (op === "==" || op === ">=") return "else";
        return undefined;
      }
      if (isMinusOne(other)) {
        if (op === "==" || op === "<=") return "then";
        if (op === "!=" || op === ">") return "else";
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `process.geteuid() === 0`: the then-arm runs as root; `!== 0`: the else-arm does. */
function privilegedSide(e: Expr): ArmSide | undefined {
  if (e.k !== "bin" || (e.op !== "==" && e.op !== "!=")) return undefined;
  const isEuid = (x: Expr) => x.k === "call" && EUID_CALLS.test(x.callee);
  const other = isEuid(e.l) ? e.r : isEuid(e.r) ? e.l : undefined;
  if (!other || !isZero(other)) return undefined;
  return e.op === "==" ? "then" : "else";
}

/** Which arm runs on a worker thread: `!isMainThread`, `parentPort`, `parentPort !== null`, `threadId !== 0`. */
function workerSide(e: Expr, ctx: ConditionContext, depth: number): ArmSide | undefined {
  if (depth > 8) return undefined;
  const flag = ctx.workerFlag(e);
  if (flag === "isMainThread") return "else";
  if (flag === "parentPort") return "then";
  if (flag === "threadId") return "then";
  if (e.k === "un" && e.op === "!") return flip(workerSide(e.e, ctx, depth + 1));
  if (e.k !== "bin" || (e.op !== "==" && e.op !== "!=")) return undefined;
  const leftFlag = ctx.workerFlag(e.l);
  const flagged = leftFlag ? { flag: leftFlag, other: e.r } : ctx.workerFlag(e.r) ? { flag: ctx.workerFlag(e.r)!, other: e.l } : undefined;
  if (!flagged) return undefined;
  const equal = e.op === "==";
  const { flag: f, other } = flagged;
  if (f === "isMainThread" && other.k === "num") {
    // isMainThread === true / false
    const mainWhenTrue = (other.v !== 0n) === equal;
    return mainWhenTrue ? "else" : "then";
  }
  if ((f === "parentPort" && (isZero(other) || (other.k === "id" && other.name === "null"))) || (f === "threadId" && isZero(other))) {
    // parentPort === null / threadId === 0: the main thread.
    return equal ? "else" : "then";
  }
  return undefined;
}
