// Severities of the `recommended` preset (design.md, rule catalogue): the precise rules
// are errors; the heuristic ones, where correct code can look like the problem, warn.
// `strict` makes every rule an error.

import type { RuleName } from "@landlock-lint/analyzer";

export type PresetSeverity = "error" | "warn";

export const RECOMMENDED_SEVERITY: Readonly<Record<RuleName, PresetSeverity>> = {
  "single-thread-restrict": "error",
  "thread-routine-restrict": "error",
  "per-thread-scope-conflict": "warn",
  "scope-signal-conflict": "error",
  "scope-abstract-unix-conflict": "error",
  "missing-no-new-privs": "error",
  "unchecked-restrict-result": "error",
  "abi-compat": "error",
  "nesting-limit": "warn",
  "unsafe-tsync-fallback": "warn",
};
