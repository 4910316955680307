// `--format stylish` (the default): ESLint's stylish layout. One block per file
// (`line:col  severity  message  rule`), explanations indented under their finding with
// --explain, files that could not be analysed, then the summary and the fixable count.

import { displayPath } from "../walk.js";
import { countProblems, type LintRun, type ReportedFinding } from "../result.js";
import { palette, visibleLength, type Palette } from "../color.js";
import type { FormatContext, Formatter } from "./formatter.js";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, " ").trim();
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - visibleLength(text)));
}

function findingRows(findings: readonly ReportedFinding[], c: Palette): string[] {
  const cells = findings.map((f) => [
    c.dim(`${f.range.start.line}:${f.range.start.column + 1}`),
    f.severity === "error" ? c.red("error") : c.yellow("warning"),
    oneLine(f.message),
    c.dim(f.ruleId),
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...cells.map((row) => visibleLength(row[i]!))));
  const lines: string[] = [];
  cells.forEach((row, index) => {
    lines.push(`  ${row.map((cell, i) => (i < 3 ? pad(cell, widths[i]!) : cell)).join("  ")}`.trimEnd());
    const explanation = findings[index]!.explanation;
    if (explanation !== undefined) {
      lines.push(...explanation.trimEnd().split("\n").map((l) => `      ${l}`.trimEnd()), "");
    }
  });
  return lines;
}

export function formatStylish(run: LintRun, context: FormatContext): string {
  const c = palette(context.color);
  const out: string[] = [];
  const byFile = new Map<string, ReportedFinding[]>();
  for (const file of run.files) {
    for (const finding of file.findings) {
      const shown = displayPath(run.cwd, finding.file);
      const list = byFile.get(shown);
      if (list) list.push(finding);
      else byFile.set(shown, [finding]);
    }
  }
  const parseErrors = new Map(run.files.map((f) => [displayPath(run.cwd, f.path), f.parseErrors]));
  for (const [file, findings] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.push("", c.underline(file));
    const unparsed = parseErrors.get(file) ?? 0;
    if (unparsed > 0) out.push(c.dim(`  (${plural(unparsed, "region")} did not parse; the findings cover the rest)`));
    out.push(...findingRows(findings, c));
  }
  if (run.errors.length > 0) {
    out.push("", c.bold("Could not analyse:"));
    const rows = run.errors.map((e) => [displayPath(run.cwd, e.path), e.message] as const);
    const width = Math.max(...rows.map(([f]) => f.length));
    for (const [file, message] of rows) out.push(`  ${c.underline(file)}${" ".repeat(width - file.length)}  ${oneLine(message)}`);
  }
  const counts = countProblems(run);
  const problems = counts.errors + counts.warnings;
  if (problems > 0) {
    const color = counts.errors > 0 ? c.red : c.yellow;
    out.push(
      "",
      color(c.bold(`\u2716 ${plural(problems, "problem")} (${plural(counts.errors, "error")}, ${plural(counts.warnings, "warning")})`)),
    );
    if (counts.fixableErrors + counts.fixableWarnings > 0) {
      out.push(
        color(c.bold(`  ${plural(counts.fixableErrors, "error")} and ${plural(counts.fixableWarnings, "warning")} potentially fixable with the \`--fix\` option.`)),
      );
    }
  }
  if (run.errors.length > 0) {
    out.push(...(problems > 0 ? [] : [""]), c.red(c.bold(`\u2716 ${plural(run.errors.length, "path")} could not be analysed`)));
  }
  return out.length > 0 ? out.join("\n") + "\n\n" : "";
}

export const formatter: Formatter = {
  name: "stylish",
  description: "human-readable, grouped by file (the default)",
  format: formatStylish,
};
