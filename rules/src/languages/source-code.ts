// The SourceCode object ESLint works with for C, C++, Go and Rust files: locations and
// ranges from the plain AST, parents, comments, and the directive comments of both
// families (see directives.ts).

import { TextSourceCodeBase, VisitNodeStep } from "@eslint/plugin-kit";
import type { FileProblem, RulesConfig, SourceRange, TraversalStep } from "@eslint/core";
import type { Directive } from "@eslint/plugin-kit";
import type { CommentNode, SourceLocation, SyntaxNode } from "./ast.js";
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
  readonly #parents: WeakMap<SyntaxNode, SyntaxNode>;
  #steps: VisitNodeStep[] | undefined;
  #inlineConfigNodes: CommentNode[] | undefined;

  constructor(options: { text: string; ast: SyntaxNode; comments: CommentNode[]; parents: WeakMap<SyntaxNode, SyntaxNode>; parseErrorCount: number }) {
    // tree-sitter ends lines at "\n" only; "\r\n" keeps the "\r" on the line it ends.
    super({ text: options.text, ast: options.ast, lineEndingPattern: /\r?\n/u });
    this.comments = options.comments;
    this.#parents = options.parents;
    this.parseErrorCount = options.parseErrorCount;
  }

  override getLoc(node: Located): SourceLocation {
    return node.loc;
  }

  override getRange(node: Located): SourceRange {
    return node.range;
  }

  override getParent(node: Located): SyntaxNode | undefined {
    return node.type === "LandlockDirectiveRuleName" ? undefined : this.#parents.get(node as SyntaxNode);
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

  override traverse(): Iterable<TraversalStep> {
    if (this.#steps) return this.#steps.values();
    const steps: VisitNodeStep[] = [];
    // Explicit stack: enter on the way down, exit once all children are done.
    const stack: { node: SyntaxNode; parent: SyntaxNode | undefined; next: number }[] = [{ node: this.ast, parent: undefined, next: 0 }];
    steps.push(new VisitNodeStep({ target: this.ast, phase: 1, args: [this.ast, undefined] }));
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const child = top.node.children[top.next++];
      if (child) {
        steps.push(new VisitNodeStep({ target: child, phase: 1, args: [child, top.node] }));
        stack.push({ node: child, parent: top.node, next: 0 });
      } else {
        steps.push(new VisitNodeStep({ target: top.node, phase: 2, args: [top.node, top.parent] }));
        stack.pop();
      }
    }
    this.#steps = steps;
    return steps.values();
  }
}
