// The flow engine: an abstract interpretation of the sandbox IR from every root of the
// program (entry points, then functions nobody calls), with calls inlined through the
// program's definitions (recursion guard, depth bound, memoised per entry state). At each
// op it hands the state before the op to the rules; the rules never walk the IR themselves.

import type { IrBlock, IrCond, IrNode, IrOp, Range, RestrictFlags } from "../ir.js";
import type { Settings } from "../settings.js";
import type { ProgramFunction } from "./program.js";
import { Program } from "./program.js";
import {
  type Enforcement,
  type FlowState,
  type ThreadEvidence,
  initialState,
  join,
  joinAll,
  mergeThreads,
  stateKey,
} from "./state.js";

export interface CallSite {
  file: string;
  range: Range;
  callee: string;
  caller: string;
}

export interface OpContext {
  root: ProgramFunction;
  /** Function whose body holds the op. */
  fn: ProgramFunction;
  file: string;
  callChain: CallSite[];
  /** The op runs on a spawned thread (a start routine, or a closure handed to a thread). */
  onThread?: { how: string; file: string; range?: Range; routine?: string };
  documentedPerThread: boolean;
  /** Innermost loop around the op (in its function or around a call leading to it). */
  loop?: { file: string; range: Range };
  /** The op's function, or a function on the call chain, is recursive. */
  recursive: boolean;
  /** The op sits in the "no TSYNC" arm of code that uses TSYNC when the kernel has it. */
  fallbackArm?: { file: string; range: Range };
  /** The op sits under a condition the front-end could not read, after the ABI was asked. */
  abiMaybeDecided: boolean;
  /** The op's function (or one on the call chain) runs any number of times: a signal handler, a callback. */
  repeatedBy?: { how: string; file: string; range?: Range };
  /** Whom the current call's arguments name (by parameter index), for ops whose target is a parameter. */
  argTargets?: ReadonlyMap<number, SignalTarget>;
  /** Restrict flag words the current call passes (by parameter index), with the file of the call site. */
  argFlags?: ReadonlyMap<number, { flags: RestrictFlags; file: string }>;
}

/** A restrict op whose flags were taken from a call site: fixes edit them there. */
export type RestrictWithFlagSource = Extract<IrOp, { type: "restrict" }> & { flagsFile?: string };

type SignalTarget = Extract<IrOp, { type: "signal" }>["target"];

export interface OpEvent {
  op: IrOp;
  /** Synthesised from a settings.restrictWrappers / threadSpawners call. */
  synthesised: boolean;
  state: FlowState;
  ctx: OpContext;
}

export type OpSink = (event: OpEvent) => void;

export class BudgetExceeded extends Error {
  constructor(readonly budgetMs: number) {
    super(`analysis stopped after its budget of ${budgetMs} ms; findings may be incomplete`);
  }
}

interface BlockResult {
  /** State when control falls off the end of the block (null: it never does). */
  out: FlowState | null;
  /** States at `return`s that leave the current function normally. */
  ret: FlowState | null;
}

const MAX_CALL_DEPTH = 40;
/** Layer counts past Landlock's limit of 16 are all the same to the checks ("more than 16"). */
const LAYERS_PAST_LIMIT = 17;
const MAX_LOOP_ROUNDS = 6;

function key(file: string, range: Range): string {
  return `${file}:${range.start.offset}`;
}

function lineKey(file: string, range: Range): string {
  return `${file}:L${range.start.line}`;
}

export class Engine {
  private steps = 0;
  private readonly memo = new Map<string, FlowState | null>();
  private readonly stack: string[] = [];
  private readonly analysedRoutines = new Set<string>();

  constructor(
    private readonly program: Program,
    private readonly settings: Settings,
    private readonly sink: OpSink,
    private readonly deadline: number = Infinity,
    private readonly budgetMs: number = Infinity,
  ) {}

  run(): void {
    for (const root of this.program.roots) {
      // Rules only see ops: a root without any (a helper that only loops, branches and
      // returns) can report nothing, and walking it would leave nothing behind but memo entries.
      if (!containsOp(root.fn.body)) continue;
      const state = initialState(this.settings.targetAbi);
      // A function nobody calls next to an entry point is a callback or handler: its caller's
      // no_new_privs is unknown. Only a library's API, with no entry point in sight, starts from "not set".
      if (!root.fn.isEntry && this.program.calledFromOutside(root)) state.nnp = "maybe";
      if (this.settings.assumeMultithreaded) {
        state.threads = [{ key: "assumed", kind: "assumed", mechanism: "settings.assumeMultithreaded", count: "many" }];
      }
      const ctx: OpContext = {
        root,
        fn: root,
        file: root.file.file,
        callChain: [],
        documentedPerThread: false,
        recursive: false,
        abiMaybeDecided: false,
      };
      this.functionBody(root, state, ctx);
    }
  }

  private tick(): void {
    if (++this.steps % 256 === 0 && Date.now() > this.deadline) throw new BudgetExceeded(this.budgetMs);
  }

  /** Runs a function body; returns the state after it returns (null: it never returns). */
  private functionBody(pf: ProgramFunction, entry: FlowState, outer: OpContext): FlowState | null {
    let state = entry;
    const fn = pf.fn;
    if (fn.childContext) state = this.enterChild(state);
    if (fn.runtimeThreads && !state.inChild) {
      state = {
        ...state,
        threads: mergeThreads(state.threads, [
          {
            key: `runtime:${fn.runtimeThreads.mechanism}`,
            kind: "runtime",
            mechanism: fn.runtimeThreads.mechanism,
            count: "many",
            file: pf.file.file,
            range: fn.runtimeThreads.range,
            note: fn.runtimeThreads.note,
          },
        ]),
      };
    }
    const ctx: OpContext = {
      ...outer,
      fn: pf,
      file: pf.file.file,
      onThread: fn.childContext ? undefined : outer.onThread,
      documentedPerThread: outer.documentedPerThread || fn.documentedPerThread === true,
      recursive: outer.recursive || this.program.recursive.has(pf.id),
      repeatedBy: outer.repeatedBy ?? (fn.runsRepeatedly ? { how: fn.runsRepeatedly.how, file: pf.file.file, range: fn.runsRepeatedly.range ?? fn.nameRange } : undefined),
      argTargets: outer.argTargets,
      argFlags: outer.argFlags,
    };
    const memoKey = `${pf.id}|${ctxKey(ctx)}|${stateKey(state)}`;
    if (this.memo.has(memoKey)) return this.memo.get(memoKey)!;
    this.stack.push(pf.id);
    try {
      const r = this.block(fn.body, state, ctx);
      const result = join(r.out, r.ret);
      this.memo.set(memoKey, result);
      return result;
    } finally {
      this.stack.pop();
    }
  }

  private block(nodes: IrBlock, entry: FlowState, ctx: OpContext): BlockResult {
    let state: FlowState | null = entry;
    let ret: FlowState | null = null;
    let previous: { node: IrNode; before: FlowState } | undefined;
    for (const node of nodes) {
      if (!state) break;
      this.tick();
      const failed: { keys: Set<string>; layers: number } | undefined =
        previous && node.kind === "branch" ? this.wrapperFailureArm(previous.node, previous.before, state, node) : undefined;
      const before: FlowState = state;
      const r: BlockResult = failed ? this.branch(node as Extract<IrNode, { kind: "branch" }>, state, ctx, failed) : this.node(node, state, ctx);
      state = r.out;
      ret = join(ret, r.ret);
      previous = { node, before };
    }
    return { out: state, ret };
  }

  /**
   * `if (sandbox_enter(...) != 0) { report; exit; }` right after a call that enforces: the
   * lone arm ending the flow is the wrapper's failure path, where its restrictions did not
   * happen. Returns the enforcement keys to drop in that arm.
   */
  private wrapperFailureArm(prev: IrNode, before: FlowState, after: FlowState, branch: IrNode): { keys: Set<string>; layers: number } | undefined {
    if (prev.kind !== "op" || prev.op.type !== "call" || branch.kind !== "branch") return undefined;
    if (branch.exhaustive || branch.arms.length !== 1) return undefined;
    const arm = branch.arms[0]!;
    if (arm.cond && arm.cond.kind !== "other" && arm.cond.kind !== "error-path") return undefined;
    const last = arm.body[arm.body.length - 1];
    if (!last || last.kind !== "exit") return undefined;
    const known = new Set(before.enforcements.map((e) => e.key));
    const added = after.enforcements.filter((e) => !known.has(e.key));
    const layers = Math.max(0, after.layersMin - before.layersMin);
    if (added.length === 0 && layers === 0) return undefined;
    return { keys: new Set(added.map((e) => e.key)), layers };
  }

  private node(node: IrNode, state: FlowState, ctx: OpContext): BlockResult {
    switch (node.kind) {
      case "op":
        return { out: this.op(node.op, state, ctx), ret: null };
      case "exit":
        return node.leaves === "process" ? { out: null, ret: null } : { out: null, ret: state };
      case "branch":
        return this.branch(node, state, ctx);
      case "loop":
        return this.loop(node, state, ctx);
      case "child": {
        const childCtx: OpContext = { ...ctx, onThread: undefined, loop: undefined, fallbackArm: undefined };
        this.block(node.body, this.enterChild(state), childCtx);
        return { out: this.afterFork(state), ret: null };
      }
      case "thread": {
        const evidence: ThreadEvidence = {
          key: lineKey(ctx.file, node.range),
          kind: "spawn",
          mechanism: node.how,
          count: ctx.loop ? "many" : "one",
          file: ctx.file,
          range: node.range,
        };
        const threadCtx: OpContext = {
          ...ctx,
          onThread: { how: node.how, file: ctx.file, range: node.range },
          loop: undefined,
          fallbackArm: undefined,
        };
        this.block(node.body, this.onNewThread(state, ctx, evidence), threadCtx);
        return { out: { ...state, threads: mergeThreads(state.threads, [evidence]) }, ret: null };
      }
    }
  }

  private enterChild(state: FlowState): FlowState {
    return {
      ...state,
      threads: [],
      inChild: true,
      enforcements: state.enforcements.map((e) => ({ ...e, inherited: true })),
      lastLandlock: undefined,
      tsyncAttempt: undefined,
    };
  }

  private afterFork(state: FlowState): FlowState {
    return { ...state, enforcements: state.enforcements.map((e) => (e.childForkedAfter ? e : { ...e, childForkedAfter: true })) };
  }

  /** State on a new thread: it inherits the spawning thread's credentials; the spawner (and siblings) run beside it. */
  private onNewThread(state: FlowState, ctx: OpContext, evidence: ThreadEvidence): FlowState {
    const spawner: ThreadEvidence = {
      key: `spawner:${evidence.key}`,
      kind: "spawner",
      mechanism: `the thread that ran ${evidence.mechanism}`,
      count: "one",
      file: ctx.file,
      range: evidence.range,
    };
    const siblings = evidence.count === "many" ? [evidence] : [];
    return { ...state, inChild: false, threads: mergeThreads(state.threads, [spawner, ...siblings]), lastLandlock: undefined, tsyncAttempt: undefined };
  }

  private refine(state: FlowState, cond: IrCond | undefined, ctx: OpContext, negate: boolean): { state: FlowState | null; ctx: OpContext } {
    if (!cond) return { state, ctx };
    if (cond.kind === "abi-at-least") {
      const below = cond.negated !== negate;
      const s = below ? { ...state, abiBelow: Math.min(state.abiBelow, cond.abi) } : { ...state, abiMin: Math.max(state.abiMin, cond.abi) };
      return { state: s.abiMin >= s.abiBelow ? null : s, ctx };
    }
    if (negate) return { state, ctx };
    if (cond.kind === "error-path") {
      const last = state.lastLandlock;
      if (last?.kind !== "restrict") return { state, ctx };
      // The restriction just made failed on this path: its domain (and its layer) does not exist here.
      const s: FlowState = {
        ...state,
        enforcements: state.enforcements.filter((e) => e.key !== last.key),
        layersMin: Math.max(0, state.layersMin - 1),
        layersMax: state.layersMax === Infinity ? Infinity : Math.max(0, state.layersMax - 1),
      };
      // A TSYNC call that failed on a kernel that may lack TSYNC: what follows is the "else" of "TSYNC if available".
      const fallback = last.tsync === "yes" && state.abiMin < 8;
      return { state: s, ctx: fallback ? { ...ctx, fallbackArm: { file: last.file, range: last.range } } : ctx };
    }
    return { state, ctx: state.abiQueried ? { ...ctx, abiMaybeDecided: true } : ctx };
  }

  private branch(
    node: Extract<IrNode, { kind: "branch" }>,
    state: FlowState,
    ctx: OpContext,
    wrapperFailure?: { keys: Set<string>; layers: number },
  ): BlockResult {
    const outs: (FlowState | null)[] = [];
    const rets: (FlowState | null)[] = [];
    // "TSYNC when the ABI has it, else restrict one thread": arms that restrict without TSYNC next to an arm with it.
    const armSummaries = node.arms.map((a) => this.program.armSummary(a.body, ctx.file));
    const abiDecides = node.arms.some((a) => a.cond?.kind === "abi-at-least");
    const someArmUsesTsync = armSummaries.some((s) => s.restrictsWithTsync);
    let previous: IrCond[] = [];
    for (let i = 0; i < node.arms.length; i++) {
      const arm = node.arms[i]!;
      let s: FlowState | null = state;
      let armCtx = ctx;
      for (const p of previous) {
        if (!s) break;
        ({ state: s } = this.refine(s, p, armCtx, true));
      }
      if (s) ({ state: s, ctx: armCtx } = this.refine(s, arm.cond, armCtx, false));
      if (arm.cond) previous = [...previous, arm.cond];
      if (!s) continue;
      if (wrapperFailure) {
        s = {
          ...s,
          enforcements: s.enforcements.filter((e) => !wrapperFailure.keys.has(e.key)),
          layersMin: Math.max(0, s.layersMin - wrapperFailure.layers),
          layersMax: Math.max(0, s.layersMax - wrapperFailure.layers),
        };
      }
      if (abiDecides && someArmUsesTsync && !armSummaries[i]!.restrictsWithTsync && armSummaries[i]!.restrictsWithoutTsync) {
        armCtx = { ...armCtx, fallbackArm: { file: ctx.file, range: node.range } };
      }
      const r = this.block(arm.body, s, armCtx);
      outs.push(r.out);
      rets.push(r.ret);
    }
    if (!node.exhaustive) {
      let s: FlowState | null = state;
      for (const p of previous) {
        if (!s) break;
        ({ state: s } = this.refine(s, p, ctx, true));
      }
      outs.push(s);
    }
    return { out: joinAll(outs), ret: joinAll(rets) };
  }

  private loop(node: Extract<IrNode, { kind: "loop" }>, entry: FlowState, ctx: OpContext): BlockResult {
    const loopCtx: OpContext = { ...ctx, loop: { file: ctx.file, range: node.range } };
    const repeatCond = node.repeatCond;
    const bound = node.maxIterations;
    let roundEntry = entry;
    const outs: (FlowState | null)[] = [entry];
    let ret: FlowState | null = null;
    for (let round = 0; round < MAX_LOOP_ROUNDS; round++) {
      const r = this.block(node.body, roundEntry, loopCtx);
      ret = join(ret, r.ret);
      outs.push(r.out);
      let back = r.out;
      if (back && repeatCond) back = this.refine(back, repeatCond, loopCtx, false).state;
      if (!back || (bound !== undefined && bound <= 1)) break;
      let next = join(roundEntry, back)!;
      if (next.layersMax > roundEntry.layersMax) {
        // Layers a round stacks: with a known bound, the last round starts after bound - 1
        // rounds' worth (projected once); with none, the count has no bound at all.
        const perRound = back.layersMax - entry.layersMax;
        const layersMax =
          bound === undefined ? Infinity : round === 0 ? Math.min(LAYERS_PAST_LIMIT, entry.layersMax + perRound * (bound - 1)) : roundEntry.layersMax;
        next = { ...next, layersMax };
      }
      if (stateKey(next) === stateKey(roundEntry)) break;
      roundEntry = next;
    }
    return { out: joinAll(outs), ret };
  }

  private emit(op: IrOp, state: FlowState, ctx: OpContext, synthesised = false): void {
    this.sink({ op, state, ctx, synthesised });
  }

  private op(op: IrOp, state: FlowState, ctx: OpContext): FlowState | null {
    switch (op.type) {
      case "call":
        return this.call(op, state, ctx);
      case "spawn":
        this.emit(op, state, ctx);
        return this.spawn(op, state, ctx);
      case "restrict": {
        const actual = withCallerFlags(op, ctx);
        this.emit(actual, state, ctx);
        return this.afterRestrict(actual, state, ctx);
      }
      case "create-ruleset":
      case "add-rule":
        this.emit(op, state, ctx);
        return { ...state, lastLandlock: { kind: "other", key: key(ctx.file, op.range), tsync: "no", file: ctx.file, range: op.range } };
      case "abi-query":
        this.emit(op, state, ctx);
        return { ...state, abiQueried: true, lastLandlock: { kind: "other", key: key(ctx.file, op.range), tsync: "no", file: ctx.file, range: op.range } };
      case "no-new-privs":
        this.emit(op, state, ctx);
        return { ...state, nnp: "yes" };
      case "cap-sys-admin":
        this.emit(op, state, ctx);
        return { ...state, capSysAdmin: "yes" };
      case "setuid":
        this.emit(op, state, ctx);
        // Changing to another uid drops capabilities; which uid is rarely known.
        return state.capSysAdmin === "yes" ? { ...state, capSysAdmin: "maybe" } : state;
      case "signal":
      case "setown":
        this.emit(withResolvedTarget(op, ctx), state, ctx);
        return state;
      default:
        this.emit(op, state, ctx);
        return state;
    }
  }

  private spawn(op: Extract<IrOp, { type: "spawn" }>, state: FlowState, ctx: OpContext): FlowState {
    const evidence: ThreadEvidence = {
      key: lineKey(ctx.file, op.range),
      kind: "spawn",
      mechanism: op.mechanism,
      count: op.count === "many" || ctx.loop ? "many" : "one",
      file: ctx.file,
      range: op.range,
      routine: op.routine,
    };
    for (const routine of this.program.resolveRoutine(op, ctx.file)) {
      if (this.stack.includes(routine.id)) continue;
      const threadState = this.onNewThread(state, ctx, evidence);
      const threadCtx: OpContext = {
        ...ctx,
        onThread: { how: op.mechanism, file: ctx.file, range: op.range, routine: op.routine },
        argTargets: undefined,
        argFlags: undefined,
        loop: undefined,
        fallbackArm: undefined,
        abiMaybeDecided: false,
        callChain: [...ctx.callChain, { file: ctx.file, range: op.range, callee: routine.fn.name, caller: ctx.fn.fn.name }],
      };
      const onceKey = `${routine.id}|${ctxKey(threadCtx)}|${stateKey(threadState)}`;
      if (this.analysedRoutines.has(onceKey)) continue;
      this.analysedRoutines.add(onceKey);
      if (this.stack.length < MAX_CALL_DEPTH) this.functionBody(routine, threadState, threadCtx);
    }
    return { ...state, threads: mergeThreads(state.threads, [evidence]) };
  }

  private afterRestrict(op: Extract<IrOp, { type: "restrict" }>, state: FlowState, ctx: OpContext): FlowState {
    const opKey = key(ctx.file, op.range);
    const tsync = effectiveTsync(op, state);
    const librarySetsNnp = op.mechanism === "library" && (op.library?.name === "go-landlock" || op.library?.name === "rust-landlock");
    const nnp = op.flags.noNewPrivs === "yes" || librarySetsNnp ? "yes" : state.nnp;
    if (op.fd === "minus-one") {
      return { ...state, nnp, lastLandlock: { kind: "other", key: opKey, tsync, file: ctx.file, range: op.range } };
    }
    const scopes = op.ruleset?.scopesKnown ? op.ruleset.scopes : [];
    const enforcement: Enforcement = {
      key: opKey,
      file: ctx.file,
      range: op.range,
      api: op.api,
      perThread: isPerThread(op, state, ctx, this.settings),
      wholeProcess: tsync === "yes",
      ...(op.library?.name === "go-landlock" ? { signalScopeSafePerThread: true } : {}),
      scopesKnown: op.ruleset?.scopesKnown === true,
      signalScope: scopes.includes("signal"),
      abstractScope: scopes.includes("abstract_unix_socket"),
      certain: true,
      inherited: false,
      childForkedAfter: false,
    };
    const triedTsync = op.flags.tsync === "yes" && op.flags.tsyncIfAbiAtLeast === undefined && op.mechanism !== "library" && state.abiMin < 8;
    // Only domains some rule asks about later are tracked: fewer distinct states, more memo hits.
    const tracked = enforcement.perThread || (enforcement.scopesKnown && (enforcement.signalScope || enforcement.abstractScope));
    return {
      ...state,
      ...(triedTsync ? { tsyncAttempt: { key: opKey, file: ctx.file, range: op.range } } : {}),
      nnp,
      layersMin: Math.min(LAYERS_PAST_LIMIT, state.layersMin + 1),
      layersMax: Math.min(LAYERS_PAST_LIMIT, state.layersMax + 1),
      enforcements: tracked ? [...state.enforcements.filter((e) => e.key !== opKey), enforcement] : state.enforcements,
      lastLandlock: { kind: "restrict", key: opKey, tsync, file: ctx.file, range: op.range },
    };
  }

  private call(op: Extract<IrOp, { type: "call" }>, state: FlowState, ctx: OpContext): FlowState | null {
    if (this.program.isRestrictWrapper(op.callee)) {
      const synthetic: Extract<IrOp, { type: "restrict" }> = {
        type: "restrict",
        mechanism: "syscall",
        // What the wrapper does about no_new_privs is not known: most set it themselves.
        flags: { tsync: "no", logSameExecOff: "no", logNewExecOn: "no", logSubdomainsOff: "no", noNewPrivs: "maybe" },
        fd: "unknown",
        resultChecked: op.resultChecked,
        resultReturned: op.resultReturned,
        api: op.callee,
        range: op.range,
        calleeRange: op.calleeRange,
      };
      this.emit(synthetic, state, ctx, true);
      return this.afterRestrict(synthetic, state, ctx);
    }
    if (this.program.isThreadSpawner(op.callee)) {
      const synthetic: Extract<IrOp, { type: "spawn" }> = { type: "spawn", mechanism: op.callee, count: "many", range: op.range };
      this.emit(synthetic, state, ctx, true);
      return this.spawn(synthetic, state, ctx);
    }
    this.emit(op, state, ctx);
    const candidates = this.program.resolveCall(op, ctx.file);
    if (candidates.length === 0) return state;
    const results: (FlowState | null)[] = [];
    for (const callee of candidates) {
      if (!this.program.summary(callee).relevant || this.stack.includes(callee.id) || this.stack.length >= MAX_CALL_DEPTH) {
        results.push(state);
        continue;
      }
      const args = op.argTargets;
      const calleeCtx: OpContext = {
        ...ctx,
        callChain: [...ctx.callChain, { file: ctx.file, range: op.range, callee: op.callee, caller: ctx.fn.fn.name }],
        argTargets: args && args.length > 0 ? new Map(args.map((a) => [a.index, a.target])) : undefined,
        argFlags: flagsPassed(op, ctx),
      };
      results.push(this.functionBody(callee, state, calleeCtx));
    }
    return joinAll(results);
  }
}

/** The flag words a call passes, by parameter; a word that is itself the caller's parameter takes what the caller was passed. */
function flagsPassed(op: Extract<IrOp, { type: "call" }>, ctx: OpContext): OpContext["argFlags"] {
  const args = op.argFlags;
  if (!args || args.length === 0) return undefined;
  const out = new Map<number, { flags: RestrictFlags; file: string }>();
  for (const a of args) {
    const through = a.flags.fromParam !== undefined ? ctx.argFlags?.get(a.flags.fromParam) : undefined;
    if (through) out.set(a.index, through);
    else if (a.flags.fromParam === undefined) out.set(a.index, { flags: a.flags, file: ctx.file });
  }
  return out.size > 0 ? out : undefined;
}

/** A restrict whose flags are a parameter, with the flags this call passes there. */
function withCallerFlags(op: Extract<IrOp, { type: "restrict" }>, ctx: OpContext): RestrictWithFlagSource {
  const param = op.flags.fromParam;
  if (param === undefined || !ctx.argFlags) return op;
  const passed = ctx.argFlags.get(param);
  if (!passed) return op;
  return { ...op, flags: { ...passed.flags }, flagsFile: passed.file };
}

/** A signal or setown whose target is a parameter, with the target this call's argument names. */
function withResolvedTarget<T extends Extract<IrOp, { type: "signal" | "setown" }>>(op: T, ctx: OpContext): T {
  const param = op.targetParam;
  if (op.target !== "unknown" || param === undefined || !ctx.argTargets) return op;
  const target = ctx.argTargets.get(param);
  if (!target || target === "unknown") return op;
  if (op.type === "setown" && (target === "process-group" || target === "own-thread")) return op;
  return { ...op, target };
}

function ctxKey(ctx: OpContext): string {
  return [
    ctx.onThread ? `t:${ctx.onThread.file}:${ctx.onThread.range?.start.offset ?? ""}` : "",
    ctx.documentedPerThread ? "d" : "",
    ctx.loop ? `l:${ctx.loop.file}:${ctx.loop.range.start.offset}` : "",
    ctx.recursive ? "r" : "",
    ctx.fallbackArm ? `f:${ctx.fallbackArm.range.start.offset}` : "",
    ctx.abiMaybeDecided ? "a" : "",
    ctx.repeatedBy ? "R" : "",
    ctx.argTargets ? [...ctx.argTargets].map(([i, t]) => `${i}=${t}`).join(",") : "",
    ctx.argFlags ? [...ctx.argFlags].map(([i, f]) => `${i}=${f.file}:${f.flags.range?.start.offset ?? ""}:${f.flags.tsync}:${f.flags.value ?? ""}`).join(",") : "",
  ].join("|");
}

/** TSYNC as it takes effect: "yes" also when it is conditional on an ABI the path already guarantees. */
export function effectiveTsync(op: Extract<IrOp, { type: "restrict" }>, state: FlowState): "yes" | "no" | "maybe" {
  if (op.flags.tsync === "yes" && op.flags.tsyncIfAbiAtLeast === undefined) return "yes";
  if (op.flags.tsyncIfAbiAtLeast !== undefined) {
    if (state.abiMin >= op.flags.tsyncIfAbiAtLeast) return "yes";
    if (state.abiBelow <= op.flags.tsyncIfAbiAtLeast) return "no";
    return "maybe";
  }
  if (op.flags.tsync === "maybe" && state.abiQueried && op.mechanism === "syscall") {
    // Flags the front-end could not evaluate, on a path that asked the ABI: TSYNC when the kernel has it.
    return state.abiMin >= 8 ? "yes" : "maybe";
  }
  if (op.mechanism === "library" && op.library?.tsyncWhenAvailable) {
    if (state.abiMin >= 8) return "yes";
    return op.library.fallbackBelowTsync === "error" ? "yes" : "maybe";
  }
  return op.flags.tsync;
}

/** The restriction gives each thread its own domain. */
export function isPerThread(op: Extract<IrOp, { type: "restrict" }>, state: FlowState, ctx: OpContext, settings: Settings): boolean {
  if (op.mechanism === "libpsx" || op.mechanism === "all-threads-syscall" || op.mechanism === "per-thread-user") return true;
  if (op.mechanism === "library" && op.library?.fallbackBelowTsync === "per-thread" && op.library.tsyncWhenAvailable) {
    return settings.targetAbi < 8 && state.abiMin < 8;
  }
  if (op.mechanism === "library" && op.library?.fallbackBelowTsync === "per-thread" && !op.library.tsyncWhenAvailable) return true;
  // A documented design where every thread restricts itself.
  return ctx.documentedPerThread && ctx.onThread !== undefined && effectiveTsync(op, state) !== "yes";
}

function containsOp(block: IrBlock): boolean {
  for (const node of block) {
    if (node.kind === "op") return true;
    if (node.kind === "branch" && node.arms.some((a) => containsOp(a.body))) return true;
    if ((node.kind === "loop" || node.kind === "child" || node.kind === "thread") && containsOp(node.body)) return true;
  }
  return false;
}
