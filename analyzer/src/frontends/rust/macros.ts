// tree-sitter-rust leaves macro arguments as token trees, so `assert_eq!(unsafe {
// libc::prctl(...) }, 0)` or `eprintln!("{:?}", status)` would hide their calls and reads.
// For the macros whose arguments are plain expressions, the argument list is parsed again
// on its own, inside a text where everything else is blanked out (newlines kept, a few
// characters of `fn m(){x` written into the blank prefix): every node of the new tree then
// has exactly the line, column and offset it has in the file.

import { parse, type Node, type Tree } from "../treesitter.js";

const PREFIX = "fn m(){x";
const SUFFIX = ";}";
/** Files larger than this keep their macros unparsed (each re-parse costs a pass over the text). */
const MAX_TEXT = 2_000_000;
const MAX_REPARSES = 400;

export class MacroArguments {
  private blank: string | undefined;
  private reparses = 0;

  constructor(private readonly text: string) {}

  /**
   * Parses the parenthesised token tree of a macro call as a call's argument list and
   * hands its argument nodes to `use` (the tree is freed afterwards). Returns false when
   * the macro could not be parsed that way.
   */
  withArguments(tokenTree: Node, use: (args: Node[]) => void): boolean {
    if (!tokenTree.text.startsWith("(") || this.text.length > MAX_TEXT || this.reparses >= MAX_REPARSES) return false;
    const start = tokenTree.startIndex;
    const end = tokenTree.endIndex;
    this.blank ??= this.text.replace(/[^\n]/g, " ");
    const before = this.blank.slice(0, start);
    const slots: number[] = [];
    for (let i = 0; i < before.length && slots.length < PREFIX.length; i++) if (before[i] !== "\n") slots.push(i);
    if (slots.length < PREFIX.length) return false;
    const chars = before.split("");
    slots.forEach((at, i) => (chars[at] = PREFIX[i]!));
    const padded = chars.join("") + this.text.slice(start, end) + this.blank.slice(end) + SUFFIX;
    this.reparses++;
    let tree: Tree | undefined;
    try {
      tree = parse("rust", padded);
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
