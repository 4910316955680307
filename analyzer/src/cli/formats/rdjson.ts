// `--format rdjson`: reviewdog's Diagnostic Format (rdjson), for
// `reviewdog -f=rdjson -reporter=github-pr-review` and the other reporters. Columns are
// UTF-8 bytes as reviewdog expects; one fix per finding becomes its suggestions (the
// automatic fix if there is one, else the first suggestion, and only when every edit is
// in the finding's own file: reviewdog applies all suggestions of a diagnostic together).

import type { Fix } from "../../findings.js";
import type { Range } from "../../ir.js";
import { RULE_META } from "../../rule-meta.js";
import { parseRuleName } from "../../rule-meta.js";
import type { LintRun, ReportedFinding } from "../result.js";
import { reportPath } from "../report-paths.js";
import { Utf8Columns } from "../utf8-columns.js";
import type { Formatter } from "./formatter.js";

const SOURCE = { name: "landlock-lint", url: "https://github.com/landlock-lint/landlock-lint" };

interface RdRange {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

function chosenFix(finding: ReportedFinding): Fix | undefined {
  const inFile = finding.fixes.filter((fix) => fix.edits.length > 0 && fix.edits.every((e) => e.file === finding.file));
  return inFile.find((fix) => fix.kind === "fix") ?? inFile[0];
}

export function toRdjson(run: LintRun, columns = new Utf8Columns()): object {
  const range = (file: string, r: Range): RdRange => ({
    start: { line: r.start.line, column: columns.column(file, r.start) },
    end: { line: r.end.line, column: columns.column(file, r.end) },
  });
  const diagnostics = run.files.flatMap((file) =>
    file.findings.map((finding) => {
      const rule = parseRuleName(finding.ruleId);
      const fix = chosenFix(finding);
      return {
        message: finding.message,
        location: { path: reportPath(run.cwd, finding.file), range: range(finding.file, finding.range) },
        severity: finding.severity === "error" ? "ERROR" : "WARNING",
        source: SOURCE,
        code: { value: finding.ruleId, ...(rule ? { url: RULE_META[rule].docsUrl } : {}) },
        ...(fix ? { suggestions: fix.edits.map((edit) => ({ range: range(edit.file, edit.range), text: edit.text })) } : {}),
        ...(finding.related.length > 0
          ? {
              related_locations: finding.related.map((related) => ({
                message: related.message,
                location: { path: reportPath(run.cwd, related.file), range: range(related.file, related.range) },
              })),
            }
          : {}),
      };
    }),
  );
  return { source: SOURCE, diagnostics };
}

export const formatter: Formatter = {
  name: "rdjson",
  description: "reviewdog Diagnostic Format (reviewdog -f=rdjson), fixes as suggestions",
  format: (run) => JSON.stringify(toRdjson(run), null, 2) + "\n",
};
