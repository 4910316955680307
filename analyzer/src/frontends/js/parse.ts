// Parsing JS/TS with typescript-estree, tolerantly. typescript-estree refuses any file with
// a syntax error, so: try JSX as the extension says, then the other way round (JSX in
// `.js` files is common); if both fail, let TypeScript's own error-recovering parser say
// where the errors are, blank the innermost statement holding each one (or close what the
// end of the file left open) and parse again. Blanking keeps every offset, so positions
// in the IR still point into the real text. What was blanked is reported as a parse problem.

import type { TSESTree } from "@typescript-eslint/typescript-estree";
import type ts from "typescript";
import type { ParseProblem } from "../../ir.js";
import type { LineIndex } from "../../text/positions.js";
import { loadEstree, loadTypeScript } from "./estree.js";
import { templateTextEnd } from "./nesting.js";

export interface ParsedFile {
  program?: TSESTree.Program;
  problems: ParseProblem[];
}

const MAX_RECOVERY_ROUNDS = 8;
const MAX_LISTED_PROBLEMS = 50;

function estree(text: string, jsx: boolean): TSESTree.Program {
  return loadEstree().parse(text, { range: true, loc: true, comment: true, jsx, errorOnUnknownASTType: false });
}

/** The syntax error typescript-estree threw: its message and offset, when it is one. */
function syntaxErrorOf(error: unknown): { message: string; offset: number } | undefined {
  if (!(error instanceof Error)) return undefined;
  const location = (error as { location?: { start?: { offset?: number } } }).location;
  const offset = location?.start?.offset;
  return typeof offset === "number" ? { message: error.message, offset } : undefined;
}

export function parseTolerant(text: string, jsxByExtension: boolean, lines: LineIndex): ParsedFile {
  let first: { message: string; offset: number } | undefined;
  for (const jsx of [jsxByExtension, !jsxByExtension]) {
    try {
      return { program: estree(text, jsx), problems: [] };
    } catch (error) {
      const syntax = syntaxErrorOf(error);
      if (!syntax) throw error;
      first ??= syntax;
    }
  }
  return recover(text, jsxByExtension, lines, first!);
}

function problem(lines: LineIndex, offset: number, length: number, message: string): ParseProblem {
  return { message: `syntax error: ${message} (analysis covers the rest)`, range: lines.range(offset, offset + length) };
}

function recover(original: string, jsx: boolean, lines: LineIndex, first: { message: string; offset: number }): ParsedFile {
  const ts = loadTypeScript();
  const problems: ParseProblem[] = [];
  const seen = new Set<number>();
  const note = (offset: number, length: number, message: string) => {
    const at = Math.min(offset, original.length);
    if (seen.has(at)) return;
    seen.add(at);
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(problem(lines, at, Math.min(length, original.length - at), message));
  };
  // `body` keeps the original offsets (blanked statements only); `suffix` closes what a
  // file cut short left open. Positions past the original text clamp to its end.
  note(first.offset, 0, first.message);
  let body = original;
  let suffix = closersOf(original);
  const end = original.trimEnd().length;
  let fills = 0;
  for (let round = 0; round < MAX_RECOVERY_ROUNDS; round++) {
    const text = body + suffix;
    const source = ts.createSourceFile("recover.tsx", text, ts.ScriptTarget.Latest, false, jsx ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const diagnostics = (source as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
    if (diagnostics.length === 0) {
      try {
        return { program: estree(text, jsx), problems };
      } catch (error) {
        const syntax = syntaxErrorOf(error);
        if (!syntax) throw error;
        note(syntax.offset, 0, syntax.message);
        const blanked = blankStatementsAt(ts, source, body, [syntax.offset]);
        if (blanked === body) break;
        body = blanked;
        continue;
      }
    }
    const offsets: number[] = [];
    let nextSuffix = suffix;
    for (const d of diagnostics) {
      const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
      note(d.start, d.length, message);
      if (d.start < end) {
        offsets.push(d.start);
        continue;
      }
      // At the end of a file cut short: close what is open, end an unfinished statement.
      const closer = /^'([})\]])' expected\.?$/.exec(message);
      if (closer) nextSuffix += closer[1]!;
      else if (/^(?:Expression|Statement|Declaration or statement|Identifier) expected\.?$/.test(message) && fills < MAX_RECOVERY_ROUNDS) {
        // `if (x)` cut before its body: an empty statement where one is expected.
        const at = Math.max(0, Math.min(d.start - body.length, nextSuffix.length));
        nextSuffix = `${nextSuffix.slice(0, at)};${nextSuffix.slice(at)}`;
        fills++;
      } else offsets.push(Math.max(0, end - 1));
    }
    const nextBody = blankStatementsAt(ts, source, body, offsets.filter((o) => o < body.length));
    if (nextBody === body && nextSuffix === suffix) break;
    body = nextBody;
    suffix = nextSuffix;
  }
  return { problems: problems.map((p) => ({ ...p, message: p.message.replace(" (analysis covers the rest)", " (the file could not be analysed)") })) };
}

const CLOSER: Record<string, string> = { "(": ")", "[": "]", "{": "}" };

/**
 * The brackets a file cut short leaves open, closed in order. A small scanner: it skips
 * strings, template literals (with their `${...}` parts), comments and regular expressions
 * (a `/` where an expression may start); unbalanced closers are ignored.
 */
export function closersOf(text: string): string {
  if (text.length > 4_000_000) return "";
  const stack: string[] = [];
  let i = 0;
  let lastSignificant = "";
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === "/" && text[i + 1] === "/") {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      i = skipString(text, i, c);
      lastSignificant = "a";
      continue;
    }
    if (c === "`" || (c === "}" && stack[stack.length - 1] === "${")) {
      if (c === "}") stack.pop();
      const { at: j, opened } = templateTextEnd(text, i + 1);
      if (opened) {
        stack.push("${");
        i = j + 2;
        lastSignificant = "(";
      } else {
        i = j + 1;
        lastSignificant = "a";
      }
      continue;
    }
    if (c === "/" && (lastSignificant === "" || "(,=:[!&|?{};+-*%<>~^".includes(lastSignificant))) {
      // A regular expression literal.
      let j = i + 1;
      let inClass = false;
      while (j < n && text[j] !== "\n") {
        if (text[j] === "\\") j += 2;
        else if (text[j] === "[") (inClass = true), j++;
        else if (text[j] === "]") (inClass = false), j++;
        else if (text[j] === "/" && !inClass) break;
        else j++;
      }
      i = j + 1;
      lastSignificant = "a";
      continue;
    }
    if (c === "(" || c === "[" || c === "{") stack.push(c);
    else if (c === ")" || c === "]" || c === "}") {
      const open = stack[stack.length - 1];
      if (open && open !== "${" && CLOSER[open] === c) stack.pop();
    }
    if (!/\s/.test(c)) lastSignificant = /[\w$)\]]/.test(c) ? "a" : c;
    i++;
  }
  return stack
    .reverse()
    .map((o) => (o === "${" ? "}`" : CLOSER[o]!))
    .join("");
}

function skipString(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\") i += 2;
    else if (c === quote || c === "\n") return i + 1;
    else i++;
  }
  return i;
}

/** Replaces the innermost statement around each offset by `;` and spaces (line breaks kept). */
function blankStatementsAt(ts: typeof import("typescript"), source: ts.SourceFile, text: string, offsets: number[]): string {
  const spans = innermostStatements(ts, source, offsets);
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at || start >= text.length) continue;
    const stop = Math.min(end, text.length);
    parts.push(text.slice(at, start), ";", text.slice(start + 1, stop).replace(/[^\r\n]/g, " "));
    at = stop;
  }
  parts.push(text.slice(at));
  return parts.join("");
}

const MAX_STATEMENT_DEPTH = 400;

/**
 * The innermost statement (or class member) around each offset, outermost spans only: one
 * walk of the tree for all offsets, entering only nodes that hold one of them, so the cost
 * is linear in the tree whatever the number of syntax errors.
 */
function innermostStatements(ts: typeof import("typescript"), source: ts.SourceFile, offsets: number[]): [number, number][] {
  if (offsets.length === 0) return [];
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  const K = ts.SyntaxKind;
  const statementLists = new Set([K.SourceFile, K.Block, K.ModuleBlock, K.CaseClause, K.DefaultClause, K.ClassDeclaration, K.ClassExpression]);
  const best: ([number, number] | undefined)[] = new Array(sorted.length);
  /** Index of the first offset >= value. */
  const lowerBound = (value: number): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const visit = (node: ts.Node, parentKind: ts.SyntaxKind, depth: number): void => {
    if (depth > MAX_STATEMENT_DEPTH || node.kind === K.EndOfFileToken) return;
    const start = node.getStart(source);
    const first = lowerBound(start);
    if (first >= sorted.length || sorted[first]! > node.end) return;
    if (statementLists.has(parentKind)) {
      for (let j = first; j < sorted.length && sorted[j]! <= node.end; j++) best[j] = [start, node.end];
    }
    ts.forEachChild(node, (child) => visit(child, node.kind, depth + 1));
  };
  ts.forEachChild(source, (child) => visit(child, K.SourceFile, 0));
  const spans = new Map<string, [number, number]>();
  for (const span of best) if (span) spans.set(`${span[0]}:${span[1]}`, span);
  return [...spans.values()];
}
