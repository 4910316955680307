// Tree-sitter tree -> the AST ESLint walks: ordinary JavaScript objects (not live
// web-tree-sitter nodes, which point into the WebAssembly heap and die with the tree) so
// the tree can be freed right after parsing and ESLint's machinery (selectors, locations,
// directives, fixes) sees ordinary data.
//
// Each node is one object: `loc` is computed from `range` when first read (ESLint reads it
// for the few nodes it reports on), and childless nodes share one frozen empty array.
// ESLint keeps every file's SourceCode reachable until the next full garbage collection
// once any rule runs (its per-rule context objects inherit from a per-file context), so
// the AST's object count is what a lint run pays in collector time, file after file.

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

/** Where each line of one file starts (lines end at "\n", as tree-sitter's rows do). */
export class LineTable {
  readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  positionAt(offset: number): Position {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! };
  }
}

const NO_CHILDREN: SyntaxNode[] = Object.freeze([]) as unknown as SyntaxNode[];

class TreeNode implements SyntaxNode {
  type: string;
  range: [number, number];
  children: SyntaxNode[] = NO_CHILDREN;
  fields: Record<string, SyntaxNode | SyntaxNode[]> | undefined = undefined;
  missing: true | undefined = undefined;
  #loc: SourceLocation | undefined = undefined;
  readonly #lines: LineTable;
  readonly #parent: SyntaxNode | undefined;

  constructor(type: string, start: number, end: number, lines: LineTable, parent: SyntaxNode | undefined) {
    this.type = type;
    this.range = [start, end];
    this.#lines = lines;
    this.#parent = parent;
  }

  /** The parent of a node of this AST (undefined for the root and for objects from elsewhere). */
  static parentOf(node: SyntaxNode): SyntaxNode | undefined {
    return #parent in node ? (node as TreeNode).#parent : undefined;
  }

  get loc(): SourceLocation {
    this.#loc ??= { start: this.#lines.positionAt(this.range[0]), end: this.#lines.positionAt(this.range[1]) };
    return this.#loc;
  }

  /** JSON and structured views show `loc` like any other property. */
  toJSON(): Record<string, unknown> {
    return { type: this.type, range: this.range, loc: this.loc, children: this.children, ...(this.fields ? { fields: this.fields } : {}), ...(this.missing ? { missing: true } : {}) };
  }
}

class CommentTreeNode extends TreeNode implements CommentNode {
  value: string;

  constructor(type: string, start: number, end: number, lines: LineTable, parent: SyntaxNode, value: string) {
    super(type, start, end, lines, parent);
    this.value = value;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), value: this.value };
  }
}

export const parentOf = TreeNode.parentOf;

function appendChild(parent: SyntaxNode, child: SyntaxNode): void {
  if (parent.children === NO_CHILDREN) parent.children = [child];
  else parent.children.push(child);
}

export interface ConvertedTree {
  ast: SyntaxNode;
  comments: CommentNode[];
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

/**
 * Converts the whole tree; the root spans the entire text whatever the grammar's root
 * covers. Locations come from the offsets and a line table rather than from tree-sitter's
 * points: every cursor getter is a call into WebAssembly, and this walk is on ESLint's
 * path for every file.
 */
export function convertTree(tree: Tree, text: string, tables: GrammarTables): ConvertedTree {
  const cursor = tree.walk();
  const lines = new LineTable(text);
  const comments: CommentNode[] = [];
  let errorCount = 0;
  const root: SyntaxNode = new TreeNode(cursor.nodeType, 0, text.length, lines, undefined);
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
        let node: SyntaxNode;
        if (COMMENT_TYPES.has(type)) {
          const comment = new CommentTreeNode(type, startIndex, endIndex, lines, parent, commentValue(text.slice(startIndex, endIndex)));
          comments.push(comment);
          node = comment;
        } else node = new TreeNode(type, startIndex, endIndex, lines, parent);
        if (missing) node.missing = true;
        const fieldId = cursor.currentFieldId;
        const field = fieldId ? tables.fieldNames[fieldId] : null;
        if (field) addField(parent, field, node);
        appendChild(parent, node);
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
          return { ast: root, comments, errorCount };
        }
        stack.pop();
      }
    }
  }
  cursor.delete();
  return { ast: root, comments, errorCount };
}

function addField(parent: SyntaxNode, field: string, node: SyntaxNode): void {
  const fields = (parent.fields ??= {});
  const existing = fields[field];
  if (existing === undefined) fields[field] = node;
  else if (Array.isArray(existing)) existing.push(node);
  else fields[field] = [existing, node];
}
