// The state of the simulated kernel: processes, threads, credentials, domains, file
// descriptors, socket names and F_SETOWN records. Operations live in sibling modules and
// mutate this state; every observable change is reported as a trace event.

import type { Abi, Erratum, FsAccess, NetAccess, Scope } from "../scenario.js";
import type { DomainId, TraceEvent } from "../trace.js";
import { domainIdFor } from "./ids.js";

export interface FsRule { path: string; access: FsAccess[] }
export interface NetRule { port: number; access: NetAccess[] }

/** A ruleset object (what a ruleset fd refers to). Rules may still be added. */
export interface Ruleset {
  handledFs: FsAccess[];
  handledNet: NetAccess[];
  scoped: Scope[];
  fsRules: FsRule[];
  netRules: NetRule[];
}

/** One layer: a frozen copy of a ruleset stacked on the parent domain. */
export interface Domain {
  id: DomainId;
  parent: Domain | null;
  /** Number of layers from the root to this one (this one included). */
  layers: number;
  handledFs: FsAccess[];
  handledNet: NetAccess[];
  scoped: Scope[];
  fsRules: FsRule[];
  netRules: NetRule[];
  createdBy: string;
  step: number;
  ruleset: string;
}

/**
 * struct cred: threads created with CLONE_THREAD share their creator's object until one
 * of them changes it, and TSYNC treats siblings still sharing the caller's object
 * differently, so a cred's identity (`id`) matters, not just its contents.
 */
export interface Cred {
  readonly id: number;
  readonly domain: Domain | null;
  readonly capSysAdmin: boolean;
  readonly uid: number;
  readonly logSubdomainsOff: boolean;
}

export type FdObject =
  | { kind: "ruleset"; ruleset: Ruleset }
  | { kind: "file"; path: string };

/** A named fd of a process; `num` -1 records a call that failed and returned -1. */
export interface FdEntry {
  num: number;
  object: FdObject | null;
  /** Why the fd holds -1 (the failing call). */
  failure?: string;
}

export interface Process {
  name: string;
  threads: Thread[];
  /**
   * The thread-group leader: the first thread, or the thread that last called exec.
   * Once exited it stays a zombie (see Kernel.canBeSignalled).
   */
  leader: Thread | null;
  fds: Map<string, FdEntry>;
  nextFd: number;
  parent: Process | null;
}

export interface Thread {
  name: string;
  process: Process;
  cred: Cred;
  /** no_new_privs is a per-task flag, not part of struct cred. */
  noNewPrivs: boolean;
  alive: boolean;
  origin: string;
}

/** What fcntl(F_SETOWN) recorded on an open file. */
export interface FileOwner {
  owner: Process;
  setter: Thread;
  /** The setter's domain at the time of the call: what SIGIO delivery is checked against. */
  domain: Domain | null;
  /** The setter's (effective) uid at the time of the call, checked by sigio_perm. */
  uid: number;
  step: number;
}

/**
 * A bound abstract unix socket. It belongs to the processes holding its fd (the binder's,
 * and children forked since), not to the binding thread; it is close-on-exec.
 */
export interface AbstractSocket {
  name: string;
  binder: Thread;
  /** The binder's domain when it bound the name: what scoping checks, whoever holds it now. */
  domain: Domain | null;
  holders: Set<Process>;
}

export interface KernelConfig {
  abi: Abi;
  errata: readonly Erratum[];
  enomemAtPrepare?: string;
  /** Normalised paths that are regular files; every other path is a directory. */
  regularFiles?: ReadonlySet<string>;
}

export type EventInput = Omit<TraceEvent, "seq" | "step"> & { step?: number };

export class Kernel {
  readonly abi: Abi;
  readonly errata: ReadonlySet<Erratum>;
  readonly enomemAtPrepare: string | undefined;
  private readonly regularFiles: ReadonlySet<string>;
  readonly processes = new Map<string, Process>();
  readonly threads = new Map<string, Thread>();
  readonly domains: Domain[] = [];
  readonly sockets = new Map<string, AbstractSocket>();
  readonly owners = new Map<string, FileOwner>();
  readonly events: TraceEvent[] = [];
  /** Scenario step being executed; events inherit it. */
  step = -1;
  private nextCredId = 1;
  private domainCounter = 0;

  constructor(config: KernelConfig) {
    this.abi = config.abi;
    this.errata = new Set(config.errata);
    this.enomemAtPrepare = config.enomemAtPrepare;
    this.regularFiles = config.regularFiles ?? new Set();
  }

  /** `path` must be normalised (see paths.ts). */
  isRegularFile(path: string): boolean {
    return this.regularFiles.has(path);
  }

  hasErratum(n: Erratum): boolean {
    return this.errata.has(n);
  }

  emit(event: EventInput): TraceEvent {
    const full: TraceEvent = { seq: this.events.length + 1, step: this.step, ...event };
    if (full.step === undefined || full.step < 0) delete full.step;
    this.events.push(full);
    return full;
  }

  makeCred(fields: Omit<Cred, "id">): Cred {
    return { id: this.nextCredId++, ...fields };
  }

  /** A private copy of `cred` with some fields changed (prepare_creds + edit + commit). */
  changeCred(cred: Cred, patch: Partial<Omit<Cred, "id">>): Cred {
    return { ...cred, ...patch, id: this.nextCredId++ };
  }

  createProcess(name: string, parent: Process | null): Process {
    const process: Process = { name, threads: [], leader: null, fds: new Map(), nextFd: 3, parent };
    this.processes.set(name, process);
    return process;
  }

  addThread(name: string, process: Process, cred: Cred, noNewPrivs: boolean, origin: string): Thread {
    const thread: Thread = { name, process, cred, noNewPrivs, alive: true, origin };
    process.threads.push(thread);
    process.leader ??= thread;
    this.threads.set(name, thread);
    return thread;
  }

  createDomain(parent: Domain | null, ruleset: Ruleset, createdBy: string, rulesetName: string): Domain {
    const domain: Domain = {
      id: domainIdFor(++this.domainCounter),
      parent,
      layers: (parent?.layers ?? 0) + 1,
      handledFs: [...ruleset.handledFs],
      handledNet: [...ruleset.handledNet],
      scoped: [...ruleset.scoped],
      fsRules: ruleset.fsRules.map((r) => ({ path: r.path, access: [...r.access] })),
      netRules: ruleset.netRules.map((r) => ({ port: r.port, access: [...r.access] })),
      createdBy,
      step: this.step,
      ruleset: rulesetName,
    };
    this.domains.push(domain);
    return domain;
  }

  /** Forgets a domain whose creation was aborted (its ID stays used, as in the kernel). */
  discardDomain(domain: Domain): void {
    const i = this.domains.indexOf(domain);
    if (i >= 0) this.domains.splice(i, 1);
  }

  /** The processes still holding `socket` open: a holder's fds close when its last thread exits. */
  socketHolders(socket: AbstractSocket): Process[] {
    return [...socket.holders].filter((p) => this.liveThreads(p).length > 0);
  }

  liveThreads(process: Process): Thread[] {
    return process.threads.filter((t) => t.alive);
  }

  /**
   * The thread a process-directed signal (kill, SIGIO) is checked against: the leader,
   * whether it has exited or not.
   */
  representative(process: Process): Thread | undefined {
    return process.leader ?? undefined;
  }

  /**
   * A thread signals can still reach: a live one, or the leader of its process after it
   * exited. The kernel keeps an exited leader as a zombie while other threads run, and the
   * whole process as a zombie until its parent reaps it; a scenario has no wait(), so
   * nothing is reaped while it runs. An exited thread that is not the leader is released
   * at once.
   */
  canBeSignalled(thread: Thread): boolean {
    return thread.alive || thread.process.leader === thread;
  }

  /** An exited leader that signals still reach (see canBeSignalled). */
  isZombieLeader(thread: Thread): boolean {
    return !thread.alive && thread.process.leader === thread;
  }
}

export function domainIdOf(thread: Thread): DomainId | null {
  return thread.cred.domain?.id ?? null;
}
