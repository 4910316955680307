// A node's grammar type, read once. `Node.type` goes through WebAssembly on every access
// and the walkers ask it of the same nodes many times (it was the largest single cost of
// building the IR); node ids are unique within a tree, so the cache is cleared per file.

import type { Node } from "../treesitter.js";

const types = new Map<number, string>();
const namedChildren = new Map<number, Node[]>();

export function resetNodeTypes(): void {
  types.clear();
  namedChildren.clear();
}

/** The named children other than comments, read once per node. */
export function namedOf(node: Node): Node[] {
  let list = namedChildren.get(node.id);
  if (list === undefined) {
    list = node.namedChildren.filter((c) => typeOf(c) !== "comment");
    namedChildren.set(node.id, list);
  }
  return list;
}

export function typeOf(node: Node): string {
  let t = types.get(node.id);
  if (t === undefined) {
    t = node.type;
    types.set(node.id, t);
  }
  return t;
}
