// What calls into the platform do: the modules and globals the front-end knows (koffi,
// ffi-napi, ffi-rs, bun:ffi, worker_threads, worker pools, child_process, cluster, net,
// http, process, Deno, Bun) and the methods of native addons. The walker resolves what a
// callee is; this module turns a call of a known callee into ops and says what it returns.

import type { TSESTree } from "@typescript-eslint/typescript-estree";
import type { IrBlock, IrOp, Range, RestrictFlags, Tri } from "../../ir.js";
import { valueOf } from "../c/sym.js";
import { dottedName, keyName, memberName, T, unwrap, type Node } from "./ast.js";
import type { NativeFn, VarFact } from "./facts.js";
import { ffiRsLoad, symbolTable } from "./ffi.js";
import { moduleFunctionName } from "./modules.js";
import { restrictFlags, signalTarget, type NativeServices } from "./natives.js";
import type { CallSite, JsFileContext, Pos, ResultOp, Use } from "./walk-types.js";

/** Addon and package method names that are the Landlock API. */
const ADDON_RESTRICT = /restrict_?self/i;
const ADDON_LANDLOCK_RESTRICT = /landlock.*(?:restrict|enforce)|(?:restrict|enforce).*landlock/i;
const ADDON_NOT_RESTRICT = /create|ruleset|add_?rule|abi|version|available|supported|errata|status|probe/i;

/** What the walker offers the platform calls. */
export interface PlatformServices extends NativeServices {
  readonly file: JsFileContext;
  stringOf(node: Node | undefined): string | undefined;
  stringPrefix(node: Node | undefined): string | undefined;
  /** The fact of an expression without walking it. */
  peek(node: Node): VarFact | undefined;
  /** What is known of `name.key` (a field stored on a named object). */
  fieldFact(name: string, key: string): VarFact | undefined;
  /** Walks an expression for the ops inside it (its value is not needed). */
  walkValue(node: Node, pos: Pos): void;
  emitNative(fn: NativeFn, args: (Node | undefined)[], c: CallSite): VarFact | undefined;
  resultFor(use: Use, op: ResultOp, failureIsNonZero: boolean): Tri;
}

export class PlatformCalls {
  constructor(private readonly w: PlatformServices) {}

  /** Calls into the modules and globals this front-end knows. */
  moduleCall(module: string, path: string[], c: CallSite): VarFact | undefined {
    const fn = path.join(".");
    const arg = (i: number): Node | undefined => (c.args[i] && c.args[i]!.type !== T.SpreadElement ? (c.args[i] as Node) : undefined);
    switch (module) {
      case "koffi":
        if (fn === "load") return { kind: "koffi-lib" };
        return undefined;
      case "ffi-napi":
        if (fn === "Library") return { kind: "symtab", symbols: symbolTable(arg(1), "ffi-napi", (n) => this.w.stringOf(n)) };
        if (fn === "DynamicLibrary") return { kind: "dynlib" };
        if (fn === "ForeignFunction") {
          const pointer = c.argFacts[0] ?? (arg(0) ? this.w.peek(arg(0)!) : undefined);
          return pointer?.kind === "symbol-pointer" ? { kind: "native", fn: { symbol: pointer.symbol, via: "ffi-napi" } } : undefined;
        }
        return undefined;
      case "ffi-rs": {
        if (fn === "load") {
          const loaded = ffiRsLoad(arg(0), (n) => this.w.stringOf(n));
          if (!loaded) return undefined;
          for (const a of loaded.args) this.w.walkValue(a, c.pos);
          return this.w.emitNative({ symbol: loaded.symbol, via: "ffi-rs" }, loaded.args, c);
        }
        if (fn === "define") return { kind: "symtab", symbols: symbolTable(arg(0), "ffi-rs", (n) => this.w.stringOf(n), { argsInArray: true }) };
        return undefined;
      }
      case "bun:ffi":
        if (fn === "dlopen") return { kind: "dl-lib", symbols: symbolTable(arg(1), "bun:ffi", (n) => this.w.stringOf(n)) };
        return undefined;
      case "bindings":
        if (path.length === 0) {
          const name = this.w.stringOf(arg(0));
          return { kind: "addon", name: name ?? "native addon" };
        }
        return undefined;
      case "worker_threads":
        if (fn === "Worker" && c.isNew) return this.workerSpawn(c);
        return undefined;
      case "thread-pool":
        // `new Piscina({ filename })`, `new Tinypool({ filename })`, `workerpool.pool(file)`.
        if ((c.isNew && (path.length === 0 || /^(?:Piscina|Tinypool|default)$/.test(fn))) || fn === "pool") return this.poolSpawn(c);
        return undefined;
      case "cluster":
        if (fn === "fork") {
          c.out.push({ kind: "child", how: "cluster.fork: a separate process", body: [], range: c.range });
          return { kind: "child-process" };
        }
        return undefined;
      case "child_process":
        if (/^(?:spawn|fork|exec|execFile|spawnSync|execSync|execFileSync)$/.test(fn)) {
          c.out.push({ kind: "child", how: `child_process.${fn}: a separate process`, body: [], range: c.range });
          return { kind: "child-process" };
        }
        return undefined;
      case "net":
        if (fn === "connect" || fn === "createConnection") this.abstractConnect(`net.${fn}`, c.args[0], c.range, c.out);
        if (fn === "Socket" && c.isNew) return { kind: "socket" };
        return undefined;
      case "http":
      case "https":
        if (fn === "request" || fn === "get") this.abstractConnect(`${module}.${fn}`, c.args[0], c.range, c.out, ["socketPath"]);
        return undefined;
      case "module":
        if (fn === "createRequire") return { kind: "require" };
        return undefined;
      case "process":
        return this.processCall(fn, c);
      case "deno":
        return this.denoCall(fn, c);
      case "bun":
        if (fn === "spawn" || fn === "spawnSync") {
          c.out.push({ kind: "child", how: `Bun.${fn}: a separate process`, body: [], range: c.range });
          return { kind: "child-process" };
        }
        if (fn === "connect") this.abstractConnect("Bun.connect", c.args[0], c.range, c.out, ["unix"]);
        return undefined;
      case "self":
        if (fn === "postMessage" || fn === "addEventListener") this.w.file.worker.readsWorkerSide = true;
        return undefined;
      default:
        return undefined;
    }
  }

  private processCall(fn: string, c: CallSite): VarFact | undefined {
    const r = c.range;
    switch (fn) {
      case "exit":
      case "abort":
      case "reallyExit":
        c.out.push({ kind: "exit", range: r, leaves: "process" });
        return undefined;
      case "kill":
        c.out.push({ kind: "op", op: { type: "signal", target: signalTarget(this.w, c.args[0] as Node | undefined), api: "process.kill", range: r } });
        return undefined;
      case "setuid":
      case "setgid":
      case "seteuid":
      case "setegid":
      case "setgroups":
      case "initgroups":
        c.out.push({ kind: "op", op: { type: "setuid", api: `process.${fn} (glibc applies it to every thread)`, range: r } });
        return undefined;
      case "execve":
        c.out.push({ kind: "op", op: { type: "exec", api: "process.execve", range: r } });
        return undefined;
      case "getuid":
      case "geteuid":
        return undefined;
      default:
        return undefined;
    }
  }

  private denoCall(fn: string, c: CallSite): VarFact | undefined {
    const arg = (i: number): Node | undefined => (c.args[i] && c.args[i]!.type !== T.SpreadElement ? (c.args[i] as Node) : undefined);
    switch (fn) {
      case "dlopen":
        return { kind: "dl-lib", symbols: symbolTable(arg(1), "Deno.dlopen", (n) => this.w.stringOf(n)) };
      case "exit":
        c.out.push({ kind: "exit", range: c.range, leaves: "process" });
        return undefined;
      case "kill":
        c.out.push({ kind: "op", op: { type: "signal", target: signalTarget(this.w, arg(0)), api: "Deno.kill", range: c.range } });
        return undefined;
      case "Command":
      case "run":
        c.out.push({ kind: "child", how: `Deno.${fn}: a separate process`, body: [], range: c.range });
        return { kind: "child-process" };
      case "connect":
        this.abstractConnect("Deno.connect", arg(0), c.range, c.out);
        return undefined;
      default:
        return undefined;
    }
  }

  /** `new Worker(file)`: a thread running another module (or this one again). */
  private workerSpawn(c: CallSite): VarFact {
    const first = c.args[0] && c.args[0].type !== T.SpreadElement ? (c.args[0] as Node) : undefined;
    const options = c.args[1] && c.args[1].type !== T.SpreadElement ? unwrap(c.args[1] as Node) : undefined;
    const evalCode = options?.type === T.ObjectExpression && options.properties.some((p) => p.type === T.Property && keyName(p.key, p.computed) === "eval" && p.value.type === T.Literal && p.value.value === true);
    const path = first && !evalCode ? this.workerPath(first) : undefined;
    const routine = path !== undefined && path !== "<this module>" ? moduleFunctionName(path) : undefined;
    const mechanism = this.w.file.runtime.mechanism === "node" ? "new Worker (worker_threads)" : "new Worker";
    c.out.push({
      kind: "op",
      op: { type: "spawn", mechanism, ...(routine && routine !== this.w.file.moduleName ? { routine } : {}), count: c.pos.loop > 0 ? "many" : "one", range: c.range },
    });
    return { kind: "worker" };
  }

  /** A worker-thread pool running a module: many threads, each running that module's top level. */
  private poolSpawn(c: CallSite): VarFact {
    const first = c.args[0] && c.args[0].type !== T.SpreadElement ? unwrap(c.args[0] as Node) : undefined;
    let fileNode: Node | undefined = first;
    if (first?.type === T.ObjectExpression) {
      fileNode = undefined;
      for (const p of first.properties) if (p.type === T.Property && keyName(p.key, p.computed) === "filename") fileNode = p.value;
    }
    const path = fileNode ? this.workerPath(fileNode) : undefined;
    const routine = path !== undefined && path !== "<this module>" ? moduleFunctionName(path) : undefined;
    c.out.push({
      kind: "op",
      op: { type: "spawn", mechanism: `${c.calleeText} (a pool of worker threads)`, ...(routine && routine !== this.w.file.moduleName ? { routine } : {}), count: "many", range: c.range },
    });
    return { kind: "worker" };
  }

  /** The file a Worker runs: a string, `path.join(__dirname, "w.js")`, `new URL("./w.js", import.meta.url)`, `` `${__dirname}/w.js` ``. */
  private workerPath(node: Node): string | undefined {
    const n = unwrap(node);
    if (n.type === T.Identifier && (n.name === "__filename")) return "<this module>";
    if (/^import\.meta\.(?:url|filename)$/.test(this.w.textOf(n))) return "<this module>";
    const s = this.w.stringOf(n);
    if (s !== undefined) return s;
    if (n.type === T.TemplateLiteral) {
      const tail = n.quasis[n.quasis.length - 1]?.value.cooked ?? "";
      return /[\w-]+\.\w+$/.test(tail) ? tail : undefined;
    }
    if (n.type === T.MemberExpression && /^(?:href|pathname)$/.test(memberName(n) ?? "")) return this.workerPath(n.object);
    // `__dirname + "/worker.js"`: the file is named at the end.
    if (n.type === T.BinaryExpression && n.operator === "+") {
      const tail = this.w.stringOf(n.right);
      return tail !== undefined && /[\w-]+\.\w+$/.test(tail) ? tail : undefined;
    }
    if (n.type === T.NewExpression && dottedName(n.callee) === "URL" && n.arguments[0] && n.arguments[0].type !== T.SpreadElement) {
      return this.workerPath(n.arguments[0]);
    }
    if (n.type === T.CallExpression) {
      const callee = dottedName(n.callee) ?? "";
      if (/(?:^|\.)(?:join|resolve)$/.test(callee) || callee === "require.resolve" || /(?:^|\.)fileURLToPath$/.test(callee)) {
        const parts = n.arguments.filter((a): a is TSESTree.Expression => a.type !== T.SpreadElement);
        if (/fileURLToPath$/.test(callee) && parts[0]) return this.workerPath(parts[0]);
        for (let i = parts.length - 1; i >= 0; i--) {
          const s2 = this.w.stringOf(parts[i]);
          if (s2 !== undefined) return s2;
        }
      }
    }
    return undefined;
  }

  /** `net.connect({ path: "\0name" })`, `http.request({ socketPath })`: a connect to an abstract socket. */
  abstractConnect(api: string, arg: Node | TSESTree.CallExpressionArgument | undefined, range: Range, out: IrBlock, keys = ["path"]): void {
    if (!arg || arg.type === T.SpreadElement) return;
    const n = unwrap(arg);
    let name = this.w.stringPrefix(n);
    if (name === undefined) {
      for (const key of keys) {
        name = this.propertyString(n, key);
        if (name !== undefined) break;
      }
    }
    if (name === undefined || !name.startsWith("\0")) return;
    out.push({ kind: "op", op: { type: "abstract-connect", name: `@${name.slice(1)}`, api, range } });
  }

  private propertyString(n: Node, key: string): string | undefined {
    if (n.type === T.ObjectExpression) {
      for (const p of n.properties) if (p.type === T.Property && keyName(p.key, p.computed) === key) return this.w.stringPrefix(p.value);
      return undefined;
    }
    const name = dottedName(n);
    if (name === undefined) return undefined;
    const fact = this.w.fieldFact(name, key);
    return fact?.kind === "str" ? fact.value : undefined;
  }

  /** A method of a native addon or a Landlock package: the Landlock API only when its name says so. */
  addonCall(addon: string, method: string, c: CallSite): VarFact | undefined {
    const api = dottedName(c.callee) ?? `${addon}.${method}`;
    const addonSaysLandlock = /landlock/i.test(addon);
    if (/no_?new_?privs/i.test(method)) {
      c.out.push({ kind: "op", op: { type: "no-new-privs", api, range: c.range } });
      return undefined;
    }
    if (/create_?ruleset/i.test(method)) {
      const op: Extract<IrOp, { type: "create-ruleset" }> = { type: "create-ruleset", ruleset: { scopes: [], scopesKnown: false, neededAbi: 1, neededFor: [], maskedByAbi: false }, resultChecked: "maybe", api, range: c.range };
      op.resultChecked = this.addonResult(c.use, op);
      c.out.push({ kind: "op", op });
      return undefined;
    }
    if (/add_?rule/i.test(method)) {
      const op: Extract<IrOp, { type: "add-rule" }> = { type: "add-rule", resultChecked: "maybe", api, range: c.range };
      op.resultChecked = this.addonResult(c.use, op);
      c.out.push({ kind: "op", op });
      return undefined;
    }
    if ((addonSaysLandlock || /landlock/i.test(method)) && /abi|version/i.test(method)) {
      c.out.push({ kind: "op", op: { type: "abi-query", api, range: c.range } });
      return { kind: "abi" };
    }
    const restricts =
      ADDON_RESTRICT.test(method) ||
      ADDON_LANDLOCK_RESTRICT.test(method) ||
      (/landlock/i.test(method) && !ADDON_NOT_RESTRICT.test(method)) ||
      (addonSaysLandlock && /^(?:restrict|enforce|apply|sandbox|lock)/i.test(method));
    if (!restricts) return undefined;
    // What the addon does inside is not visible: it may well set no_new_privs itself.
    const flags = this.addonFlags(c);
    if (flags.noNewPrivs === "no") flags.noNewPrivs = "maybe";
    const op: Extract<IrOp, { type: "restrict" }> = {
      type: "restrict",
      mechanism: "syscall",
      flags,
      fd: "unknown",
      resultChecked: "maybe",
      api,
      range: c.range,
      calleeRange: c.calleeRange,
    };
    op.resultChecked = this.addonResult(c.use, op);
    c.out.push({ kind: "op", op });
    return undefined;
  }

  /**
   * How an addon call's result is used. A native addon usually throws on failure, so a bare
   * call may well be checked by the exception; only an explicit `void`, or a value stored
   * and never tested, says the result is ignored.
   */
  private addonResult(use: Use, op: ResultOp): Tri {
    if (use.k === "discard") return "maybe";
    return this.w.resultFor(use, op, false);
  }

  /** TSYNC among an addon call's arguments: a flag word, or an options object (`{ tsync: true }`, `{ flags }`). */
  private addonFlags(c: CallSite): RestrictFlags {
    const args = c.args.filter((a): a is TSESTree.Expression => a.type !== T.SpreadElement);
    for (const a of args) {
      const n = unwrap(a);
      if (n.type !== T.ObjectExpression) continue;
      for (const p of n.properties) {
        if (p.type !== T.Property) continue;
        const key = keyName(p.key, p.computed) ?? "";
        if (/^(?:all_?threads|tsync|restrict_?self_?tsync)$/i.test(key)) {
          const v = this.w.evalNode(p.value);
          const tsync: Tri = valueOf(v) === undefined ? "maybe" : valueOf(v) !== 0n ? "yes" : "no";
          return { tsync, logSameExecOff: "no", logNewExecOn: "no", logSubdomainsOff: "no", noNewPrivs: "no", text: this.w.textOf(p), range: this.w.rangeOf(p) };
        }
        if (/^flags$/i.test(key)) return restrictFlags(this.w, p.value);
      }
    }
    // A numeric flag word among the arguments (the last evaluable one), like a C wrapper.
    for (let i = args.length - 1; i >= 0; i--) {
      const sym = this.w.evalNode(args[i]);
      if (!sym.unknown && (sym.yes | sym.maybe) !== 0n && (sym.yes & ~0x1fn) === 0n && i > 0) return restrictFlags(this.w, args[i]);
    }
    return { tsync: "maybe", logSameExecOff: "no", logNewExecOn: "no", logSubdomainsOff: "no", noNewPrivs: "no" };
  }
}
