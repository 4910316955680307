// `--format github`: GitHub Actions workflow commands, which the runner turns into
// annotations on the pull request's diff. One line per finding (title: the rule id), the
// related locations appended to the message; files that could not be analysed become
// errors, regions that did not parse notices.

import type { ReportedFinding } from "../result.js";
import { reportPath } from "../report-paths.js";
import { workflowCommand } from "../workflow-commands.js";
import type { Formatter } from "./formatter.js";

function findingMessage(cwd: string, finding: ReportedFinding): string {
  const lines = [finding.message];
  for (const related of finding.related) {
    lines.push(`${reportPath(cwd, related.file)}:${related.range.start.line}:${related.range.start.column + 1}: ${related.message}`);
  }
  return lines.join("\n");
}

export const formatter: Formatter = {
  name: "github",
  description: "GitHub Actions workflow commands (annotations on the pull request)",
  format(run) {
    const out: string[] = [];
    for (const file of run.files) {
      for (const finding of file.findings) {
        const { start, end } = finding.range;
        out.push(
          workflowCommand(
            finding.severity,
            {
              file: reportPath(run.cwd, finding.file),
              line: start.line,
              endLine: end.line,
              // GitHub takes columns only for annotations within one line.
              col: end.line === start.line ? start.column + 1 : undefined,
              endColumn: end.line === start.line ? end.column + 1 : undefined,
              title: finding.ruleId,
            },
            findingMessage(run.cwd, finding),
          ),
        );
      }
      if (file.parseErrors > 0) {
        out.push(
          workflowCommand(
            "notice",
            { file: reportPath(run.cwd, file.path), title: "landlock-lint: parse errors" },
            `${file.parseErrors} region${file.parseErrors === 1 ? "" : "s"} did not parse; the findings cover the rest`,
          ),
        );
      }
    }
    for (const error of run.errors) {
      out.push(workflowCommand("error", { file: reportPath(run.cwd, error.path), title: "landlock-lint: could not analyse" }, error.message));
    }
    return out.length > 0 ? out.join("\n") + "\n" : "";
  },
};
