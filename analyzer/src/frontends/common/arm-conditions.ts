// What every front-end reads alike from an `if`/`switch` condition: the ABI test of each
// arm, the arm that handles a failed Landlock call, and the condition's own text for an arm
// that is neither. The language-specific readings (which expression is a Landlock result, a
// fork, a root check) stay with each front-end.

import type { IrCond } from "../../ir.js";
import type { AbiFacts, AbiTest } from "../c/evaluate.js";

export type ArmSide = "then" | "else";

export interface ArmConditions {
  thenCond?: IrCond;
  elseCond?: IrCond;
  /** The arm where the ABI is known to be at least / below something (for env merging). */
  thenAbi?: AbiTest;
  elseAbi?: AbiTest;
}

/** An ABI test names its arms first; the failure of a Landlock call names the arm it leaves alone. */
export function abiAndFailureConditions(abi: AbiFacts, failure: ArmSide | undefined): ArmConditions {
  const facts: ArmConditions = {};
  if (abi.whenTrue) {
    facts.thenCond = { kind: "abi-at-least", abi: abi.whenTrue.abi, negated: abi.whenTrue.negated };
    facts.thenAbi = abi.whenTrue;
  }
  if (abi.whenFalse) {
    facts.elseCond = { kind: "abi-at-least", abi: abi.whenFalse.abi, negated: abi.whenFalse.negated };
    facts.elseAbi = abi.whenFalse;
  }
  if (failure === "then" && !facts.thenCond) facts.thenCond = { kind: "error-path" };
  if (failure === "else" && !facts.elseCond) facts.elseCond = { kind: "error-path" };
  return facts;
}

/** An arm nothing else describes gets the condition's source text (without comments, at most 160 characters). */
export function describeOtherArms(facts: ArmConditions, text: string): void {
  const shown = text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, " ").replace(/\s+/g, " ").trim().slice(0, 160);
  facts.thenCond ??= { kind: "other", text: shown };
  facts.elseCond ??= { kind: "other", text: `!(${shown})` };
}

export function flip(side: ArmSide | undefined): ArmSide | undefined {
  return side === "then" ? "else" : side === "else" ? "then" : undefined;
}

const MIRRORED: Record<string, string> = { "<": ">", ">": "<", "<=": ">=", ">=": "<=" };

/** The comparison that holds with its operands swapped (`0 < rc` is `rc > 0`). */
export function mirrorComparison(op: string): string {
  return MIRRORED[op] ?? op;
}
