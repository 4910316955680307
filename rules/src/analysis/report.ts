// An analyzer finding as an ESLint report: the same range and message, the automatic fix
// (kind "fix") as `fix`, every suggestion (kind "suggestion") as a suggestion. Edits in
// another file cannot go through ESLint's fixer (it only edits the file being linted), so
// a fix or suggestion that needs one is left out rather than applied half-way.

import type { Finding, Fix, Range } from "@landlock-lint/analyzer";

export interface Loc {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

export interface TextReplacement {
  range: [number, number];
  text: string;
}

export interface FindingReport {
  loc: Loc;
  message: string;
  fix?: TextReplacement[];
  suggestions: { description: string; edits: TextReplacement[] }[];
}

/** ESLint columns are 0-based in reports, like the analyzer's (both count UTF-16 code units). */
export function toLoc(range: Range): Loc {
  return {
    start: { line: range.start.line, column: range.start.column },
    end: { line: range.end.line, column: range.end.column },
  };
}

function editsIn(file: string, fix: Fix): TextReplacement[] | undefined {
  if (fix.edits.length === 0 || fix.edits.some((e) => e.file !== file)) return undefined;
  return fix.edits.map((e) => ({ range: [e.range.start.offset, e.range.end.offset], text: e.text }));
}

export function toReport(finding: Finding): FindingReport {
  let fix: TextReplacement[] | undefined;
  const suggestions: FindingReport["suggestions"] = [];
  for (const candidate of finding.fixes) {
    const edits = editsIn(finding.file, candidate);
    if (!edits) continue;
    if (candidate.kind === "fix") fix ??= edits;
    else suggestions.push({ description: candidate.description, edits });
  }
  return { loc: toLoc(finding.range), message: finding.message, ...(fix ? { fix } : {}), suggestions };
}
