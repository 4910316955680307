// The comments of a Go file (suppression directives, design notes next to a function).
// Parse problems and the comment index are shared with the C front-end.

import { nodeRange, type Node } from "../treesitter.js";

export interface GoComment {
  range: ReturnType<typeof nodeRange>;
  text: string;
}

/** Every comment in the tree, in source order. */
export function collectGoComments(root: Node): GoComment[] {
  return root.descendantsOfType("comment").map((c) => ({ range: nodeRange(c), text: c.text }));
}

/** The text of a run of comments, without the comment markers (a `//` run is one paragraph). */
export function commentParagraph(comments: GoComment[]): string {
  return comments.map((c) => c.text.replace(/^\/\/\s?|^\/\*|\*\/$/g, "")).join(" ");
}
