// Tree-sitter tree -> the plain-object AST ESLint walks. Plain objects (not live
// web-tree-sitter nodes, which point into the WebAssembly heap and die with the tree) so
// the tree can be freed right after parsing and ESLint's machinery (selectors, locations,
// directives, fixes) sees ordinary data.

import type { Tree } from "@landlock-lint/analyzer/treesitter";

export interface Position {
  /** 1-based. */
  line: number;
  /** 0-based, in UTF-16 code units (what ESLint and tree-sitter's UTF-16 input use). */
  column: number;
}

export interface SourceLocation {
  start: Position;
  end: Position;
}

export interface SyntaxNode {
  /** The tree-sitter node type ("call_expression", "ERROR", ...); the root keeps the grammar's root type. */
  type: string;
  range: [number, number];
  loc: SourceLocation;
  /** Named children in source order (anonymous tokens such as punctuation are left out). */
  children: SyntaxNode[];
  /** Children reachable through a tree-sitter field name; repeated fields hold arrays. */
  fields?: Record<string, SyntaxNode | SyntaxNode[]>;
  /** A node the parser inserted to recover from an error (zero width). */
  missing?: true;
}

export interface CommentNode extends SyntaxNode {
  /** The comment's text without its delimiters (`//`, `/*`, `*\/`). */
  value: string;
}

export interface ConvertedTree {
  ast: SyntaxNode;
  comments: CommentNode[];
  parents: WeakMap<SyntaxNode, SyntaxNode>;
  /** ERROR and MISSING nodes: regions the parser could not read (the rest is analysed). */
  errorCount: number;
}

/** Comment node types per grammar: C/C++/Go say "comment", Rust splits line and block comments. */
const COMMENT_TYPES = new Set(["comment", "line_comment", "block_comment"]);

/** The comment's text without delimiters: `// x` -> ` x`, `/* x *\/` -> ` x `. */
export function commentValue(text: string): string {
  if (text.startsWith("//")) return text.slice(2);
  if (text.startsWith("/*")) return text.endsWith("*/") && text.length >= 4 ? text.slice(2, -2) : text.slice(2);
  return text;
}

/** Names and namedness of a grammar's node types and its field names, looked up by id (one wasm call per node instead of several). */
export interface GrammarTables {
  typeNames: readonly (string | null)[];
  typeIsNamed: readonly boolean[];
  fieldNames: readonly (string | null)[];
}

/** Offsets at which each line starts (lines end at "\n", as tree-sitter's rows do). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function positionAt(starts: readonly number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! };
}

/**
 * Converts the whole tree; the root spans the entire text whatever the grammar's root
 * covers. Locations come from the offsets and a line table rather than from tree-sitter's
 * points: every cursor getter is a call into WebAssembly, and this walk is on ESLint's
 * path for every file.
 */
export function convertTree(tree: Tree, text: string, tables: GrammarTables): ConvertedTree {
  const cursor = tree.walk();
  const starts = lineStarts(text);
  const parents = new WeakMap<SyntaxNode, SyntaxNode>();
  const comments: CommentNode[] = [];
  let errorCount = 0;
  const root: SyntaxNode = {
    type: cursor.nodeType,
    range: [0, text.length],
    loc: { start: { line: 1, column: 0 }, end: positionAt(starts, text.length) },
    children: [],
  };
  // Iterative depth-first walk: real files nest deep enough (long else-if chains, macros
  // turned into ERROR soup) to overflow a recursive one.
  const stack: SyntaxNode[] = [root];
  if (cursor.gotoFirstChild()) {
    for (;;) {
      const parent = stack[stack.length - 1]!;
      let descended = false;
      const typeId = cursor.nodeTypeId;
      // Ids outside the grammar's table are tree-sitter's ERROR symbol.
      const type = tables.typeNames[typeId] ?? "ERROR";
      if (type === "ERROR" || tables.typeIsNamed[typeId] === true) {
        const startIndex = cursor.startIndex;
        const endIndex = cursor.endIndex;
        // Only zero-width nodes can be MISSING: spare the call for every other node.
        const missing = startIndex === endIndex && cursor.nodeIsMissing;
        if (missing || type === "ERROR") errorCount++;
        const node: SyntaxNode = {
          type,
          range: [startIndex, endIndex],
          loc: { start: positionAt(starts, startIndex), end: positionAt(starts, endIndex) },
          children: [],
        };
        if (missing) node.missing = true;
        const fieldId = cursor.currentFieldId;
        const field = fieldId ? tables.fieldNames[fieldId] : null;
        if (field) addField(parent, field, node);
        parent.children.push(node);
        parents.set(node, parent);
        if (COMMENT_TYPES.has(type)) {
          const comment = node as CommentNode;
          comment.value = commentValue(text.slice(startIndex, endIndex));
          comments.push(comment);
        }
        if (cursor.gotoFirstChild()) {
          stack.push(node);
          descended = true;
        }
      } else {
        // Anonymous tokens (punctuation, keywords) get no node; a MISSING one (`;`, `)`) still counts as a parse problem.
        if (cursor.nodeIsMissing) errorCount++;
        if (cursor.gotoFirstChild()) {
          // Anonymous nodes with named children (rare, e.g. some preprocessor tokens): keep
          // the named descendants attached to the nearest named ancestor.
          stack.push(parent);
          descended = true;
        }
      }
      if (descended) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || stack.length === 1) {
          cursor.delete();
          return { ast: root, comments, parents, errorCount };
        }
        stack.pop();
      }
    }
  }
  cursor.delete();
  return { ast: root, comments, parents, errorCount };
}

function addField(parent: SyntaxNode, field: string, node: SyntaxNode): void {
  const fields = (parent.fields ??= {});
  const existing = fields[field];
  if (existing === undefined) fields[field] = node;
  else if (Array.isArray(existing)) existing.push(node);
  else fields[field] = [existing, node];
}
