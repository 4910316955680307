// Turns one Go function body into structured IR, in control-flow order: `if`/`switch`/
// `select` become branches, `for` loops, `go` statements spawns (with a thread node for a
// literal), `return`/`os.Exit`/`log.Fatal*`/`panic` exits, calls ops. Along the way it
// tracks what local variables hold (flag words, the ABI, ruleset attrs and fds, pids,
// processes, go-landlock configs, socket names) and which variables carry the result of a
// Landlock call, so that a result is "checked" when its errno/error is tested. Anything
// unfamiliar is walked for the calls inside it; the walker never throws on odd trees.

import type { IrBlock, IrCond, IrFunction, IrNode, IrOp, LibraryInfo, Range, RestrictFlags, RestrictMechanism, RulesetInfo, Tri } from "../../ir.js";
import type { Settings } from "../../settings.js";
import { evaluate, type EvalScope } from "../c/evaluate.js";
import { namesOfBits, SCOPE_NAMES } from "../c/landlock-constants.js";
import { clear, and, exact, or, signed, UNKNOWN, valueOf, type Sym } from "../c/sym.js";
import { nodeRange, type Node } from "../treesitter.js";
import { mayEnter, walkLimitsOf, type WalkLimits } from "../walk-limits.js";
import { namedOf, typeOf } from "./node-type.js";
import { analyzeGoCondition, type ConditionFacts } from "./conditions.js";
import {
  F_SETOWN,
  F_SETOWN_EX,
  goConstant,
  PR_SET_NO_NEW_PRIVS,
  SYSCALL_ADD_RULE,
  SYSCALL_CREATE_RULESET,
  SYSCALL_KIND,
  SYSCALL_RESTRICT_SELF,
} from "./constants.js";
import { calleeText, goExprOf, goStringValue, NUMERIC_TYPES, unwrapValue, type Expr } from "./expr.js";
import { helperFlag, helperFromStrings, helperSide, readsModeSelector, type HelperSide, type Reexec } from "./helper-process.js";
import type { Imports } from "./imports.js";
import { goLandlockLibrary } from "./library.js";
import { attrFieldOf, Env, freshAttr, joinEnvs, rulesetInfoOf, unknownAttr, type AttrState, type Incoming, type LandlockConfig, type PidOrigin, type VarFact } from "./state.js";

/** What the file around a function provides to its walk. */
export interface GoFileContext {
  imports: Imports;
  settings: Settings;
  packageName: string;
  goLandlockVersion?: string;
  /** Whether this file is built with the landlocktsync tag. */
  tsyncTag: Tri;
  /** Package-level constants (and constant-initialised vars) of this file. */
  constants: Map<string, Expr>;
  /** Functions of this file that return the running ABI. */
  abiHelpers: Set<string>;
  /** `landlockRestrictSelf(fd, flags)`-style functions that only forward their parameters to the syscall. */
  stubs: Map<string, SyscallStub>;
  /** How the program re-executes itself, and the strings it passes (helper mode names, env variables). */
  reexec?: Reexec;
  /** Emits an extra function (a function literal stored in a variable). */
  addFunction(fn: IrFunction): void;
  /** Every function gets this: Go starts OS threads before main. */
  runtimeThreads: NonNullable<IrFunction["runtimeThreads"]>;
}

/**
 * A function that only forwards its parameters to a Landlock syscall (the Go spelling of
 * the `landlock_*` shims in the kernel's samples): it is the API itself, so its calls are
 * the ops, and nothing is reported inside it.
 */
export interface SyscallStub {
  nr: bigint;
  /** For each syscall argument after the number: the stub parameter it forwards, or the node it passes as is. */
  args: (number | Node | undefined)[];
}

export interface GoFunctionInfo {
  /** IR name (`main`, `pkg.Func`, `Type.Method`). */
  name: string;
  receiverType?: string;
}

type Use =
  | { k: "test" }
  | { k: "discard" }
  | { k: "return" }
  /** Assigned to these variables, by result position (undefined: `_` or not a plain name). */
  | { k: "assign"; names: (string | undefined)[] }
  | { k: "arg"; callee: string }
  | { k: "other" };

const TEST: Use = { k: "test" };
const OTHER: Use = { k: "other" };
const DISCARD: Use = { k: "discard" };
const RETURN: Use = { k: "return" };

interface Pos {
  loop: number;
  /** Inside an arm selected by the running ABI (masking there is "best effort"). */
  abiGuard: boolean;
}

interface ResultOp {
  resultChecked: Tri;
  resultReturned?: boolean;
}

/** Facts per result position of a call (`r1, r2, errno`, `fd, err`, `version, err`). */
type Results = (VarFact | undefined)[];

/** Variable names that hold the Landlock ABI even when where it came from is not visible. */
const ABI_NAME = /(?:^|_)abi(?:_?version)?$|^abi(?:[A-Z_]|$)|[a-z]Abi(?:Version)?$|landlock_?abi|landlock_?version|abi_?level|ABI(?:Version)?$/i;

/** A callee that acts on an error it is given (so passing the result to it checks it). */
const CHECKING_CALL = /(?:^|\.)(?:[Mm]ust\w*|[Cc]heck\w*|[Aa]ssert\w*|[Ee]xpect\w*|[Ee]nsure\w*|Fatal\w*|Panic\w*|panic|[Dd]ie\w*|[Ff]ail\w*|NoError|Nil|[Hh]andle\w*[Ee]rr\w*|[Rr]equire\w*)$/;

const RAW_SYSCALLS = new Set(["Syscall", "Syscall6", "RawSyscall", "RawSyscall6", "SyscallNoError", "RawSyscallNoError"]);
const SETUID_CALLS = new Set(["Setuid", "Setgid", "Setreuid", "Setregid", "Setresuid", "Setresgid", "Setgroups", "Setfsuid", "Setfsgid", "Seteuid", "Setegid"]);
const LOG_EXITS = /^(?:Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln|Exit|Exitf)$/;
const BUILTINS = new Set(["len", "cap", "append", "make", "new", "copy", "delete", "close", "print", "println", "min", "max", "clear", "recover", "complex", "real", "imag", "string", "bool", "error", "any", "float32", "float64"]);
/** Packages whose calls never reach the project's own functions, threads or Landlock. */
const INERT_PACKAGES = new Set(["fmt", "errors", "strings", "strconv", "bytes", "bufio", "io", "path", "filepath", "sort", "slices", "maps", "context", "time", "sync", "atomic", "json", "base64", "hex", "math", "bits", "unsafe", "reflect", "regexp", "slog", "utf8", "ioutil", "fs", "binary", "rand", "hash", "sha256", "filepath", "user", "signal", "http", "url", "flag", "testing", "lltest"]);
const MAX_DEPTH = 200;
/** Arguments of one call whose pid facts are recorded for the callee. */
const MAX_ARGUMENT_FACTS = 16;

export class GoFunctionWalker {
  private env = new Env();
  private readonly types = new Map<string, string>();
  private readonly locals = new Set<string>();
  private readonly pending = new Map<string, ResultOp[]>();
  /** Every op whose result a variable holds (kept after a test, for `return err`). */
  private readonly resultOps = new Map<string, ResultOp[]>();
  private readonly resultVars = new Set<string>();
  /** Parameter name -> 0-based position (a pid parameter makes a signal's target the caller's). */
  private readonly parameterIndex = new Map<string, number>();
  /** Slices and arrays built from a literal, and how many elements they hold (`len(layers)` in a loop bound). */
  private readonly literalLengths = new Map<string, number>();
  private returnDepth = 0;
  private osThreadLocked = false;
  private depth = 0;
  /** Set when a return statement hands back the running ABI. */
  returnsAbi = false;

  constructor(
    private readonly file: GoFileContext,
    private readonly info: GoFunctionInfo,
    private readonly bodyNode: Node,
    parameters: Node[],
  ) {
    for (const list of parameters) this.declareParameters(list);
  }

  walk(): IrBlock {
    const out: IrBlock = [];
    this.block(statementsOf(this.bodyNode), out, { loop: 0, abiGuard: false });
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // Names and values

  private readonly packageOf = (name: string): string | undefined => this.file.imports.packageId(name, (n) => this.locals.has(n));

  private exprOf(node: Node | null | undefined): Expr {
    return goExprOf(node, this.packageOf);
  }

  private scope(): EvalScope {
    const self = this;
    const scope: EvalScope = {
      ident(name, depth) {
        const fact = self.env.get(name);
        if (fact) return fact.kind === "sym" ? fact.sym : undefined;
        const dot = name.indexOf(".");
        if (dot > 0) {
          const v = goConstant(name.slice(dot + 1));
          return v === undefined ? undefined : exact(v);
        }
        const constant = self.file.constants.get(name);
        return constant && depth < 40 ? evaluate(constant, scope, depth + 1) : undefined;
      },
      isAbiValue(e) {
        return self.isAbiValue(e);
      },
      field(obj, field) {
        if (obj.k !== "id") return undefined;
        const fact = self.env.get(obj.name);
        const word = attrFieldOf(field);
        return fact?.kind === "attr" && word ? fact.attr[word] : undefined;
      },
    };
    return scope;
  }

  private isAbiValue(e: Expr): boolean {
    if (e.k === "id") {
      const fact = this.env.get(e.name);
      if (fact?.kind === "abi") return true;
      if (fact && (fact.kind !== "sym" || valueOf(fact.sym) !== undefined)) return false;
      return ABI_NAME.test(e.name) && !this.file.constants.has(e.name);
    }
    if (e.k === "call") return this.file.abiHelpers.has(e.callee) || /^llsyscall\.LandlockGetABIVersion$/.test(e.callee) || /(?:^|\.)(?:[Gg]et)?(?:[Ll]andlock)?ABI(?:Version)?$|(?:^|\.)[Ll]andlockABI$|(?:^|\.)abiVersion$/.test(e.callee);
    if (e.k === "field") return ABI_NAME.test(e.field);
    return false;
  }

  private evalNode(node: Node | null | undefined): Sym {
    return node ? evaluate(this.exprOf(unwrapValue(node)), this.scope()) : UNKNOWN;
  }

  private declareParameters(list: Node): void {
    for (const p of list.namedChildren) {
      if (typeOf(p) !== "parameter_declaration" && typeOf(p) !== "variadic_parameter_declaration") continue;
      const type = typeName(p.childForFieldName("type"));
      const names = p.childrenForFieldName("name").filter((n) => typeOf(n) === "identifier");
      if (names.length === 0) this.parameterIndex.set(`#${this.parameterIndex.size}`, this.parameterIndex.size);
      for (const n of names) {
        this.parameterIndex.set(n.text, this.parameterIndex.size);
        this.locals.add(n.text);
        if (type) this.types.set(n.text, type);
        if (type && /RulesetAttr$/i.test(type)) this.env.set(n.text, { kind: "attr", attr: unknownAttr() });
        if (type === "Config" && /landlock\./.test(p.text)) this.env.set(n.text, { kind: "llconfig", config: { bestEffort: false, neededAbi: 1 } });
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Statements

  /** Walks a statement list; returns true when it cannot fall through. */
  private block(statements: Node[], out: IrBlock, pos: Pos): boolean {
    let terminated = false;
    // `runtime.LockOSThread()` ... `syscall.Exec(...)`: the new program keeps the locked thread's domain.
    let wrapFrom: number | undefined = this.osThreadLocked ? out.length : undefined;
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i]!;
      const before = out.length;
      const wasLocked = this.osThreadLocked;
      if (this.statement(s, out, pos)) terminated = true;
      const helper = this.pendingHelper;
      this.pendingHelper = undefined;
      if (helper && i + 1 < statements.length) {
        // `if os.Getenv("SANDBOX_CHILD") != "1" { runParent(); return }`: the rest is the helper.
        const rest = statements.slice(i + 1);
        const body: IrBlock = [];
        const ended = this.block(rest, body, pos);
        out.push(helperSide(helper, body, nodeRange(rest[0]!)));
        return terminated || ended;
      }
      if (!wasLocked && this.osThreadLocked) wrapFrom = out.length;
      if (wrapFrom !== undefined && this.osThreadLocked && out.slice(before).some((n) => n.kind === "op" && n.op.type === "exec")) {
        const body = out.splice(wrapFrom);
        if (body.some(containsRestrictOrCall)) {
          out.push({
            kind: "child",
            how: "runtime.LockOSThread then exec: the new program starts with one thread, in the locked thread's domain",
            body,
            range: spanRange(body),
          });
        } else out.push(...body);
        wrapFrom = out.length;
      }
    }
    return terminated;
  }

  private limitsOfFile: WalkLimits | undefined;

  /**
   * Whether to walk into `node`: not when it is nested deeper than the walker follows (the
   * place is reported) or when the file's walk is out of time.
   */
  private enter(node: Node): boolean {
    return mayEnter((this.limitsOfFile ??= walkLimitsOf(this.file)), this.depth, MAX_DEPTH, () => nodeRange(node));
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
    switch (typeOf(node)) {
      case "block":
      case "statement_list":
        return this.block(statementsOf(node), out, pos);
      case "expression_statement": {
        const e = named(node)[0];
        if (e) this.expr(e, out, pos, DISCARD);
        return endsInExit(out);
      }
      case "short_var_declaration":
      case "assignment_statement":
        this.assignment(node, out, pos);
        return false;
      case "var_declaration":
      case "const_declaration":
        for (const spec of node.descendantsOfType(["var_spec", "const_spec"])) this.varSpec(spec, out, pos, typeOf(node) === "const_declaration");
        return false;
      case "if_statement":
        return this.ifStatement(node, out, pos);
      case "expression_switch_statement":
        return this.switchStatement(node, out, pos);
      case "type_switch_statement":
      case "select_statement":
        return this.casesStatement(node, out, pos);
      case "for_statement":
        this.loop(node, out, pos);
        return false;
      case "go_statement":
        this.goStatement(node, out, pos);
        return false;
      case "defer_statement":
        return false;
      case "return_statement": {
        const list = named(node).find((c) => typeOf(c) === "expression_list");
        const values = list ? named(list) : named(node);
        this.returnDepth++;
        try {
          for (const v of values) {
            const fact = this.expr(v, out, pos, RETURN);
            if (fact?.kind === "abi" || this.isAbiValue(this.exprOf(unwrapValue(v)))) this.returnsAbi = true;
          }
        } finally {
          this.returnDepth--;
        }
        out.push({ kind: "exit", range: nodeRange(node), leaves: "function" });
        return true;
      }
      case "labeled_statement": {
        const inner = named(node).filter((c) => typeOf(c) !== "label_name");
        return this.block(inner, out, pos);
      }
      case "inc_statement":
      case "dec_statement": {
        const target = named(node)[0];
        if (target?.type === "identifier") this.env.set(target.text, { kind: "sym", sym: UNKNOWN });
        return false;
      }
      case "send_statement":
        for (const c of named(node)) this.expr(c, out, pos, OTHER);
        return false;
      case "break_statement":
      case "continue_statement":
      case "goto_statement":
      case "fallthrough_statement":
      case "empty_statement":
      case "type_declaration":
      case "comment":
        return false;
      default:
        for (const c of named(node)) {
          if (STATEMENT_TYPES.has(typeOf(c))) this.statement(c, out, pos);
          else this.expr(c, out, pos, OTHER);
        }
        return false;
    }
  }

  private assignment(node: Node, out: IrBlock, pos: Pos): void {
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    const op = typeOf(node) === "short_var_declaration" ? ":=" : (node.childForFieldName("operator")?.text ?? "=");
    const lefts = left ? (typeOf(left) === "expression_list" ? named(left) : [left]) : [];
    const rights = right ? (typeOf(right) === "expression_list" ? named(right) : [right]) : [];
    if (op === ":=") for (const l of lefts) if (typeOf(l) === "identifier" && l.text !== "_") this.locals.add(l.text);
    this.bind(lefts, rights, op, out, pos);
  }

  /** `a, b := f()`, `x = y`, `flags |= TSYNC`, `attr.Scoped &^= ...`. */
  private bind(lefts: Node[], rights: Node[], op: string, out: IrBlock, pos: Pos, declaredType?: string): void {
    const nameOf = (n: Node | undefined) => (n?.type === "identifier" && n.text !== "_" ? n.text : undefined);
    if (op === "=" || op === ":=") for (const l of lefts) if (nameOf(l)) this.pending.delete(nameOf(l)!);
    if (rights.length === 1 && lefts.length > 1) {
      const names = lefts.map(nameOf);
      const results = this.results(rights[0]!, out, pos, { k: "assign", names });
      names.forEach((name, i) => {
        if (name) this.env.set(name, results?.[i] ?? { kind: "sym", sym: UNKNOWN });
      });
      for (const l of lefts) if (!nameOf(l) && typeOf(l) !== "identifier") this.expr(l, out, pos, OTHER);
      return;
    }
    lefts.forEach((l, i) => {
      const r = rights[i];
      const name = nameOf(l);
      if (!r) {
        if (name) this.env.set(name, this.zeroValue(declaredType));
        return;
      }
      if (name && typeOf(r) === "func_literal" && (op === ":=" || op === "=")) {
        this.emitLiteralFunction(name, r, l);
        return;
      }
      if (typeOf(l) === "selector_expression") {
        this.expr(r, out, pos, OTHER);
        this.assignField(l, op, r, pos);
        return;
      }
      if (!name) {
        // `_ = restrict()` discards; `x[i] = v`, `*p = v` are other uses.
        this.results(r, out, pos, l.text === "_" ? { k: "assign", names: [undefined] } : OTHER);
        if (typeOf(l) !== "identifier") this.expr(l, out, pos, OTHER);
        return;
      }
      if (op === "=" || op === ":=") {
        const lit = unwrapValue(r);
        if (typeOf(lit) === "composite_literal" && /^\[/.test(lit.childForFieldName("type")?.text ?? "")) {
          const body = lit.childForFieldName("body");
          this.literalLengths.set(name, body ? namedOf(body).length : 0);
        } else this.literalLengths.delete(name);
        const results = this.results(r, out, pos, { k: "assign", names: [name] });
        const fact = results?.[0];
        this.env.set(name, fact ?? this.valueFact(r, declaredType));
        if (declaredType) this.types.set(name, declaredType);
        else {
          const t = literalType(r);
          if (t) this.types.set(name, t);
        }
        return;
      }
      this.expr(r, out, pos, OTHER);
      this.compoundAssign(name, op, r);
    });
  }

  private zeroValue(type: string | undefined): VarFact {
    if (type && (NUMERIC_TYPES.has(type) || /^(?:uintptr|u?int\d*)$/.test(type))) return { kind: "sym", sym: exact(0n) };
    if (type && /RulesetAttr$/i.test(type)) return { kind: "attr", attr: freshAttr() };
    if (type && /^(?:UnixAddr|SockaddrUnix)$/.test(type)) return { kind: "unixaddr" };
    return { kind: "sym", sym: UNKNOWN };
  }

  /** What a non-call value is: an ABI, a pid, a string, a flag word. */
  private valueFact(r: Node, declaredType?: string): VarFact {
    const v = unwrapValue(r);
    const s = goStringValue(v);
    if (s !== undefined) return { kind: "str", value: s };
    const e = this.exprOf(v);
    if (this.isAbiValue(e)) return { kind: "abi" };
    if (e.k === "id") {
      const other = this.env.get(e.name);
      if (other && other.kind !== "sym") return other.kind === "attr" ? { kind: "attr", attr: { ...other.attr } } : other;
    }
    void declaredType;
    return { kind: "sym", sym: evaluate(e, this.scope()) };
  }

  private compoundAssign(name: string, op: string, r: Node): void {
    const current = this.env.get(name);
    if (current && current.kind !== "sym") return;
    const cur = current?.kind === "sym" ? current.sym : UNKNOWN;
    const rhs = this.evalNode(r);
    let next: Sym;
    if (op === "|=") next = or(cur, rhs);
    else if (op === "&=") next = and(cur, rhs);
    else if (op === "&^=") {
      const mask = valueOf(rhs);
      next = mask !== undefined ? clear(cur, mask) : UNKNOWN;
    } else next = UNKNOWN;
    this.env.set(name, { kind: "sym", sym: next });
  }

  /** `attr.Scoped = ...`, `attr.Access_fs &^= ...`, `addr.Name = "@x"`. */
  private assignField(left: Node, op: string, right: Node, pos: Pos): void {
    const obj = left.childForFieldName("operand");
    const field = left.childForFieldName("field")?.text ?? "";
    if (obj?.type !== "identifier") return;
    const fact = this.env.get(obj.text);
    if (fact?.kind === "unixaddr" && field === "Name") {
      const name = this.stringOf(right);
      this.env.set(obj.text, name !== undefined ? { kind: "unixaddr", name } : { kind: "unixaddr" });
      return;
    }
    const word = attrFieldOf(field);
    if (fact?.kind !== "attr" || !word) return;
    const attr = { ...fact.attr };
    const valueExpr = this.exprOf(unwrapValue(right));
    const rhs = evaluate(valueExpr, this.scope());
    const mentionsAbi = identifiersIn(valueExpr).some((id) => this.isAbiValue({ k: "id", name: id }));
    if (op === "=") attr[word] = rhs;
    else if (op === "|=") attr[word] = or(attr[word], rhs);
    else if (op === "&=") attr[word] = and(attr[word], rhs);
    else if (op === "&^=") {
      const mask = valueOf(rhs);
      attr[word] = mask !== undefined ? clear(attr[word], mask) : UNKNOWN;
    } else attr[word] = UNKNOWN;
    if ((op !== "|=" && pos.abiGuard) || mentionsAbi) attr.masked = true;
    this.env.set(obj.text, { kind: "attr", attr });
  }

  private varSpec(spec: Node, out: IrBlock, pos: Pos, isConst: boolean): void {
    const names = spec.childrenForFieldName("name").filter((n) => typeOf(n) === "identifier");
    const type = typeName(spec.childForFieldName("type"));
    const valueList = spec.childForFieldName("value");
    const values = valueList ? (valueList.type === "expression_list" ? named(valueList) : [valueList]) : [];
    for (const n of names) {
      this.locals.add(n.text);
      if (type) this.types.set(n.text, type);
    }
    if (isConst) {
      names.forEach((n, i) => {
        if (values[i]) this.env.set(n.text, { kind: "sym", sym: this.evalNode(values[i]) });
      });
      return;
    }
    this.bind(names, values, "=", out, pos, type);
  }

  private ifStatement(node: Node, out: IrBlock, pos: Pos): boolean {
    const init = node.childForFieldName("initializer");
    if (init) this.statement(init, out, pos);
    const condNode = node.childForFieldName("condition");
    const consequence = node.childForFieldName("consequence");
    const alternative = node.childForFieldName("alternative");
    const facts = condNode ? this.condition(condNode, out, pos) : undefined;
    const helper = condNode ? this.helperDispatch(condNode) : undefined;
    const before = this.env;

    this.env = before.clone();
    const thenBody: IrBlock = [];
    if (facts?.privileged === "then") thenBody.push(capOp(condNode!));
    const thenEnded = consequence ? this.statement(consequence, thenBody, { ...pos, abiGuard: pos.abiGuard || !!facts?.thenAbi }) : false;
    const thenOut = this.env;

    let elseBody: IrBlock | undefined;
    let elseEnded = false;
    let elseOut = before;
    if (alternative) {
      this.env = before.clone();
      elseBody = [];
      if (facts?.privileged === "else") elseBody.push(capOp(condNode!));
      elseEnded = this.statement(alternative, elseBody, { ...pos, abiGuard: pos.abiGuard || !!facts?.elseAbi });
      elseOut = this.env;
    }
    const incoming: Incoming[] = [];
    if (!thenEnded) incoming.push(withAbi(thenOut, facts?.thenAbi));
    if (!elseEnded) incoming.push(withAbi(elseOut, facts?.elseAbi));
    this.env = incoming.length ? joinEnvs(incoming) : before;

    const wrap = (side: "then" | "else", body: IrBlock, at: Node | null): IrBlock => (helper && helper.side === side && at ? [helperSide(helper, body, nodeRange(at))] : body);
    const arms: { cond?: IrCond; body: IrBlock }[] = [{ cond: facts?.thenCond, body: wrap("then", thenBody, consequence) }];
    if (elseBody) arms.push({ cond: facts?.elseCond, body: wrap("else", elseBody, alternative) });
    // `if err != nil || abi < 8 { exit }`: what follows the `if` knows the ABI; say it with an empty else arm.
    else if (facts?.elseCond?.kind === "abi-at-least" && facts.thenCond?.kind !== "abi-at-least") arms.push({ cond: facts.elseCond, body: [] });
    out.push({ kind: "branch", arms: arms.map(cleanArm), exhaustive: arms.length > 1, preprocessor: false, range: nodeRange(node) });
    // `if os.Geteuid() != 0 { log.Fatal(...) }`: what follows runs as root.
    if (!alternative && facts?.privileged === "else" && thenEnded) out.push(capOp(condNode!));
    if (helper && helper.side === "else" && !alternative && thenEnded) this.pendingHelper = helper;
    return thenEnded && elseEnded && !!alternative;
  }

  /** Walks a condition (emitting its calls) and reads what it says. */
  private condition(condNode: Node, out: IrBlock, pos: Pos): ConditionFacts {
    const inner = unwrapParens(condNode);
    this.expr(inner, out, pos, TEST);
    return this.conditionFacts(inner);
  }

  private conditionFacts(inner: Node): ConditionFacts {
    return analyzeGoCondition(this.exprOf(inner), inner.text, {
      scope: this.scope(),
      isLandlockResult: (e) => this.isLandlockResult(e),
    });
  }

  private isLandlockResult(e: Expr): boolean {
    if (e.k === "id") return this.resultVars.has(e.name);
    if (e.k === "call") return /(?:^|\.)(?:RestrictPaths|RestrictNet|RestrictScoped|Restrict|LandlockRestrictSelf|AllThreadsLandlockRestrictSelf|RestrictSelf|Prctl|AllThreadsPrctl)$/.test(e.callee);
    return false;
  }

  private switchStatement(node: Node, out: IrBlock, pos: Pos): boolean {
    const init = node.childForFieldName("initializer");
    if (init) this.statement(init, out, pos);
    const valueNode = node.childForFieldName("value");
    let subject: Expr | undefined;
    if (valueNode) {
      this.expr(valueNode, out, pos, TEST);
      subject = this.exprOf(unwrapValue(valueNode));
    }
    const onAbi = !!subject && this.isAbiValue(subject);
    const dispatch = valueNode ? readsModeSelector(valueNode.text) : false;
    const cases = named(node).filter((c) => typeOf(c) === "expression_case" || typeOf(c) === "default_case");
    const before = this.env;
    const arms: { cond?: IrCond; body: IrBlock }[] = [];
    const incoming: Incoming[] = [];
    let hasDefault = false;
    let allEnded = cases.length > 0;
    for (const c of cases) {
      const labelList = c.childForFieldName("value");
      const labels = labelList ? named(labelList) : [];
      if (typeOf(c) === "default_case") hasDefault = true;
      this.env = before.clone();
      let cond: IrCond;
      let armAbi: { abi: number; negated: boolean } | undefined;
      if (typeOf(c) === "default_case") cond = { kind: "other", text: "default" };
      else if (!valueNode && labels.length === 1) {
        this.expr(labels[0]!, out, pos, TEST);
        const facts = this.conditionFacts(unwrapParens(labels[0]!));
        cond = facts.thenCond ?? { kind: "other", text: labels[0]!.text };
        armAbi = facts.thenAbi;
      } else {
        const numbers = labels.map((l) => valueOf(this.evalNode(l)));
        if (onAbi && numbers.length && numbers.every((n) => n !== undefined && n > 1n && n < 1000n)) {
          const abi = Math.min(...numbers.map((n) => Number(n)));
          cond = { kind: "abi-at-least", abi, negated: false };
          armAbi = { abi, negated: false };
        } else cond = { kind: "other", text: `case ${labels.map((l) => l.text).join(", ").slice(0, 120)}` };
      }
      const body: IrBlock = [];
      const stmts = named(c).filter((s) => s.id !== labelList?.id);
      const ended = this.block(stmts.flatMap((s) => (typeOf(s) === "statement_list" ? statementsOf(s) : [s])), body, { ...pos, abiGuard: pos.abiGuard || onAbi });
      const helper = dispatch && typeOf(c) !== "default_case" ? helperFromStrings(labels.map((l) => goStringValue(l)).filter((s): s is string => s !== undefined), `case ${labels.map((l) => l.text).join(", ")}`, this.file.reexec) : undefined;
      arms.push({ cond, body: helper ? [helperSide(helper, body, nodeRange(c))] : body });
      if (!ended) {
        incoming.push(withAbi(this.env, armAbi));
        allEnded = false;
      }
    }
    if (!hasDefault) {
      incoming.push({ env: before });
      allEnded = false;
    }
    this.env = incoming.length ? joinEnvs(incoming) : before;
    out.push({ kind: "branch", arms: arms.map(cleanArm), exhaustive: hasDefault, preprocessor: false, range: nodeRange(node) });
    return allEnded && hasDefault;
  }

  /** `switch v := x.(type)` and `select`: one of the cases runs (select blocks until one does). */
  private casesStatement(node: Node, out: IrBlock, pos: Pos): boolean {
    const init = node.childForFieldName("initializer");
    if (init) this.statement(init, out, pos);
    const value = node.childForFieldName("value");
    if (value) this.expr(value, out, pos, OTHER);
    const cases = named(node).filter((c) => /_case$/.test(typeOf(c)));
    const before = this.env;
    const arms: { cond?: IrCond; body: IrBlock }[] = [];
    const incoming: Incoming[] = [];
    const isSelect = typeOf(node) === "select_statement";
    const hasDefault = isSelect || cases.some((c) => typeOf(c) === "default_case");
    let allEnded = cases.length > 0;
    for (const c of cases) {
      this.env = before.clone();
      const body: IrBlock = [];
      const communication = c.childForFieldName("communication");
      if (communication) this.statement(communication, body, pos);
      const typeNodes = c.childrenForFieldName("type");
      const stmts = named(c).filter((s) => s.id !== communication?.id && !typeNodes.some((t) => t.id === s.id));
      const ended = this.block(stmts.flatMap((s) => (typeOf(s) === "statement_list" ? statementsOf(s) : [s])), body, pos);
      const label = typeOf(c) === "default_case" ? "default" : `case ${(communication ?? typeNodes[0])?.text ?? ""}`.slice(0, 120);
      arms.push({ cond: { kind: "other", text: label }, body });
      if (!ended) {
        incoming.push({ env: this.env });
        allEnded = false;
      }
    }
    if (!hasDefault) {
      incoming.push({ env: before });
      allEnded = false;
    }
    this.env = incoming.length ? joinEnvs(incoming) : before;
    if (arms.length) out.push({ kind: "branch", arms: arms.map(cleanArm), exhaustive: hasDefault, preprocessor: false, range: nodeRange(node) });
    return allEnded && hasDefault;
  }

  private loop(node: Node, out: IrBlock, pos: Pos): void {
    const before = this.env.clone();
    const body: IrBlock = [];
    const inner = { ...pos, loop: pos.loop + 1 };
    const clause = named(node).find((c) => typeOf(c) === "for_clause" || typeOf(c) === "range_clause");
    if (clause?.type === "for_clause") {
      const init = clause.childForFieldName("initializer");
      if (init) this.statement(init, out, pos);
      const cond = clause.childForFieldName("condition");
      if (cond) this.expr(cond, body, inner, TEST);
    } else if (clause?.type === "range_clause") {
      const right = clause.childForFieldName("right");
      if (right) this.expr(right, out, pos, OTHER);
      const left = clause.childForFieldName("left");
      for (const l of left ? named(left) : []) if (typeOf(l) === "identifier") {
        this.locals.add(l.text);
        this.env.set(l.text, { kind: "sym", sym: UNKNOWN });
      }
    } else {
      const cond = named(node).find((c) => typeOf(c) !== "block" && typeOf(c) !== "comment");
      if (cond) this.expr(cond, body, inner, TEST);
    }
    const b = node.childForFieldName("body");
    if (b) this.statement(b, body, inner);
    if (clause?.type === "for_clause") {
      const update = clause.childForFieldName("update");
      if (update) this.statement(update, body, inner);
    }
    this.env = joinEnvs([{ env: before }, { env: this.env }]);
    const loopNode: Extract<IrNode, { kind: "loop" }> = { kind: "loop", body, range: nodeRange(node) };
    const bound = this.maxIterations(clause);
    if (bound !== undefined) loopNode.maxIterations = bound;
    if (b && this.repeatsOnlyOnFailure(node, clause, b)) loopNode.repeatCond = { kind: "error-path" };
    out.push(loopNode);
  }

  /** `for i := 0; i < 3; i++`, `for range 3`, `for _, d := range []string{"a", "b"}`: how many rounds at most. */
  private maxIterations(clause: Node | undefined): number | undefined {
    if (!clause) return undefined;
    if (typeOf(clause) === "range_clause") {
      const right = clause.childForFieldName("right");
      if (!right) return undefined;
      if (typeOf(right) === "composite_literal") {
        const body = right.childForFieldName("body");
        return body ? namedOf(body).length : undefined;
      }
      const n = valueOf(this.evalNode(right));
      return n !== undefined && n >= 0n && n < 1_000_000n ? Number(n) : undefined;
    }
    const init = clause.childForFieldName("initializer");
    const cond = clause.childForFieldName("condition");
    const update = clause.childForFieldName("update");
    if (!init || !cond || !update) return undefined;
    const m = /^(\w+)\s*:?=\s*(.+)$/s.exec(init.text.trim());
    const c = /^(\w+)\s*(<=?)\s*(.+)$/s.exec(cond.text.trim());
    if (!m || !c || m[1] !== c[1] || !new RegExp(`^${m[1]}\\s*(?:\\+\\+|\\+=\\s*1)$`).test(update.text.trim())) return undefined;
    const from = valueOf(evaluate(this.exprOf(init.childForFieldName("right") ? unwrapValue(named(init.childForFieldName("right")!)[0] ?? init) : init), this.scope()));
    const right = cond.childForFieldName("right");
    const lenOf = right ? /^len\(\s*(\w+)\s*\)$/.exec(right.text.trim()) : null;
    const to = lenOf && this.literalLengths.has(lenOf[1]!) ? BigInt(this.literalLengths.get(lenOf[1]!)!) : valueOf(evaluate(this.exprOf(right), this.scope()));
    if (from === undefined || to === undefined) return undefined;
    const rounds = signed(to) - signed(from) + (c[2] === "<=" ? 1n : 0n);
    return rounds >= 0n && rounds < 1_000_000n ? Number(rounds) : undefined;
  }

  /**
   * A retry loop: it goes round again only while the last Landlock call fails
   * (`for { _, _, e := Syscall(446, ...); if e == unix.EINTR { continue }; ...; break }`,
   * `for { if err := restrict(); !errors.Is(err, unix.EINTR) { break } }`, `for errno == unix.EINTR { ... }`).
   */
  private repeatsOnlyOnFailure(node: Node, clause: Node | undefined, body: Node): boolean {
    if (clause && typeOf(clause) !== "for_clause") return false;
    const cond = clause ? clause.childForFieldName("condition") : named(node).find((c) => typeOf(c) !== "block");
    if (cond) return this.conditionFacts(unwrapParens(cond)).thenCond?.kind === "error-path";
    const statements = statementsOf(body);
    const last = statements[statements.length - 1];
    if (!last) return false;
    // Every `continue` of this loop must sit in the failure arm of a Landlock result test.
    for (const c of body.descendantsOfType("continue_statement")) {
      if (c.namedChildCount > 0 && c.text !== "continue") return false;
      let n: Node | null = c.parent;
      let inFailureArm = false;
      for (; n && n.id !== node.id; n = n.parent) {
        const t = typeOf(n);
        if (t === "for_statement" || t === "func_literal") break;
        if (t === "if_statement" && !inFailureArm) {
          const consequence = n.childForFieldName("consequence");
          const condNode = n.childForFieldName("condition");
          if (consequence && condNode && c.startIndex >= consequence.startIndex && c.endIndex <= consequence.endIndex) {
            inFailureArm = this.conditionFacts(unwrapParens(condNode)).thenCond?.kind === "error-path";
          }
        }
      }
      if (n && n.id === node.id && !inFailureArm) return false;
    }
    const lastType = typeOf(last);
    if (lastType === "break_statement" || lastType === "return_statement") return last.text.trim() === "break" || lastType === "return_statement";
    if (lastType === "expression_statement" && /^(?:os\.Exit|log\.Fatal\w*|panic)\(/.test(last.text.trim())) return true;
    if (lastType === "if_statement" && !last.childForFieldName("alternative")) {
      // `if <success> { break }` at the end: only a failure goes round again.
      const inner = statementsOf(last.childForFieldName("consequence"));
      const condNode = last.childForFieldName("condition");
      return inner.length > 0 && typeOf(inner[inner.length - 1]!) === "break_statement" && !!condNode && this.conditionFacts(unwrapParens(condNode)).elseCond?.kind === "error-path";
    }
    return false;
  }

  private goStatement(node: Node, out: IrBlock, pos: Pos): void {
    const call = named(node).find((c) => typeOf(c) === "call_expression");
    if (!call) return;
    const fn = call.childForFieldName("function");
    for (const a of argsOf(call)) this.expr(a, out, pos, OTHER);
    const count = pos.loop > 0 ? "many" : "one";
    if (fn?.type === "func_literal") {
      out.push({ kind: "op", op: { type: "spawn", mechanism: "go statement", count, range: nodeRange(node) } });
      out.push({ kind: "thread", how: "go statement", body: this.literalBody(fn, pos), range: nodeRange(fn) });
      return;
    }
    const routine = fn ? this.routineName(fn) : undefined;
    if (fn?.type === "selector_expression") {
      const operand = fn.childForFieldName("operand");
      if (operand && !(typeOf(operand) === "identifier" && this.packageOf(operand.text))) this.expr(operand, out, pos, OTHER);
    }
    out.push({ kind: "op", op: { type: "spawn", mechanism: "go statement", ...(routine ? { routine } : {}), count, range: nodeRange(node) } });
  }

  /** The IR name of a function started by `go`: `worker`, `pkg.Run`, `Server.serve`. */
  private routineName(fn: Node): string | undefined {
    if (typeOf(fn) === "identifier") return this.localCallee(fn.text).candidates[0] ?? fn.text;
    if (typeOf(fn) === "selector_expression") {
      const operand = fn.childForFieldName("operand");
      const field = fn.childForFieldName("field")?.text;
      if (!operand || !field) return undefined;
      if (typeOf(operand) === "identifier") {
        const imported = this.file.imports.get(operand.text);
        if (imported && !this.locals.has(operand.text)) return `${imported.id}.${field}`;
        const type = this.types.get(operand.text) ?? (operand.text === this.receiver ? this.info.receiverType : undefined);
        return type ? `${type}.${field}` : `${operand.text}.${field}`;
      }
      return field;
    }
    return undefined;
  }

  private receiver: string | undefined;

  setReceiver(name: string | undefined, type: string | undefined): void {
    this.receiver = name;
    if (name && type) {
      this.types.set(name, type);
      this.locals.add(name);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Helper processes

  /** `if len(os.Args) > 1 && os.Args[1] == "sandbox-helper"`, `if os.Getenv("APP_SANDBOXED") == "1"`, `if *helper`: the helper side. */
  private helperDispatch(cond: Node): (HelperSide & { side: "then" | "else" }) | undefined {
    const text = cond.text;
    const flag = helperFlag(text);
    if (flag && this.file.reexec) return { how: `presumed re-exec'd helper selected by ${text.trim()} and started by ${this.file.reexec.api}`, side: flag.negated ? "else" : "then" };
    if (!readsModeSelector(text)) return undefined;
    const strings = cond.descendantsOfType(["interpreted_string_literal", "raw_string_literal"]).map((s) => goStringValue(s) ?? "");
    for (const id of cond.descendantsOfType("identifier")) {
      const c = this.file.constants.get(id.text);
      if (c?.k === "str") strings.push(c.value);
    }
    const found = helperFromStrings(strings, text.replace(/\s+/g, " ").slice(0, 100), this.file.reexec);
    if (!found) return undefined;
    const negated = /!=/.test(text) && !/==/.test(text);
    return { ...found, side: negated ? "else" : "then" };
  }

  /** Set by `if os.Getenv(...) != "1" { parent(); return }`: the rest of the block is the helper. */
  private pendingHelper: HelperSide | undefined;

  // ------------------------------------------------------------------------------------------
  // Expressions

  private expr(node: Node, out: IrBlock, pos: Pos, use: Use): VarFact | undefined {
    return this.results(node, out, pos, use)?.[0];
  }

  /** Walks an expression in evaluation order, emitting ops; returns what its value(s) are. */
  private results(node: Node, out: IrBlock, pos: Pos, use: Use): Results | undefined {
    if (!this.enter(node)) return undefined;
    this.depth++;
    try {
      return this.resultsInner(node, out, pos, use);
    } finally {
      this.depth--;
    }
  }

  private resultsInner(node: Node, out: IrBlock, pos: Pos, use: Use): Results | undefined {
    switch (typeOf(node)) {
      case "call_expression":
        return this.call(node, out, pos, use);
      case "identifier": {
        this.readVar(node.text, use);
        return [this.env.get(node.text)];
      }
      case "parenthesized_expression": {
        const inner = named(node)[0];
        return inner ? this.results(inner, out, pos, use) : undefined;
      }
      case "selector_expression":
        return [this.selector(node, out, pos, use)];
      case "unary_expression": {
        const op = node.childForFieldName("operator")?.text;
        const operand = node.childForFieldName("operand");
        if (!operand) return undefined;
        if (op === "&" || op === "*") return this.results(operand, out, pos, use);
        this.expr(operand, out, pos, op === "!" ? TEST : OTHER);
        return undefined;
      }
      case "binary_expression": {
        const op = node.childForFieldName("operator")?.text ?? "";
        const l = node.childForFieldName("left");
        const r = node.childForFieldName("right");
        const operandUse = ["==", "!=", "<", ">", "<=", ">=", "&&", "||"].includes(op) ? TEST : OTHER;
        if (l) this.expr(l, out, pos, operandUse);
        if (r) {
          if (op === "&&" || op === "||") {
            const body: IrBlock = [];
            this.expr(r, body, pos, operandUse);
            if (body.length) out.push({ kind: "branch", arms: [{ cond: { kind: "other", text: `${op === "&&" ? "" : "!"}(${(l?.text ?? "").slice(0, 120)})` }, body }], exhaustive: false, preprocessor: false, range: nodeRange(r) });
          } else this.expr(r, out, pos, operandUse);
        }
        return undefined;
      }
      case "composite_literal":
        return [this.compositeLiteral(node, out, pos)];
      case "func_literal":
        this.callbackLiteral(node, "a function value", out, pos, false);
        return undefined;
      case "interpreted_string_literal":
      case "raw_string_literal":
        return [{ kind: "str", value: goStringValue(node) ?? "" }];
      case "int_literal":
      case "float_literal":
      case "imaginary_literal":
      case "rune_literal":
      case "true":
      case "false":
      case "nil":
      case "iota":
      case "comment":
        return undefined;
      default:
        for (const c of named(node)) {
          if (STATEMENT_TYPES.has(typeOf(c))) this.statement(c, out, pos);
          else this.expr(c, out, pos, OTHER);
        }
        return undefined;
    }
  }

  /** `landlock.V5`, `unix.LANDLOCK_SCOPE_SIGNAL`, `cmd.Process`, `cmd.Process.Pid`, `s.fd`. */
  private selector(node: Node, out: IrBlock, pos: Pos, use: Use): VarFact | undefined {
    const operand = node.childForFieldName("operand");
    const field = node.childForFieldName("field")?.text ?? "";
    if (!operand) return undefined;
    if (typeOf(operand) === "identifier") {
      const pkg = this.packageOf(operand.text);
      if (pkg === "landlock") {
        const m = /^V(\d+)$/.exec(field);
        if (m) return { kind: "llconfig", config: versionConfig(Number(m[1])) };
        return undefined;
      }
      if (pkg) {
        const v = goConstant(field);
        return v !== undefined ? { kind: "sym", sym: exact(v) } : undefined;
      }
      const fact = this.env.get(operand.text);
      this.readVar(operand.text, use.k === "test" || use.k === "return" ? use : OTHER);
      if (fact?.kind === "cmd" && field === "Process") return { kind: "process", origin: "child" };
      return undefined;
    }
    const inner = this.expr(operand, out, pos, OTHER);
    if (inner?.kind === "process" && field === "Pid") return { kind: "pid", origin: inner.origin };
    return undefined;
  }

  /** `unix.LandlockRulesetAttr{...}`, `&net.UnixAddr{Name: "@x"}`, `unix.SockaddrUnix{...}`: their values. */
  private compositeLiteral(node: Node, out: IrBlock, pos: Pos): VarFact | undefined {
    const typeNode = node.childForFieldName("type");
    const type = typeName(typeNode);
    const body = node.childForFieldName("body");
    // Each element once: its key (for keyed elements) and its value node.
    const elements: { key?: string; value?: Node }[] = [];
    for (const e of body ? body.namedChildren : []) {
      if (typeOf(e) === "keyed_element") {
        const parts = named(e);
        elements.push({ key: keyText(parts[0]), value: valueNodeOf(parts[1]) });
      } else if (typeOf(e) === "literal_element") elements.push({ value: valueNodeOf(e) });
    }
    for (const e of elements) if (e.value && typeOf(e.value) !== "literal_value") this.expr(e.value, out, pos, OTHER);
    if (type === "UnixAddr" || type === "SockaddrUnix") {
      const nameNode = elements.find((k) => k.key === "Name")?.value;
      const name = nameNode ? this.stringOf(nameNode) : undefined;
      return name !== undefined ? { kind: "unixaddr", name } : { kind: "unixaddr" };
    }
    const isAttrType = !!type && /RulesetAttr$|ruleset_?attr/i.test(type);
    const allAttrKeys = elements.length > 0 && elements.every((k) => k.key !== undefined && attrFieldOf(k.key));
    if (!isAttrType && !allAttrKeys) return undefined;
    const attr = freshAttr();
    const order: ("fs" | "net" | "scoped")[] = ["fs", "net", "scoped"];
    let mentionsAbi = false;
    elements.forEach((e, i) => {
      const word = e.key !== undefined ? attrFieldOf(e.key) : order[i];
      if (!word || !e.value) return;
      const expr = this.exprOf(unwrapValue(e.value));
      attr[word] = evaluate(expr, this.scope());
      if (identifiersIn(expr).some((id) => this.isAbiValue({ k: "id", name: id }))) mentionsAbi = true;
    });
    if (mentionsAbi || pos.abiGuard) attr.masked = true;
    return { kind: "attr", attr };
  }

  private stringOf(node: Node): string | undefined {
    const v = unwrapValue(node);
    const s = goStringValue(v);
    if (s !== undefined) return s;
    if (typeOf(v) === "identifier") {
      const fact = this.env.get(v.text);
      if (fact?.kind === "str") return fact.value;
      const constant = this.file.constants.get(v.text);
      if (constant?.k === "str") return constant.value;
    }
    if (typeOf(v) === "binary_expression" && v.childForFieldName("operator")?.text === "+") {
      // `"@/tmp/dbus-" + user`: the prefix decides whether the name is abstract.
      const l = this.stringOf(v.childForFieldName("left")!);
      return l === undefined ? undefined : l + (this.stringOf(v.childForFieldName("right")!) ?? "*");
    }
    if (typeOf(v) === "call_expression" && /^fmt\.Sprintf$/.test(calleeText(v.childForFieldName("function")!, this.packageOf))) {
      const format = goStringValue(argsOf(v)[0]);
      if (format !== undefined) return format.replace(/%[a-z]/g, "*");
    }
    return undefined;
  }

  // ------------------------------------------------------------------------------------------
  // Result checking

  private resultFor(use: Use, op: ResultOp): Tri {
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
      case "arg":
        return CHECKING_CALL.test(use.callee) ? "yes" : "maybe";
      case "assign": {
        for (const name of use.names) {
          if (!name) continue;
          this.pending.set(name, [...(this.pending.get(name) ?? []), op]);
          this.resultOps.set(name, [...(this.resultOps.get(name) ?? []), op]);
          this.resultVars.add(name);
        }
        return "no";
      }
      default:
        return "maybe";
    }
  }

  /** A read of a variable: settles the ops whose result it holds. */
  private readVar(name: string, use: Use): void {
    if (this.returnDepth > 0) {
      for (const op of this.resultOps.get(name) ?? []) op.resultReturned = true;
    }
    const list = this.pending.get(name);
    if (!list) return;
    if (use.k === "test" || use.k === "return" || this.returnDepth > 0 || (use.k === "arg" && CHECKING_CALL.test(use.callee))) {
      for (const op of list) op.resultChecked = "yes";
      this.pending.delete(name);
    } else if (use.k !== "discard" && use.k !== "assign") {
      for (const op of list) if (op.resultChecked === "no") op.resultChecked = "maybe";
    }
  }

  // ------------------------------------------------------------------------------------------
  // Calls

  private call(node: Node, out: IrBlock, pos: Pos, use: Use): Results | undefined {
    const fn = node.childForFieldName("function");
    const args = argsOf(node);
    if (!fn) return undefined;
    if (typeOf(fn) === "func_literal") {
      // Called in place: its body runs here.
      for (const a of args) this.expr(a, out, pos, OTHER);
      const saved = this.returnDepth;
      this.returnDepth = 0;
      try {
        this.block(statementsOf(fn.childForFieldName("body")), out, pos);
      } finally {
        this.returnDepth = saved;
      }
      return undefined;
    }
    if (typeOf(fn) === "selector_expression") {
      const operand = fn.childForFieldName("operand");
      const member = fn.childForFieldName("field")?.text ?? "";
      const pkg = operand?.type === "identifier" ? this.packageOf(operand.text) : undefined;
      if (pkg) {
        this.walkArgs(args, `${pkg}.${member}`, member, out, pos);
        return this.packageCall(pkg, member, node, fn, args, out, pos, use);
      }
      const receiver = operand ? this.expr(operand, out, pos, OTHER) : undefined;
      this.walkArgs(args, calleeText(fn, this.packageOf), member, out, pos);
      return this.methodCall(operand, receiver, member, node, fn, args, out, pos, use);
    }
    if (typeOf(fn) === "identifier") {
      this.walkArgs(args, fn.text, fn.text, out, pos);
      return this.plainCall(fn.text, node, fn, args, out, pos, use);
    }
    // Generic instantiation, function values in fields or indexes: walk what is inside.
    this.expr(fn, out, pos, OTHER);
    this.walkArgs(args, fn.text, "", out, pos);
    return undefined;
  }

  private walkArgs(args: Node[], callee: string, member: string, out: IrBlock, pos: Pos): void {
    for (const a of args) {
      if (typeOf(a) === "func_literal") this.funcLiteralArg(a, callee, member, out, pos);
      else this.expr(a, out, pos, { k: "arg", callee });
    }
  }

  /** A function literal given to a call: run on another goroutine (`g.Go`, `time.AfterFunc`), once (`once.Do`), or maybe. */
  private funcLiteralArg(lit: Node, callee: string, member: string, out: IrBlock, pos: Pos): void {
    if (member === "Go" || callee === "time.AfterFunc") {
      out.push({ kind: "op", op: { type: "spawn", mechanism: callee, count: pos.loop > 0 ? "many" : "one", range: nodeRange(lit) } });
      out.push({ kind: "thread", how: callee, body: this.literalBody(lit, pos), range: nodeRange(lit) });
      return;
    }
    if (member === "HandleFunc" || callee === "http.HandlerFunc") {
      // An HTTP handler runs once per request: as often as requests come.
      const body = this.literalBody(lit, pos);
      if (body.length) out.push({ kind: "loop", body, range: nodeRange(lit) });
      return;
    }
    this.callbackLiteral(lit, callee, out, pos, member === "Do");
  }

  private callbackLiteral(lit: Node, callee: string, out: IrBlock, pos: Pos, synchronous: boolean): void {
    const body = this.literalBody(lit, pos);
    if (body.length === 0) return;
    out.push({ kind: "branch", arms: [{ cond: { kind: "other", text: `callback passed to ${callee}` }, body }], exhaustive: synchronous, preprocessor: false, range: nodeRange(lit) });
  }

  /** The body of a function literal run elsewhere: walked with a copy of the current knowledge. */
  private literalBody(lit: Node, pos: Pos): IrBlock {
    const saved = this.env;
    const savedReturn = this.returnDepth;
    const savedLock = this.osThreadLocked;
    this.env = saved.clone();
    this.returnDepth = 0;
    this.osThreadLocked = false;
    const body: IrBlock = [];
    try {
      this.block(statementsOf(lit.childForFieldName("body")), body, { loop: 0, abiGuard: pos.abiGuard });
    } finally {
      this.env = saved;
      this.returnDepth = savedReturn;
      this.osThreadLocked = savedLock;
    }
    return body;
  }

  /** `apply := func() error { ... }`: a function of its own, callable by name. */
  private emitLiteralFunction(name: string, lit: Node, at: Node): void {
    this.locals.add(name);
    const body = this.literalBody(lit, { loop: 0, abiGuard: false });
    this.file.addFunction({ name, range: nodeRange(lit), nameRange: nodeRange(at), isEntry: false, runtimeThreads: this.file.runtimeThreads, body });
  }

  private packageCall(pkg: string, member: string, node: Node, fn: Node, args: Node[], out: IrBlock, pos: Pos, use: Use): Results | undefined {
    const r = nodeRange(node);
    const api = `${fn.text.replace(/\s+/g, "")}`;
    if ((pkg === "unix" || pkg === "syscall") && RAW_SYSCALLS.has(member)) return this.rawSyscall("syscall", api, node, fn, args, out, use);
    if (pkg === "syscall" && /^AllThreadsSyscall6?$/.test(member)) return this.rawSyscall("all-threads-syscall", api, node, fn, args, out, use);
    if (pkg === "psx" && /^Syscall[36]$/.test(member)) return this.rawSyscall("libpsx", api, node, fn, args, out, use);
    if (pkg === "unix" || pkg === "syscall") {
      const handled = this.unixCall(member, api, node, fn, args, out, pos, use);
      if (handled !== NOT_CLASSIFIED) return handled;
      return undefined;
    }
    if (pkg === "llsyscall") return this.goLandlockSyscall(member, api, node, fn, args, out, use);
    if (pkg === "landlock") {
      if (member === "MustConfig" || member === "NewConfig") return [{ kind: "llconfig", config: this.configOfArgs(args) }];
      return undefined;
    }
    switch (pkg) {
      case "os":
        if (member === "Exit") {
          out.push({ kind: "exit", range: r, leaves: "process" });
          return undefined;
        }
        if (member === "Getpid") return [{ kind: "pid", origin: "getpid" }];
        if (member === "Getppid") return [{ kind: "pid", origin: "getppid" }];
        if (member === "FindProcess") return [{ kind: "process", origin: this.pidOrigin(args[0]) }];
        if (member === "StartProcess") {
          out.push(processStart("os.StartProcess", r));
          return [{ kind: "process", origin: "child" }];
        }
        return undefined;
      case "exec":
        if (member === "Command" || member === "CommandContext") return [{ kind: "cmd" }];
        return undefined;
      case "log":
        if (LOG_EXITS.test(member)) out.push({ kind: "exit", range: r, leaves: "process" });
        return undefined;
      case "runtime":
        if (member === "LockOSThread") this.osThreadLocked = true;
        else if (member === "UnlockOSThread") this.osThreadLocked = false;
        else if (member === "Goexit") out.push({ kind: "exit", range: r, leaves: "function" });
        return undefined;
      case "net": {
        if (member === "Dial" || member === "DialTimeout") this.dial(api, args[0], args[1], r, out);
        else if (member === "DialUnix") this.dialAddr(api, args[2], r, out);
        else if (member === "ResolveUnixAddr") {
          const name = args[1] ? this.stringOf(args[1]) : undefined;
          return [name !== undefined ? { kind: "unixaddr", name } : { kind: "unixaddr" }];
        }
        return undefined;
      }
      default:
        break;
    }
    const imported = this.file.imports.get(fn.childForFieldName("operand")?.text ?? "");
    if (imported?.standard || INERT_PACKAGES.has(pkg)) return undefined;
    // A function of another package of the project (or a dependency): `sandbox.Apply()`.
    this.emitCall(`${pkg}.${member}`, [], node, fn, out, use);
    return this.abiHelperResult(`${pkg}.${member}`);
  }

  /** golang.org/x/sys/unix and syscall wrappers other than the raw Syscall family. */
  private unixCall(member: string, api: string, node: Node, fn: Node, args: Node[], out: IrBlock, pos: Pos, use: Use): Results | undefined | typeof NOT_CLASSIFIED {
    const r = nodeRange(node);
    void pos;
    if (member === "Prctl") {
      if (valueOf(this.evalNode(args[0])) === PR_SET_NO_NEW_PRIVS && valueOf(this.evalNode(args[1])) !== 0n) {
        out.push({ kind: "op", op: { type: "no-new-privs", api: `${api}(PR_SET_NO_NEW_PRIVS)`, range: r } });
      }
      return undefined;
    }
    if (member === "Kill") {
      out.push({ kind: "op", op: this.targetedOp("signal", args[0], api, r) });
      return undefined;
    }
    if (member === "Tgkill" || member === "Tkill") {
      out.push({ kind: "op", op: { type: "signal", target: "own-thread", api, range: r } });
      return undefined;
    }
    if (member === "FcntlInt" && args.length >= 3) {
      const cmd = valueOf(this.evalNode(args[1]));
      if (cmd === F_SETOWN) out.push({ kind: "op", op: this.targetedOp("setown", args[2], `${api}(F_SETOWN)`, r) });
      return undefined;
    }
    if (member === "FcntlFOwnerEx") {
      if (valueOf(this.evalNode(args[1])) === F_SETOWN_EX) out.push({ kind: "op", op: { type: "setown", target: "unknown", api: `${api}(F_SETOWN_EX)`, range: r } });
      return undefined;
    }
    if (SETUID_CALLS.has(member)) {
      out.push({ kind: "op", op: { type: "setuid", api, range: r } });
      return undefined;
    }
    if (member === "Exec") {
      out.push({ kind: "op", op: { type: "exec", api, range: r } });
      return undefined;
    }
    if (member === "ForkExec" || member === "StartProcess") {
      out.push(processStart(api, r));
      return [{ kind: "pid", origin: "child" }];
    }
    if (member === "Getpid") return [{ kind: "pid", origin: "getpid" }];
    if (member === "Getppid") return [{ kind: "pid", origin: "getppid" }];
    if (member === "Gettid") return [{ kind: "pid", origin: "gettid" }];
    if (member === "Getpgrp") return [{ kind: "pid", origin: "pgrp" }];
    if (member === "Connect" && args[1]) {
      this.dialAddr(api, args[1], r, out);
      return undefined;
    }
    void fn;
    void use;
    return NOT_CLASSIFIED;
  }

  /** go-landlock's `landlock/syscall` package: thin wrappers over the syscalls, some broadcast through psx. */
  private goLandlockSyscall(member: string, api: string, node: Node, fn: Node, args: Node[], out: IrBlock, use: Use): Results | undefined {
    const r = nodeRange(node);
    switch (member) {
      case "LandlockGetABIVersion":
        out.push({ kind: "op", op: { type: "abi-query", api, range: r } });
        this.markResultVars(use, "error");
        return [{ kind: "abi" }];
      case "LandlockCreateRuleset": {
        const flags = this.evalNode(args[1]);
        if ((flags.yes & 1n) !== 0n) {
          out.push({ kind: "op", op: { type: "abi-query", api, range: r } });
          return [{ kind: "abi" }];
        }
        const info = rulesetInfoOf(this.attrOfArg(args[0]));
        const op: IrOp = { type: "create-ruleset", ruleset: info, resultChecked: "maybe", api, range: r };
        op.resultChecked = this.resultFor(use, op);
        out.push({ kind: "op", op });
        return [{ kind: "ruleset", info, range: r }];
      }
      case "LandlockAddRule":
      case "LandlockAddPathBeneathRule":
      case "LandlockAddNetPortRule": {
        const op: IrOp = { type: "add-rule", resultChecked: "maybe", api, range: r };
        op.resultChecked = this.resultFor(use, op);
        out.push({ kind: "op", op });
        return undefined;
      }
      case "LandlockRestrictSelf":
      case "RestrictSelf":
        this.restrictOp("syscall", api, args[0], args[1], node, fn, out, use);
        return undefined;
      case "AllThreadsLandlockRestrictSelf":
        this.restrictOp("libpsx", `${api} (psx)`, args[0], args[1], node, fn, out, use);
        return undefined;
      case "AllThreadsPrctl":
        if (valueOf(this.evalNode(args[0])) === PR_SET_NO_NEW_PRIVS && valueOf(this.evalNode(args[1])) !== 0n) {
          out.push({ kind: "op", op: { type: "no-new-privs", api: `${api}(PR_SET_NO_NEW_PRIVS)`, range: r } });
        }
        return undefined;
      default:
        return undefined;
    }
  }

  /** `unix.Syscall(nr, a1, a2, a3)`, `syscall.AllThreadsSyscall(...)`, `psx.Syscall3(...)`: by syscall number. */
  private rawSyscall(mechanism: RestrictMechanism, callee: string, node: Node, fn: Node, args: (Node | undefined)[], out: IrBlock, use: Use): Results | undefined {
    const nr = valueOf(this.evalNode(args[0]));
    if (nr !== undefined && nr >= SYSCALL_CREATE_RULESET && nr <= SYSCALL_RESTRICT_SELF && this.file.stubs.has(this.info.name)) return undefined;
    return this.syscallByNumber(nr, mechanism, `${callee}(${(args[0]?.text ?? "").replace(/\s+/g, "")})`, node, fn, args, out, use);
  }

  /** A call of a syscall stub: the syscall with the caller's arguments in place of the stub's parameters. */
  private stubCall(name: string, stub: SyscallStub, node: Node, fn: Node, callArgs: Node[], out: IrBlock, use: Use): Results | undefined {
    const args: (Node | undefined)[] = [undefined, ...stub.args.map((a) => (typeof a === "number" ? callArgs[a] : a))];
    return this.syscallByNumber(stub.nr, "syscall", name, node, fn, args, out, use);
  }

  private syscallByNumber(nr: bigint | undefined, mechanism: RestrictMechanism, api: string, node: Node, fn: Node, args: (Node | undefined)[], out: IrBlock, use: Use): Results | undefined {
    const kind = nr === undefined ? undefined : SYSCALL_KIND.get(nr);
    const r = nodeRange(node);
    const perThread = mechanism !== "syscall";
    switch (kind) {
      case "landlock_restrict_self":
        this.restrictOp(mechanism, api, args[1], args[2], node, fn, out, use, true);
        return undefined;
      case "landlock_create_ruleset": {
        const flags = this.evalNode(args[3]);
        if ((flags.yes & 1n) !== 0n) {
          out.push({ kind: "op", op: { type: "abi-query", api, range: r } });
          this.markResultVars(use, "raw");
          return [{ kind: "abi" }];
        }
        if ((flags.yes & 2n) !== 0n) return undefined;
        const info = rulesetInfoOf(this.attrOfArg(args[1]));
        const op: IrOp = { type: "create-ruleset", ruleset: info, resultChecked: "maybe", api, range: r };
        op.resultChecked = this.resultFor(use, op);
        out.push({ kind: "op", op });
        return [{ kind: "ruleset", info, range: r }];
      }
      case "landlock_add_rule": {
        const op: IrOp = { type: "add-rule", resultChecked: "maybe", api, range: r };
        op.resultChecked = this.resultFor(use, op);
        out.push({ kind: "op", op });
        return undefined;
      }
      case "prctl":
        if (valueOf(this.evalNode(args[1])) === PR_SET_NO_NEW_PRIVS && valueOf(this.evalNode(args[2])) !== 0n) {
          out.push({ kind: "op", op: { type: "no-new-privs", api, range: r } });
        }
        return undefined;
      case "kill":
        out.push({ kind: "op", op: this.targetedOp("signal", args[1], api, r) });
        return undefined;
      case "tgkill":
      case "tkill":
        out.push({ kind: "op", op: { type: "signal", target: "own-thread", api, range: r } });
        return undefined;
      case "fcntl": {
        const cmd = valueOf(this.evalNode(args[2]));
        if (cmd === F_SETOWN) out.push({ kind: "op", op: this.targetedOp("setown", args[3], api, r) });
        if (cmd === F_SETOWN_EX) out.push({ kind: "op", op: { type: "setown", target: "unknown", api, range: r } });
        return undefined;
      }
      case "execve":
      case "execveat":
        out.push({ kind: "op", op: { type: "exec", api, range: r } });
        return undefined;
      case "setuid":
      case "setgid":
      case "setreuid":
      case "setregid":
      case "setgroups":
      case "setresuid":
      case "setresgid":
      case "setfsuid":
      case "setfsgid":
        // Raw, one thread: only a broadcast (psx, AllThreadsSyscall) reaches the other threads by signals.
        if (perThread) out.push({ kind: "op", op: { type: "setuid", api, range: r } });
        return undefined;
      default:
        return undefined;
    }
  }

  private markResultVars(use: Use, kind: "error" | "raw"): void {
    if (use.k !== "assign") return;
    const errorIndex = kind === "raw" ? 2 : use.names.length - 1;
    const name = use.names[errorIndex];
    if (name && use.names.length > 1) this.resultVars.add(name);
  }

  private restrictOp(mechanism: RestrictMechanism, api: string, fdNode: Node | undefined, flagsNode: Node | undefined, node: Node, fn: Node, out: IrBlock, use: Use, raw = false): void {
    const fd = this.rulesetOfFd(fdNode);
    const op: IrOp = {
      type: "restrict",
      mechanism,
      flags: this.restrictFlags(flagsNode),
      fd: fd.kind,
      ...(fd.info ? { ruleset: fd.info } : {}),
      ...(fd.range ? { rulesetRange: fd.range } : {}),
      resultChecked: "maybe",
      api,
      range: nodeRange(node),
      calleeRange: nodeRange(fn),
    };
    op.resultChecked = this.resultFor(use, op);
    if (raw && use.k === "assign" && use.names.length === 3 && !use.names[0] && !use.names[2] && use.names[1]) op.resultChecked = "no";
    out.push({ kind: "op", op });
  }

  private restrictFlags(node: Node | undefined): RestrictFlags {
    if (!node) return { tsync: "no", logSameExecOff: "no", logNewExecOn: "no", logSubdomainsOff: "no", noNewPrivs: "no", value: 0 };
    const sym = this.evalNode(node);
    const tri = (bit: bigint): Tri => ((sym.yes & bit) !== 0n ? "yes" : sym.unknown || (sym.maybe & bit) !== 0n ? "maybe" : "no");
    const flags: RestrictFlags = {
      tsync: tri(1n << 3n),
      logSameExecOff: tri(1n << 0n),
      logNewExecOn: tri(1n << 1n),
      logSubdomainsOff: tri(1n << 2n),
      noNewPrivs: tri(1n << 4n),
    };
    const value = valueOf(sym);
    if (value !== undefined && value <= BigInt(Number.MAX_SAFE_INTEGER)) flags.value = Number(value);
    if (sym.abiBits && (sym.abiBits.bits & (1n << 3n)) !== 0n && flags.tsync === "maybe") flags.tsyncIfAbiAtLeast = sym.abiBits.abi;
    flags.text = node.text.length > 200 ? node.text.slice(0, 200) : node.text;
    flags.range = nodeRange(node);
    return flags;
  }

  private rulesetOfFd(node: Node | undefined): { kind: "ruleset" | "minus-one" | "unknown"; info?: RulesetInfo; range?: Range } {
    if (!node) return { kind: "unknown" };
    const v = unwrapValue(node);
    if (typeOf(v) === "identifier") {
      const fact = this.env.get(v.text);
      if (fact?.kind === "ruleset") return { kind: "ruleset", info: fact.info, range: fact.range };
    }
    const value = valueOf(this.evalNode(v));
    if (value !== undefined && signed(value) === -1n) return { kind: "minus-one" };
    // `^uintptr(0)` is -1 as a uintptr.
    if (value !== undefined && BigInt.asUintN(64, value) === (1n << 64n) - 1n) return { kind: "minus-one" };
    return { kind: "unknown" };
  }

  private attrOfArg(node: Node | undefined): AttrState | undefined {
    if (!node) return undefined;
    const v = unwrapValue(node);
    if (typeOf(v) === "identifier") {
      const fact = this.env.get(v.text);
      if (fact?.kind === "attr") return fact.attr;
      return undefined;
    }
    if (typeOf(v) === "composite_literal") {
      const fact = this.compositeLiteral(v, [], { loop: 0, abiGuard: false });
      return fact?.kind === "attr" ? fact.attr : undefined;
    }
    if (typeOf(v) === "int_literal" && valueOf(this.evalNode(v)) === 0n) return freshAttr();
    return undefined;
  }

  /** Methods: go-landlock configs, exec.Cmd, os.Process, loggers, dialers, and the project's own methods. */
  private methodCall(operand: Node | null, receiver: VarFact | undefined, member: string, node: Node, fn: Node, args: Node[], out: IrBlock, pos: Pos, use: Use): Results | undefined {
    const r = nodeRange(node);
    void pos;
    if (receiver?.kind === "llconfig") {
      if (member === "BestEffort") return [{ kind: "llconfig", config: { ...receiver.config, bestEffort: true } }];
      if (/^Restrict(?:Paths|Net|Scoped)?$/.test(member)) {
        this.libraryRestrict(member, receiver.config, node, fn, out, use);
        return undefined;
      }
    }
    if (!receiver && /^Restrict(?:Paths|Net|Scoped)$/.test(member) && this.file.imports.has("landlock")) {
      this.libraryRestrict(member, undefined, node, fn, out, use);
      return undefined;
    }
    if (receiver?.kind === "cmd" && /^(?:Start|Run|Output|CombinedOutput)$/.test(member)) {
      out.push(processStart(`exec.Cmd.${member}`, r));
      return undefined;
    }
    if (receiver?.kind === "process" && (member === "Signal" || member === "Kill")) {
      const target = originTarget(receiver.origin);
      out.push({ kind: "op", op: { type: "signal", target: target === "own-thread" ? "own-process" : target, api: `os.Process.${member}`, range: r } });
      return undefined;
    }
    if (LOG_EXITS.test(member) && operand && /^(?:log|logger|l|lg|logging|klog|zap|glog|slog)$|[Ll]og(?:ger)?$/.test(operand.text)) {
      if (/^(?:Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln)$/.test(member)) out.push({ kind: "exit", range: r, leaves: "process" });
      return undefined;
    }
    if ((member === "Dial" || member === "DialContext" || member === "DialTimeout") && args.length >= 2) {
      const netIndex = member === "DialContext" ? 1 : 0;
      this.dial(`${(operand?.text ?? "").replace(/\s+/g, "")}.${member}`, args[netIndex], args[netIndex + 1], r, out);
      return undefined;
    }
    if (member === "Go" || member === "Do" || member === "Wait" || member === "Done" || member === "Add" || member === "Lock" || member === "Unlock") {
      if (args.some((a) => typeOf(a) === "func_literal")) return undefined;
    }
    // The project's own methods: `s.apply()`, `sb.Enforce(ctx)`.
    const candidates: string[] = [];
    if (operand?.type === "identifier") {
      const type = this.types.get(operand.text) ?? (operand.text === this.receiver ? this.info.receiverType : undefined);
      if (type) candidates.push(`${type}.${member}`);
    }
    this.emitCall(`${(operand?.text ?? "").replace(/\s+/g, "").slice(0, 60)}.${member}`, candidates, node, fn, out, use);
    return undefined;
  }

  private libraryRestrict(member: string, config: LandlockConfig | undefined, node: Node, fn: Node, out: IrBlock, use: Use): void {
    const scopesApply = member === "Restrict" || member === "RestrictScoped";
    const scopesKnown = !scopesApply || config?.scopes !== undefined;
    const scopeBits = scopesApply ? (config?.scopes ?? 0n) : 0n;
    const scopes = SCOPE_NAMES.filter(([bit]) => (scopeBits & bit) !== 0n).map(([, name]) => name);
    const library: LibraryInfo = goLandlockLibrary({
      ...(this.file.goLandlockVersion ? { version: this.file.goLandlockVersion } : {}),
      tsyncTag: this.file.tsyncTag,
      bestEffort: config?.bestEffort ?? false,
      scoped: scopes.length > 0 || (scopesApply && !scopesKnown),
    });
    const neededAbi = config?.neededAbi ?? 1;
    const op: IrOp = {
      type: "restrict",
      mechanism: "library",
      flags: {
        tsync: library.fallbackBelowTsync === "error" ? "yes" : library.tsyncWhenAvailable ? "maybe" : "no",
        logSameExecOff: "no",
        logNewExecOn: "no",
        logSubdomainsOff: "no",
        noNewPrivs: "no",
      },
      fd: "ruleset",
      ruleset: { scopes, scopesKnown, neededAbi, neededFor: [], maskedByAbi: config?.bestEffort ?? false },
      resultChecked: "maybe",
      library,
      api: fn.text.replace(/\s+/g, "").slice(0, 120),
      range: nodeRange(node),
      calleeRange: nodeRange(fn),
    };
    op.resultChecked = this.resultFor(use, op);
    out.push({ kind: "op", op });
  }

  /** `landlock.MustConfig(landlock.AccessFSSet(...), landlock.ScopedSet(llsyscall.ScopeSignal))`. */
  private configOfArgs(args: Node[]): LandlockConfig {
    let scopes: bigint | undefined = 0n;
    let neededAbi = 1;
    for (const a of args) {
      const inner = unwrapParens(a);
      const callee = typeOf(inner) === "call_expression" ? calleeText(inner.childForFieldName("function")!, this.packageOf) : "";
      const value = typeOf(inner) === "call_expression" ? argsOf(inner)[0] : undefined;
      if (/ScopedSet$/.test(callee)) {
        const v = valueOf(this.evalNode(value));
        scopes = v;
        if (v) neededAbi = Math.max(neededAbi, 6);
      } else if (/Access(?:FS|Net)Set$/.test(callee)) {
        const v = this.evalNode(value);
        const word = /FS/.test(callee) ? "access-fs" : "access-net";
        for (const n of namesOfBits(word, v.yes)) neededAbi = Math.max(neededAbi, n.abi);
      } else scopes = undefined;
    }
    return scopes === undefined ? { bestEffort: false, neededAbi } : { bestEffort: false, scopes, neededAbi };
  }

  private plainCall(name: string, node: Node, fn: Node, args: Node[], out: IrBlock, pos: Pos, use: Use): Results | undefined {
    void pos;
    if (name === "panic") {
      out.push({ kind: "exit", range: nodeRange(node), leaves: "process" });
      return undefined;
    }
    if (BUILTINS.has(name) || NUMERIC_TYPES.has(name)) return undefined;
    if (this.env.get(name) && !this.locals.has(name)) return undefined;
    const stub = this.locals.has(name) ? undefined : this.file.stubs.get(this.localCallee(name).candidates[0] ?? name);
    if (stub) return this.stubCall(name, stub, node, fn, args, out, use);
    const { callee, candidates } = this.localCallee(name);
    this.emitCall(callee, candidates, node, fn, out, use);
    return this.abiHelperResult(name);
  }

  /** A function of the same package: `f` in package main, `f` with candidate `pkg.f` elsewhere. */
  private localCallee(name: string): { callee: string; candidates: string[] } {
    if (this.file.packageName === "main" || this.locals.has(name)) return { callee: name, candidates: [] };
    return { callee: name, candidates: [`${this.file.packageName}.${name}`] };
  }

  private abiHelperResult(name: string): Results | undefined {
    return this.file.abiHelpers.has(name) ? [{ kind: "abi" }] : undefined;
  }

  private emitCall(callee: string, candidates: string[], node: Node, fn: Node, out: IrBlock, use: Use): void {
    const argTargets: { index: number; target: ReturnType<GoFunctionWalker["pidTarget"]> }[] = [];
    // Pid facts for the callee from the first few arguments only (generated argument lists run to thousands).
    argsOf(node).slice(0, MAX_ARGUMENT_FACTS).forEach((a, index) => {
      const target = this.argTarget(a);
      if (target) argTargets.push({ index, target });
    });
    const op: IrOp = {
      type: "call",
      callee,
      ...(candidates.length ? { calleeCandidates: candidates.filter((c) => c !== callee) } : {}),
      ...(argTargets.length ? { argTargets } : {}),
      resultChecked: "maybe",
      range: nodeRange(node),
      calleeRange: nodeRange(fn),
    };
    op.resultChecked = this.resultFor(use, op);
    out.push({ kind: "op", op });
  }

  // ------------------------------------------------------------------------------------------
  // Signals and sockets

  private pidOrigin(node: Node | undefined): PidOrigin {
    if (!node) return "other";
    const v = unwrapValue(node);
    if (typeOf(v) === "call_expression") {
      const callee = calleeText(v.childForFieldName("function")!, this.packageOf);
      if (/^(?:os|unix|syscall)\.Getpid$/.test(callee)) return "getpid";
      if (/^(?:os|unix|syscall)\.Getppid$/.test(callee)) return "getppid";
      if (/^(?:unix|syscall)\.Gettid$/.test(callee)) return "gettid";
      if (/^(?:unix|syscall)\.Getpgrp$/.test(callee)) return "pgrp";
      return "other";
    }
    if (typeOf(v) === "identifier") {
      const fact = this.env.get(v.text);
      if (fact?.kind === "pid") return fact.origin;
      return "other";
    }
    if (typeOf(v) === "selector_expression") {
      const fact = this.selector(v, [], { loop: 0, abiGuard: false }, OTHER);
      if (fact?.kind === "pid") return fact.origin;
    }
    return "other";
  }

  /** The parameter a pid argument is (`func notify(pid int) { unix.Kill(pid, ...) }`): the caller decides the target. */
  private pidParam(node: Node | undefined): number | undefined {
    if (!node) return undefined;
    const v = unwrapValue(node);
    if (typeOf(v) !== "identifier" || !this.parameterIndex.has(v.text)) return undefined;
    const fact = this.env.get(v.text);
    return fact && fact.kind !== "sym" ? undefined : this.parameterIndex.get(v.text);
  }

  /** A signal/setown op, aimed at a parameter when the pid is one. */
  private targetedOp(type: "signal" | "setown", pidNode: Node | undefined, api: string, range: Range): IrOp {
    const param = this.pidParam(pidNode);
    if (param !== undefined) return { type, target: "unknown", targetParam: param, api, range };
    const target = this.pidTarget(pidNode);
    return type === "signal" ? { type, target, api, range } : { type, target: setownTarget(target), api, range };
  }

  /** What a call argument names when it is clearly a process (`os.Getppid()`, a child's pid), for callees that signal it. */
  private argTarget(node: Node): ReturnType<GoFunctionWalker["pidTarget"]> | undefined {
    const v = unwrapValue(node);
    const t = typeOf(v);
    if (t !== "call_expression" && t !== "identifier" && t !== "selector_expression") return undefined;
    const origin = this.pidOrigin(v);
    if (origin !== "other") return originTarget(origin);
    if (t === "identifier") {
      const fact = this.env.get(v.text);
      if (fact?.kind === "pid") return originTarget(fact.origin);
    }
    return undefined;
  }

  /** Who a pid expression names, for Kill and F_SETOWN. */
  private pidTarget(node: Node | undefined): "parent" | "process-group" | "other-process" | "own-thread" | "own-process" | "unknown" {
    if (!node) return "unknown";
    const v = unwrapValue(node);
    if (typeOf(v) === "unary_expression" && v.childForFieldName("operator")?.text === "-") {
      const inner = this.evalNode(v.childForFieldName("operand"));
      return valueOf(inner) === 1n ? "other-process" : "process-group";
    }
    const origin = this.pidOrigin(v);
    if (origin !== "other") return originTarget(origin);
    const value = valueOf(this.evalNode(v));
    if (value !== undefined) {
      const s = signed(value);
      return s === 0n || s < -1n ? "process-group" : "other-process";
    }
    return "other-process";
  }

  /** `net.Dial("unix", "@name")`: an abstract socket when the name starts with "@" or a NUL byte. */
  private dial(api: string, network: Node | undefined, address: Node | undefined, range: Range, out: IrBlock): void {
    const net = network ? this.stringOf(network) : undefined;
    if (net === undefined || !/^unix/.test(net) || !address) return;
    const name = this.stringOf(address);
    if (name === undefined || !(name.startsWith("@") || name.startsWith("\0"))) return;
    out.push({ kind: "op", op: { type: "abstract-connect", name: "@" + name.slice(1), api, range } });
  }

  /** `net.DialUnix(.., .., raddr)`, `unix.Connect(fd, &unix.SockaddrUnix{Name: "@x"})`. */
  private dialAddr(api: string, addr: Node | undefined, range: Range, out: IrBlock): void {
    if (!addr) return;
    const v = unwrapValue(addr);
    let fact: VarFact | undefined;
    if (typeOf(v) === "identifier") fact = this.env.get(v.text);
    else if (typeOf(v) === "composite_literal") fact = this.compositeLiteral(v, [], { loop: 0, abiGuard: false });
    if (fact?.kind !== "unixaddr" || fact.name === undefined) return;
    if (!(fact.name.startsWith("@") || fact.name.startsWith("\0"))) return;
    out.push({ kind: "op", op: { type: "abstract-connect", name: "@" + fact.name.slice(1), api, range } });
  }
}

const NOT_CLASSIFIED = Symbol("not classified");

const STATEMENT_TYPES = new Set([
  "block", "statement_list", "expression_statement", "short_var_declaration", "assignment_statement", "var_declaration", "const_declaration",
  "if_statement", "expression_switch_statement", "type_switch_statement", "select_statement", "for_statement", "go_statement", "defer_statement",
  "return_statement", "labeled_statement", "inc_statement", "dec_statement", "send_statement", "break_statement", "continue_statement",
  "goto_statement", "fallthrough_statement", "empty_statement",
]);

function named(node: Node): Node[] {
  return namedOf(node);
}

/** The statements of a block (tree-sitter-go wraps them in a statement_list). */
export function statementsOf(node: Node | null | undefined): Node[] {
  if (!node) return [];
  const list = namedOf(node).find((c) => typeOf(c) === "statement_list");
  return namedOf(list ?? node);
}

function argsOf(call: Node): Node[] {
  const list = call.childForFieldName("arguments");
  return list ? namedOf(list) : [];
}

function unwrapParens(node: Node): Node {
  let n = node;
  for (let i = 0; i < 16 && typeOf(n) === "parenthesized_expression"; i++) {
    const inner = named(n);
    if (inner.length !== 1) break;
    n = inner[0]!;
  }
  return n;
}

/** `*unix.LandlockRulesetAttr` -> `LandlockRulesetAttr`; `landlock.Config` -> `Config`. */
function typeName(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  const t = node.text.replace(/\s+/g, "").replace(/^[*&]+/, "").replace(/\[.*$/, "");
  const last = t.split(".").pop();
  return last && /^\w+$/.test(last) ? last : undefined;
}

/** The type a literal value has, for method calls on the variable (`s := &Sandbox{}` -> `Sandbox`). */
function literalType(node: Node): string | undefined {
  const v = unwrapValue(node);
  if (typeOf(v) === "composite_literal") return typeName(v.childForFieldName("type"));
  if (typeOf(v) === "call_expression") {
    const callee = v.childForFieldName("function")?.text ?? "";
    const m = /(?:^|\.)New([A-Z]\w*)$/.exec(callee);
    if (m) return m[1];
  }
  return undefined;
}

function keyText(node: Node | undefined): string {
  if (!node) return "";
  const inner = typeOf(node) === "literal_element" ? (named(node)[0] ?? node) : node;
  return inner.text;
}

function valueNodeOf(node: Node | undefined): Node | undefined {
  if (!node) return undefined;
  return typeOf(node) === "literal_element" ? (named(node)[0] ?? node) : node;
}

function identifiersIn(e: Expr): string[] {
  const out: string[] = [];
  const visit = (x: Expr, depth: number): void => {
    if (depth > 32) return;
    switch (x.k) {
      case "id":
        out.push(x.name);
        break;
      case "un":
        visit(x.e, depth + 1);
        break;
      case "bin":
        visit(x.l, depth + 1);
        visit(x.r, depth + 1);
        break;
      case "cond":
        visit(x.c, depth + 1);
        visit(x.t, depth + 1);
        visit(x.f, depth + 1);
        break;
      case "call":
        for (const a of x.args) visit(a, depth + 1);
        break;
      case "field":
        visit(x.obj, depth + 1);
        break;
      default:
        break;
    }
  };
  visit(e, 0);
  return out;
}

function versionConfig(version: number): LandlockConfig {
  return { version, bestEffort: false, scopes: version >= 6 ? 3n : 0n, neededAbi: version };
}

function originTarget(origin: PidOrigin): "parent" | "process-group" | "other-process" | "own-thread" | "own-process" {
  switch (origin) {
    case "getpid":
      return "own-process";
    case "getppid":
      return "parent";
    case "gettid":
      return "own-thread";
    case "pgrp":
      return "process-group";
    default:
      return "other-process";
  }
}

function setownTarget(t: ReturnType<typeof originTarget> | "unknown"): "parent" | "other-process" | "own-process" | "unknown" {
  if (t === "process-group") return "other-process";
  if (t === "own-thread") return "own-process";
  return t;
}

/** A process started here (exec.Cmd.Start, os.StartProcess): it is forked inside whatever domain exists now. */
function processStart(how: string, range: Range): IrNode {
  return { kind: "child", how, body: [], range };
}

function capOp(at: Node): IrNode {
  return { kind: "op", op: { type: "cap-sys-admin", api: "running as root (os.Geteuid() == 0)", range: nodeRange(at) } };
}

function withAbi(env: Env, abi: { abi: number; negated: boolean } | undefined): Incoming {
  return abi ? { env, abi } : { env };
}

function cleanArm(arm: { cond?: IrCond | undefined; body: IrBlock }): { cond?: IrCond; body: IrBlock } {
  return arm.cond ? { cond: arm.cond, body: arm.body } : { body: arm.body };
}

function endsInExit(out: IrBlock): boolean {
  return out.length > 0 && out[out.length - 1]!.kind === "exit";
}

function containsRestrictOrCall(node: IrNode): boolean {
  if (node.kind === "op") return node.op.type === "restrict" || node.op.type === "call";
  if (node.kind === "branch") return node.arms.some((a) => a.body.some(containsRestrictOrCall));
  if (node.kind === "loop" || node.kind === "child" || node.kind === "thread") return node.body.some(containsRestrictOrCall);
  return false;
}

function spanRange(nodes: IrBlock): Range {
  const first = nodes[0]!;
  const last = nodes[nodes.length - 1]!;
  const rangeOf = (n: IrNode): Range => (n.kind === "op" ? n.op.range : n.range);
  return { start: rangeOf(first).start, end: rangeOf(last).end };
}
