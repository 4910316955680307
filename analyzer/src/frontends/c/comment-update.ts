// Comments of a file after an edit, from those of the previous version: collecting them
// afresh walks the whole tree inside WebAssembly (most of an edit's cost on a large file).
// Only comments touching where the text or the syntax changed are looked up in the new
// tree; the others are the previous ones, moved by the edit.

import type { ParseChange } from "../parse-cache.js";
import type { Node } from "../treesitter.js";
import type { Comment, LineIndex } from "./comments.js";

interface Span {
  start: number;
  end: number;
}

/** The changed spans (new-text offsets), sorted and merged; touching spans merge. */
function dirtySpans(change: ParseChange): Span[] {
  const spans = [{ start: change.start, end: change.newEnd }, ...change.ranges].sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

const touches = (start: number, end: number, spans: Span[]) => spans.some((s) => start <= s.end && end >= s.start);

/**
 * The comments of the new text. `previous` are the comments of the text the change was
 * made to; `lines` indexes the new text.
 */
export function updateComments(root: Node, text: string, lines: LineIndex, previous: readonly Comment[], change: ParseChange): Comment[] {
  const spans = dirtySpans(change);
  const delta = change.newEnd - change.oldEnd;
  const kept: Comment[] = [];
  for (const c of previous) {
    const s = c.range.start.offset;
    const e = c.range.end.offset;
    // Overlapping (or touching) the replaced text: it is looked up again.
    if (e >= change.start && s <= change.oldEnd) continue;
    const after = s > change.oldEnd;
    const moved = after ? delta : 0;
    if (touches(s + moved, e + moved, spans)) continue;
    // After the edit, lines and columns move even when offsets do not (a newline replaced by a space).
    kept.push(after ? { range: { start: lines.position(s + moved), end: lines.position(e + moved) }, text: c.text } : c);
  }
  const fresh: Comment[] = [];
  for (const span of spans) {
    // The query keeps nodes overlapping the range; one more code unit each side catches touching ones.
    const from = lines.position(Math.max(0, span.start - 1));
    const to = lines.position(Math.min(text.length, span.end + 1));
    for (const node of root.descendantsOfType("comment", { row: from.line - 1, column: from.column }, { row: to.line - 1, column: to.column })) {
      const start = node.startIndex;
      const end = node.endIndex;
      if (!touches(start, end, spans)) continue;
      if (fresh.some((f) => f.range.start.offset === start)) continue;
      fresh.push({ range: { start: lines.position(start), end: lines.position(end) }, text: text.slice(start, end) });
    }
  }
  if (fresh.length === 0) return kept;
  return [...kept, ...fresh].sort((a, b) => a.range.start.offset - b.range.start.offset);
}
