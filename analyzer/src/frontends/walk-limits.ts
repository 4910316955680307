// Bounds on one file's walk from syntax tree to IR: how deep the walkers recurse and how
// long they may take. Past the depth limit a subtree is treated as opaque; past the
// deadline the walkers stop and keep what they built. Either is reported as a parse
// problem, so a report never silently covers less than the file.
//
// The limits hang off the walker's per-file context object, so every function walker of
// one file shares them without the file walker having to pass them along.

import type { ParseProblem, Range } from "../ir.js";

/**
 * CPU time a front-end may spend walking one file. Less than the analysis budget
 * (`DEFAULT_BUDGET_MS`, 5 s), which also covers the checks that run after the walk.
 * CPU time, not wall time: on a loaded machine the same file must give the same IR.
 */
export const FRONT_END_BUDGET_MS = 3000;

/** CPU milliseconds used by this process; wall-clock milliseconds where there is no `process` (browser builds). */
function clockMs(): number {
  const proc = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  if (proc?.cpuUsage) {
    const used = proc.cpuUsage();
    return (used.user + used.system) / 1000;
  }
  return performance.now();
}

/** Statement and expression nesting the walkers follow; deeper code is not analysed. */
export const MAX_WALK_DEPTH = 200;

/** How often the clock is looked at: every this many walker steps, and the CPU clock at most every CLOCK_READ_MS of wall time. */
const CLOCK_EVERY = 64;
const CLOCK_READ_MS = 10;

export class WalkLimits {
  private readonly started = clockMs();
  private readonly deadline: number;
  private steps = 0;
  private lastRead = performance.now();
  private stoppedAt: Range | undefined;
  private readonly deep: { range: Range; limit: number }[] = [];
  private readonly deepSeen = new Set<number>();

  /**
   * `reported`: the file walker will put `problems()` into the IR. Without that, the clock
   * is not enforced: a walk cut short must never pass for a whole one.
   */
  constructor(
    readonly budgetMs: number = FRONT_END_BUDGET_MS,
    reported = true,
  ) {
    this.deadline = reported ? this.started + budgetMs : Infinity;
  }

  /** True once the deadline has passed (then for good); `at` is where the walk stopped. */
  outOfTime(at?: () => Range): boolean {
    if (this.stoppedAt) return true;
    if (++this.steps % CLOCK_EVERY !== 0) return false;
    // Reading the CPU clock is a system call: only when the wall clock says it may be worth it.
    const wall = performance.now();
    if (wall - this.lastRead < CLOCK_READ_MS) return false;
    this.lastRead = wall;
    if (clockMs() <= this.deadline) return false;
    const zero = { line: 1, column: 0, offset: 0 };
    this.stoppedAt = at?.() ?? { start: zero, end: zero };
    return true;
  }

  get stopped(): boolean {
    return this.stoppedAt !== undefined;
  }

  /** Records code nested past the walker's depth limit (each place once, the first few listed). */
  tooDeep(range: Range, limit: number = MAX_WALK_DEPTH): void {
    if (this.deepSeen.has(range.start.offset)) return;
    this.deepSeen.add(range.start.offset);
    if (this.deep.length < MAX_LISTED) this.deep.push({ range, limit });
  }

  problems(): ParseProblem[] {
    const out: ParseProblem[] = this.deep.map(({ range, limit }) => ({ message: `nesting deeper than ${limit}: not analysed`, range }));
    if (this.stoppedAt) {
      const ms = Math.round(clockMs() - this.started);
      out.push({ message: `analysis stopped after ${ms} ms of CPU time (front-end budget ${this.budgetMs} ms): the rest of the file was not analysed`, range: this.stoppedAt });
    }
    return out;
  }
}

const MAX_LISTED = 10;

const limitsByContext = new WeakMap<object, WalkLimits>();

/**
 * The limits of the file a walker context belongs to. Created on first use when the file
 * walker did not call `startWalk` (and so will not report a stop): depth only, no clock.
 */
export function walkLimitsOf(context: object): WalkLimits {
  let limits = limitsByContext.get(context);
  if (!limits) {
    limits = new WalkLimits(FRONT_END_BUDGET_MS, false);
    limitsByContext.set(context, limits);
  }
  return limits;
}

/** Starts a file's walk with a given budget (file walkers call this before any function walker runs). */
export function startWalk(context: object, budgetMs?: number): WalkLimits {
  const limits = new WalkLimits(budgetMs);
  limitsByContext.set(context, limits);
  return limits;
}

/**
 * Whether a walker may go into a node at `depth`: not past `maxDepth` (the place is
 * reported) nor past the file's deadline. `range` is computed only when it is needed.
 */
export function mayEnter(limits: WalkLimits, depth: number, maxDepth: number, range: () => Range): boolean {
  if (depth > maxDepth) {
    limits.tooDeep(range(), maxDepth);
    return false;
  }
  return !limits.outOfTime(range);
}
