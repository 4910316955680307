// Applies text edits (from fixes) to a text. Edits must come from one version of the text;
// an edit that overlaps one already taken is left out, so the result is always well formed
// and what was left out is reported by linting again.

import type { TextEdit } from "./findings.js";

export interface AppliedFixes {
  text: string;
  applied: TextEdit[];
  skipped: TextEdit[];
}

export function applyFixesDetailed(text: string, edits: readonly TextEdit[]): AppliedFixes {
  const ordered = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.range.start.offset - b.edit.range.start.offset || a.edit.range.end.offset - b.edit.range.end.offset || a.index - b.index);
  const applied: TextEdit[] = [];
  const skipped: TextEdit[] = [];
  let out = "";
  let cursor = 0;
  for (const { edit } of ordered) {
    const start = edit.range.start.offset;
    const end = edit.range.end.offset;
    if (start < cursor || end < start || end > text.length) {
      skipped.push(edit);
      continue;
    }
    out += text.slice(cursor, start) + edit.text;
    cursor = end;
    applied.push(edit);
  }
  out += text.slice(cursor);
  return { text: out, applied, skipped };
}

/** The text with every non-overlapping edit applied (earlier edits win on overlap). */
export function applyFixes(text: string, edits: readonly TextEdit[]): string {
  return applyFixesDetailed(text, edits).text;
}
