// The outcome of one CLI run, in the analyzer's own terms (findings with absolute paths,
// 0-based columns, scenarios), plus the conversion to the published JSON shape
// (`schema/output.schema.json`: cwd-relative paths, 1-based columns, stable order).
// Formatters read a LintRun; the JSON formatter and the exit code read the same data.

import type { DirectiveInfo, Finding, Severity } from "../findings.js";
import type { Range } from "../ir.js";
import { displayPath } from "./walk.js";

export interface ReportedFinding extends Finding {
  /** The simulated consequence, with --explain. */
  explanation?: string;
}

export interface LintedFile {
  /** Absolute path. */
  path: string;
  language: string;
  parseErrors: number;
  findings: ReportedFinding[];
  /** The fixed text (--fix-dry-run), when fixes changed it. */
  output?: string;
  /** Suppression directives that silenced nothing (for --report-unused-suppressions). */
  unusedSuppressions?: DirectiveInfo[];
}

export interface RunError {
  /** Absolute path, or the argument as typed when no file stands behind it. */
  path: string;
  message: string;
}

export interface LintRun {
  cwd: string;
  files: LintedFile[];
  errors: RunError[];
}

export interface ProblemCounts {
  errors: number;
  warnings: number;
  fixableErrors: number;
  fixableWarnings: number;
}

export function isAutoFixable(finding: Finding): boolean {
  return finding.fixes.some((fix) => fix.kind === "fix");
}

export function countProblems(run: LintRun): ProblemCounts {
  const counts: ProblemCounts = { errors: 0, warnings: 0, fixableErrors: 0, fixableWarnings: 0 };
  for (const file of run.files) {
    for (const finding of file.findings) {
      const fixable = isAutoFixable(finding);
      if (finding.severity === "error") {
        counts.errors++;
        if (fixable) counts.fixableErrors++;
      } else {
        counts.warnings++;
        if (fixable) counts.fixableWarnings++;
      }
    }
  }
  return counts;
}

/** The run with warnings dropped (--quiet); counting for --max-warnings uses the full run. */
export function errorsOnly(run: LintRun): LintRun {
  return { ...run, files: run.files.map((f) => ({ ...f, findings: f.findings.filter((x) => x.severity === "error") })) };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders findings by file, line, column, rule (then message, so ties are stable too). */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.file, b.file) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.message, b.message)
  );
}

/** Sorts files, findings and errors in place into the order every output uses. */
export function sortRun(run: LintRun): LintRun {
  run.files.sort((a, b) => compareStrings(a.path, b.path));
  for (const file of run.files) file.findings.sort(compareFindings);
  run.errors.sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.message, b.message));
  return run;
}

// ---- The published JSON shape ----

export interface JsonPosition {
  line: number;
  column: number;
  offset: number;
}

export interface JsonFinding {
  ruleId: string;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  related: { file: string; line: number; column: number; message: string }[];
  fixes: {
    kind: "fix" | "suggestion";
    description: string;
    edits: { file: string; range: { start: JsonPosition; end: JsonPosition }; text: string }[];
  }[];
  explanation?: string;
}

export interface JsonOutput {
  findings: JsonFinding[];
  files: { file: string; language: string; parseErrors: number; output?: string }[];
  errors: { file: string; message: string }[];
}

function jsonRange(range: Range): { start: JsonPosition; end: JsonPosition } {
  return {
    start: { line: range.start.line, column: range.start.column + 1, offset: range.start.offset },
    end: { line: range.end.line, column: range.end.column + 1, offset: range.end.offset },
  };
}

export function toJsonFinding(cwd: string, finding: ReportedFinding): JsonFinding {
  const out: JsonFinding = {
    ruleId: finding.ruleId,
    severity: finding.severity,
    file: displayPath(cwd, finding.file),
    line: finding.range.start.line,
    column: finding.range.start.column + 1,
    endLine: finding.range.end.line,
    endColumn: finding.range.end.column + 1,
    message: finding.message,
    related: finding.related.map((r) => ({
      file: displayPath(cwd, r.file),
      line: r.range.start.line,
      column: r.range.start.column + 1,
      message: r.message,
    })),
    fixes: finding.fixes.map((fix) => ({
      kind: fix.kind,
      description: fix.description,
      edits: fix.edits.map((e) => ({ file: displayPath(cwd, e.file), range: jsonRange(e.range), text: e.text })),
    })),
  };
  if (finding.explanation !== undefined) out.explanation = finding.explanation;
  return out;
}

export function toJsonOutput(run: LintRun): JsonOutput {
  const findings = run.files
    .flatMap((f) => f.findings)
    .map((f) => toJsonFinding(run.cwd, f))
    .sort(
      (a, b) =>
        compareStrings(a.file, b.file) || a.line - b.line || a.column - b.column || compareStrings(a.ruleId, b.ruleId) || compareStrings(a.message, b.message),
    );
  const files = run.files
    .map((f) => {
      const entry: JsonOutput["files"][number] = { file: displayPath(run.cwd, f.path), language: f.language, parseErrors: f.parseErrors };
      if (f.output !== undefined) entry.output = f.output;
      return entry;
    })
    .sort((a, b) => compareStrings(a.file, b.file));
  const errors = run.errors
    .map((e) => ({ file: displayPath(run.cwd, e.path), message: e.message }))
    .sort((a, b) => compareStrings(a.file, b.file) || compareStrings(a.message, b.message));
  return { findings, files, errors };
}
