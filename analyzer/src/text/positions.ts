// Converts between offsets and the IR's positions (line 1-based, column 0-based, both in
// UTF-16 code units, like JavaScript strings and LSP's default encoding).

import type { Position, Range } from "../ir.js";

export class LineIndex {
  /** Offset at which each line starts (index 0 = line 1). */
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.starts[lo]!, offset: clamped };
  }

  range(startOffset: number, endOffset: number): Range {
    return { start: this.position(startOffset), end: this.position(endOffset) };
  }

  /** Offset of the first character of a 1-based line (the text length past the last line). */
  lineStart(line: number): number {
    if (line < 1) return 0;
    return line <= this.starts.length ? this.starts[line - 1]! : this.text.length;
  }

  /** Offset just past the last character of a line, before its line break. */
  lineEnd(line: number): number {
    const next = line < this.starts.length ? this.starts[line]! : this.text.length;
    let end = next;
    while (end > this.lineStart(line) && (this.text[end - 1] === "\n" || this.text[end - 1] === "\r")) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

/** True when `inner` lies within `outer` (by offsets). */
export function rangeContains(outer: Range, inner: Range): boolean {
  return outer.start.offset <= inner.start.offset && inner.end.offset <= outer.end.offset;
}

export function compareRanges(a: Range, b: Range): number {
  return a.start.offset - b.start.offset || a.end.offset - b.end.offset;
}
