// Analyzer objects -> LSP objects. Positions: the analyzer counts lines from 1 and columns
// in UTF-16 code units; LSP counts lines from 0 and (by default) UTF-16 code units too.

import { pathToFileURL } from "node:url";
import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Position as LspPosition,
  type Range as LspRange,
} from "vscode-languageserver";
import { RULE_META, parseRuleName, type FileReport, type Finding, type Range } from "@landlock-lint/analyzer";

export const DIAGNOSTIC_SOURCE = "landlock";

export function toLspRange(range: Range): LspRange {
  return {
    start: { line: range.start.line - 1, character: range.start.column },
    end: { line: range.end.line - 1, character: range.end.column },
  };
}

export function fileUri(path: string): string {
  return pathToFileURL(path).toString();
}

/** Whether an LSP position lies in an analyzer range (ends inclusive, so the cursor right after a name counts). */
export function rangeContains(range: Range, pos: LspPosition): boolean {
  const line = pos.line + 1;
  if (line < range.start.line || line > range.end.line) return false;
  if (line === range.start.line && pos.character < range.start.column) return false;
  if (line === range.end.line && pos.character > range.end.column) return false;
  return true;
}

/** Whether an analyzer range and an LSP range share at least a point. */
export function rangesTouch(range: Range, lsp: LspRange): boolean {
  const a = toLspRange(range);
  const before = (p: LspPosition, q: LspPosition) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, lsp.start) && !before(lsp.end, a.start);
}

/** Data kept on each diagnostic so code actions find their finding again. */
export interface DiagnosticData {
  fingerprint: string;
}

export function findingToDiagnostic(finding: Finding, uriOf: (file: string) => string = fileUri): Diagnostic {
  const rule = parseRuleName(finding.ruleId);
  const related: DiagnosticRelatedInformation[] = finding.related.map((r) => ({
    location: { uri: uriOf(r.file), range: toLspRange(r.range) },
    message: r.message,
  }));
  const diagnostic: Diagnostic = {
    range: toLspRange(finding.range),
    severity: finding.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: finding.ruleId,
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    data: { fingerprint: finding.fingerprint } satisfies DiagnosticData,
  };
  if (rule) diagnostic.codeDescription = { href: RULE_META[rule].docsUrl };
  if (related.length > 0) diagnostic.relatedInformation = related;
  return diagnostic;
}

/**
 * Every diagnostic of a report: the findings; suppression comments that silence nothing
 * (faded, as unnecessary code); malformed directives; and analysis errors (a bad config
 * file, a budget exceeded) on the first line, so the user learns why findings may be missing.
 */
export function reportDiagnostics(report: FileReport, uriOf: (file: string) => string = fileUri): Diagnostic[] {
  const out = report.findings.map((f) => findingToDiagnostic(f, uriOf));
  for (const d of report.suppressions?.unused ?? []) {
    out.push({
      range: toLspRange(d.range),
      severity: DiagnosticSeverity.Hint,
      source: DIAGNOSTIC_SOURCE,
      message: `unused ${d.family}-${d.kind} directive: no ${d.rules === "all" ? "landlock" : d.rules.map((r) => `landlock/${r}`).join(", ")} finding to silence here`,
      tags: [DiagnosticTag.Unnecessary],
    });
  }
  for (const p of report.suppressions?.problems ?? []) {
    out.push({ range: toLspRange(p.range), severity: DiagnosticSeverity.Warning, source: DIAGNOSTIC_SOURCE, message: p.message });
  }
  for (const e of report.errors ?? []) {
    out.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Information,
      source: DIAGNOSTIC_SOURCE,
      message: `landlock analysis incomplete: ${e.message}`,
    });
  }
  return out;
}
