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
    if (seen.has(offset) || offset > original.length) return;
    seen.add(offset);
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(problem(lines, offset, length, message));
  };
  let text = original;
  for (let round = 0; round < MAX_RECOVERY_ROUNDS; round++) {
    const source = ts.createSourceFile("recover.tsx", text, ts.ScriptTarget.Latest, false, jsx ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const diagnostics = (source as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
    if (diagnostics.length === 0) {
      try {
        return { program: estree(text, jsx), problems: problems.length ? problems : [problem(lines, first.offset, 0, first.message)] };
      } catch (error) {
        const syntax = syntaxErrorOf(error);
        if (!syntax) throw error;
        note(syntax.offset, 0, syntax.message);
        const blanked = blankStatementsAt(ts, source, text, [syntax.offset]);
        if (blanked === text) break;
        text = blanked;
        continue;
      }
    }
    const closers: string[] = [];
    const offsets: number[] = [];
    for (const d of diagnostics) {
      const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
      note(d.start, d.length, message);
      const closer = /^'([})\]])' expected\.?$/.exec(message);
      if (closer && d.start >= text.trimEnd().length) closers.push(closer[1]!);
      else offsets.push(d.start);
    }
    let next = blankStatementsAt(ts, source, text, offsets);
    if (closers.length) next += `\n${closers.join("")}`;
    if (next === text) break;
    text = next;
  }
  if (problems.length === 0) note(first.offset, 0, first.message);
  return { problems: problems.map((p) => ({ ...p, message: p.message.replace(" (analysis covers the rest)", " (the file could not be analysed)") })) };
}

/** Replaces the innermost statement around each offset by `;` and spaces (line breaks kept). */
function blankStatementsAt(ts: typeof import("typescript"), source: ts.SourceFile, text: string, offsets: number[]): string {
  const spans: [number, number][] = [];
  for (const offset of offsets) {
    const span = innermostStatement(ts, source, offset);
    if (span) spans.push(span);
  }
  if (spans.length === 0) return text;
  const chars = text.split("");
  for (const [start, end] of spans) {
    for (let i = start; i < end && i < chars.length; i++) if (chars[i] !== "\n" && chars[i] !== "\r") chars[i] = " ";
    if (start < chars.length) chars[start] = ";";
  }
  return chars.join("");
}

function innermostStatement(ts: typeof import("typescript"), source: ts.SourceFile, offset: number): [number, number] | undefined {
  const K = ts.SyntaxKind;
  const statementLists = new Set([K.SourceFile, K.Block, K.ModuleBlock, K.CaseClause, K.DefaultClause]);
  const classKinds = new Set([K.ClassDeclaration, K.ClassExpression]);
  let best: [number, number] | undefined;
  const visit = (node: ts.Node, parentKind: ts.SyntaxKind, depth: number): void => {
    if (depth > 400 || node.kind === ts.SyntaxKind.EndOfFileToken) return;
    const start = node.getStart(source);
    if (offset < start || offset > node.end) return;
    if (statementLists.has(parentKind) || classKinds.has(parentKind)) best = [start, node.end];
    ts.forEachChild(node, (child) => visit(child, node.kind, depth + 1));
  };
  ts.forEachChild(source, (child) => visit(child, ts.SyntaxKind.SourceFile, 0));
  return best;
}
