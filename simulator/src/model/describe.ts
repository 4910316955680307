// How calls are written in trace events: close to the C a reader would recognise.

import type { RestrictFlag } from "../scenario.js";
import { RESTRICT_FLAG_NAME } from "./abi.js";

export function flagList(flags: readonly RestrictFlag[]): string {
  return flags.length === 0 ? "0" : flags.map((f) => RESTRICT_FLAG_NAME[f]).join("|");
}

export function restrictCall(ruleset: string | -1, flags: readonly RestrictFlag[]): string {
  return `restrict_self(${ruleset === -1 ? "-1" : ruleset}, ${flagList(flags)})`;
}

/** "w1", "w1 and w2", "w1, w2 and w3". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
