// Comments (for suppression directives and for what they say about the code next to them)
// and parse problems (tree-sitter ERROR / MISSING nodes).

import type { ParseProblem, Position, Range } from "../../ir.js";
import { nodeRange, type Node } from "../treesitter.js";

export interface Comment {
  range: Range;
  text: string;
}

/**
 * Every comment in the tree, in source order. Given the source text, positions are
 * computed from it (fewer calls into WebAssembly); otherwise from the nodes.
 */
export function collectComments(root: Node, text?: string): Comment[] {
  const comments = root.descendantsOfType("comment");
  if (comments.length === 0) return [];
  if (text === undefined) return comments.map((c) => ({ range: nodeRange(c), text: c.text }));
  const lines = new LineIndex(text);
  return comments.map((c) => {
    const start = c.startIndex;
    const end = c.endIndex;
    return { range: { start: lines.position(start), end: lines.position(end) }, text: text.slice(start, end) };
  });
}

/** Line starts of a text, to turn UTF-16 offsets into IR positions. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]!, offset };
  }
}

/** How many problems are listed one by one; the rest are counted in a last entry. */
export const MAX_LISTED_PROBLEMS = 50;
const MAX_VISITED = 200_000;

/** ERROR and MISSING nodes, descending only into subtrees that contain one. */
export function collectParseProblems(root: Node): ParseProblem[] {
  if (!root.hasError) return [];
  const problems: ParseProblem[] = [];
  let unlisted = 0;
  let lastRange: Range | undefined;
  const stack: Node[] = [root];
  let visited = 0;
  while (stack.length && visited++ < MAX_VISITED) {
    const node = stack.pop()!;
    if (node.isMissing || node.isError) {
      if (problems.length < MAX_LISTED_PROBLEMS) problems.push(problemOf(node));
      else {
        unlisted++;
        lastRange = nodeRange(node);
      }
      if (node.isMissing) continue;
    }
    if (!node.hasError) continue;
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i]!;
      if (c.hasError || c.isMissing || c.isError) stack.push(c);
    }
  }
  if (unlisted > 0 && lastRange) {
    problems.push({ message: `${unlisted} more syntax errors not listed`, range: lastRange });
  }
  return problems;
}

function problemOf(node: Node): ParseProblem {
  const range = nodeRange(node);
  if (node.isMissing) return { message: `syntax error: missing ${describeMissing(node)}`, range };
  const snippet = node.text.replace(/\s+/g, " ").slice(0, 40);
  return { message: `syntax error: could not parse ${JSON.stringify(snippet)}${node.text.length > 40 ? "..." : ""} (analysis covers the rest)`, range };
}

function describeMissing(node: Node): string {
  const t = node.type;
  return /^[A-Za-z_]+$/.test(t) ? t.replace(/_/g, " ") : `"${t}"`;
}

/** Comments sorted by offset, with lookups by range. */
export class CommentIndex {
  constructor(readonly comments: Comment[]) {}

  /** Comments that start inside [start, end). */
  within(start: number, end: number): Comment[] {
    const out: Comment[] = [];
    for (let i = this.firstAtOrAfter(start); i < this.comments.length; i++) {
      const c = this.comments[i]!;
      if (c.range.start.offset >= end) break;
      out.push(c);
    }
    return out;
  }

  /** The comments directly above `offset` (only whitespace between them and the code). */
  leading(offset: number, text: string): Comment[] {
    const out: Comment[] = [];
    let i = this.firstAtOrAfter(offset) - 1;
    let cursor = offset;
    for (; i >= 0; i--) {
      const c = this.comments[i]!;
      const gap = text.slice(c.range.end.offset, cursor);
      if (/\S/.test(gap) || /\n\s*\n\s*\n/.test(gap)) break;
      out.unshift(c);
      cursor = c.range.start.offset;
    }
    return out;
  }

  private firstAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.comments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.comments[mid]!.range.start.offset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const DESIGN_WORDS = /\b(?:intentional(?:ly)?|by design|deliberate(?:ly)?|on purpose|designed|is expected|as intended|we want)\b/i;
const PER_THREAD_WORDS = /\bper[- ]?thread\b|\beach (?:worker|thread)\b|\bevery (?:worker|thread)\b|\bonly (?:this|the calling|the current) thread\b|\bthis thread only\b|\bthread[- ]local (?:sandbox|restriction|domain)\b/i;
const LINT_MARKER = /\bNOLINT\b[^\n]*per[-_ ]?thread|landlock[-_ ]?lint\s*:\s*per[-_ ]?thread|\bLANDLOCK_PER_THREAD\b/i;

/** The comment says that restricting one thread at a time is the intended design. */
export function statesPerThreadDesign(text: string): boolean {
  return LINT_MARKER.test(text) || (DESIGN_WORDS.test(text) && PER_THREAD_WORDS.test(text));
}

const PRIVILEGE_WORDS = /\bCAP_SYS_ADMIN\b|\bas root\b|\brun(?:s|ning)? (?:as|with) (?:root|privileges?)\b|\bprivileged\b|\bsuperuser\b|\brequires? root\b|\bmust be root\b|\broot (?:only|privileges?)\b/i;

/** The comment says this code runs with privileges (root / CAP_SYS_ADMIN). */
export function statesPrivileged(text: string): boolean {
  return PRIVILEGE_WORDS.test(text);
}
