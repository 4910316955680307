// The SourceCode object ESLint works with for C, C++, Go and Rust files: locations and
// ranges from the plain AST, parents, comments, and the directive comments of both
// families (see directives.ts).

import { TextSourceCodeBase } from "@eslint/plugin-kit";
import type { FileProblem, RulesConfig, SourceRange, TraversalStep, VisitTraversalStep } from "@eslint/core";
import type { Directive } from "@eslint/plugin-kit";
import { parentOf, type CommentNode, type SourceLocation, type SyntaxNode } from "./ast.js";
import { disableDirectives, inlineRuleConfigs, isInlineConfigComment, type DirectiveRuleName } from "./directives.js";
import type { GrammarLanguageOptions } from "./language.js";

type Located = SyntaxNode | DirectiveRuleName;

export class TreeSitterSourceCode extends TextSourceCodeBase<{
  LangOptions: GrammarLanguageOptions;
  RootNode: SyntaxNode;
  SyntaxElementWithLoc: Located;
  ConfigNode: CommentNode;
}> {
  declare ast: SyntaxNode;
  /** Every comment in the file, in source order. */
  readonly comments: CommentNode[];
  /** ERROR and MISSING regions the parser left. */
  readonly parseErrorCount: number;
  #steps: VisitTraversalStep[] | undefined;
  #inlineConfigNodes: CommentNode[] | undefined;

  constructor(options: { text: string; ast: SyntaxNode; comments: CommentNode[]; parseErrorCount: number }) {
    // tree-sitter ends lines at "\n" only; "\r\n" keeps the "\r" on the line it ends.
    super({ text: options.text, ast: options.ast, lineEndingPattern: /\r?\n/u });
    this.comments = options.comments;
    this.parseErrorCount = options.parseErrorCount;
  }

  override getLoc(node: Located): SourceLocation {
    return node.loc;
  }

  override getRange(node: Located): SourceRange {
    return node.range;
  }

  override getParent(node: Located): SyntaxNode | undefined {
    return node.type === "LandlockDirectiveRuleName" ? undefined : parentOf(node as SyntaxNode);
  }

  /** Comments (of either directive family) that carry inline configuration. */
  getInlineConfigNodes(): CommentNode[] {
    this.#inlineConfigNodes ??= this.comments.filter(isInlineConfigComment);
    return this.#inlineConfigNodes;
  }

  getDisableDirectives(): { directives: Directive[]; problems: FileProblem[] } {
    return disableDirectives(this.getInlineConfigNodes(), this.text);
  }

  applyInlineConfig(): { configs: { config: { rules: RulesConfig }; loc: SourceLocation }[]; problems: FileProblem[] } {
    return inlineRuleConfigs(this.getInlineConfigNodes());
  }

  /**
   * Enter and exit steps for every node, as an array (ESLint iterates arrays by index,
   * cheaper than through an iterator). Plain objects without `args`: listeners receive
   * the node, as in ESLint's JavaScript language, and a file of a few thousand nodes
   * allocates only the steps themselves.
   */
  override traverse(): Iterable<TraversalStep> {
    if (this.#steps) return this.#steps;
    const steps: VisitTraversalStep[] = [];
    // Explicit stack: enter on the way down, exit once all children are done.
    const nodes: SyntaxNode[] = [this.ast];
    const next: number[] = [0];
    steps.push({ kind: 1, target: this.ast, phase: 1, args: undefined as unknown as unknown[] });
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const node = nodes[top]!;
      const child = node.children[next[top]!++];
      if (child) {
        steps.push({ kind: 1, target: child, phase: 1, args: undefined as unknown as unknown[] });
        nodes.push(child);
        next.push(0);
      } else {
        steps.push({ kind: 1, target: node, phase: 2, args: undefined as unknown as unknown[] });
        nodes.pop();
        next.pop();
      }
    }
    this.#steps = steps;
    return steps;
  }
}
