// Exit codes, as ESLint's: 0 clean (warnings within --max-warnings), 1 error findings or
// too many warnings, 2 bad usage, a fatal problem, or any file that could not be analysed.

import { countProblems, type LintRun } from "./result.js";

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_TROUBLE = 2;

export const EXIT_CODE_MEANINGS: Readonly<Record<number, string>> = {
  [EXIT_CLEAN]: "no error findings (and warnings within --max-warnings)",
  [EXIT_FINDINGS]: "error findings, or more warnings than --max-warnings",
  [EXIT_TROUBLE]: "bad usage or configuration, or a file that could not be analysed",
};

export function tooManyWarnings(run: LintRun, maxWarnings: number): boolean {
  return maxWarnings >= 0 && countProblems(run).warnings > maxWarnings;
}

/** `run` must be the full run (before --quiet drops warnings). */
export function exitCodeFor(run: LintRun, maxWarnings: number): number {
  if (run.errors.length > 0) return EXIT_TROUBLE;
  if (countProblems(run).errors > 0 || tooManyWarnings(run, maxWarnings)) return EXIT_FINDINGS;
  return EXIT_CLEAN;
}
