// The TSYNC protocol (LANDLOCK_RESTRICT_SELF_TSYNC) as a transition system, at the grain
// of the kernel patch, for exhaustive exploration.
//
// Threads, per slot: status (running / exiting / dead), which struct cred they point to,
// their Landlock domain, no_new_privs, whether the current call has seen them, a queued
// task_work per call, and whether they wait in their task_work for ready_to_commit.
// Per calling thread: where it is in landlock_restrict_sibling_threads() plus the shared
// context of its call (preparation_error, num_preparing / all_prepared,
// ready_to_commit, num_unfinished / all_finished, the works capacity).
//
// Steps are merged where no other thread can observe the difference (a wait that
// completes and the work up to the next shared write; the count pass with the
// allocation after it; a sibling's prepare_creds with its num_preparing decrement). The
// RCU scan stays one step per thread and task_work_add is its own step, so a thread can
// exit between being found and being queued, as in the kernel.
//
// How the kernel copes with the environment, as modelled:
// - a thread spawned during the call inherits its parent's cred; the next discovery
//   round finds it, because the round before waited until every queued sibling entered
//   its task_work, where it can no longer spawn;
// - an exiting thread (PF_EXITING) is skipped by discovery; a task_work queued before
//   it exits runs on its exit path (exit_task_work), so it still takes part; queueing on
//   a thread already past that point fails and the entry is trimmed;
// - ENOMEM can hit the caller's own prepare_creds, the works allocation and any
//   sibling's prepare_creds (not siblings that share the caller's cred: they take a
//   reference to the new cred);
// - a signal interrupting the wait for all_prepared cancels the task_works not yet
//   started, lets the started ones abort, and restarts the syscall (-ERESTARTNOINTR);
// - a second TSYNC caller fails down_write_trylock(exec_update_lock) and restarts; on
//   its way out it runs any pending task_work. Its busy retry loop is folded into one
//   blocked state that wakes when the lock is free or a task_work is queued for it.

import type { Emit, TransitionSystem } from "./engine.js";
import {
  INVARIANT_ALL_OR_NOTHING,
  INVARIANT_DEADLOCK,
  INVARIANT_NO_THREAD_LEFT_BEHIND,
  INVARIANT_SAME_DOMAIN,
} from "./invariants.js";
import { NO_FLAWS, type Flaws } from "./variants.js";

/** Most thread slots a run can use (initial threads plus spawns). */
export const MAX_THREADS = 8;

export interface TsyncModelOptions {
  /** Threads alive when the call starts, the caller(s) included. */
  threads: number;
  /** Thread spawns allowed during the run (0: none). */
  maxSpawns: number;
  /** Thread exits allowed during the run (0: none). Callers never exit. */
  maxExits: number;
  /** ENOMEM may hit any allocation (caller's prepare_creds, works array, sibling prepare_creds). */
  enomem: boolean;
  /** Signals that may interrupt a caller's wait for all_prepared. */
  interrupts: number;
  /** Thread 1 calls TSYNC at the same time as thread 0. */
  concurrent: boolean;
  /** Explore every mix of siblings sharing the caller's cred and siblings with their own (diverged) cred and domain. */
  diverged: boolean;
  flaws: Flaws;
}

// Thread status.
export const ST_NONE = 0;
export const ST_RUN = 1;
export const ST_EXITING = 2;
export const ST_DEAD = 3;
// Cred objects: the caller's original cred, a cred not shared with any caller, the new cred of call 0 / call 1.
export const CR_ORIG = 0;
export const CR_PRIV = 1;
export const CR_NEW0 = 2;
// Domains: the original one, a thread's own diverged one, the new domain of call 0 / call 1.
export const DM_ORIG = 0;
export const DM_DIV = 1;
export const DM_NEW0 = 2;
// Caller program counter.
export const PC_ENTER = 0;
export const PC_SCAN = 1;
export const PC_ADD = 2;
export const PC_WAIT_PREP = 3;
export const PC_WAIT_FIN = 4;
export const PC_RESTART = 5;
export const PC_DONE_OK = 6;
export const PC_DONE_ERR = 7;
// preparation_error.
export const ERR_NONE = 0;
export const ERR_ENOMEM = 1;
export const ERR_RESTART = 2;

// Unpacked layout: thread fields, then caller fields, then globals.
export const TF = 8;
export const T_ST = 0;
export const T_CR = 1;
export const T_DM = 2;
export const T_NNP = 3;
export const T_SEEN = 4;
export const T_PEND = 5;
export const T_TW = 6;
/** TIF_NOTIFY_SIGNAL: set by task_work_add(TWA_SIGNAL) on a calling thread, cleared only on its way back to user space (task_work_cancel leaves it). */
export const T_NOTIFY = 7;
export const CB = MAX_THREADS * TF;
export const CF = 12;
export const C_PC = 0;
export const C_J = 1;
export const C_FOUND = 2;
export const C_CAP = 3;
export const C_ERR = 4;
export const C_NPREP = 5;
export const C_ALLPREP = 6;
export const C_READY = 7;
export const C_NUNF = 8;
export const C_ALLFIN = 9;
export const C_OLDCRED = 10;
export const GB = CB + 2 * CF;
export const G_LOCK = 0;
export const G_NT = 1;
export const G_INTR = 2;
export const G_LAST = 3;
export const FIELDS = GB + 4;

// Actions: kind in bits 0-3, thread in bits 4-7, call (for task_work steps) in bit 8, branch bits above.
export const A_ENTER = 1;
export const A_SCAN = 2;
export const A_ADD = 3;
export const A_WAIT_PREP = 4;
export const A_INTERRUPT = 5;
export const A_WAIT_FIN = 6;
export const A_REENTER = 7;
export const A_RUN_WORK = 8;
export const A_COMMIT = 9;
export const A_SPAWN = 10;
export const A_EXIT_BEGIN = 11;
export const A_EXIT_END = 12;
export const BR_OWN_ENOMEM = 1 << 9;
export const BR_GROW_ENOMEM = 1 << 10;
export const BR_PREP_ENOMEM = 1 << 11;

export const actionKind = (a: number): number => a & 15;
export const actionThread = (a: number): number => (a >>> 4) & 15;
export const actionCall = (a: number): number => (a >>> 8) & 1;

const NPREP_BIAS = 8;

// Narration: what happened inside one step, recorded only when replaying a trace.
export const N_OWN_PREPARE = 1; // caller, ok(1)/ENOMEM(0)
export const N_TRYLOCK = 2; // caller, holder+1 or 0 when taken
export const N_COUNT = 3; // caller, threads found
export const N_GROW = 4; // caller, capacity, ok(1)/ENOMEM(0)
export const N_SCAN_FOUND = 5; // caller, thread
export const N_SCAN_END = 6; // caller, thread that did not fit or -1
export const N_ADD = 7; // caller, thread, ok(1)/exited(0)
export const N_DEC_PREP = 8; // call, new value, completed(1)
export const N_WAIT_PREP = 9; // caller
export const N_LOOP = 10; // caller, again(1)/stop(0)
export const N_INTERRUPT = 11; // caller, cancelled-thread mask, injected(1)/task_work(0)
export const N_READY = 12; // caller, error
export const N_DEC_UNF = 13; // call, new value, completed(1)
export const N_WAIT_FIN = 14; // caller
export const N_RETURN = 15; // caller, error
export const N_WORK_START = 16; // thread, call, shares cred(1)
export const N_PREPARE = 17; // thread, call, ok(1)/ENOMEM(0)
export const N_COMMIT = 18; // thread, call
export const N_ABORT = 19; // thread, call, error
export const N_SPAWN = 20; // thread, new thread
export const N_EXIT_BEGIN = 21; // thread
export const N_EXIT_END = 22; // thread, dropped work(1)

export type Narration = [code: number, a: number, b: number, c: number];

export interface Successor {
  action: number;
  violation: number;
  state: Uint32Array;
  narration: Narration[];
}

export class TsyncModel implements TransitionSystem {
  readonly words: number;
  readonly opts: TsyncModelOptions;
  readonly maxThreads: number;
  readonly callers: number;
  private readonly threadWords: number;
  private readonly cur = new Int32Array(FIELDS);
  private readonly nxt = new Int32Array(FIELDS);
  private readonly alt = new Int32Array(FIELDS);
  private readonly cur2 = new Int32Array(FIELDS);
  private readonly packed: Uint32Array;
  private emitFn: Emit = () => {};
  private emitted = 0;
  private violation = 0;
  /** Off while exploring; on while replaying a trace. */
  private narrate = false;
  private log: Narration[] = [];
  private logs: Narration[][] = [];

  constructor(opts: TsyncModelOptions) {
    const minThreads = opts.concurrent ? 2 : 1;
    if (!Number.isInteger(opts.threads) || opts.threads < minThreads || opts.threads > MAX_THREADS) {
      throw new RangeError(`threads must be an integer from ${minThreads} to ${MAX_THREADS}, got ${opts.threads}`);
    }
    if (opts.threads + opts.maxSpawns > MAX_THREADS) {
      throw new RangeError(`threads + spawns must not exceed ${MAX_THREADS}, got ${opts.threads} + ${opts.maxSpawns}`);
    }
    if (opts.interrupts < 0 || opts.interrupts > 7) throw new RangeError(`interrupts must be from 0 to 7, got ${opts.interrupts}`);
    this.opts = { ...opts, flaws: { ...NO_FLAWS, ...opts.flaws } };
    this.maxThreads = opts.threads + opts.maxSpawns;
    this.callers = opts.concurrent ? 2 : 1;
    this.threadWords = (this.maxThreads + 1) >> 1;
    this.words = this.threadWords + this.callers + 1;
    this.packed = new Uint32Array(this.words);
  }

  // ---- packing ----

  pack(u: Int32Array, out: Uint32Array): void {
    const tw = this.threadWords;
    for (let k = 0; k < tw; k++) {
      let word = 0;
      for (let h = 0; h < 2; h++) {
        const t = 2 * k + h;
        if (t >= this.maxThreads) break;
        const b = t * TF;
        const v =
          u[b + T_ST]! |
          (u[b + T_CR]! << 2) |
          (u[b + T_DM]! << 4) |
          (u[b + T_NNP]! << 6) |
          (u[b + T_SEEN]! << 7) |
          (u[b + T_PEND]! << 9) |
          (u[b + T_TW]! << 11) |
          (u[b + T_NOTIFY]! << 13);
        word |= v << (14 * h);
      }
      out[k] = word >>> 0;
    }
    for (let c = 0; c < this.callers; c++) {
      const b = CB + c * CF;
      out[tw + c] =
        (u[b + C_PC]! |
          (u[b + C_J]! << 3) |
          (u[b + C_FOUND]! << 7) |
          (u[b + C_CAP]! << 8) |
          (u[b + C_ERR]! << 12) |
          ((u[b + C_NPREP]! + NPREP_BIAS) << 14) |
          (u[b + C_ALLPREP]! << 19) |
          (u[b + C_READY]! << 20) |
          (u[b + C_NUNF]! << 21) |
          (u[b + C_ALLFIN]! << 25) |
          (u[b + C_OLDCRED]! << 26)) >>>
        0;
    }
    out[tw + this.callers] = (u[GB + G_LOCK]! | (u[GB + G_NT]! << 2) | (u[GB + G_INTR]! << 6) | (u[GB + G_LAST]! << 9)) >>> 0;
  }

  unpack(src: Uint32Array, off: number, u: Int32Array): void {
    const tw = this.threadWords;
    for (let k = 0; k < tw; k++) {
      const word = src[off + k]!;
      for (let h = 0; h < 2; h++) {
        const t = 2 * k + h;
        if (t >= this.maxThreads) break;
        const v = word >>> (14 * h);
        const b = t * TF;
        u[b + T_ST] = v & 3;
        u[b + T_CR] = (v >>> 2) & 3;
        u[b + T_DM] = (v >>> 4) & 3;
        u[b + T_NNP] = (v >>> 6) & 1;
        u[b + T_SEEN] = (v >>> 7) & 3;
        u[b + T_PEND] = (v >>> 9) & 3;
        u[b + T_TW] = (v >>> 11) & 3;
        u[b + T_NOTIFY] = (v >>> 13) & 1;
      }
    }
    for (let c = 0; c < this.callers; c++) {
      const v = src[off + tw + c]!;
      const b = CB + c * CF;
      u[b + C_PC] = v & 7;
      u[b + C_J] = (v >>> 3) & 15;
      u[b + C_FOUND] = (v >>> 7) & 1;
      u[b + C_CAP] = (v >>> 8) & 15;
      u[b + C_ERR] = (v >>> 12) & 3;
      u[b + C_NPREP] = ((v >>> 14) & 31) - NPREP_BIAS;
      u[b + C_ALLPREP] = (v >>> 19) & 1;
      u[b + C_READY] = (v >>> 20) & 1;
      u[b + C_NUNF] = (v >>> 21) & 15;
      u[b + C_ALLFIN] = (v >>> 25) & 1;
      u[b + C_OLDCRED] = (v >>> 26) & 3;
    }
    const g = src[off + tw + this.callers]!;
    u[GB + G_LOCK] = g & 3;
    u[GB + G_NT] = (g >>> 2) & 15;
    u[GB + G_INTR] = (g >>> 6) & 7;
    u[GB + G_LAST] = (g >>> 9) & 3;
  }

  // ---- initial states ----

  initialStates(): Uint32Array[] {
    const n = this.opts.threads;
    const out: Uint32Array[] = [];
    const combos = this.opts.diverged ? 1 << (n - 1) : 1;
    for (let mask = 0; mask < combos; mask++) {
      const u = new Int32Array(FIELDS);
      for (let t = 0; t < n; t++) {
        const b = t * TF;
        const div = t > 0 && (mask >> (t - 1)) & 1;
        u[b + T_ST] = ST_RUN;
        u[b + T_CR] = div ? CR_PRIV : CR_ORIG;
        u[b + T_DM] = div ? DM_DIV : DM_ORIG;
        // Callers set no_new_privs before enforcing; other threads have not.
        u[b + T_NNP] = t < this.callers ? 1 : 0;
      }
      u[GB + G_NT] = n;
      const packed = new Uint32Array(this.words);
      this.pack(u, packed);
      out.push(packed);
    }
    return out;
  }

  // ---- successors ----

  expand(src: Uint32Array, off: number, emit: Emit): number {
    const u = this.cur;
    this.unpack(src, off, u);
    this.emitFn = emit;
    this.emitted = 0;
    this.violation = 0;
    if (this.allCallersDone(u)) return 0;
    for (let c = 0; c < this.callers; c++) this.callerSteps(u, c);
    const nt = u[GB + G_NT]!;
    for (let t = 0; t < nt; t++) this.threadSteps(u, t);
    return this.emitted;
  }

  terminalViolation(src: Uint32Array, off: number): number {
    const u = this.cur;
    this.unpack(src, off, u);
    if (!this.allCallersDone(u)) return INVARIANT_DEADLOCK;
    const nt = u[GB + G_NT]!;
    // A thread left waiting in (or with) a task_work after every call returned is stuck in the kernel.
    for (let t = 0; t < nt; t++) {
      const b = t * TF;
      const st = u[b + T_ST]!;
      if ((st === ST_RUN || st === ST_EXITING) && (u[b + T_TW] !== 0 || u[b + T_PEND] !== 0)) return INVARIANT_DEADLOCK;
    }
    if (u[GB + G_LAST] === 1) {
      let dom = -1;
      for (let t = 0; t < nt; t++) {
        const b = t * TF;
        if (u[b + T_ST] !== ST_RUN) continue;
        if (dom === -1) dom = u[b + T_DM]!;
        else if (u[b + T_DM] !== dom) return INVARIANT_SAME_DOMAIN;
      }
    }
    return 0;
  }

  allCallersDone(u: Int32Array): boolean {
    for (let c = 0; c < this.callers; c++) {
      const pc = u[CB + c * CF + C_PC]!;
      if (pc !== PC_DONE_OK && pc !== PC_DONE_ERR) return false;
    }
    return true;
  }

  private fork(into: Int32Array, from: Int32Array): Int32Array {
    into.set(from);
    return into;
  }

  private note(code: number, a = 0, b = 0, c = 0): void {
    if (this.narrate) this.log.push([code, a, b, c]);
  }

  private out(u: Int32Array, action: number): void {
    this.pack(u, this.packed);
    if (this.narrate) this.logs.push(this.log.slice());
    this.emitted++;
    const v = this.violation;
    this.violation = 0;
    this.emitFn(this.packed, action, v);
  }

  private callerSteps(u: Int32Array, c: number): void {
    const cb = CB + c * CF;
    const pc = u[cb + C_PC]!;
    const f = this.opts.flaws;
    this.log.length = 0;
    switch (pc) {
      case PC_ENTER:
        this.enter(u, c, A_ENTER | (c << 4));
        return;
      case PC_RESTART: {
        const tb = c * TF;
        if (u[tb + T_PEND] === 0 && u[tb + T_TW] === 0 && (u[GB + G_LOCK] === 0 || f.noSerialization)) {
          // Back through user space: the notification is consumed.
          this.cur2.set(u);
          this.cur2[tb + T_NOTIFY] = 0;
          this.enter(this.cur2, c, A_REENTER | (c << 4));
        }
        return;
      }
      case PC_SCAN:
        this.scan(u, c);
        return;
      case PC_ADD:
        this.add(u, c);
        return;
      case PC_WAIT_PREP: {
        const action = A_WAIT_PREP | (c << 4);
        if (u[cb + C_ALLPREP] === 1) {
          this.note(N_WAIT_PREP, c);
          this.loopCheck(this.fork(this.nxt, u), c, action);
          this.log.length = 0;
        }
        // A pending signal (an injected one, or the TWA_SIGNAL notification of another caller's task_work) interrupts the wait.
        const workPending = u[c * TF + T_NOTIFY] === 1;
        if (workPending || u[GB + G_INTR]! < this.opts.interrupts) {
          const n = this.fork(this.nxt, u);
          if (!workPending) n[GB + G_INTR]!++;
          this.interrupt(n, c, !workPending);
          this.out(n, A_INTERRUPT | (c << 4));
        }
        return;
      }
      case PC_WAIT_FIN:
        if (u[cb + C_ALLFIN] === 1) {
          const n = this.fork(this.nxt, u);
          this.note(N_WAIT_FIN, c);
          this.finish(n, c);
          this.out(n, A_WAIT_FIN | (c << 4));
        }
        return;
      default:
        return;
    }
  }

  /** landlock_restrict_self(TSYNC) entry: the caller's prepare_creds, then down_write_trylock, then the first round. */
  private enter(u: Int32Array, c: number, action: number): void {
    const f = this.opts.flaws;
    const cb = CB + c * CF;
    if (this.opts.enomem) {
      const a = this.fork(this.alt, u);
      a[cb + C_PC] = PC_DONE_ERR;
      a[GB + G_LAST] = 2;
      this.note(N_OWN_PREPARE, c, 0);
      this.note(N_RETURN, c, ERR_ENOMEM);
      this.out(a, action | BR_OWN_ENOMEM);
      this.log.length = 0;
    }
    this.note(N_OWN_PREPARE, c, 1);
    const n = this.fork(this.nxt, u);
    if (!f.noSerialization) {
      if (n[GB + G_LOCK] !== 0) {
        this.note(N_TRYLOCK, c, n[GB + G_LOCK]!);
        n[cb + C_PC] = PC_RESTART;
        this.out(n, action);
        return;
      }
      this.note(N_TRYLOCK, c, 0);
      n[GB + G_LOCK] = c + 1;
    }
    n[cb + C_ERR] = ERR_NONE;
    n[cb + C_NUNF] = 1;
    n[cb + C_ALLFIN] = 0;
    n[cb + C_READY] = 0;
    n[cb + C_ALLPREP] = 0;
    n[cb + C_NPREP] = 0;
    n[cb + C_FOUND] = 0;
    n[cb + C_CAP] = 0;
    n[cb + C_J] = 0;
    n[cb + C_OLDCRED] = n[c * TF + T_CR]!;
    this.round(n, c, action);
  }

  /** Threads a discovery pass of call c would pick: live, not exiting, not the caller, not seen. */
  eligibleCount(u: Int32Array, c: number): number {
    const nt = u[GB + G_NT]!;
    const bit = 1 << c;
    let n = 0;
    for (let t = 0; t < nt; t++) {
      const b = t * TF;
      if (t !== c && u[b + T_ST] === ST_RUN && (u[b + T_SEEN]! & bit) === 0) n++;
    }
    return n;
  }

  seenCount(u: Int32Array, c: number): number {
    const nt = u[GB + G_NT]!;
    const bit = 1 << c;
    let n = 0;
    for (let t = 0; t < nt; t++) if (u[t * TF + T_SEEN]! & bit) n++;
    return n;
  }

  /** One discovery round's start: count_additional_threads, tsync_works_grow_by, reset all_prepared. Emits. */
  private round(n: Int32Array, c: number, action: number): void {
    const f = this.opts.flaws;
    const cb = CB + c * CF;
    if (!f.noCapacity) {
      const found = this.eligibleCount(n, c);
      this.note(N_COUNT, c, found);
      if (found === 0) {
        this.ready(n, c);
        this.out(n, action);
        return;
      }
      const need = this.seenCount(n, c) + found;
      if (this.opts.enomem) {
        const mark = this.log.length;
        const a = this.fork(this.alt, n);
        a[cb + C_ERR] = ERR_ENOMEM;
        this.note(N_GROW, c, need, 0);
        this.ready(a, c);
        this.out(a, action | BR_GROW_ENOMEM);
        this.log.length = mark;
      }
      if (need > n[cb + C_CAP]!) n[cb + C_CAP] = need;
      this.note(N_GROW, c, n[cb + C_CAP]!, 1);
    }
    n[cb + C_NPREP] = f.counterStartsAtZero ? 0 : 1;
    n[cb + C_ALLPREP] = 0;
    n[cb + C_FOUND] = 0;
    n[cb + C_J] = 0;
    n[cb + C_PC] = PC_SCAN;
    this.out(n, action);
  }

  /** One step of the RCU scan (schedule_task_work): find the next eligible thread, or end the pass. */
  private scan(u: Int32Array, c: number): void {
    const f = this.opts.flaws;
    const cb = CB + c * CF;
    const bit = 1 << c;
    const nt = u[GB + G_NT]!;
    const limit = f.skipLastThread ? nt - 1 : nt;
    let e = -1;
    for (let t = u[cb + C_J]!; t < limit; t++) {
      const b = t * TF;
      if (t !== c && u[b + T_ST] === ST_RUN && (u[b + T_SEEN]! & bit) === 0) {
        e = t;
        break;
      }
    }
    const n = this.fork(this.nxt, u);
    const action = A_SCAN | (c << 4);
    this.log.length = 0;
    if (e < 0) {
      this.note(N_SCAN_END, c, -1);
      this.endScan(n, c, action);
      return;
    }
    n[cb + C_FOUND] = 1;
    if (!f.noCapacity && this.seenCount(n, c) >= n[cb + C_CAP]!) {
      // Out of preallocated works: try this thread again in the next round.
      this.note(N_SCAN_END, c, e);
      this.endScan(n, c, action);
      return;
    }
    this.note(N_SCAN_FOUND, c, e);
    n[e * TF + T_SEEN]! |= bit;
    n[cb + C_J] = e;
    n[cb + C_PC] = PC_ADD;
    this.out(n, action);
  }

  /** task_work_add(thread, TWA_SIGNAL): fails only once the thread is past exit_task_work. */
  private add(u: Int32Array, c: number): void {
    const cb = CB + c * CF;
    const e = u[cb + C_J]!;
    const b = e * TF;
    const n = this.fork(this.nxt, u);
    this.log.length = 0;
    this.note(N_ADD, c, e, n[b + T_ST] === ST_DEAD ? 0 : 1);
    if (n[b + T_ST] === ST_DEAD) {
      n[b + T_SEEN]! &= ~(1 << c);
    } else {
      n[b + T_PEND]! |= 1 << c;
      if (e < this.callers) n[b + T_NOTIFY] = 1;
      n[cb + C_NPREP]!++;
      n[cb + C_NUNF]!++;
    }
    n[cb + C_J] = e + 1;
    n[cb + C_PC] = PC_SCAN;
    this.out(n, A_ADD | (c << 4));
  }

  /** The caller's own num_preparing decrement after a pass; waits if siblings are still preparing. Emits. */
  private endScan(n: Int32Array, c: number, action: number): void {
    const cb = CB + c * CF;
    n[cb + C_NPREP]!--;
    this.note(N_DEC_PREP, c, n[cb + C_NPREP]!, 0);
    if (n[cb + C_NPREP]! > 0 && !this.opts.flaws.noWaitAllPrepared) {
      n[cb + C_PC] = PC_WAIT_PREP;
      this.out(n, action);
      return;
    }
    this.loopCheck(n, c, action);
  }

  /** `while (found_more_threads && !preparation_error)`. Emits. */
  private loopCheck(n: Int32Array, c: number, action: number): void {
    const cb = CB + c * CF;
    if (n[cb + C_FOUND] === 1 && n[cb + C_ERR] === ERR_NONE && !this.opts.flaws.singleRound) {
      this.note(N_LOOP, c, 1);
      this.round(n, c, action);
      return;
    }
    this.note(N_LOOP, c, 0);
    this.ready(n, c);
    this.out(n, action);
  }

  /** Interrupted wait: -ERESTARTNOINTR in the error slot, queued task_works that have not started are cancelled. */
  private interrupt(n: Int32Array, c: number, injected: boolean): void {
    const cb = CB + c * CF;
    const bit = 1 << c;
    n[cb + C_ERR] = ERR_RESTART;
    const nt = n[GB + G_NT]!;
    let cancelled = 0;
    for (let t = 0; t < nt; t++) {
      const b = t * TF;
      if (n[b + T_PEND]! & bit) {
        n[b + T_PEND]! &= ~bit;
        cancelled |= 1 << t;
        this.decPreparing(n, c);
        this.decUnfinished(n, c);
      }
    }
    this.note(N_INTERRUPT, c, cancelled, injected ? 1 : 0);
    this.ready(n, c);
  }

  /** complete_all(ready_to_commit), then the caller's own num_unfinished decrement. Does not emit. */
  private ready(n: Int32Array, c: number): void {
    const cb = CB + c * CF;
    n[cb + C_READY] = 1;
    this.note(N_READY, c, n[cb + C_ERR]!);
    n[cb + C_NUNF]!--;
    this.note(N_DEC_UNF, c, n[cb + C_NUNF]!, 0);
    if (n[cb + C_NUNF]! > 0 && !this.opts.flaws.noWaitAllFinished) {
      n[cb + C_PC] = PC_WAIT_FIN;
      return;
    }
    this.finish(n, c);
  }

  /** Release exec_update_lock, commit or abort the caller's own cred, return; checks the return invariants. Does not emit. */
  private finish(n: Int32Array, c: number): void {
    const cb = CB + c * CF;
    const bit = 1 << c;
    const err = n[cb + C_ERR]!;
    const newDom = DM_NEW0 + c;
    const nt = n[GB + G_NT]!;
    if (n[GB + G_LOCK] === c + 1) n[GB + G_LOCK] = 0;
    this.note(N_RETURN, c, err);
    if (err === ERR_NONE) {
      const tb = c * TF;
      n[tb + T_CR] = CR_NEW0 + c;
      n[tb + T_DM] = newDom;
      n[tb + T_NNP] = 1;
      for (let t = 0; t < nt; t++) {
        const b = t * TF;
        if (n[b + T_ST] === ST_RUN && (n[b + T_DM] !== newDom || n[b + T_NNP] === 0)) {
          this.violation = n[b + T_SEEN]! & bit ? INVARIANT_ALL_OR_NOTHING : INVARIANT_NO_THREAD_LEFT_BEHIND;
          break;
        }
      }
      n[cb + C_PC] = PC_DONE_OK;
      n[GB + G_LAST] = 1;
    } else {
      for (let t = 0; t < nt; t++) {
        const b = t * TF;
        const st = n[b + T_ST];
        if ((st === ST_RUN || st === ST_EXITING) && n[b + T_DM] === newDom) {
          this.violation = INVARIANT_ALL_OR_NOTHING;
          break;
        }
      }
      if (err === ERR_RESTART) {
        n[cb + C_PC] = PC_RESTART;
      } else {
        n[cb + C_PC] = PC_DONE_ERR;
        n[GB + G_LAST] = 2;
      }
    }
    // The shared context lived on the caller's stack: gone.
    n[cb + C_J] = 0;
    n[cb + C_FOUND] = 0;
    n[cb + C_CAP] = 0;
    n[cb + C_ERR] = 0;
    n[cb + C_NPREP] = 0;
    n[cb + C_ALLPREP] = 0;
    n[cb + C_READY] = 0;
    n[cb + C_NUNF] = 0;
    n[cb + C_ALLFIN] = 0;
    n[cb + C_OLDCRED] = 0;
    for (let t = 0; t < nt; t++) n[t * TF + T_SEEN]! &= ~bit;
  }

  private decPreparing(n: Int32Array, x: number): void {
    const xb = CB + x * CF;
    const done = --n[xb + C_NPREP]! === 0;
    if (done) n[xb + C_ALLPREP] = 1;
    this.note(N_DEC_PREP, x, n[xb + C_NPREP]!, done ? 1 : 0);
  }

  private decUnfinished(n: Int32Array, x: number): void {
    const xb = CB + x * CF;
    const done = --n[xb + C_NUNF]! === 0;
    if (done) n[xb + C_ALLFIN] = 1;
    this.note(N_DEC_UNF, x, n[xb + C_NUNF]!, done ? 1 : 0);
  }

  private sharesOldCred(n: Int32Array, t: number, x: number): boolean {
    const old = n[CB + x * CF + C_OLDCRED]!;
    return old !== CR_PRIV && n[t * TF + T_CR] === old;
  }

  private commitCred(n: Int32Array, t: number, x: number, shared: boolean): void {
    const b = t * TF;
    this.note(N_COMMIT, t, x);
    n[b + T_CR] = shared ? CR_NEW0 + x : CR_PRIV;
    n[b + T_DM] = DM_NEW0 + x;
    n[b + T_NNP] = 1;
  }

  private threadSteps(u: Int32Array, t: number): void {
    const b = t * TF;
    const st = u[b + T_ST]!;
    if (st !== ST_RUN && st !== ST_EXITING) return;
    const f = this.opts.flaws;
    const isCaller = t < this.callers;
    const tw = u[b + T_TW]!;
    this.log.length = 0;
    if (tw !== 0) {
      // Waiting in the task_work for ready_to_commit.
      const x = tw - 1;
      const xb = CB + x * CF;
      if (u[xb + C_READY] === 1) {
        const n = this.fork(this.nxt, u);
        if ((n[xb + C_ERR] === ERR_NONE || f.ignoreErrorSlot) && !f.commitBeforePrepare) {
          this.commitCred(n, t, x, this.sharesOldCred(n, t, x));
        } else if (!f.commitBeforePrepare) {
          this.note(N_ABORT, t, x, n[xb + C_ERR]!);
        }
        n[b + T_TW] = 0;
        this.decUnfinished(n, x);
        this.out(n, A_COMMIT | (t << 4) | (x << 8));
      }
      return;
    }
    const pend = u[b + T_PEND]!;
    const pc = isCaller ? u[CB + t * CF + C_PC]! : -1;
    // Task work runs on the way back to user space; a caller inside its own call only gets there by restarting.
    const atUserBoundary = !isCaller || pc === PC_ENTER || pc === PC_RESTART || pc === PC_DONE_OK || pc === PC_DONE_ERR;
    if (pend !== 0 && (atUserBoundary || st === ST_EXITING)) {
      for (let x = 0; x < this.callers; x++) if (pend & (1 << x)) this.runWork(u, t, x);
      this.log.length = 0;
    }
    if (isCaller) return;
    if (st === ST_RUN) {
      const nt = u[GB + G_NT]!;
      if (nt - this.opts.threads < this.opts.maxSpawns) {
        const n = this.fork(this.nxt, u);
        const s = nt * TF;
        n[s + T_ST] = ST_RUN;
        n[s + T_CR] = n[b + T_CR]!;
        n[s + T_DM] = n[b + T_DM]!;
        n[s + T_NNP] = n[b + T_NNP]!;
        n[s + T_SEEN] = 0;
        n[s + T_PEND] = 0;
        n[s + T_TW] = 0;
        n[s + T_NOTIFY] = 0;
        n[GB + G_NT] = nt + 1;
        this.note(N_SPAWN, t, nt);
        this.out(n, A_SPAWN | (t << 4));
        this.log.length = 0;
      }
      if (this.opts.maxExits > 0 && this.exitsUsed(u) < this.opts.maxExits) {
        const n = this.fork(this.nxt, u);
        n[b + T_ST] = ST_EXITING;
        this.note(N_EXIT_BEGIN, t);
        this.out(n, A_EXIT_BEGIN | (t << 4));
      }
    } else if (pend === 0 || f.exitDropsWork) {
      // exit_task_work found nothing queued: the thread is gone and no task_work can be added any more.
      const n = this.fork(this.nxt, u);
      n[b + T_ST] = ST_DEAD;
      n[b + T_CR] = 0;
      n[b + T_DM] = 0;
      n[b + T_NNP] = 0;
      n[b + T_PEND] = 0;
      this.note(N_EXIT_END, t, pend !== 0 ? 1 : 0);
      this.out(n, A_EXIT_END | (t << 4));
    }
  }

  exitsUsed(u: Int32Array): number {
    const nt = u[GB + G_NT]!;
    let n = 0;
    for (let t = this.callers; t < nt; t++) {
      const st = u[t * TF + T_ST];
      if (st === ST_EXITING || st === ST_DEAD) n++;
    }
    return n;
  }

  /** The task_work of call x starts in thread t: prepare_creds (or a reference to the new cred), then num_preparing. */
  private runWork(u: Int32Array, t: number, x: number): void {
    const f = this.opts.flaws;
    const b = t * TF;
    const action = A_RUN_WORK | (t << 4) | (x << 8);
    const shared = this.sharesOldCred(u, t, x);
    this.log.length = 0;
    this.note(N_WORK_START, t, x, shared ? 1 : 0);
    if (!shared && this.opts.enomem) {
      const a = this.fork(this.alt, u);
      a[b + T_PEND]! &= ~(1 << x);
      a[b + T_NOTIFY] = 0;
      if (f.commitBeforePrepare) this.commitCred(a, t, x, shared);
      a[CB + x * CF + C_ERR] = ERR_ENOMEM;
      this.note(N_PREPARE, t, x, 0);
      this.decPreparing(a, x);
      this.decUnfinished(a, x);
      this.out(a, action | BR_PREP_ENOMEM);
      this.log.length = 1;
    }
    const n = this.fork(this.nxt, u);
    n[b + T_PEND]! &= ~(1 << x);
    n[b + T_NOTIFY] = 0;
    if (f.commitBeforePrepare) this.commitCred(n, t, x, shared);
    this.note(N_PREPARE, t, x, 1);
    this.decPreparing(n, x);
    if (f.commitWithoutWait) {
      if (n[CB + x * CF + C_ERR] === ERR_NONE) this.commitCred(n, t, x, shared);
      else this.note(N_ABORT, t, x, n[CB + x * CF + C_ERR]!);
      this.decUnfinished(n, x);
    } else {
      n[b + T_TW] = x + 1;
    }
    this.out(n, action);
  }

  /** Every successor of a packed state, with what happened inside each step (for replaying traces). */
  successors(state: Uint32Array): Successor[] {
    const list: Successor[] = [];
    this.narrate = true;
    this.logs = [];
    try {
      this.expand(state, 0, (packed, action, violation) => list.push({ action, violation, state: packed.slice(), narration: [] }));
    } finally {
      this.narrate = false;
    }
    list.forEach((s, i) => (s.narration = this.logs[i] ?? []));
    this.log.length = 0;
    return list;
  }
}
