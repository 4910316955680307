// reviewdog counts columns in UTF-8 bytes; the analyzer counts UTF-16 code units. The two
// differ only on lines with non-ASCII text, so each file is read (once) to convert; a file
// that cannot be read keeps its UTF-16 columns, which are right for ASCII lines anyway.

import { readFileSync } from "node:fs";
import type { Position } from "../ir.js";

export class Utf8Columns {
  private readonly lines = new Map<string, string[] | undefined>();

  constructor(private readonly read: (file: string) => string = (file) => readFileSync(file, "utf8")) {}

  private linesOf(file: string): string[] | undefined {
    if (!this.lines.has(file)) {
      let lines: string[] | undefined;
      try {
        lines = this.read(file).replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
      } catch {
        lines = undefined;
      }
      this.lines.set(file, lines);
    }
    return this.lines.get(file);
  }

  /** 1-based column in UTF-8 bytes of a position (0-based UTF-16 column). */
  column(file: string, position: Position): number {
    const line = this.linesOf(file)?.[position.line - 1];
    if (line === undefined) return position.column + 1;
    return Buffer.byteLength(line.slice(0, position.column), "utf8") + 1;
  }
}
