// tree-sitter-rust leaves macro arguments as token trees, so `assert_eq!(unsafe {
// libc::prctl(...) }, 0)` or `eprintln!("{:?}", status)` would hide their calls and reads.
// For the macros whose arguments are plain expressions, the argument list is parsed again
// on its own: the parser reads only three ranges of a virtual document, `fn m(){x` at its
// start, the token tree at its real place and `;}` after it. Every node of the new tree
// then has exactly the line, column and offset it has in the file, and the cost of a
// re-parse is the size of the macro, not of the file.

import { Parser, type Point, type Range as TsRange } from "web-tree-sitter";
import { languageFor, type Node, type Tree } from "../treesitter.js";

const PREFIX = "fn m(){x";
const SUFFIX = ";}";
/** A file with more macros than this keeps the rest unparsed (a budget, not a limit of the method). */
const MAX_REPARSES = 5_000;

let parser: Parser | undefined;

function macroParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(languageFor("rust"));
  }
  return parser;
}

export class MacroArguments {
  private reparses = 0;
  private lineStarts: number[] | undefined;

  constructor(private readonly text: string) {}

  private point(offset: number): Point {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.text.indexOf("\n"); i !== -1; i = this.text.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: offset - this.lineStarts[lo]! };
  }

  /**
   * Parses the parenthesised token tree of a macro call as a call's argument list and
   * hands its argument nodes to `use` (the tree is freed afterwards). Returns false when
   * the macro could not be parsed that way.
   */
  withArguments(tokenTree: Node, use: (args: Node[]) => void): boolean {
    if (!tokenTree.text.startsWith("(") || this.reparses >= MAX_REPARSES) return false;
    const start = tokenTree.startIndex;
    const end = tokenTree.endIndex;
    if (start < PREFIX.length) return false;
    this.reparses++;
    const text = this.text;
    const read = (index: number): string => {
      if (index < PREFIX.length) return PREFIX.slice(index);
      if (index >= start && index < end) return text.slice(index, Math.min(end, index + 8192));
      if (index >= end && index < end + SUFFIX.length) return SUFFIX.slice(index - end);
      return index < end ? " " : "";
    };
    const endPoint = this.point(end);
    const ranges: TsRange[] = [
      { startIndex: 0, endIndex: PREFIX.length, startPosition: { row: 0, column: 0 }, endPosition: { row: 0, column: PREFIX.length } },
      { startIndex: start, endIndex: end, startPosition: this.point(start), endPosition: endPoint },
      { startIndex: end, endIndex: end + SUFFIX.length, startPosition: endPoint, endPosition: { row: endPoint.row, column: endPoint.column + SUFFIX.length } },
    ];
    let tree: Tree | null = null;
    try {
      tree = macroParser().parse(read, null, { includedRanges: ranges });
      if (!tree) return false;
      const call = tree.rootNode.descendantsOfType("call_expression").find((c) => c.childForFieldName("arguments")?.startIndex === start);
      const args = call?.childForFieldName("arguments");
      if (!args || args.hasError) return false;
      use(args.namedChildren.filter((c) => c.type !== "line_comment" && c.type !== "block_comment"));
      return true;
    } finally {
      tree?.delete();
    }
  }
}
