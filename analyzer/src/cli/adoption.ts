// The options that make adopting landlock-lint on an existing code base painless, applied
// to a finished run before it is formatted: --report-unused-suppressions, then
// --write-baseline (records everything found) and --baseline (reports only what is new).

import { resolve } from "node:path";
import { applyBaseline, BaselineError, readBaseline, writeBaseline } from "./baseline.js";
import type { LintRun } from "./result.js";
import { reportUnusedSuppressions } from "./unused-suppressions.js";
import { UsageError } from "./options.js";

export interface AdoptionOptions {
  baseline?: string;
  writeBaseline?: string;
  reportUnusedSuppressions?: boolean;
}

export interface Adoption {
  /** The run to report, and lines for stderr. */
  apply(run: LintRun): { run: LintRun; notes: string[] };
}

function usage<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof BaselineError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Reads --baseline before any file is linted, so a missing or malformed baseline fails
 * fast (a UsageError naming the file and the JSON path of the problem).
 */
export function prepareAdoption(cwd: string, options: AdoptionOptions): Adoption {
  const baseline =
    options.baseline !== undefined && options.writeBaseline === undefined
      ? usage(() => readBaseline(resolve(cwd, options.baseline!), options.baseline))
      : undefined;
  return {
    apply(run) {
      const notes: string[] = [];
      let result = options.reportUnusedSuppressions ? reportUnusedSuppressions(run) : run;
      if (options.writeBaseline !== undefined) {
        const path = resolve(cwd, options.writeBaseline);
        const count = usage(() => writeBaseline(path, result));
        notes.push(`wrote ${count} finding${count === 1 ? "" : "s"} to the baseline ${options.writeBaseline}`);
        // What was just recorded is not new: report as --baseline with this file would.
        result = applyBaseline(result, usage(() => readBaseline(path, options.writeBaseline))).run;
      } else if (baseline) {
        const outcome = applyBaseline(result, baseline);
        result = outcome.run;
        if (outcome.stale > 0) {
          notes.push(
            `${outcome.stale} finding${outcome.stale === 1 ? "" : "s"} in the baseline ${options.baseline} no longer occur${outcome.stale === 1 ? "s" : ""}; ` +
              `refresh it with --write-baseline ${options.baseline}`,
          );
        }
      }
      return { run: result, notes };
    },
  };
}
