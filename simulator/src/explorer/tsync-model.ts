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

export const actionThread = (a: number): number => (a >>> 4) & 15;

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
export const N_LOOP = 10; // caller, again(1)/stop(0), why it stops (0 nothing found, 1 error, 2 single round)
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

// Packed layout, the form states take while exploring. Thread t lives in word t >> 1 at
// bit (t & 1) * 14; caller c in word threadWords + c; the globals in the word after.
const TB = 14;
const S_ST = 0;
const S_CR = 2;
const S_DM = 4;
const S_NNP = 6;
const S_SEEN = 7;
const S_PEND = 9;
const S_TW = 11;
const S_NOTIFY = 13;
const S_PC = 0;
const S_J = 3;
const S_FOUND = 7;
const S_CAP = 8;
const S_ERR = 12;
const S_NPREP = 14;
const S_ALLPREP = 19;
const S_READY = 20;
const S_NUNF = 21;
const S_ALLFIN = 25;
const S_OLDCRED = 26;
const S_LOCK = 0;
const S_NT = 2;
const S_INTR = 6;
const S_LAST = 9;

/** Field of thread t. */
function tg(s: Uint32Array, t: number, sh: number, m: number): number {
  return (s[t >> 1]! >>> ((t & 1) * TB + sh)) & m;
}
function ts(s: Uint32Array, t: number, sh: number, m: number, v: number): void {
  const k = t >> 1;
  const o = (t & 1) * TB + sh;
  s[k] = (s[k]! & ~(m << o)) | (v << o);
}
/** Field of word k (caller and global words). */
function wg(s: Uint32Array, k: number, sh: number, m: number): number {
  return (s[k]! >>> sh) & m;
}
function ws(s: Uint32Array, k: number, sh: number, m: number, v: number): void {
  s[k] = (s[k]! & ~(m << sh)) | (v << sh);
}

export class TsyncModel implements TransitionSystem {
  readonly words: number;
  readonly opts: TsyncModelOptions;
  readonly maxThreads: number;
  readonly callers: number;
  private readonly threadWords: number;
  /** Word of the globals. */
  private readonly gw: number;
  private readonly flaws: Flaws;
  private readonly cur: Uint32Array;
  private readonly nxt: Uint32Array;
  private readonly alt: Uint32Array;
  private readonly cur2: Uint32Array;
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
    this.flaws = { ...NO_FLAWS, ...opts.flaws };
    this.opts = { ...opts, flaws: this.flaws };
    this.maxThreads = opts.threads + opts.maxSpawns;
    this.callers = opts.concurrent ? 2 : 1;
    this.threadWords = (this.maxThreads + 1) >> 1;
    this.gw = this.threadWords + this.callers;
    this.words = this.gw + 1;
    this.cur = new Uint32Array(this.words);
    this.nxt = new Uint32Array(this.words);
    this.alt = new Uint32Array(this.words);
    this.cur2 = new Uint32Array(this.words);
  }

  // ---- conversion between the packed form and the field-per-slot form (Int32Array of FIELDS) ----

  pack(u: Int32Array, out: Uint32Array): void {
    out.fill(0);
    for (let t = 0; t < this.maxThreads; t++) {
      const b = t * TF;
      ts(out, t, S_ST, 3, u[b + T_ST]!);
      ts(out, t, S_CR, 3, u[b + T_CR]!);
      ts(out, t, S_DM, 3, u[b + T_DM]!);
      ts(out, t, S_NNP, 1, u[b + T_NNP]!);
      ts(out, t, S_SEEN, 3, u[b + T_SEEN]!);
      ts(out, t, S_PEND, 3, u[b + T_PEND]!);
      ts(out, t, S_TW, 3, u[b + T_TW]!);
      ts(out, t, S_NOTIFY, 1, u[b + T_NOTIFY]!);
    }
    for (let c = 0; c < this.callers; c++) {
      const b = CB + c * CF;
      const k = this.threadWords + c;
      ws(out, k, S_PC, 7, u[b + C_PC]!);
      ws(out, k, S_J, 15, u[b + C_J]!);
      ws(out, k, S_FOUND, 1, u[b + C_FOUND]!);
      ws(out, k, S_CAP, 15, u[b + C_CAP]!);
      ws(out, k, S_ERR, 3, u[b + C_ERR]!);
      ws(out, k, S_NPREP, 31, u[b + C_NPREP]! + NPREP_BIAS);
      ws(out, k, S_ALLPREP, 1, u[b + C_ALLPREP]!);
      ws(out, k, S_READY, 1, u[b + C_READY]!);
      ws(out, k, S_NUNF, 15, u[b + C_NUNF]!);
      ws(out, k, S_ALLFIN, 1, u[b + C_ALLFIN]!);
      ws(out, k, S_OLDCRED, 3, u[b + C_OLDCRED]!);
    }
    ws(out, this.gw, S_LOCK, 3, u[GB + G_LOCK]!);
    ws(out, this.gw, S_NT, 15, u[GB + G_NT]!);
    ws(out, this.gw, S_INTR, 7, u[GB + G_INTR]!);
    ws(out, this.gw, S_LAST, 3, u[GB + G_LAST]!);
  }

  unpack(src: Uint32Array, off: number, u: Int32Array): void {
    const s = src.subarray(off, off + this.words);
    u.fill(0);
    for (let t = 0; t < this.maxThreads; t++) {
      const b = t * TF;
      u[b + T_ST] = tg(s, t, S_ST, 3);
      u[b + T_CR] = tg(s, t, S_CR, 3);
      u[b + T_DM] = tg(s, t, S_DM, 3);
      u[b + T_NNP] = tg(s, t, S_NNP, 1);
      u[b + T_SEEN] = tg(s, t, S_SEEN, 3);
      u[b + T_PEND] = tg(s, t, S_PEND, 3);
      u[b + T_TW] = tg(s, t, S_TW, 3);
      u[b + T_NOTIFY] = tg(s, t, S_NOTIFY, 1);
    }
    for (let c = 0; c < this.callers; c++) {
      const b = CB + c * CF;
      const k = this.threadWords + c;
      u[b + C_PC] = wg(s, k, S_PC, 7);
      u[b + C_J] = wg(s, k, S_J, 15);
      u[b + C_FOUND] = wg(s, k, S_FOUND, 1);
      u[b + C_CAP] = wg(s, k, S_CAP, 15);
      u[b + C_ERR] = wg(s, k, S_ERR, 3);
      u[b + C_NPREP] = wg(s, k, S_NPREP, 31) - NPREP_BIAS;
      u[b + C_ALLPREP] = wg(s, k, S_ALLPREP, 1);
      u[b + C_READY] = wg(s, k, S_READY, 1);
      u[b + C_NUNF] = wg(s, k, S_NUNF, 15);
      u[b + C_ALLFIN] = wg(s, k, S_ALLFIN, 1);
      u[b + C_OLDCRED] = wg(s, k, S_OLDCRED, 3);
    }
    u[GB + G_LOCK] = wg(s, this.gw, S_LOCK, 3);
    u[GB + G_NT] = wg(s, this.gw, S_NT, 15);
    u[GB + G_INTR] = wg(s, this.gw, S_INTR, 7);
    u[GB + G_LAST] = wg(s, this.gw, S_LAST, 3);
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
    const s = this.cur;
    for (let i = 0; i < this.words; i++) s[i] = src[off + i]!;
    this.emitFn = emit;
    this.emitted = 0;
    this.violation = 0;
    if (this.allCallersDone(s)) return 0;
    for (let c = 0; c < this.callers; c++) this.callerSteps(s, c);
    const nt = wg(s, this.gw, S_NT, 15);
    for (let t = 0; t < nt; t++) this.threadSteps(s, t);
    return this.emitted;
  }

  terminalViolation(src: Uint32Array, off: number): number {
    const s = this.cur;
    for (let i = 0; i < this.words; i++) s[i] = src[off + i]!;
    if (!this.allCallersDone(s)) return INVARIANT_DEADLOCK;
    const nt = wg(s, this.gw, S_NT, 15);
    // A thread left waiting in (or with) a task_work after every call returned is stuck in the kernel.
    for (let t = 0; t < nt; t++) {
      const st = tg(s, t, S_ST, 3);
      if ((st === ST_RUN || st === ST_EXITING) && (tg(s, t, S_TW, 3) !== 0 || tg(s, t, S_PEND, 3) !== 0)) return INVARIANT_DEADLOCK;
    }
    if (wg(s, this.gw, S_LAST, 3) === 1) {
      let dom = -1;
      for (let t = 0; t < nt; t++) {
        if (tg(s, t, S_ST, 3) !== ST_RUN) continue;
        const d = tg(s, t, S_DM, 3);
        if (dom === -1) dom = d;
        else if (d !== dom) return INVARIANT_SAME_DOMAIN;
      }
    }
    return 0;
  }

  private allCallersDone(s: Uint32Array): boolean {
    for (let c = 0; c < this.callers; c++) {
      const pc = wg(s, this.threadWords + c, S_PC, 7);
      if (pc !== PC_DONE_OK && pc !== PC_DONE_ERR) return false;
    }
    return true;
  }

  private fork(into: Uint32Array, from: Uint32Array): Uint32Array {
    for (let i = 0; i < this.words; i++) into[i] = from[i]!;
    return into;
  }

  private note(code: number, a = 0, b = 0, c = 0): void {
    if (this.narrate) this.log.push([code, a, b, c]);
  }

  private out(n: Uint32Array, action: number): void {
    if (this.narrate) this.logs.push(this.log.slice());
    this.emitted++;
    const v = this.violation;
    this.violation = 0;
    this.emitFn(n, action, v);
  }

  private callerSteps(s: Uint32Array, c: number): void {
    const k = this.threadWords + c;
    const pc = wg(s, k, S_PC, 7);
    if (this.narrate) this.log.length = 0;
    switch (pc) {
      case PC_ENTER:
        this.enter(s, c, A_ENTER | (c << 4));
        return;
      case PC_RESTART:
        if (tg(s, c, S_PEND, 3) === 0 && tg(s, c, S_TW, 3) === 0 && (wg(s, this.gw, S_LOCK, 3) === 0 || this.flaws.noSerialization)) {
          // Back through user space: the notification is consumed.
          const r = this.fork(this.cur2, s);
          ts(r, c, S_NOTIFY, 1, 0);
          this.enter(r, c, A_REENTER | (c << 4));
        }
        return;
      case PC_SCAN:
        this.scan(s, c);
        return;
      case PC_ADD:
        this.add(s, c);
        return;
      case PC_WAIT_PREP: {
        const action = A_WAIT_PREP | (c << 4);
        if (wg(s, k, S_ALLPREP, 1) === 1) {
          this.note(N_WAIT_PREP, c);
          this.loopCheck(this.fork(this.nxt, s), c, action);
          if (this.narrate) this.log.length = 0;
        }
        // A pending signal (an injected one, or the TWA_SIGNAL notification of another caller's task_work) interrupts the wait.
        const notified = tg(s, c, S_NOTIFY, 1) === 1;
        const used = wg(s, this.gw, S_INTR, 7);
        if (notified || used < this.opts.interrupts) {
          const n = this.fork(this.nxt, s);
          if (!notified) ws(n, this.gw, S_INTR, 7, used + 1);
          this.interrupt(n, c, !notified);
          this.out(n, A_INTERRUPT | (c << 4));
        }
        return;
      }
      case PC_WAIT_FIN:
        if (wg(s, k, S_ALLFIN, 1) === 1) {
          const n = this.fork(this.nxt, s);
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
  private enter(s: Uint32Array, c: number, action: number): void {
    const k = this.threadWords + c;
    if (this.opts.enomem) {
      const a = this.fork(this.alt, s);
      ws(a, k, S_PC, 7, PC_DONE_ERR);
      ws(a, this.gw, S_LAST, 3, 2);
      this.note(N_OWN_PREPARE, c, 0);
      this.note(N_RETURN, c, ERR_ENOMEM);
      this.out(a, action | BR_OWN_ENOMEM);
      if (this.narrate) this.log.length = 0;
    }
    this.note(N_OWN_PREPARE, c, 1);
    const n = this.fork(this.nxt, s);
    if (!this.flaws.noSerialization) {
      const lock = wg(n, this.gw, S_LOCK, 3);
      if (lock !== 0) {
        this.note(N_TRYLOCK, c, lock);
        ws(n, k, S_PC, 7, PC_RESTART);
        this.out(n, action);
        return;
      }
      this.note(N_TRYLOCK, c, 0);
      ws(n, this.gw, S_LOCK, 3, c + 1);
    }
    // Fresh shared context: error 0, num_unfinished 1, every completion not done, no works.
    n[k] = (n[k]! & 7) | ((0 + NPREP_BIAS) << S_NPREP) | (1 << S_NUNF) | (tg(n, c, S_CR, 3) << S_OLDCRED);
    this.round(n, c, action);
  }

  /** Threads a discovery pass of call c would pick: live, not exiting, not the caller, not seen. */
  private eligibleCount(s: Uint32Array, c: number): number {
    const nt = wg(s, this.gw, S_NT, 15);
    const bit = 1 << c;
    let n = 0;
    for (let t = 0; t < nt; t++) {
      if (t !== c && tg(s, t, S_ST, 3) === ST_RUN && (tg(s, t, S_SEEN, 3) & bit) === 0) n++;
    }
    return n;
  }

  private seenCount(s: Uint32Array, c: number): number {
    const nt = wg(s, this.gw, S_NT, 15);
    const bit = 1 << c;
    let n = 0;
    for (let t = 0; t < nt; t++) if (tg(s, t, S_SEEN, 3) & bit) n++;
    return n;
  }

  /** One discovery round's start: count_additional_threads, tsync_works_grow_by, reset all_prepared. Emits. */
  private round(n: Uint32Array, c: number, action: number): void {
    const k = this.threadWords + c;
    if (!this.flaws.noCapacity) {
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
        ws(a, k, S_ERR, 3, ERR_ENOMEM);
        this.note(N_GROW, c, need, 0);
        this.ready(a, c);
        this.out(a, action | BR_GROW_ENOMEM);
        if (this.narrate) this.log.length = mark;
      }
      if (need > wg(n, k, S_CAP, 15)) ws(n, k, S_CAP, 15, need);
      this.note(N_GROW, c, wg(n, k, S_CAP, 15), 1);
    }
    ws(n, k, S_NPREP, 31, (this.flaws.counterStartsAtZero ? 0 : 1) + NPREP_BIAS);
    ws(n, k, S_ALLPREP, 1, 0);
    ws(n, k, S_FOUND, 1, 0);
    ws(n, k, S_J, 15, 0);
    ws(n, k, S_PC, 7, PC_SCAN);
    this.out(n, action);
  }

  /** One step of the RCU scan (schedule_task_work): find the next eligible thread, or end the pass. */
  private scan(s: Uint32Array, c: number): void {
    const k = this.threadWords + c;
    const bit = 1 << c;
    const nt = wg(s, this.gw, S_NT, 15);
    const limit = this.flaws.skipLastThread ? nt - 1 : nt;
    let e = -1;
    for (let t = wg(s, k, S_J, 15); t < limit; t++) {
      if (t !== c && tg(s, t, S_ST, 3) === ST_RUN && (tg(s, t, S_SEEN, 3) & bit) === 0) {
        e = t;
        break;
      }
    }
    const n = this.fork(this.nxt, s);
    const action = A_SCAN | (c << 4);
    if (this.narrate) this.log.length = 0;
    if (e < 0) {
      this.note(N_SCAN_END, c, -1);
      this.endScan(n, c, action);
      return;
    }
    ws(n, k, S_FOUND, 1, 1);
    if (!this.flaws.noCapacity && this.seenCount(n, c) >= wg(n, k, S_CAP, 15)) {
      // Out of preallocated works: try this thread again in the next round.
      this.note(N_SCAN_END, c, e);
      this.endScan(n, c, action);
      return;
    }
    this.note(N_SCAN_FOUND, c, e);
    ts(n, e, S_SEEN, 3, tg(n, e, S_SEEN, 3) | bit);
    ws(n, k, S_J, 15, e);
    ws(n, k, S_PC, 7, PC_ADD);
    this.out(n, action);
  }

  /** task_work_add(thread, TWA_SIGNAL): fails only once the thread is past exit_task_work. */
  private add(s: Uint32Array, c: number): void {
    const k = this.threadWords + c;
    const e = wg(s, k, S_J, 15);
    const n = this.fork(this.nxt, s);
    const dead = tg(n, e, S_ST, 3) === ST_DEAD;
    if (this.narrate) this.log.length = 0;
    this.note(N_ADD, c, e, dead ? 0 : 1);
    if (dead) {
      ts(n, e, S_SEEN, 3, tg(n, e, S_SEEN, 3) & ~(1 << c));
    } else {
      ts(n, e, S_PEND, 3, tg(n, e, S_PEND, 3) | (1 << c));
      if (e < this.callers) ts(n, e, S_NOTIFY, 1, 1);
      ws(n, k, S_NPREP, 31, wg(n, k, S_NPREP, 31) + 1);
      ws(n, k, S_NUNF, 15, wg(n, k, S_NUNF, 15) + 1);
    }
    ws(n, k, S_J, 15, e + 1);
    ws(n, k, S_PC, 7, PC_SCAN);
    this.out(n, A_ADD | (c << 4));
  }

  /** The caller's own num_preparing decrement after a pass; waits if siblings are still preparing. Emits. */
  private endScan(n: Uint32Array, c: number, action: number): void {
    const k = this.threadWords + c;
    const left = wg(n, k, S_NPREP, 31) - 1;
    ws(n, k, S_NPREP, 31, left);
    this.note(N_DEC_PREP, c, left - NPREP_BIAS, 0);
    if (left - NPREP_BIAS > 0 && !this.flaws.noWaitAllPrepared) {
      ws(n, k, S_PC, 7, PC_WAIT_PREP);
      this.out(n, action);
      return;
    }
    this.loopCheck(n, c, action);
  }

  /** `while (found_more_threads && !preparation_error)`. Emits. */
  private loopCheck(n: Uint32Array, c: number, action: number): void {
    const k = this.threadWords + c;
    if (wg(n, k, S_FOUND, 1) === 1 && wg(n, k, S_ERR, 3) === ERR_NONE && !this.flaws.singleRound) {
      this.note(N_LOOP, c, 1);
      this.round(n, c, action);
      return;
    }
    // Why the loop ends: 0 the round found no thread, 1 an error is set, 2 this design never looks again.
    this.note(N_LOOP, c, 0, wg(n, k, S_FOUND, 1) === 0 ? 0 : wg(n, k, S_ERR, 3) !== ERR_NONE ? 1 : 2);
    this.ready(n, c);
    this.out(n, action);
  }

  /** Interrupted wait: -ERESTARTNOINTR in the error slot, queued task_works that have not started are cancelled. */
  private interrupt(n: Uint32Array, c: number, injected: boolean): void {
    const k = this.threadWords + c;
    const bit = 1 << c;
    ws(n, k, S_ERR, 3, ERR_RESTART);
    const nt = wg(n, this.gw, S_NT, 15);
    let cancelled = 0;
    for (let t = 0; t < nt; t++) {
      const pend = tg(n, t, S_PEND, 3);
      if (pend & bit) {
        ts(n, t, S_PEND, 3, pend & ~bit);
        cancelled |= 1 << t;
        this.decPreparing(n, c);
        this.decUnfinished(n, c);
      }
    }
    this.note(N_INTERRUPT, c, cancelled, injected ? 1 : 0);
    this.ready(n, c);
  }

  /** complete_all(ready_to_commit), then the caller's own num_unfinished decrement. Does not emit. */
  private ready(n: Uint32Array, c: number): void {
    const k = this.threadWords + c;
    ws(n, k, S_READY, 1, 1);
    this.note(N_READY, c, wg(n, k, S_ERR, 3));
    const left = wg(n, k, S_NUNF, 15) - 1;
    ws(n, k, S_NUNF, 15, left);
    this.note(N_DEC_UNF, c, left, 0);
    if (left > 0 && !this.flaws.noWaitAllFinished) {
      ws(n, k, S_PC, 7, PC_WAIT_FIN);
      return;
    }
    this.finish(n, c);
  }

  /** Release exec_update_lock, commit or abort the caller's own cred, return; checks the return invariants. Does not emit. */
  private finish(n: Uint32Array, c: number): void {
    const k = this.threadWords + c;
    const bit = 1 << c;
    const err = wg(n, k, S_ERR, 3);
    const newDom = DM_NEW0 + c;
    const nt = wg(n, this.gw, S_NT, 15);
    if (wg(n, this.gw, S_LOCK, 3) === c + 1) ws(n, this.gw, S_LOCK, 3, 0);
    this.note(N_RETURN, c, err);
    if (err === ERR_NONE) {
      ts(n, c, S_CR, 3, CR_NEW0 + c);
      ts(n, c, S_DM, 3, newDom);
      ts(n, c, S_NNP, 1, 1);
      for (let t = 0; t < nt; t++) {
        if (tg(n, t, S_ST, 3) === ST_RUN && (tg(n, t, S_DM, 3) !== newDom || tg(n, t, S_NNP, 1) === 0)) {
          this.violation = tg(n, t, S_SEEN, 3) & bit ? INVARIANT_ALL_OR_NOTHING : INVARIANT_NO_THREAD_LEFT_BEHIND;
          break;
        }
      }
      ws(n, this.gw, S_LAST, 3, 1);
    } else {
      for (let t = 0; t < nt; t++) {
        const st = tg(n, t, S_ST, 3);
        if ((st === ST_RUN || st === ST_EXITING) && tg(n, t, S_DM, 3) === newDom) {
          this.violation = INVARIANT_ALL_OR_NOTHING;
          break;
        }
      }
      if (err !== ERR_RESTART) ws(n, this.gw, S_LAST, 3, 2);
    }
    // The shared context lived on the caller's stack: gone.
    n[k] = (err === ERR_NONE ? PC_DONE_OK : err === ERR_RESTART ? PC_RESTART : PC_DONE_ERR) | (NPREP_BIAS << S_NPREP);
    for (let t = 0; t < nt; t++) ts(n, t, S_SEEN, 3, tg(n, t, S_SEEN, 3) & ~bit);
  }

  private decPreparing(n: Uint32Array, x: number): void {
    const k = this.threadWords + x;
    const left = wg(n, k, S_NPREP, 31) - 1;
    ws(n, k, S_NPREP, 31, left);
    const done = left === NPREP_BIAS;
    if (done) ws(n, k, S_ALLPREP, 1, 1);
    this.note(N_DEC_PREP, x, left - NPREP_BIAS, done ? 1 : 0);
  }

  private decUnfinished(n: Uint32Array, x: number): void {
    const k = this.threadWords + x;
    const left = wg(n, k, S_NUNF, 15) - 1;
    ws(n, k, S_NUNF, 15, left);
    const done = left === 0;
    if (done) ws(n, k, S_ALLFIN, 1, 1);
    this.note(N_DEC_UNF, x, left, done ? 1 : 0);
  }

  private sharesOldCred(n: Uint32Array, t: number, x: number): boolean {
    const old = wg(n, this.threadWords + x, S_OLDCRED, 3);
    return old !== CR_PRIV && tg(n, t, S_CR, 3) === old;
  }

  private commitCred(n: Uint32Array, t: number, x: number, shared: boolean): void {
    this.note(N_COMMIT, t, x);
    ts(n, t, S_CR, 3, shared ? CR_NEW0 + x : CR_PRIV);
    ts(n, t, S_DM, 3, DM_NEW0 + x);
    ts(n, t, S_NNP, 1, 1);
  }

  private threadSteps(s: Uint32Array, t: number): void {
    const st = tg(s, t, S_ST, 3);
    if (st !== ST_RUN && st !== ST_EXITING) return;
    const f = this.flaws;
    const isCaller = t < this.callers;
    const tw = tg(s, t, S_TW, 3);
    if (this.narrate) this.log.length = 0;
    if (tw !== 0) {
      // Waiting in the task_work for ready_to_commit.
      const x = tw - 1;
      const xk = this.threadWords + x;
      if (wg(s, xk, S_READY, 1) === 1) {
        const n = this.fork(this.nxt, s);
        const err = wg(n, xk, S_ERR, 3);
        if ((err === ERR_NONE || f.ignoreErrorSlot) && !f.commitBeforePrepare) {
          this.commitCred(n, t, x, this.sharesOldCred(n, t, x));
        } else if (!f.commitBeforePrepare) {
          this.note(N_ABORT, t, x, err);
        }
        ts(n, t, S_TW, 3, 0);
        this.decUnfinished(n, x);
        this.out(n, A_COMMIT | (t << 4) | (x << 8));
      }
      return;
    }
    const pend = tg(s, t, S_PEND, 3);
    const pc = isCaller ? wg(s, this.threadWords + t, S_PC, 7) : -1;
    // Task work runs on the way back to user space; a caller inside its own call only gets there by restarting.
    const atUserBoundary = !isCaller || pc === PC_ENTER || pc === PC_RESTART || pc === PC_DONE_OK || pc === PC_DONE_ERR;
    if (pend !== 0 && (atUserBoundary || st === ST_EXITING)) {
      for (let x = 0; x < this.callers; x++) if (pend & (1 << x)) this.runWork(s, t, x);
      if (this.narrate) this.log.length = 0;
    }
    if (isCaller) return;
    if (st === ST_RUN) {
      const nt = wg(s, this.gw, S_NT, 15);
      if (nt - this.opts.threads < this.opts.maxSpawns) {
        const n = this.fork(this.nxt, s);
        // The child shares the parent's cred (and so its domain and no_new_privs); nothing else.
        ts(n, nt, S_ST, 3, ST_RUN);
        ts(n, nt, S_CR, 3, tg(s, t, S_CR, 3));
        ts(n, nt, S_DM, 3, tg(s, t, S_DM, 3));
        ts(n, nt, S_NNP, 1, tg(s, t, S_NNP, 1));
        ws(n, this.gw, S_NT, 15, nt + 1);
        this.note(N_SPAWN, t, nt);
        this.out(n, A_SPAWN | (t << 4));
        if (this.narrate) this.log.length = 0;
      }
      if (this.opts.maxExits > 0 && this.exitsUsed(s) < this.opts.maxExits) {
        const n = this.fork(this.nxt, s);
        ts(n, t, S_ST, 3, ST_EXITING);
        this.note(N_EXIT_BEGIN, t);
        this.out(n, A_EXIT_BEGIN | (t << 4));
      }
    } else if (pend === 0 || f.exitDropsWork) {
      // exit_task_work found nothing queued: the thread is gone and no task_work can be added any more.
      const n = this.fork(this.nxt, s);
      const seen = tg(n, t, S_SEEN, 3);
      ts(n, t, 0, (1 << TB) - 1, 0);
      ts(n, t, S_ST, 3, ST_DEAD);
      ts(n, t, S_SEEN, 3, seen);
      this.note(N_EXIT_END, t, pend !== 0 ? 1 : 0);
      this.out(n, A_EXIT_END | (t << 4));
    }
  }

  private exitsUsed(s: Uint32Array): number {
    const nt = wg(s, this.gw, S_NT, 15);
    let n = 0;
    for (let t = this.callers; t < nt; t++) {
      const st = tg(s, t, S_ST, 3);
      if (st === ST_EXITING || st === ST_DEAD) n++;
    }
    return n;
  }

  /** The task_work of call x starts in thread t: prepare_creds (or a reference to the new cred), then num_preparing. */
  private runWork(s: Uint32Array, t: number, x: number): void {
    const f = this.flaws;
    const action = A_RUN_WORK | (t << 4) | (x << 8);
    const shared = this.sharesOldCred(s, t, x);
    const pend = tg(s, t, S_PEND, 3) & ~(1 << x);
    if (this.narrate) this.log.length = 0;
    this.note(N_WORK_START, t, x, shared ? 1 : 0);
    if (!shared && this.opts.enomem) {
      const a = this.fork(this.alt, s);
      ts(a, t, S_PEND, 3, pend);
      ts(a, t, S_NOTIFY, 1, 0);
      if (f.commitBeforePrepare) this.commitCred(a, t, x, shared);
      ws(a, this.threadWords + x, S_ERR, 3, ERR_ENOMEM);
      this.note(N_PREPARE, t, x, 0);
      this.decPreparing(a, x);
      this.decUnfinished(a, x);
      this.out(a, action | BR_PREP_ENOMEM);
      if (this.narrate) this.log.length = 1;
    }
    const n = this.fork(this.nxt, s);
    ts(n, t, S_PEND, 3, pend);
    ts(n, t, S_NOTIFY, 1, 0);
    if (f.commitBeforePrepare) this.commitCred(n, t, x, shared);
    this.note(N_PREPARE, t, x, 1);
    this.decPreparing(n, x);
    if (f.commitWithoutWait) {
      const err = wg(n, this.threadWords + x, S_ERR, 3);
      if (err === ERR_NONE) this.commitCred(n, t, x, shared);
      else this.note(N_ABORT, t, x, err);
      this.decUnfinished(n, x);
    } else {
      ts(n, t, S_TW, 3, x + 1);
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
