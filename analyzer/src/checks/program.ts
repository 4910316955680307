// The program the checks walk: every function of the analysed files, how calls resolve to
// definitions (same file first, then the nearest folder), the call graph, its roots, the
// recursive functions, and small per-function summaries used to skip code that cannot
// matter and to see what a branch arm does without walking it.

import type { IrBlock, IrFile, IrFunction, IrNode, IrOp } from "../ir.js";
import type { Settings } from "../settings.js";

/** Definitions of one name a call may resolve to, at most (the first ones, in file order). */
const MAX_CALL_CANDIDATES = 16;

export interface ProgramFunction {
  id: string;
  fn: IrFunction;
  file: IrFile;
}

export interface FunctionSummary {
  /** Contains (or reaches) something the checks look at; false for pure utility code. */
  relevant: boolean;
  restrictsWithTsync: boolean;
  restrictsWithoutTsync: boolean;
  /** Returns the result of a Landlock call to its caller. */
  returnsLandlockResult: boolean;
}

/** What a block does by itself, without looking into the functions it calls. */
interface LocalFacts {
  relevant: boolean;
  restrictsWithTsync: boolean;
  restrictsWithoutTsync: boolean;
  returnsLandlockResult: boolean;
  calls: CallOp[];
}

/**
 * Local facts per block. IR objects are reused while their file's content hash is
 * unchanged (the project caches IR by it), so this is a cache by content hash too.
 */
const localFactsCache = new WeakMap<IrBlock, LocalFacts>();

function localFacts(block: IrBlock): LocalFacts {
  const cached = localFactsCache.get(block);
  if (cached) return cached;
  const f: LocalFacts = { relevant: false, restrictsWithTsync: false, restrictsWithoutTsync: false, returnsLandlockResult: false, calls: [] };
  if (blockHas(block, (n) => n.kind === "child" || n.kind === "thread" || (n.kind === "exit" && n.leaves === "process"))) f.relevant = true;
  forEachOp(block, (op) => {
    if (op.type === "call") {
      f.calls.push(op);
      return;
    }
    f.relevant = true;
    if (op.type === "restrict") {
      if (op.flags.tsync === "yes" || op.flags.tsyncIfAbiAtLeast !== undefined) f.restrictsWithTsync = true;
      else f.restrictsWithoutTsync = true;
    }
    // An fd handed back by a create_ruleset wrapper is not a success/failure result.
    if ((op.type === "restrict" || op.type === "add-rule") && op.resultReturned) f.returnsLandlockResult = true;
  });
  localFactsCache.set(block, f);
  return f;
}

/**
 * An estimate for front-ends that do not set `resultReturned`: the result of a restrict or
 * add_rule is consumed ("yes") but nothing after the call in the function tests anything,
 * so it can only leave through the return value.
 */
export function resultMayFlowOut(body: IrBlock): boolean {
  const testsSomething = (n: IrNode): boolean => n.kind === "branch" || n.kind === "loop";
  const walk = (block: IrBlock, testedLater: boolean): boolean => {
    // Whether anything after position i tests something, from the end: linear in the block.
    const testedAfter: boolean[] = new Array(block.length).fill(false);
    for (let i = block.length - 2; i >= 0; i--) {
      const n = block[i + 1]!;
      testedAfter[i] = testedAfter[i + 1]! || testsSomething(n) || (n.kind === "op" && n.op.type === "call" && n.op.resultChecked === "yes");
    }
    for (let i = 0; i < block.length; i++) {
      const node = block[i]!;
      const later = testedLater || testedAfter[i]!;
      if (node.kind === "op") {
        const op = node.op;
        if ((op.type === "restrict" || op.type === "add-rule") && op.resultChecked === "yes" && !later) return true;
      } else if (node.kind === "branch") {
        if (node.arms.some((a) => walk(a.body, later))) return true;
      } else if (node.kind === "loop") {
        if (walk(node.body, true)) return true;
      }
    }
    return false;
  };
  return walk(body, false);
}

const SINGLE_ENTRY_LANGUAGES = new Set(["c", "cpp", "go", "rust"]);

const EMPTY_SUMMARY: FunctionSummary = { relevant: false, restrictsWithTsync: false, restrictsWithoutTsync: false, returnsLandlockResult: false };

type CallOp = Extract<IrOp, { type: "call" }>;
type SpawnOp = Extract<IrOp, { type: "spawn" }>;

function lastSegment(name: string): string {
  return name.split(/::|\.|->/).pop() ?? name;
}

function commonPrefixLength(a: string, b: string): number {
  const pa = a.split("/");
  const pb = b.split("/");
  let n = 0;
  while (n < pa.length - 1 && n < pb.length - 1 && pa[n] === pb[n]) n++;
  return n;
}

export function functionId(file: IrFile, fn: IrFunction): string {
  return `${file.file}#${fn.name}#${fn.range.start.offset}`;
}

/** Visits every op of a block, including nested arms, loops, child and thread bodies. */
export function forEachOp(block: IrBlock, visit: (op: IrOp, node: IrNode) => void): void {
  for (const node of block) {
    switch (node.kind) {
      case "op":
        visit(node.op, node);
        break;
      case "branch":
        for (const arm of node.arms) forEachOp(arm.body, visit);
        break;
      case "loop":
      case "child":
      case "thread":
        forEachOp(node.body, visit);
        break;
      case "exit":
        break;
    }
  }
}

function blockHas(block: IrBlock, pred: (node: IrNode) => boolean): boolean {
  for (const node of block) {
    if (pred(node)) return true;
    if (node.kind === "branch" && node.arms.some((a) => blockHas(a.body, pred))) return true;
    if ((node.kind === "loop" || node.kind === "child" || node.kind === "thread") && blockHas(node.body, pred)) return true;
  }
  return false;
}

export class Program {
  readonly functions: ProgramFunction[] = [];
  private readonly byName = new Map<string, ProgramFunction[]>();
  private readonly byLastSegment = new Map<string, ProgramFunction[]>();
  private readonly byId = new Map<string, ProgramFunction>();
  private readonly resolveCache = new Map<string, ProgramFunction[]>();
  private readonly summaries = new Map<string, FunctionSummary>();
  private readonly callees = new Map<string, Set<string>>();
  private readonly routines = new Map<string, Set<string>>();
  readonly recursive = new Set<string>();
  readonly roots: ProgramFunction[] = [];
  private readonly spawners: Set<string>;
  private readonly wrappers: Set<string>;
  /** Files defining the entry point of a program, in languages where a program has exactly one. */
  private readonly filesWithEntry = new Set<string>();
  private filesCalledFromOthers?: Set<string>;
  private readonly armSummaries = new WeakMap<IrBlock, FunctionSummary>();
  /** Files whose front-end says which Landlock results are returned (others get an estimate). */
  private readonly filesStatingReturns = new Set<string>();

  constructor(
    readonly files: IrFile[],
    readonly settings: Settings,
  ) {
    this.spawners = new Set(settings.threadSpawners);
    for (const file of files) {
      if (SINGLE_ENTRY_LANGUAGES.has(file.language) && file.functions.some((f) => f.isEntry)) this.filesWithEntry.add(file.file);
      let states = false;
      for (const fn of file.functions) forEachOp(fn.body, (op) => void (states ||= "resultReturned" in op));
      if (states) this.filesStatingReturns.add(file.file);
    }
    this.wrappers = new Set(settings.restrictWrappers);
    for (const file of files) {
      for (const fn of file.functions) {
        const pf: ProgramFunction = { id: functionId(file, fn), fn, file };
        if (this.byId.has(pf.id)) continue;
        this.functions.push(pf);
        this.byId.set(pf.id, pf);
        const list = this.byName.get(fn.name) ?? [];
        list.push(pf);
        this.byName.set(fn.name, list);
        const last = lastSegment(fn.name);
        const bySegment = this.byLastSegment.get(last) ?? [];
        bySegment.push(pf);
        this.byLastSegment.set(last, bySegment);
      }
    }
    this.buildCallGraph();
    this.findRecursion();
    this.findRoots();
    this.computeSummaries();
  }

  get(id: string): ProgramFunction | undefined {
    return this.byId.get(id);
  }

  isThreadSpawner(name: string): boolean {
    return this.spawners.has(name) || this.spawners.has(name.split(/::|\./).pop() ?? name);
  }

  isRestrictWrapper(name: string): boolean {
    return this.wrappers.has(name) || this.wrappers.has(name.split(/::|\./).pop() ?? name);
  }

  /** Definitions a name may refer to, from `fromFile`: same file first, then the nearest folders. */
  resolveName(name: string, fromFile: string, extraCandidates: string[] = []): ProgramFunction[] {
    const cacheKey = `${fromFile}\u0000${name}\u0000${extraCandidates.join(",")}`;
    const cached = this.resolveCache.get(cacheKey);
    if (cached) return cached;
    // Two files that each define a C/C++/Go/Rust entry point belong to different programs.
    const linkable = (f: ProgramFunction) => !this.filesWithEntry.has(fromFile) || f.file.file === fromFile || !this.filesWithEntry.has(f.file.file);
    let found: ProgramFunction[] = [];
    for (const n of [name, ...extraCandidates]) found.push(...(this.byName.get(n) ?? []).filter(linkable));
    let bySuffix = false;
    if (found.length === 0) {
      // `ns::f` called as `f`, or `obj.f` / `T.f` defined as `f` (or the reverse).
      const target = lastSegment(name);
      found = (this.byLastSegment.get(target) ?? []).filter((pf) => linkable(pf) && (pf.fn.name !== target || name !== target));
      bySuffix = true;
    }
    found = [...new Map(found.map((f) => [f.id, f])).values()];
    let result = found;
    if (found.length > 1) {
      const sameFile = found.filter((f) => f.file.file === fromFile);
      if (sameFile.length > 0) result = sameFile;
      else {
        const best = Math.max(...found.map((f) => commonPrefixLength(f.file.file, fromFile)));
        result = found.filter((f) => commonPrefixLength(f.file.file, fromFile) === best);
      }
    }
    // A match on the last name segment only counts when it is the only one.
    if (bySuffix && result.length > 1) result = [];
    // Generated or concatenated code can define one name thousands of times: every call
    // would walk (and join the states of) every definition, quadratic in the file.
    if (result.length > MAX_CALL_CANDIDATES) result = result.slice(0, MAX_CALL_CANDIDATES);
    this.resolveCache.set(cacheKey, result);
    return result;
  }

  resolveCall(op: CallOp, fromFile: string): ProgramFunction[] {
    return this.resolveName(op.callee, fromFile, op.calleeCandidates ?? []);
  }

  resolveRoutine(op: SpawnOp, fromFile: string): ProgramFunction[] {
    return op.routine ? this.resolveName(op.routine, fromFile) : [];
  }

  private buildCallGraph(): void {
    for (const pf of this.functions) {
      const calls = new Set<string>();
      const routines = new Set<string>();
      forEachOp(pf.fn.body, (op) => {
        if (op.type === "call") for (const c of this.resolveCall(op, pf.file.file)) calls.add(c.id);
        if (op.type === "spawn") for (const r of this.resolveRoutine(op, pf.file.file)) routines.add(r.id);
      });
      this.callees.set(pf.id, calls);
      this.routines.set(pf.id, routines);
    }
  }

  /**
   * The function's file has an entry point, or another file calls into it: an uncalled
   * function there is reached some way the call graph does not show (callback, handler).
   */
  calledFromOutside(pf: ProgramFunction): boolean {
    if (pf.file.functions.some((f) => f.isEntry)) return true;
    if (!this.filesCalledFromOthers) {
      this.filesCalledFromOthers = new Set();
      for (const caller of this.functions) {
        for (const id of [...this.calleesOf(caller.id), ...this.routinesOf(caller.id)]) {
          const target = this.get(id);
          if (target && target.file.file !== caller.file.file) this.filesCalledFromOthers.add(target.file.file);
        }
      }
    }
    return this.filesCalledFromOthers.has(pf.file.file);
  }

  calleesOf(id: string): Set<string> {
    return this.callees.get(id) ?? new Set();
  }

  routinesOf(id: string): Set<string> {
    return this.routines.get(id) ?? new Set();
  }

  private findRecursion(): void {
    // Tarjan's strongly connected components over call edges.
    let index = 0;
    const indices = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const strong = (v: string): void => {
      indices.set(v, index);
      low.set(v, index);
      index++;
      stack.push(v);
      onStack.add(v);
      for (const w of this.calleesOf(v)) {
        if (!indices.has(w)) {
          strong(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
      if (low.get(v) === indices.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || this.calleesOf(v).has(v)) for (const c of component) this.recursive.add(c);
      }
    };
    for (const pf of this.functions) if (!indices.has(pf.id)) strong(pf.id);
  }

  private findRoots(): void {
    const called = new Set<string>();
    for (const pf of this.functions) {
      for (const c of this.calleesOf(pf.id)) if (c !== pf.id) called.add(c);
      for (const r of this.routinesOf(pf.id)) if (r !== pf.id) called.add(r);
    }
    const roots = this.functions.filter((pf) => pf.fn.isEntry || !called.has(pf.id));
    // Entry points first: their context is the most precise.
    roots.sort((a, b) => Number(b.fn.isEntry) - Number(a.fn.isEntry));
    const reached = new Set<string>();
    const reach = (id: string): void => {
      if (reached.has(id)) return;
      reached.add(id);
      for (const c of this.calleesOf(id)) reach(c);
      for (const r of this.routinesOf(id)) reach(r);
    };
    for (const r of roots) reach(r.id);
    // Cycles nobody else calls would otherwise never be looked at.
    for (const pf of this.functions) {
      if (!reached.has(pf.id)) {
        roots.push(pf);
        reach(pf.id);
      }
    }
    this.roots.push(...roots);
  }

  summary(pf: ProgramFunction): FunctionSummary {
    return this.summaries.get(pf.id) ?? EMPTY_SUMMARY;
  }

  /** Summaries of every function: a fixpoint, since call cycles feed on each other (all facts only grow). */
  private computeSummaries(): void {
    for (let changed = true, rounds = 0; changed && rounds < this.functions.length + 2; rounds++) {
      changed = false;
      for (const pf of this.functions) {
        const s = this.blockSummary(pf.fn.body, pf.file.file);
        if (!this.filesStatingReturns.has(pf.file.file) && resultMayFlowOut(pf.fn.body)) s.returnsLandlockResult = true;
        s.relevant ||= pf.fn.runtimeThreads !== undefined || pf.fn.childContext !== undefined || pf.fn.documentedPerThread === true;
        const old = this.summaries.get(pf.id) ?? EMPTY_SUMMARY;
        if (
          s.relevant !== old.relevant ||
          s.restrictsWithTsync !== old.restrictsWithTsync ||
          s.restrictsWithoutTsync !== old.restrictsWithoutTsync ||
          s.returnsLandlockResult !== old.returnsLandlockResult
        ) {
          changed = true;
          this.summaries.set(pf.id, s);
        }
      }
    }
  }

  /** What a branch arm does, looking through calls (cached once the function summaries are final). */
  armSummary(block: IrBlock, fromFile: string): FunctionSummary {
    let s = this.armSummaries.get(block);
    if (!s) {
      s = this.blockSummary(block, fromFile);
      this.armSummaries.set(block, s);
    }
    return s;
  }

  /** What a block does, looking through calls. */
  blockSummary(block: IrBlock, fromFile: string): FunctionSummary {
    const local = localFacts(block);
    const s: FunctionSummary = {
      relevant: local.relevant,
      restrictsWithTsync: local.restrictsWithTsync,
      restrictsWithoutTsync: local.restrictsWithoutTsync,
      returnsLandlockResult: local.returnsLandlockResult,
    };
    for (const op of local.calls) {
      if (this.isThreadSpawner(op.callee) || this.isRestrictWrapper(op.callee)) {
        s.relevant = true;
        if (this.isRestrictWrapper(op.callee)) {
          s.restrictsWithoutTsync = true;
          if (op.resultReturned) s.returnsLandlockResult = true;
        }
      }
      for (const callee of this.resolveCall(op, fromFile)) {
        const cs = this.summary(callee);
        s.relevant ||= cs.relevant;
        s.restrictsWithTsync ||= cs.restrictsWithTsync;
        s.restrictsWithoutTsync ||= cs.restrictsWithoutTsync;
        if (op.resultReturned && cs.returnsLandlockResult) s.returnsLandlockResult = true;
      }
    }
    return s;
  }

}
