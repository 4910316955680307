// What the C/C++ front-end keeps per file between builds when given a FrontEndCache, and
// how a build gets its inputs from it: the tree (reparsed from the last one), the comments
// (updated around the edit) and the per-function reuse state.

import type { FrontEndCache } from "../parse-cache.js";
import type { Tree } from "../treesitter.js";
import { collectComments, LineIndex, type Comment } from "./comments.js";
import { updateComments } from "./comment-update.js";
import { FunctionReuse } from "./function-cache.js";
import type { FunctionShape } from "./file-walker.js";

export class CFileState {
  /** The parse the comments belong to. */
  serial = 0;
  comments?: Comment[];
  readonly functions = new FunctionReuse();
  /** What each function definition of the last build held (by text): see FunctionShape. */
  shapes = new Map<string, FunctionShape | null>();
}

export interface IncrementalInputs {
  tree: Tree;
  comments: Comment[];
  lines: LineIndex;
  reuse: FunctionReuse;
  shapes: Map<string, FunctionShape | null>;
  /** Keeps this build's shapes for the next one (only those it saw). */
  keepShapes(shapes: Map<string, FunctionShape | null>): void;
}

export function stateKey(grammar: "c" | "cpp"): string {
  return `c-file:${grammar}`;
}

/** The inputs of a build through the cache (the cache owns the tree: do not delete it). */
export function incrementalInputs(cache: FrontEndCache, file: string, grammar: "c" | "cpp", text: string): IncrementalInputs {
  const tree = cache.parse(file, grammar, text);
  const state = cache.state(file, stateKey(grammar), () => new CFileState())!;
  const serial = cache.serialOf(file) ?? 0;
  const change = cache.lastChange(file);
  const lines = new LineIndex(text);
  const comments =
    state.comments && change && state.serial === serial - 1 ? updateComments(tree.rootNode, text, lines, state.comments, change) : collectComments(tree.rootNode, text);
  state.comments = comments;
  state.serial = serial;
  return {
    tree,
    comments,
    lines,
    reuse: state.functions,
    shapes: state.shapes,
    keepShapes: (shapes) => {
      state.shapes = shapes;
    },
  };
}
