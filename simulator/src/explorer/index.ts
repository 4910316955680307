// Public API of the interleaving explorer: exhaustive exploration of the TSYNC protocol
// (correct, naive and mutated) and of libpsx's per-thread broadcast.

import type { Trace, TraceEvent } from "../trace.js";
import { explore, type Progress, type TransitionSystem, type Counterexample } from "./engine.js";
import { invariantInfo, type InvariantName } from "./invariants.js";
import { MAX_THREADS, TsyncModel } from "./tsync-model.js";
import { PSX_MAX_THREADS, PsxModel } from "./psx-model.js";
import { describeTsyncTrace, type DescribedTrace, type Lane, type ThreadOutcome } from "./tsync-trace.js";
import { describePsxTrace } from "./psx-trace.js";
import { counterexampleTrace } from "./as-trace.js";
import { listVariants, variantFlaws, type VariantInfo } from "./variants.js";

export { listVariants, type VariantInfo, type Exposure as VariantExposure } from "./variants.js";
export { listInvariants, type InvariantInfo, type InvariantName } from "./invariants.js";
export { renderLanes as renderExploreLanes, type LaneRenderOptions as ExploreLaneOptions } from "./render-lanes.js";
export type { Lane as ExploreLane, ThreadOutcome as ExploreThreadOutcome } from "./tsync-trace.js";
export type { Progress as ExploreProgress } from "./engine.js";

/** Spawns allowed when `spawn` is on and `maxSpawns` is not given. */
export const DEFAULT_MAX_SPAWNS = 2;
export const DEFAULT_MAX_STATES = 20_000_000;
export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_THREADS = 3;

export interface CommonExploreOptions {
  /** Threads alive when enforcement starts, caller(s) included (default 3). */
  threads?: number;
  /** Threads may spawn new threads during the run. */
  spawn?: boolean;
  /** Most spawns in one run (default 2 with `spawn`). */
  maxSpawns?: number;
  /** Threads (never a caller) may exit during the run. */
  exit?: boolean;
  /** Most exits in one run (default: every non-caller thread may exit). */
  maxExits?: number;
  /** State budget (default 20,000,000). */
  maxStates?: number;
  /** Time budget in milliseconds (default 120,000). */
  timeoutMs?: number;
  /** Called about once a second during long explorations. */
  onProgress?: (p: Progress) => void;
}

export interface TsyncExploreOptions extends CommonExploreOptions {
  /** ENOMEM may hit the caller's prepare_creds, the works allocation, and any sibling's prepare_creds. */
  enomem?: boolean;
  /** Signals that may interrupt the caller's wait for all_prepared (each restarts the syscall). Default 0. */
  interrupts?: number;
  /** Thread T1 calls TSYNC at the same time as T0. */
  concurrent?: boolean;
  /** Also start from every mix of siblings sharing the caller's cred and siblings with their own domain (default: on with `enomem`). */
  diverged?: boolean;
  /** Protocol variant (default "correct"); see listVariants(). */
  variant?: string;
}

export interface PsxExploreOptions extends CommonExploreOptions {
  /** The ruleset scopes signals (default true). */
  scopeSignal?: boolean;
  /** The kernel has erratum 2: threads of one process may always signal each other (default false). */
  erratum2?: boolean;
}

export interface ExploreViolation {
  invariant: InvariantName;
  /** For termination: "deadlock" or "livelock". */
  kind?: "deadlock" | "livelock";
  /** What the invariant demands. */
  description: string;
  /** What went wrong in this run. */
  message: string;
  /** True when no shorter violating run exists (checked breadth-first). */
  minimal: boolean;
  /** Number of model steps in the counterexample. */
  steps: number;
  trace: TraceEvent[];
  lanes: Lane[];
  final: ThreadOutcome[];
  /** For a livelock: index into `trace` where the repeating part starts. */
  loopStartEvent?: number;
  /** The counterexample as a complete Trace, for the simulator's renderers (renderText, renderHtml, SARIF). */
  document: Trace;
}

export interface ExploreResult {
  model: "tsync" | "psx";
  /** TSYNC variant explored ("correct" unless asked otherwise). */
  variant?: string;
  /** The options in effect after defaults. */
  settings: Record<string, number | boolean | string>;
  status: "ok" | "violation" | "budget";
  states: number;
  transitions: number;
  maxDepth: number;
  elapsedMs: number;
  statesPerSecond: number;
  /** Bytes held by the explorer's state tables. */
  stateBytes: number;
  /** Set when a budget stopped the exploration before the whole space was seen. */
  budget?: { reason: "states" | "time"; limit: number };
  violation?: ExploreViolation;
}

/** Raised for options that cannot be explored; the message names the option and the problem. */
export class ExploreOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExploreOptionsError";
  }
}

function integer(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new ExploreOptionsError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return v;
}

function budgets(opts: CommonExploreOptions): { maxStates: number; timeoutMs: number } {
  return {
    maxStates: integer("maxStates", opts.maxStates, DEFAULT_MAX_STATES, 1, 400_000_000),
    timeoutMs: integer("timeoutMs", opts.timeoutMs, DEFAULT_TIMEOUT_MS, 1, 86_400_000),
  };
}

function spawnsAndExits(opts: CommonExploreOptions, threads: number, limit: number, callers: number): { maxSpawns: number; maxExits: number } {
  if (opts.maxSpawns !== undefined && !opts.spawn) throw new ExploreOptionsError("maxSpawns needs spawn");
  if (opts.maxExits !== undefined && !opts.exit) throw new ExploreOptionsError("maxExits needs exit");
  const maxSpawns = opts.spawn ? integer("maxSpawns", opts.maxSpawns, Math.min(DEFAULT_MAX_SPAWNS, limit - threads), 1, limit - threads) : 0;
  if (opts.spawn && maxSpawns < 1) throw new ExploreOptionsError(`spawn needs room for one more thread: threads must be below ${limit}`);
  const maxExits = opts.exit ? integer("maxExits", opts.maxExits, limit, 1, limit) : 0;
  if (opts.exit && threads + maxSpawns <= callers) throw new ExploreOptionsError("exit needs a thread that is not a caller");
  return { maxSpawns, maxExits };
}

/** The landlock-sim command line that reproduces a run. */
export function exploreCommandLine(model: "tsync" | "psx", settings: Record<string, number | boolean | string>, variant?: string): string {
  const parts = ["landlock-sim", "explore", model, "--threads", String(settings.threads)];
  if (Number(settings.maxSpawns) > 0) parts.push("--spawn", "--max-spawns", String(settings.maxSpawns));
  if (Number(settings.maxExits) > 0) parts.push("--exit", ...(Number(settings.maxExits) < MAX_THREADS ? ["--max-exits", String(settings.maxExits)] : []));
  if (settings.enomem) parts.push("--enomem");
  if (settings.enomem && settings.diverged === false) parts.push("--no-diverged");
  if (Number(settings.interrupts) > 0) parts.push("--interrupts", String(settings.interrupts));
  if (settings.concurrent) parts.push("--concurrent");
  if (model === "psx" && settings.scopeSignal === false) parts.push("--no-scope");
  if (model === "psx" && settings.erratum2) parts.push("--erratum2");
  if (variant && variant !== "correct") parts.push("--variant", variant);
  return parts.join(" ");
}

function run(
  model: "tsync" | "psx",
  sys: TransitionSystem,
  settings: Record<string, number | boolean | string>,
  opts: CommonExploreOptions,
  describe: (trace: Counterexample) => DescribedTrace,
  variant?: string,
): ExploreResult {
  const { maxStates, timeoutMs } = budgets(opts);
  const r = explore(sys, { maxStates, timeoutMs, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  const result: ExploreResult = {
    model,
    ...(variant ? { variant } : {}),
    settings: { ...settings, maxStates, timeoutMs },
    status: r.status,
    states: r.states,
    transitions: r.transitions,
    maxDepth: r.maxDepth,
    elapsedMs: Math.round(r.elapsedMs * 10) / 10,
    statesPerSecond: r.elapsedMs > 0 ? Math.round(r.states / (r.elapsedMs / 1000)) : r.states,
    stateBytes: r.stateBytes,
  };
  if (r.status === "budget") result.budget = { reason: r.budgetReason!, limit: r.budgetReason === "states" ? maxStates : timeoutMs };
  if (r.counterexample) {
    const info = invariantInfo(r.counterexample.violation);
    const d = describe(r.counterexample);
    result.violation = {
      invariant: info.name,
      ...(info.kind ? { kind: info.kind } : {}),
      description: info.description,
      message: d.message,
      minimal: r.counterexample.minimal,
      steps: r.counterexample.actions.length,
      trace: d.events,
      lanes: d.lanes,
      final: d.final,
      ...(d.loopStartEvent !== undefined ? { loopStartEvent: d.loopStartEvent } : {}),
      document: counterexampleTrace(d, {
        scenario: exploreCommandLine(model, settings, variant),
        abi: model === "tsync" ? 8 : 6,
        errata: model === "psx" && settings.erratum2 ? [2] : [],
        description: `${info.name}${info.kind ? ` (${info.kind})` : ""}: ${info.description}`,
        scoped: model === "psx" && settings.scopeSignal ? ["signal"] : [],
      }),
    };
  }
  return result;
}

/** Explores every interleaving of a TSYNC call (or two concurrent ones) under the given faults. */
export function exploreTsync(options: TsyncExploreOptions = {}): ExploreResult {
  const variant = options.variant ?? "correct";
  const flaws = variantFlaws(variant);
  if (!flaws) throw new ExploreOptionsError(`unknown variant "${variant}"; known: ${listVariants().map((v: VariantInfo) => v.name).join(", ")}`);
  const concurrent = options.concurrent ?? false;
  const callers = concurrent ? 2 : 1;
  const threads = integer("threads", options.threads, DEFAULT_THREADS, callers, MAX_THREADS);
  const { maxSpawns, maxExits } = spawnsAndExits(options, threads, MAX_THREADS, callers);
  const enomem = options.enomem ?? false;
  const interrupts = integer("interrupts", options.interrupts, 0, 0, 7);
  const diverged = options.diverged ?? enomem;
  const model = new TsyncModel({ threads, maxSpawns, maxExits, enomem, interrupts, concurrent, diverged, flaws });
  const settings = { threads, maxSpawns, maxExits, enomem, interrupts, concurrent, diverged };
  return run("tsync", model, settings, options, (t) => describeTsyncTrace(model, t), variant);
}

/** Explores libpsx's per-thread broadcast of restrict_self. */
export function explorePsx(options: PsxExploreOptions = {}): ExploreResult {
  const threads = integer("threads", options.threads, DEFAULT_THREADS, 1, PSX_MAX_THREADS);
  const { maxSpawns, maxExits } = spawnsAndExits(options, threads, PSX_MAX_THREADS, 1);
  const scopeSignal = options.scopeSignal ?? true;
  const erratum2 = options.erratum2 ?? false;
  const model = new PsxModel({ threads, maxSpawns, maxExits, scopeSignal, erratum2 });
  const settings = { threads, maxSpawns, maxExits, scopeSignal, erratum2 };
  return run("psx", model, settings, options, (t) => describePsxTrace(model, t));
}
