// Turns one JS/TS function body (or a module's top level) into structured IR, in
// control-flow order: `if`/`switch`/`?:`/`&&` become branches, loops loops, `try/catch` a
// sequence then an error-path arm, `return`/`throw`/`process.exit` exits, a worker's side
// of `isMainThread` a thread node. Along the way it tracks what names are bound to (FFI
// libraries and the C symbols behind JS functions, modules, addons, the project's own
// functions and classes), flag words, the ABI, ruleset attributes and fds, pids, and which
// names hold the result of a Landlock call, so a result counts as checked when it is
// tested. Calls of known callees become ops in natives.ts (C symbols reached through an
// FFI) and platform.ts (Node/Deno/Bun modules, addons). Functions defined inside are
// queued for the file walker; anonymous callbacks are walked in place. Nothing here throws
// on odd trees: unknown nodes are walked for the calls inside them.

import type { TSESTree } from "@typescript-eslint/typescript-estree";
import type { IrBlock, IrCond, IrNode, IrOp, Range, RulesetInfo, Tri } from "../../ir.js";
import type { Expr } from "../c/expr.js";
import { walkLimitsOf, type WalkLimits } from "../walk-limits.js";
import { evaluate, type EvalScope } from "../c/evaluate.js";
import { and, clear, exact, or, signed, UNKNOWN, valueOf, type Sym } from "../c/sym.js";
import { childrenOf, dottedName, isFunctionNode, keyName, memberName, rangeOf, shortText, staticString, T, unwrap, type Node } from "./ast.js";
import { callbackRun, INERT_GLOBALS, INERT_MODULE_NAMES } from "./callbacks.js";
import { analyzeJsCondition, type ConditionFacts, type WorkerFlag } from "./conditions.js";
import { jsConstant } from "./constants.js";
import { jsExprOf, namesIn } from "./expr.js";
import { Env, freshAttr, attrFieldOf, joinEnvs, type AttrState, type Incoming, type NativeFn, type PidOrigin, type VarFact } from "./facts.js";
import { koffiFuncSymbol, nativeArgs } from "./ffi.js";
import { moduleFact } from "./modules.js";
import { nativeCall } from "./natives.js";
import { PlatformCalls, type PlatformServices } from "./platform.js";
import { stubArguments } from "./stubs.js";
import { DISCARD, OTHER, RETURN, TEST, type CallSite, type ClassLike, type FunctionLike, type JsFileContext, type Pending, type Pos, type ResultOp, type Use } from "./walk-types.js";

export type { JsFileContext, Pending } from "./walk-types.js";


/** Variable names that hold the Landlock ABI even when where it came from is not visible. */
const ABI_NAME = /(?:^|_)abi(?:_?version)?$|^abi(?:[A-Z_]|$)|[a-z]Abi(?:Version)?$|landlock_?abi|landlock_?version|abi_?level|ABI(?:Version)?$/;
const ABI_CALL = /(?:^|\.)(?:get_?)?(?:landlock_?)?abi(?:_?version)?$|(?:^|\.)landlockAbi$|(?:^|\.)abiVersion$|(?:^|\.)(?:get)?LandlockABI(?:Version)?$/i;

/** A callee that acts on a value it is given (so passing a result to it checks it). */
const CHECKING_CALL = /(?:^|\.)(?:must\w*|check\w*|assert\w*|expect\w*|ensure\w*|fail\w*|die\w*|handle\w*err\w*|require\w*|throwIf\w*|ok|equal|strictEqual|deepEqual|notEqual|notStrictEqual)$/i;


const MAX_DEPTH = 200;

export class JsFunctionWalker implements PlatformServices {
  env: Env;
  readonly pending: Pending[] = [];
  private readonly pendingResults = new Map<string, ResultOp[]>();
  private readonly resultOps = new Map<string, ResultOp[]>();
  /** Names holding the result of an FFI Landlock call (failure = a non-zero value). */
  private readonly resultVars = new Set<string>();
  private returnDepth = 0;
  private depth = 0;
  private currentUse: Use = OTHER;
  private readonly platform = new PlatformCalls(this);
  /** Set when the walked code returns the running ABI. */
  returnsAbi = false;

  constructor(
    readonly file: JsFileContext,
    private readonly className: string | undefined,
    env: Env,
  ) {
    this.env = env;
  }

  // ------------------------------------------------------------------------------------------
  // Entry points

  /** Walks a function's parameters and body. */
  walkFunction(fn: FunctionLike): IrBlock {
    for (const p of fn.params) this.declarePattern(p);
    const out: IrBlock = [];
    const pos: Pos = { loop: 0, abiGuard: false };
    if (fn.body.type === T.BlockStatement) this.block(fn.body.body, out, pos);
    else this.returnValue(fn.body, out, pos, fn.body);
    return out;
  }

  /** Walks a statement list (a module's top level, a class constructor prologue). */
  walkStatements(statements: Node[]): IrBlock {
    const out: IrBlock = [];
    this.block(statements, out, { loop: 0, abiGuard: false });
    return out;
  }

  /** `this.x = <init>` for class fields, before the constructor body. */
  walkFieldInitialisers(fields: TSESTree.PropertyDefinition[], out: IrBlock): void {
    for (const f of fields) {
      const key = keyName(f.key, f.computed);
      if (!key || !f.value) continue;
      const fact = this.expr(f.value, out, { loop: 0, abiGuard: false }, OTHER);
      this.env.set(`this.${key}`, fact);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Services for natives.ts and platform.ts

  fieldFact(name: string, key: string): VarFact | undefined {
    return this.env.get(`${name}.${key}`);
  }

  walkValue(node: Node, pos: Pos): void {
    this.expr(node, [], pos, OTHER);
  }

  rangeOf(node: { range: [number, number] }): Range {
    return rangeOf(this.file.lines, node);
  }

  textOf(node: Node): string {
    return this.file.text.slice(node.range[0], node.range[1]);
  }

  evalNode(node: Node | undefined): Sym {
    return node ? evaluate(jsExprOf(node), this.scope()) : UNKNOWN;
  }

  settleResult(op: ResultOp, failureIsNonZero: boolean): void {
    op.resultChecked = this.resultFor(this.currentUse, op, failureIsNonZero);
  }

  pidOrigin(node: Node | undefined): PidOrigin {
    if (!node) return "other";
    const n = unwrap(node);
    if (n.type === T.UnaryExpression && n.operator === "-") {
      const inner = valueOf(this.evalNode(n.argument));
      return inner === 1n ? "other" : "group";
    }
    const fact = this.peek(n);
    if (fact?.kind === "pid") return fact.origin;
    return "other";
  }

  attrOf(node: Node | undefined): AttrState | undefined {
    if (!node) return undefined;
    const n = this.pointerTarget(unwrap(node));
    if (n.type === T.Literal && (n.value === null || n.value === 0)) return freshAttr();
    const fact = this.peek(n);
    if (fact?.kind === "attr") return fact.attr;
    return this.attrLiteral(n, [], { loop: 0, abiGuard: false });
  }

  rulesetOfFd(node: Node | undefined): { kind: "ruleset" | "minus-one" | "unknown"; info?: RulesetInfo; range?: Range } {
    if (!node) return { kind: "unknown" };
    const n = this.numericInner(unwrap(node));
    const fact = this.peek(n);
    if (fact?.kind === "ruleset") return { kind: "ruleset", info: fact.info, range: fact.range };
    const value = valueOf(this.evalNode(n));
    if (value !== undefined && signed(value) === -1n) return { kind: "minus-one" };
    return { kind: "unknown" };
  }

  // ------------------------------------------------------------------------------------------
  // Names and values

  private scope(): EvalScope {
    const scope: EvalScope = {
      ident: (name) => this.identValue(name),
      isAbiValue: (e) => this.isAbiValue(e),
    };
    return scope;
  }

  private identValue(name: string): Sym | undefined {
    const fact = this.env.get(name);
    if (fact?.kind === "sym") return fact.sym;
    if (fact?.kind === "abi" || fact?.kind === "pid" || fact?.kind === "ruleset") return undefined;
    const dot = name.lastIndexOf(".");
    if (dot > 0 && !fact) {
      const owner = this.env.get(name.slice(0, dot));
      const word = attrFieldOf(name.slice(dot + 1));
      if (owner?.kind === "attr" && word) return owner.attr[word];
    }
    const last = dot > 0 ? name.slice(dot + 1) : name;
    const constant = jsConstant(last);
    return constant === undefined ? undefined : exact(constant);
  }

  private isAbiValue(e: Expr): boolean {
    if (e.k === "id") {
      const fact = this.env.get(e.name);
      if (fact?.kind === "abi") return true;
      if (fact && fact.kind !== "local" && (fact.kind !== "sym" || valueOf(fact.sym) !== undefined)) return false;
      if (!fact && jsConstant(e.name.split(".").pop()!) !== undefined) return false;
      return ABI_NAME.test(e.name.split(".").pop()!);
    }
    if (e.k === "call") return this.file.abiHelpers.has(e.callee) || ABI_CALL.test(e.callee) || this.isAbiQueryCall(e);
    return false;
  }

  /** `syscall(444, null, 0, 1)` or a bound `landlock_create_ruleset(null, 0, VERSION)` written in an expression. */
  private isAbiQueryCall(e: Extract<Expr, { k: "call" }>): boolean {
    const call = this.nativeCallExpr(e);
    if (!call) return false;
    const { fn, args } = call;
    const scope = this.scope();
    if (fn.symbol === "syscall") return valueOf(evaluate(args[0] ?? { k: "unknown", text: "" }, scope)) === 444n && args[3] !== undefined && ((evaluate(args[3], scope).yes & 1n) !== 0n);
    if (fn.symbol === "landlock_create_ruleset") return args[2] !== undefined && (evaluate(args[2], scope).yes & 1n) !== 0n;
    return false;
  }

  /** A call written in an expression, when its callee is a native function or a stub of one: the C arguments. */
  private nativeCallExpr(e: Extract<Expr, { k: "call" }>): { fn: NativeFn; args: Expr[] } | undefined {
    const fact = this.env.get(e.callee) ?? (e.callee.includes(".") ? this.dottedFact(e.callee) : undefined);
    if (fact?.kind === "function") {
      const stub = this.file.stubs.get(fact.name);
      if (!stub) return undefined;
      return { fn: stub.fn, args: stub.args.map((a) => ("node" in a ? jsExprOf(a.node) : (e.args[a.param] ?? { k: "unknown", text: "" }))) };
    }
    if (fact?.kind !== "native") return undefined;
    // koffi passes a type name before each variadic value.
    return { fn: fact.fn, args: fact.fn.via === "koffi" ? e.args.filter((a) => a.k !== "str") : e.args };
  }

  /** A value known without running anything: a literal, a constant, a string. */
  isConstant(node: Node): boolean {
    const fact = this.peek(node);
    return (fact?.kind === "sym" && valueOf(fact.sym) !== undefined) || fact?.kind === "str";
  }

  /** The fact of an expression without walking it (no ops): names, members, literals. */
  peek(node: Node): VarFact | undefined {
    const n = unwrap(node);
    const s = staticString(n);
    if (s !== undefined) return { kind: "str", value: s };
    if (n.type === T.Identifier) return this.identFact(n.name);
    if (n.type === T.MemberExpression) {
      const dotted = dottedName(n);
      if (dotted !== undefined && this.env.has(dotted)) return this.env.get(dotted);
      const prop = memberName(n);
      if (prop === undefined) return undefined;
      return this.memberOf(this.peek(n.object), prop, dottedName(n.object));
    }
    if (n.type === T.ThisExpression) return this.className ? { kind: "instance", className: this.className } : undefined;
    if (n.type === T.AwaitExpression) return this.peek(n.argument);
    const value = valueOf(this.evalNode(n));
    return value !== undefined ? { kind: "sym", sym: exact(value) } : undefined;
  }

  /** What a bare name is: a binding of this walk, or a global the front-end knows. */
  private identFact(name: string): VarFact | undefined {
    const fact = this.env.get(name);
    if (fact || this.env.has(name)) return fact;
    switch (name) {
      case "require":
        return { kind: "require" };
      case "process":
        return { kind: "mod", module: "process", path: [] };
      case "Deno":
        return { kind: "mod", module: "deno", path: [] };
      case "Bun":
        return { kind: "mod", module: "bun", path: [] };
      case "Worker":
        return { kind: "mod", module: "worker_threads", path: ["Worker"] };
      case "self":
        return { kind: "mod", module: "self", path: [] };
      default:
        return undefined;
    }
  }

  /** The fact of `object.prop`, given the fact of `object` (and its dotted name, for stored fields). */
  private memberOf(object: VarFact | undefined, prop: string, objectName: string | undefined): VarFact | undefined {
    if (objectName !== undefined) {
      const stored = this.env.get(`${objectName}.${prop}`);
      if (stored) return stored;
    }
    if (!object) {
      const constant = objectName !== undefined ? jsConstant(prop) : undefined;
      return constant !== undefined ? { kind: "sym", sym: exact(constant) } : undefined;
    }
    switch (object.kind) {
      case "mod": {
        if (prop === "default" && object.path.length === 0) return object;
        const path = [...object.path, prop];
        this.noteWorkerSide(object.module, path);
        if (object.module === "process" && path.length === 1) {
          if (prop === "pid") return { kind: "pid", origin: "self" };
          if (prop === "ppid") return { kind: "pid", origin: "parent" };
        }
        if (object.module === "deno" && path.length === 1 && prop === "pid") return { kind: "pid", origin: "self" };
        if (object.module === "deno" && path.length === 1 && prop === "ppid") return { kind: "pid", origin: "parent" };
        if (object.module === "module" && path.length === 1 && prop === "createRequire") return { kind: "mod", module: "module", path };
        return { kind: "mod", module: object.module, path };
      }
      case "dl-lib":
        return prop === "symbols" ? { kind: "symtab", symbols: object.symbols } : undefined;
      case "symtab": {
        const fn = object.symbols.get(prop);
        return fn ? { kind: "native", fn } : undefined;
      }
      case "native":
        if (prop === "async") return { kind: "native", fn: { ...object.fn, onPool: `${object.fn.via} .async(): the call runs on a libuv pool thread` } };
        return undefined;
      case "addon":
        return { kind: "addon-fn", addon: object.name, method: prop };
      case "js-module":
        return { kind: "js-module", spec: object.spec, path: [...object.path, prop] };
      case "child-process":
        return prop === "pid" ? { kind: "pid", origin: "child" } : undefined;
      case "object":
        return undefined;
      default: {
        const constant = jsConstant(prop);
        return constant !== undefined ? { kind: "sym", sym: exact(constant) } : undefined;
      }
    }
  }

  private noteWorkerSide(module: string, path: string[]): void {
    if (module === "worker_threads" && path.length === 1 && (path[0] === "parentPort" || path[0] === "workerData")) this.file.worker.readsWorkerSide = true;
    if (module === "self" && path.length === 1 && /^(?:postMessage|onmessage|addEventListener)$/.test(path[0]!)) this.file.worker.readsWorkerSide = true;
  }

  private workerFlag(e: Expr): WorkerFlag | undefined {
    if (e.k !== "id") return undefined;
    const fact = this.env.get(e.name) ?? (e.name.includes(".") ? this.dottedFact(e.name) : undefined);
    if (fact?.kind !== "mod" || fact.module !== "worker_threads" || fact.path.length !== 1) return undefined;
    const p = fact.path[0];
    return p === "isMainThread" || p === "parentPort" || p === "threadId" ? p : undefined;
  }

  private dottedFact(name: string): VarFact | undefined {
    const parts = name.split(".");
    let fact = this.identFact(parts[0]!);
    let prefix = parts[0]!;
    for (const p of parts.slice(1)) {
      fact = this.memberOf(fact, p, prefix);
      prefix = `${prefix}.${p}`;
    }
    return fact;
  }

  /** `Deno.UnsafePointer.of(x)`, `ptr(x)`, `x.buffer`, `BigInt(Deno.UnsafePointer.value(...))`: the value pointed at. */
  private pointerTarget(n: Node): Node {
    let cur = unwrap(n);
    for (let i = 0; i < 8; i++) {
      if (cur.type === T.CallExpression && cur.arguments[0] && cur.arguments[0].type !== T.SpreadElement) {
        const callee = dottedName(cur.callee) ?? "";
        if (/(?:^|\.)(?:UnsafePointer\.of|UnsafePointer\.value|ptr|as|address|ref|BigInt|Number)$/.test(callee)) {
          cur = unwrap(cur.arguments[0]);
          continue;
        }
      }
      if (cur.type === T.MemberExpression && memberName(cur) === "buffer") {
        cur = unwrap(cur.object);
        continue;
      }
      break;
    }
    return cur;
  }

  private numericInner(n: Node): Node {
    if (n.type === T.CallExpression && /^(?:BigInt|Number|parseInt)$/.test(dottedName(n.callee) ?? "") && n.arguments[0] && n.arguments[0].type !== T.SpreadElement) {
      return unwrap(n.arguments[0]);
    }
    return n;
  }

  /** A string value: a literal, a name holding one, `path.join(..., "x")` (its last part). */
  stringOf(node: Node | undefined): string | undefined {
    if (!node) return undefined;
    const n = unwrap(node);
    const s = staticString(n);
    if (s !== undefined) return s;
    const fact = this.peek(n);
    if (fact?.kind === "str") return fact.value;
    return undefined;
  }

  /**
   * How a string starts, when only its start is known: `"\0app-" + id`, `` `\0${name}` ``,
   * `"\0".concat(x)`. The unknown rest is written `*`.
   */
  stringPrefix(node: Node | undefined, depth = 0): string | undefined {
    if (!node || depth > 8) return undefined;
    const whole = this.stringOf(node);
    if (whole !== undefined) return whole;
    const n = unwrap(node);
    if (n.type === T.BinaryExpression && n.operator === "+") {
      const left = this.stringPrefix(n.left as Node, depth + 1);
      if (left === undefined) return undefined;
      const right = this.stringOf(n.right);
      return right !== undefined && !left.endsWith("*") ? left + right : left.endsWith("*") ? left : `${left}*`;
    }
    if (n.type === T.TemplateLiteral) return `${n.quasis[0]?.value.cooked ?? ""}*`;
    if (n.type === T.CallExpression && n.callee.type === T.MemberExpression && memberName(n.callee) === "concat") {
      const left = this.stringPrefix(n.callee.object, depth + 1);
      return left === undefined ? undefined : left.endsWith("*") ? left : `${left}*`;
    }
    return undefined;
  }

  // ------------------------------------------------------------------------------------------
  // Declarations

  private declarePattern(p: Node): void {
    const n = p.type === T.TSParameterProperty ? p.parameter : p;
    switch (n.type) {
      case T.Identifier:
        this.env.shadow(n.name);
        this.pendingResults.delete(n.name);
        break;
      case T.AssignmentPattern:
        this.declarePattern(n.left);
        break;
      case T.RestElement:
        this.declarePattern(n.argument);
        break;
      case T.ObjectPattern:
        for (const prop of n.properties) this.declarePattern(prop.type === T.Property ? prop.value : prop);
        break;
      case T.ArrayPattern:
        for (const el of n.elements) if (el) this.declarePattern(el);
        break;
      default:
        break;
    }
  }

  /** Binds a pattern to a value fact (`const { syscall: sc } = lib.symbols`). */
  private bindPattern(pattern: Node, fact: VarFact | undefined, sourceName: string | undefined, out: IrBlock, pos: Pos): void {
    switch (pattern.type) {
      case T.Identifier:
        this.env.set(pattern.name, renamed(fact, pattern.name));
        this.pendingResults.delete(pattern.name);
        if (sourceName !== undefined) this.copyFields(sourceName, pattern.name);
        break;
      case T.AssignmentPattern:
        this.expr(pattern.right, out, pos, OTHER);
        this.bindPattern(pattern.left, fact, sourceName, out, pos);
        break;
      case T.ObjectPattern:
        for (const prop of pattern.properties) {
          if (prop.type === T.RestElement) {
            this.declarePattern(prop.argument);
            continue;
          }
          const key = keyName(prop.key, prop.computed);
          const member = key !== undefined ? this.memberOf(fact, key, sourceName) : undefined;
          this.bindPattern(prop.value, member, key !== undefined && sourceName !== undefined ? `${sourceName}.${key}` : undefined, out, pos);
        }
        break;
      default:
        this.declarePattern(pattern);
    }
  }

  /** `const b = a`: what is known about `a.x` becomes known about `b.x`. */
  private copyFields(from: string, to: string): void {
    if (from === to) return;
    const prefix = `${from}.`;
    for (const [k, v] of this.env.entries()) if (k.startsWith(prefix)) this.env.put(`${to}${k.slice(from.length)}`, v);
  }

  // ------------------------------------------------------------------------------------------
  // Statements

  /** Walks a statement list; returns true when it cannot fall through. */
  private block(statements: Node[], out: IrBlock, pos: Pos): boolean {
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i]!;
      const ended = this.statement(s, out, pos);
      const rest = this.workerRest;
      this.workerRest = undefined;
      if (rest && i + 1 < statements.length) {
        // `if (isMainThread) { ...; return; }` then the worker's code: the rest of the block.
        const tail = statements.slice(i + 1);
        const body: IrBlock = [];
        const tailEnded = this.block(tail, body, pos);
        out.push(this.threadNode(body, { range: [tail[0]!.range[0], tail[tail.length - 1]!.range[1]] }));
        return ended || tailEnded;
      }
      if (ended) return true;
    }
    return false;
  }

  private workerRest: true | undefined;

  private limitsOfFile: WalkLimits | undefined;

  /**
   * Whether to walk into `node`: not when it is nested deeper than the walker follows (the
   * place is reported) or when the file's walk is out of time.
   */
  private enter(node: Node): boolean {
    const limits = (this.limitsOfFile ??= walkLimitsOf(this.file));
    if (this.depth > MAX_DEPTH) {
      limits.tooDeep(this.rangeOf(node), MAX_DEPTH);
      return false;
    }
    return !limits.outOfTime(() => this.rangeOf(node));
  }

  private statement(node: Node, out: IrBlock, pos: Pos): boolean {
    if (!this.enter(node)) return false;
    this.depth++;
    try {
      return this.statementInner(node, out, pos);
    } finally {
      this.depth--;
    }
  }

  private statementInner(node: Node, out: IrBlock, pos: Pos): boolean {
    switch (node.type) {
      case T.BlockStatement:
      case T.StaticBlock:
        return this.block(node.body, out, pos);
      case T.TSModuleBlock:
        return this.block(node.body, out, pos);
      case T.ExpressionStatement:
        this.expr(node.expression, out, pos, DISCARD);
        return endsInExit(out);
      case T.VariableDeclaration:
        for (const d of node.declarations) this.declarator(d, node, out, pos);
        return false;
      case T.FunctionDeclaration:
        this.queueFunction(node.id?.name ?? "default", node, node.id ? this.rangeOf(node.id) : this.rangeOf(node), node.range[0]);
        return false;
      case T.ClassDeclaration:
        this.queueClass(node.id?.name ?? "default", node, node.range[0]);
        return false;
      case T.IfStatement:
        return this.ifStatement(node, out, pos);
      case T.SwitchStatement:
        return this.switchStatement(node, out, pos);
      case T.ForStatement:
      case T.ForInStatement:
      case T.ForOfStatement:
      case T.WhileStatement:
      case T.DoWhileStatement:
        this.loop(node, out, pos);
        return false;
      case T.TryStatement:
        return this.tryStatement(node, out, pos);
      case T.ReturnStatement:
        if (node.argument) this.returnValue(node.argument, out, pos, node);
        else out.push({ kind: "exit", range: this.rangeOf(node), leaves: "function" });
        return true;
      case T.ThrowStatement:
        this.expr(node.argument, out, pos, TEST);
        out.push({ kind: "exit", range: this.rangeOf(node), leaves: "process" });
        return true;
      case T.LabeledStatement:
        return this.statement(node.body, out, pos);
      case T.ImportDeclaration:
        this.importDeclaration(node);
        return false;
      case T.TSImportEqualsDeclaration: {
        const ref = node.moduleReference;
        if (ref.type === T.TSExternalModuleReference) {
          const spec = staticString(ref.expression);
          this.env.set(node.id.name, spec !== undefined ? moduleFact(spec) : undefined);
        }
        return false;
      }
      case T.ExportNamedDeclaration:
        if (node.declaration) return this.statement(node.declaration, out, pos);
        return false;
      case T.ExportDefaultDeclaration: {
        const d = node.declaration;
        if (d.type === T.FunctionDeclaration || d.type === T.ClassDeclaration || d.type === T.TSDeclareFunction || d.type === T.TSInterfaceDeclaration) {
          return d.type === T.FunctionDeclaration || d.type === T.ClassDeclaration ? this.statement(d, out, pos) : false;
        }
        this.namedValue("default", d, out, pos, node.range[0]);
        return false;
      }
      case T.TSExportAssignment:
        this.expr(node.expression, out, pos, OTHER);
        return false;
      case T.TSModuleDeclaration:
        if (node.body) return this.statement(node.body, out, pos);
        return false;
      case T.TSEnumDeclaration:
        this.enumDeclaration(node);
        return false;
      case T.BreakStatement:
      case T.ContinueStatement:
      case T.EmptyStatement:
      case T.DebuggerStatement:
      case T.TSTypeAliasDeclaration:
      case T.TSInterfaceDeclaration:
      case T.TSDeclareFunction:
      case T.ExportAllDeclaration:
        return false;
      default:
        for (const c of childrenOf(node)) this.anyNode(c, out, pos);
        return false;
    }
  }

  /** A child of a node the walker has no case for: a statement or an expression. */
  private anyNode(node: Node, out: IrBlock, pos: Pos): void {
    if (/Statement$|Declaration$/.test(node.type)) this.statement(node, out, pos);
    else this.expr(node, out, pos, OTHER);
  }

  private returnValue(value: Node, out: IrBlock, pos: Pos, at: Node): void {
    this.returnDepth++;
    try {
      const fact = this.expr(value, out, pos, RETURN);
      const e = jsExprOf(value);
      // `return v`, `return Number(v)`, `return v < 0 ? 0 : v`, `return Math.max(0, v)`.
      const abiInside = (x: Expr): boolean => this.isAbiValue(x) || (x.k === "cond" && (abiInside(x.t) || abiInside(x.f))) || (x.k === "call" && /^Math\.(?:max|min)$/.test(x.callee) && x.args.some(abiInside));
      if (fact?.kind === "abi" || abiInside(e)) this.returnsAbi = true;
    } finally {
      this.returnDepth--;
    }
    out.push({ kind: "exit", range: this.rangeOf(at), leaves: "function" });
  }

  private declarator(d: TSESTree.VariableDeclarator, decl: TSESTree.VariableDeclaration, out: IrBlock, pos: Pos): void {
    if (d.id.type === T.Identifier && d.init) {
      this.namedValue(d.id.name, d.init, out, pos, decl.range[0], d.id);
      return;
    }
    if (!d.init) {
      this.declarePattern(d.id);
      if (d.id.type === T.Identifier) this.env.set(d.id.name, { kind: "sym", sym: exact(0n) });
      return;
    }
    const fact = this.expr(d.init, out, pos, OTHER);
    this.bindPattern(d.id, fact, dottedName(d.init), out, pos);
  }

  /** `const name = <value>` (and `export default <value>`, `exports.name = <value>`). */
  private namedValue(name: string, value: Node, out: IrBlock, pos: Pos, declStart: number, nameNode?: Node, key = name): void {
    const v = unwrap(value);
    if (isFunctionNode(v)) {
      this.queueFunction(name, v, nameNode ? this.rangeOf(nameNode) : this.rangeOf(v), declStart);
      this.env.set(key, { kind: "function", name });
      return;
    }
    if (v.type === T.ClassExpression) {
      this.queueClass(v.id?.name ?? name, v, declStart);
      this.env.set(key, { kind: "class", name: v.id?.name ?? name });
      return;
    }
    if (v.type === T.ObjectExpression) {
      this.objectLiteral(v, key, out, pos, declStart);
      return;
    }
    this.pendingResults.delete(key);
    const attr = v.type === T.NewExpression || v.type === T.CallExpression ? this.attrLiteral(v, out, pos) : undefined;
    if (attr) {
      this.env.set(key, { kind: "attr", attr });
      return;
    }
    const fact = renamed(this.expr(v, out, pos, { k: "assign", names: [key] }), key);
    this.env.set(key, fact ?? this.valueFact(v));
    const source = dottedName(v);
    if (source !== undefined) this.copyFields(source, key);
  }

  /** What a value is when its walk returned nothing: a flag word, the ABI. */
  private valueFact(v: Node): VarFact | undefined {
    const prefix = this.stringPrefix(v);
    if (prefix !== undefined) return { kind: "str", value: prefix };
    const e = jsExprOf(v);
    if (this.isAbiValue(e)) return { kind: "abi" };
    if (e.k === "str") return { kind: "str", value: e.value };
    return { kind: "sym", sym: evaluate(e, this.scope()) };
  }

  /** An object literal bound to `key`: its fields become `key.field`, its methods functions. */
  private objectLiteral(node: TSESTree.ObjectExpression, key: string | undefined, out: IrBlock, pos: Pos, declStart: number): VarFact {
    const attr = this.attrLiteral(node, out, pos);
    if (attr && key !== undefined) {
      this.env.set(key, { kind: "attr", attr });
      return { kind: "attr", attr };
    }
    if (key !== undefined) this.env.set(key, { kind: "object" });
    const exportsObject = key === "module.exports" || key === "exports" || key === "default";
    for (const p of node.properties) {
      if (p.type === T.SpreadElement) {
        this.expr(p.argument, out, pos, OTHER);
        continue;
      }
      const name = keyName(p.key, p.computed);
      if (p.computed) this.expr(p.key, out, pos, OTHER);
      const value = unwrap(p.value);
      if (isFunctionNode(value)) {
        if (key !== undefined && name !== undefined) {
          const irName = exportsObject ? name : `${key}.${name}`;
          this.queueFunction(irName, value, this.rangeOf(p.key), declStart);
          this.env.set(`${key}.${name}`, { kind: "function", name: irName });
        } else this.callbackLiteral(value, "an object literal", out, pos, "maybe-once");
        continue;
      }
      const fact = value.type === T.ObjectExpression && key !== undefined && name !== undefined ? this.objectLiteral(value, `${key}.${name}`, out, pos, declStart) : this.expr(value, out, pos, OTHER);
      if (key !== undefined && name !== undefined && value.type !== T.ObjectExpression) this.env.set(`${key}.${name}`, fact ?? this.valueFact(value));
    }
    return attr ? { kind: "attr", attr } : { kind: "object" };
  }

  /** `{ handled_access_fs: ..., scoped: ... }`: a ruleset attribute when every key is one of its fields. */
  private attrLiteral(node: Node, out: IrBlock, pos: Pos): AttrState | undefined {
    let n = unwrap(node);
    // ffi-napi ref-struct / koffi: `new RulesetAttr({ ... })`, typed arrays `new BigUint64Array([fs, net, scoped])`.
    if ((n.type === T.NewExpression || n.type === T.CallExpression) && n.arguments.length === 1 && n.arguments[0]!.type !== T.SpreadElement) {
      const callee = dottedName(n.callee) ?? "";
      const arg = unwrap(n.arguments[0]!);
      if (/BigUint64Array|BigInt64Array|Uint32Array/.test(callee) && arg.type === T.ArrayExpression) {
        const [fs, net, scoped] = arg.elements;
        const attr = freshAttr();
        if (/Uint32Array/.test(callee)) return undefined;
        attr.fs = fs && fs.type !== T.SpreadElement ? this.evalNode(fs) : exact(0n);
        attr.net = net && net.type !== T.SpreadElement ? this.evalNode(net) : exact(0n);
        attr.scoped = scoped && scoped.type !== T.SpreadElement ? this.evalNode(scoped) : exact(0n);
        attr.masked = this.mentionsAbi(arg) || pos.abiGuard;
        return attr;
      }
      if (arg.type === T.ObjectExpression) n = arg;
    }
    if (n.type !== T.ObjectExpression || n.properties.length === 0) return undefined;
    const attr = freshAttr();
    for (const p of n.properties) {
      if (p.type !== T.Property) return undefined;
      const word = attrFieldOf(keyName(p.key, p.computed) ?? "");
      if (!word) return undefined;
    }
    for (const p of n.properties) {
      if (p.type !== T.Property) continue;
      const word = attrFieldOf(keyName(p.key, p.computed) ?? "")!;
      this.expr(p.value, out, pos, OTHER);
      attr[word] = this.evalNode(p.value);
    }
    attr.masked = this.mentionsAbi(n) || pos.abiGuard;
    return attr;
  }

  private mentionsAbi(node: Node): boolean {
    return namesIn(jsExprOfDeep(node)).some((name) => this.isAbiValue({ k: "id", name }));
  }

  private enumDeclaration(node: TSESTree.TSEnumDeclaration): void {
    const name = node.id.name;
    this.env.set(name, { kind: "object" });
    let next = 0n;
    const members = "body" in node && node.body ? node.body.members : (node as unknown as { members: TSESTree.TSEnumMember[] }).members;
    for (const m of members ?? []) {
      const key = m.id.type === T.Identifier ? m.id.name : staticString(m.id);
      if (key === undefined) continue;
      let value: Sym;
      if (m.initializer) {
        value = evaluate(jsExprOf(m.initializer), {
          ident: (n) => {
            const own = this.env.get(`${name}.${n}`);
            return own?.kind === "sym" ? own.sym : this.identValue(n);
          },
          isAbiValue: () => false,
        });
      } else value = exact(next);
      this.env.set(`${name}.${key}`, { kind: "sym", sym: value });
      const v = valueOf(value);
      next = v !== undefined ? v + 1n : 0n;
    }
  }

  private importDeclaration(node: TSESTree.ImportDeclaration): void {
    if (node.importKind === "type") return;
    const spec = node.source.value;
    const base = moduleFact(spec);
    for (const s of node.specifiers) {
      const local = s.local.name;
      if (s.type === T.ImportSpecifier && s.importKind === "type") continue;
      if (!base) {
        this.env.shadow(local);
        continue;
      }
      if (s.type === T.ImportSpecifier) {
        const imported = s.imported.type === T.Identifier ? s.imported.name : String(s.imported.value);
        this.env.set(local, this.memberOf(base, imported, undefined));
      } else if (s.type === T.ImportDefaultSpecifier && base.kind === "js-module") {
        this.env.set(local, { kind: "js-module", spec: base.spec, path: ["default"] });
      } else this.env.set(local, base);
    }
  }

  private queueFunction(name: string, node: FunctionLike, nameRange: Range, declStart: number): void {
    this.pending.push({ kind: "function", name, node, nameRange, declStart, ...(this.className && name.startsWith(`${this.className}.`) ? { className: this.className } : {}) });
    this.env.set(name, { kind: "function", name });
  }

  private queueClass(name: string, node: ClassLike, declStart: number): void {
    this.pending.push({ kind: "class", name, node, declStart });
    this.env.set(name, { kind: "class", name });
  }

  // ------------------------------------------------------------------------------------------
  // Control flow

  private condition(test: Node, out: IrBlock, pos: Pos): ConditionFacts {
    this.expr(test, out, pos, TEST);
    const e = jsExprOf(test);
    const facts = analyzeJsCondition(e, shortText(this.file.text, test), {
      scope: this.scope(),
      isLandlockResult: (x) => (x.k === "id" && this.resultVars.has(x.name)) || this.isLandlockCall(x),
      workerFlag: (x) => this.workerFlag(x),
    });
    if (facts.workerSide) this.file.worker.testsMainThread = true;
    return facts;
  }

  /** `syscall(446, ...)` or a bound `landlock_restrict_self(...)` written in a condition. */
  private isLandlockCall(e: Expr): boolean {
    if (e.k !== "call") return false;
    const call = this.nativeCallExpr(e);
    if (!call) return false;
    if (call.fn.symbol === "landlock_restrict_self" || call.fn.symbol === "landlock_add_rule") return true;
    if (call.fn.symbol !== "syscall" || !call.args[0]) return false;
    const nr = valueOf(evaluate(call.args[0], this.scope()));
    return nr === 445n || nr === 446n;
  }

  private ifStatement(node: TSESTree.IfStatement, out: IrBlock, pos: Pos): boolean {
    const facts = this.condition(node.test, out, pos);
    const before = this.env;

    this.env = before.clone();
    const thenBody: IrBlock = [];
    if (facts.privileged === "then") thenBody.push(this.capOp(node.test));
    const thenEnded = this.statement(node.consequent, thenBody, { ...pos, abiGuard: pos.abiGuard || !!facts.thenAbi });
    const thenOut = this.env;

    let elseBody: IrBlock | undefined;
    let elseEnded = false;
    let elseOut = before;
    if (node.alternate) {
      this.env = before.clone();
      elseBody = [];
      if (facts.privileged === "else") elseBody.push(this.capOp(node.test));
      elseEnded = this.statement(node.alternate, elseBody, { ...pos, abiGuard: pos.abiGuard || !!facts.elseAbi });
      elseOut = this.env;
    }
    const incoming: Incoming[] = [];
    if (!thenEnded) incoming.push(withAbi(thenOut, facts.thenAbi));
    if (!elseEnded) incoming.push(withAbi(elseOut, facts.elseAbi));
    this.env = incoming.length ? joinEnvs(incoming) : before;

    const onWorker = (side: "then" | "else", body: IrBlock, at: Node | null | undefined): IrBlock =>
      facts.workerSide === side && at && body.length ? [this.threadNode(body, at)] : body;
    const arms: IrArmDraft[] = [{ cond: facts.thenCond, body: onWorker("then", thenBody, node.consequent) }];
    if (elseBody) arms.push({ cond: facts.elseCond, body: onWorker("else", elseBody, node.alternate) });
    // `if (abi < 8) exit();`: what follows knows the ABI; say it with an empty else arm.
    else if (facts.elseCond.kind === "abi-at-least" && facts.thenCond.kind !== "abi-at-least") arms.push({ cond: facts.elseCond, body: [] });
    out.push({ kind: "branch", arms, exhaustive: arms.length > 1, preprocessor: false, range: this.rangeOf(node) });
    if (!node.alternate && facts.privileged === "else" && thenEnded) out.push(this.capOp(node.test));
    // `if (isMainThread) { ...; return }`: the rest of the block is the worker's.
    if (!node.alternate && thenEnded && facts.workerSide === "else") this.workerRest = true;
    return thenEnded && elseEnded && !!node.alternate;
  }

  private threadNode(body: IrBlock, at: { range: [number, number] }): IrNode {
    const how = this.file.runtime.mechanism === "node" ? "a worker_threads Worker running this module (isMainThread is false there)" : "a Worker running this module";
    return { kind: "thread", how, body, range: this.rangeOf(at) };
  }

  private capOp(at: Node): IrNode {
    return { kind: "op", op: { type: "cap-sys-admin", api: "running as root (process.geteuid() === 0)", range: this.rangeOf(at) } };
  }

  private switchStatement(node: TSESTree.SwitchStatement, out: IrBlock, pos: Pos): boolean {
    this.expr(node.discriminant, out, pos, TEST);
    const subject = jsExprOf(node.discriminant);
    const onAbi = this.isAbiValue(subject);
    const before = this.env;
    const arms: IrArmDraft[] = [];
    const incoming: Incoming[] = [];
    let hasDefault = false;
    let allEnded = node.cases.length > 0;
    for (const c of node.cases) {
      this.env = before.clone();
      let cond: IrCond;
      let armAbi: { abi: number; negated: boolean } | undefined;
      if (!c.test) {
        hasDefault = true;
        cond = { kind: "other", text: "default" };
      } else {
        this.expr(c.test, out, pos, TEST);
        const n = valueOf(this.evalNode(c.test));
        if (onAbi && n !== undefined && n > 1n && n < 1000n) {
          cond = { kind: "abi-at-least", abi: Number(n), negated: false };
          armAbi = { abi: Number(n), negated: false };
        } else cond = { kind: "other", text: `case ${shortText(this.file.text, c.test)}` };
      }
      const body: IrBlock = [];
      const ended = this.block(c.consequent, body, { ...pos, abiGuard: pos.abiGuard || onAbi });
      arms.push({ cond, body });
      const breaks = c.consequent.some((s) => s.type === T.BreakStatement);
      if (!ended || breaks) {
        incoming.push(withAbi(this.env, armAbi));
        allEnded = false;
      }
    }
    if (!hasDefault) {
      incoming.push({ env: before });
      allEnded = false;
    }
    this.env = incoming.length ? joinEnvs(incoming) : before;
    if (arms.length) out.push({ kind: "branch", arms, exhaustive: hasDefault, preprocessor: false, range: this.rangeOf(node) });
    return allEnded && hasDefault;
  }

  private loop(node: TSESTree.ForStatement | TSESTree.ForInStatement | TSESTree.ForOfStatement | TSESTree.WhileStatement | TSESTree.DoWhileStatement, out: IrBlock, pos: Pos): void {
    const inner: Pos = { ...pos, loop: pos.loop + 1 };
    const body: IrBlock = [];
    let maxIterations: number | undefined;
    if (node.type === T.ForStatement) {
      if (node.init) this.anyNode(node.init, out, pos);
      maxIterations = this.forBound(node);
    } else if (node.type === T.ForInStatement || node.type === T.ForOfStatement) {
      this.expr(node.right, out, pos, OTHER);
      const left = node.left.type === T.VariableDeclaration ? node.left.declarations[0]?.id : node.left;
      if (left) this.declarePattern(left);
      const right = unwrap(node.right);
      if (node.type === T.ForOfStatement && right.type === T.ArrayExpression) maxIterations = right.elements.length;
    }
    const before = this.env.clone();
    if (node.type === T.ForStatement) {
      if (node.test) this.expr(node.test, body, inner, TEST);
    } else if (node.type === T.WhileStatement) this.expr(node.test, body, inner, TEST);
    this.statement(node.body, body, inner);
    if (node.type === T.ForStatement && node.update) this.expr(node.update, body, inner, OTHER);
    if (node.type === T.DoWhileStatement) this.expr(node.test, body, inner, TEST);
    this.env = joinEnvs([{ env: before }, { env: this.env }]);
    out.push({ kind: "loop", body, range: this.rangeOf(node), ...(maxIterations !== undefined ? { maxIterations } : {}) });
  }

  /** `for (let i = 0; i < 3; i++)`: at most 3 rounds. */
  private forBound(node: TSESTree.ForStatement): number | undefined {
    const init = node.init;
    const test = node.test ? unwrap(node.test) : undefined;
    const update = node.update ? unwrap(node.update) : undefined;
    if (!init || init.type !== T.VariableDeclaration || init.declarations.length !== 1) return undefined;
    const d = init.declarations[0]!;
    if (d.id.type !== T.Identifier || !d.init) return undefined;
    const start = valueOf(this.evalNode(d.init));
    if (start === undefined || !test || test.type !== T.BinaryExpression || !update) return undefined;
    const left = unwrap(test.left as Node);
    if (left.type !== T.Identifier || left.name !== d.id.name) return undefined;
    const limit = valueOf(this.evalNode(test.right));
    if (limit === undefined) return undefined;
    const increments = (update.type === T.UpdateExpression && update.operator === "++") || (update.type === T.AssignmentExpression && update.operator === "+=" && valueOf(this.evalNode(update.right)) === 1n);
    if (!increments) return undefined;
    const rounds = test.operator === "<" ? signed(limit) - signed(start) : test.operator === "<=" ? signed(limit) - signed(start) + 1n : undefined;
    if (rounds === undefined) return undefined;
    return rounds <= 0n ? 0 : rounds > 1_000_000n ? undefined : Number(rounds);
  }

  private tryStatement(node: TSESTree.TryStatement, out: IrBlock, pos: Pos): boolean {
    const before = this.env.clone();
    const tryEnded = this.block(node.block.body, out, pos);
    const afterTry = this.env;
    let catchEnded = false;
    if (node.handler) {
      this.env = joinEnvs([{ env: before }, { env: afterTry }]);
      if (node.handler.param) this.declarePattern(node.handler.param);
      const body: IrBlock = [];
      catchEnded = this.block(node.handler.body.body, body, pos);
      const incoming: Incoming[] = [];
      if (!tryEnded) incoming.push({ env: afterTry });
      if (!catchEnded) incoming.push({ env: this.env });
      this.env = incoming.length ? joinEnvs(incoming) : afterTry;
      // The catch arm runs when something in the try block threw: the failure of what it called.
      out.push({ kind: "branch", arms: [{ cond: { kind: "error-path" }, body }], exhaustive: false, preprocessor: false, range: this.rangeOf(node.handler) });
    }
    let finallyEnded = false;
    if (node.finalizer) finallyEnded = this.block(node.finalizer.body, out, pos);
    return finallyEnded || (tryEnded && (!node.handler || catchEnded));
  }

  // ------------------------------------------------------------------------------------------
  // Expressions

  private expr(node: Node, out: IrBlock, pos: Pos, use: Use): VarFact | undefined {
    if (!this.enter(node)) return undefined;
    this.depth++;
    try {
      return this.exprInner(node, out, pos, use);
    } finally {
      this.depth--;
    }
  }

  private exprInner(node: Node, out: IrBlock, pos: Pos, use: Use): VarFact | undefined {
    switch (node.type) {
      case T.CallExpression:
        return this.call(node, out, pos, use, false);
      case T.NewExpression:
        return this.call(node, out, pos, use, true);
      case T.Identifier:
        this.readVar(node.name, use);
        return this.identFact(node.name);
      case T.ThisExpression:
        return this.className ? { kind: "instance", className: this.className } : undefined;
      case T.MemberExpression: {
        const dotted = dottedName(node);
        if (dotted !== undefined) this.readVar(dotted, use);
        if (node.computed) this.expr(node.property, out, pos, OTHER);
        const objectFact = this.expr(node.object, out, pos, use.k === "test" || use.k === "return" ? use : OTHER);
        if (dotted !== undefined && this.env.has(dotted)) return this.env.get(dotted);
        const prop = memberName(node);
        return prop !== undefined ? this.memberOf(objectFact, prop, dottedName(node.object)) : undefined;
      }
      case T.ChainExpression:
      case T.TSAsExpression:
      case T.TSSatisfiesExpression:
      case T.TSNonNullExpression:
      case T.TSTypeAssertion:
      case T.TSInstantiationExpression:
        return this.expr(node.expression, out, pos, use);
      case T.AwaitExpression:
        return this.expr(node.argument, out, pos, use);
      case T.UnaryExpression: {
        if (node.operator === "void") {
          this.expr(node.argument, out, pos, { k: "void" });
          return undefined;
        }
        this.expr(node.argument, out, pos, node.operator === "!" ? TEST : OTHER);
        return undefined;
      }
      case T.BinaryExpression: {
        const comparison = ["==", "===", "!=", "!==", "<", ">", "<=", ">=", "instanceof", "in"].includes(node.operator);
        if (node.left.type !== T.PrivateIdentifier) this.expr(node.left, out, pos, comparison ? TEST : OTHER);
        this.expr(node.right, out, pos, comparison ? TEST : OTHER);
        return undefined;
      }
      case T.LogicalExpression: {
        this.expr(node.left, out, pos, TEST);
        const body: IrBlock = [];
        const before = this.env;
        this.env = before.clone();
        const right = this.expr(node.right, body, pos, use.k === "discard" ? TEST : use);
        this.env = joinEnvs([{ env: before }, { env: this.env }]);
        if (body.length) {
          const guard = node.operator === "&&" ? `(${shortText(this.file.text, node.left)})` : `!(${shortText(this.file.text, node.left)})`;
          out.push({ kind: "branch", arms: [{ cond: { kind: "other", text: guard }, body }], exhaustive: false, preprocessor: false, range: this.rangeOf(node.right) });
        }
        return right;
      }
      case T.ConditionalExpression:
        return this.conditional(node, out, pos, use);
      case T.AssignmentExpression:
        this.assignment(node, out, pos);
        return undefined;
      case T.UpdateExpression: {
        const name = dottedName(node.argument);
        if (name !== undefined) this.env.set(name, { kind: "sym", sym: UNKNOWN });
        return undefined;
      }
      case T.SequenceExpression: {
        let last: VarFact | undefined;
        node.expressions.forEach((e, i) => (last = this.expr(e, out, pos, i === node.expressions.length - 1 ? use : DISCARD)));
        return last;
      }
      case T.ArrowFunctionExpression:
      case T.FunctionExpression:
        this.callbackLiteral(node, "a function value", out, pos, "maybe-once");
        return undefined;
      case T.ClassExpression:
        this.queueClass(node.id?.name ?? "anonymous", node, node.range[0]);
        return { kind: "class", name: node.id?.name ?? "anonymous" };
      case T.ObjectExpression:
        return this.objectLiteral(node, undefined, out, pos, node.range[0]);
      case T.ImportExpression: {
        const spec = staticString(node.source);
        if (spec === undefined) this.expr(node.source, out, pos, OTHER);
        return spec !== undefined ? moduleFact(spec) : undefined;
      }
      case T.Literal:
      case T.TemplateElement:
      case T.Super:
      case T.MetaProperty:
      case T.PrivateIdentifier:
        return this.peek(node);
      case T.TemplateLiteral:
        for (const e of node.expressions) this.expr(e, out, pos, OTHER);
        return this.peek(node);
      case T.TaggedTemplateExpression:
        this.expr(node.tag, out, pos, OTHER);
        for (const e of node.quasi.expressions) this.expr(e, out, pos, OTHER);
        return undefined;
      case T.YieldExpression:
        if (node.argument) this.expr(node.argument, out, pos, OTHER);
        return undefined;
      case T.SpreadElement:
        return this.expr(node.argument, out, pos, use);
      default:
        for (const c of childrenOf(node)) this.anyNode(c, out, pos);
        return undefined;
    }
  }

  private conditional(node: TSESTree.ConditionalExpression, out: IrBlock, pos: Pos, use: Use): VarFact | undefined {
    const facts = this.condition(node.test, out, pos);
    const before = this.env;
    this.env = before.clone();
    const thenBody: IrBlock = [];
    const t = this.expr(node.consequent, thenBody, pos, use);
    const thenOut = this.env;
    this.env = before.clone();
    const elseBody: IrBlock = [];
    const f = this.expr(node.alternate, elseBody, pos, use);
    this.env = joinEnvs([withAbi(thenOut, facts.thenAbi), withAbi(this.env, facts.elseAbi)]);
    if (thenBody.length || elseBody.length) {
      out.push({
        kind: "branch",
        arms: [
          { cond: facts.thenCond, body: thenBody },
          { cond: facts.elseCond, body: elseBody },
        ],
        exhaustive: true,
        preprocessor: false,
        range: this.rangeOf(node),
      });
    }
    return t && f && t.kind === f.kind && t.kind !== "sym" ? t : undefined;
  }

  private assignment(node: TSESTree.AssignmentExpression, out: IrBlock, pos: Pos): void {
    const left = node.left;
    const name = dottedName(left);
    if (node.operator === "=") {
      if (left.type === T.ObjectPattern || left.type === T.ArrayPattern) {
        const fact = this.expr(node.right, out, pos, OTHER);
        this.bindPattern(left, fact, dottedName(node.right), out, pos);
        return;
      }
      if (name === undefined) {
        this.expr(node.right, out, pos, OTHER);
        if (left.type === T.MemberExpression) this.expr(left.object, out, pos, OTHER);
        return;
      }
      // `module.exports = ...`, `exports.sandbox = function () {}`, `Foo.prototype.run = function () {}`.
      const exported = /^(?:module\.)?exports\.(\w+)$/.exec(name);
      const prototype = /^(\w+)\.prototype\.(\w+)$/.exec(name);
      const onThis = /^this\.(\w+)$/.exec(name);
      const value = unwrap(node.right);
      if (isFunctionNode(value)) {
        const irName = exported ? exported[1]! : prototype ? `${prototype[1]}.${prototype[2]}` : onThis && this.className ? `${this.className}.${onThis[1]}` : name;
        this.queueFunction(irName, value, this.rangeOf(left), node.range[0]);
        this.env.set(name, { kind: "function", name: irName });
        return;
      }
      if (name === "module.exports" && value.type === T.ObjectExpression) {
        this.objectLiteral(value, "module.exports", out, pos, node.range[0]);
        return;
      }
      if (name === "onmessage" || name === "self.onmessage") this.file.worker.readsWorkerSide = true;
      this.namedValue(name, node.right, out, pos, node.range[0], left);
      return;
    }
    this.expr(node.right, out, pos, OTHER);
    if (name === undefined) return;
    const current = this.env.get(name);
    if (current && current.kind !== "sym") return;
    const cur = current?.kind === "sym" ? current.sym : (this.identValue(name) ?? UNKNOWN);
    const rhs = this.evalNode(node.right);
    let next: Sym;
    if (node.operator === "|=") next = or(cur, rhs);
    else if (node.operator === "&=") {
      const r = unwrap(node.right);
      const mask = r.type === T.UnaryExpression && r.operator === "~" ? valueOf(this.evalNode(r.argument)) : undefined;
      next = mask !== undefined ? clear(cur, mask) : and(cur, rhs);
    } else next = UNKNOWN;
    const dot = name.lastIndexOf(".");
    const owner = dot > 0 ? this.env.get(name.slice(0, dot)) : undefined;
    const word = dot > 0 ? attrFieldOf(name.slice(dot + 1)) : undefined;
    if (owner?.kind === "attr" && word) {
      const attr = { ...owner.attr, [word]: next };
      // Masking by the running ABI, or inside an ABI test: "best effort".
      if (this.mentionsAbi(node.right) || pos.abiGuard) attr.masked = true;
      this.env.set(name.slice(0, dot), { kind: "attr", attr });
      return;
    }
    this.env.set(name, { kind: "sym", sym: next });
  }

  // ------------------------------------------------------------------------------------------
  // Callbacks

  /** A function literal run by someone else: walked in place, in an arm or a loop. */
  private callbackLiteral(fn: FunctionLike, callee: string, out: IrBlock, pos: Pos, run: ReturnType<typeof callbackRun>): void {
    const body = this.literalBody(fn, pos);
    if (body.length === 0) return;
    this.wrapCallback(body, callee, fn, out, run);
  }

  private wrapCallback(body: IrBlock, callee: string, at: Node, out: IrBlock, run: ReturnType<typeof callbackRun>): void {
    if (run === "now") {
      out.push(...body);
      return;
    }
    if (run === "repeated") {
      out.push({ kind: "loop", body, range: this.rangeOf(at) });
      return;
    }
    out.push({ kind: "branch", arms: [{ cond: { kind: "other", text: `callback passed to ${callee}` }, body }], exhaustive: false, preprocessor: false, range: this.rangeOf(at) });
  }

  /** The body of a function literal run elsewhere: walked with a copy of the current knowledge. */
  private literalBody(fn: FunctionLike, pos: Pos): IrBlock {
    const saved = this.env;
    const savedReturn = this.returnDepth;
    const savedAbi = this.returnsAbi;
    this.env = saved.clone();
    this.returnDepth = 0;
    const body: IrBlock = [];
    try {
      for (const p of fn.params) this.declarePattern(p);
      const inner: Pos = { loop: 0, abiGuard: pos.abiGuard };
      if (fn.body.type === T.BlockStatement) this.block(fn.body.body, body, inner);
      else this.expr(fn.body, body, inner, OTHER);
    } finally {
      this.env = saved;
      this.returnDepth = savedReturn;
      this.returnsAbi = savedAbi;
    }
    // A `return` inside a callback leaves the callback, not the function around it.
    return body.filter((n) => !(n.kind === "exit" && n.leaves === "function"));
  }

  // ------------------------------------------------------------------------------------------
  // Result checking

  resultFor(use: Use, op: ResultOp, failureIsNonZero: boolean): Tri {
    if (this.returnDepth > 0) {
      op.resultReturned = true;
      return "yes";
    }
    switch (use.k) {
      case "test":
      case "return":
        return "yes";
      case "discard":
        return "no";
      case "void":
        return "no";
      case "arg":
        return CHECKING_CALL.test(use.callee) ? "yes" : "maybe";
      case "assign": {
        for (const name of use.names) {
          if (!name) continue;
          this.pendingResults.set(name, [...(this.pendingResults.get(name) ?? []), op]);
          this.resultOps.set(name, [...(this.resultOps.get(name) ?? []), op]);
          if (failureIsNonZero) this.resultVars.add(name);
        }
        return "no";
      }
      default:
        return "maybe";
    }
  }

  /** A read of a name: settles the ops whose result it holds. */
  private readVar(name: string, use: Use): void {
    if (this.returnDepth > 0) for (const op of this.resultOps.get(name) ?? []) op.resultReturned = true;
    const list = this.pendingResults.get(name);
    if (!list) return;
    if (use.k === "test" || use.k === "return" || this.returnDepth > 0 || (use.k === "arg" && CHECKING_CALL.test(use.callee))) {
      for (const op of list) op.resultChecked = "yes";
      this.pendingResults.delete(name);
    } else if (use.k !== "discard" && use.k !== "void" && use.k !== "assign") {
      for (const op of list) if (op.resultChecked === "no") op.resultChecked = "maybe";
    }
  }

  // ------------------------------------------------------------------------------------------
  // Calls

  private call(node: TSESTree.CallExpression | TSESTree.NewExpression, out: IrBlock, pos: Pos, use: Use, isNew: boolean): VarFact | undefined {
    const callee = unwrap(node.callee);
    const args = node.arguments;
    if (isFunctionNode(callee)) {
      // An IIFE: its body runs here.
      for (const a of args) this.expr(a, out, pos, OTHER);
      const body = this.literalBody(callee, pos);
      out.push(...body);
      return undefined;
    }
    // What is called, and the receiver's fact for member calls.
    let target: VarFact | undefined;
    let member: string | undefined;
    let receiverName: string | undefined;
    let receiver: VarFact | undefined;
    if (callee.type === T.MemberExpression) {
      member = memberName(callee);
      receiverName = dottedName(callee.object);
      if (callee.computed) this.expr(callee.property, out, pos, OTHER);
      receiver = this.expr(callee.object, out, pos, OTHER);
      const dotted = dottedName(callee);
      target = dotted !== undefined && this.env.has(dotted) ? this.env.get(dotted) : member !== undefined ? this.memberOf(receiver, member, receiverName) : undefined;
    } else if (callee.type === T.Identifier) {
      target = this.identFact(callee.name);
    } else {
      target = this.expr(callee, out, pos, OTHER);
    }
    const calleeText = dottedName(callee) ?? shortText(this.file.text, callee, 60);
    const calleeRange = this.rangeOf(callee.type === T.MemberExpression ? callee.property : callee);
    const range = this.rangeOf(node);

    // Arguments first (evaluation order); function literals are callbacks.
    const isPromise = isNew && calleeText === "Promise";
    const route = args[0] !== undefined && /^[/*]/.test(staticString(args[0] as Node) ?? "");
    const runOf = () => callbackRun(member ?? calleeText.split(".").pop() ?? "", isPromise, route);
    const argFacts: (VarFact | undefined)[] = [];
    for (const a of args) {
      const inner = a.type === T.SpreadElement ? a.argument : unwrap(a);
      if (isFunctionNode(inner)) {
        this.callbackLiteral(inner, calleeText, out, pos, runOf());
        argFacts.push(undefined);
        continue;
      }
      const fact = this.expr(a, out, pos, { k: "arg", callee: calleeText });
      argFacts.push(fact);
      // A named function handed over as a callback: it runs when the callee decides.
      if (fact?.kind === "function" && inner.type === T.Identifier && !this.isInertCallee(receiver, receiverName, target)) {
        const body: IrBlock = [this.callOp(fact.name, [], inner, inner, OTHER)];
        this.wrapCallback(body, calleeText, inner, out, runOf());
      }
    }

    const saved = this.currentUse;
    this.currentUse = use;
    try {
      return this.dispatch({ node, callee, args, isNew, target, member, receiver, receiverName, calleeText, calleeRange, range, argFacts, use, pos, out });
    } finally {
      this.currentUse = saved;
    }
  }

  private isInertCallee(receiver: VarFact | undefined, receiverName: string | undefined, target: VarFact | undefined): boolean {
    if (target?.kind === "mod" && target.module !== "process") return false;
    const root = receiverName?.split(".")[0];
    return !receiver && root !== undefined && (INERT_GLOBALS.has(root) || INERT_MODULE_NAMES.has(root));
  }

  private dispatch(c: CallSite): VarFact | undefined {
    const { target } = c;
    switch (target?.kind) {
      case "native":
        return this.emitNative(target.fn, nativeArgs(target.fn, c.args), c);
      case "require":
        return this.requireCall(c);
      case "mod":
        return this.platform.moduleCall(target.module, target.path, c);
      case "koffi-lib":
        return undefined;
      case "addon-fn":
        return this.platform.addonCall(target.addon, target.method, c);
      case "addon":
        return undefined;
      case "function": {
        const stub = this.file.stubs.get(target.name);
        if (stub) return this.emitNative({ ...stub.fn, boundAs: target.name }, stubArguments(stub, c.args), c);
        c.out.push(this.callOp(target.name, [], c.node, c.callee, c.use));
        return this.file.abiHelpers.has(target.name) ? { kind: "abi" } : undefined;
      }
      case "class":
        c.out.push(this.callOp(target.name, [`${target.name}.constructor`], c.node, c.callee, OTHER));
        return { kind: "instance", className: target.name };
      case "js-module": {
        const name = target.path[target.path.length - 1];
        const local = c.callee.type === T.Identifier ? c.callee.name : c.calleeText;
        if (c.isNew && name) {
          // A class of another module: `new Sandbox()` runs `Sandbox.constructor`; methods are `Sandbox.*`.
          const className = name === "default" ? local : name;
          c.out.push(this.callOp(className, [`${className}.constructor`], c.node, c.callee, OTHER));
          return { kind: "instance", className };
        }
        const candidates = name && name !== "default" && name !== local ? [name] : [];
        c.out.push(this.callOp(local, candidates, c.node, c.callee, c.use));
        return name && this.file.abiHelpers.has(name) ? { kind: "abi" } : undefined;
      }
      default:
        break;
    }
    if (c.member !== undefined) return this.memberCall(c);
    if (target?.kind === "local") return undefined;
    if (c.callee.type === T.Identifier) {
      const name = c.callee.name;
      // `Number(abi)`, `BigInt(fd)`: the value stays what it was.
      if (/^(?:parseInt|BigInt|Number)$/.test(name)) return c.argFacts[0]?.kind === "abi" || c.argFacts[0]?.kind === "ruleset" || c.argFacts[0]?.kind === "pid" ? c.argFacts[0] : undefined;
      if (INERT_GLOBALS.has(name) || /^(?:setTimeout|setInterval|setImmediate|queueMicrotask|String|Boolean|Symbol|Promise)$/.test(name)) return undefined;
      if (name === "postMessage") {
        this.file.worker.readsWorkerSide = true;
        return undefined;
      }
      if (c.isNew && /^(?:BigUint64Array|BigInt64Array|Uint8Array|Uint32Array|Int32Array|ArrayBuffer|Error|TypeError|Map|Set|URL|Date|RegExp)$/.test(name)) {
        if (name === "URL") return this.urlFact(c);
        return undefined;
      }
      if (c.isNew) {
        c.out.push(this.callOp(name, [`${name}.constructor`], c.node, c.callee, OTHER));
        return { kind: "instance", className: name };
      }
      c.out.push(this.callOp(name, [], c.node, c.callee, c.use));
      return this.file.abiHelpers.has(name) ? { kind: "abi" } : undefined;
    }
    return undefined;
  }

  /** `new URL("./worker.js", import.meta.url)`: the path, for Workers. */
  private urlFact(c: CallSite): VarFact | undefined {
    const first = c.args[0] && c.args[0].type !== T.SpreadElement ? c.args[0] : undefined;
    const s = first ? this.stringOf(first) : undefined;
    if (s !== undefined) return { kind: "str", value: s };
    if (first && /import\.meta\.(?:url|filename)/.test(this.textOf(first))) return { kind: "str", value: "<this module>" };
    return undefined;
  }

  /** `obj.method(...)` on something that is not a module or a binding the walker knows. */
  private memberCall(c: CallSite): VarFact | undefined {
    const member = c.member!;
    const receiver = c.receiver;
    const root = c.receiverName?.split(".")[0];
    // Buffers holding a ruleset attribute: `attr.writeBigUInt64LE(fs, 0)`.
    if (receiver?.kind === "attr" && /^write(?:Big)?U?Int(?:64|32)[LB]E$/.test(member) && c.receiverName !== undefined) {
      this.bufferWrite(c.receiverName, receiver.attr, c);
      return undefined;
    }
    if (receiver?.kind === "child-process" && member === "kill") {
      c.out.push({ kind: "op", op: { type: "signal", target: "other-process", api: `${c.calleeText}()`, range: c.range } });
      return undefined;
    }
    if (receiver?.kind === "socket" && member === "connect") {
      this.platform.abstractConnect(c.calleeText, c.args[0], c.range, c.out);
      return undefined;
    }
    if (receiver?.kind === "dynlib" && member === "get") {
      const symbol = this.stringOf(c.args[0]);
      return symbol !== undefined ? { kind: "symbol-pointer", symbol } : undefined;
    }
    if (receiver?.kind === "koffi-lib" && /^(?:func|cdecl|stdcall|fastcall|thiscall)$/.test(member)) {
      const symbol = koffiFuncSymbol(c.args, (n) => this.stringOf(n));
      return symbol !== undefined ? { kind: "native", fn: { symbol, via: "koffi" } } : undefined;
    }
    if (receiver?.kind === "mod" && receiver.module === "module" && member === "createRequire") return { kind: "require" };
    if (c.receiverName !== undefined && /^require$/.test(c.receiverName) && member === "resolve") return this.peek(c.args[0] as Node);
    if (receiver?.kind === "str" && /^(?:replace|concat|slice|trim)$/.test(member)) return undefined;
    if (root !== undefined && !receiver && (INERT_GLOBALS.has(root) || INERT_MODULE_NAMES.has(root))) {
      if (root === "Buffer" && member === "alloc") {
        const size = valueOf(this.evalNode(c.args[0] as Node | undefined));
        return size === 24n || size === 16n || size === 8n ? { kind: "attr", attr: freshAttr() } : undefined;
      }
      return undefined;
    }
    // The project's own methods: `sandbox.apply()`, `this.restrict()`, `jail.enter()` on an object of unknown origin.
    const projectReceiver = receiver?.kind === "instance" || receiver?.kind === "class" || receiver?.kind === "js-module" || receiver?.kind === "object" || receiver?.kind === "function";
    const unknownName = (!receiver || receiver.kind === "local") && c.receiverName !== undefined && /^[A-Za-z_$][\w$]*$/.test(c.receiverName) && !BUILTIN_METHODS.has(member);
    if (!projectReceiver && !unknownName) return undefined;
    const candidates: string[] = [];
    if (receiver?.kind === "instance") candidates.push(`${receiver.className}.${member}`);
    if (receiver?.kind === "class") candidates.push(`${receiver.name}.${member}`);
    if (receiver?.kind === "js-module") candidates.push(member);
    if (receiver?.kind === "object" && c.receiverName !== undefined) candidates.push(`${c.receiverName}.${member}`);
    const receiverText = c.receiverName ?? (receiver?.kind === "instance" ? receiver.className : shortText(this.file.text, (c.callee as TSESTree.MemberExpression).object, 40));
    const callee = `${receiverText}.${member}`;
    c.out.push(this.callOp(callee, candidates, c.node, c.callee, c.use));
    return candidates.some((n) => this.file.abiHelpers.has(n)) ? { kind: "abi" } : undefined;
  }

  private bufferWrite(name: string, attr: AttrState, c: CallSite): void {
    const value = c.args[0] && c.args[0].type !== T.SpreadElement ? c.args[0] : undefined;
    const offset = valueOf(this.evalNode(c.args[1] as Node | undefined)) ?? 0n;
    const word = offset === 0n ? "fs" : offset === 8n ? "net" : offset === 16n ? "scoped" : undefined;
    if (!word || !value) return;
    const next = { ...attr, [word]: this.evalNode(value) };
    if (this.mentionsAbi(value) || c.pos.abiGuard) next.masked = true;
    this.env.set(name, { kind: "attr", attr: next });
  }

  private callOp(callee: string, candidates: string[], node: Node, calleeNode: Node, use: Use): IrNode {
    const op: Extract<IrOp, { type: "call" }> = {
      type: "call",
      callee,
      ...(candidates.length ? { calleeCandidates: candidates.filter((x) => x !== callee) } : {}),
      resultChecked: "maybe",
      range: this.rangeOf(node),
      calleeRange: this.rangeOf(calleeNode.type === T.MemberExpression ? calleeNode.property : calleeNode),
    };
    if (op.calleeCandidates?.length === 0) delete op.calleeCandidates;
    op.resultChecked = this.resultFor(use, op, false);
    return { kind: "op", op };
  }

  emitNative(fn: NativeFn, args: (Node | undefined)[], c: CallSite): VarFact | undefined {
    const result = nativeCall(this, fn, args, c.range, c.calleeRange);
    // koffi/ffi-napi `.async(..., callback)`: the result goes to the callback, which the walk saw as an arm.
    const last = c.args[c.args.length - 1];
    if (fn.onPool && last && isFunctionNode(unwrap(last as Node))) {
      for (const op of result.ops) if ("resultChecked" in op && op.resultChecked === "no") op.resultChecked = "maybe";
    }
    const nodes: IrNode[] = result.ops.map((op) => ({ kind: "op", op }));
    if (fn.onPool && nodes.length) c.out.push({ kind: "thread", how: fn.onPool, body: nodes, range: c.range });
    else c.out.push(...nodes);
    if (result.value?.kind === "abi" && c.use.k === "assign") for (const n of c.use.names) if (n) this.resultVars.delete(n);
    return result.value;
  }

  private requireCall(c: CallSite): VarFact | undefined {
    const spec = this.stringOf(c.args[0] as Node | undefined);
    return spec !== undefined ? moduleFact(spec) : undefined;
  }

}

/** Methods of the platform's own objects (arrays, strings, promises, streams, servers, maps): never the project's. */
const BUILTIN_METHODS = new Set([
  "push", "pop", "shift", "unshift", "splice", "slice", "concat", "join", "split", "indexOf", "includes", "map", "filter", "forEach",
  "reduce", "some", "every", "find", "findIndex", "flat", "flatMap", "sort", "reverse", "keys", "values", "entries", "toString",
  "valueOf", "replace", "replaceAll", "trim", "trimStart", "trimEnd", "padStart", "padEnd", "startsWith", "endsWith", "match",
  "matchAll", "toLowerCase", "toUpperCase", "charAt", "charCodeAt", "at", "fill", "then", "catch", "finally", "on", "once", "off",
  "emit", "addListener", "removeListener", "removeAllListeners", "end", "write", "read", "pipe", "unpipe", "destroy", "close",
  "listen", "send", "json", "status", "setHeader", "writeHead", "get", "set", "has", "delete", "clear", "add", "postMessage",
  "terminate", "unref", "ref", "resume", "pause", "setEncoding", "toJSON", "test", "bind", "call", "log", "error",
  "warn", "info", "debug", "trace", "assert", "equal", "strictEqual", "deepEqual", "ok", "throws", "next", "return", "throw",
]);

interface IrArmDraft {
  cond: IrCond;
  body: IrBlock;
}

/** A native function bound to a JS name other than its C symbol keeps that name for messages. */
function renamed(fact: VarFact | undefined, name: string): VarFact | undefined {
  if (fact?.kind !== "native" || !/^[A-Za-z_$][\w$]*$/.test(name) || name === fact.fn.boundAs) return fact;
  const fn: NativeFn = { ...fact.fn };
  if (name === fn.symbol) delete fn.boundAs;
  else fn.boundAs = name;
  return { kind: "native", fn };
}

function withAbi(env: Env, abi: { abi: number; negated: boolean } | undefined): Incoming {
  return abi ? { env, abi } : { env };
}

function endsInExit(out: IrBlock): boolean {
  return out.length > 0 && out[out.length - 1]!.kind === "exit";
}

/** Like jsExprOf, but looks into object and array literals for the names they mention. */
function jsExprOfDeep(node: Node): Expr {
  const n = unwrap(node);
  if (n.type === T.ObjectExpression || n.type === T.ArrayExpression) {
    const parts: Expr[] = [];
    for (const c of childrenOf(n)) parts.push(jsExprOfDeep(c.type === T.Property ? c.value : c));
    return { k: "call", callee: "", args: parts };
  }
  return jsExprOf(n);
}
