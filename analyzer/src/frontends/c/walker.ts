// Turns one C/C++ function body into structured IR, in control-flow order. Statements
// become sequence / branch / loop / child / thread / exit nodes; calls become ops. Along
// the way it tracks, per local variable, what the value is (flag words, the ABI, ruleset
// attrs and fds, pids, abstract socket addresses) so that a call's flags, its ruleset and
// the signal target can be named. Anything unfamiliar is walked for the calls inside it
// and otherwise ignored: the walker never throws on odd trees (ERROR nodes included).

import type { IrBlock, IrCond, IrFunction, IrNode, IrOp, Range, RestrictFlags, RestrictMechanism, Tri } from "../../ir.js";
import type { Settings } from "../../settings.js";
import { nodeRange, type Node } from "../treesitter.js";
import { walkLimitsOf, type WalkLimits } from "../walk-limits.js";
import {
  baseName,
  CALLBACK_REGISTRATIONS,
  calleeNameOf,
  CHECKING_CALL,
  HOLDER_TYPE,
  NOT_A_CHECK,
  SUN_PATH_WRITERS,
  THREAD_EXIT_CALLS,
  EXEC_CALLS,
  EXIT_CALLS,
  FORK_CALLS,
  functionRefName,
  INERT_CALLS,
  PARALLEL_CALLS,
  POOL_SUBMIT_METHODS,
  POOL_TYPES,
  SETUID_CALLS,
  SIGNAL_CALLS,
  STATUS_EXIT_CALLS,
  stdName,
  THREAD_CONTAINER_METHODS,
  THREAD_CREATE_CALLS,
  THREAD_TYPES,
  TRANSPARENT_CALLS,
  type CalleeName,
} from "./call-names.js";
import { analyzeCondition, conditionImpliesFailure, type ConditionFacts } from "./conditions.js";
import { FileDefinitions, stringValueOfInitializer } from "./definitions.js";
import { RecordingDefinitions } from "./function-cache.js";
import { evaluate, type EvalScope } from "./evaluate.js";
import { exprOfNode, exprOfText, identifiersOf, stringLiteralValue, type Expr } from "./expr.js";
import {
  CREATE_RULESET_ERRATA,
  CREATE_RULESET_VERSION,
  PR_SET_NO_NEW_PRIVS,
  RESTRICT_LOG_NEW_EXEC_ON,
  RESTRICT_LOG_SAME_EXEC_OFF,
  RESTRICT_LOG_SUBDOMAINS_OFF,
  RESTRICT_NO_NEW_PRIVS,
  RESTRICT_TSYNC,
  SYSCALL_ADD_RULE,
  SYSCALL_CREATE_RULESET,
  SYSCALL_RESTRICT_SELF,
} from "./landlock-constants.js";
import { CLONE_THREAD, F_SETOWN, F_SETOWN_EX, SYSCALL_NAMES } from "./libc-constants.js";
import { attrFieldOf, Env, freshAttr, joinEnvs, rulesetInfoOf, unknownAttr, type AttrState, type Incoming, type PidOrigin, type VarFact } from "./state.js";
import { clear, exact, or, and, signed, UNKNOWN, valueOf, type Sym } from "./sym.js";
import {
  caseStatements,
  classTypeName,
  classTypeText,
  declaratorParts,
  isCallableRef,
  isCppCast,
  isStatementType,
  looksLikeAttrInitializer,
  memberFunctionRef,
  sockaddrFromInitializer,
  spanRangeOf,
  substitute,
  sunPathDestination,
  sunPathOwner,
  templateArgument,
  unwrapLambda,
  unwrapParens,
} from "./syntax.js";

/** What the file around a function provides to its walk. */
export interface FileContext {
  language: "c" | "cpp";
  defs: FileDefinitions;
  settings: Settings;
  /** Functions of this file that return the running ABI. */
  abiHelpers: Set<string>;
  /** Functions registered as signal handlers (a restriction there is a hand-made per-thread broadcast). */
  signalHandlers: Set<string>;
  /** Functions of this file that test whether the process has CAP_SYS_ADMIN. */
  capCheckers: Set<string>;
  /** Emits an extra function (a lambda stored in a variable). */
  addFunction(fn: IrFunction): void;
  /** Records that a function is registered to run repeatedly (signal handler, timer, event callback). */
  registerCallback(name: string, how: string, range: Range): void;
}

export interface FunctionInfo {
  name: string;
  /** Enclosing class of a method (`Sandbox` for `Sandbox::apply`). */
  className?: string;
  /** A comment in or above the function states it runs privileged (root, CAP_SYS_ADMIN). */
  privilegeDocumented: boolean;
  /** The function text mentions CAP_SYS_ADMIN / CAP_CLEAR (capset evidence). */
  mentionsCapSysAdmin: boolean;
  mentionsCapClear: boolean;
}

/** How the value of an expression is used: decides whether a call's result is checked. */
type Use =
  | { k: "test" }
  | { k: "discard" }
  | { k: "return" }
  | { k: "assign"; name: string }
  | { k: "arg"; callee: string }
  | { k: "other" };

const TEST: Use = { k: "test" };
const OTHER: Use = { k: "other" };
const DISCARD: Use = { k: "discard" };

interface Pos {
  /** Loop nesting depth: spawns inside a loop start many threads. */
  loop: number;
  /** Inside an arm selected by the running ABI (masking there is "best effort"). */
  abiGuard: boolean;
  /** Inside a switch: `break` ends the arm. */
  inSwitch: boolean;
}

/** What a Landlock-relevant call does with its arguments (direct, via syscall(), via a macro). */
interface LandlockCall {
  syscall: bigint;
  args: Arg[];
  api: string;
  mechanism: RestrictMechanism;
}

interface Arg {
  expr: Expr;
  node?: Node;
}

const LANDLOCK_API = new Map<string, bigint>([
  ["landlock_create_ruleset", SYSCALL_CREATE_RULESET],
  ["landlock_add_rule", SYSCALL_ADD_RULE],
  ["landlock_restrict_self", SYSCALL_RESTRICT_SELF],
  ["sys_landlock_create_ruleset", SYSCALL_CREATE_RULESET],
  ["sys_landlock_add_rule", SYSCALL_ADD_RULE],
  ["sys_landlock_restrict_self", SYSCALL_RESTRICT_SELF],
]);

const PSX_CALLS = new Set(["psx_syscall", "psx_syscall3", "psx_syscall6"]);

/** Variable names that hold the Landlock ABI even when its origin is not visible. */
const ABI_NAME = /(?:^|_)abi(?:_?version)?$|^abi_|landlock_?abi|landlock_?version|abi_?level/i;

const MAX_STATEMENT_DEPTH = 200;
const MAX_FALLTHROUGH = 8;
/** Arguments of one call whose pid and flag facts are recorded for the callee. */
const MAX_ARGUMENT_FACTS = 16;

export class FunctionWalker {
  private env = new Env();
  /** Ops whose result went into a variable that has not been tested yet. */
  private readonly pending = new Map<string, { resultChecked: Tri; resultReturned?: boolean }[]>();
  /** Variables holding the result of a Landlock call, and how that call signals failure. */
  private readonly resultVars = new Map<string, "zero-ok" | "nonneg-ok">();
  /** Declared C++ types of locals (`std::vector<std::thread> workers`). */
  private readonly types = new Map<string, string>();
  /** Parameter names of the function and their positions. */
  private readonly parameterIndex = new Map<string, number>();
  /** Locals initialised with a string literal (socket names). */
  private readonly strings = new Map<string, string>();
  /** Inside the value of a return statement: Landlock results read there reach the caller. */
  private returnDepth = 0;
  private labels: Map<string, { start: number; topLevel: boolean }> | undefined;
  private depth = 0;
  /** Set when a return statement hands back the running ABI. */
  returnsAbi = false;

  constructor(
    private readonly file: FileContext,
    private readonly info: FunctionInfo,
    private readonly bodyNode: Node,
    private readonly parameters: Node | null,
    private readonly hasGoto: boolean,
    /** For a function recovered from an ERROR node: its statements start at this offset. */
    private readonly bodyStart = 0,
  ) {
    this.declareParameters();
  }

  /** Walks the whole body; unchecked results still pending at the end stay "no". */
  walk(): IrBlock {
    this.labels = this.hasGoto ? this.collectLabels() : new Map();
    const out: IrBlock = [];
    const statements = this.statementsOf(this.bodyNode).filter((c) => c.startIndex >= this.bodyStart);
    this.block(statements, out, { loop: 0, abiGuard: false, inSwitch: false });
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // Scope for the evaluator

  private scope(): EvalScope {
    const self = this;
    const scope: EvalScope = {
      ident(name, depth) {
        const fact = self.env.get(name);
        if (fact) return fact.kind === "sym" ? fact.sym : undefined;
        return self.file.defs.value(name, scope, depth);
      },
      isAbiValue(e) {
        return self.isAbiValue(e);
      },
      call(callee, args, depth) {
        return self.macroCallValue(callee, args, scope, depth);
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
      return ABI_NAME.test(e.name) && !this.file.defs.hasMacro(e.name);
    }
    if (e.k === "call") {
      if (this.file.abiHelpers.has(e.callee)) return true;
      const ll = this.landlockCallOfExpr(e);
      return !!ll && ll.syscall === SYSCALL_CREATE_RULESET && this.createFlags(ll) === "version";
    }
    if (e.k === "field") return ABI_NAME.test(e.field);
    return false;
  }

  /** Value of a function-like macro call (`BIT(3)`), by substituting its parameters. */
  private macroCallValue(callee: string, args: Expr[], scope: EvalScope, depth: number): Sym | undefined {
    if (callee === "defined") return undefined;
    const macro = this.file.defs.functionMacros.get(callee);
    if (!macro || depth > 24) return undefined;
    const body = this.file.defs.macroBody(callee);
    if (!body) return undefined;
    const bound = new Map<string, Expr>();
    macro.params.forEach((p, i) => {
      if (args[i]) bound.set(p, args[i]!);
    });
    return evaluate(substitute(body, bound), scope, depth + 1);
  }

  private evalNode(node: Node | null | undefined): Sym {
    if (!node) return UNKNOWN;
    return evaluate(exprOfNode(node), this.scope());
  }

  // ------------------------------------------------------------------------------------------
  // Statements

  private statementsOf(node: Node): Node[] {
    return node.namedChildren.filter((c) => c.type !== "comment");
  }

  /** Walks a statement list; returns true when it cannot fall through (ends in an exit). */
  private block(statements: Node[], out: IrBlock, pos: Pos): boolean {
    let terminated = false;
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i]!;
      const startLength = out.length;
      const ended = this.statement(s, out, pos);
      // `if (fork() != 0) exit(0);` (daemonising): the rest of the block runs in the child.
      const childRest = this.continuesInChild(out, startLength);
      if (childRest && i + 1 < statements.length) {
        const body: IrBlock = [];
        const rest = statements.slice(i + 1);
        const restEnded = this.block(rest, body, pos);
        out.push({ kind: "child", how: childRest, body, range: spanRangeOf(rest[0]!, rest[rest.length - 1]!) });
        return restEnded;
      }
      if (ended) terminated = true;
    }
    return terminated;
  }

  /** The child side of a fork test whose parent side exits: what follows runs in the child. */
  private continuesInChild(out: IrBlock, from: number): string | undefined {
    if (out.length !== from + 1) return undefined;
    const node = out[from]!;
    if (node.kind !== "branch" || node.exhaustive || node.arms.length !== 1) return undefined;
    const marker = this.parentExitMarkers.get(node);
    return marker;
  }

  private readonly parentExitMarkers = new WeakMap<IrNode, string>();

  private limitsOfFile: WalkLimits | undefined;

  /**
   * Whether to walk into `node`: not when it is nested deeper than the walker follows (the
   * place is reported) or when the file's walk is out of time.
   */
  private enter(node: Node): boolean {
    const limits = (this.limitsOfFile ??= walkLimitsOf(this.file));
    if (this.depth > MAX_STATEMENT_DEPTH) {
      limits.tooDeep(nodeRange(node), MAX_STATEMENT_DEPTH);
      return false;
    }
    // A function walked for the incremental cache is reused by later builds as it is: it
    // must not be one cut short by this build's clock. (Without `startWalk` from the file
    // walker, which reports a stop, the limits have no clock at all.)
    if (this.file.defs instanceof RecordingDefinitions) return true;
    return !limits.outOfTime(() => nodeRange(node));
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
      case "compound_statement":
        return this.block(this.statementsOf(node), out, pos);
      case "expression_statement": {
        const e = node.namedChildren.find((c) => c.type !== "comment");
        if (e) this.expr(e, out, pos, DISCARD);
        return endsInExit(out);
      }
      case "declaration":
        this.declaration(node, out, pos);
        return false;
      case "if_statement":
        return this.ifStatement(node, out, pos);
      case "switch_statement":
        return this.switchStatement(node, out, pos);
      case "for_statement":
      case "while_statement":
      case "do_statement":
      case "for_range_loop":
        this.loop(node, out, pos);
        return false;
      case "return_statement": {
        const value = node.namedChildren.find((c) => c.type !== "comment");
        if (value) {
          this.returnDepth++;
          try {
            const fact = this.expr(value, out, pos, { k: "return" });
            if (fact?.kind === "abi" || this.isAbiValue(exprOfNode(value))) this.returnsAbi = true;
          } finally {
            this.returnDepth--;
          }
        }
        out.push({ kind: "exit", range: nodeRange(node) });
        return true;
      }
      case "throw_statement": {
        for (const c of node.namedChildren) if (c.type !== "comment") this.expr(c, out, pos, OTHER);
        out.push({ kind: "exit", range: nodeRange(node) });
        return true;
      }
      case "goto_statement": {
        const label = node.childForFieldName("label")?.text;
        if (label && this.isExitingGoto(label, node.startIndex)) {
          out.push({ kind: "exit", range: nodeRange(node) });
          return true;
        }
        return false;
      }
      case "labeled_statement": {
        const inner = node.namedChildren.filter((c) => c.type !== "statement_identifier" && c.type !== "comment");
        return this.block(inner, out, pos);
      }
      case "break_statement":
      case "continue_statement":
        return false;
      case "try_statement":
        return this.tryStatement(node, out, pos);
      case "case_statement":
        // A case label outside a recognised switch body (after an ERROR): walk its statements.
        return this.block(caseStatements(node), out, pos);
      case "preproc_if":
      case "preproc_ifdef":
        return this.preprocessorBranch(node, out, pos);
      case "preproc_def":
      case "preproc_function_def":
        this.file.defs.collect(node);
        return false;
      case "preproc_call":
        this.pragma(node, out);
        return false;
      case "function_definition":
        return this.macroBlock(node, out, pos);
      case "comment":
      case "type_definition":
      case "struct_specifier":
      case "enum_specifier":
      case "union_specifier":
      case "class_specifier":
      case "alias_declaration":
      case "using_declaration":
      case "static_assert_declaration":
      case "namespace_alias_definition":
        if (node.type === "enum_specifier" || node.type === "type_definition") this.collectEnums(node);
        return false;
      default:
        // ERROR nodes and anything else: use whatever calls are recognisable inside.
        for (const c of node.namedChildren) {
          if (isStatementType(c.type)) this.statement(c, out, pos);
          else this.expr(c, out, pos, OTHER);
        }
        return false;
    }
  }

  /**
   * Inside a body, `FOR_EACH(x) { ... }` or `WITH_LOCK(m) { ... }` parses as a nested
   * function definition. Its block runs here: repeatedly when the macro reads as a loop.
   */
  private macroBlock(node: Node, out: IrBlock, pos: Pos): boolean {
    const body = node.childForFieldName("body");
    if (!body) return false;
    const macro = node.childForFieldName("type")?.text ?? "";
    if (/each|for|loop|iter|list|while|repeat|all/i.test(macro)) {
      const loopBody: IrBlock = [];
      const before = this.env.clone();
      this.block(this.statementsOf(body), loopBody, { ...pos, loop: pos.loop + 1, inSwitch: false });
      this.env = joinEnvs([{ env: before }, { env: this.env }]);
      out.push({ kind: "loop", body: loopBody, range: nodeRange(node) });
      return false;
    }
    return this.block(this.statementsOf(body), out, pos);
  }

  private collectEnums(node: Node): void {
    for (const list of node.descendantsOfType("enumerator_list")) this.file.defs.collectEnum(list);
  }

  private declaration(node: Node, out: IrBlock, pos: Pos): void {
    const typeNode = node.childForFieldName("type");
    const typeText = typeNode ? typeNode.text.replace(/\s+/g, "") : "";
    if (typeNode?.type === "enum_specifier" && typeNode.childForFieldName("body")) this.collectEnums(typeNode);
    const isConst = node.namedChildren.some((c) => c.type === "type_qualifier" && /const/.test(c.text));
    const classType = this.file.language === "cpp" && typeNode ? this.classType(classTypeName(typeNode)) : undefined;
    for (const d of node.childrenForFieldName("declarator")) {
      if (d.type === "function_declarator" && classType) {
        // `RulesetFd ruleset(attr);` parses as a function declaration; in a body it builds an object.
        const declared = d.childForFieldName("declarator");
        if (declared?.type === "identifier") {
          this.types.set(declared.text, typeText);
          this.constructorCall(classType, d, [], out);
        }
        continue;
      }
      const { name, value } = declaratorParts(d);
      if (name) this.types.set(name, typeText);
      if (THREAD_TYPES.test(typeText) && value) {
        // std::thread t(fn, args...) / std::thread t{fn}
        const args = value.type === "argument_list" || value.type === "initializer_list" ? value.namedChildren.filter((c) => c.type !== "comment") : [];
        if (args.length) {
          this.threadStart(typeText, args[0]!, args.slice(1), d, out, pos);
          continue;
        }
      }
      if (POOL_TYPES.test(typeText) && !HOLDER_TYPE.test(typeText) && !/[*&]/.test(d.text.split("=")[0] ?? "")) {
        if (value) this.walkArgs(value, out, pos, typeText);
        out.push({ kind: "op", op: { type: "spawn", mechanism: typeText, count: "many", range: nodeRange(d) } });
        continue;
      }
      if (value?.type === "initializer_list") this.callbacksInInitializer(value);
      if (!name) {
        if (value) this.expr(value, out, pos, OTHER);
        continue;
      }
      if (value?.type === "lambda_expression") {
        this.emitLambdaFunction(name, value, d);
        continue;
      }
      const literal = value ? stringValueOfInitializer(value) : undefined;
      if (literal !== undefined) this.strings.set(name, literal);
      if (/sockaddr_un/.test(typeText)) {
        this.env.set(name, value?.type === "initializer_list" ? sockaddrFromInitializer(value) : { kind: "sockaddr", abstract: false });
        if (value && value.type !== "initializer_list") this.expr(value, out, pos, OTHER);
        continue;
      }
      if (/landlock_ruleset_attr/.test(typeText) && !/\*/.test(d.text.split("=")[0] ?? "")) {
        this.env.set(name, { kind: "attr", attr: value ? this.attrFromInitializer(value) : unknownAttr() });
        continue;
      }
      const attrType = this.file.defs.attrTypes.get(typeText.replace(/^(?:const)?(?:struct)?/, "").replace(/^.*::/, ""));
      if (attrType && !/\*/.test(d.text.split("=")[0] ?? "")) {
        this.env.set(name, { kind: "attr", attr: value ? this.attrFromInitializer(value, attrType) : unknownAttr() });
        continue;
      }
      if (value?.type === "initializer_list" && looksLikeAttrInitializer(value)) {
        // A home-made attr struct (`struct ll_attr { u64 fs, net, scoped; }`) for raw syscalls.
        this.env.set(name, { kind: "attr", attr: this.attrFromInitializer(value) });
        continue;
      }
      if (classType && (!value || value.type === "argument_list" || value.type === "initializer_list") && !/^[*&]/.test(d.type === "init_declarator" ? (d.childForFieldName("declarator")?.type === "identifier" ? "" : "*") : d.type === "identifier" ? "" : "*")) {
        // `Pool pool(4);`, `Pool pool{4};`, `Pool pool;`: the constructor runs here.
        const ctorArgs = value ? value.namedChildren.filter((c) => c.type !== "comment") : [];
        for (const a of ctorArgs) this.expr(a, out, pos, { k: "arg", callee: classType });
        this.constructorCall(classType, d, ctorArgs, out);
        continue;
      }
      if (!value) {
        this.env.set(name, { kind: "sym", sym: UNKNOWN });
        continue;
      }
      const fact = this.expr(value, out, pos, { k: "assign", name });
      this.assignFact(name, "=", value, fact);
      if (isConst && !fact) this.file.defs.collectConstant(name, value);
    }
  }

  /** `struct sigaction sa = { .sa_handler = on_usr1 };` registers a handler. */
  private callbacksInInitializer(init: Node): void {
    const text = init.text;
    if (!/sa_handler|sa_sigaction|sigev_notify_function/.test(text)) return;
    for (const pair of init.descendantsOfType("initializer_pair")) {
      const field = pair.childForFieldName("designator")?.text.replace(/^\./, "");
      if (field !== "sa_handler" && field !== "sa_sigaction" && field !== "sigev_notify_function") continue;
      const fn = functionRefName(pair.childForFieldName("value"));
      if (fn && fn !== "SIG_IGN" && fn !== "SIG_DFL") this.file.registerCallback(fn, field === "sigev_notify_function" ? "timer notification" : "sigaction", nodeRange(pair));
    }
  }

  private declareParameters(): void {
    if (!this.parameters) return;
    let index = -1;
    for (const p of this.parameters.namedChildren) {
      if (p.type === "parameter_declaration" || p.type === "optional_parameter_declaration" || p.type === "variadic_parameter_declaration") index++;
      if (p.type !== "parameter_declaration") continue;
      const typeText = p.childForFieldName("type")?.text.replace(/\s+/g, "") ?? "";
      const d = p.childForFieldName("declarator");
      const { name } = d ? declaratorParts(d) : { name: undefined };
      if (!name) continue;
      this.parameterIndex.set(name, index);
      this.types.set(name, typeText);
      if (/landlock_ruleset_attr/.test(typeText)) this.env.set(name, { kind: "attr", attr: unknownAttr() });
    }
  }

  private ifStatement(node: Node, out: IrBlock, pos: Pos): boolean {
    const condNode = node.childForFieldName("condition");
    const consequence = node.childForFieldName("consequence");
    const alternative = node.childForFieldName("alternative");
    const cond = condNode ? this.condition(condNode, out, pos) : undefined;
    const facts = cond?.facts;
    const before = this.env;

    const thenEnv = before.clone();
    this.env = thenEnv;
    const thenBody: IrBlock = [];
    const thenPos = { ...pos, abiGuard: pos.abiGuard || !!facts?.thenAbi };
    if (facts?.privileged?.side === "then") thenBody.push(capOp(facts.privileged.api, condNode!));
    const thenEnded = consequence ? this.statement(consequence, thenBody, thenPos) : false;
    const thenOut = this.env;

    let elseBody: IrBlock | undefined;
    let elseEnded = false;
    let elseOut = before;
    if (alternative) {
      this.env = before.clone();
      elseBody = [];
      const elsePos = { ...pos, abiGuard: pos.abiGuard || !!facts?.elseAbi };
      if (facts?.privileged?.side === "else") elseBody.push(capOp(facts.privileged.api, condNode!));
      const stmts = alternative.type === "else_clause" ? this.statementsOf(alternative) : [alternative];
      elseEnded = this.block(stmts, elseBody, elsePos);
      elseOut = this.env;
    }

    const incoming: Incoming[] = [];
    if (!thenEnded) incoming.push(withAbi(thenOut, facts?.thenAbi));
    if (!elseEnded) incoming.push(withAbi(elseOut, alternative ? facts?.elseAbi : facts?.elseAbi));
    this.env = incoming.length ? joinEnvs(incoming) : before;

    const wrap = (side: "then" | "else", body: IrBlock, stmt: Node | null): IrBlock =>
      facts?.child?.side === side && stmt ? [{ kind: "child", how: facts.child.how, body, range: nodeRange(stmt) }] : body;
    const arms = [{ cond: facts?.thenCond, body: wrap("then", thenBody, consequence) }];
    if (elseBody) arms.push({ cond: facts?.elseCond, body: wrap("else", elseBody, alternative) });
    const branch: IrNode = { kind: "branch", arms: arms.map(cleanArm), exhaustive: !!alternative, preprocessor: false, range: nodeRange(node) };
    out.push(branch);
    if (!alternative && facts?.child?.side === "else" && thenEnded) this.parentExitMarkers.set(branch, facts.child.how);
    // `if (!has_cap(CAP_SYS_ADMIN)) return -1;`: what follows runs privileged.
    if (!alternative && facts?.privileged?.side === "else" && thenEnded) out.push(capOp(facts.privileged.api, condNode!));
    return thenEnded && elseEnded && !!alternative;
  }

  /** Walks a condition (emitting its calls) and reads what it says. */
  private condition(condNode: Node, out: IrBlock, pos: Pos): { facts: ConditionFacts; expr: Expr } | undefined {
    let valueNode: Node | null = condNode;
    if (condNode.type === "condition_clause") {
      const init = condNode.childForFieldName("initializer");
      if (init) this.statement(init.type === "init_statement" ? (init.namedChild(0) ?? init) : init, out, pos);
      valueNode = condNode.childForFieldName("value");
      if (valueNode?.type === "declaration") {
        // `if (int r = f())`: the declared variable is the tested value.
        this.declaration(valueNode, out, pos);
        const d = valueNode.childForFieldName("declarator");
        const name = d ? declaratorParts(d).name : undefined;
        if (!name) return undefined;
        this.readVar(name, TEST);
        return this.conditionFacts({ k: "id", name }, valueNode.text);
      }
    }
    if (!valueNode) return undefined;
    const inner = unwrapParens(valueNode);
    this.expr(inner, out, pos, TEST);
    return this.conditionFacts(exprOfNode(inner), inner.text);
  }

  private conditionFacts(e: Expr, text: string): { facts: ConditionFacts; expr: Expr } {
    const facts = analyzeCondition(e, text, {
      scope: this.scope(),
      landlockResult: (x) => this.landlockResultKind(x),
      forkResult: (x) => this.forkResult(x),
      isCapFlag: (name) => this.env.get(name)?.kind === "capflag" || this.file.capCheckers.has(name) || /sys_?admin/i.test(name),
      privilegeDocumented: this.info.privilegeDocumented,
    });
    return { facts, expr: e };
  }

  private landlockResultKind(e: Expr): "zero-ok" | "nonneg-ok" | undefined {
    if (e.k === "id") return this.resultVars.get(e.name);
    if (e.k !== "call") return undefined;
    const ll = this.landlockCallOfExpr(e);
    if (ll) return ll.syscall === SYSCALL_CREATE_RULESET ? "nonneg-ok" : "zero-ok";
    if (stdName(e.callee) === "prctl" && e.args[0] && valueOf(evaluate(e.args[0], this.scope())) === PR_SET_NO_NEW_PRIVS) return "zero-ok";
    if (this.file.abiHelpers.has(e.callee)) return "nonneg-ok";
    if (this.isRestrictWrapper(e.callee)) return "zero-ok";
    return undefined;
  }

  private forkResult(e: Expr): string | undefined {
    if (e.k === "call") {
      const name = stdName(e.callee);
      if (FORK_CALLS.has(name)) return name.replace(/^_+/, "") || "fork";
      if (name === "syscall" && e.args[0]) {
        const nr = valueOf(evaluate(e.args[0], this.scope()));
        const sys = nr === undefined ? undefined : SYSCALL_NAMES.get(nr);
        if (sys === "fork" || sys === "vfork") return sys;
        if (sys === "clone" && e.args[1] && !this.hasCloneThread(evaluate(e.args[1], this.scope()))) return "clone";
      }
      return undefined;
    }
    if (e.k === "id") {
      const fact = this.env.get(e.name);
      if (fact?.kind === "pid" && fact.origin === "fork") return fact.how ?? "fork";
    }
    return undefined;
  }

  private switchStatement(node: Node, out: IrBlock, pos: Pos): boolean {
    const condNode = node.childForFieldName("condition");
    const body = node.childForFieldName("body");
    let subject: Expr | undefined;
    if (condNode) {
      const inner = unwrapParens(condNode.type === "condition_clause" ? (condNode.childForFieldName("value") ?? condNode) : condNode);
      this.expr(inner, out, pos, TEST);
      subject = exprOfNode(inner);
    }
    const cases = body ? this.statementsOf(body).filter((c) => c.type === "case_statement") : [];
    const onAbi = !!subject && this.isAbiValue(subject);
    const forkHow = subject ? this.forkResult(subject) : undefined;
    const before = this.env;
    const arms: { cond?: IrCond; body: IrBlock }[] = [];
    const incoming: Incoming[] = [];
    let hasDefault = false;
    let allEnded = cases.length > 0;
    // On the ABI, the first version no case names splits "a case ran" from "none did".
    const caseBounds = cases.map((c) => this.caseBounds(c));
    const aboveCases = onAbi && caseBounds.every((b) => b) ? Math.max(...caseBounds.map((b) => b!.hi)) + 1 : undefined;
    const annotate = (env: Env, isDefault: boolean): Incoming =>
      aboveCases !== undefined && aboveCases > 1 && aboveCases < 1000 ? { env, abi: { abi: aboveCases, negated: !isDefault } } : { env };
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      const valueNode = c.childForFieldName("value");
      if (!valueNode) hasDefault = true;
      if (caseStatements(c).length === 0 && i + 1 < cases.length) continue; // shares the next arm
      const labels: (Node | null)[] = [valueNode];
      for (let j = i - 1; j >= 0 && caseStatements(cases[j]!).length === 0; j--) labels.push(cases[j]!.childForFieldName("value"));
      this.env = before.clone();
      const armBody: IrBlock = [];
      const armPos = { ...pos, abiGuard: pos.abiGuard || onAbi, inSwitch: true };
      // Fall through into following cases until a break or an exit.
      let ended = false;
      let broke = false;
      for (let j = i; j < cases.length && j < i + MAX_FALLTHROUGH; j++) {
        const stmts = caseStatements(cases[j]!);
        const breakAt = stmts.findIndex((s) => s.type === "break_statement");
        const slice = breakAt >= 0 ? stmts.slice(0, breakAt) : stmts;
        ended = this.block(slice, armBody, armPos);
        if (ended || breakAt >= 0) {
          broke = breakAt >= 0;
          break;
        }
      }
      const numbers = labels.map((l) => (l ? valueOf(this.evalNode(l)) : undefined));
      const isChildArm = !!forkHow && numbers.some((n) => n === 0n);
      const isDefault = labels.some((l) => !l);
      let cond: IrCond;
      if (isDefault) cond = { kind: "other", text: "default" };
      else if (onAbi && numbers.every((n) => n !== undefined && n > 1n && n < 1000n)) {
        cond = { kind: "abi-at-least", abi: Math.min(...numbers.map((n) => Number(n))), negated: false };
      } else cond = { kind: "other", text: `case ${labels.map((l) => l?.text ?? "default").join(", ")}` };
      arms.push({ cond, body: isChildArm ? [{ kind: "child", how: forkHow!, body: armBody, range: nodeRange(c) }] : armBody });
      if (!ended || broke) incoming.push(annotate(this.env, isDefault));
      if (!ended) allEnded = false;
    }
    if (!hasDefault) {
      incoming.push(annotate(before, true));
      allEnded = false;
    }
    this.env = incoming.length ? joinEnvs(incoming) : before;
    out.push({ kind: "branch", arms: arms.map(cleanArm), exhaustive: hasDefault, preprocessor: false, range: nodeRange(node) });
    return allEnded && hasDefault;
  }

  /** The values a case label covers: `case 7:`, `case 1 ... 6:` (GNU range); undefined for default or non-constants. */
  private caseBounds(c: Node): { lo: number; hi: number } | undefined {
    const value = c.childForFieldName("value");
    if (!value) return undefined;
    const lo = valueOf(this.evalNode(value));
    if (lo === undefined) return undefined;
    const range = /^case\s+[^:]*?\.\.\.\s*([^:]+?)\s*:/.exec(c.text.slice(0, 200));
    const hiValue = range ? valueOf(evaluate(exprOfText(range[1]!) ?? { k: "unknown", text: "" }, this.scope())) : lo;
    if (hiValue === undefined) return undefined;
    return { lo: Number(signed(lo)), hi: Number(signed(hiValue)) };
  }

  private loop(node: Node, out: IrBlock, pos: Pos): void {
    const before = this.env.clone();
    const body: IrBlock = [];
    const inner = { ...pos, loop: pos.loop + 1, inSwitch: false };
    let condition: Node | undefined;
    switch (node.type) {
      case "for_statement": {
        const init = node.childForFieldName("initializer");
        if (init) {
          if (init.type === "declaration") this.declaration(init, out, pos);
          else this.expr(init, out, pos, DISCARD);
        }
        const cond = node.childForFieldName("condition");
        if (cond) {
          condition = unwrapParens(cond);
          this.expr(condition, body, inner, TEST);
        }
        const b = node.childForFieldName("body");
        if (b) this.statement(b, body, inner);
        const update = node.childForFieldName("update");
        if (update) this.expr(update, body, inner, DISCARD);
        break;
      }
      case "while_statement": {
        const cond = node.childForFieldName("condition");
        if (cond) {
          condition = unwrapParens(cond.type === "condition_clause" ? (cond.childForFieldName("value") ?? cond) : cond);
          this.expr(condition, body, inner, TEST);
        }
        const b = node.childForFieldName("body");
        if (b) this.statement(b, body, inner);
        break;
      }
      case "do_statement": {
        const b = node.childForFieldName("body");
        if (b) this.statement(b, body, inner);
        const cond = node.childForFieldName("condition");
        if (cond) {
          condition = unwrapParens(cond);
          this.expr(condition, body, inner, TEST);
        }
        break;
      }
      case "for_range_loop": {
        const right = node.childForFieldName("right");
        if (right) this.expr(right, out, pos, OTHER);
        const b = node.childForFieldName("body");
        if (b) this.statement(b, body, inner);
        break;
      }
    }
    const loopNode: IrNode = { kind: "loop", body, range: nodeRange(node) };
    const max = this.maxIterations(node, condition);
    if (max !== undefined) loopNode.maxIterations = max;
    if (condition && conditionImpliesFailure(exprOfNode(condition), (e) => this.landlockResultKind(e), this.scope())) loopNode.repeatCond = { kind: "error-path" };
    this.env = joinEnvs([{ env: before }, { env: this.env }]);
    out.push(loopNode);
  }

  /** Bound of `for (i = a; i < b; i++)`, `do { } while (0)`, `while (0)`. */
  private maxIterations(node: Node, condition: Node | undefined): number | undefined {
    if (condition && valueOf(this.evalNode(condition)) === 0n) return node.type === "do_statement" ? 1 : 0;
    if (node.type !== "for_statement" || !condition) return undefined;
    const init = node.childForFieldName("initializer");
    const update = node.childForFieldName("update");
    if (!init || !update || condition.type !== "binary_expression") return undefined;
    const counter = condition.childForFieldName("left");
    if (counter?.type !== "identifier") return undefined;
    const name = counter.text;
    let start: Node | null | undefined;
    if (init.type === "declaration") {
      for (const d of init.childrenForFieldName("declarator")) {
        const parts = declaratorParts(d);
        if (parts.name === name) start = parts.value;
      }
    } else if (init.type === "assignment_expression" && init.childForFieldName("left")?.text === name) start = init.childForFieldName("right");
    const a = start ? valueOf(this.evalNode(start)) : undefined;
    const b = valueOf(this.evalNode(condition.childForFieldName("right")));
    if (a === undefined || b === undefined) return undefined;
    const op = condition.childForFieldName("operator")?.text;
    const step = update.text.replace(/\s+/g, "");
    if (step !== `${name}++` && step !== `++${name}` && step !== `${name}+=1`) return undefined;
    const lo = signed(a);
    const hi = signed(b);
    const n = op === "<" || op === "!=" ? hi - lo : op === "<=" ? hi - lo + 1n : undefined;
    if (n === undefined) return undefined;
    return n < 0n ? 0 : n > 1_000_000n ? undefined : Number(n);
  }

  private tryStatement(node: Node, out: IrBlock, pos: Pos): boolean {
    const body = node.childForFieldName("body");
    const ended = body ? this.statement(body, out, pos) : false;
    const handlers = node.namedChildren.filter((c) => c.type === "catch_clause");
    if (handlers.length) {
      const before = this.env;
      const arms: { cond?: IrCond; body: IrBlock }[] = [];
      for (const h of handlers) {
        this.env = before.clone();
        const armBody: IrBlock = [];
        const hb = h.childForFieldName("body");
        if (hb) this.statement(hb, armBody, pos);
        arms.push({ cond: { kind: "other", text: `catch ${h.childForFieldName("parameters")?.text ?? ""}`.trim() }, body: armBody });
      }
      this.env = before;
      out.push({ kind: "branch", arms: arms.map(cleanArm), exhaustive: false, preprocessor: false, range: nodeRange(node) });
    }
    return ended;
  }

  /** `#if`/`#ifdef` inside a body: alternatives (or only the live branch when it is known). */
  private preprocessorBranch(node: Node, out: IrBlock, pos: Pos): boolean {
    const alternatives: { cond: IrCond; statements: Node[] }[] = [];
    let exhaustive = false;
    let current: Node | null = node;
    for (let guard = 0; current && guard < 64; guard++) {
      const isElse = current.type === "preproc_else";
      const liveness = isElse ? "live" : this.file.defs.liveness(current);
      const alternative = current.childForFieldName("alternative");
      if (liveness !== "dead") {
        const skip = new Set([alternative?.id, current.childForFieldName("condition")?.id, current.childForFieldName("name")?.id]);
        const statements = current.namedChildren.filter((c) => c.type !== "comment" && !skip.has(c.id));
        if (liveness === "live" && alternatives.length === 0) return this.block(statements, out, pos);
        alternatives.push({ cond: { kind: "other", text: isElse ? "#else" : FileDefinitions.conditionText(current) }, statements });
        if (liveness === "live") {
          exhaustive = true;
          break;
        }
      }
      current = alternative;
    }
    if (alternatives.length === 0) return false;
    const before = this.env;
    const incoming: Incoming[] = [];
    const arms: { cond?: IrCond; body: IrBlock }[] = [];
    let allEnded = exhaustive;
    for (const alt of alternatives) {
      this.env = before.clone();
      const body: IrBlock = [];
      const ended = this.block(alt.statements, body, pos);
      if (!ended) {
        incoming.push({ env: this.env });
        allEnded = false;
      }
      arms.push({ cond: alt.cond, body });
    }
    if (!exhaustive) incoming.push({ env: before });
    this.env = incoming.length ? joinEnvs(incoming) : before;
    out.push({ kind: "branch", arms: arms.map(cleanArm), exhaustive, preprocessor: true, range: nodeRange(node) });
    return allEnded;
  }

  private pragma(node: Node, out: IrBlock): void {
    const directive = node.childForFieldName("directive")?.text;
    const arg = node.childForFieldName("argument")?.text ?? "";
    if (directive === "#pragma" && /^\s*omp\s+(?:parallel|teams)\b/.test(arg)) {
      out.push({ kind: "op", op: { type: "spawn", mechanism: "OpenMP parallel region", count: "many", range: nodeRange(node) } });
    }
  }

  private collectLabels(): Map<string, { start: number; topLevel: boolean }> {
    const labels = new Map<string, { start: number; topLevel: boolean }>();
    for (const l of this.bodyNode.descendantsOfType("labeled_statement")) {
      const name = l.childForFieldName("label")?.text;
      if (name) labels.set(name, { start: l.startIndex, topLevel: l.parent?.id === this.bodyNode.id });
    }
    return labels;
  }

  /** A forward goto to an error label, or to a label in the function's top-level tail, leaves the current flow. */
  private isExitingGoto(label: string, at: number): boolean {
    const target = this.labels?.get(label);
    if (!target || target.start < at) return false;
    return target.topLevel || /err|fail|bail|abort|fatal|die|panic|out|cleanup|exit|done|finish|end/i.test(label);
  }

  // ------------------------------------------------------------------------------------------
  // Expressions

  /** Walks an expression in evaluation order, emitting ops; returns what its value is known to be. */
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
      case "call_expression":
        return this.call(node, out, pos, use);
      case "identifier": {
        this.readVar(node.text, use);
        return this.env.get(node.text);
      }
      case "parenthesized_expression": {
        const inner = node.namedChildren.filter((c) => c.type !== "comment");
        for (let i = 0; i < inner.length - 1; i++) this.expr(inner[i]!, out, pos, DISCARD);
        return inner.length ? this.expr(inner[inner.length - 1]!, out, pos, use) : undefined;
      }
      case "cast_expression": {
        const value = node.childForFieldName("value");
        const type = node.childForFieldName("type")?.text.replace(/\s+/g, "");
        return value ? this.expr(value, out, pos, type === "void" ? DISCARD : use) : undefined;
      }
      case "assignment_expression":
        return this.assignment(node, out, pos, use);
      case "binary_expression": {
        const op = node.childForFieldName("operator")?.text ?? "";
        const l = node.childForFieldName("left");
        const r = node.childForFieldName("right");
        const operandUse = ["==", "!=", "<", ">", "<=", ">=", "&&", "||"].includes(op) ? TEST : OTHER;
        if (l) this.expr(l, out, pos, operandUse);
        if (r) {
          if (op === "&&" || op === "||") this.conditionalOps(r, out, pos, operandUse, `${op === "&&" ? "" : "!"}(${l?.text ?? ""})`);
          else this.expr(r, out, pos, operandUse);
        }
        return undefined;
      }
      case "unary_expression": {
        const op = node.childForFieldName("operator")?.text ?? node.child(0)?.text;
        const arg = node.childForFieldName("argument");
        if (arg) this.expr(arg, out, pos, op === "!" ? TEST : OTHER);
        return undefined;
      }
      case "conditional_expression": {
        const c = node.childForFieldName("condition");
        const t = node.childForFieldName("consequence");
        const f = node.childForFieldName("alternative");
        const facts = c ? this.conditionFromExpr(c, out, pos) : undefined;
        const thenBody: IrBlock = [];
        const elseBody: IrBlock = [];
        if (t) this.expr(t, thenBody, pos, use);
        if (f) this.expr(f, elseBody, pos, use);
        if (thenBody.length || elseBody.length) {
          out.push({
            kind: "branch",
            arms: [cleanArm({ cond: facts?.thenCond, body: thenBody }), cleanArm({ cond: facts?.elseCond, body: elseBody })],
            exhaustive: true,
            preprocessor: false,
            range: nodeRange(node),
          });
        }
        return undefined;
      }
      case "comma_expression": {
        const l = node.childForFieldName("left");
        const r = node.childForFieldName("right");
        if (l) this.expr(l, out, pos, DISCARD);
        return r ? this.expr(r, out, pos, use) : undefined;
      }
      case "lambda_expression":
        this.callbackLambda(node, use.k === "arg" ? use.callee : "a callback", out, pos);
        return undefined;
      case "new_expression":
        this.newExpression(node, out, pos);
        return undefined;
      case "sizeof_expression":
      case "alignof_expression":
      case "offsetof_expression":
      case "string_literal":
      case "concatenated_string":
      case "raw_string_literal":
      case "number_literal":
      case "char_literal":
      case "true":
      case "false":
      case "null":
      case "nullptr":
      case "comment":
        return undefined;
      case "field_expression": {
        const arg = node.childForFieldName("argument");
        if (arg && arg.type !== "identifier") this.expr(arg, out, pos, OTHER);
        return undefined;
      }
      case "compound_statement": {
        // GNU statement expression `({ ... })`.
        this.block(this.statementsOf(node), out, pos);
        return undefined;
      }
      default:
        for (const c of node.namedChildren) {
          if (isStatementType(c.type)) this.statement(c, out, pos);
          else this.expr(c, out, pos, OTHER);
        }
        return undefined;
    }
  }

  /** The right side of `&&` / `||` runs only sometimes: its ops go in an optional arm. */
  private conditionalOps(node: Node, out: IrBlock, pos: Pos, use: Use, condText: string): void {
    const body: IrBlock = [];
    this.expr(node, body, pos, use);
    if (body.length === 0) return;
    out.push({ kind: "branch", arms: [{ cond: { kind: "other", text: condText.slice(0, 160) }, body }], exhaustive: false, preprocessor: false, range: nodeRange(node) });
  }

  private conditionFromExpr(c: Node, out: IrBlock, pos: Pos): ConditionFacts {
    const inner = unwrapParens(c);
    this.expr(inner, out, pos, TEST);
    return this.conditionFacts(exprOfNode(inner), inner.text).facts;
  }

  private assignment(node: Node, out: IrBlock, pos: Pos, use: Use): VarFact | undefined {
    const left = node.childForFieldName("left");
    const right = node.childForFieldName("right");
    const op = node.childForFieldName("operator")?.text ?? "=";
    if (!left || !right) return undefined;
    const target = left.type === "identifier" ? left.text : undefined;
    if (target && right.type === "lambda_expression" && op === "=") {
      this.emitLambdaFunction(target, right, node);
      return undefined;
    }
    // A tested assignment (`if ((fd = create(...)) < 0)`) is a tested call.
    const rightUse: Use = use.k === "test" || use.k === "return" ? use : target ? { k: "assign", name: target } : OTHER;
    if (target && op === "=") this.pending.delete(target);
    const fact = this.expr(right, out, pos, rightUse);
    if (target) {
      this.assignFact(target, op, right, fact);
      return this.env.get(target);
    }
    this.assignField(left, op, right, pos);
    if (left.type !== "field_expression" && left.type !== "subscript_expression") this.expr(left, out, pos, OTHER);
    return undefined;
  }

  /** Records what a local variable holds after `name op= value`. */
  private assignFact(name: string, op: string, valueNode: Node, fact: VarFact | undefined): void {
    const valueExpr = exprOfNode(valueNode);
    if (op === "=") {
      if (fact && fact.kind !== "sym") {
        this.env.set(name, fact);
        return;
      }
      const current = this.env.get(name);
      if (current?.kind === "attr" && valueNode.type === "initializer_list") {
        this.env.set(name, { kind: "attr", attr: this.attrFromInitializer(valueNode) });
        return;
      }
      if (this.isAbiValue(valueExpr) || (valueExpr.k === "call" && ABI_NAME.test(name))) {
        this.env.set(name, { kind: "abi" });
        return;
      }
      const pid = this.pidOrigin(valueExpr);
      if (pid) {
        this.env.set(name, { kind: "pid", origin: pid });
        return;
      }
      this.env.set(name, { kind: "sym", sym: fact?.kind === "sym" ? fact.sym : evaluate(valueExpr, this.scope()) });
      return;
    }
    const current = this.env.get(name);
    const currentSym = current?.kind === "sym" ? current.sym : UNKNOWN;
    const rhs = evaluate(valueExpr, this.scope());
    let next: Sym;
    if (op === "|=") next = or(currentSym, rhs);
    else if (op === "&=") {
      const mask = valueExpr.k === "un" && valueExpr.op === "~" ? valueOf(evaluate(valueExpr.e, this.scope())) : undefined;
      next = mask !== undefined ? clear(currentSym, mask) : and(currentSym, rhs);
    } else next = UNKNOWN;
    if (current && current.kind !== "sym") return;
    this.env.set(name, { kind: "sym", sym: next });
  }

  /** `attr.scoped = ...`, `attr.handled_access_fs &= ~X`, `addr.sun_path[0] = '\0'`. */
  private assignField(left: Node, op: string, right: Node, pos: Pos): void {
    if (left.type === "field_expression") {
      const obj = left.childForFieldName("argument");
      const field = left.childForFieldName("field")?.text;
      if (field === "sa_handler" || field === "sa_sigaction" || field === "sigev_notify_function") {
        const fn = functionRefName(right);
        if (fn && fn !== "SIG_IGN" && fn !== "SIG_DFL") this.file.registerCallback(fn, field === "sigev_notify_function" ? "timer notification" : "sigaction", nodeRange(left.parent ?? left));
        return;
      }
      const word = field ? attrFieldOf(field) : undefined;
      const objName = obj?.type === "identifier" ? obj.text : obj?.type === "pointer_expression" ? obj.childForFieldName("argument")?.text : undefined;
      if (!objName || !word) return;
      const fact = this.env.get(objName);
      if (fact?.kind !== "attr") return;
      const attr = { ...fact.attr };
      const valueExpr = exprOfNode(right);
      const rhs = evaluate(valueExpr, this.scope());
      const mentionsAbi = [...identifiersOf(valueExpr)].some((id) => this.isAbiValue({ k: "id", name: id }));
      if (op === "=") attr[word] = rhs;
      else if (op === "|=") attr[word] = or(attr[word], rhs);
      else if (op === "&=") {
        const mask = valueExpr.k === "un" && valueExpr.op === "~" ? valueOf(evaluate(valueExpr.e, this.scope())) : undefined;
        attr[word] = mask !== undefined ? clear(attr[word], mask) : and(attr[word], rhs);
      } else attr[word] = UNKNOWN;
      if ((op !== "|=" && pos.abiGuard) || mentionsAbi) attr.masked = true;
      this.env.set(objName, { kind: "attr", attr });
      return;
    }
    if (left.type === "subscript_expression") {
      const base = left.childForFieldName("argument");
      const index = left.childForFieldName("index") ?? left.childForFieldName("indices")?.namedChild(0);
      const owner = sunPathOwner(base);
      if (owner && index && valueOf(this.evalNode(index)) === 0n && valueOf(this.evalNode(right)) === 0n) {
        const fact = this.env.get(owner);
        this.env.set(owner, { kind: "sockaddr", abstract: true, ...(fact?.kind === "sockaddr" && fact.name ? { name: fact.name } : {}) });
      }
    }
  }

  private attrFromInitializer(value: Node, order: ("fs" | "net" | "scoped")[] = ["fs", "net", "scoped"]): AttrState {
    if (value.type !== "initializer_list") {
      const e = exprOfNode(value);
      if (e.k === "id") {
        const other = this.env.get(e.name);
        if (other?.kind === "attr") return { ...other.attr };
      }
      return unknownAttr();
    }
    const attr = freshAttr();
    let positional = 0;
    let conditionalDepth = 0;
    for (const item of value.namedChildren) {
      if (item.type === "comment") continue;
      if (item.type === "ERROR" || item.type.startsWith("preproc")) {
        // `#ifdef` inside an initialiser: the fields after it are only sometimes set.
        const t = item.text.trimStart();
        if (/^#\s*if/.test(t)) conditionalDepth++;
        else if (/^#\s*endif/.test(t)) conditionalDepth = Math.max(0, conditionalDepth - 1);
        if (item.type.startsWith("preproc")) this.initializerPreproc(item, attr);
        continue;
      }
      let word: "fs" | "net" | "scoped" | undefined;
      let valueNode: Node | null = null;
      if (item.type === "initializer_pair") {
        const designator = item.childForFieldName("designator");
        const name = designator?.namedChildren.find((c) => c.type === "field_identifier")?.text ?? designator?.text.replace(/^\./, "");
        word = name ? attrFieldOf(name) : undefined;
        valueNode = item.childForFieldName("value");
      } else if (item.type === "assignment_expression" && item.childForFieldName("left")?.type === "field_expression") {
        word = attrFieldOf(item.childForFieldName("left")?.childForFieldName("field")?.text ?? "");
        valueNode = item.childForFieldName("right");
      } else {
        word = order[positional++];
        valueNode = item;
      }
      if (!word || !valueNode) continue;
      const v = this.evalNode(valueNode);
      attr[word] = conditionalDepth > 0 ? or(attr[word], { yes: 0n, maybe: v.yes | v.maybe, unknown: v.unknown }) : v;
    }
    return attr;
  }

  /** A `#ifdef` block parsed inside an initialiser list: its fields are optional. */
  private initializerPreproc(node: Node, attr: AttrState): void {
    for (const pair of node.descendantsOfType("initializer_pair")) {
      const name = pair.childForFieldName("designator")?.text.replace(/^\./, "");
      const word = name ? attrFieldOf(name) : undefined;
      const v = this.evalNode(pair.childForFieldName("value"));
      if (word) attr[word] = or(attr[word], { yes: 0n, maybe: v.yes | v.maybe, unknown: v.unknown });
    }
  }

  private pidOrigin(e: Expr): PidOrigin | undefined {
    if (e.k !== "call") return undefined;
    const name = stdName(e.callee.replace(/^::/, ""));
    if (name === "getpid") return "getpid";
    if (name === "getppid") return "getppid";
    if (name === "gettid" || name === "pthread_self") return "gettid";
    if (name === "getpgrp" || name === "getpgid") return "pgrp";
    if (name === "syscall" && e.args[0]) {
      const nr = valueOf(evaluate(e.args[0], this.scope()));
      if (nr === 186n) return "gettid";
    }
    return undefined;
  }

  // ------------------------------------------------------------------------------------------
  // Result checking

  private resultFor(use: Use, op: { resultChecked: Tri; resultReturned?: boolean }): Tri {
    // `return landlock_restrict_self(...) == 0 ? 0 : -errno;`: the caller gets the outcome.
    if (this.returnDepth > 0 && use.k !== "discard") op.resultReturned = true;
    switch (use.k) {
      case "return":
        op.resultReturned = true;
        return "yes";
      case "test":
        return "yes";
      case "discard":
        return "no";
      case "arg":
        return CHECKING_CALL.test(use.callee) ? "yes" : "maybe";
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

  /** A read of a variable: settles the ops whose result it holds. */
  private readVar(name: string, use: Use): void {
    const list = this.pending.get(name);
    if (!list) return;
    if (this.returnDepth > 0 && use.k !== "discard") for (const op of list) op.resultReturned = true;
    if (use.k === "return") {
      // Handed to the caller: the caller decides, but a test before the return counts.
      for (const op of list) {
        op.resultReturned = true;
        op.resultChecked = "yes";
      }
      this.pending.delete(name);
    } else if (use.k === "test" || (use.k === "arg" && CHECKING_CALL.test(use.callee))) {
      for (const op of list) op.resultChecked = "yes";
      this.pending.delete(name);
    } else if (use.k !== "discard" && !(use.k === "arg" && NOT_A_CHECK.test(stdName(use.callee)))) {
      for (const op of list) if (op.resultChecked === "no") op.resultChecked = "maybe";
    }
  }

  private noteResultVar(use: Use, kind: "zero-ok" | "nonneg-ok"): void {
    if (use.k === "assign") this.resultVars.set(use.name, kind);
  }

  // ------------------------------------------------------------------------------------------
  // Calls

  private call(node: Node, out: IrBlock, pos: Pos, use: Use): VarFact | undefined {
    const fnNode = node.childForFieldName("function");
    const argsNode = node.childForFieldName("arguments");
    const args = argsNode ? argsNode.namedChildren.filter((c) => c.type !== "comment") : [];
    if (!fnNode) {
      for (const a of args) this.expr(a, out, pos, OTHER);
      return undefined;
    }
    if (fnNode.type === "lambda_expression") {
      // Immediately invoked lambda: its body runs here.
      for (const a of args) this.expr(a, out, pos, OTHER);
      const body = fnNode.childForFieldName("body");
      if (body) this.block(this.statementsOf(body), out, pos);
      return undefined;
    }
    const callee = calleeNameOf(fnNode);
    if (!callee) {
      this.expr(fnNode, out, pos, OTHER);
      for (const a of args) this.expr(a, out, pos, OTHER);
      return undefined;
    }
    if (callee.object && callee.object.type !== "identifier" && callee.object.type !== "this") this.expr(callee.object, out, pos, OTHER);
    const name = callee.name;
    const std = stdName(name);
    if (TRANSPARENT_CALLS.has(name)) {
      let fact: VarFact | undefined;
      args.forEach((a, i) => {
        const f = this.expr(a, out, pos, i === 0 ? use : OTHER);
        if (i === 0) fact = f;
      });
      return fact;
    }
    if (this.threadCall(node, fnNode, callee, args, out, pos)) return undefined;

    for (const a of args) this.expr(a, out, pos, { k: "arg", callee: name });
    return this.classify(node, fnNode, callee, args, out, pos, use);
  }

  /** std::thread / std::async / thread containers / pools: calls whose lambda arguments run elsewhere. */
  private threadCall(node: Node, fnNode: Node, callee: CalleeName, args: Node[], out: IrBlock, pos: Pos): boolean {
    const name = callee.name;
    const std = stdName(name);
    if (!callee.object && THREAD_TYPES.test(name) && args.length && (name.includes("::") || this.file.language === "cpp")) {
      this.threadStart(name, args[0]!, args.slice(1), node, out, pos);
      return true;
    }
    if (!callee.object && (std === "async" || name === "boost::async")) {
      const first = args[0];
      const policy = first && /launch\s*::/.test(first.text) ? first : undefined;
      if (policy && !/async/.test(policy.text)) return false;
      const fn = policy ? args[1] : args[0];
      if (!fn) return false;
      this.threadStart(policy ? `std::async(${policy.text.replace(/\s+/g, "")})` : "std::async", fn, args.slice(policy ? 2 : 1), node, out, pos);
      return true;
    }
    if (!callee.object && /^(?:std::)?make_(?:unique|shared)$/.test(name.replace(/<.*$/, ""))) {
      const typeArg = fnNode.type === "qualified_identifier" || fnNode.type === "template_function" ? templateArgument(fnNode) : undefined;
      if (typeArg && THREAD_TYPES.test(typeArg) && args.length) {
        this.threadStart(typeArg, args[0]!, args.slice(1), node, out, pos);
        return true;
      }
      if (typeArg && POOL_TYPES.test(typeArg)) {
        for (const a of args) this.expr(a, out, pos, OTHER);
        out.push({ kind: "op", op: { type: "spawn", mechanism: typeArg, count: "many", range: nodeRange(node) } });
        return true;
      }
      const classArg = typeArg ? this.classType(classTypeText(typeArg)) : undefined;
      if (classArg) {
        for (const a of args) this.expr(a, out, pos, OTHER);
        this.constructorCall(classArg, node, args, out);
        return true;
      }
    }
    const objectName = callee.object?.type === "identifier" ? callee.object.text : callee.object?.type === "field_expression" && callee.object.childForFieldName("argument")?.type === "this" ? callee.object.childForFieldName("field")?.text : undefined;
    if (objectName) {
      const type = this.typeOf(objectName) ?? "";
      // A member container of threads declared in a header we cannot see: `threads_.emplace_back(&Pool::run, this)`.
      const threadsByName = !type && /thread|worker/i.test(objectName) && args.length > 0 && isCallableRef(args[0]!);
      if (THREAD_CONTAINER_METHODS.has(name) && (/(?:std::)?(?:thread|jthread)\b/.test(type) || threadsByName) && args.length) {
        const first = args[0]!;
        if (first.type === "call_expression" || first.type === "new_expression") this.expr(first, out, pos, OTHER);
        else this.threadStart(`${type || objectName}.${name}`, first, args.slice(1), node, out, pos);
        return true;
      }
      if (POOL_TYPES.test(type) && POOL_SUBMIT_METHODS.has(name)) {
        this.submitToPool(`${objectName}.${name}`, args, node, out, pos);
        return true;
      }
    }
    if (!callee.object && /(?:^|::)(?:post|dispatch|defer)$/.test(name) && args.length >= 2 && args[0]!.type === "identifier" && POOL_TYPES.test(this.types.get(args[0]!.text) ?? "")) {
      this.submitToPool(`${name}(${args[0]!.text})`, args.slice(1), node, out, pos);
      return true;
    }
    return false;
  }

  /** A thread starts running `fn` (a function name or a lambda). */
  private threadStart(mechanism: string, fn: Node, rest: Node[], at: Node, out: IrBlock, pos: Pos): void {
    for (const a of rest) this.expr(a, out, pos, OTHER);
    const count = pos.loop > 0 ? "many" : "one";
    const lambda = unwrapLambda(fn);
    if (lambda) {
      out.push({ kind: "op", op: { type: "spawn", mechanism, count, range: nodeRange(at) } });
      out.push({ kind: "thread", how: mechanism, body: this.lambdaBody(lambda, pos), range: nodeRange(lambda) });
      return;
    }
    const routine = functionRefName(fn) ?? memberFunctionRef(fn);
    if (!routine) this.expr(fn, out, pos, OTHER);
    out.push({ kind: "op", op: { type: "spawn", mechanism, ...(routine ? { routine } : {}), count, range: nodeRange(at) } });
  }

  private submitToPool(how: string, args: Node[], at: Node, out: IrBlock, pos: Pos): void {
    for (const a of args) {
      const lambda = unwrapLambda(a);
      if (lambda) out.push({ kind: "thread", how, body: this.lambdaBody(lambda, pos), range: nodeRange(lambda) });
      else {
        const routine = functionRefName(a);
        if (routine && !this.env.get(routine)) out.push({ kind: "op", op: { type: "spawn", mechanism: how, routine, count: "many", range: nodeRange(at) } });
        else this.expr(a, out, pos, OTHER);
      }
    }
  }

  /** The body of a lambda run elsewhere: walked with a copy of the current knowledge, which it does not change. */
  /**
   * Keeps a type name that is a C++ class: qualified, capitalised, or a class of this file
   * (`landlock_path_beneath_attr`, `termios` are C structs without constructors).
   */
  private classType(name: string | undefined): string | undefined {
    if (!name) return undefined;
    return name.includes("::") || /[A-Z]/.test(name) || this.file.defs.classNames.has(name) ? name : undefined;
  }

  /** Declared type of a local, parameter, or member of a class of this file. */
  private typeOf(name: string): string | undefined {
    return this.types.get(name) ?? this.file.defs.memberTypes.get(name);
  }

  private lambdaBody(lambda: Node, pos: Pos): IrBlock {
    const saved = this.env;
    this.env = saved.clone();
    const body: IrBlock = [];
    const b = lambda.childForFieldName("body");
    if (b) this.block(this.statementsOf(b), body, { loop: 0, abiGuard: pos.abiGuard, inSwitch: false });
    this.env = saved;
    return body;
  }

  /** A lambda handed to some other call: it may run here, later or never. */
  private callbackLambda(lambda: Node, callee: string, out: IrBlock, pos: Pos): void {
    const body = this.lambdaBody(lambda, pos);
    if (body.length === 0) return;
    const synchronous = /(?:^|::)(?:call_once|invoke|apply|for_each|transform|visit)$/.test(callee);
    out.push({
      kind: "branch",
      arms: [{ cond: { kind: "other", text: `callback passed to ${callee}` }, body }],
      exhaustive: synchronous,
      preprocessor: false,
      range: nodeRange(lambda),
    });
  }

  /** `auto sandbox = [&] { ... };`: a function of its own, callable by name. */
  private emitLambdaFunction(name: string, lambda: Node, at: Node): void {
    const body = this.lambdaBody(lambda, { loop: 0, abiGuard: false, inSwitch: false });
    const nameNode = at.type === "init_declarator" ? at.childForFieldName("declarator") : at.childForFieldName("left");
    this.file.addFunction({
      name,
      range: nodeRange(lambda),
      nameRange: nodeRange(nameNode ?? at),
      isEntry: false,
      body,
    });
  }

  private newExpression(node: Node, out: IrBlock, pos: Pos): void {
    const typeNode = node.childForFieldName("type");
    const type = typeNode?.text.replace(/\s+/g, "") ?? "";
    const argsNode = node.childForFieldName("arguments");
    const args = argsNode ? argsNode.namedChildren.filter((c) => c.type !== "comment") : [];
    if (THREAD_TYPES.test(type) && args.length) {
      this.threadStart(type, args[0]!, args.slice(1), node, out, pos);
      return;
    }
    for (const a of args) this.expr(a, out, pos, OTHER);
    if (POOL_TYPES.test(type)) out.push({ kind: "op", op: { type: "spawn", mechanism: type, count: "many", range: nodeRange(node) } });
    else {
      const classType = typeNode ? this.classType(classTypeName(typeNode)) : undefined;
      if (classType) this.constructorCall(classType, node, args, out);
    }
  }

  /**
   * A constructor runs (`Pool pool(4);`, `new Pool(4)`, `std::make_unique<Pool>(4)`): a
   * call of `Type::Type`, which the project index resolves like any other call.
   */
  private constructorCall(classType: string, at: Node, args: Node[], out: IrBlock): void {
    if (POOL_TYPES.test(classType)) {
      out.push({ kind: "op", op: { type: "spawn", mechanism: classType, count: "many", range: nodeRange(at) } });
      return;
    }
    const last = classType.split("::").pop()!;
    const callee = `${classType}::${last}`;
    const candidates = new Set<string>();
    const parts = callee.split("::");
    for (let i = 1; i < parts.length - 1; i++) candidates.add(parts.slice(i).join("::"));
    const argTargets: { index: number; target: ReturnType<FunctionWalker["pidTarget"]> }[] = [];
    args.forEach((a, index) => {
      const target = this.argumentTarget(a);
      if (target) argTargets.push({ index, target });
    });
    const range = nodeRange(at);
    out.push({
      kind: "op",
      op: {
        type: "call",
        callee,
        ...(candidates.size ? { calleeCandidates: [...candidates] } : {}),
        resultChecked: "maybe",
        ...(argTargets.length ? { argTargets } : {}),
        range,
        calleeRange: range,
      },
    });
  }

  private walkArgs(value: Node, out: IrBlock, pos: Pos, callee: string): void {
    if (value.type === "argument_list" || value.type === "initializer_list") {
      for (const a of value.namedChildren) if (a.type !== "comment") this.expr(a, out, pos, { k: "arg", callee });
    } else this.expr(value, out, pos, OTHER);
  }

  /** Gives a meaning to a call whose arguments were already walked. */
  private classify(node: Node, fnNode: Node, callee: CalleeName, args: Node[], out: IrBlock, pos: Pos, use: Use): VarFact | undefined {
    const name = callee.name;
    const std = stdName(name);
    // Landlock, directly, through syscall()/libpsx, or through a function-like macro.
    const mayBeLandlock = LANDLOCK_API.has(std) || std === "syscall" || PSX_CALLS.has(std) || this.file.defs.functionMacros.has(name);
    const ll = mayBeLandlock ? this.landlockCall(name, args.map((a) => ({ expr: exprOfNode(a), node: a }))) : undefined;
    if (ll === SHIM_FORWARD) return undefined;
    if (ll) return this.landlockOp(ll, node, fnNode, out, use);

    if (!callee.object && (std === "syscall" || PSX_CALLS.has(std)) && args.length) {
      const nr = valueOf(this.evalNode(args[0]));
      const sys = nr === undefined ? undefined : SYSCALL_NAMES.get(nr);
      const handled = sys ? this.classifyNamed(sys, `${std}(${args[0]!.text})`, node, fnNode, args.slice(1), out, pos, use, std !== "syscall") : NOT_CLASSIFIED;
      if (handled !== NOT_CLASSIFIED) return handled;
      // Other raw syscalls never reach a function of the project.
      return undefined;
    }
    if (this.isRestrictWrapper(callee)) return this.wrapperRestrict(name, args, node, fnNode, out, use);
    if (this.isThreadSpawner(callee)) {
      out.push({ kind: "op", op: { type: "spawn", mechanism: name, count: pos.loop > 0 ? "many" : "one", range: nodeRange(node) } });
      return undefined;
    }
    if (callee.object && name === "BuildAndStart") {
      out.push({ kind: "op", op: { type: "spawn", mechanism: "gRPC server (BuildAndStart)", count: "many", range: nodeRange(node) } });
      return undefined;
    }
    if (!callee.object || callee.object.type === "this") {
      const handled = this.classifyNamed(std, std, node, fnNode, args, out, pos, use, false);
      if (handled !== NOT_CLASSIFIED) return handled;
    }
    if (PARALLEL_CALLS.has(name) || (/^(?:std::)?(?:for_each|transform|reduce|sort|for_each_n|transform_reduce)$/.test(name) && args[0] && /execution\s*::\s*par/.test(args[0].text))) {
      out.push({ kind: "op", op: { type: "spawn", mechanism: name, count: "many", range: nodeRange(node) } });
      return undefined;
    }
    this.emitCall(node, fnNode, callee, out, use, args);
    return undefined;
  }

  /**
   * Calls known by their plain name (libc / POSIX / GLib). `api` is the name shown in
   * messages; `viaPsx` marks a libpsx broadcast (`psx_syscall3(SYS_setuid, ...)`).
   */
  private classifyNamed(name: string, api: string, node: Node, fnNode: Node, args: Node[], out: IrBlock, pos: Pos, use: Use, viaPsx: boolean): VarFact | undefined | typeof NOT_CLASSIFIED {
    const r = nodeRange(node);
    if (EXIT_CALLS.has(name)) {
      out.push(THREAD_EXIT_CALLS.has(name) ? { kind: "exit", range: r } : { kind: "exit", range: r, leaves: "process" });
      return undefined;
    }
    if (STATUS_EXIT_CALLS.has(name)) {
      const status = valueOf(this.evalNode(args[0]));
      if (status !== undefined && status !== 0n) out.push({ kind: "exit", range: r, leaves: "process" });
      return undefined;
    }
    const callbackArg = CALLBACK_REGISTRATIONS.get(name);
    if (callbackArg !== undefined) {
      const fn = functionRefName(args[callbackArg]);
      if (fn) this.file.registerCallback(fn, name, r);
      return undefined;
    }
    if (EXEC_CALLS.has(name)) {
      out.push({ kind: "op", op: { type: "exec", api, range: r } });
      return undefined;
    }
    if (SETUID_CALLS.has(name)) {
      out.push({ kind: "op", op: { type: "setuid", api: viaPsx ? `${api} (libpsx)` : api, range: r } });
      return undefined;
    }
    if (name === "prctl") {
      const option = valueOf(this.evalNode(args[0]));
      const value = valueOf(this.evalNode(args[1]));
      if (option === PR_SET_NO_NEW_PRIVS && value !== 0n) {
        out.push({ kind: "op", op: { type: "no-new-privs", api: api === "prctl" ? "prctl(PR_SET_NO_NEW_PRIVS)" : api, range: r } });
        this.noteResultVar(use, "zero-ok");
      }
      return undefined;
    }
    if (name === "capset" || name === "cap_set_proc" || name === "cap_setuid" || name === "psx_set_proc") {
      if (this.info.mentionsCapSysAdmin && !this.info.mentionsCapClear) out.push({ kind: "op", op: { type: "cap-sys-admin", api, range: r } });
      else this.emitCall(node, fnNode, { name, viaThis: false }, out, use);
      return undefined;
    }
    if (name === "cap_get_flag") {
      const which = args[1]?.text;
      const target = args[3] ? functionRefName(args[3]) : undefined;
      if (which === "CAP_SYS_ADMIN" && target) this.env.set(target, { kind: "capflag" });
      return undefined;
    }
    if (FORK_CALLS.has(name)) return { kind: "pid", origin: "fork", how: name.replace(/^_+/, "") || "fork" };
    if (name === "clone") return this.cloneCall(node, args, out, pos, api);
    if (name === "getpid" || name === "getppid" || name === "gettid" || name === "getpgrp") {
      return { kind: "pid", origin: name === "getpid" ? "getpid" : name === "getppid" ? "getppid" : name === "gettid" ? "gettid" : "pgrp" };
    }
    const signal = SIGNAL_CALLS.get(name);
    if (signal) {
      const pidArg = signal.pidArg !== undefined ? args[signal.pidArg] : undefined;
      const param = pidArg ? this.parameterOf(pidArg) : undefined;
      if (param !== undefined && name !== "killpg") out.push({ kind: "op", op: { type: "signal", target: "unknown", targetParam: param, api, range: r } });
      else out.push({ kind: "op", op: { type: "signal", target: this.signalTarget(name, args), api, range: r } });
      return undefined;
    }
    if (name === "fcntl" && args.length >= 3) {
      const cmd = valueOf(this.evalNode(args[1]));
      const param = cmd === F_SETOWN ? this.parameterOf(args[2]!) : undefined;
      if (param !== undefined) {
        out.push({ kind: "op", op: { type: "setown", target: "unknown", targetParam: param, api: "fcntl(F_SETOWN)", range: r } });
      } else if (cmd === F_SETOWN) {
        const t = this.pidTarget(args[2]!);
        out.push({ kind: "op", op: { type: "setown", target: t === "process-group" ? "other-process" : t === "own-thread" ? "own-process" : t, api: "fcntl(F_SETOWN)", range: r } });
      } else if (cmd === F_SETOWN_EX) {
        out.push({ kind: "op", op: { type: "setown", target: "unknown", api: "fcntl(F_SETOWN_EX)", range: r } });
      }
      return undefined;
    }
    if ((name === "connect" && args.length >= 2) || (name === "sendto" && args.length >= 5)) {
      const addr = args[name === "connect" ? 1 : 4]!;
      const info = this.abstractAddress(addr);
      if (info) out.push({ kind: "op", op: { type: "abstract-connect", ...(info.name !== undefined ? { name: info.name } : {}), api: name, range: r } });
      return undefined;
    }
    if (SUN_PATH_WRITERS.has(name) && args.length >= 2) {
      this.sunPathWrite(name, args);
      return undefined;
    }
    const threadApi = THREAD_CREATE_CALLS.get(name);
    if (threadApi) {
      const routineNode = threadApi.routineArg >= 0 ? args[threadApi.routineArg] : undefined;
      const lambda = routineNode ? unwrapLambda(routineNode) : undefined;
      const count = threadApi.count === "many" || pos.loop > 0 ? "many" : "one";
      const routine = routineNode ? functionRefName(routineNode) : undefined;
      out.push({ kind: "op", op: { type: "spawn", mechanism: name, ...(routine ? { routine } : {}), count, range: r } });
      if (lambda) out.push({ kind: "thread", how: name, body: this.lambdaBody(lambda, pos), range: nodeRange(lambda) });
      return undefined;
    }
    if (name === "sigaction") return undefined;
    return NOT_CLASSIFIED;
  }

  private cloneCall(node: Node, args: Node[], out: IrBlock, pos: Pos, api: string): VarFact | undefined {
    if (api !== "clone") {
      // syscall(SYS_clone, flags, ...): returns 0 in the child like fork.
      const flags = this.evalNode(args[0]);
      if (this.hasCloneThread(flags)) {
        out.push({ kind: "op", op: { type: "spawn", mechanism: "clone(CLONE_THREAD)", count: pos.loop > 0 ? "many" : "one", range: nodeRange(node) } });
        return undefined;
      }
      return isExact(flags) ? { kind: "pid", origin: "fork", how: "clone" } : undefined;
    }
    // glibc clone(fn, stack, flags, arg): fn runs in the new task.
    const fn = functionRefName(args[0]);
    const flags = this.evalNode(args[2]);
    if (this.hasCloneThread(flags)) {
      out.push({ kind: "op", op: { type: "spawn", mechanism: "clone(CLONE_THREAD)", ...(fn ? { routine: fn } : {}), count: pos.loop > 0 ? "many" : "one", range: nodeRange(node) } });
      return undefined;
    }
    if (fn && isExact(flags)) {
      const callRange = nodeRange(node);
      out.push({
        kind: "child",
        how: "clone",
        body: [{ kind: "op", op: { type: "call", callee: fn, resultChecked: "maybe", range: callRange, calleeRange: nodeRange(args[0]!) } }],
        range: callRange,
      });
    }
    return { kind: "pid", origin: "other" };
  }

  private hasCloneThread(flags: Sym): boolean {
    return (flags.yes & CLONE_THREAD) !== 0n;
  }

  private signalTarget(name: string, args: Node[]): "parent" | "process-group" | "other-process" | "own-thread" | "own-process" | "unknown" {
    const spec = SIGNAL_CALLS.get(name)!;
    if (spec.own === "thread") return "own-thread";
    if (name === "killpg") return "process-group";
    if (name === "pidfd_send_signal") return "unknown";
    const pidArg = args[spec.pidArg ?? 0];
    if (!pidArg) return "unknown";
    const target = this.pidTarget(pidArg);
    if (name === "tgkill") return target === "own-process" ? "own-thread" : target;
    return target;
  }

  /** The parameter a pid expression is (`owner`, `(pid_t)owner`), when it is one that the function never reassigns. */
  private parameterOf(node: Node): number | undefined {
    const e = exprOfNode(node);
    if (e.k !== "id") return undefined;
    const index = this.parameterIndex.get(e.name);
    if (index === undefined || this.env.get(e.name)) return undefined;
    return index;
  }

  /** Whom an argument names when it is clearly a pid (`getpid()`, a forked child, `(pid_t)x`). */
  private argumentTarget(node: Node): "parent" | "process-group" | "other-process" | "own-thread" | "own-process" | "unknown" | undefined {
    let n = node;
    let castToPid = false;
    for (let i = 0; i < 4; i++) {
      if (n.type === "parenthesized_expression") n = n.namedChild(0) ?? n;
      else if (n.type === "cast_expression") {
        castToPid ||= /\bpid_t\b/.test(n.childForFieldName("type")?.text ?? "");
        n = n.childForFieldName("value") ?? n;
      } else if (n.type === "call_expression" && isCppCast(n)) {
        castToPid ||= /\bpid_t\b/.test(n.childForFieldName("function")?.text ?? "");
        n = n.childForFieldName("arguments")?.namedChild(0) ?? n;
      } else break;
    }
    const e = exprOfNode(n);
    const origin = this.pidOrigin(e);
    if (origin) return originTarget(origin);
    if (e.k === "id") {
      const fact = this.env.get(e.name);
      if (fact?.kind === "pid") return fact.origin === "fork" || fact.origin === "other" ? "other-process" : originTarget(fact.origin);
      // A pid_t local filled from elsewhere (a pid file, a helper): some other process.
      if (!this.parameterIndex.has(e.name) && /(?:^|[^\w])pid_t$/.test(this.types.get(e.name) ?? "")) return "other-process";
    }
    return castToPid ? this.pidTarget(n) : undefined;
  }

  /** Who a pid expression names, for kill()/F_SETOWN. */
  private pidTarget(node: Node): "parent" | "process-group" | "other-process" | "own-thread" | "own-process" | "unknown" {
    const e = exprOfNode(node);
    const origin = this.pidOrigin(e);
    if (origin) return originTarget(origin);
    if (e.k === "num") return e.v === 0n ? "process-group" : "other-process";
    if (e.k === "un" && e.op === "-") {
      const v = valueOf(evaluate(e.e, this.scope()));
      if (v === 1n) return "other-process";
      return "process-group";
    }
    if (e.k === "id") {
      const fact = this.env.get(e.name);
      if (fact?.kind === "pid") return fact.origin === "fork" || fact.origin === "other" ? "other-process" : originTarget(fact.origin);
      const v = valueOf(evaluate(e, this.scope()));
      if (v !== undefined) {
        const s = signed(v);
        return s === 0n ? "process-group" : s < -1n ? "process-group" : "other-process";
      }
      return "other-process";
    }
    if (e.k === "field") return "other-process";
    // A pid read from text (an argument, a pid file) names some other process.
    if (e.k === "call" && /^(?:std::)?(?:atoi|atol|atoll|strtol|strtoul|strtoll|strtoull|stoi|stol)$/.test(e.callee)) return "other-process";
    return "unknown";
  }

  private abstractAddress(addr: Node): { name?: string } | undefined {
    let n: Node | null = addr;
    for (let i = 0; n && i < 8; i++) {
      if (n.type === "identifier") {
        const fact = this.env.get(n.text);
        return fact?.kind === "sockaddr" && fact.abstract ? (fact.name !== undefined ? { name: fact.name } : {}) : undefined;
      }
      if (n.type === "compound_literal_expression") {
        const init = n.childForFieldName("value");
        const fact = init ? sockaddrFromInitializer(init) : undefined;
        return fact?.kind === "sockaddr" && fact.abstract ? (fact.name !== undefined ? { name: fact.name } : {}) : undefined;
      }
      if (n.type === "cast_expression") n = n.childForFieldName("value");
      else if (n.type === "pointer_expression") n = n.childForFieldName("argument");
      else if (n.type === "parenthesized_expression") n = n.namedChild(0);
      else if (n.type === "call_expression" && isCppCast(n)) n = n.childForFieldName("arguments")?.namedChild(0) ?? null;
      else return undefined;
    }
    return undefined;
  }

  /** strcpy/memcpy/snprintf into `addr.sun_path` (at offset 0 or 1). */
  private sunPathWrite(name: string, args: Node[]): void {
    const dst = sunPathDestination(args[0]!);
    if (!dst) return;
    const srcNode = name === "snprintf" ? args[2] : args[1];
    const src = srcNode ? this.stringValue(srcNode) : undefined;
    const fact = this.env.get(dst.owner);
    const wasAbstract = fact?.kind === "sockaddr" && fact.abstract;
    if (dst.offset === 1) {
      this.env.set(dst.owner, { kind: "sockaddr", abstract: true, ...(src !== undefined ? { name: "@" + src.split("\0")[0] } : {}) });
      return;
    }
    if (src === undefined) return;
    if (src.startsWith("\0") || src.startsWith("@")) {
      this.env.set(dst.owner, { kind: "sockaddr", abstract: true, name: "@" + src.slice(1).split("\0")[0] });
    } else if (!wasAbstract) {
      this.env.set(dst.owner, { kind: "sockaddr", abstract: false });
    }
  }

  /** The string an expression holds: a literal, a string constant, `name.data()` / `name.c_str()`. */
  private stringValue(node: Node): string | undefined {
    let n = node;
    for (let i = 0; i < 4; i++) {
      if (n.type === "cast_expression" || n.type === "parenthesized_expression") n = n.childForFieldName("value") ?? n.namedChild(0) ?? n;
      else if (n.type === "call_expression" && isCppCast(n)) n = n.childForFieldName("arguments")?.namedChild(0) ?? n;
      else break;
    }
    if (n.type === "string_literal" || n.type === "concatenated_string") return stringLiteralValue(n);
    if (n.type === "call_expression") {
      const fn = n.childForFieldName("function");
      if (fn?.type === "field_expression" && /^(?:data|c_str)$/.test(fn.childForFieldName("field")?.text ?? "")) {
        const obj = fn.childForFieldName("argument");
        return obj ? this.stringValue(obj) : undefined;
      }
      return undefined;
    }
    if (n.type === "identifier" || n.type === "qualified_identifier") {
      const key = n.text.replace(/^.*::/, "");
      return this.strings.get(key) ?? this.file.defs.strings.get(key);
    }
    return undefined;
  }

  private isRestrictWrapper(callee: CalleeName | string): boolean {
    const wrappers = this.file.settings.restrictWrappers;
    if (wrappers.length === 0) return false;
    const name = typeof callee === "string" ? callee : callee.name;
    const object = typeof callee === "string" ? undefined : callee.object;
    if (object?.type === "identifier") {
      // `policy.Enforce()` matches "Policy::Enforce" (the object's declared type) or "Enforce".
      const type = this.typeOf(object.text)?.replace(/<.*$/, "").replace(/[*&]+$/, "");
      return wrappers.includes(name) || (!!type && (wrappers.includes(`${type}::${name}`) || wrappers.includes(`${type.split("::").pop()}::${name}`)));
    }
    return wrappers.includes(name) || wrappers.includes(baseName(name));
  }

  private isThreadSpawner(callee: CalleeName): boolean {
    const spawners = this.file.settings.threadSpawners;
    if (spawners.length === 0) return false;
    if (spawners.includes(callee.name)) return true;
    if (callee.object?.type === "identifier") {
      const type = this.types.get(callee.object.text);
      if (type && spawners.includes(`${type.replace(/<.*$/, "")}::${callee.name}`)) return true;
    }
    return !callee.object && spawners.includes(baseName(callee.name));
  }

  private emitCall(node: Node, fnNode: Node, callee: CalleeName, out: IrBlock, use: Use, args: Node[] = []): void {
    const name = callee.name;
    if (INERT_CALLS.has(name) || INERT_CALLS.has(stdName(name))) return;
    // `(socklen_t)(...)` sometimes parses as a call of the type name.
    if (!callee.object && /_t$/.test(name) && fnNode.type === "identifier") return;
    // The standard library never calls back into Landlock code of the project.
    if (name.startsWith("std::")) return;
    const objectType = callee.object?.type === "identifier" ? this.typeOf(callee.object.text)?.replace(/^const/, "").replace(/[*&]+$/, "") : undefined;
    if (objectType && (objectType.startsWith("std::") || THREAD_TYPES.test(objectType))) return;
    const candidates = new Set<string>();
    if (name.includes("::")) {
      const parts = name.split("::");
      for (let i = 1; i < parts.length; i++) candidates.add(parts.slice(i).join("::"));
    }
    if (objectType) {
      const type = objectType.replace(/<.*$/, "");
      candidates.add(`${type}::${name}`);
      const last = type.split("::").pop();
      if (last && last !== type) candidates.add(`${last}::${name}`);
    }
    if ((callee.viaThis || !callee.object) && this.info.className && !name.includes("::")) candidates.add(`${this.info.className}::${name}`);
    candidates.delete(name);
    const argTargets: { index: number; target: ReturnType<FunctionWalker["pidTarget"]> }[] = [];
    // What a callee may do with its arguments (pids, restrict flags) is read from the first
    // few only: a generated 20,000-item argument list would cost seconds.
    const factArgs = args.length > MAX_ARGUMENT_FACTS ? args.slice(0, MAX_ARGUMENT_FACTS) : args;
    factArgs.forEach((a, index) => {
      const target = this.argumentTarget(a);
      if (target) argTargets.push({ index, target });
    });
    const argFlags = this.argumentFlags(factArgs);
    const op: IrOp = {
      type: "call",
      callee: name,
      ...(candidates.size ? { calleeCandidates: [...candidates] } : {}),
      resultChecked: "maybe",
      ...(argTargets.length ? { argTargets } : {}),
      ...(argFlags.length ? { argFlags } : {}),
      range: nodeRange(node),
      calleeRange: nodeRange(fnNode),
    };
    op.resultChecked = this.resultFor(use, op);
    out.push({ kind: "op", op });
  }

  // ------------------------------------------------------------------------------------------
  // Landlock calls

  /** Recognises a Landlock call by name, syscall number, libpsx or function-like macro. */
  private landlockCall(name: string, args: Arg[], depth = 0): LandlockCall | typeof SHIM_FORWARD | undefined {
    const std = stdName(name);
    const direct = LANDLOCK_API.get(std);
    if (direct !== undefined) {
      if (this.isApiShim()) return undefined;
      return { syscall: direct, args, api: std, mechanism: "syscall" };
    }
    if ((std === "syscall" || PSX_CALLS.has(std)) && args.length) {
      const nr = valueOf(evaluate(args[0]!.expr, this.scope()));
      if (nr === SYSCALL_CREATE_RULESET || nr === SYSCALL_ADD_RULE || nr === SYSCALL_RESTRICT_SELF) {
        if (this.isApiShim()) return SHIM_FORWARD;
        const shown = args[0]!.node?.text ?? String(nr);
        return { syscall: nr, args: args.slice(1), api: `${std}(${shown})`, mechanism: std === "syscall" ? "syscall" : "libpsx" };
      }
      return undefined;
    }
    const macro = this.file.defs.functionMacros.get(name);
    if (macro && depth < 4) {
      const body = this.file.defs.macroBody(name);
      if (body?.k !== "call") return undefined;
      const bound = new Map<string, Expr>();
      macro.params.forEach((p, i) => {
        if (args[i]) bound.set(p, args[i]!.expr);
      });
      const inner = this.landlockCall(body.callee, body.args.map((a) => {
        const expr = substitute(a, bound);
        const original = a.k === "id" ? args[macro.params.indexOf(a.name)] : undefined;
        return original?.node ? { expr, node: original.node } : { expr };
      }), depth + 1);
      return inner && inner !== SHIM_FORWARD ? { ...inner, api: name } : undefined;
    }
    return undefined;
  }

  private landlockCallOfExpr(e: Expr & { k: "call" }): LandlockCall | undefined {
    const ll = this.landlockCall(e.callee, e.args.map((expr) => ({ expr })));
    return ll === SHIM_FORWARD ? undefined : ll;
  }

  /**
   * The canonical `landlock_*` shims (`static inline int landlock_restrict_self(...) {
   * return syscall(__NR_landlock_restrict_self, ...); }`) only forward: their callers'
   * calls are the ops, so nothing is emitted inside them.
   */
  private isApiShim(): boolean {
    return LANDLOCK_API.has(this.info.name);
  }

  private createFlags(ll: LandlockCall): "version" | "errata" | "ruleset" {
    const flags = ll.args[2] ? evaluate(ll.args[2].expr, this.scope()) : exact(0n);
    if ((flags.yes & CREATE_RULESET_VERSION) !== 0n) return "version";
    if ((flags.yes & CREATE_RULESET_ERRATA) !== 0n) return "errata";
    return "ruleset";
  }

  private landlockOp(ll: LandlockCall, node: Node, fnNode: Node, out: IrBlock, use: Use): VarFact | undefined {
    const range = nodeRange(node);
    if (ll.syscall === SYSCALL_CREATE_RULESET) {
      const kind = this.createFlags(ll);
      if (kind === "version") {
        out.push({ kind: "op", op: { type: "abi-query", api: ll.api, range } });
        this.noteResultVar(use, "nonneg-ok");
        return { kind: "abi" };
      }
      if (kind === "errata") return undefined;
      const info = rulesetInfoOf(this.attrOfArg(ll.args[0]));
      const op: IrOp = { type: "create-ruleset", ruleset: info, resultChecked: "maybe", api: ll.api, range };
      op.resultChecked = this.resultFor(use, op);
      out.push({ kind: "op", op });
      this.noteResultVar(use, "nonneg-ok");
      return { kind: "ruleset", info, range };
    }
    if (ll.syscall === SYSCALL_ADD_RULE) {
      const op: IrOp = { type: "add-rule", resultChecked: "maybe", api: ll.api, range };
      op.resultChecked = this.resultFor(use, op);
      out.push({ kind: "op", op });
      this.noteResultVar(use, "zero-ok");
      return undefined;
    }
    const flagsArg = ll.args[1];
    const flags = this.restrictFlags(flagsArg);
    const fd = this.rulesetOfFd(ll.args[0]);
    const mechanism: RestrictMechanism = ll.mechanism === "syscall" && this.file.signalHandlers.has(this.info.name) ? "per-thread-user" : ll.mechanism;
    const op: IrOp = {
      type: "restrict",
      mechanism,
      flags,
      fd: fd.kind,
      ...(fd.info ? { ruleset: fd.info } : {}),
      ...(fd.range ? { rulesetRange: fd.range } : {}),
      resultChecked: "maybe",
      api: ll.api,
      range,
      calleeRange: nodeRange(fnNode),
    };
    op.resultChecked = this.resultFor(use, op);
    out.push({ kind: "op", op });
    this.noteResultVar(use, "zero-ok");
    return undefined;
  }

  private wrapperRestrict(name: string, args: Node[], node: Node, fnNode: Node, out: IrBlock, use: Use): undefined {
    // The wrapper's signature is unknown: the flags are the argument that names restrict flags.
    const flagArgs = args.filter((a) => /LANDLOCK_RESTRICT_SELF_/.test(a.text) || this.env.get(a.text)?.kind === "sym");
    const flagsArg = flagArgs.length === 1 ? { expr: exprOfNode(flagArgs[0]!), node: flagArgs[0]! } : undefined;
    const fdArg = args.find((a) => this.env.get(a.text)?.kind === "ruleset");
    const fd = fdArg ? this.rulesetOfFd({ expr: exprOfNode(fdArg), node: fdArg }) : { kind: "unknown" as const };
    const op: IrOp = {
      type: "restrict",
      mechanism: "syscall",
      flags: flagsArg ? this.restrictFlags(flagsArg) : unknownFlags(),
      fd: fd.kind,
      ...(fd.info ? { ruleset: fd.info } : {}),
      ...(fd.range ? { rulesetRange: fd.range } : {}),
      resultChecked: "maybe",
      api: name,
      range: nodeRange(node),
      calleeRange: nodeRange(fnNode),
    };
    op.resultChecked = this.resultFor(use, op);
    out.push({ kind: "op", op });
    this.noteResultVar(use, "zero-ok");
    return undefined;
  }

  private restrictFlags(arg: Arg | undefined): RestrictFlags {
    if (!arg) return unknownFlags();
    const sym = evaluate(arg.expr, this.scope());
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
    if (arg.expr.k === "id" && this.parameterIndex.has(arg.expr.name) && !this.env.get(arg.expr.name)) flags.fromParam = this.parameterIndex.get(arg.expr.name)!;
    if (arg.node) {
      flags.text = arg.node.text.length > 200 ? arg.node.text.slice(0, 200) : arg.node.text;
      flags.range = nodeRange(arg.node);
    }
    return flags;
  }

  /** Arguments that hold a known flags word (what a wrapper whose flags come `fromParam` receives). */
  private argumentFlags(args: Node[]): { index: number; flags: RestrictFlags }[] {
    const out: { index: number; flags: RestrictFlags }[] = [];
    args.forEach((a, index) => {
      if (a.type === "string_literal" || a.type === "concatenated_string" || a.type === "char_literal" || a.type === "lambda_expression") return;
      const expr = exprOfNode(a);
      const sym = evaluate(expr, this.scope());
      const value = valueOf(sym);
      const mentionsFlags = /LANDLOCK_RESTRICT_SELF_/.test(a.text.slice(0, 400));
      // Small constants and flag expressions only: descriptors, sizes and pointers are not flags.
      if (mentionsFlags || sym.abiBits || (value !== undefined && value < 64n)) {
        const flags = this.restrictFlags({ expr, node: a });
        delete flags.fromParam;
        out.push({ index, flags });
      }
    });
    return out;
  }

  private rulesetOfFd(arg: Arg | undefined): { kind: "ruleset" | "minus-one" | "unknown"; info?: ReturnType<typeof rulesetInfoOf>; range?: Range } {
    if (!arg) return { kind: "unknown" };
    const e = arg.expr;
    if (e.k === "id") {
      const fact = this.env.get(e.name);
      if (fact?.kind === "ruleset") return { kind: "ruleset", info: fact.info, range: fact.range };
    }
    const v = valueOf(evaluate(e, this.scope()));
    if (v !== undefined && signed(v) === -1n) return { kind: "minus-one" };
    return { kind: "unknown" };
  }

  /** The attr struct passed to create_ruleset (`&attr`, `&self->attr`, `attr_ptr`). */
  private attrOfArg(arg: Arg | undefined): AttrState | undefined {
    if (!arg) return undefined;
    let e = arg.expr;
    if (e.k === "un" && e.op === "&") e = e.e;
    if (e.k === "id") {
      const fact = this.env.get(e.name);
      if (fact?.kind === "attr") return fact.attr;
    }
    if (e.k === "num" && e.v === 0n) return freshAttr();
    return undefined;
  }
}

const NOT_CLASSIFIED = Symbol("not classified");

/** The raw syscall inside a canonical `landlock_*` shim: nothing to emit. */
const SHIM_FORWARD = Symbol("shim forward");

function unknownFlags(): RestrictFlags {
  return { tsync: "maybe", logSameExecOff: "maybe", logNewExecOn: "maybe", logSubdomainsOff: "maybe", noNewPrivs: "maybe" };
}

function isExact(s: Sym): boolean {
  return valueOf(s) !== undefined;
}

function originTarget(origin: PidOrigin): "parent" | "process-group" | "other-process" | "own-thread" | "own-process" {
  switch (origin) {
    case "getpid":
      return "own-process";
    case "getppid":
      return "parent";
    case "gettid":
      return "own-process";
    case "pgrp":
      return "process-group";
    default:
      return "other-process";
  }
}

function capOp(api: string, at: Node): IrNode {
  return { kind: "op", op: { type: "cap-sys-admin", api, range: nodeRange(at) } };
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

