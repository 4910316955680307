// The flow state of the abstract interpretation: what may be true of the process and of
// the current thread at one point of the program. Branches join states (union of what may
// be true; yes/no become maybe), so a fact that is "yes" holds on every path.

import type { Range, Tri } from "../ir.js";

/** Why other threads may be alive. */
export interface ThreadEvidence {
  /** Identity for joins: file and line of the spawn, or the runtime/setting that implies threads. */
  key: string;
  kind: "spawn" | "runtime" | "assumed" | "spawner";
  /** "pthread_create", "std::thread", "go runtime", ... */
  mechanism: string;
  count: "one" | "many";
  file?: string;
  range?: Range;
  routine?: string;
  note?: string;
}

/** A restriction that may have been applied to the current thread. */
export interface Enforcement {
  key: string;
  file: string;
  range: Range;
  api: string;
  /** Each thread got its own domain (libpsx, AllThreadsSyscall, per-thread loops, per-thread library fallback). */
  perThread: boolean;
  /** Applied to the whole process at once (TSYNC). */
  wholeProcess: boolean;
  /**
   * The library that applied it turns signal scoping off where per-thread domains would
   * break signals (go-landlock does, on kernels without erratum 2).
   */
  signalScopeSafePerThread?: boolean;
  scopesKnown: boolean;
  signalScope: boolean;
  abstractScope: boolean;
  /** Held on every path reaching this point (false after joining with a path where it did not happen). */
  certain: boolean;
  /** Applied before the current process was forked: the parent shares the domain. */
  inherited: boolean;
  /** A child process was forked after it: a pid may name a process inside the domain. */
  childForkedAfter: boolean;
}

export interface FlowState {
  threads: ThreadEvidence[];
  /** In a freshly forked child (before exec): other threads did not survive the fork. */
  inChild: boolean;
  nnp: Tri;
  capSysAdmin: Tri;
  layersMin: number;
  /** Infinity when a loop or recursion can stack layers without bound. */
  layersMax: number;
  /** The running ABI satisfies abiMin <= abi < abiBelow. */
  abiMin: number;
  abiBelow: number;
  /** The ABI was asked on this path. */
  abiQueried: boolean;
  /** Inside a condition the front-end could not read, after the ABI was asked: it may be the ABI test. */
  abiMaybeDecided: boolean;
  enforcements: Enforcement[];
  /** A TSYNC restriction was tried on this path while the kernel may lack TSYNC: a later one without it is the fallback. */
  tsyncAttempt?: { key: string; file: string; range: Range };
  /** Key and TSYNC-ness of the last Landlock call on the path, for error-path arms. */
  lastLandlock?: { kind: "restrict" | "other"; key: string; tsync: Tri; file: string; range: Range };
}

export const NO_ABI_UPPER_BOUND = 1000;

export function initialState(targetAbi: number): FlowState {
  return {
    threads: [],
    inChild: false,
    nnp: "no",
    capSysAdmin: "no",
    layersMin: 0,
    layersMax: 0,
    abiMin: targetAbi,
    abiBelow: NO_ABI_UPPER_BOUND,
    abiQueried: false,
    abiMaybeDecided: false,
    enforcements: [],
  };
}

export function joinTri(a: Tri, b: Tri): Tri {
  return a === b ? a : "maybe";
}

function unionBy<T extends { key: string }>(a: T[], b: T[], merge: (x: T, y: T) => T): T[] {
  const out = new Map<string, T>();
  for (const x of a) out.set(x.key, x);
  for (const y of b) {
    const x = out.get(y.key);
    out.set(y.key, x ? merge(x, y) : y);
  }
  return [...out.values()];
}

export function mergeThreads(a: ThreadEvidence[], b: ThreadEvidence[]): ThreadEvidence[] {
  return unionBy(a, b, (x, y) => (x.count === "many" || y.count !== "many" ? x : { ...x, count: "many" }));
}

export function join(a: FlowState | null, b: FlowState | null): FlowState | null {
  if (!a) return b;
  if (!b) return a;
  const enforcementKeysA = new Set(a.enforcements.map((e) => e.key));
  const enforcementKeysB = new Set(b.enforcements.map((e) => e.key));
  const enforcements = unionBy(a.enforcements, b.enforcements, (x, y) => ({
    ...x,
    certain: x.certain && y.certain,
    inherited: x.inherited && y.inherited,
    childForkedAfter: x.childForkedAfter || y.childForkedAfter,
  })).map((e) => (enforcementKeysA.has(e.key) && enforcementKeysB.has(e.key) ? e : { ...e, certain: false }));
  let lastLandlock = a.lastLandlock;
  if (!a.lastLandlock || !b.lastLandlock || a.lastLandlock.key !== b.lastLandlock.key) lastLandlock = undefined;
  return {
    threads: mergeThreads(a.threads, b.threads),
    inChild: a.inChild && b.inChild,
    nnp: joinTri(a.nnp, b.nnp),
    capSysAdmin: joinTri(a.capSysAdmin, b.capSysAdmin),
    layersMin: Math.min(a.layersMin, b.layersMin),
    layersMax: Math.max(a.layersMax, b.layersMax),
    abiMin: Math.min(a.abiMin, b.abiMin),
    abiBelow: Math.max(a.abiBelow, b.abiBelow),
    abiQueried: a.abiQueried && b.abiQueried,
    abiMaybeDecided: a.abiMaybeDecided || b.abiMaybeDecided,
    enforcements,
    lastLandlock,
    tsyncAttempt: a.tsyncAttempt ?? b.tsyncAttempt,
  };
}

export function joinAll(states: (FlowState | null)[]): FlowState | null {
  return states.reduce<FlowState | null>((acc, s) => join(acc, s), null);
}

/** A canonical text of the state, for memoisation and loop fixpoints. */
export function stateKey(s: FlowState): string {
  return JSON.stringify([
    s.threads.map((t) => `${t.key}:${t.count}`).sort(),
    s.inChild,
    s.nnp,
    s.capSysAdmin,
    s.layersMin,
    s.layersMax === Infinity ? "inf" : s.layersMax,
    s.abiMin,
    s.abiBelow,
    s.abiQueried,
    s.abiMaybeDecided,
    s.enforcements
      .map((e) => `${e.key}:${e.certain}:${e.inherited}:${e.childForkedAfter}`)
      .sort(),
    s.lastLandlock ? `${s.lastLandlock.kind}:${s.lastLandlock.key}:${s.lastLandlock.tsync}` : "",
    s.tsyncAttempt?.key ?? "",
  ]);
}

/** Other threads may be running next to the current one. */
export function multithreaded(s: FlowState): boolean {
  return !s.inChild && s.threads.length > 0;
}
