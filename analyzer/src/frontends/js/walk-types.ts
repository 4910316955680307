// The vocabulary shared by the JS walker and the modules it hands calls to: what the file
// provides, how a value is used (which decides whether a Landlock result is checked),
// where in the code the walk is, and one call site with everything known about it.

import type { TSESTree } from "@typescript-eslint/typescript-estree";
import type { IrBlock, Range, Tri } from "../../ir.js";
import type { Settings } from "../../settings.js";
import type { LineIndex } from "../../text/positions.js";
import type { Node } from "./ast.js";
import type { VarFact } from "./facts.js";
import type { RuntimeInfo } from "./modules.js";
import type { Stub } from "./stubs.js";

export type FunctionLike = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;
export type ClassLike = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/** What the file around a function provides to its walk. */
export interface JsFileContext {
  file: string;
  text: string;
  lines: LineIndex;
  settings: Settings;
  runtime: RuntimeInfo;
  /** IR name of this file's top level. */
  moduleName: string;
  /** IR names of functions of this file that return the running ABI. */
  abiHelpers: Set<string>;
  /** What the file shows about running on a worker thread. */
  worker: { readsWorkerSide: boolean; testsMainThread: boolean };
  /** Functions of this file that only forward their parameters to a Landlock call (stubs.ts). */
  stubs: Map<string, Stub>;
}

/** A function found inside a walk, to be walked on its own with the environment around it. */
export type Pending =
  | { kind: "function"; name: string; node: FunctionLike; nameRange: Range; declStart: number; className?: string }
  | { kind: "class"; name: string; node: ClassLike; declStart: number };

export type Use =
  | { k: "test" }
  | { k: "discard" }
  /** `void call()`: the value is thrown away on purpose. */
  | { k: "void" }
  | { k: "return" }
  | { k: "assign"; names: (string | undefined)[] }
  | { k: "arg"; callee: string }
  | { k: "other" };

export const TEST: Use = { k: "test" };
export const OTHER: Use = { k: "other" };
export const DISCARD: Use = { k: "discard" };
export const RETURN: Use = { k: "return" };

export interface Pos {
  loop: number;
  /** Inside an arm selected by the running ABI (masking there is "best effort"). */
  abiGuard: boolean;
}

export interface ResultOp {
  resultChecked: Tri;
  resultReturned?: boolean;
}

/** One call expression, with what the walk knows about its callee and receiver. */
export interface CallSite {
  node: TSESTree.CallExpression | TSESTree.NewExpression;
  callee: Node;
  args: TSESTree.CallExpressionArgument[];
  isNew: boolean;
  target: VarFact | undefined;
  member: string | undefined;
  receiver: VarFact | undefined;
  receiverName: string | undefined;
  calleeText: string;
  calleeRange: Range;
  range: Range;
  argFacts: (VarFact | undefined)[];
  use: Use;
  pos: Pos;
  out: IrBlock;
}

