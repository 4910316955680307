// Walks a JS/TS file: the module's top level becomes an entry function (`<module:name>`)
// and every function defined in the file (declarations, functions bound to names, class
// methods and constructors, object methods) an IrFunction of its own, walked with what
// was known where it was defined. Every function gets the runtime's threads: Node, Deno
// and Bun all run threads of their own before user code. A module that only works as a
// worker (it reads `parentPort`/`workerData` and never tests `isMainThread`) is not an
// entry: the `new Worker(...)` that runs it names its top level as the thread's routine.

import type { TSESTree } from "@typescript-eslint/typescript-estree";
import type { IrBlock, IrFile, IrFunction, Language, ParseProblem } from "../../ir.js";
import type { LineIndex } from "../../text/positions.js";
import { CommentIndex, statesPerThreadDesign, type Comment } from "../c/comments.js";
import type { FrontEndOptions } from "../frontend.js";
import { isFunctionNode, keyName, rangeOf, T, unwrap } from "./ast.js";
import { Env } from "./facts.js";
import { moduleFunctionName, runtimeOf } from "./modules.js";
import { exportedNames, stubOf } from "./stubs.js";
import { startWalk, walkLimitsOf } from "../walk-limits.js";
import { JsFunctionWalker, type JsFileContext, type Pending } from "./walker.js";

const MAX_NESTING = 64;
const MAX_FUNCTIONS = 20_000;

export function buildJsFileIr(
  program: TSESTree.Program,
  text: string,
  file: string,
  language: Language,
  options: FrontEndOptions,
  lines: LineIndex,
  parseProblems: ParseProblem[],
): IrFile {
  const comments: Comment[] = (program.comments ?? []).map((c) => ({ range: rangeOf(lines, c), text: text.slice(c.range[0], c.range[1]) }));
  const commentIndex = new CommentIndex(comments);
  const runtime = runtimeOf(text);
  const context: JsFileContext = {
    file,
    text,
    lines,
    settings: options.settings,
    runtime,
    moduleName: moduleFunctionName(file),
    abiHelpers: new Set(),
    worker: { readsWorkerSide: false, testsMainThread: false },
    stubs: new Map(),
  };
  const runtimeThreads = { mechanism: runtime.mechanism, note: runtime.note };
  const limits = startWalk(context, options.walkBudgetMs);

  // ABI helpers and syscall stubs first, so that `const abi = landlockAbi()` reads as the
  // ABI and `restrictSelf(fd, TSYNC)` as the Landlock call it wraps.
  if (/\b44[456]n?\b|0x1b[cde]|landlock|prctl|CREATE_RULESET_VERSION|abi|ABI/i.test(text)) prepass(program, context);

  const top = new JsFunctionWalker(context, undefined, new Env());
  const body = top.walkStatements(program.body);
  const functions: IrFunction[] = [];
  const emitter = new FunctionEmitter(context, commentIndex, runtimeThreads, functions);
  emitter.emit(top.pending, top.env, 0);

  const insideFunctions = top.pending.map((p) => p.node.range);
  const topLevelComments = comments.filter((c) => !insideFunctions.some(([s, e]) => c.range.start.offset >= s && c.range.start.offset < e));
  const at = lines.position(0);
  const moduleFn: IrFunction = {
    name: context.moduleName,
    range: lines.range(0, text.length),
    nameRange: { start: at, end: at },
    isEntry: !(context.worker.readsWorkerSide && !context.worker.testsMainThread),
    runtimeThreads: { ...runtimeThreads },
    body,
  };
  if (topLevelComments.some((c) => statesPerThreadDesign(c.text))) moduleFn.documentedPerThread = true;
  functions.push(moduleFn);
  functions.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return { file, language, functions, parseProblems: [...parseProblems, ...limits.problems()], comments };
}

/**
 * Walks the top level once to know the bindings, then each top-level function: which
 * return the ABI, and which are stubs of a Landlock call (only those no other file imports).
 */
function prepass(program: TSESTree.Program, context: JsFileContext): void {
  const saved = { ...context.worker };
  const top = new JsFunctionWalker(context, undefined, new Env());
  top.walkStatements(program.body);
  const exported = exportedNames(program);
  for (const p of top.pending) {
    if (p.kind !== "function" || walkLimitsOf(context).stopped) continue;
    const walker = new JsFunctionWalker(context, p.className, top.env.clone());
    walker.walkFunction(p.node);
    if (walker.returnsAbi) context.abiHelpers.add(p.name);
    if (exported.has(p.name) || p.className) continue;
    const stub = stubOf(p.node, (callee) => top.peek(callee), (node) => top.isConstant(node));
    if (stub) context.stubs.set(p.name, stub);
  }
  context.worker = saved;
}

class FunctionEmitter {
  private count = 0;

  constructor(
    private readonly context: JsFileContext,
    private readonly comments: CommentIndex,
    private readonly runtimeThreads: { mechanism: string; note: string },
    private readonly out: IrFunction[],
  ) {}

  emit(pending: Pending[], env: Env, nesting: number): void {
    if (nesting > MAX_NESTING) return;
    for (const p of pending) {
      if (this.count >= MAX_FUNCTIONS || walkLimitsOf(this.context).stopped) return;
      if (p.kind === "function") this.emitFunction(p, env, nesting, undefined);
      else this.emitClass(p, env, nesting);
    }
  }

  private emitFunction(p: Extract<Pending, { kind: "function" }>, env: Env, nesting: number, extra: Env | undefined): void {
    const walker = new JsFunctionWalker(this.context, p.className, withExtra(env.clone(), extra));
    // A stub's calls are the Landlock calls (walker.ts); its own body holds nothing to report.
    const stub = nesting === 0 && !p.className && this.context.stubs.has(p.name);
    const body = stub ? [] : walker.walkFunction(p.node);
    this.push(p.name, p.node, p.nameRange, p.declStart, body);
    this.emit(walker.pending, walker.env, nesting + 1);
  }

  private emitClass(p: Extract<Pending, { kind: "class" }>, env: Env, nesting: number): void {
    const name = p.name;
    const members = p.node.body.body;
    const fields = members.filter((m): m is TSESTree.PropertyDefinition => m.type === T.PropertyDefinition && !m.static && !!m.value && !isFunctionNode(unwrap(m.value)));
    const ctor = members.find(
      (m): m is TSESTree.MethodDefinition & { value: TSESTree.FunctionExpression } => m.type === T.MethodDefinition && m.kind === "constructor" && m.value.type === T.FunctionExpression,
    );
    const ctorWalker = new JsFunctionWalker(this.context, name, env.clone());
    const prologue: IrBlock = [];
    ctorWalker.walkFieldInitialisers(fields, prologue);
    const ctorBody = ctor ? [...prologue, ...ctorWalker.walkFunction(ctor.value)] : prologue;
    if (ctor || prologue.length) {
      const at = ctor ?? p.node;
      this.push(`${name}.constructor`, at, rangeOf(this.context.lines, ctor ? ctor.key : (p.node.id ?? p.node)), ctor ? ctor.range[0] : p.declStart, ctorBody);
    }
    // What the constructor stored on `this` is known in every method.
    const thisFacts = new Env();
    for (const [k, v] of ctorWalker.env.entries()) if (k.startsWith("this.")) thisFacts.put(k, v);
    this.emit(ctorWalker.pending, ctorWalker.env, nesting + 1);
    for (const m of members) {
      if (m.type !== T.MethodDefinition && m.type !== T.PropertyDefinition) continue;
      if (m.type === T.MethodDefinition && m.kind === "constructor") continue;
      const value = m.value ? unwrap(m.value) : undefined;
      if (!value || !isFunctionNode(value)) continue;
      const key = keyName(m.key, m.computed);
      if (key === undefined) continue;
      this.emitFunction({ kind: "function", name: `${name}.${key}`, node: value, nameRange: rangeOf(this.context.lines, m.key), declStart: m.range[0], className: name }, env, nesting + 1, thisFacts);
    }
  }

  private push(name: string, node: { range: [number, number] }, nameRange: IrFunction["nameRange"], declStart: number, body: IrBlock): void {
    this.count++;
    const fn: IrFunction = {
      name,
      range: rangeOf(this.context.lines, node),
      nameRange,
      isEntry: false,
      runtimeThreads: { ...this.runtimeThreads },
      body,
    };
    const nearby = [...this.comments.leading(declStart, this.context.text), ...this.comments.within(node.range[0], node.range[1])];
    if (nearby.some((c) => statesPerThreadDesign(c.text))) fn.documentedPerThread = true;
    this.out.push(fn);
  }
}

function withExtra(env: Env, extra: Env | undefined): Env {
  if (extra) for (const [k, v] of extra.entries()) env.put(k, v);
  return env;
}
