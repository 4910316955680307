// Walks the top level of a C/C++ translation unit: collects what constant evaluation
// needs (`#define`, enums, const globals), finds every function definition (free
// functions, methods in and out of class bodies, templates, `extern "C"` blocks, all
// alternatives of a top-level `#if` unless compile_commands defines settle it, functions
// the parser could only recover inside an ERROR node) and hands each to FunctionWalker.

import type { IrFile, IrFunction, IrNode, IrOp, Language, Range } from "../../ir.js";
import type { FrontEndOptions } from "../frontend.js";
import { nodeRange, type Node } from "../treesitter.js";
import { POOL_TYPES, THREAD_TYPES } from "./call-names.js";
import { CommentIndex, collectComments, collectParseProblems, statesPerThreadDesign, statesPrivileged } from "./comments.js";
import { FileDefinitions } from "./definitions.js";
import { RecordingDefinitions, type RecordedCallback } from "./function-cache.js";
import type { IncrementalInputs } from "./incremental.js";
import { FunctionWalker, type FileContext } from "./walker.js";
import { startWalk } from "../walk-limits.js";
import { resolveParameterTargets } from "../common/parameter-targets.js";

interface FoundFunction {
  node: Node;
  name: string;
  nameNode: Node;
  className?: string;
  body: Node;
  parameters: Node | null;
  /** Recovered from an ERROR node: the body is the ERROR's statements from this offset. */
  bodyStart?: number;
  /** Recovered from an ERROR node (`node` is not a function_definition): never reused. */
  recovered?: true;
  /** Offsets already known (a shape from the last build): `node` start and end, body start and end. */
  offsets?: { start: number; end: number; bodyFrom: number; bodyTo: number };
}

/** A found function with its source text (read once: node text crosses into WebAssembly). */
interface FunctionSource extends FoundFunction {
  bodyText: string;
  /** Offsets of `node` and of its body (read once). */
  start: number;
  end: number;
  bodyFrom: number;
}

/**
 * What functionOf found in a function definition of a given text (and class), offsets
 * relative to its start; null when it is no function. Kept between builds, so a definition
 * the edit did not touch costs one lookup instead of a dozen calls into WebAssembly (its
 * nodes are read only if it has to be walked again).
 */
export interface FunctionShape {
  name: string;
  bodyFrom: number;
  bodyTo: number;
}

export interface ShapeMaps {
  previous: Map<string, FunctionShape | null>;
  next: Map<string, FunctionShape | null>;
}

interface GlobalSpawn {
  mechanism: string;
  range: Range;
}

const MAX_TOP_LEVEL_NODES = 500_000;

export function buildFileIr(
  root: Node,
  text: string,
  file: string,
  language: Language & ("c" | "cpp"),
  options: FrontEndOptions,
  incremental?: Omit<IncrementalInputs, "tree">,
): IrFile {
  const reuse = incremental?.reuse;
  const defs = reuse ? new RecordingDefinitions(options.defines, language === "cpp") : new FileDefinitions(options.defines, language === "cpp");
  const comments = incremental ? incremental.comments : collectComments(root, text);
  const commentIndex = new CommentIndex(comments);
  const found: FoundFunction[] = [];
  const globalSpawns: GlobalSpawn[] = [];
  const namespaces = new Set<string>();
  const shapes = incremental ? { previous: incremental.shapes, next: new Map<string, FunctionShape | null>() } : undefined;
  collectTopLevel(root, defs, found, globalSpawns, namespaces, language, text, shapes);
  if (incremental && shapes) incremental.keepShapes(shapes.next);
  // Assigned, not spread: a function known from its shape resolves its nodes lazily (getters).
  const sources: FunctionSource[] = found.map((f) => {
    const o = f.offsets ?? { start: f.node.startIndex, end: f.node.endIndex, bodyFrom: f.body.startIndex, bodyTo: f.body.endIndex };
    return Object.assign(f, { start: o.start, end: o.end, bodyFrom: o.bodyFrom, bodyText: text.slice(f.bodyStart ?? o.bodyFrom, o.bodyTo) });
  });

  const extra: IrFunction[] = [];
  const callbacks = new Map<string, { how: string; range: Range }>();
  // What the function being walked emits besides its own IR, for the reuse cache.
  let emitted: { extras: IrFunction[]; callbacks: RecordedCallback[] } | undefined;
  const context: FileContext = {
    language,
    defs,
    settings: options.settings,
    abiHelpers: new Set(),
    // A restriction in a signal handler is a hand-made per-thread broadcast only when the
    // file also signals its threads one by one.
    signalHandlers: /\b(?:tgkill|tkill|pthread_kill)\b/.test(text) ? signalHandlersOf(text) : new Set(),
    capCheckers: new Set(sources.filter((f) => isCapChecker(f.bodyText)).map((f) => stripNamespaces(f.name, namespaces))),
    addFunction: (fn) => {
      extra.push(fn);
      emitted?.extras.push(fn);
    },
    registerCallback: (name, how, range) => {
      emitted?.callbacks.push({ name, how, range });
      if (!callbacks.has(name)) callbacks.set(name, { how, range });
    },
  };

  // Before any function walker runs: they read the file's limits from the context.
  const limits = startWalk(context, options.walkBudgetMs);

  // ABI helpers first, so that their callers read `abi = get_abi()` as an ABI value.
  const looksLikeAbiHelper = (f: FunctionSource) => /CREATE_RULESET_VERSION|landlock_create_ruleset|\b444\b/.test(f.bodyText);
  const order = [...sources.filter(looksLikeAbiHelper), ...sources.filter((f) => !looksLikeAbiHelper(f))];
  const functions: IrFunction[] = [];
  const build = reuse?.begin(contextKeyOf(text, sources, language, options, context, namespaces));
  const lines = build ? incremental?.lines : undefined;
  for (const f of order) {
    if (limits.stopped) break;
    if (!build || !lines || !(defs instanceof RecordingDefinitions)) {
      const fn = walkFunction(f, context, commentIndex, text, namespaces);
      if (fn) functions.push(fn);
      continue;
    }
    const at = lines.position(f.start);
    const ownKey = functionKeyOf(f, context, commentIndex, text, namespaces, at.column);
    const key = f.recovered ? undefined : build.keyOf(ownKey, context.abiHelpers);
    const reused = key === undefined ? undefined : build.reuse(key, f.start, at.line);
    if (reused) {
      if (reused.fn) functions.push(reused.fn);
      for (const fn of reused.extras) context.addFunction(fn);
      for (const c of reused.callbacks) context.registerCallback(c.name, c.how, c.range);
      if (reused.returnsAbi) context.abiHelpers.add(stripNamespaces(f.name, namespaces));
      continue;
    }
    const additionsBefore = defs.additions;
    const wasAbiHelper = context.abiHelpers.has(stripNamespaces(f.name, namespaces));
    emitted = { extras: [], callbacks: [] };
    const fn = walkFunction(f, context, commentIndex, text, namespaces);
    const walked = { fn, ...emitted, returnsAbi: !wasAbiHelper && context.abiHelpers.has(stripNamespaces(f.name, namespaces)) };
    emitted = undefined;
    if (fn) functions.push(fn);
    build.record(key, f.start, at.line, walked, defs.additions !== additionsBefore, build.keyOf(ownKey, context.abiHelpers));
  }
  build?.finish();
  functions.push(...extra);
  for (const fn of functions) {
    const callback = callbacks.get(fn.name);
    if (callback) fn.runsRepeatedly = { how: callback.how, range: callback.range };
  }
  resolveParameterTargets(functions);
  functions.sort((a, b) => a.range.start.offset - b.range.start.offset);

  const constructors = constructorFunctionNames(sources, text);
  const constructorSpawn = constructors.size ? functions.find((fn) => constructors.has(fn.name) && containsSpawn(fn.body)) : undefined;
  const early = globalSpawns[0] ?? (constructorSpawn ? { mechanism: `${constructorSpawn.name} (constructor)`, range: constructorSpawn.range } : undefined);
  if (early) {
    for (const fn of functions) {
      if (fn.isEntry) fn.runtimeThreads = { mechanism: early.mechanism, range: early.range, note: "threads started before main by static initialisation" };
    }
  }
  return {
    file,
    language,
    functions,
    parseProblems: [...collectParseProblems(root), ...limits.problems()],
    comments,
  };
}

/** What comments next to a function say: it runs privileged, or restricts one thread by design. */
function commentFacts(f: FunctionSource, comments: CommentIndex, text: string): { privileged: boolean; perThread: boolean } {
  const nearby = [...comments.leading(f.start, text), ...comments.within(f.start, f.end)];
  return { privileged: nearby.some((c) => statesPrivileged(c.text)), perThread: nearby.some((c) => statesPerThreadDesign(c.text)) };
}

function walkFunction(f: FunctionSource, context: FileContext, comments: CommentIndex, text: string, namespaces: Set<string>): IrFunction | undefined {
  const name = stripNamespaces(f.name, namespaces);
  const documented = commentFacts(f, comments, text);
  const bodyText = f.bodyText;
  const className = f.className ?? (name.includes("::") ? name.slice(0, name.lastIndexOf("::")) : undefined);
  const walker = new FunctionWalker(
    context,
    {
      name,
      ...(className ? { className } : {}),
      privilegeDocumented: documented.privileged,
      mentionsCapSysAdmin: bodyText.includes("CAP_SYS_ADMIN"),
      mentionsCapClear: /CAP_CLEAR|cap_drop|CAP_DROP/.test(bodyText),
    },
    f.body,
    f.parameters,
    /\bgoto\b/.test(bodyText),
    f.bodyStart ?? 0,
  );
  const body = walker.walk();
  if (walker.returnsAbi) context.abiHelpers.add(name);
  const fn: IrFunction = {
    name,
    range: nodeRange(f.node),
    nameRange: nodeRange(f.nameNode),
    isEntry: name === "main",
    body,
  };
  if (documented.perThread) fn.documentedPerThread = true;
  return fn;
}

/**
 * What a function's walk reads of itself and of its neighbourhood, besides the file-level
 * context: its text, name, class, start column, and what the comments next to it say.
 */
function functionKeyOf(f: FunctionSource, context: FileContext, comments: CommentIndex, text: string, namespaces: Set<string>, column: number): string {
  const documented = commentFacts(f, comments, text);
  const name = stripNamespaces(f.name, namespaces);
  const head = [name, f.className ?? "", column, documented.privileged ? 1 : 0, documented.perThread ? 1 : 0, context.signalHandlers.has(name) ? 1 : 0].join("\u0000");
  return `${head}\u0000${text.slice(f.start, f.end)}`;
}

/**
 * Everything file-level a function's walk may read: a change here drops every reusable
 * walk. The top-level text is the file without the reusable function definitions (their
 * own text is in their keys): defines, enums, constants, classes and namespaces live there.
 */
function contextKeyOf(text: string, sources: FunctionSource[], language: string, options: FrontEndOptions, context: FileContext, namespaces: Set<string>): string {
  const cut = sources.filter((f) => !f.recovered).sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let cursor = 0;
  for (const f of cut) {
    if (f.start < cursor) continue;
    const gap = text.slice(cursor, f.start);
    // Whitespace alone defines nothing (a preprocessor line still ends at its newline).
    parts.push(/^\s*$/.test(gap) ? (gap.includes("\n") ? "\n" : " ") : gap);
    cursor = f.end;
  }
  parts.push(text.slice(cursor));
  const sorted = (set: Set<string>) => [...set].sort();
  const head = JSON.stringify([language, options.settings, options.defines ?? null, sorted(context.signalHandlers), sorted(context.capCheckers), sorted(namespaces)]);
  return `${head}\u0000${parts.join("\u0001")}`;
}

/** `ns::Sandbox::apply` -> `Sandbox::apply` when `ns` is a namespace of this file (or `std`). */
function stripNamespaces(name: string, namespaces: Set<string>): string {
  const parts = name.split("::");
  while (parts.length > 1 && (namespaces.has(parts[0]!) || parts[0] === "")) parts.shift();
  return parts.join("::");
}

function collectTopLevel(
  root: Node,
  defs: FileDefinitions,
  found: FoundFunction[],
  globalSpawns: GlobalSpawn[],
  namespaces: Set<string>,
  language: "c" | "cpp",
  text: string,
  shapes?: ShapeMaps,
): void {
  // Explicit stack (in source order) so that deeply nested input cannot overflow the JS stack.
  const stack: { node: Node; className?: string }[] = [{ node: root }];
  let visited = 0;
  while (stack.length && visited++ < MAX_TOP_LEVEL_NODES) {
    const { node, className } = stack.pop()!;
    const push = (children: Node[], cls: string | undefined = className) => {
      for (let i = children.length - 1; i >= 0; i--) stack.push(cls ? { node: children[i]!, className: cls } : { node: children[i]! });
    };
    switch (node.type) {
      case "translation_unit":
      case "declaration_list":
      case "field_declaration_list":
        push(node.namedChildren);
        break;
      case "preproc_if":
      case "preproc_ifdef":
      case "preproc_elif":
      case "preproc_elifdef":
      case "preproc_else": {
        const alternative = node.childForFieldName("alternative");
        const skip = new Set([alternative?.id, node.childForFieldName("condition")?.id, node.childForFieldName("name")?.id]);
        const own = node.namedChildren.filter((c) => !skip.has(c.id));
        const liveness = node.type === "preproc_else" ? "live" : defs.liveness(node);
        // Push the alternative first so the own branch is collected first (source order).
        if (alternative && liveness !== "live") stack.push(className ? { node: alternative, className } : { node: alternative });
        if (liveness !== "dead") push(own);
        break;
      }
      case "preproc_def":
      case "preproc_function_def":
      case "preproc_call":
      case "preproc_include":
        defs.collect(node);
        break;
      case "namespace_definition": {
        const name = node.childForFieldName("name")?.text;
        if (name) for (const part of name.split("::")) namespaces.add(part.trim());
        const body = node.childForFieldName("body");
        if (body) push([body]);
        break;
      }
      case "linkage_specification": {
        const body = node.childForFieldName("body");
        if (body) push([body]);
        break;
      }
      case "template_declaration":
        push(node.namedChildren.filter((c) => c.type !== "template_parameter_list"));
        break;
      case "class_specifier":
      case "struct_specifier":
      case "union_specifier": {
        const name = node.childForFieldName("name")?.text.replace(/<.*$/, "");
        const body = node.childForFieldName("body");
        if (name && body && node.type === "struct_specifier" && body.namedChildCount <= 3) defs.collectAttrType(name, body);
        // Only C++ types hold member functions (and nested types with them).
        if (language !== "cpp") break;
        if (body) defs.collectMembers(body);
        if (name && body && node.type === "class_specifier") defs.classNames.add(name);
        if (body) push([body], name ? (className ? `${className}::${name}` : name) : className);
        break;
      }
      case "enum_specifier": {
        const body = node.childForFieldName("body");
        if (body) defs.collectEnum(body);
        break;
      }
      case "function_definition": {
        const f = shapes ? knownFunction(node, className, text, shapes) : functionOf(node, className);
        if (f) found.push(f);
        break;
      }
      case "declaration":
      case "field_declaration":
      case "type_definition":
        if (node.type === "declaration") topLevelDeclaration(node, defs, globalSpawns, language);
        for (const t of node.childrenForFieldName("type")) {
          if (t.type === "class_specifier" || t.type === "struct_specifier" || t.type === "enum_specifier" || t.type === "union_specifier") push([t]);
        }
        break;
      case "ERROR":
        recoverFromError(node, found, className);
        push(node.namedChildren.filter((c) => c.type !== "compound_statement" && c.type !== "function_definition"));
        break;
      default:
        break;
    }
  }
}

function topLevelDeclaration(node: Node, defs: FileDefinitions, globalSpawns: GlobalSpawn[], language: "c" | "cpp"): void {
  // Only constants (for flag evaluation) and, in C++, objects that start threads matter here.
  const head = node.text.slice(0, 200);
  if (language !== "cpp" && !/\bconst\b/.test(head)) return;
  // `struct ll_attr { ... };` at top level is a declaration whose type holds the fields.
  if (language === "cpp" && !/\bconst(?:expr)?\b|thread|pool|Pool|task_group|task_arena/.test(head)) return;
  const type = node.childForFieldName("type");
  const typeText = type?.text.replace(/\s+/g, "") ?? "";
  const isConst = node.namedChildren.some((c) => c.type === "type_qualifier" && /const/.test(c.text)) || /\bconstexpr\b/.test(node.text.slice(0, 200));
  for (const d of node.childrenForFieldName("declarator")) {
    if (d.type === "array_declarator" || d.type === "init_declarator") {
      // `static const char kPath[] = "\0name";`
      const value = d.type === "init_declarator" ? d.childForFieldName("value") : null;
      const inner = d.type === "init_declarator" ? d.childForFieldName("declarator") : d;
      const nameNode = inner?.type === "array_declarator" ? inner.childForFieldName("declarator") : undefined;
      if (isConst && value && nameNode?.type === "identifier") defs.collectConstant(nameNode.text, value);
      if (d.type === "array_declarator") continue;
    }
    if (d.type !== "init_declarator") {
      // `static ThreadPool pool;` at namespace scope runs its constructor before main.
      if (language === "cpp" && node.type === "declaration" && POOL_TYPES.test(typeText) && d.type === "identifier") globalSpawns.push({ mechanism: typeText, range: nodeRange(d) });
      continue;
    }
    const nameNode = d.childForFieldName("declarator");
    const value = d.childForFieldName("value");
    if (!nameNode || !value) continue;
    if (language === "cpp" && node.type === "declaration" && (THREAD_TYPES.test(typeText) || POOL_TYPES.test(typeText)) && value.namedChildCount > 0) {
      globalSpawns.push({ mechanism: typeText, range: nodeRange(d) });
    }
    if (isConst && nameNode.type === "identifier") defs.collectConstant(nameNode.text, value);
  }
}

/** A function definition: its name (qualified for methods) and body. */
function functionOf(node: Node, className: string | undefined): FoundFunction | undefined {
  const body = node.childForFieldName("body");
  if (!body) return undefined;
  const declarator = node.childForFieldName("declarator");
  const fd = declarator ? functionDeclaratorOf(declarator) : undefined;
  if (!fd) return undefined;
  const nameNode = fd.childForFieldName("declarator");
  if (!nameNode) return undefined;
  const raw = nameNode.text.replace(/\s+/g, "").replace(/<[^<>]*(?:<[^<>]*>[^<>]*)*>/g, "");
  const name = className && !raw.includes("::") ? `${className}::${raw}` : raw;
  return className ? { node, name, nameNode, className, body, parameters: fd.childForFieldName("parameters") } : { node, name, nameNode, body, parameters: fd.childForFieldName("parameters") };
}

/** functionOf through the shapes of the last build (see FunctionShape). */
function knownFunction(node: Node, className: string | undefined, text: string, shapes: ShapeMaps): FoundFunction | undefined {
  const start = node.startIndex;
  const end = node.endIndex;
  const key = `${className ?? ""}\u0000${text.slice(start, end)}`;
  const shape = shapes.previous.get(key) ?? shapes.next.get(key);
  if (shape === undefined) {
    const f = functionOf(node, className);
    const bodyFrom = f?.body.startIndex ?? 0;
    const bodyTo = f?.body.endIndex ?? 0;
    shapes.next.set(key, f ? { name: f.name, bodyFrom: bodyFrom - start, bodyTo: bodyTo - start } : null);
    return f && Object.assign(f, { offsets: { start, end, bodyFrom, bodyTo } });
  }
  shapes.next.set(key, shape);
  if (shape === null) return undefined;
  let nodes: FoundFunction | undefined;
  const resolve = (): FoundFunction => {
    nodes ??= functionOf(node, className);
    if (!nodes) throw new Error(`the function definition at offset ${start} no longer reads as one`);
    return nodes;
  };
  return {
    node,
    name: shape.name,
    ...(className ? { className } : {}),
    get nameNode() {
      return resolve().nameNode;
    },
    get body() {
      return resolve().body;
    },
    get parameters() {
      return resolve().parameters;
    },
    offsets: { start, end, bodyFrom: start + shape.bodyFrom, bodyTo: start + shape.bodyTo },
  };
}

function functionDeclaratorOf(declarator: Node): Node | undefined {
  let n: Node | null = declarator;
  for (let i = 0; n && i < 8; i++) {
    if (n.type === "function_declarator") return n;
    n = n.childForFieldName("declarator") ?? n.namedChildren.find((c) => c.type.endsWith("declarator")) ?? null;
  }
  return undefined;
}

/**
 * Functions the parser could only keep inside an ERROR node: `MACRO(x) int main(void)
 * { ... }` (ERROR + compound_statement), or a file cut inside a body (the declarator and
 * then bare statements, no closing brace).
 */
function recoverFromError(node: Node, found: FoundFunction[], className: string | undefined): void {
  const children = node.namedChildren;
  for (let i = 0; i < children.length; i++) {
    const c = children[i]!;
    if (c.type === "function_definition") {
      const f = functionOf(c, className);
      if (f) found.push(f);
      continue;
    }
    const fd = c.type === "function_declarator" ? c : undefined;
    if (fd) {
      const nameNode = fd.childForFieldName("declarator");
      const next = children[i + 1];
      if (!nameNode || !/^[A-Za-z_][\w:~]*$/.test(nameNode.text) || !next) continue;
      if (next.type === "compound_statement") {
        found.push({ node: next, name: nameNode.text, nameNode, body: next, parameters: fd.childForFieldName("parameters"), recovered: true });
        i++;
      } else if (STATEMENT_LIKE.has(next.type)) {
        found.push({ node, name: nameNode.text, nameNode, body: node, parameters: fd.childForFieldName("parameters"), bodyStart: next.startIndex, recovered: true });
        return;
      }
      continue;
    }
    if (c.type !== "compound_statement" || i === 0) continue;
    const prev = children[i - 1]!;
    const inner = prev.descendantsOfType("function_declarator").pop();
    const nameNode = inner?.childForFieldName("declarator");
    if (!inner || !nameNode || !/^[A-Za-z_][\w:~]*$/.test(nameNode.text)) continue;
    found.push({ node: c, name: nameNode.text, nameNode, body: c, parameters: inner.childForFieldName("parameters"), recovered: true });
  }
}

const STATEMENT_LIKE = new Set(["declaration", "expression_statement", "if_statement", "for_statement", "while_statement", "do_statement", "switch_statement", "return_statement", "compound_statement", "labeled_statement", "goto_statement"]);

/** Functions registered as signal handlers anywhere in the file (`signal(SIGUSR1, fn)`, `sa.sa_handler = fn`). */
function signalHandlersOf(text: string): Set<string> {
  const out = new Set<string>();
  if (text.length > 4_000_000) return out;
  for (const m of text.matchAll(/\b(?:signal|bsd_signal|sigset)\s*\(\s*[A-Za-z_]\w*\s*,\s*&?\s*([A-Za-z_]\w*)\s*\)/g)) out.add(m[1]!);
  for (const m of text.matchAll(/\.\s*sa_(?:handler|sigaction)\s*=\s*&?\s*([A-Za-z_]\w*)/g)) out.add(m[1]!);
  for (const name of ["SIG_IGN", "SIG_DFL", "SIG_ERR"]) out.delete(name);
  return out;
}


/** A function that reads the capability sets and looks at CAP_SYS_ADMIN. */
function isCapChecker(body: string): boolean {
  return body.includes("CAP_SYS_ADMIN") && /\bcapget\b|SYS_capget|__NR_capget|cap_get_flag|cap_get_proc|capng_have_capability|PR_CAPBSET_READ/.test(body);
}

function constructorFunctionNames(found: FunctionSource[], text: string): Set<string> {
  const names = new Set<string>();
  if (!text.includes("constructor")) return names;
  for (const f of found) {
    const head = text.slice(f.start, f.bodyFrom);
    if (/__attribute__\s*\(\(\s*constructor/.test(head)) names.add(f.name);
  }
  return names;
}

function containsSpawn(block: IrNode[]): boolean {
  for (const n of block) {
    if (n.kind === "op" && n.op.type === "spawn") return true;
    if (n.kind === "branch" && n.arms.some((a) => containsSpawn(a.body))) return true;
    if ((n.kind === "loop" || n.kind === "thread") && containsSpawn(n.body)) return true;
  }
  return false;
}
