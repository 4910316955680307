// Reads what an `if`/`switch` condition of a Go program means for Landlock: an ABI test
// (`abi >= 8`, `err != nil || abi < 8`), the error check of a Landlock call
// (`errno != 0`, `err != nil`, `errors.Is(err, unix.EINVAL)`), or a root check
// (`os.Geteuid() != 0`).

import type { IrCond } from "../../ir.js";
import { abiFacts, type EvalScope } from "../c/evaluate.js";
import type { Expr } from "./expr.js";

export type ArmSide = "then" | "else";

export interface ConditionFacts {
  thenCond?: IrCond;
  elseCond?: IrCond;
  thenAbi?: { abi: number; negated: boolean };
  elseAbi?: { abi: number; negated: boolean };
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
  const facts: ConditionFacts = {};
  const abi = abiFacts(e, ctx.scope);
  if (abi.whenTrue) {
    facts.thenCond = { kind: "abi-at-least", abi: abi.whenTrue.abi, negated: abi.whenTrue.negated };
    facts.thenAbi = abi.whenTrue;
  }
  if (abi.whenFalse) {
    facts.elseCond = { kind: "abi-at-least", abi: abi.whenFalse.abi, negated: abi.whenFalse.negated };
    facts.elseAbi = abi.whenFalse;
  }
  const failure = failureSide(e, ctx, 0);
  if (failure === "then" && !facts.thenCond) facts.thenCond = { kind: "error-path" };
  if (failure === "else" && !facts.elseCond) facts.elseCond = { kind: "error-path" };
  const privileged = privilegedSide(e);
  if (privileged) facts.privileged = privileged;
  const shown = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, " ").replace(/\s+/g, " ").trim().slice(0, 160);
  facts.thenCond ??= { kind: "other", text: shown };
  facts.elseCond ??= { kind: "other", text: `!(${shown})` };
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
        op = ({ "<": ">", ">": "<", "<=": ">=", ">=": "<=" } as Record<string, string>)[op] ?? op;
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

function flip(side: ArmSide | undefined): ArmSide | undefined {
  return side === "then" ? "else" : side === "else" ? "then" : undefined;
}

/** `os.Geteuid() == 0`: the then-arm runs as root; `!= 0`: the else-arm does. */
function privilegedSide(e: Expr): ArmSide | undefined {
  if (e.k !== "bin" || (e.op !== "==" && e.op !== "!=")) return undefined;
  const isEuid = (x: Expr) => x.k === "call" && EUID_CALLS.test(x.callee);
  const other = isEuid(e.l) ? e.r : isEuid(e.r) ? e.l : undefined;
  if (!other || other.k !== "num" || other.v !== 0n) return undefined;
  return e.op === "==" ? "then" : "else";
}
