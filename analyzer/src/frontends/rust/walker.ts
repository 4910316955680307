// Turns one Rust function body into structured IR, in control-flow order. Blocks, `if`,
// `match`, loops, closures run by threads, `pre_exec` closures and fork child arms become
// IR nodes; calls become ops. Along the way it tracks what local variables hold (flag
// words, the ABI, rust-landlock builders and their statuses, fork results, pids, commands,
// runtimes and pools, abstract socket addresses) so that a call can be named. Anything
// unfamiliar is walked for the calls inside it and otherwise ignored: the walker never
// throws on odd trees (ERROR nodes included).

import type { IrBlock, IrCond, IrFunction, IrNode, IrOp, Range, RestrictFlags, Tri } from "../../ir.js";
import type { Settings } from "../../settings.js";
import { nodeRange, spanRange, type Node } from "../treesitter.js";
import { mayEnter, walkLimitsOf, type WalkLimits } from "../walk-limits.js";
import { analyzeCondition, conditionImpliesFailure, type ConditionFacts } from "../c/conditions.js";
import { evaluate, type EvalScope } from "../c/evaluate.js";
import { identifiersOf, type Expr } from "../c/expr.js";
import {
  CREATE_RULESET_ERRATA,
  CREATE_RULESET_VERSION,
  landlockConstant,
  PR_SET_NO_NEW_PRIVS,
  RESTRICT_LOG_NEW_EXEC_ON,
  RESTRICT_LOG_SAME_EXEC_OFF,
  RESTRICT_LOG_SUBDOMAINS_OFF,
  RESTRICT_NO_NEW_PRIVS,
  RESTRICT_TSYNC,
  SYSCALL_ADD_RULE,
  SYSCALL_CREATE_RULESET,
  SYSCALL_RESTRICT_SELF,
} from "../c/landlock-constants.js";
import { F_SETOWN, libcConstant } from "../c/libc-constants.js";
import { attrFieldOf, freshAttr, rulesetInfoOf, unknownAttr, type AttrState, type PidOrigin } from "../c/state.js";
import { clear, exact, and, or, signed, UNKNOWN, valueOf, type Sym } from "../c/sym.js";
import type { RustImports } from "./imports.js";
import { blockTail, pathExpr, rustExprOf } from "./expr.js";
import {
  addScopes,
  cloneRuleset,
  compatOf,
  freshRuleset,
  handleAccess,
  restrictApi,
  rulesetBuiltElsewhere,
  rulesetInfo,
  rustLandlockLibrary,
  type RustRuleset,
} from "./library.js";
import type { MacroArguments } from "./macros.js";
import {
  ASSERT_MACROS,
  BAIL_MACROS,
  ENSURE_MACROS,
  EXECS,
  EXPRESSION_MACROS,
  FORKS,
  INERT_METHODS,
  isExternalPath,
  LANDLOCK_FUNCTIONS,
  matchesAny,
  NNP_SETTERS,
  PANIC_MACROS,
  PAR_METHODS,
  PID_SOURCES,
  PROCESS_EXITS,
  RESULT_CHECKERS,
  RESULT_PASS_THROUGH,
  RESULT_SWALLOWERS,
  SCOPES,
  SETUIDS,
  SIGNALS,
  TASK_SPAWNS,
  THREAD_SPAWNS,
} from "./names.js";
import { Env, joinEnvs, type Fact, type Incoming, type RestrictOp } from "./state.js";
import { codeChildren, isComment, lastSegment, pathEndsWith, pathOf, stringValue, unwrapValue } from "./syntax.js";

/** What the file around a function provides to its walk. */
export interface RustFileContext {
  imports: RustImports;
  settings: Settings;
  text: string;
  rustLandlockVersion?: string;
  /** `const` / `static` items of the file: name -> value node. */
  consts: Map<string, Node>;
  /** Functions of this file that return the running ABI. */
  abiHelpers: Set<string>;
  /** Functions of this file that return a rust-landlock builder, and its state. */
  builderHelpers: Map<string, { stage: "ruleset" | "created"; ruleset: RustRuleset }>;
  /** Names of the functions this file defines (a method named `restrict_self` here is not the crate's). */
  definedNames: Set<string>;
  /** The file uses the `landlock` crate. */
  usesRustLandlock: boolean;
  /** What runs `tokio::spawn` tasks: a multi-thread runtime unless the file only builds a current-thread one. */
  taskRuntime: "multi" | "current";
  macros: MacroArguments;
  /** Emits an extra function (a closure stored in a variable, a nested fn). */
  addFunction(fn: IrFunction): void;
}

export interface RustFunctionInfo {
  name: string;
  /** `Sandbox` for `impl Sandbox { fn apply(&self) }`. */
  typeName?: string;
  isMain: boolean;
  /** The function returns a value (its tail expression is handed to the caller). */
  returnsValue: boolean;
  /** A comment in or above the function states it runs privileged. */
  privilegeDocumented: boolean;
}

/** How the value of an expression is used: decides whether a call's result is checked. */
type Use =
  | { k: "test"; tag?: number }
  | { k: "try"; tag?: number }
  | { k: "discard" }
  | { k: "return" }
  | { k: "assign"; name: string }
  | { k: "arg"; callee: string }
  | { k: "other" };

const OTHER: Use = { k: "other" };
const DISCARD: Use = { k: "discard" };
const RETURN: Use = { k: "return" };

interface Pos {
  /** Loop nesting depth: spawns inside a loop start many threads. */
  loop: number;
  /** Inside an arm selected by the running ABI (masking there is "best effort"). */
  abiGuard: boolean;
  /** The innermost loop: records whether a success of the Landlock call breaks out of it. */
  loopInfo?: { breaksOnSuccess: boolean };
}

/** A resolved callee: the path as written and after `use` resolution. */
interface Callee {
  written: string;
  path: string;
}

type ResultKind = "zero-ok" | "nonneg-ok";

const MAX_DEPTH = 160;
/** Arguments of one call whose pid facts are recorded for the callee. */
const MAX_ARGUMENT_FACTS = 16;
/** Variable names that hold the Landlock ABI even when its origin is not visible. */
const ABI_NAME = /(?:^|_)abi(?:_?version)?$|^abi_|landlock_?abi|landlock_?version|abi_?level/i;

const ITERATION_METHODS = new Set([
  "for_each", "try_for_each", "map", "filter", "filter_map", "flat_map", "fold", "try_fold", "any", "all", "find", "find_map", "position",
  "inspect", "scan", "take_while", "skip_while", "retain", "for_each_init",
]);
/** Result/Option methods whose value is the receiver's own value (or its error handled). */
const VALUE_KEEPING_METHODS = new Set(["expect", "unwrap", "unwrap_or_else", "unwrap_unchecked", "map_err", "context", "with_context", "wrap_err", "wrap_err_with", "ok", "inspect", "inspect_err", "or_else", "as_ref", "unwrap_or_default", "unwrap_or"]);
/** Result/Option combinators whose closure gets the success value. */
const SUCCESS_CLOSURE_METHODS = new Set(["and_then", "map", "inspect"]);
const ERROR_CLOSURE_METHODS = new Set(["unwrap_or_else", "map_err", "or_else", "inspect_err", "map_or_else"]);

export class RustFunctionWalker {
  private env = new Env();
  /** Ops whose result went into a variable that has not been tested yet. */
  private readonly pending = new Map<string, { type: IrOp["type"]; resultChecked: Tri; resultReturned?: boolean }[]>();
  /** Variables holding the result of a Landlock call, and how that call signals failure. */
  private readonly resultVars = new Map<string, ResultKind>();
  /** Variables holding a RestrictionStatus nobody has looked at yet. */
  private readonly statusVars = new Map<string, RestrictOp[]>();
  /** Parameters by name -> position (method receivers not counted, as at call sites). */
  private readonly parameterIndex = new Map<string, number>();
  /** Declared types of locals and parameters (`sb: &Sandbox` -> Sandbox). */
  private readonly types = new Map<string, string>();
  /** Tests that saw a Landlock result (by tag). */
  private readonly testedLandlock = new Set<number>();
  private nextTag = 1;
  private depth = 0;
  /** Set when the function hands back the running ABI. */
  returnsAbi = false;
  /** Set when the function hands back a rust-landlock builder. */
  returnedBuilder: { stage: "ruleset" | "created"; ruleset: RustRuleset } | undefined;

  constructor(
    private readonly file: RustFileContext,
    private readonly info: RustFunctionInfo,
    private readonly bodyNode: Node,
    parameters: Node | null,
  ) {
    if (parameters) this.declareParameters(parameters);
  }

  walk(): IrBlock {
    const out: IrBlock = [];
    this.block(this.bodyNode, out, { loop: 0, abiGuard: false }, this.info.returnsValue ? RETURN : DISCARD);
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // Parameters and scope

  private declareParameters(parameters: Node): void {
    let index = 0;
    for (const p of parameters.namedChildren) {
      if (p.type !== "parameter") continue;
      const pattern = p.childForFieldName("pattern");
      const type = p.childForFieldName("type");
      const name = pattern?.type === "identifier" ? pattern.text : pattern?.type === "mut_pattern" ? pattern.namedChild(0)?.text : undefined;
      if (name) this.parameterIndex.set(name, index);
      index++;
      if (!name || !type) continue;
      const typeText = type.text.replace(/\s+/g, "");
      const typeName = pathOf(typeText.startsWith("&") ? type.namedChildren.find((c) => c.type !== "mutable_specifier" && c.type !== "lifetime") ?? type : type);
      if (typeName) this.types.set(name, lastSegment(typeName));
      if (/\bRulesetCreated\b/.test(typeText)) this.env.set(name, { kind: "ll", stage: "created", ruleset: rulesetBuiltElsewhere(this.file.text) });
      else if (/\bRuleset\b/.test(typeText)) this.env.set(name, { kind: "ll", stage: "ruleset", ruleset: rulesetBuiltElsewhere(this.file.text) });
      else if (/\bABI\b/.test(typeText) && !/landlock_abi|abi_version/i.test(name)) this.env.set(name, { kind: "sym", sym: UNKNOWN });
    }
  }

  private scope(): EvalScope {
    const self = this;
    const scope: EvalScope = {
      ident(name, depth) {
        const fact = self.env.get(name);
        if (fact) return fact.kind === "sym" ? fact.sym : undefined;
        return self.constantValue(name, scope, depth);
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

  private constantValue(name: string, scope: EvalScope, depth: number): Sym | undefined {
    const last = lastSegment(name);
    const node = this.file.consts.get(name) ?? this.file.consts.get(last);
    if (node && depth < 24) return evaluate(rustExprOf(node), scope, depth + 1);
    const ll = landlockConstant(last);
    if (ll) return exact(ll.value);
    const libc = libcConstant(last);
    if (libc) return exact(libc.value);
    return undefined;
  }

  private isAbiValue(e: Expr): boolean {
    if (e.k === "id") {
      const fact = this.env.get(e.name);
      if (fact?.kind === "abi") return true;
      if (fact && (fact.kind !== "sym" || valueOf(fact.sym) !== undefined)) return false;
      return ABI_NAME.test(e.name) && !this.file.consts.has(e.name);
    }
    if (e.k === "call") {
      if (this.file.abiHelpers.has(e.callee) || this.file.abiHelpers.has(lastSegment(e.callee))) return true;
      const nr = this.syscallNumberOfExpr(e);
      if (nr === SYSCALL_CREATE_RULESET && e.args[3]) return ((evaluate(e.args[3], this.scope()).yes & CREATE_RULESET_VERSION) !== 0n);
      if (LANDLOCK_FUNCTIONS.get(lastSegment(e.callee)) === SYSCALL_CREATE_RULESET && e.args[2]) {
        return (evaluate(e.args[2], this.scope()).yes & CREATE_RULESET_VERSION) !== 0n;
      }
      return false;
    }
    if (e.k === "field") return ABI_NAME.test(e.field);
    return false;
  }

  private syscallNumberOfExpr(e: Expr & { k: "call" }): bigint | undefined {
    if (!pathEndsWith(this.resolve(e.callee), "libc::syscall") && !pathEndsWith(e.callee, "syscall")) return undefined;
    return e.args[0] ? valueOf(evaluate(e.args[0], this.scope())) : undefined;
  }

  private resolve(path: string): string {
    return this.file.imports.resolve(path, (candidate) => candidate.startsWith("libc::") || candidate.startsWith("nix::"));
  }

  private evalNode(node: Node | null | undefined): Sym {
    if (!node) return UNKNOWN;
    return evaluate(rustExprOf(node), this.scope());
  }

  // ------------------------------------------------------------------------------------------
  // Blocks and statements

  /** Walks a block; its tail expression gets `use`. Returns whether it cannot fall through, and the tail's fact. */
  private block(node: Node, out: IrBlock, pos: Pos, use: Use): { ended: boolean; fact?: Fact } {
    const statements = codeChildren(node);
    let ended = false;
    let fact: Fact | undefined;
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i]!;
      const isTail = i === statements.length - 1 && isExpressionNode(s);
      const startLength = out.length;
      if (isTail) {
        fact = this.expr(s, out, pos, use);
        if (use.k === "return") this.consumeReturned(fact);
        if (endsFlow(out)) ended = true;
      } else if (this.statement(s, out, pos)) ended = true;
      // `if let ForkResult::Parent { .. } = fork()? { exit(0) }`: the rest runs in the child.
      const childRest = this.continuesInChild(out, startLength);
      if (childRest && i + 1 < statements.length) {
        const body: IrBlock = [];
        const rest = statements.slice(i + 1);
        let restEnded = false;
        for (let j = 0; j < rest.length; j++) {
          const r = rest[j]!;
          if (j === rest.length - 1 && isExpressionNode(r)) {
            fact = this.expr(r, body, pos, use);
            if (endsFlow(body)) restEnded = true;
          } else if (this.statement(r, body, pos)) restEnded = true;
        }
        out.push({ kind: "child", how: childRest, body, range: spanRange(rest[0]!, rest[rest.length - 1]!) });
        return { ended: restEnded, fact };
      }
      if (ended) break;
    }
    return { ended, fact };
  }

  private readonly parentExitMarkers = new WeakMap<IrNode, string>();

  private continuesInChild(out: IrBlock, from: number): string | undefined {
    if (out.length !== from + 1) return undefined;
    const node = out[from]!;
    if (node.kind !== "branch" || node.exhaustive || node.arms.length !== 1) return undefined;
    return this.parentExitMarkers.get(node);
  }

  private limitsOfFile: WalkLimits | undefined;

  /**
   * Whether to walk into `node`: not when it is nested deeper than the walker follows (the
   * place is reported) or when the file's walk is out of time.
   */
  private enter(node: Node): boolean {
    return mayEnter((this.limitsOfFile ??= walkLimitsOf(this.file)), this.depth, MAX_DEPTH, () => nodeRange(node));
  }

  /** Walks a statement; returns true when it cannot fall through. */
  private statement(node: Node, out: IrBlock, pos: Pos): boolean {
    if (!this.enter(node)) return false;
    this.depth++;
    try {
      switch (node.type) {
        case "expression_statement": {
          const e = codeChildren(node)[0];
          if (e) this.expr(e, out, pos, DISCARD);
          return endsFlow(out);
        }
        case "let_declaration":
          return this.letDeclaration(node, out, pos);
        case "empty_statement":
        case "use_declaration":
        case "struct_item":
        case "enum_item":
        case "type_item":
        case "trait_item":
        case "impl_item":
        case "mod_item":
        case "macro_definition":
        case "extern_crate_declaration":
        case "foreign_mod_item":
        case "union_item":
          return false;
        case "function_item":
          this.nestedFunction(node);
          return false;
        case "const_item":
        case "static_item": {
          const name = node.childForFieldName("name")?.text;
          const value = node.childForFieldName("value");
          if (name && value) this.env.set(name, { kind: "sym", sym: this.evalNode(value) });
          return false;
        }
        default:
          if (isExpressionNode(node)) {
            this.expr(node, out, pos, DISCARD);
            return endsFlow(out);
          }
          for (const c of codeChildren(node)) {
            if (isExpressionNode(c)) this.expr(c, out, pos, OTHER);
            else this.statement(c, out, pos);
          }
          return false;
      }
    } finally {
      this.depth--;
    }
  }

  private nestedFunction(node: Node): void {
    const name = node.childForFieldName("name");
    const body = node.childForFieldName("body");
    if (!name || !body) return;
    const returnType = node.childForFieldName("return_type");
    const walker = new RustFunctionWalker(
      this.file,
      { name: name.text, isMain: false, returnsValue: !!returnType && returnType.text.trim() !== "()", privilegeDocumented: this.info.privilegeDocumented },
      body,
      node.childForFieldName("parameters"),
    );
    this.file.addFunction({ name: name.text, range: nodeRange(node), nameRange: nodeRange(name), isEntry: false, body: walker.walk() });
  }

  private letDeclaration(node: Node, out: IrBlock, pos: Pos): boolean {
    const pattern = node.childForFieldName("pattern");
    const value = node.childForFieldName("value");
    const type = node.childForFieldName("type");
    const alternative = node.childForFieldName("alternative");
    const name = patternName(pattern);
    if (name && type) {
      const t = pathOf(type.type === "reference_type" ? type.childForFieldName("type") : type);
      if (t) this.types.set(name, lastSegment(t));
    }
    if (!value) {
      if (name) this.env.set(name, undefined);
      return false;
    }
    if (alternative) {
      // `let Ok(status) = call() else { ... };`: the else block runs when the pattern fails.
      const tag = this.nextTag++;
      const fact = this.expr(value, out, pos, { k: "test", tag });
      const kind = pattern ? patternKind(pattern) : "other";
      const landlock = this.testedLandlock.has(tag);
      const before = this.env.clone();
      const body: IrBlock = [];
      this.block(alternative, body, pos, DISCARD);
      this.env = before;
      const cond: IrCond = landlock && kind === "ok" ? { kind: "error-path" } : { kind: "other", text: `let-else ${pattern?.text.slice(0, 80) ?? ""}` };
      out.push({ kind: "branch", arms: [{ cond, body }], exhaustive: false, preprocessor: false, range: nodeRange(alternative) });
      if (pattern) this.bindPattern(pattern, fact);
      return false;
    }
    if (name === "_" || pattern?.type === "_") {
      this.expr(value, out, pos, DISCARD);
      return endsInExit(out);
    }
    if (!name) {
      const fact = this.expr(value, out, pos, OTHER);
      if (pattern) this.bindPattern(pattern, fact);
      return endsInExit(out);
    }
    if (value.type === "closure_expression") {
      this.emitClosureFunction(name, value, node);
      return false;
    }
    this.pending.delete(name);
    this.resultVars.delete(name);
    this.statusVars.delete(name);
    const fact = this.expr(value, out, pos, { k: "assign", name });
    this.assignFact(name, value, fact);
    const typeName = this.typeOfValue(value);
    if (typeName && !this.types.has(name)) this.types.set(name, typeName);
    return endsInExit(out);
  }

  /** `Sandbox::new(..)` / `Sandbox { .. }` / `Sandbox::new(..)?` -> `Sandbox`. */
  private typeOfValue(value: Node): string | undefined {
    let v = value;
    while (v.type === "try_expression" || v.type === "await_expression") v = codeChildren(v)[0] ?? v;
    if (v.type === "struct_expression") {
      const n = pathOf(v.childForFieldName("name"));
      return n ? lastSegment(n) : undefined;
    }
    if (v.type !== "call_expression") return undefined;
    const path = pathOf(v.childForFieldName("function"));
    if (!path || !path.includes("::")) return undefined;
    const segments = path.split("::");
    const owner = segments[segments.length - 2]!;
    return /^[A-Z]/.test(owner) ? owner : undefined;
  }

  /** Records what a local variable holds after `name = value`. */
  private assignFact(name: string, valueNode: Node, fact: Fact | undefined): void {
    if (fact && fact.kind !== "sym") {
      this.env.set(name, fact);
      if (fact.kind === "status") this.statusVars.set(name, fact.ops);
      return;
    }
    const valueExpr = rustExprOf(valueNode);
    if (this.isAbiValue(valueExpr) || (valueExpr.k === "call" && ABI_NAME.test(name))) {
      this.env.set(name, { kind: "abi" });
      return;
    }
    this.env.set(name, { kind: "sym", sym: fact?.kind === "sym" ? fact.sym : evaluate(valueExpr, this.scope()) });
  }

  /** Variables a pattern binds from a value (`Ok(status)`, `ForkResult::Parent { child, .. }`). */
  private bindPattern(pattern: Node, fact: Fact | undefined): void {
    const inner = okInner(pattern);
    if (inner && fact?.kind === "status") {
      const name = patternName(inner);
      if (name && name !== "_") {
        this.env.set(name, fact);
        this.statusVars.set(name, fact.ops);
      }
      return;
    }
    if (fact?.kind === "fork" && /\bParent\b/.test(pattern.text)) {
      const child = /\bchild\b/.exec(pattern.text);
      if (child) this.env.set("child", { kind: "pid", origin: "other" });
    }
    for (const id of pattern.descendantsOfType("identifier")) {
      if (!this.env.get(id.text) || id.text === "child") continue;
      this.env.set(id.text, undefined);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Expressions

  private expr(node: Node, out: IrBlock, pos: Pos, use: Use): Fact | undefined {
    if (!this.enter(node)) return undefined;
    this.depth++;
    try {
      return this.exprInner(node, out, pos, use);
    } finally {
      this.depth--;
    }
  }

  private exprInner(node: Node, out: IrBlock, pos: Pos, use: Use): Fact | undefined {
    switch (node.type) {
      case "call_expression":
        return this.call(node, out, pos, use);
      case "macro_invocation":
        return this.macro(node, out, pos);
      case "try_expression":
        return this.tryExpression(node, out, pos);
      case "identifier": {
        this.readVar(node.text, use);
        const fact = this.env.get(node.text);
        if (fact) return fact;
        const value = this.constantValue(node.text, this.scope(), 0);
        return value ? { kind: "sym", sym: value } : undefined;
      }
      case "scoped_identifier": {
        const path = pathOf(node);
        if (!path) return undefined;
        const e = pathExpr(path);
        const v = evaluate(e, this.scope());
        return valueOf(v) !== undefined ? { kind: "sym", sym: v } : undefined;
      }
      case "integer_literal":
      case "boolean_literal": {
        const v = this.evalNode(node);
        return { kind: "sym", sym: v };
      }
      case "parenthesized_expression":
      case "reference_expression":
      case "type_cast_expression":
      case "await_expression": {
        const inner = node.childForFieldName("value") ?? codeChildren(node).filter((c) => c.type !== "mutable_specifier" && !isTypeNode(c)).pop();
        return inner ? this.expr(inner, out, pos, use) : undefined;
      }
      case "unary_expression": {
        const arg = codeChildren(node)[0];
        const op = node.child(0)?.text;
        if (!arg) return undefined;
        const fact = this.expr(arg, out, pos, op === "!" ? tagged(use) : op === "*" ? use : OTHER);
        if (op === "*") return fact;
        return undefined;
      }
      case "unsafe_block": {
        const block = codeChildren(node).find((c) => c.type === "block");
        if (!block) return undefined;
        const r = this.block(block, out, pos, use);
        return r.fact;
      }
      case "block":
      case "async_block": {
        const block = node.type === "block" ? node : codeChildren(node).find((c) => c.type === "block");
        if (!block) return undefined;
        return this.block(block, out, pos, use).fact;
      }
      case "if_expression":
        return this.ifExpression(node, out, pos, use);
      case "match_expression":
        return this.matchExpression(node, out, pos, use);
      case "loop_expression":
      case "while_expression":
      case "for_expression":
        this.loop(node, out, pos);
        return undefined;
      case "return_expression": {
        const value = codeChildren(node)[0];
        if (value) {
          const fact = this.expr(value, out, pos, RETURN);
          this.consumeReturned(fact);
          if (fact?.kind === "abi" || this.isAbiValue(rustExprOf(value))) this.returnsAbi = true;
        }
        out.push({ kind: "exit", range: nodeRange(node), leaves: "function" });
        return undefined;
      }
      case "break_expression":
      case "continue_expression": {
        for (const c of codeChildren(node)) if (c.type !== "label") this.expr(c, out, pos, OTHER);
        if (node.type === "break_expression") this.breaks.add(out);
        return undefined;
      }
      case "closure_expression":
        this.callbackClosure(node, use.k === "arg" ? use.callee : "a callback", out, pos);
        return undefined;
      case "binary_expression":
        return this.binary(node, out, pos, use);
      case "assignment_expression":
        this.assignment(node, out, pos);
        return undefined;
      case "compound_assignment_expr":
        this.compoundAssignment(node, out, pos);
        return undefined;
      case "struct_expression":
        return this.structExpression(node, out, pos);
      case "field_expression": {
        const obj = node.childForFieldName("value");
        if (!obj) return undefined;
        const fact = this.expr(obj, out, pos, use.k === "discard" ? OTHER : use);
        if (fact?.kind === "status") this.examineStatus(fact);
        return undefined;
      }
      case "string_literal":
      case "raw_string_literal":
      case "char_literal":
      case "float_literal":
      case "unit_expression":
      case "self":
      case "line_comment":
      case "block_comment":
        return undefined;
      default:
        for (const c of codeChildren(node)) {
          if (isExpressionNode(c)) this.expr(c, out, pos, OTHER);
          else if (isStatementNode(c)) this.statement(c, out, pos);
        }
        return undefined;
    }
  }

  private binary(node: Node, out: IrBlock, pos: Pos, use: Use): Fact | undefined {
    const op = node.childForFieldName("operator")?.text ?? "";
    const l = node.childForFieldName("left");
    const r = node.childForFieldName("right");
    const isTest = ["==", "!=", "<", ">", "<=", ">=", "&&", "||"].includes(op);
    const operandUse: Use = isTest ? tagged(use) : OTHER;
    if (l) this.expr(l, out, pos, operandUse);
    if (r) {
      if (op === "&&" || op === "||") {
        const body: IrBlock = [];
        this.expr(r, body, pos, operandUse);
        if (body.length) {
          const text = `${op === "&&" ? "" : "!"}(${l?.text ?? ""})`.slice(0, 160);
          out.push({ kind: "branch", arms: [{ cond: { kind: "other", text }, body }], exhaustive: false, preprocessor: false, range: nodeRange(r) });
        }
      } else this.expr(r, out, pos, operandUse);
    }
    if (!isTest && !/^[+\-*/%]$/.test(op)) {
      const v = this.evalNode(node);
      return { kind: "sym", sym: v };
    }
    return undefined;
  }

  private assignment(node: Node, out: IrBlock, pos: Pos): void {
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    if (!left || !right) return;
    const target = left.type === "identifier" ? left.text : undefined;
    if (target && right.type === "closure_expression") {
      this.emitClosureFunction(target, right, node);
      return;
    }
    if (target) {
      this.pending.delete(target);
      this.resultVars.delete(target);
      this.statusVars.delete(target);
      const fact = this.expr(right, out, pos, { k: "assign", name: target });
      this.assignFact(target, right, fact);
      return;
    }
    const fact = this.expr(right, out, pos, OTHER);
    if (fact?.kind === "status") this.examineStatus(fact);
    this.assignField(left, "=", right, pos);
    if (left.type !== "field_expression") this.expr(left, out, pos, OTHER);
  }

  private compoundAssignment(node: Node, out: IrBlock, pos: Pos): void {
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    const op = node.childForFieldName("operator")?.text ?? node.children.find((c) => !c.isNamed && /=$/.test(c.type))?.text ?? "";
    if (!left || !right) return;
    this.expr(right, out, pos, OTHER);
    if (left.type === "field_expression") {
      this.assignField(left, op, right, pos);
      return;
    }
    if (left.type !== "identifier") return;
    const current = this.env.get(left.text);
    if (current && current.kind !== "sym") return;
    const currentSym = current?.kind === "sym" ? current.sym : UNKNOWN;
    const valueExpr = rustExprOf(right);
    const rhs = evaluate(valueExpr, this.scope());
    let next: Sym;
    if (op === "|=") next = or(currentSym, rhs);
    else if (op === "&=") {
      const mask = valueExpr.k === "un" && valueExpr.op === "~" ? valueOf(evaluate(valueExpr.e, this.scope())) : undefined;
      next = mask !== undefined ? clear(currentSym, mask) : and(currentSym, rhs);
    } else next = UNKNOWN;
    this.env.set(left.text, { kind: "sym", sym: next });
  }

  /** `attr.scoped = ...`, `attr.handled_access_fs &= !X` on a raw ruleset attr. */
  private assignField(left: Node, op: string, right: Node, pos: Pos): void {
    const obj = left.childForFieldName("value");
    const field = left.childForFieldName("field")?.text;
    const word = field ? attrFieldOf(field) : undefined;
    if (obj?.type !== "identifier" || !word) return;
    const fact = this.env.get(obj.text);
    if (fact?.kind !== "attr") return;
    const attr = { ...fact.attr };
    const valueExpr = rustExprOf(right);
    const rhs = evaluate(valueExpr, this.scope());
    const mentionsAbi = [...identifiersOf(valueExpr)].some((id) => this.isAbiValue({ k: "id", name: id }));
    if (op === "=") attr[word] = rhs;
    else if (op === "|=") attr[word] = or(attr[word], rhs);
    else if (op === "&=") {
      const mask = valueExpr.k === "un" && valueExpr.op === "~" ? valueOf(evaluate(valueExpr.e, this.scope())) : undefined;
      attr[word] = mask !== undefined ? clear(attr[word], mask) : and(attr[word], rhs);
    } else attr[word] = UNKNOWN;
    if ((op !== "|=" && pos.abiGuard) || mentionsAbi) attr.masked = true;
    this.env.set(obj.text, { kind: "attr", attr });
  }

  /** A raw `landlock_ruleset_attr { handled_access_fs: .., scoped: .. }`; other structs are walked. */
  private structExpression(node: Node, out: IrBlock, pos: Pos): Fact | undefined {
    const name = pathOf(node.childForFieldName("name")) ?? "";
    const body = node.childForFieldName("body");
    const fields = body ? body.namedChildren.filter((c) => c.type === "field_initializer" || c.type === "shorthand_field_initializer") : [];
    const attrLike = /ruleset_?attr/i.test(name) || (fields.length > 0 && fields.every((f) => f.type === "field_initializer" && !!attrFieldOf(f.childForFieldName("field")?.text ?? "")));
    if (!attrLike) {
      for (const c of body ? codeChildren(body) : []) {
        const value = c.childForFieldName("value") ?? (c.type === "base_field_initializer" ? codeChildren(c)[0] : undefined);
        if (value) {
          const fact = this.expr(value, out, pos, OTHER);
          if (fact?.kind === "status") this.examineStatus(fact);
        }
      }
      return undefined;
    }
    const attr = freshAttr();
    for (const f of fields) {
      if (f.type !== "field_initializer") continue;
      const word = attrFieldOf(f.childForFieldName("field")?.text ?? "");
      const value = f.childForFieldName("value");
      if (!word || !value) continue;
      attr[word] = this.evalNode(value);
      const mentionsAbi = [...identifiersOf(rustExprOf(value))].some((id) => this.isAbiValue({ k: "id", name: id }));
      if (mentionsAbi) attr.masked = true;
    }
    if (pos.abiGuard) attr.masked = true;
    return { kind: "attr", attr };
  }

  private tryExpression(node: Node, out: IrBlock, pos: Pos): Fact | undefined {
    const inner = codeChildren(node)[0];
    if (!inner) return undefined;
    const before = out.length;
    const tag = this.nextTag++;
    const fact = this.expr(inner, out, pos, { k: "try", tag });
    if (out.length > before) {
      // `?` returns the error to the caller: the failure path leaves the function here.
      const exit: IrNode = { kind: "exit", range: nodeRange(node), leaves: this.info.isMain ? "process" : "function" };
      const cond: IrCond = this.testedLandlock.has(tag) ? { kind: "error-path" } : { kind: "other", text: `${inner.text.replace(/\s+/g, " ").slice(0, 120)} failed (?)` };
      out.push({ kind: "branch", arms: [{ cond, body: [exit] }], exhaustive: false, preprocessor: false, range: nodeRange(node) });
    }
    return fact;
  }

  // ------------------------------------------------------------------------------------------
  // Control flow

  private ifExpression(node: Node, out: IrBlock, pos: Pos, use: Use): Fact | undefined {
    const condNode = node.childForFieldName("condition");
    const consequence = node.childForFieldName("consequence");
    const alternative = node.childForFieldName("alternative");
    const cond = condNode ? this.condition(condNode, out, pos) : undefined;
    const facts = cond?.facts;
    const before = this.env;

    this.env = before.clone();
    cond?.bindThen?.();
    const thenBody: IrBlock = [];
    const thenPos = { ...pos, abiGuard: pos.abiGuard || !!facts?.thenAbi };
    if (facts?.privileged?.side === "then") thenBody.push(capOp(facts.privileged.api, condNode!));
    const thenResult = consequence ? this.block(consequence, thenBody, thenPos, use) : { ended: false };
    const thenOut = this.env;

    let elseBody: IrBlock | undefined;
    let elseEnded = false;
    let elseOut = before;
    const elseNode = alternative?.type === "else_clause" ? codeChildren(alternative)[0] : alternative;
    if (elseNode) {
      this.env = before.clone();
      elseBody = [];
      const elsePos = { ...pos, abiGuard: pos.abiGuard || !!facts?.elseAbi };
      if (facts?.privileged?.side === "else") elseBody.push(capOp(facts.privileged.api, condNode!));
      if (elseNode.type === "block") elseEnded = this.block(elseNode, elseBody, elsePos, use).ended;
      else {
        this.expr(elseNode, elseBody, elsePos, use);
        elseEnded = endsInExit(elseBody) || lastBranchEnds(elseBody);
      }
      elseOut = this.env;
    }
    const thenEnded = thenResult.ended;
    const incoming: Incoming[] = [];
    if (!thenEnded) incoming.push(withAbi(thenOut, facts?.thenAbi));
    if (!elseEnded) incoming.push(withAbi(elseOut, facts?.elseAbi));
    this.env = incoming.length ? joinEnvs(incoming) : before;

    this.noteSuccessBreak(facts, thenBody, elseBody, pos);
    const wrap = (side: "then" | "else", body: IrBlock, stmt: Node | null | undefined): IrBlock =>
      facts?.child?.side === side && stmt ? [{ kind: "child", how: facts.child.how, body, range: nodeRange(stmt) }] : body;
    const arms = [{ cond: facts?.thenCond, body: wrap("then", thenBody, consequence) }];
    if (elseBody) arms.push({ cond: facts?.elseCond, body: wrap("else", elseBody, elseNode) });
    const branch: IrNode = { kind: "branch", arms: arms.map(cleanArm), exhaustive: !!elseBody, preprocessor: false, range: nodeRange(node) };
    out.push(branch);
    if (!elseBody && facts?.child?.side === "else" && thenEnded) this.parentExitMarkers.set(branch, facts.child.how);
    // `if !has_cap(CAP_SYS_ADMIN) { return }`: what follows runs privileged.
    if (!elseBody && facts?.privileged?.side === "else" && thenEnded) out.push(capOp(facts.privileged.api, condNode!));
    return undefined;
  }

  /** A success arm of a Landlock result test that breaks out of the loop: the loop repeats only failures. */
  private noteSuccessBreak(facts: ConditionFacts | undefined, thenBody: IrBlock, elseBody: IrBlock | undefined, pos: Pos): void {
    if (!pos.loopInfo || !facts) return;
    if (facts.thenCond?.kind === "error-path" && elseBody && this.breaks.has(elseBody)) pos.loopInfo.breaksOnSuccess = true;
    if (facts.elseCond?.kind === "error-path" && this.breaks.has(thenBody)) pos.loopInfo.breaksOnSuccess = true;
  }

  /** Blocks that end in a `break` (recorded while walking them). */
  private readonly breaks = new WeakSet<IrBlock>();

  private condition(
    condNode: Node,
    out: IrBlock,
    pos: Pos,
  ): { facts: ConditionFacts; bindThen?: () => void } | undefined {
    if (condNode.type === "let_condition") return this.letCondition(condNode, out, pos);
    if (condNode.type === "let_chain") {
      let first: { facts: ConditionFacts; bindThen?: () => void } | undefined;
      const binds: (() => void)[] = [];
      for (const c of codeChildren(condNode)) {
        const r: { facts: ConditionFacts; bindThen?: () => void } = c.type === "let_condition" ? this.letCondition(c, out, pos) : this.plainCondition(c, out, pos);
        if (r?.bindThen) binds.push(r.bindThen);
        first ??= r;
      }
      const text = condNode.text.replace(/\s+/g, " ").slice(0, 160);
      const thenCond: IrCond = first?.facts.thenCond && first.facts.thenCond.kind !== "other" ? first.facts.thenCond : { kind: "other", text };
      return { facts: { thenCond, elseCond: { kind: "other", text: `!(${text})` } }, bindThen: () => binds.forEach((b) => b()) };
    }
    return this.plainCondition(condNode, out, pos);
  }

  private plainCondition(condNode: Node, out: IrBlock, pos: Pos): { facts: ConditionFacts } {
    const tag = this.nextTag++;
    this.expr(condNode, out, pos, { k: "test", tag });
    return { facts: this.conditionFacts(rustExprOf(condNode), condNode.text) };
  }

  private conditionFacts(e: Expr, text: string): ConditionFacts {
    return analyzeCondition(e, text, {
      scope: this.scope(),
      landlockResult: (x) => this.landlockResultKind(x),
      forkResult: (x) => this.forkResult(x),
      isCapFlag: (name) => /sys_?admin/i.test(name),
      privilegeDocumented: this.info.privilegeDocumented,
    });
  }

  /** `if let PATTERN = value`: error paths, fork child arms, and the variables the pattern binds. */
  private letCondition(node: Node, out: IrBlock, pos: Pos): { facts: ConditionFacts; bindThen?: () => void } {
    const pattern = node.childForFieldName("pattern");
    const value = node.childForFieldName("value");
    const tag = this.nextTag++;
    const fact = value ? this.expr(value, out, pos, { k: "test", tag }) : undefined;
    const text = `let ${pattern?.text ?? "_"} = ${value?.text ?? ""}`.replace(/\s+/g, " ").slice(0, 160);
    const facts: ConditionFacts = { thenCond: { kind: "other", text }, elseCond: { kind: "other", text: `!(${text})` } };
    const kind = pattern ? patternKind(pattern) : "other";
    if (this.testedLandlock.has(tag)) {
      if (kind === "err") facts.thenCond = { kind: "error-path" };
      if (kind === "ok") facts.elseCond = { kind: "error-path" };
    }
    if (fact?.kind === "fork") {
      if (kind === "child") facts.child = { side: "then", how: fact.how };
      else if (kind === "parent") facts.child = { side: "else", how: fact.how };
    }
    return { facts, ...(pattern ? { bindThen: () => this.bindPattern(pattern, fact) } : {}) };
  }

  private matchExpression(node: Node, out: IrBlock, pos: Pos, use: Use): Fact | undefined {
    const value = node.childForFieldName("value");
    const body = node.childForFieldName("body");
    const tag = this.nextTag++;
    const fact = value ? this.expr(value, out, pos, { k: "test", tag }) : undefined;
    const armNodes = body ? body.namedChildren.filter((c) => c.type === "match_arm") : [];
    // Matching on the status's fields or variants looks at it; `Ok(_) => {}` does not.
    if (fact?.kind === "status" && armNodes.some((a) => /Enforced|RestrictionStatus|ruleset\s*:/.test(a.childForFieldName("pattern")?.text ?? ""))) this.examineStatus(fact);
    const landlock = this.testedLandlock.has(tag);
    const subject = value ? rustExprOf(value) : undefined;
    const forkPid = subject ? this.forkResult(subject) : undefined;
    const onAbi = !!subject && this.isAbiValue(subject);
    const before = this.env;
    const arms: { cond?: IrCond; body: IrBlock }[] = [];
    const incoming: Incoming[] = [];
    let resultFact: Fact | undefined;
    for (const arm of armNodes) {
      const patternNode = arm.childForFieldName("pattern");
      const armValue = arm.childForFieldName("value");
      const pattern = patternNode?.namedChildren.find((c) => !isComment(c) && c.id !== patternNode.childForFieldName("condition")?.id) ?? patternNode;
      const guard = patternNode?.childForFieldName("condition");
      this.env = before.clone();
      const armBody: IrBlock = [];
      if (guard) this.expr(guard, armBody, pos, { k: "test" });
      if (pattern) this.bindPattern(pattern, fact);
      const kind = pattern ? patternKind(pattern) : "other";
      let cond: IrCond;
      let child: string | undefined;
      if (fact?.kind === "fork" && kind === "child") child = fact.how;
      else if (forkPid && pattern && pattern.text.trim() === "0") child = forkPid;
      if (landlock && kind === "err" && !guard) cond = { kind: "error-path" };
      else if (onAbi && pattern && /^\d+$/.test(pattern.text.trim()) && Number(pattern.text) > 1) cond = { kind: "abi-at-least", abi: Number(pattern.text), negated: false };
      else cond = { kind: "other", text: `${pattern?.text.replace(/\s+/g, " ").slice(0, 120) ?? "_"}${guard ? " if ..." : ""}` };
      const armPos = { ...pos, abiGuard: pos.abiGuard || cond.kind === "abi-at-least" };
      let ended = false;
      if (armValue) {
        if (armValue.type === "block") {
          const r = this.block(armValue, armBody, armPos, use);
          ended = r.ended;
          resultFact ??= r.fact;
        } else {
          const f = this.expr(armValue, armBody, armPos, use);
          resultFact ??= f;
          ended = endsInExit(armBody);
        }
      }
      arms.push({ cond, body: child ? [{ kind: "child", how: child, body: armBody, range: nodeRange(arm) }] : armBody });
      if (!ended) incoming.push({ env: this.env });
      if (pos.loopInfo && landlock && kind === "ok" && this.breaks.has(armBody)) pos.loopInfo.breaksOnSuccess = true;
    }
    this.env = incoming.length ? joinEnvs(incoming) : before;
    out.push({ kind: "branch", arms, exhaustive: armNodes.length > 0, preprocessor: false, range: nodeRange(node) });
    return resultFact;
  }

  private loop(node: Node, out: IrBlock, pos: Pos): void {
    const before = this.env.clone();
    const body: IrBlock = [];
    const loopInfo = { breaksOnSuccess: false };
    const inner: Pos = { ...pos, loop: pos.loop + 1, loopInfo };
    let condition: Node | undefined;
    let maxIterations: number | undefined;
    const bodyNode = node.childForFieldName("body");
    switch (node.type) {
      case "while_expression": {
        const c = node.childForFieldName("condition");
        if (c) {
          const r = this.condition(c, body, inner);
          r?.bindThen?.();
          if (c.type !== "let_condition" && c.type !== "let_chain") condition = c;
          if (condition && valueOf(this.evalNode(condition)) === 0n) maxIterations = 0;
        }
        break;
      }
      case "for_expression": {
        const value = node.childForFieldName("value");
        if (value) {
          this.expr(value, out, pos, OTHER);
          maxIterations = this.iterationBound(value);
        }
        const pattern = node.childForFieldName("pattern");
        if (pattern) for (const id of pattern.descendantsOfType("identifier")) this.env.set(id.text, undefined);
        if (pattern?.type === "identifier") this.env.set(pattern.text, undefined);
        break;
      }
      default:
        break;
    }
    if (bodyNode) this.block(bodyNode, body, inner, DISCARD);
    const loopNode: IrNode = { kind: "loop", body, range: nodeRange(node) };
    if (maxIterations !== undefined) loopNode.maxIterations = maxIterations;
    if (loopInfo.breaksOnSuccess || (condition && conditionImpliesFailure(rustExprOf(condition), (e) => this.landlockResultKind(e), this.scope()))) {
      loopNode.repeatCond = { kind: "error-path" };
    }
    this.env = joinEnvs([{ env: before }, { env: this.env }]);
    out.push(loopNode);
  }

  /** Rounds of `for x in 0..3`, `for p in ["/usr", "/etc"]`, `for p in &[a, b]`. */
  private iterationBound(value: Node): number | undefined {
    let v = value;
    if (v.type === "reference_expression") v = v.childForFieldName("value") ?? v;
    if (v.type === "array_expression") {
      const items = codeChildren(v);
      const semicolon = v.children.some((c) => c.type === ";");
      if (semicolon) {
        const n = valueOf(this.evalNode(items[1]));
        return n !== undefined && n <= 1_000_000n ? Number(n) : undefined;
      }
      return items.length;
    }
    if (v.type === "range_expression") {
      const parts = codeChildren(v);
      if (parts.length !== 2) return undefined;
      const a = valueOf(this.evalNode(parts[0]));
      const b = valueOf(this.evalNode(parts[1]));
      if (a === undefined || b === undefined) return undefined;
      const inclusive = v.children.some((c) => c.type === "..=");
      const n = signed(b) - signed(a) + (inclusive ? 1n : 0n);
      return n < 0n ? 0 : n > 1_000_000n ? undefined : Number(n);
    }
    return undefined;
  }

  // ------------------------------------------------------------------------------------------
  // Macros

  private macro(node: Node, out: IrBlock, pos: Pos): Fact | undefined {
    const name = lastSegment(pathOf(node.childForFieldName("macro")) ?? "");
    const tree = codeChildren(node).find((c) => c.type === "token_tree");
    const range = nodeRange(node);
    if (PANIC_MACROS.has(name)) {
      if (tree) this.macroArgs(tree, out, pos, () => OTHER);
      out.push({ kind: "exit", range, leaves: "process" });
      return undefined;
    }
    if (BAIL_MACROS.has(name)) {
      if (tree) this.macroArgs(tree, out, pos, () => OTHER);
      out.push({ kind: "exit", range, leaves: this.info.isMain ? "process" : "function" });
      return undefined;
    }
    if ((ASSERT_MACROS.has(name) || ENSURE_MACROS.has(name)) && tree) {
      // The condition must hold; the failing side ends the process (assert) or the function (ensure).
      let condText = "";
      let condExpr: Expr | undefined;
      const parsed = this.file.macros.withArguments(tree, (args) => {
        const tested = name === "assert_eq" || name === "assert_ne" ? args.slice(0, 2) : args.slice(0, 1);
        for (const a of args) this.expr(a, out, pos, tested.includes(a) ? { k: "test" } : OTHER);
        if (name === "assert" || name === "ensure") {
          if (args[0]) {
            condExpr = rustExprOf(args[0]);
            condText = args[0].text;
          }
        } else if (args[0] && args[1]) {
          condExpr = { k: "bin", op: name === "assert_ne" ? "!=" : "==", l: rustExprOf(args[0]), r: rustExprOf(args[1]) };
          condText = `${args[0].text} ${name === "assert_ne" ? "!=" : "=="} ${args[1].text}`;
        }
      });
      if (parsed && condExpr) {
        const facts = this.conditionFacts(condExpr, condText);
        const exit: IrNode = { kind: "exit", range, leaves: ASSERT_MACROS.has(name) || this.info.isMain ? "process" : "function" };
        out.push({ kind: "branch", arms: [cleanArm({ cond: facts.elseCond, body: [exit] })], exhaustive: false, preprocessor: false, range });
      }
      this.readNamesIn(tree);
      return undefined;
    }
    if (EXPRESSION_MACROS.has(name) && tree) {
      this.macroArgs(tree, out, pos, () => (name === "matches" ? { k: "test" } : OTHER));
      this.readNamesIn(tree);
      return undefined;
    }
    if (tree) this.readNamesIn(tree);
    return undefined;
  }

  private macroArgs(tree: Node, out: IrBlock, pos: Pos, useOf: (i: number) => Use): void {
    this.file.macros.withArguments(tree, (args) => args.forEach((a, i) => {
      const fact = this.expr(a, out, pos, useOf(i));
      if (fact?.kind === "status") this.examineStatus(fact);
    }));
  }

  /** Identifiers (and `{name}` format captures) in a macro's tokens count as reads of those variables. */
  private readNamesIn(tree: Node): void {
    const names = new Set<string>();
    for (const id of tree.descendantsOfType("identifier")) names.add(id.text);
    for (const s of tree.descendantsOfType("string_literal")) for (const m of s.text.matchAll(/\{([A-Za-z_]\w*)[:}]/g)) names.add(m[1]!);
    for (const name of names) {
      const status = this.statusVars.get(name);
      if (status) this.examineStatus({ kind: "status", ops: status });
      if (this.pending.has(name)) this.readVar(name, { k: "test" });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Result checking

  private resultFor(use: Use, op: { type: IrOp["type"]; resultChecked: Tri; resultReturned?: boolean }): Tri {
    // A tagged test remembers that it looked at a Landlock result (its failure arm is an error path).
    const landlock = op.type !== "call";
    switch (use.k) {
      case "return":
        op.resultReturned = true;
        return "yes";
      case "try":
        // `?` hands the error to the caller, who decides (main: the process exits with it).
        if (use.tag !== undefined && landlock) this.testedLandlock.add(use.tag);
        op.resultReturned = true;
        return "yes";
      case "test":
        if (use.tag !== undefined && landlock) this.testedLandlock.add(use.tag);
        return "yes";
      case "discard":
        return "no";
      case "arg":
        return /^(?:drop|mem::drop|std::mem::drop)$/.test(use.callee) ? "no" : "maybe";
      case "assign": {
        const list = this.pending.get(use.name) ?? [];
        list.push(op);
        this.pending.set(use.name, list);
        return "no";
      }
      default:
        return "maybe";
    }
  }

  /** A read of a variable: settles the ops whose result it holds, and looks at a status it holds. */
  private readVar(name: string, use: Use): void {
    const status = this.statusVars.get(name);
    if (status && use.k !== "discard") this.examineStatus({ kind: "status", ops: status });
    const list = this.pending.get(name);
    if (!list) return;
    const landlock = list.some((op) => op.type !== "call");
    if (use.k === "return" || use.k === "try") {
      if (use.k === "try" && use.tag !== undefined && landlock) this.testedLandlock.add(use.tag);
      for (const op of list) {
        op.resultReturned = true;
        op.resultChecked = "yes";
      }
      this.pending.delete(name);
    } else if (use.k === "test") {
      if (use.tag !== undefined && landlock) this.testedLandlock.add(use.tag);
      for (const op of list) op.resultChecked = "yes";
      this.pending.delete(name);
    } else if (use.k === "arg" && /^(?:drop|mem::drop|std::mem::drop)$/.test(use.callee)) {
      return;
    } else if (use.k !== "discard") {
      for (const op of list) if (op.resultChecked === "no") op.resultChecked = "maybe";
    }
  }

  private noteResultVar(use: Use, kind: ResultKind): void {
    if (use.k === "assign") this.resultVars.set(use.name, kind);
  }

  /** The code looks at the RestrictionStatus (or hands it on): it is not ignored. */
  private examineStatus(fact: Fact | undefined): void {
    if (fact?.kind !== "status") return;
    for (const op of fact.ops) delete op.statusIgnored;
    for (const [name, ops] of this.statusVars) if (ops.some((o) => fact.ops.includes(o))) this.statusVars.delete(name);
  }

  private consumeReturned(fact: Fact | undefined): void {
    if (!fact) return;
    if (fact.kind === "abi") this.returnsAbi = true;
    if (fact.kind === "status") this.examineStatus(fact);
    if (fact.kind === "ll") this.returnedBuilder = { stage: fact.stage, ruleset: cloneRuleset(fact.ruleset) };
  }

  private landlockResultKind(e: Expr): ResultKind | undefined {
    if (e.k === "id") return this.resultVars.get(e.name);
    if (e.k !== "call") return undefined;
    const nr = this.syscallNumberOfExpr(e);
    if (nr === SYSCALL_CREATE_RULESET) return "nonneg-ok";
    if (nr === SYSCALL_ADD_RULE || nr === SYSCALL_RESTRICT_SELF) return "zero-ok";
    const fn = LANDLOCK_FUNCTIONS.get(lastSegment(e.callee));
    if (fn !== undefined) return fn === SYSCALL_CREATE_RULESET ? "nonneg-ok" : "zero-ok";
    if (/\.(?:restrict_self|add_rules?|create|apply)$/.test(e.callee) && this.file.usesRustLandlock) return "zero-ok";
    const resolved = this.resolve(e.callee);
    if (pathEndsWith(resolved, "libc::prctl") && e.args[0] && valueOf(evaluate(e.args[0], this.scope())) === PR_SET_NO_NEW_PRIVS) return "zero-ok";
    if (this.file.abiHelpers.has(e.callee)) return "nonneg-ok";
    if (this.isRestrictWrapper(e.callee)) return "zero-ok";
    return undefined;
  }

  private forkResult(e: Expr): string | undefined {
    if (e.k === "call") {
      const resolved = this.resolve(e.callee);
      if (matchesAny(resolved, ["libc::fork", "libc::vfork"])) return lastSegment(resolved);
      return undefined;
    }
    if (e.k === "id") {
      const fact = this.env.get(e.name);
      if (fact?.kind === "fork" && fact.shape === "pid") return fact.how;
    }
    return undefined;
  }

  private isRestrictWrapper(name: string): boolean {
    const wrappers = this.file.settings.restrictWrappers;
    return wrappers.length > 0 && (wrappers.includes(name) || wrappers.includes(lastSegment(name)));
  }

  // ------------------------------------------------------------------------------------------
  // Calls

  private call(node: Node, out: IrBlock, pos: Pos, use: Use): Fact | undefined {
    let fnNode = node.childForFieldName("function");
    const argsNode = node.childForFieldName("arguments");
    const args = argsNode ? codeChildren(argsNode) : [];
    if (!fnNode) {
      for (const a of args) this.expr(a, out, pos, OTHER);
      return undefined;
    }
    if (fnNode.type === "generic_function" && fnNode.childForFieldName("function")?.type === "field_expression") fnNode = fnNode.childForFieldName("function")!;
    if (fnNode.type === "field_expression") return this.methodCall(node, fnNode, args, out, pos, use);
    const written = pathOf(fnNode);
    if (!written) {
      // A closure or a function value: walk what is there.
      if (fnNode.type === "closure_expression") {
        const body = fnNode.childForFieldName("body");
        for (const a of args) this.expr(a, out, pos, OTHER);
        if (body) this.expr(body, out, pos, use);
        return undefined;
      }
      this.expr(fnNode, out, pos, OTHER);
      for (const a of args) this.expr(a, out, pos, OTHER);
      return undefined;
    }
    const callee: Callee = { written, path: this.resolve(written) };
    return this.pathCall(node, fnNode, callee, args, out, pos, use);
  }

  /** Walks arguments as arguments of `callee`; returns their facts. */
  private walkArgs(args: Node[], out: IrBlock, pos: Pos, callee: string): (Fact | undefined)[] {
    return args.map((a) => {
      const fact = this.expr(a, out, pos, { k: "arg", callee });
      if (fact?.kind === "status") this.examineStatus(fact);
      return fact;
    });
  }

  private pathCall(node: Node, fnNode: Node, callee: Callee, args: Node[], out: IrBlock, pos: Pos, use: Use): Fact | undefined {
    const path = callee.path;
    const range = nodeRange(node);
    const last = lastSegment(path);

    // rust-landlock entry points.
    if ((pathEndsWith(path, "Ruleset::default") || pathEndsWith(path, "Ruleset::new")) && this.landlockPath(path)) {
      return { kind: "ll", stage: "ruleset", ruleset: freshRuleset() };
    }
    if ((pathEndsWith(path, "RestrictSelf::default") || pathEndsWith(path, "RestrictSelf::new")) && this.landlockPath(path)) {
      return { kind: "ll-restrict-self", logSubdomainsOff: false };
    }

    // Threads, pools and runtimes.
    const spawn = THREAD_SPAWNS.find((s) => pathEndsWith(path, s.name));
    if (spawn && args[0]) {
      this.threadStart(spawn.mechanism, spawn.count, args[0], args.slice(1), node, out, pos);
      return undefined;
    }
    if (path.startsWith("tokio::fs::") && !this.file.definedNames.has(last)) {
      // tokio's file system calls run on the runtime's blocking pool, even on a current-thread runtime.
      this.walkArgs(args, out, pos, path);
      out.push({ kind: "op", op: { type: "spawn", mechanism: `${path} (runs on tokio's blocking pool)`, count: "many", range } });
      return undefined;
    }
    if (pathEndsWith(path, "task::block_in_place") && args[0]) {
      out.push({ kind: "op", op: { type: "spawn", mechanism: "tokio::task::block_in_place (needs a multi-thread runtime)", count: "many", range } });
      this.inlineClosure(args[0], out, pos, use);
      return undefined;
    }
    const scope = SCOPES.find((s) => pathEndsWith(path, s.name));
    if (scope && args[0]) {
      this.scopeCall(scope.how, scope.onPool, args[0], node, out, pos);
      return undefined;
    }
    const task = TASK_SPAWNS.find((t) => pathEndsWith(path, t.name));
    if (task && args[0]) {
      this.taskSpawn(path, task.runtime === "async-std" ? "multi" : this.file.taskRuntime, args[0], node, out, pos);
      return undefined;
    }
    if (pathEndsWith(path, "rayon::join") && args.length >= 2) {
      out.push({ kind: "op", op: { type: "spawn", mechanism: "rayon::join (rayon global pool)", count: "many", range } });
      for (const a of args) this.threadBody("rayon::join", a, out, pos);
      return undefined;
    }
    if (pathEndsWith(path, "thread::Builder::new") || (last === "new" && pathEndsWith(path, "Builder::new") && this.file.imports.resolve("Builder") === "std::thread::Builder")) {
      return { kind: "thread-builder" };
    }
    if (pathEndsWith(path, "Builder::new_multi_thread")) return { kind: "tokio-builder", multi: true };
    if (pathEndsWith(path, "Builder::new_current_thread")) return { kind: "tokio-builder", multi: false };
    if (pathEndsWith(path, "runtime::Runtime::new") || (pathEndsWith(path, "Runtime::new") && this.file.imports.uses("tokio"))) {
      out.push({ kind: "op", op: { type: "spawn", mechanism: "tokio multi-thread runtime (Runtime::new)", count: "many", range } });
      return { kind: "runtime", multi: true, how: "tokio runtime" };
    }
    if (pathEndsWith(path, "ThreadPoolBuilder::new") && this.file.imports.uses("rayon")) return { kind: "rayon-builder" };
    if (pathEndsWith(path, "ThreadPool::new") && this.file.imports.uses("threadpool")) {
      this.walkArgs(args, out, pos, path);
      out.push({ kind: "op", op: { type: "spawn", mechanism: "threadpool::ThreadPool::new", count: "many", range } });
      return { kind: "pool", how: "threadpool::ThreadPool::execute" };
    }

    // Processes.
    if (pathEndsWith(path, "Command::new")) {
      this.walkArgs(args, out, pos, path);
      return { kind: "command" };
    }
    if (matchesAny(path, PROCESS_EXITS)) {
      this.walkArgs(args, out, pos, path);
      out.push({ kind: "exit", range, leaves: "process" });
      return undefined;
    }
    if (matchesAny(path, FORKS) && this.systemPath(path)) {
      const nix = !path.startsWith("libc::");
      return { kind: "fork", how: last, shape: nix ? "result" : "pid" };
    }
    if (matchesAny(path, EXECS) && this.systemPath(path)) {
      this.walkArgs(args, out, pos, path);
      out.push({ kind: "op", op: { type: "exec", api: callee.written, range } });
      return undefined;
    }
    if (matchesAny(path, SETUIDS) && this.systemPath(path)) {
      this.walkArgs(args, out, pos, path);
      out.push({ kind: "op", op: { type: "setuid", api: callee.written, range } });
      return undefined;
    }
    const signal = [...SIGNALS].find(([name]) => pathEndsWith(path, name));
    if (signal && this.systemPath(path)) {
      const [name, spec] = signal;
      this.walkArgs(args, out, pos, path);
      let target: Extract<IrOp, { type: "signal" }>["target"];
      if (spec.pidArg === undefined) target = "own-thread";
      else if (spec.group) target = "process-group";
      else {
        const pidNode = args[spec.pidArg];
        const param = pidNode ? this.parameterOf(pidNode) : undefined;
        if (param !== undefined) {
          // Whom it reaches depends on the caller: each call site says what it passes.
          out.push({ kind: "op", op: { type: "signal", target: "unknown", targetParam: param, api: callee.written, range } });
          return undefined;
        }
        target = pidNode ? this.pidTarget(pidNode) : "unknown";
        if (name === "libc::tgkill" && target === "own-process") target = "own-thread";
      }
      out.push({ kind: "op", op: { type: "signal", target, api: callee.written, range } });
      return undefined;
    }
    const pidSource = PID_SOURCES.find((p) => pathEndsWith(path, p.name));
    if (pidSource) return { kind: "pid", origin: pidSource.origin };
    if (pathEndsWith(path, "Pid::from_raw") && args[0]) {
      const target = this.pidTarget(args[0]);
      this.walkArgs(args, out, pos, path);
      const origin: PidOrigin = target === "parent" ? "getppid" : target === "own-process" ? "getpid" : target === "process-group" ? "pgrp" : "other";
      return { kind: "pid", origin };
    }
    if (pathEndsWith(path, "libc::prctl")) {
      this.walkArgs(args, out, pos, path);
      const option = valueOf(this.evalNode(args[0]));
      const value = valueOf(this.evalNode(args[1]));
      if (option === PR_SET_NO_NEW_PRIVS && value !== 0n) {
        out.push({ kind: "op", op: { type: "no-new-privs", api: "prctl(PR_SET_NO_NEW_PRIVS)", range } });
        this.noteResultVar(use, "zero-ok");
      }
      return undefined;
    }
    if (matchesAny(path, NNP_SETTERS)) {
      this.walkArgs(args, out, pos, path);
      if (!args[0] || valueOf(this.evalNode(args[0])) !== 0n) out.push({ kind: "op", op: { type: "no-new-privs", api: callee.written, range } });
      return undefined;
    }
    if (pathEndsWith(path, "libc::fcntl") && args.length >= 3) {
      this.walkArgs(args, out, pos, path);
      if (valueOf(this.evalNode(args[1])) === F_SETOWN) {
        const param = this.parameterOf(args[2]!);
        if (param !== undefined) {
          out.push({ kind: "op", op: { type: "setown", target: "unknown", targetParam: param, api: "fcntl(F_SETOWN)", range } });
          return undefined;
        }
        const t = this.pidTarget(args[2]!);
        const target = t === "process-group" ? "other-process" : t === "own-thread" ? "own-process" : t;
        out.push({ kind: "op", op: { type: "setown", target, api: "fcntl(F_SETOWN)", range } });
      }
      return undefined;
    }
    if ((pathEndsWith(path, "libc::signal") || pathEndsWith(path, "signal::signal")) && args[1]) {
      this.walkArgs(args, out, pos, path);
      return undefined;
    }

    // Raw Landlock syscalls and syscall-named wrappers.
    if (pathEndsWith(path, "libc::syscall") || (last === "syscall" && !this.file.definedNames.has("syscall"))) {
      const nr = valueOf(this.evalNode(args[0]));
      if (nr === SYSCALL_CREATE_RULESET || nr === SYSCALL_ADD_RULE || nr === SYSCALL_RESTRICT_SELF) {
        if (LANDLOCK_FUNCTIONS.has(this.info.name)) return undefined;
        const facts = this.walkArgs(args.slice(1), out, pos, path);
        return this.landlockOp(nr, args.slice(1), facts, `${callee.written}(${args[0]!.text})`, node, fnNode, out, use);
      }
      if (nr === 157n) {
        this.walkArgs(args, out, pos, path);
        if (valueOf(this.evalNode(args[1])) === PR_SET_NO_NEW_PRIVS && valueOf(this.evalNode(args[2])) !== 0n) {
          out.push({ kind: "op", op: { type: "no-new-privs", api: "syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS)", range } });
        }
        return undefined;
      }
      this.walkArgs(args, out, pos, path);
      return undefined;
    }
    const llFn = LANDLOCK_FUNCTIONS.get(last);
    if (llFn !== undefined && !(this.file.definedNames.has(last) && LANDLOCK_FUNCTIONS.has(this.info.name))) {
      if (LANDLOCK_FUNCTIONS.has(this.info.name)) return undefined;
      const facts = this.walkArgs(args, out, pos, path);
      return this.landlockOp(llFn, args, facts, last, node, fnNode, out, use);
    }

    // Abstract unix sockets.
    if (pathEndsWith(path, "SocketAddr::from_abstract_name") || pathEndsWith(path, "UnixAddr::new_abstract")) {
      this.walkArgs(args, out, pos, path);
      const name = stringValue(unwrapValue(args[0] ?? node));
      return name !== undefined ? { kind: "sockaddr", abstract: true, name: "@" + name.split("\0")[0] } : { kind: "sockaddr", abstract: true };
    }
    if ((pathEndsWith(path, "UnixStream::connect_addr") || pathEndsWith(path, "UnixDatagram::connect_addr")) && args[0]) {
      const [addr] = this.walkArgs(args, out, pos, path);
      if (addr?.kind === "sockaddr" && addr.abstract) out.push(abstractConnect(addr, callee.written, range));
      return undefined;
    }
    if (pathEndsWith(path, "UnixStream::connect") && args[0]) {
      const addr = stringValue(unwrapValue(args[0]));
      this.walkArgs(args, out, pos, path);
      if (addr !== undefined && addr.startsWith("\0")) out.push(abstractConnect({ kind: "sockaddr", abstract: true, name: "@" + addr.slice(1).split("\0")[0] }, callee.written, range));
      return undefined;
    }
    if (pathEndsWith(path, "socket::connect") && args[1]) {
      const facts = this.walkArgs(args, out, pos, path);
      const addr = facts[1];
      if (addr?.kind === "sockaddr" && addr.abstract) out.push(abstractConnect(addr, callee.written, range));
      return undefined;
    }

    if (/^(?:std::)?(?:mem::)?drop$/.test(path) && args[0]) {
      this.expr(args[0], out, pos, DISCARD);
      return undefined;
    }

    // Builder helpers of this file: the call returns the builder they build.
    const helper = this.file.builderHelpers.get(path) ?? this.file.builderHelpers.get(last);
    this.walkArgs(args, out, pos, callee.written);
    if (path === "Ok" || path === "Some" || path === "Box::new" || path === "Arc::new") {
      // `Ok(status)` hands the value on.
      return undefined;
    }
    if (!isExternalPath(path) && !/^[A-Z]/.test(last)) this.emitCall(node, fnNode, callee, args, out, use, undefined);
    if (helper) return { kind: "ll", stage: helper.stage, ruleset: cloneRuleset(helper.ruleset) };
    if (this.file.abiHelpers.has(path) || this.file.abiHelpers.has(last)) return { kind: "abi" };
    return undefined;
  }

  /** A path names the landlock crate (imported, or written `landlock::...`). */
  private landlockPath(path: string): boolean {
    return path.startsWith("landlock::") || this.file.usesRustLandlock;
  }

  /** libc / nix / std functions (a project function named `fork` is not libc's). */
  private systemPath(path: string): boolean {
    const first = path.split("::")[0]!;
    return ["libc", "nix", "std", "unistd", "signal", "rustix"].includes(first) || !this.file.definedNames.has(lastSegment(path));
  }

  private methodCall(node: Node, fnNode: Node, args: Node[], out: IrBlock, pos: Pos, use: Use): Fact | undefined {
    const receiver = fnNode.childForFieldName("value");
    const methodNode = fnNode.childForFieldName("field");
    const method = methodNode?.text ?? "";
    const range = nodeRange(node);
    const opRange = methodNode ? { start: nodeRange(methodNode).start, end: range.end } : range;
    let receiverUse: Use = OTHER;
    if (RESULT_CHECKERS.has(method)) receiverUse = { k: "test" };
    else if (RESULT_PASS_THROUGH.has(method)) receiverUse = use;
    else if (RESULT_SWALLOWERS.has(method)) receiverUse = DISCARD;
    const recv = receiver ? this.expr(receiver, out, pos, receiverUse) : undefined;
    const receiverName = receiver?.type === "identifier" ? receiver.text : receiver?.type === "self" ? "self" : undefined;

    const closures = args.filter((a) => unwrapValue(a).type === "closure_expression");
    const onValue = !!recv && recv.kind !== "par" && recv.kind !== "sym";
    if (closures.length && onValue && SUCCESS_CLOSURE_METHODS.has(method)) {
      // `ruleset.and_then(|r| r.restrict_self())`: the closure gets the value and runs when there is one.
      let value: Fact | undefined;
      for (const a of args) {
        if (!closures.includes(a)) {
          this.expr(a, out, pos, { k: "arg", callee: method });
          continue;
        }
        const run = this.closureRun(a, pos, recv, method === "and_then" ? use : OTHER, true);
        if (run.body.length) out.push({ kind: "branch", arms: [{ cond: { kind: "other", text: `${method} on success` }, body: run.body }], exhaustive: false, preprocessor: false, range: nodeRange(a) });
        value = run.tail;
      }
      return method === "inspect" ? recv : value;
    }
    // rust-landlock builders.
    if (recv?.kind === "ll") return this.builderMethod(recv, method, node, methodNode ?? fnNode, opRange, args, out, pos, use);
    if (recv?.kind === "ll-restrict-self") {
      this.walkArgs(args, out, pos, method);
      if (method === "log_subdomains" && args[0] && valueOf(this.evalNode(args[0])) === 0n) return { kind: "ll-restrict-self", logSubdomainsOff: true };
      if (method === "apply") {
        const op: RestrictOp = {
          type: "restrict",
          mechanism: "syscall",
          flags: { tsync: "no", logSameExecOff: "no", logNewExecOn: "no", logSubdomainsOff: recv.logSubdomainsOff ? "yes" : "no", noNewPrivs: "no" },
          fd: "minus-one",
          resultChecked: "maybe",
          resultReturned: false,
          api: "rust-landlock RestrictSelf::apply()",
          range: opRange,
          calleeRange: nodeRange(methodNode ?? fnNode),
        };
        op.resultChecked = this.resultFor(use, op);
        out.push({ kind: "op", op });
        return undefined;
      }
      return recv;
    }
    if (method === "restrict_self" && this.file.usesRustLandlock && !this.definesMethod("restrict_self")) {
      const ruleset = rulesetBuiltElsewhere(this.file.text);
      return this.builderMethod({ kind: "ll", stage: "created", ruleset }, method, node, methodNode ?? fnNode, opRange, args, out, pos, use);
    }

    // Processes.
    if (recv?.kind === "command") {
      if (method === "pre_exec" && args[0]) {
        const body = this.closureBody(args[0], pos);
        out.push({ kind: "child", how: "Command::pre_exec (runs in the forked child before exec)", body, range: nodeRange(args[0]) });
        return recv;
      }
      this.walkArgs(args, out, pos, method);
      if (method === "exec") {
        out.push({ kind: "op", op: { type: "exec", api: "Command::exec", range } });
        return undefined;
      }
      if (method === "spawn" || method === "status" || method === "output") {
        out.push({ kind: "child", how: `Command::${method}`, body: [], range });
        return method === "spawn" ? { kind: "child-process" } : undefined;
      }
      return recv;
    }
    if (recv?.kind === "child-process") {
      this.walkArgs(args, out, pos, method);
      if (method === "kill") out.push({ kind: "op", op: { type: "signal", target: "other-process", api: "Child::kill", range } });
      if (method === "id") return { kind: "pid", origin: "other" };
      return recv;
    }

    // Threads, pools, runtimes.
    if (recv?.kind === "thread-builder" && (method === "spawn" || method === "spawn_scoped")) {
      const routine = method === "spawn_scoped" ? args[1] : args[0];
      if (method === "spawn_scoped" && args[0]) this.expr(args[0], out, pos, OTHER);
      if (routine) this.threadStart("std::thread::Builder::spawn", "one", routine, [], node, out, pos);
      return undefined;
    }
    if (recv?.kind === "thread-builder") {
      this.walkArgs(args, out, pos, method);
      return recv;
    }
    if (recv?.kind === "scope-handle" && (method === "spawn" || method === "spawn_fifo") && args[0]) {
      this.threadStart(`${recv.how} spawn`, "one", args[0], args.slice(1), node, out, pos);
      return undefined;
    }
    if (recv?.kind === "tokio-builder") {
      this.walkArgs(args, out, pos, method);
      if (method === "build") {
        if (recv.multi) out.push({ kind: "op", op: { type: "spawn", mechanism: "tokio multi-thread runtime (Builder::new_multi_thread)", count: "many", range } });
        return { kind: "runtime", multi: recv.multi, how: recv.multi ? "tokio multi-thread runtime" : "tokio current-thread runtime" };
      }
      return recv;
    }
    if (recv?.kind === "runtime") {
      if (method === "block_on" && args[0]) {
        this.inlineClosure(args[0], out, pos, OTHER);
        return undefined;
      }
      if (method === "spawn" && args[0]) {
        this.taskSpawn(`${recv.how} spawn`, recv.multi ? "multi" : "current", args[0], node, out, pos);
        return undefined;
      }
      if (method === "spawn_blocking" && args[0]) {
        this.threadStart("tokio spawn_blocking (blocking pool thread)", "many", args[0], [], node, out, pos);
        return undefined;
      }
      this.walkArgs(args, out, pos, method);
      return recv;
    }
    if (recv?.kind === "rayon-builder") {
      this.walkArgs(args, out, pos, method);
      if (method === "build") {
        out.push({ kind: "op", op: { type: "spawn", mechanism: "rayon ThreadPoolBuilder::build", count: "many", range } });
        return { kind: "pool", how: "rayon ThreadPool" };
      }
      if (method === "build_global") {
        out.push({ kind: "op", op: { type: "spawn", mechanism: "rayon ThreadPoolBuilder::build_global", count: "many", range } });
        return undefined;
      }
      return recv;
    }
    if (recv?.kind === "pool" && ["install", "spawn", "execute", "spawn_fifo", "broadcast"].includes(method) && args[0]) {
      if (method === "install") this.threadBody(`${recv.how}::install`, args[0], out, pos);
      else this.threadStart(`${recv.how}::${method}`, "many", args[0], args.slice(1), node, out, pos);
      return undefined;
    }
    if (recv?.kind === "pool" && (method === "scope" || method === "in_place_scope") && args[0]) {
      this.scopeCall(`${recv.how}::scope`, method === "scope", args[0], node, out, pos);
      return undefined;
    }
    if (PAR_METHODS.has(method) && (this.file.imports.uses("rayon") || /\brayon::/.test(this.file.text))) {
      this.walkArgs(args, out, pos, method);
      out.push({ kind: "op", op: { type: "spawn", mechanism: `rayon parallel iterator (${method})`, count: "many", range } });
      return { kind: "par", how: `rayon parallel iterator (${method})`, range };
    }
    if (recv?.kind === "par") {
      // The closures run on the pool the iterator started: the same threads, one piece of evidence.
      for (const a of args) {
        if (unwrapValue(a).type === "closure_expression") this.threadBody(recv.how, a, out, pos, recv.range);
        else this.expr(a, out, pos, OTHER);
      }
      return recv;
    }

    // Abstract sockets, through a socket value.
    if ((method === "connect_addr" || method === "send_to_addr") && args[0]) {
      const [addr] = this.walkArgs(args, out, pos, method);
      if (addr?.kind === "sockaddr" && addr.abstract) out.push(abstractConnect(addr, `${receiver?.text ?? "socket"}.${method}`, range));
      return undefined;
    }

    // Closures given to iterator adapters and other calls.
    if (closures.length) {
      for (const a of args) {
        if (!closures.includes(a)) {
          this.expr(a, out, pos, { k: "arg", callee: method });
          continue;
        }
        if (ITERATION_METHODS.has(method)) {
          const body = this.closureBody(a, { ...pos, loop: pos.loop + 1 });
          if (body.length) out.push({ kind: "loop", body, range: nodeRange(a) });
        } else if (ERROR_CLOSURE_METHODS.has(method)) {
          const body = this.closureBody(a, pos);
          if (body.length) out.push({ kind: "branch", arms: [{ cond: { kind: "error-path" }, body }], exhaustive: false, preprocessor: false, range: nodeRange(a) });
        } else this.callbackClosure(unwrapValue(a), method, out, pos);
      }
    } else this.walkArgs(args, out, pos, method);

    if (RESULT_CHECKERS.has(method) || RESULT_PASS_THROUGH.has(method) || RESULT_SWALLOWERS.has(method)) {
      // `.unwrap()`, `.expect()`, `.map_err(..)`, `.context(..)` hand the value on; `map`/`is_ok` make another one.
      return VALUE_KEEPING_METHODS.has(method) ? recv : undefined;
    }
    if (INERT_METHODS.has(method)) return undefined;
    const typeName = receiverName === "self" ? this.info.typeName : receiverName ? this.types.get(receiverName) : undefined;
    if (receiverName !== "self" && !typeName && receiver && receiver.type !== "identifier" && receiver.type !== "field_expression") {
      // A method on a call result of an unknown type: only a name the project defines is worth a call op.
      if (!this.file.definedNames.has(method)) return undefined;
    }
    if (typeName && (typeName === "Self" ? false : /^(?:Vec|String|HashMap|PathBuf|Path|File|Command|Child|Option|Result)$/.test(typeName))) return undefined;
    this.emitCall(node, methodNode ?? fnNode, { written: method, path: method }, args, out, use, typeName === "Self" ? this.info.typeName : typeName);
    return undefined;
  }

  private definesMethod(name: string): boolean {
    return this.file.definedNames.has(name);
  }

  /** One step of a rust-landlock builder chain. */
  private builderMethod(
    recv: Extract<Fact, { kind: "ll" }>,
    method: string,
    node: Node,
    methodNode: Node,
    opRange: Range,
    args: Node[],
    out: IrBlock,
    pos: Pos,
    use: Use,
  ): Fact | undefined {
    const r = cloneRuleset(recv.ruleset);
    const argText = args.map((a) => a.text).join(", ");
    this.walkArgs(args, out, pos, method);
    switch (method) {
      case "handle_access":
        handleAccess(r, argText);
        return { kind: "ll", stage: recv.stage, ruleset: r };
      case "scope":
        addScopes(r, argText);
        return { kind: "ll", stage: recv.stage, ruleset: r };
      case "set_compatibility": {
        const level = compatOf(argText);
        if (level) r.compat = level;
        return { kind: "ll", stage: recv.stage, ruleset: r };
      }
      case "set_best_effort":
        r.compat = /\bfalse\b/.test(argText) ? "hard" : "best-effort";
        return { kind: "ll", stage: recv.stage, ruleset: r };
      case "all_threads":
        if (!/\bfalse\b/.test(argText)) {
          r.allThreads = "yes";
          r.allThreadsCompat = r.compat;
        } else r.allThreads = "no";
        return { kind: "ll", stage: recv.stage, ruleset: r };
      case "no_new_privs":
      case "set_no_new_privs":
        r.noNewPrivsOff = /\bfalse\b/.test(argText);
        return { kind: "ll", stage: recv.stage, ruleset: r };
      case "create": {
        const op: IrOp = { type: "create-ruleset", ruleset: rulesetInfo(r), resultChecked: "maybe", resultReturned: false, api: "rust-landlock Ruleset::create()", range: opRange };
        op.resultChecked = this.resultFor(use, op);
        out.push({ kind: "op", op });
        return { kind: "ll", stage: "created", ruleset: r };
      }
      case "add_rule":
      case "add_rules": {
        const op: IrOp = { type: "add-rule", resultChecked: "maybe", resultReturned: false, api: `rust-landlock RulesetCreated::${method}()`, range: opRange };
        op.resultChecked = this.resultFor(use, op);
        out.push({ kind: "op", op });
        return { kind: "ll", stage: recv.stage, ruleset: r };
      }
      case "restrict_self":
      case "restrict_self_all_threads": {
        if (method === "restrict_self_all_threads") {
          r.allThreads = "yes";
          r.allThreadsCompat = r.compat;
        }
        const library = rustLandlockLibrary(r, this.file.rustLandlockVersion);
        const op: RestrictOp = {
          type: "restrict",
          mechanism: "library",
          flags: {
            tsync: r.allThreads === "yes" ? (library.tsyncWhenAvailable ? "maybe" : "no") : r.allThreads === "maybe" ? "maybe" : "no",
            logSameExecOff: "no",
            logNewExecOn: "no",
            logSubdomainsOff: "no",
            noNewPrivs: "no",
          },
          fd: "ruleset",
          ruleset: rulesetInfo(r),
          resultChecked: "maybe",
          resultReturned: false,
          library,
          api: restrictApi(r),
          range: opRange,
          calleeRange: nodeRange(methodNode),
        };
        if (r.compat !== "hard") op.statusIgnored = true;
        op.resultChecked = this.resultFor(use, op);
        out.push({ kind: "op", op });
        return { kind: "status", ops: [op] };
      }
      case "try_clone":
        return { kind: "ll", stage: recv.stage, ruleset: r };
      default:
        // log_same_exec / log_new_exec / log_subdomains, handle_access variants, and whatever a newer release adds.
        return { kind: "ll", stage: recv.stage, ruleset: r };
    }
  }

  private emitCall(node: Node, fnNode: Node, callee: Callee, args: Node[], out: IrBlock, use: Use, typeName: string | undefined): void {
    let name = callee.path;
    if (name.startsWith("Self::") && this.info.typeName) name = `${this.info.typeName}::${name.slice("Self::".length)}`;
    const candidates = new Set<string>();
    if (name.includes("::")) {
      const parts = name.split("::");
      for (let i = 1; i < parts.length; i++) candidates.add(parts.slice(i).join("::"));
    }
    if (typeName) candidates.add(`${typeName}::${name}`);
    candidates.delete(name);
    const argTargets: { index: number; target: ReturnType<RustFunctionWalker["pidTarget"]> }[] = [];
    // Pid facts for the callee from the first few arguments only (generated argument lists run to thousands).
    args.slice(0, MAX_ARGUMENT_FACTS).forEach((a, index) => {
      const target = this.argumentTarget(a);
      if (target) argTargets.push({ index, target });
    });
    const op: IrOp = {
      type: "call",
      callee: name,
      ...(candidates.size ? { calleeCandidates: [...candidates] } : {}),
      ...(argTargets.length ? { argTargets } : {}),
      resultChecked: "maybe",
      resultReturned: false,
      range: nodeRange(node),
      calleeRange: nodeRange(fnNode),
    };
    op.resultChecked = this.resultFor(use, op);
    out.push({ kind: "op", op });
  }

  // ------------------------------------------------------------------------------------------
  // Landlock syscalls

  private landlockOp(nr: bigint, args: Node[], facts: (Fact | undefined)[], api: string, node: Node, fnNode: Node, out: IrBlock, use: Use): Fact | undefined {
    const range = nodeRange(node);
    if (nr === SYSCALL_CREATE_RULESET) {
      const flags = args[2] ? this.evalNode(args[2]) : exact(0n);
      if ((flags.yes & CREATE_RULESET_VERSION) !== 0n) {
        out.push({ kind: "op", op: { type: "abi-query", api, range } });
        this.noteResultVar(use, "nonneg-ok");
        return { kind: "abi" };
      }
      if ((flags.yes & CREATE_RULESET_ERRATA) !== 0n) return undefined;
      const attr = this.attrOf(args[0], facts[0]);
      const info = rulesetInfoOf(attr);
      const op: IrOp = { type: "create-ruleset", ruleset: info, resultChecked: "maybe", resultReturned: false, api, range };
      op.resultChecked = this.resultFor(use, op);
      out.push({ kind: "op", op });
      this.noteResultVar(use, "nonneg-ok");
      return { kind: "ruleset-fd", info, range };
    }
    if (nr === SYSCALL_ADD_RULE) {
      const op: IrOp = { type: "add-rule", resultChecked: "maybe", resultReturned: false, api, range };
      op.resultChecked = this.resultFor(use, op);
      out.push({ kind: "op", op });
      this.noteResultVar(use, "zero-ok");
      return undefined;
    }
    const fdFact = facts[0];
    const fdValue = args[0] ? valueOf(this.evalNode(args[0])) : undefined;
    const fd = fdFact?.kind === "ruleset-fd" ? "ruleset" : fdValue !== undefined && signed(fdValue) === -1n ? "minus-one" : "unknown";
    const op: RestrictOp = {
      type: "restrict",
      mechanism: "syscall",
      flags: this.restrictFlags(args[1]),
      fd,
      ...(fdFact?.kind === "ruleset-fd" ? { ruleset: fdFact.info, rulesetRange: fdFact.range } : {}),
      resultChecked: "maybe",
      resultReturned: false,
      api,
      range,
      calleeRange: nodeRange(fnNode),
    };
    op.resultChecked = this.resultFor(use, op);
    out.push({ kind: "op", op });
    this.noteResultVar(use, "zero-ok");
    return undefined;
  }

  private attrOf(arg: Node | undefined, fact: Fact | undefined): AttrState | undefined {
    if (fact?.kind === "attr") return fact.attr;
    if (!arg) return undefined;
    const inner = unwrapValue(arg);
    if (inner.type === "identifier") {
      const f = this.env.get(inner.text);
      if (f?.kind === "attr") return f.attr;
    }
    if (/null/.test(inner.text)) return freshAttr();
    return unknownAttr();
  }

  private restrictFlags(arg: Node | undefined): RestrictFlags {
    if (!arg) return { tsync: "maybe", logSameExecOff: "maybe", logNewExecOn: "maybe", logSubdomainsOff: "maybe", noNewPrivs: "maybe" };
    const sym = this.evalNode(arg);
    const tri = (bit: bigint): Tri => ((sym.yes & bit) !== 0n ? "yes" : sym.unknown || (sym.maybe & bit) !== 0n ? "maybe" : "no");
    const flags: RestrictFlags = {
      tsync: tri(RESTRICT_TSYNC),
      logSameExecOff: tri(RESTRICT_LOG_SAME_EXEC_OFF),
      logNewExecOn: tri(RESTRICT_LOG_NEW_EXEC_ON),
      logSubdomainsOff: tri(RESTRICT_LOG_SUBDOMAINS_OFF),
      noNewPrivs: tri(RESTRICT_NO_NEW_PRIVS),
    };
    const value = valueOf(sym);
    if (value !== undefined && value <= BigInt(Number.MAX_SAFE_INTEGER)) flags.value = Number(value);
    if (sym.abiBits && (sym.abiBits.bits & RESTRICT_TSYNC) !== 0n && flags.tsync === "maybe") flags.tsyncIfAbiAtLeast = sym.abiBits.abi;
    flags.text = arg.text.length > 200 ? arg.text.slice(0, 200) : arg.text;
    flags.range = nodeRange(arg);
    return flags;
  }

  /** A pid argument that is one of the function's parameters (`Pid::from_raw(pid)`, `pid as i32`, `pid`). */
  private parameterOf(node: Node): number | undefined {
    let n = unwrapValue(node);
    if (n.type === "call_expression" && pathEndsWith(this.resolve(pathOf(n.childForFieldName("function")) ?? ""), "Pid::from_raw")) {
      const inner = n.childForFieldName("arguments")?.namedChildren.find((c) => !isComment(c));
      if (!inner) return undefined;
      n = unwrapValue(inner);
    }
    if (n.type !== "identifier" || this.env.get(n.text)) return undefined;
    return this.parameterIndex.get(n.text);
  }

  /** Whom an argument names when it is clearly a pid (`getppid()`, `Pid::this()`, a child's id, a pid variable). */
  private argumentTarget(node: Node): ReturnType<RustFunctionWalker["pidTarget"]> | undefined {
    const n = unwrapValue(node);
    if (n.type === "identifier") {
      const fact = this.env.get(n.text);
      if (fact?.kind === "pid") return fact.origin === "other" ? "other-process" : originTarget(fact.origin);
      return undefined;
    }
    if (n.type !== "call_expression") return undefined;
    const fn = n.childForFieldName("function");
    if (fn?.type === "field_expression") {
      const method = fn.childForFieldName("field")?.text;
      const value = fn.childForFieldName("value");
      const owner = value?.type === "identifier" ? this.env.get(value.text) : undefined;
      return method === "id" && owner?.kind === "child-process" ? "other-process" : undefined;
    }
    const path = fn ? pathOf(fn) : undefined;
    if (!path) return undefined;
    const resolved = this.resolve(path);
    if (PID_SOURCES.some((p) => pathEndsWith(resolved, p.name)) || pathEndsWith(resolved, "Pid::from_raw")) {
      const t = this.pidTarget(n);
      return t === "unknown" ? undefined : t;
    }
    return undefined;
  }

  /** Who a pid expression names, for kill()/F_SETOWN. */
  private pidTarget(node: Node): "parent" | "process-group" | "other-process" | "own-thread" | "own-process" | "unknown" {
    const n = unwrapValue(node);
    if (n.type === "call_expression") {
      const fn = n.childForFieldName("function");
      const path = fn && fn.type !== "field_expression" ? pathOf(fn) : undefined;
      if (path) {
        const resolved = this.resolve(path);
        const source = PID_SOURCES.find((p) => pathEndsWith(resolved, p.name));
        if (source) return originTarget(source.origin);
        if (pathEndsWith(resolved, "Pid::from_raw")) {
          const arg = n.childForFieldName("arguments")?.namedChildren.find((c) => !isComment(c));
          return arg ? this.pidTarget(arg) : "unknown";
        }
        return "other-process";
      }
      if (fn?.type === "field_expression") {
        const method = fn.childForFieldName("field")?.text;
        if (method === "id" || method === "pid") return "other-process";
        if (method === "as_raw") {
          const value = fn.childForFieldName("value");
          return value ? this.pidTarget(value) : "unknown";
        }
      }
      return "unknown";
    }
    const e = rustExprOf(n);
    if (e.k === "num") return e.v === 0n ? "process-group" : "other-process";
    if (e.k === "un" && e.op === "-") {
      const v = valueOf(evaluate(e.e, this.scope()));
      return v === 1n ? "other-process" : "process-group";
    }
    if (e.k === "id") {
      const fact = this.env.get(e.name);
      if (fact?.kind === "pid") return fact.origin === "other" ? "other-process" : originTarget(fact.origin);
      const v = valueOf(evaluate(e, this.scope()));
      if (v !== undefined) {
        const s = signed(v);
        return s === 0n || s < -1n ? "process-group" : "other-process";
      }
      return "other-process";
    }
    if (e.k === "field") return "other-process";
    return "unknown";
  }

  // ------------------------------------------------------------------------------------------
  // Closures, threads, tasks

  /** The body of a closure (or of `move || f()` / an async block) run elsewhere, walked with a copy of what is known. */
  private closureBody(arg: Node, pos: Pos): IrBlock {
    return this.closureRun(arg, pos).body;
  }

  /**
   * Walks a closure (or an async block, or a function value) with a copy of what is known.
   * `param` is what its first parameter receives; `tailUse` how its value is used. What it
   * evaluates to is handed to whoever runs it: a status returned there counts as looked at,
   * unless `handOn` says the caller keeps tracking it (`and_then(|r| r.restrict_self())`).
   */
  private closureRun(arg: Node, pos: Pos, param?: Fact, tailUse: Use = OTHER, handOn = false): { body: IrBlock; tail?: Fact } {
    const saved = this.env;
    this.env = saved.clone();
    const body: IrBlock = [];
    const fn = unwrapValue(arg);
    const inner: Pos = { loop: pos.loop > 0 && fn.type !== "closure_expression" ? pos.loop : 0, abiGuard: pos.abiGuard };
    let tail: Fact | undefined;
    if (fn.type === "closure_expression") {
      this.bindClosureParams(fn, param);
      const b = fn.childForFieldName("body");
      if (b) tail = b.type === "block" ? this.block(b, body, inner, tailUse).fact : this.expr(b, body, inner, tailUse);
    } else if (fn.type === "async_block") {
      const b = codeChildren(fn).find((c) => c.type === "block");
      if (b) tail = this.block(b, body, inner, tailUse).fact;
    } else {
      tail = this.expr(fn, body, inner, tailUse);
    }
    if (!handOn) this.examineStatus(tail);
    this.env = saved;
    return tail ? { body, tail } : { body };
  }

  private bindClosureParams(closure: Node, handle: Fact | undefined): void {
    const params = closure.childForFieldName("parameters");
    if (!params) return;
    const names = params.namedChildren.map((p) => (p.type === "parameter" ? patternName(p.childForFieldName("pattern")) : patternName(p))).filter((n): n is string => !!n);
    names.forEach((name, i) => this.env.set(name, i === 0 ? handle : undefined));
  }

  /** A new thread runs `fn` (a closure, an async block or a function named by path). */
  private threadStart(mechanism: string, countOf: "one" | "many", fn: Node, rest: Node[], at: Node, out: IrBlock, pos: Pos): void {
    for (const a of rest) this.expr(a, out, pos, OTHER);
    const count = countOf === "many" || pos.loop > 0 ? "many" : "one";
    const inner = unwrapValue(fn);
    if (inner.type === "closure_expression" || inner.type === "async_block") {
      out.push({ kind: "op", op: { type: "spawn", mechanism, count, range: nodeRange(at) } });
      out.push({ kind: "thread", how: mechanism, body: this.closureBody(inner, pos), range: nodeRange(inner) });
      return;
    }
    const routine = pathOf(inner);
    if (!routine) this.expr(inner, out, pos, OTHER);
    const name = routine ? this.routineName(routine) : undefined;
    out.push({ kind: "op", op: { type: "spawn", mechanism, ...(name ? { routine: name } : {}), count, range: nodeRange(at) } });
  }

  private routineName(path: string): string {
    const resolved = this.file.imports.resolve(path);
    if (resolved.startsWith("Self::") && this.info.typeName) return `${this.info.typeName}::${resolved.slice(6)}`;
    return resolved;
  }

  /** A closure run on another thread without a spawn op of its own (pool install, rayon::join, parallel iterators). */
  private threadBody(how: string, arg: Node, out: IrBlock, pos: Pos, at?: Range): void {
    const inner = unwrapValue(arg);
    if (inner.type === "closure_expression" || inner.type === "async_block") {
      out.push({ kind: "thread", how, body: this.closureBody(inner, pos), range: at ?? nodeRange(inner) });
      return;
    }
    const routine = pathOf(inner);
    if (routine) out.push({ kind: "op", op: { type: "spawn", mechanism: how, routine: this.routineName(routine), count: "many", range: nodeRange(arg) } });
    else this.expr(arg, out, pos, OTHER);
  }

  /** `thread::scope(|s| { s.spawn(..); })`: the closure runs here (or on the pool), its handle starts threads. */
  private scopeCall(how: string, onPool: boolean, arg: Node, at: Node, out: IrBlock, pos: Pos): void {
    const closure = unwrapValue(arg);
    if (closure.type !== "closure_expression") {
      this.expr(arg, out, pos, OTHER);
      return;
    }
    const body: IrBlock = [];
    const saved = this.env;
    this.env = saved.clone();
    this.bindClosureParams(closure, { kind: "scope-handle", how });
    const b = closure.childForFieldName("body");
    if (b) {
      if (b.type === "block") this.block(b, body, pos, OTHER);
      else this.expr(b, body, pos, OTHER);
    }
    this.env = saved;
    if (onPool) {
      out.push({ kind: "op", op: { type: "spawn", mechanism: how, count: "many", range: nodeRange(at) } });
      out.push({ kind: "thread", how, body, range: nodeRange(closure) });
    } else out.push(...body);
  }

  /** `tokio::spawn(async move { .. })`: on a multi-thread runtime the task runs on some worker thread. */
  private taskSpawn(how: string, runtime: "multi" | "current", arg: Node, at: Node, out: IrBlock, pos: Pos): void {
    const inner = unwrapValue(arg);
    if (runtime === "multi") {
      if (inner.type === "async_block" || inner.type === "closure_expression") {
        out.push({ kind: "thread", how: `${how} (task on a runtime worker thread)`, body: this.closureBody(inner, pos), range: nodeRange(inner) });
      } else {
        const body: IrBlock = [];
        this.expr(arg, body, pos, OTHER);
        if (body.length) out.push({ kind: "thread", how: `${how} (task on a runtime worker thread)`, body, range: nodeRange(at) });
      }
      return;
    }
    // A current-thread runtime runs the task later on this same thread.
    const body = inner.type === "async_block" || inner.type === "closure_expression" ? this.closureBody(inner, pos) : (() => {
      const b: IrBlock = [];
      this.expr(arg, b, pos, OTHER);
      return b;
    })();
    if (body.length) out.push({ kind: "branch", arms: [{ cond: { kind: "other", text: `task spawned on the current-thread runtime (${how})` }, body }], exhaustive: false, preprocessor: false, range: nodeRange(at) });
  }

  /** A closure or future that runs right here (`block_on`, `block_in_place`). */
  private inlineClosure(arg: Node, out: IrBlock, pos: Pos, use: Use): void {
    const inner = unwrapValue(arg);
    if (inner.type === "closure_expression") {
      const b = inner.childForFieldName("body");
      if (b) this.expr(b, out, pos, use);
      return;
    }
    this.expr(arg, out, pos, use);
  }

  /** A closure handed to some other call: it may run here, later or never. */
  private callbackClosure(closure: Node, callee: string, out: IrBlock, pos: Pos): void {
    const body = this.closureBody(closure, pos);
    if (body.length === 0) return;
    out.push({ kind: "branch", arms: [{ cond: { kind: "other", text: `callback passed to ${callee}` }, body }], exhaustive: false, preprocessor: false, range: nodeRange(closure) });
  }

  /** `let sandbox = || { .. };`: a function of its own, callable by name. */
  private emitClosureFunction(name: string, closure: Node, at: Node): void {
    const body = this.closureBody(closure, { loop: 0, abiGuard: false });
    const nameNode = at.childForFieldName("pattern") ?? at.childForFieldName("left") ?? at;
    this.file.addFunction({ name, range: nodeRange(closure), nameRange: nodeRange(nameNode), isEntry: false, body });
  }
}

// ------------------------------------------------------------------------------------------------
// Helpers

function tagged(use: Use): Use {
  return use.k === "test" ? use : { k: "test" };
}

function endsInExit(out: IrBlock): boolean {
  return out.length > 0 && out[out.length - 1]!.kind === "exit";
}

function endsFlow(out: IrBlock): boolean {
  return endsInExit(out) || lastBranchEnds(out);
}

function lastBranchEnds(out: IrBlock): boolean {
  const last = out[out.length - 1];
  return !!last && last.kind === "branch" && last.exhaustive && last.arms.every((a) => endsInExit(a.body) || lastBranchEnds(a.body));
}

function withAbi(env: Env, abi: { abi: number; negated: boolean } | undefined): Incoming {
  return abi ? { env, abi } : { env };
}

function cleanArm(arm: { cond?: IrCond | undefined; body: IrBlock }): { cond?: IrCond; body: IrBlock } {
  return arm.cond ? { cond: arm.cond, body: arm.body } : { body: arm.body };
}

function capOp(api: string, at: Node): IrNode {
  return { kind: "op", op: { type: "cap-sys-admin", api, range: nodeRange(at) } };
}

function abstractConnect(addr: Extract<Fact, { kind: "sockaddr" }>, api: string, range: Range): IrNode {
  return { kind: "op", op: { type: "abstract-connect", ...(addr.name !== undefined ? { name: addr.name } : {}), api, range } };
}

function originTarget(origin: PidOrigin): "parent" | "process-group" | "other-process" | "own-thread" | "own-process" {
  switch (origin) {
    case "getpid":
    case "gettid":
      return "own-process";
    case "getppid":
      return "parent";
    case "pgrp":
      return "process-group";
    default:
      return "other-process";
  }
}

/** The single variable a pattern binds (`x`, `mut x`, `ref x`), `_` for the wildcard. */
function patternName(pattern: Node | null | undefined): string | undefined {
  if (!pattern) return undefined;
  if (pattern.type === "identifier") return pattern.text;
  if (pattern.type === "_" || pattern.text === "_") return "_";
  if (pattern.type === "mut_pattern" || pattern.type === "ref_pattern") return patternName(pattern.namedChildren.find((c) => !isComment(c) && c.type !== "mutable_specifier"));
  return undefined;
}

/** `Ok(x)` -> `x`. */
function okInner(pattern: Node): Node | undefined {
  if (pattern.type !== "tuple_struct_pattern") return undefined;
  const type = pattern.childForFieldName("type");
  if (type?.text !== "Ok") return undefined;
  return pattern.namedChildren.find((c) => c.id !== type.id && !isComment(c));
}

/** What a pattern says about the value it matches. */
function patternKind(pattern: Node): "ok" | "err" | "child" | "parent" | "other" {
  const text = pattern.text.replace(/\s+/g, "");
  if (/(?:^|::|\()Child\b/.test(text) && !/Parent/.test(text)) return "child";
  if (/(?:^|::|\()Parent\b/.test(text)) return "parent";
  if (/^Err\b/.test(text)) return "err";
  if (/^Ok\b/.test(text)) return "ok";
  return "other";
}

const EXPRESSION_TYPES = new Set([
  "call_expression", "macro_invocation", "try_expression", "identifier", "scoped_identifier", "integer_literal", "boolean_literal",
  "parenthesized_expression", "reference_expression", "type_cast_expression", "await_expression", "unary_expression", "unsafe_block",
  "block", "async_block", "if_expression", "match_expression", "loop_expression", "while_expression", "for_expression",
  "return_expression", "break_expression", "continue_expression", "closure_expression", "binary_expression", "assignment_expression",
  "compound_assignment_expr", "struct_expression", "field_expression", "string_literal", "raw_string_literal", "char_literal",
  "float_literal", "unit_expression", "self", "tuple_expression", "array_expression", "index_expression", "range_expression",
  "generic_function", "const_block", "yield_expression", "try_block", "gen_block",
]);

function isExpressionNode(node: Node): boolean {
  return EXPRESSION_TYPES.has(node.type);
}

function isStatementNode(node: Node): boolean {
  return node.type === "expression_statement" || node.type === "let_declaration";
}

function isTypeNode(node: Node): boolean {
  return /type$|_type_identifier$|^type_identifier$|^primitive_type$/.test(node.type);
}
