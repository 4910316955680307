// `--format codequality`: GitLab Code Quality (a Code Climate issue list) for the
// `artifacts: reports: codequality` report of a merge request. Errors are "major",
// warnings "minor"; the fingerprint is the analyzer's, which GitLab uses to tell new
// issues from old ones across commits.

import type { LintRun } from "../result.js";
import { reportPath } from "../report-paths.js";
import type { Formatter } from "./formatter.js";

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: "info" | "minor" | "major" | "critical" | "blocker";
  location: { path: string; lines: { begin: number; end: number } };
  type: "issue";
  categories: string[];
}

export function toCodeQuality(run: LintRun): CodeQualityIssue[] {
  const seen = new Map<string, number>();
  return run.files.flatMap((file) =>
    file.findings.map((finding): CodeQualityIssue => {
      // GitLab needs unique fingerprints within a report; the analyzer's already are, but
      // two runs' files merged into one report must not collide silently.
      const count = seen.get(finding.fingerprint) ?? 0;
      seen.set(finding.fingerprint, count + 1);
      return {
        description: `${finding.ruleId}: ${finding.message}`,
        check_name: finding.ruleId,
        fingerprint: count === 0 ? finding.fingerprint : `${finding.fingerprint}-${count + 1}`,
        severity: finding.severity === "error" ? "major" : "minor",
        location: { path: reportPath(run.cwd, finding.file), lines: { begin: finding.range.start.line, end: finding.range.end.line } },
        type: "issue",
        categories: ["Security"],
      };
    }),
  );
}

export const formatter: Formatter = {
  name: "codequality",
  description: "GitLab Code Quality report (artifacts:reports:codequality)",
  format: (run) => JSON.stringify(toCodeQuality(run), null, 2) + "\n",
};
