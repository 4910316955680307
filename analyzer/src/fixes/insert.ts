// Where a statement can be inserted before an op without changing what else runs: at the
// start of the op's line when that line starts the statement holding the op, otherwise
// at the top of the enclosing function's body. Every brace language we read (C, C++, Go,
// Rust, JS/TS) shares these rules.

import type { IrFunction, Language, Range } from "../ir.js";
import type { TextEdit } from "../findings.js";
import { LineIndex } from "../text/positions.js";

/** Text before the op on its line that still leaves the op as (part of) the first statement of that line. */
const STATEMENT_PREFIXES: RegExp[] = [
  /^$/,
  /^\(void\)\s*$/,
  /^return\s*$/,
  /^_\s*=\s*$/,
  // `if (`, `if (!`, `if ((err = `, `if (0 != `
  /^if\s*\(+\s*!?\s*(?:[\w.\->]+\s*(?:=|!=|==)\s*)?\(*\s*$/,
  // `err = `, `int err = `, `const long rc = `, `let status = `, `let mut x = `, `err := `, `_, _, e := `, `ret |= `
  /^(?:let\s+(?:mut\s+)?|const\s+|var\s+|auto\s+)?[\w\s*&:<>,]*?[\w)\]]\s*(?::=|\|=|=)\s*$/,
  // Go: `if err := `, `if _, _, errno := `
  /^if\s+[\w\s,]+:=\s*$/,
];

const UNFINISHED_LINE_END = /(?:,|\(|\[|&&|\|\||[=+\-*/%|&^<>?:.]|\breturn|\belse)\s*$/;

function previousCodeLine(index: LineIndex, line: number): string | undefined {
  let inBlockComment = false;
  for (let l = line - 1; l >= 1; l--) {
    const t = index.lineText(l).trim();
    if (t === "") continue;
    if (inBlockComment) {
      if (t.startsWith("/*")) inBlockComment = false;
      continue;
    }
    if (t.startsWith("//") || t.startsWith("#!")) continue;
    if (t.endsWith("*/")) {
      if (!t.startsWith("/*") && !t.includes("/*")) inBlockComment = true;
      if (t.startsWith("/*") || t.startsWith("*")) continue;
      return t.replace(/\/\*.*\*\/\s*$/, "").trim();
    }
    return t.replace(/\/\/.*$/, "").trim();
  }
  return undefined;
}

function statementStartsLine(index: LineIndex, opRange: Range, language: Language): boolean {
  const line = opRange.start.line;
  const prefix = index.text.slice(index.lineStart(line), opRange.start.offset).trim();
  if (!STATEMENT_PREFIXES.some((re) => re.test(prefix))) return false;
  const prev = previousCodeLine(index, line);
  if (prev === undefined || prev.startsWith("#")) return true;
  if (language === "go" || language === "rust") return !UNFINISHED_LINE_END.test(prev) || /[{};]\s*$/.test(prev);
  // C-like: the previous statement must be complete, and not a brace-less `if (...)` / `else` / loop header.
  if (/[;{}]\s*$/.test(prev)) return true;
  if (/^(case\b.*|default\s*):$/.test(prev) || /^\w+:$/.test(prev)) return true;
  return false;
}

function bodyOpenBrace(text: string, fn: IrFunction): number | undefined {
  const from = fn.nameRange.end.offset;
  const to = fn.range.end.offset;
  const i = text.indexOf("{", from);
  return i >= 0 && i < to ? i : undefined;
}

function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** An edit inserting `lines` (already in the target language, without indentation) before the statement holding `opRange`. */
export function insertBefore(
  text: string,
  file: string,
  opRange: Range,
  fn: IrFunction | undefined,
  lines: string[],
  language: Language,
): TextEdit | undefined {
  const index = new LineIndex(text);
  if (statementStartsLine(index, opRange, language)) {
    const line = opRange.start.line;
    const indent = indentOf(index.lineText(line));
    const at = index.lineStart(line);
    const eol = text.includes("\r\n") ? "\r\n" : "\n";
    return { file, range: index.range(at, at), text: lines.map((l) => indent + l).join(eol) + eol };
  }
  if (!fn) return undefined;
  const brace = bodyOpenBrace(text, fn);
  if (brace === undefined) return undefined;
  const braceLine = index.position(brace).line;
  let indent = indentOf(index.lineText(braceLine)) + "\t";
  for (let l = braceLine + 1; l <= Math.min(index.lineCount, braceLine + 5); l++) {
    const t = index.lineText(l);
    if (t.trim() !== "") {
      if (t.trim() !== "}") indent = indentOf(t);
      break;
    }
  }
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  return { file, range: index.range(brace + 1, brace + 1), text: eol + lines.map((l) => indent + l).join(eol) };
}

/** For C/C++: an edit adding `#include <header>` after the last include, unless the text already has it. */
export function ensureInclude(text: string, file: string, header: string): TextEdit | undefined {
  if (text.includes(`<${header}>`) || text.includes(`"${header}"`)) return undefined;
  const index = new LineIndex(text);
  let last = 0;
  for (let l = 1; l <= index.lineCount; l++) if (/^\s*#\s*include\b/.test(index.lineText(l))) last = l;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const at = last > 0 ? index.lineStart(last + 1) : 0;
  const prefix = last > 0 && at === text.length && !text.endsWith("\n") ? eol : "";
  return { file, range: index.range(at, at), text: `${prefix}#include <${header}>${eol}` };
}
