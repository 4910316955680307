// Explicit-state exploration of every interleaving of a TransitionSystem.
//
// Pass 1 is a depth-first search with three colours: it visits the whole reachable space
// once, checks every transition and every terminal state, and finds cycles (a transition
// back to a state still on the DFS stack), which is how livelocks show up. It keeps no
// parent pointers, so it is cheap on memory.
//
// Only when pass 1 finds a violation does pass 2 run: a breadth-first search from the
// initial states, layer by layer, which stops at the shallowest violation and so yields a
// counterexample of minimal length. For a livelock it yields the shortest path to the
// state where the cycle starts; the cycle itself comes from the DFS stack.

import { StateSet } from "./state-set.js";
import { INVARIANT_LIVELOCK } from "./invariants.js";

/** Receives one successor: its packed state (valid only during the call), the action that led there, and a violation code (0: none). */
export type Emit = (packed: Uint32Array, action: number, violation: number) => void;

export interface TransitionSystem {
  /** 32-bit words per packed state. */
  readonly words: number;
  /** Packed initial states. */
  initialStates(): Uint32Array[];
  /**
   * Emits every successor of the state at src[off..off+words) and returns how many.
   * The state must be read before the first emit: emitting may reallocate `src`.
   */
  expand(src: Uint32Array, off: number, emit: Emit): number;
  /** For a state without successors: 0 if it is a proper final state that satisfies the final invariants, else the violated invariant's code. */
  terminalViolation(src: Uint32Array, off: number): number;
}

export interface Budget {
  /** Stop after this many distinct states. */
  maxStates: number;
  /** Stop after this many milliseconds. */
  timeoutMs: number;
  /** Called about once a second during long runs. */
  onProgress?: (p: Progress) => void;
}

export interface Progress {
  states: number;
  transitions: number;
  depth: number;
  elapsedMs: number;
}

export interface Counterexample {
  /** Index into initialStates(). */
  root: number;
  /** Actions from that initial state, in order. */
  actions: number[];
  violation: number;
  /** For a livelock: actions[loopStart..] lead from the cycle's first state back to it. */
  loopStart?: number;
  /** True when a breadth-first search confirmed no shorter violating run exists. */
  minimal: boolean;
}

export interface EngineResult {
  status: "ok" | "violation" | "budget";
  states: number;
  transitions: number;
  maxDepth: number;
  elapsedMs: number;
  /** Peak bytes held by the state set (typed arrays only). */
  stateBytes: number;
  budgetReason?: "states" | "time";
  counterexample?: Counterexample;
}

const WHITE = 0;
const GRAY = 1;
const BLACK = 2;
const TIME_CHECK_MASK = 0x1fff;

function growInt32(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  let n = a.length * 2;
  while (n < need) n *= 2;
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

function growUint8(a: Uint8Array<ArrayBuffer>, need: number): Uint8Array<ArrayBuffer> {
  if (need <= a.length) return a;
  let n = a.length * 2;
  while (n < need) n *= 2;
  const b = new Uint8Array(n);
  b.set(a);
  return b;
}

interface Found {
  /** Stack of state ids from a root to the violating state (DFS order). */
  path: number[];
  /** Actions between consecutive path states, plus the violating action for an edge violation. */
  actions: number[];
  violation: number;
  /** For livelocks: index in `path` where the cycle starts. */
  loopState?: number;
}

export function explore(sys: TransitionSystem, budget: Budget): EngineResult {
  const started = performance.now();
  const w = sys.words;
  const set = new StateSet(w);
  const roots = sys.initialStates();
  const rootIds: number[] = [];
  const rootIndexOf = new Map<number, number>();
  for (let r = 0; r < roots.length; r++) {
    const id = set.insert(roots[r]!, 0);
    if (!rootIndexOf.has(id)) rootIndexOf.set(id, r);
    rootIds.push(id);
  }

  let color = new Uint8Array(1 << 16);
  let frameState = new Int32Array(256);
  let frameEnd = new Int32Array(256);
  let frameIdx = new Int32Array(256);
  let edges = new Int32Array(4096);
  let edgeAct = new Int32Array(4096);
  let edgeViol = new Uint8Array(4096);
  let edgeTop = 0;
  let depth = 0;
  let maxDepth = 0;
  let transitions = 0;
  let expansions = 0;
  let budgetReason: "states" | "time" | undefined;
  let lastProgress = started;
  // An edge violation seen while expanding: its action and code.
  let violAct = 0;
  let violCode = 0;

  const emit: Emit = (packed, action, violation) => {
    if (violation !== 0) {
      if (violCode === 0) {
        violCode = violation;
        violAct = action;
      }
      return;
    }
    const id = set.insert(packed, 0);
    if (edgeTop >= edges.length) {
      edges = growInt32(edges, edgeTop + 1);
      edgeAct = growInt32(edgeAct, edgeTop + 1);
      edgeViol = growUint8(edgeViol, edgeTop + 1);
    }
    edges[edgeTop] = id;
    edgeAct[edgeTop] = action;
    edgeTop++;
  };

  const stackPath = (): { path: number[]; actions: number[] } => {
    const path: number[] = [];
    const actions: number[] = [];
    for (let k = 0; k < depth; k++) {
      path.push(frameState[k]!);
      if (k > 0) actions.push(edgeAct[frameIdx[k - 1]! - 1]!);
    }
    return { path, actions };
  };

  let found: Found | undefined;

  /** Pushes state s on the DFS stack and expands it; returns false when exploration must stop. */
  const push = (s: number): boolean => {
    color[s] = GRAY;
    if (depth >= frameState.length) {
      frameState = growInt32(frameState, depth + 1);
      frameEnd = growInt32(frameEnd, depth + 1);
      frameIdx = growInt32(frameIdx, depth + 1);
    }
    const start = edgeTop;
    frameState[depth] = s;
    frameIdx[depth] = start;
    violCode = 0;
    const n = sys.expand(set.store, s * w, emit);
    frameEnd[depth] = edgeTop;
    depth++;
    if (depth > maxDepth) maxDepth = depth;
    transitions += n;
    if (set.size > color.length) color = growUint8(color, set.size);
    if (violCode !== 0) {
      const { path, actions } = stackPath();
      actions.push(violAct);
      found = { path, actions, violation: violCode };
      return false;
    }
    if (n === 0) {
      const tv = sys.terminalViolation(set.store, s * w);
      if (tv !== 0) {
        const { path, actions } = stackPath();
        found = { path, actions, violation: tv };
        return false;
      }
    }
    if (set.size > budget.maxStates) {
      budgetReason = "states";
      return false;
    }
    if ((++expansions & TIME_CHECK_MASK) === 0) {
      const now = performance.now();
      if (now - started > budget.timeoutMs) {
        budgetReason = "time";
        return false;
      }
      if (budget.onProgress && now - lastProgress > 1000) {
        lastProgress = now;
        budget.onProgress({ states: set.size, transitions, depth, elapsedMs: now - started });
      }
    }
    return true;
  };

  outer: for (const root of rootIds) {
    if (color[root] !== WHITE) continue;
    if (!push(root)) break;
    while (depth > 0) {
      const top = depth - 1;
      const i = frameIdx[top]!;
      if (i < frameEnd[top]!) {
        frameIdx[top] = i + 1;
        const t = edges[i]!;
        const c = color[t]!;
        if (c === WHITE) {
          if (!push(t)) break outer;
        } else if (c === GRAY) {
          const { path, actions } = stackPath();
          actions.push(edgeAct[i]!);
          found = { path, actions, violation: INVARIANT_LIVELOCK, loopState: path.indexOf(t) };
          break outer;
        }
      } else {
        color[frameState[top]!] = BLACK;
        edgeTop = top > 0 ? frameEnd[top - 1]! : 0;
        depth--;
      }
    }
  }

  const base = {
    states: set.size,
    transitions,
    maxDepth,
    stateBytes: set.bytes + color.byteLength,
  };
  if (found) {
    const dfsTrace: Counterexample = {
      root: rootIndexOf.get(found.path[0]!)!,
      actions: found.actions,
      violation: found.violation,
      minimal: false,
      ...(found.loopState !== undefined ? { loopStart: found.loopState } : {}),
    };
    let loopKey: Uint32Array | undefined;
    if (found.loopState !== undefined) {
      const s = found.path[found.loopState]!;
      loopKey = set.store.slice(s * w, s * w + w);
    }
    const remaining = Math.max(0, budget.timeoutMs - (performance.now() - started));
    const shortest = shortestCounterexample(sys, { maxStates: budget.maxStates, timeoutMs: remaining }, loopKey);
    let counterexample = dfsTrace;
    if (shortest.kind === "violation") counterexample = shortest.trace;
    else if (shortest.kind === "path" && found.loopState !== undefined) {
      // Shortest stem to the cycle's first state, then the cycle as the DFS found it.
      const cycle = found.actions.slice(found.loopState);
      counterexample = {
        root: shortest.trace.root,
        actions: [...shortest.trace.actions, ...cycle],
        violation: found.violation,
        loopStart: shortest.trace.actions.length,
        minimal: false,
      };
    }
    return { status: "violation", ...base, elapsedMs: performance.now() - started, counterexample };
  }
  if (budgetReason) return { status: "budget", ...base, elapsedMs: performance.now() - started, budgetReason };
  return { status: "ok", ...base, elapsedMs: performance.now() - started };
}

type Shortest =
  | { kind: "violation"; trace: Counterexample }
  | { kind: "path"; trace: Counterexample }
  | { kind: "none" };

/**
 * Breadth-first search for the shallowest violation (an edge violation at layer d is a
 * run of d+1 steps, a terminal violation at layer d one of d steps). With `target`, a
 * run reaching that state is also returned when no violation is shallower.
 */
export function shortestCounterexample(sys: TransitionSystem, budget: Budget, target?: Uint32Array): Shortest {
  const started = performance.now();
  const w = sys.words;
  const set = new StateSet(w);
  let parent = new Int32Array(1 << 14);
  let parentAct = new Int32Array(1 << 14);
  const roots = sys.initialStates();
  for (let r = 0; r < roots.length; r++) {
    const id = set.insert(roots[r]!, 0);
    if (set.added) {
      parent[id] = -1;
      parentAct[id] = r;
    }
  }
  const pathTo = (id: number): Counterexample => {
    const actions: number[] = [];
    let s = id;
    while (parent[s] !== -1) {
      actions.push(parentAct[s]!);
      s = parent[s]!;
    }
    actions.reverse();
    return { root: parentAct[s]!, actions, violation: 0, minimal: true };
  };
  const targetId = (): number => (target ? set.find(target, 0) : -1);
  if (targetId() >= 0) return { kind: "path", trace: pathTo(targetId()) };

  let src = 0;
  let bestEdge: { src: number; action: number; violation: number } | undefined;
  let expansions = 0;
  const emit: Emit = (packed, action, violation) => {
    if (violation !== 0) {
      if (!bestEdge) bestEdge = { src, action, violation };
      return;
    }
    const id = set.insert(packed, 0);
    if (set.added) {
      if (id >= parent.length) {
        parent = growInt32(parent, id + 1);
        parentAct = growInt32(parentAct, id + 1);
      }
      parent[id] = src;
      parentAct[id] = action;
    }
  };
  let layerStart = 0;
  while (layerStart < set.size) {
    const layerEnd = set.size;
    for (let s = layerStart; s < layerEnd; s++) {
      src = s;
      const n = sys.expand(set.store, s * w, emit);
      if (n === 0) {
        const tv = sys.terminalViolation(set.store, s * w);
        if (tv !== 0) {
          const trace = pathTo(s);
          trace.violation = tv;
          return { kind: "violation", trace };
        }
      }
      if (set.size > budget.maxStates) return { kind: "none" };
      if ((++expansions & TIME_CHECK_MASK) === 0 && performance.now() - started > budget.timeoutMs) return { kind: "none" };
    }
    if (bestEdge) {
      const trace = pathTo(bestEdge.src);
      trace.actions.push(bestEdge.action);
      trace.violation = bestEdge.violation;
      return { kind: "violation", trace };
    }
    const t = targetId();
    if (t >= 0) return { kind: "path", trace: pathTo(t) };
    layerStart = layerEnd;
  }
  return { kind: "none" };
}
