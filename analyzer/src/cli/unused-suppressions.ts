// --report-unused-suppressions: suppression comments that silenced nothing become findings
// of their own (`landlock/unused-suppression`, an error, as ESLint reports unused disable
// directives), so every output format shows them and the exit code counts them. Which
// directives were used is the analyzer's own account (FileReport.suppressions).

import type { DirectiveInfo, RuleId } from "../findings.js";
import { stableHash } from "../text/hash.js";
import { compareFindings, type LintRun, type ReportedFinding } from "./result.js";
import { reportPath } from "./report-paths.js";

/** Not a rule of the catalogue: the id these findings carry in every format. */
export const UNUSED_SUPPRESSION_ID: string = "landlock/unused-suppression";

function directiveText(d: DirectiveInfo): string {
  const rules = d.rules === "all" ? "" : ` ${d.rules.map((r) => (d.family === "eslint" ? `landlock/${r}` : r)).join(", ")}`;
  return `${d.family}-${d.kind}${rules}`;
}

function describe(d: DirectiveInfo): string {
  const what = d.rules === "all" ? "any landlock rule" : d.rules.map((r) => `landlock/${r}`).join(" or ");
  const where = d.kind === "disable-next-line" ? "on the next line" : d.kind === "disable-line" ? "on this line" : "in the code it covers";
  return `Unused suppression: \`${directiveText(d)}\` silences nothing (no finding of ${what} ${where}).`;
}

/** The unused directives of a file as findings (file: absolute path of the file). */
export function unusedSuppressionFindings(cwd: string, file: string, directives: readonly DirectiveInfo[]): ReportedFinding[] {
  const seen = new Map<string, number>();
  return directives.map((d) => {
    const base = ["unused-suppression", reportPath(cwd, file), directiveText(d), d.reason ?? ""].join("\u0000");
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    return {
      ruleId: UNUSED_SUPPRESSION_ID as RuleId,
      severity: "error",
      file,
      range: d.range,
      message: describe(d),
      related: [],
      fixes: [],
      fingerprint: stableHash(`${base}\u0000${occurrence}`),
    };
  });
}

/** Adds each file's unused directives to its findings (in place, keeping the report order). */
export function reportUnusedSuppressions(run: LintRun): LintRun {
  for (const file of run.files) {
    const unused = file.unusedSuppressions ?? [];
    if (unused.length === 0) continue;
    file.findings.push(...unusedSuppressionFindings(run.cwd, file.path, unused));
    file.findings.sort(compareFindings);
  }
  return run;
}
