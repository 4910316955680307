// libpsx's per-thread broadcast of landlock_restrict_self, as a transition system.
//
// psx_syscall() first runs the syscall on the calling thread, then pthread_kill()s every
// registered thread with the psx signal; each handler runs the same syscall on its own
// thread; the caller waits until no registered thread is pending. A pthread_kill that
// fails (the thread exited, or the kernel denied the signal) makes libpsx treat the
// thread as gone and drop it. Afterwards the caller sends one more cross-thread signal to
// every sibling, as a second psx_syscall (nested enforcement) or glibc's setxid broadcast
// would. libpsx's pthread_create wrapper blocks while a broadcast is in progress, so
// threads are only spawned before it.
//
// Every restrict_self call creates its own domain: after the broadcast the threads are
// in distinct sibling domains. Under LANDLOCK_SCOPE_SIGNAL a thread may only signal
// threads of its own domain (or descendants), unless the kernel has erratum 2, which
// lets threads of one process always signal each other.

import type { Emit, TransitionSystem } from "./engine.js";
import { INVARIANT_DEADLOCK, INVARIANT_SAME_DOMAIN } from "./invariants.js";

export const PSX_MAX_THREADS = 8;

export interface PsxModelOptions {
  threads: number;
  maxSpawns: number;
  maxExits: number;
  /** The ruleset scopes signals (LANDLOCK_SCOPE_SIGNAL). */
  scopeSignal: boolean;
  /** The kernel has erratum 2: threads of one process may always signal each other. */
  erratum2: boolean;
}

export const PST_NONE = 0;
export const PST_RUN = 1;
export const PST_DEAD = 2;

export const PPC_ENTER = 0;
export const PPC_SIGNAL = 1;
export const PPC_WAIT = 2;
export const PPC_LATER = 3;
export const PPC_DONE = 4;

// Unpacked layout.
export const PTF = 4;
export const PT_ST = 0;
/** 0: no domain; k > 0: the domain created by thread k-1's restrict_self (inherited by threads it spawns later). */
export const PT_DM = 1;
export const PT_REG = 2;
export const PT_PEND = 3;
export const PCB = PSX_MAX_THREADS * PTF;
export const PC_PC = 0;
export const PC_J = 1;
export const PC_NT = 2;
export const PFIELDS = PCB + 3;

export const PA_CALLER_RESTRICT = 1;
export const PA_SIGNAL = 2;
export const PA_HANDLER = 3;
export const PA_WAIT = 4;
export const PA_LATER_SIGNAL = 5;
export const PA_SPAWN = 6;
export const PA_EXIT = 7;

export const psxActionKind = (a: number): number => a & 15;
export const psxActionThread = (a: number): number => (a >>> 4) & 15;

/** Outcome of a pthread_kill in the model. */
export const SIG_DELIVERED = 0;
export const SIG_ESRCH = 1;
export const SIG_EPERM = 2;

export class PsxModel implements TransitionSystem {
  readonly words: number;
  readonly opts: PsxModelOptions;
  readonly maxThreads: number;
  private readonly cur = new Int32Array(PFIELDS);
  private readonly nxt = new Int32Array(PFIELDS);
  private readonly packed: Uint32Array;
  private emitFn: Emit = () => {};
  private emitted = 0;

  constructor(opts: PsxModelOptions) {
    if (!Number.isInteger(opts.threads) || opts.threads < 1 || opts.threads > PSX_MAX_THREADS) {
      throw new RangeError(`threads must be an integer from 1 to ${PSX_MAX_THREADS}, got ${opts.threads}`);
    }
    if (opts.threads + opts.maxSpawns > PSX_MAX_THREADS) {
      throw new RangeError(`threads + spawns must not exceed ${PSX_MAX_THREADS}, got ${opts.threads} + ${opts.maxSpawns}`);
    }
    this.opts = { ...opts };
    this.maxThreads = opts.threads + opts.maxSpawns;
    // 8 bits per thread (status 2, domain 4, registered 1, pending 1), four threads per word, then one word for the caller.
    this.words = ((this.maxThreads + 3) >> 2) + 1;
    this.packed = new Uint32Array(this.words);
  }

  pack(u: Int32Array, out: Uint32Array): void {
    const tw = this.words - 1;
    for (let k = 0; k < tw; k++) {
      let word = 0;
      for (let h = 0; h < 4; h++) {
        const t = 4 * k + h;
        if (t >= this.maxThreads) break;
        const b = t * PTF;
        word |= (u[b + PT_ST]! | (u[b + PT_DM]! << 2) | (u[b + PT_REG]! << 6) | (u[b + PT_PEND]! << 7)) << (8 * h);
      }
      out[k] = word >>> 0;
    }
    out[tw] = (u[PCB + PC_PC]! | (u[PCB + PC_J]! << 3) | (u[PCB + PC_NT]! << 7)) >>> 0;
  }

  unpack(src: Uint32Array, off: number, u: Int32Array): void {
    const tw = this.words - 1;
    for (let k = 0; k < tw; k++) {
      const word = src[off + k]!;
      for (let h = 0; h < 4; h++) {
        const t = 4 * k + h;
        if (t >= this.maxThreads) break;
        const v = word >>> (8 * h);
        const b = t * PTF;
        u[b + PT_ST] = v & 3;
        u[b + PT_DM] = (v >>> 2) & 15;
        u[b + PT_REG] = (v >>> 6) & 1;
        u[b + PT_PEND] = (v >>> 7) & 1;
      }
    }
    const c = src[off + tw]!;
    u[PCB + PC_PC] = c & 7;
    u[PCB + PC_J] = (c >>> 3) & 15;
    u[PCB + PC_NT] = (c >>> 7) & 15;
  }

  initialStates(): Uint32Array[] {
    const u = new Int32Array(PFIELDS);
    for (let t = 0; t < this.opts.threads; t++) {
      u[t * PTF + PT_ST] = PST_RUN;
      u[t * PTF + PT_REG] = 1;
    }
    u[PCB + PC_NT] = this.opts.threads;
    const packed = new Uint32Array(this.words);
    this.pack(u, packed);
    return [packed];
  }

  /** Whether a signal from thread `from` to thread `to` (same process) passes Landlock's signal scoping. */
  signalAllowed(u: Int32Array, from: number, to: number): boolean {
    if (!this.opts.scopeSignal || this.opts.erratum2) return true;
    const sender = u[from * PTF + PT_DM]!;
    if (sender === 0) return true;
    return u[to * PTF + PT_DM] === sender;
  }

  /** Result of pthread_kill(from -> to). */
  signalOutcome(u: Int32Array, from: number, to: number): number {
    if (u[to * PTF + PT_ST] !== PST_RUN) return SIG_ESRCH;
    return this.signalAllowed(u, from, to) ? SIG_DELIVERED : SIG_EPERM;
  }

  private out(u: Int32Array, action: number): void {
    this.pack(u, this.packed);
    this.emitted++;
    this.emitFn(this.packed, action, 0);
  }

  expand(src: Uint32Array, off: number, emit: Emit): number {
    const u = this.cur;
    this.unpack(src, off, u);
    this.emitFn = emit;
    this.emitted = 0;
    const pc = u[PCB + PC_PC]!;
    if (pc === PPC_DONE) return 0;
    const nt = u[PCB + PC_NT]!;
    const n = this.nxt;
    switch (pc) {
      case PPC_ENTER:
        n.set(u);
        n[PT_DM] = 1;
        n[PCB + PC_PC] = PPC_SIGNAL;
        n[PCB + PC_J] = 1;
        this.out(n, PA_CALLER_RESTRICT);
        break;
      case PPC_SIGNAL: {
        const e = this.nextRegistered(u, u[PCB + PC_J]!);
        n.set(u);
        if (e < 0) {
          n[PCB + PC_PC] = PPC_WAIT;
        } else {
          if (this.signalOutcome(u, 0, e) === SIG_DELIVERED) n[e * PTF + PT_PEND] = 1;
          else n[e * PTF + PT_REG] = 0;
          n[PCB + PC_J] = e + 1;
        }
        this.out(n, PA_SIGNAL | ((e < 0 ? 0 : e) << 4));
        break;
      }
      case PPC_WAIT: {
        let waiting = false;
        for (let t = 1; t < nt; t++) {
          const b = t * PTF;
          if (u[b + PT_REG] === 1 && u[b + PT_PEND] === 1 && u[b + PT_ST] === PST_RUN) waiting = true;
        }
        if (!waiting) {
          n.set(u);
          n[PCB + PC_PC] = PPC_LATER;
          n[PCB + PC_J] = 1;
          this.out(n, PA_WAIT);
        }
        break;
      }
      case PPC_LATER: {
        const e = this.nextLive(u, u[PCB + PC_J]!);
        n.set(u);
        if (e < 0) n[PCB + PC_PC] = PPC_DONE;
        else n[PCB + PC_J] = e + 1;
        this.out(n, PA_LATER_SIGNAL | ((e < 0 ? 0 : e) << 4));
        break;
      }
      default:
        break;
    }
    for (let t = 1; t < nt; t++) {
      const b = t * PTF;
      if (u[b + PT_ST] !== PST_RUN) continue;
      if (u[b + PT_PEND] === 1) {
        n.set(u);
        n[b + PT_PEND] = 0;
        n[b + PT_DM] = t + 1;
        this.out(n, PA_HANDLER | (t << 4));
      }
      if (pc === PPC_ENTER && nt - this.opts.threads < this.opts.maxSpawns) {
        n.set(u);
        const s = nt * PTF;
        n[s + PT_ST] = PST_RUN;
        n[s + PT_DM] = u[b + PT_DM]!;
        n[s + PT_REG] = 1;
        n[s + PT_PEND] = 0;
        n[PCB + PC_NT] = nt + 1;
        this.out(n, PA_SPAWN | (t << 4));
      }
      if (this.exitsUsed(u) < this.opts.maxExits) {
        // A signal still pending dies with the thread; libpsx then sees it as gone.
        n.set(u);
        n[b + PT_ST] = PST_DEAD;
        n[b + PT_DM] = 0;
        n[b + PT_PEND] = 0;
        this.out(n, PA_EXIT | (t << 4));
      }
    }
    return this.emitted;
  }

  private nextRegistered(u: Int32Array, from: number): number {
    const nt = u[PCB + PC_NT]!;
    for (let t = Math.max(1, from); t < nt; t++) if (u[t * PTF + PT_REG] === 1) return t;
    return -1;
  }

  private nextLive(u: Int32Array, from: number): number {
    const nt = u[PCB + PC_NT]!;
    for (let t = Math.max(1, from); t < nt; t++) if (u[t * PTF + PT_ST] === PST_RUN) return t;
    return -1;
  }

  exitsUsed(u: Int32Array): number {
    const nt = u[PCB + PC_NT]!;
    let n = 0;
    for (let t = 1; t < nt; t++) if (u[t * PTF + PT_ST] === PST_DEAD) n++;
    return n;
  }

  terminalViolation(src: Uint32Array, off: number): number {
    const u = this.cur;
    this.unpack(src, off, u);
    if (u[PCB + PC_PC] !== PPC_DONE) return INVARIANT_DEADLOCK;
    const nt = u[PCB + PC_NT]!;
    let dom = -1;
    for (let t = 0; t < nt; t++) {
      const b = t * PTF;
      if (u[b + PT_ST] !== PST_RUN) continue;
      if (dom === -1) dom = u[b + PT_DM]!;
      else if (u[b + PT_DM] !== dom) return INVARIANT_SAME_DOMAIN;
    }
    return 0;
  }

  successors(state: Uint32Array): { action: number; state: Uint32Array }[] {
    const list: { action: number; state: Uint32Array }[] = [];
    this.expand(state, 0, (packed, action) => list.push({ action, state: packed.slice() }));
    return list;
  }
}
