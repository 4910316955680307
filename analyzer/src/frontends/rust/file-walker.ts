// Walks the items of a Rust file: `use` declarations, `const`/`static` items, free
// functions, `impl` and `trait` methods (named `Type::method`), inline modules (not
// `#[cfg(test)]` ones, nor `#[test]` functions), with their attributes (`#[tokio::main]`)
// and the comments around them, and hands each function to RustFunctionWalker.

import type { IrFile, IrFunction, Range } from "../../ir.js";
import type { FrontEndOptions } from "../frontend.js";
import { nodeRange, type Node } from "../treesitter.js";
import { CommentIndex, collectParseProblems, statesPerThreadDesign, statesPrivileged, type Comment } from "../c/comments.js";
import { RustImports } from "./imports.js";
import { MacroArguments } from "./macros.js";
import { pathOf } from "./syntax.js";
import { startWalk } from "../walk-limits.js";
import { RustFunctionWalker, type RustFileContext } from "./walker.js";

interface FoundFunction {
  node: Node;
  name: string;
  nameNode: Node;
  typeName?: string;
  body: Node;
  parameters: Node | null;
  attributes: Node[];
  /** Where the item starts, attributes included (leading comments end there). */
  itemStart: number;
  topLevel: boolean;
  returnsValue: boolean;
}

const MAX_ITEMS = 200_000;

export function buildRustFileIr(root: Node, text: string, file: string, options: FrontEndOptions): IrFile {
  const comments = collectRustComments(root);
  const commentIndex = new CommentIndex(comments);
  const imports = new RustImports(root);
  const consts = new Map<string, Node>();
  const found: FoundFunction[] = [];
  collectItems(root, found, consts);
  const extra: IrFunction[] = [];
  const definedNames = new Set<string>();
  for (const f of found) {
    definedNames.add(f.name);
    definedNames.add(f.nameNode.text);
  }
  const context: RustFileContext = {
    imports,
    settings: options.settings,
    text,
    ...(options.facts.rustLandlockVersion ? { rustLandlockVersion: options.facts.rustLandlockVersion } : {}),
    consts,
    abiHelpers: new Set(),
    builderHelpers: new Map(),
    definedNames,
    usesRustLandlock: imports.uses("landlock") || /\blandlock::/.test(text),
    taskRuntime: taskRuntimeOf(text),
    macros: new MacroArguments(text),
    addFunction: (fn) => extra.push(fn),
  };
  const limits = startWalk(context, options.walkBudgetMs);
  const handlers = signalHandlersOf(text);

  // ABI helpers first, then builder helpers, so that their callers read what they return.
  const bodyText = (f: FoundFunction) => text.slice(f.body.startIndex, f.body.endIndex);
  const rank = (f: FoundFunction): number => {
    if (/CREATE_RULESET_VERSION|landlock_create_ruleset|\b444\b/.test(bodyText(f))) return 0;
    if (/\bRuleset(?:Created)?\b/.test(text.slice(f.node.startIndex, f.body.startIndex))) return 1;
    return 2;
  };
  // Ranked once per function: a comparator that slices and searches each body is n log n bodies.
  const ranks = new Map(found.map((f) => [f, rank(f)]));
  const order = [...found].sort((a, b) => ranks.get(a)! - ranks.get(b)!);
  const functions: IrFunction[] = [];
  for (const f of order) {
    if (limits.stopped) break;
    const nearby = [...commentIndex.leading(f.itemStart, text), ...commentIndex.within(f.node.startIndex, f.node.endIndex)];
    const walker = new RustFunctionWalker(
      context,
      {
        name: f.name,
        ...(f.typeName ? { typeName: f.typeName } : {}),
        isMain: f.topLevel && f.name === "main",
        returnsValue: f.returnsValue,
        privilegeDocumented: nearby.some((c) => statesPrivileged(c.text)),
      },
      f.body,
      f.parameters,
    );
    const body = walker.walk();
    if (walker.returnsAbi) {
      context.abiHelpers.add(f.name);
      context.abiHelpers.add(f.nameNode.text);
    }
    if (walker.returnedBuilder) {
      context.builderHelpers.set(f.name, walker.returnedBuilder);
      context.builderHelpers.set(f.nameNode.text, walker.returnedBuilder);
    }
    const fn: IrFunction = {
      name: f.name,
      range: nodeRange(f.node),
      nameRange: nodeRange(f.nameNode),
      isEntry: f.topLevel && f.name === "main",
      body,
    };
    // `#[tokio::main]` also works on other functions: the runtime is built when they are called.
    const runtime = runtimeOf(f.attributes);
    if (runtime) fn.runtimeThreads = runtime;
    if (nearby.some((c) => statesPerThreadDesign(c.text))) fn.documentedPerThread = true;
    const handler = handlers.get(f.nameNode.text);
    if (handler) fn.runsRepeatedly = { how: "signal handler", range: handler };
    functions.push(fn);
  }
  functions.push(...extra);
  functions.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return { file, language: "rust", functions, parseProblems: [...collectParseProblems(root), ...limits.problems()], comments };
}

/** Line and block comments (doc comments included), in source order, as written. */
export function collectRustComments(root: Node): Comment[] {
  return root
    .descendantsOfType(["line_comment", "block_comment"])
    .filter((c) => c.parent?.type !== "line_comment" && c.parent?.type !== "block_comment")
    .map((c) => {
      const range = nodeRange(c);
      const text = c.text.replace(/\r?\n$/, "");
      if (text.length !== c.text.length) {
        const cut = c.text.length - text.length;
        range.end = { line: range.start.line, column: range.start.column + text.length, offset: range.end.offset - cut };
      }
      return { range, text };
    });
}

function collectItems(root: Node, found: FoundFunction[], consts: Map<string, Node>): void {
  const stack: { node: Node; typeName?: string; topLevel: boolean }[] = [{ node: root, topLevel: true }];
  let visited = 0;
  while (stack.length && visited++ < MAX_ITEMS) {
    const { node, typeName, topLevel } = stack.pop()!;
    const children = node.namedChildren;
    const items: { node: Node; attributes: Node[] }[] = [];
    let attributes: Node[] = [];
    for (const c of children) {
      if (c.type === "attribute_item") {
        attributes.push(c);
        continue;
      }
      if (c.type === "line_comment" || c.type === "block_comment") continue;
      items.push({ node: c, attributes });
      attributes = [];
    }
    const nested: { node: Node; typeName?: string; topLevel: boolean }[] = [];
    for (const { node: item, attributes: attrs } of items) {
      if (attrs.some(isTestAttribute)) continue;
      switch (item.type) {
        case "function_item": {
          const f = functionOf(item, attrs, typeName, topLevel);
          if (f) found.push(f);
          break;
        }
        case "impl_item": {
          const type = pathOf(item.childForFieldName("type"));
          const body = item.childForFieldName("body");
          if (body) nested.push({ node: body, ...(type ? { typeName: type.split("::").pop()! } : {}), topLevel: false });
          break;
        }
        case "trait_item": {
          const name = item.childForFieldName("name")?.text;
          const body = item.childForFieldName("body");
          if (body) nested.push({ node: body, ...(name ? { typeName: name } : {}), topLevel: false });
          break;
        }
        case "mod_item": {
          const body = item.childForFieldName("body");
          if (body) nested.push({ node: body, topLevel: false });
          break;
        }
        case "const_item":
        case "static_item": {
          const name = item.childForFieldName("name")?.text;
          const value = item.childForFieldName("value");
          if (name && value && !consts.has(name)) consts.set(name, value);
          break;
        }
        case "ERROR":
          nested.push({ node: item, ...(typeName ? { typeName } : {}), topLevel });
          break;
        default:
          break;
      }
    }
    for (let i = nested.length - 1; i >= 0; i--) stack.push(nested[i]!);
  }
}

function functionOf(node: Node, attributes: Node[], typeName: string | undefined, topLevel: boolean): FoundFunction | undefined {
  const nameNode = node.childForFieldName("name");
  const body = node.childForFieldName("body");
  if (!nameNode || !body) return undefined;
  const returnType = node.childForFieldName("return_type");
  return {
    node,
    name: typeName ? `${typeName}::${nameNode.text}` : nameNode.text,
    nameNode,
    ...(typeName ? { typeName } : {}),
    body,
    parameters: node.childForFieldName("parameters"),
    attributes,
    itemStart: attributes[0]?.startIndex ?? node.startIndex,
    topLevel,
    returnsValue: !!returnType && returnType.text.replace(/\s+/g, "") !== "()" && returnType.text.trim() !== "!",
  };
}

function isTestAttribute(attribute: Node): boolean {
  const t = attribute.text.replace(/\s+/g, "");
  return t === "#[test]" || t === "#[cfg(test)]" || /^#\[(?:tokio|async_std)::test\b/.test(t);
}

/** `#[tokio::main]` (multi-thread unless `flavor = "current_thread"`), `#[async_std::main]`. */
function runtimeOf(attributes: Node[]): IrFunction["runtimeThreads"] | undefined {
  for (const a of attributes) {
    const t = a.text.replace(/\s+/g, " ");
    if (/^#\[\s*tokio\s*::\s*main\b/.test(t)) {
      if (/flavor\s*=\s*"current_thread"/.test(t)) return undefined;
      return {
        mechanism: "tokio multi-thread runtime (#[tokio::main])",
        range: nodeRange(a),
        note: "#[tokio::main] builds a multi-thread runtime and starts its worker threads before the function's async body runs",
      };
    }
    if (/^#\[\s*async_std\s*::\s*main\b/.test(t)) {
      return { mechanism: "async-std runtime (#[async_std::main])", range: nodeRange(a), note: "async-std's executor threads run beside main" };
    }
  }
  return undefined;
}

/**
 * What runs `tokio::spawn` tasks in this file: a current-thread runtime only when that is
 * all the file builds. Such a runtime is single-threaded, but spawn_blocking (and tokio::fs)
 * still start blocking-pool threads: those calls are thread spawns of their own.
 */
function taskRuntimeOf(text: string): "multi" | "current" {
  const current = /flavor\s*=\s*"current_thread"|new_current_thread\s*\(/.test(text);
  const multi = /flavor\s*=\s*"multi_thread"|new_multi_thread\s*\(|#\[\s*tokio\s*::\s*main\s*\]/.test(text);
  return current && !multi ? "current" : "multi";
}

/** Functions registered as signal handlers (nix `SigHandler::Handler(f)`, `libc::signal(sig, f as ...)`). */
function signalHandlersOf(text: string): Map<string, Range> {
  const out = new Map<string, Range>();
  if (text.length > 4_000_000 || !/Handler|signal/.test(text)) return out;
  const add = (name: string, offset: number) => {
    if (out.has(name)) return;
    let line = 1;
    let lineStart = 0;
    for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
      line++;
      lineStart = i + 1;
    }
    const at = { line, column: offset - lineStart, offset };
    out.set(name, { start: at, end: { ...at, column: at.column + name.length, offset: offset + name.length } });
  };
  for (const m of text.matchAll(/SigHandler::(?:Handler|SigAction)\s*\(\s*([A-Za-z_]\w*)\s*\)/g)) add(m[1]!, m.index! + m[0].indexOf(m[1]!));
  for (const m of text.matchAll(/\bsignal\s*\(\s*[\w:]+\s*,\s*([A-Za-z_]\w*)\s+as\b/g)) add(m[1]!, m.index! + m[0].indexOf(m[1]!, m[0].indexOf(",")));
  return out;
}
