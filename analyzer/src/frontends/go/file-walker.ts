// Walks the top level of a Go file: package name, imports, build constraint, package-level
// constants (with `iota` and implicit repetition), how the program re-executes itself, and
// every function and method, each handed to GoFunctionWalker. Every function gets the Go
// runtime's threads: Go starts OS threads before main and moves goroutines between them.

import type { IrFile, IrFunction, IrNode, IrOp, Tri } from "../../ir.js";
import type { FrontEndOptions } from "../frontend.js";
import { CommentIndex, collectParseProblems, statesPerThreadDesign } from "../c/comments.js";
import { collectGoComments, commentParagraph } from "./comments.js";
import { nodeRange, type Node } from "../treesitter.js";
import { evaluate } from "../c/evaluate.js";
import { exact, valueOf } from "../c/sym.js";
import { goConstant, SYSCALL_CREATE_RULESET, SYSCALL_RESTRICT_SELF } from "./constants.js";
import { goExprOf, goStringValue, unwrapValue, type Expr } from "./expr.js";
import { reexecOf, type Reexec } from "./helper-process.js";
import { Imports } from "./imports.js";
import { resetNodeTypes } from "./node-type.js";
import { buildTagRequirement, TSYNC_BUILD_TAG } from "./library.js";
import { startWalk } from "../walk-limits.js";
import { resolveParameterTargets } from "../common/parameter-targets.js";
import { GoFunctionWalker, type GoFileContext, type SyscallStub } from "./walker.js";

export const GO_RUNTIME_THREADS = { mechanism: "Go runtime", note: "Go starts OS threads before main, and goroutines move between them" } as const;

interface FoundFunction {
  node: Node;
  name: string;
  nameNode: Node;
  receiverName?: string;
  receiverType?: string;
  body: Node;
  parameters: Node[];
}

const MAX_TOP_LEVEL = 200_000;

export function buildGoFileIr(root: Node, text: string, file: string, options: FrontEndOptions): IrFile {
  resetNodeTypes();
  const imports = new Imports(root);
  const packageName = root.namedChildren.find((c) => c.type === "package_clause")?.namedChildren.find((c) => c.type === "package_identifier")?.text ?? "main";
  const comments = collectGoComments(root);
  const commentIndex = new CommentIndex(comments);
  const extra: IrFunction[] = [];
  const constants = collectConstants(root, imports);
  const context: GoFileContext = {
    imports,
    settings: options.settings,
    packageName,
    ...(options.facts.goLandlockVersion ? { goLandlockVersion: options.facts.goLandlockVersion } : {}),
    tsyncTag: tsyncTagOf(root, options.facts.goBuildTags),
    constants,
    abiHelpers: new Set(),
    stubs: new Map(),
    ...reexecField(text, constants),
    addFunction: (fn) => extra.push(fn),
    runtimeThreads: { ...GO_RUNTIME_THREADS },
  };
  const limits = startWalk(context, options.walkBudgetMs);
  const found = collectFunctions(root, packageName);
  for (const f of found) {
    const stub = syscallStubOf(f, context.constants);
    if (stub) context.stubs.set(f.name, stub);
  }
  // ABI helpers first, so that their callers read `abi := landlockABI()` as the ABI.
  const looksLikeAbiHelper = (f: FoundFunction) => /LANDLOCK_CREATE_RULESET_VERSION|LandlockGetABIVersion|CREATE_RULESET_VERSION/.test(f.body.text);
  const order = [...found.filter(looksLikeAbiHelper), ...found.filter((f) => !looksLikeAbiHelper(f))];
  const functions: IrFunction[] = [];
  for (const f of order) {
    if (limits.stopped) break;
    const walker = new GoFunctionWalker(context, { name: f.name, ...(f.receiverType ? { receiverType: f.receiverType } : {}) }, f.body, f.parameters);
    walker.setReceiver(f.receiverName, f.receiverType);
    const body = walker.walk();
    if (walker.returnsAbi) {
      context.abiHelpers.add(f.name);
      context.abiHelpers.add(f.nameNode.text);
    }
    const nearby = [...commentIndex.leading(f.node.startIndex, text), ...commentIndex.within(f.node.startIndex, f.node.endIndex)];
    const fn: IrFunction = {
      name: f.name,
      range: nodeRange(f.node),
      nameRange: nodeRange(f.nameNode),
      isEntry: packageName === "main" && f.name === "main",
      runtimeThreads: { ...GO_RUNTIME_THREADS },
      body,
    };
    // Go comments are runs of `//` lines: a statement can span several of them.
    if (nearby.some((c) => statesPerThreadDesign(c.text)) || statesPerThreadDesign(commentParagraph(nearby))) fn.documentedPerThread = true;
    functions.push(fn);
  }
  functions.push(...extra);
  functions.sort((a, b) => a.range.start.offset - b.range.start.offset);
  const handlers = handlerNames(text);
  for (const fn of functions) {
    const how = handlers.get(fn.name) ?? (/\.ServeHTTP$/.test(fn.name) ? "the HTTP handler ServeHTTP, run for every request" : undefined);
    if (how) fn.runsRepeatedly = { how };
  }
  resolveParameterTargets(functions);
  return { file, language: "go", functions, parseProblems: [...collectParseProblems(root), ...limits.problems()], comments };
}

/** Functions and methods (also those the parser could only recover inside an ERROR node). */
function collectFunctions(root: Node, packageName: string): FoundFunction[] {
  const out: FoundFunction[] = [];
  const stack: Node[] = [...root.namedChildren].reverse();
  let visited = 0;
  while (stack.length && visited++ < MAX_TOP_LEVEL) {
    const node = stack.pop()!;
    if (node.type === "ERROR") {
      stack.push(...[...node.namedChildren].reverse());
      continue;
    }
    if (node.type !== "function_declaration" && node.type !== "method_declaration") continue;
    const nameNode = node.childForFieldName("name");
    const body = node.childForFieldName("body");
    if (!nameNode || !body) continue;
    const parameters = [node.childForFieldName("parameters")].filter((p): p is Node => !!p);
    if (node.type === "method_declaration") {
      const receiver = node.childForFieldName("receiver");
      const decl = receiver?.namedChildren.find((c) => c.type === "parameter_declaration");
      const type = decl?.childForFieldName("type")?.text.replace(/[\s*]/g, "").replace(/\[.*$/, "");
      const receiverName = decl?.childForFieldName("name")?.text;
      out.push({
        node,
        name: type ? `${type}.${nameNode.text}` : nameNode.text,
        nameNode,
        ...(receiverName ? { receiverName } : {}),
        ...(type ? { receiverType: type } : {}),
        body,
        parameters,
      });
      continue;
    }
    const name = packageName === "main" ? nameNode.text : `${packageName}.${nameNode.text}`;
    out.push({ node, name, nameNode, body, parameters });
  }
  return out;
}

/** Package-level `const` (with iota and implicit repetition) and `var x = <constant>`. */
function collectConstants(root: Node, imports: Imports): Map<string, Expr> {
  const constants = new Map<string, Expr>();
  const packageOf = (name: string) => imports.packageId(name, () => false);
  for (const decl of root.namedChildren) {
    if (decl.type !== "const_declaration" && decl.type !== "var_declaration") continue;
    let previous: Node | undefined;
    let iota = 0n;
    for (const spec of decl.descendantsOfType(["const_spec", "var_spec"])) {
      const names = spec.childrenForFieldName("name").filter((n) => n.type === "identifier");
      const valueList = spec.childForFieldName("value");
      const values = valueList ? valueList.namedChildren.filter((c) => c.type !== "comment") : [];
      if (decl.type === "const_declaration" && values.length === 0 && previous) {
        // Implicit repetition: `A = 1 << iota; B; C`.
        const repeated = previous.namedChildren.filter((c) => c.type !== "comment");
        names.forEach((n, i) => {
          if (repeated[i]) constants.set(n.text, substituteIota(goExprOf(repeated[i], packageOf), iota));
        });
      } else {
        names.forEach((n, i) => {
          const v = values[i];
          if (!v) return;
          const s = goStringValue(v);
          constants.set(n.text, s !== undefined ? { k: "str", value: s } : substituteIota(goExprOf(v, packageOf), iota));
        });
        if (valueList) previous = valueList;
      }
      iota++;
    }
  }
  return constants;
}

function substituteIota(e: Expr, iota: bigint, depth = 0): Expr {
  if (depth > 32) return e;
  const d = depth + 1;
  switch (e.k) {
    case "id":
      return e.name === "iota" ? { k: "num", v: iota } : e;
    case "un":
      return { ...e, e: substituteIota(e.e, iota, d) };
    case "bin":
      return { ...e, l: substituteIota(e.l, iota, d), r: substituteIota(e.r, iota, d) };
    case "call":
      return { ...e, args: e.args.map((a) => substituteIota(a, iota, d)) };
    default:
      return e;
  }
}

/** What the file's `//go:build` line says about the landlocktsync tag, or the project's tags. */
function tsyncTagOf(root: Node, projectTags: string[] | undefined): Tri {
  if (projectTags?.includes(TSYNC_BUILD_TAG)) return "yes";
  for (const c of root.namedChildren) {
    if (c.type === "package_clause") break;
    if (c.type !== "comment") continue;
    const m = /^\/\/go:build\s+(.+)$/.exec(c.text.trim());
    if (m) return buildTagRequirement(m[1]!, TSYNC_BUILD_TAG);
  }
  return "maybe";
}

/** `landlockRestrictSelf`, `landlock_create_ruleset`, `sysLandlockAddRule`, `restrictSelf`: names of Landlock syscall stubs. */
const STUB_NAME = /^(?:sys_?)?(?:landlock_?(?:restrict_?self|create_?ruleset|add_?rule)|restrict_?self)$/i;
const RAW_SYSCALL = /^(?:unix|syscall)\.(?:Raw)?Syscall6?$/;

/** A function that only forwards its parameters to one Landlock syscall. */
function syscallStubOf(f: FoundFunction, constants: Map<string, Expr>): SyscallStub | undefined {
  if (!STUB_NAME.test(f.nameNode.text)) return undefined;
  const calls = f.body.descendantsOfType("call_expression").filter((c) => RAW_SYSCALL.test(c.childForFieldName("function")?.text ?? ""));
  if (calls.length !== 1) return undefined;
  const args = (calls[0]!.childForFieldName("arguments")?.namedChildren ?? []).filter((c) => c.type !== "comment");
  const scope = {
    ident: (name: string, depth: number) => {
      const dot = name.indexOf(".");
      if (dot > 0) {
        const v = goConstant(name.slice(dot + 1));
        return v === undefined ? undefined : exact(v);
      }
      const c = constants.get(name);
      return c && depth < 40 ? evaluate(c, scope, depth + 1) : undefined;
    },
    isAbiValue: () => false,
  };
  const nr = args[0] ? valueOf(evaluate(goExprOf(args[0], (n) => (n === "unix" || n === "syscall" ? n : undefined)), scope)) : undefined;
  if (nr === undefined || nr < SYSCALL_CREATE_RULESET || nr > SYSCALL_RESTRICT_SELF) return undefined;
  const params = f.parameters.flatMap((list) =>
    list.namedChildren.filter((p) => p.type === "parameter_declaration").flatMap((p) => p.childrenForFieldName("name").filter((n) => n.type === "identifier").map((n) => n.text)),
  );
  return {
    nr,
    args: args.slice(1).map((a) => {
      const v = unwrapValue(a);
      const i = v.type === "identifier" ? params.indexOf(v.text) : -1;
      return i >= 0 ? i : a;
    }),
  };
}

/** Functions registered as HTTP handlers by name: they run once per request. */
function handlerNames(text: string): Map<string, string> {
  const out = new Map<string, string>();
  if (text.length > 4_000_000) return out;
  for (const m of text.matchAll(/\.HandleFunc\(\s*[^,()]+,\s*([A-Za-z_]\w*)\s*\)/g)) out.set(m[1]!, "the HTTP handler registered with HandleFunc, run for every request");
  for (const m of text.matchAll(/\bhttp\.HandlerFunc\(\s*([A-Za-z_]\w*)\s*\)/g)) out.set(m[1]!, "the HTTP handler made with http.HandlerFunc, run for every request");
  return out;
}


function reexecField(text: string, constants: Map<string, Expr>): { reexec?: Reexec } {
  const reexec = reexecOf(text, (name) => {
    const c = constants.get(name);
    return c?.k === "str" ? c.value : undefined;
  });
  return reexec ? { reexec } : {};
}
