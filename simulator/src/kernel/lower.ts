// Resolves a scenario's names (threads, processes, rulesets, fds, sockets, paths) to
// table indices for the generated C program, and decides what the program's temporary
// filesystem tree must contain.

import { posix } from "node:path";
import type { Scenario, Step } from "../scenario.js";
import {
  FS_ACCESS_BIT,
  NET_ACCESS_BIT,
  RESTRICT_FLAG_BIT,
  SCOPE_BIT,
  maskLiteral,
  signalNumber,
} from "./uapi.js";

/** Op codes of the C interpreter (`enum op` in c-runtime.ts), same order. */
export const OP_CODE = {
  spawn_thread: 0,
  exit_thread: 1,
  fork: 2,
  exec: 3,
  prctl_no_new_privs: 4,
  drop_cap_sys_admin: 5,
  get_abi: 6,
  get_errata: 7,
  create_ruleset: 8,
  add_rule_path: 9,
  add_rule_net: 10,
  restrict_self: 11,
  open: 12,
  connect_tcp: 13,
  bind_tcp: 14,
  kill: 15,
  tgkill: 16,
  fcntl_setown: 17,
  sigio: 18,
  bind_abstract: 19,
  connect_abstract: 20,
  setuid: 21,
} as const;

export const KERNEL_THREAD = -1;
export const RULESET_MINUS_ONE = -2;

export interface LoweredStep {
  /** Index of the scenario step this entry performs. */
  index: number;
  /** 0 for the step itself, 1.. for the `concurrent` operations of a restrict_self. */
  part: number;
  opName: Step["op"];
  op: number;
  thread: number;
  target: number;
  object: number;
  mode: number;
  sig: number;
  /** C literals (64-bit masks, ports, uids). */
  a: string;
  b: string;
  c: string;
  /** Why the program does something other than the literal step (e.g. a stand-in signal). */
  note?: string;
}

export interface LoweredScenario {
  name: string;
  threads: { name: string; process: number }[];
  processes: { name: string; mainThread: number }[];
  /** Scenario paths, parents before children, with whether the program creates a directory. */
  paths: { path: string; isDir: boolean }[];
  /** Names of per-process fds that steps refer to: rulesets and files opened `as`. */
  namedFds: string[];
  /** Names of the pipes whose SIGIO owner steps set. */
  fds: string[];
  sockets: string[];
  connectPorts: number[];
  steps: LoweredStep[];
  initial: { uid: number; capSysAdmin: boolean; noNewPrivs: boolean };
}

export interface LowerOptions {
  /** Effective uid when the scenario gives none (default 0, as the kernel model assumes). */
  defaultUid?: number;
}

export class ScenarioLoweringError extends Error {
  constructor(
    readonly scenario: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(`scenario "${scenario}" at ${path}: ${problem}`);
    this.name = "ScenarioLoweringError";
  }
}

export const DEFAULT_PROCESS = "p1";
export const DEFAULT_MAIN_THREAD = "main";
export const DEFAULT_UID = 0;

/** A forked child's only thread carries the child process's name. */
export function childMainThreadName(child: string): string {
  return child;
}

/** Normalises a scenario path to an absolute POSIX path without a trailing slash ("/" stays "/"). */
export function normalizeScenarioPath(path: string): string | undefined {
  if (path.length === 0 || path.includes("\0")) return undefined;
  const normalized = posix.normalize(path.startsWith("/") ? path : `/${path}`);
  return normalized.length > 1 && normalized.endsWith("/") ? normalized.slice(0, -1) : normalized;
}

class IndexTable {
  private readonly index = new Map<string, number>();
  readonly names: string[] = [];
  get(name: string): number | undefined {
    return this.index.get(name);
  }
  intern(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.index.set(name, i);
      this.names.push(name);
    }
    return i;
  }
}

export function lowerScenario(scenario: Scenario, options: LowerOptions = {}): LoweredScenario {
  const fail = (path: string, problem: string): never => {
    throw new ScenarioLoweringError(scenario.name, path, problem);
  };
  if (!Array.isArray(scenario.steps)) fail("steps", "must be an array");

  const threads: { name: string; process: number }[] = [];
  const threadIndex = new Map<string, number>();
  const processes: { name: string; mainThread: number }[] = [];
  const processIndex = new Map<string, number>();
  const addProcess = (name: string, mainThread: string, at: string): number => {
    if (processIndex.has(name)) fail(at, `process "${name}" is created twice`);
    if (threadIndex.has(mainThread)) fail(at, `thread "${mainThread}" is created twice`);
    const p = processes.length;
    const t = threads.length;
    processes.push({ name, mainThread: t });
    processIndex.set(name, p);
    threads.push({ name: mainThread, process: p });
    threadIndex.set(mainThread, t);
    return p;
  };
  addProcess(scenario.process ?? DEFAULT_PROCESS, scenario.mainThread ?? DEFAULT_MAIN_THREAD, "process");

  // Threads and processes are named by the steps that create them; a step may only be
  // resolved once every creation is known, so creations are collected first.
  scenario.steps.forEach((step, i) => {
    const at = `steps[${i}]`;
    if (step.op === "spawn_thread") {
      if (threadIndex.has(step.new)) fail(`${at}.new`, `thread "${step.new}" is created twice`);
      const creator = threadIndex.get(step.thread);
      if (creator === undefined) fail(`${at}.thread`, `thread "${step.thread}" does not exist at this step`);
      threadIndex.set(step.new, threads.length);
      threads.push({ name: step.new, process: threads[creator!]!.process });
    } else if (step.op === "fork") {
      if (!threadIndex.has(step.thread)) fail(`${at}.thread`, `thread "${step.thread}" does not exist at this step`);
      addProcess(step.child, childMainThreadName(step.child), `${at}.child`);
    } else if (step.op === "restrict_self") {
      (step.concurrent ?? []).forEach((c, j) => {
        if (c.op !== "spawn_thread") return;
        const cat = `${at}.concurrent[${j}]`;
        if (threadIndex.has(c.new)) fail(`${cat}.new`, `thread "${c.new}" is created twice`);
        const creator = threadIndex.get(c.thread);
        if (creator === undefined) fail(`${cat}.thread`, `thread "${c.thread}" does not exist at this step`);
        threadIndex.set(c.new, threads.length);
        threads.push({ name: c.new, process: threads[creator!]!.process });
      });
    }
  });

  const paths = new Map<string, { explicitFile: boolean; ruleTarget: boolean }>();
  const notePath = (raw: string, at: string, kind: "file" | "rule" | "open"): string => {
    const p = normalizeScenarioPath(raw);
    if (p === undefined) return fail(at, `"${raw}" is not a usable path`);
    const entry = paths.get(p) ?? { explicitFile: false, ruleTarget: false };
    if (kind === "file" || kind === "open") entry.explicitFile = true;
    if (kind === "rule") entry.ruleTarget = true;
    paths.set(p, entry);
    return p;
  };
  (scenario.files ?? []).forEach((f, i) => notePath(f, `files[${i}]`, "file"));

  const namedFds = new IndexTable();
  const fds = new IndexTable();
  const sockets = new IndexTable();
  const connectPorts = new Set<number>();
  const threadOf = (name: string, at: string): number => {
    const t = threadIndex.get(name);
    return t ?? fail(at, `unknown thread "${name}"`);
  };
  const processOf = (name: string, at: string): number => {
    const p = processIndex.get(name);
    if (p !== undefined) return p;
    const t = threadIndex.get(name);
    return t !== undefined ? threads[t]!.process : fail(at, `unknown process "${name}"`);
  };
  const mask = <K extends string>(names: readonly K[] | undefined, bits: Record<K, number>, at: string, what: string): string => {
    if (names !== undefined && !Array.isArray(names)) return fail(at, `must be an array of ${what}`);
    const m = maskLiteral(names, bits);
    return "literal" in m ? m.literal : fail(at, `"${m.unknown}" is not a known ${what}`);
  };
  const port = (value: number, at: string): string =>
    Number.isInteger(value) && value >= 0 && value <= 65535 ? String(value) : fail(at, `port ${value} is not in 0..65535`);

  const pendingPaths: { step: number; raw: string; at: string; kind: "rule" | "open" }[] = [];
  const lowerStep = (step: Step, i: number): LoweredStep => {
    const at = `steps[${i}]`;
    const base = { index: i, part: 0, opName: step.op, thread: 0, target: -1, object: -1, mode: 0, sig: 0, a: "0", b: "0", c: "0" };
    if (step.op !== "sigio") base.thread = threadOf(step.thread, `${at}.thread`);
    switch (step.op) {
      case "spawn_thread":
        return { ...base, op: OP_CODE.spawn_thread, target: threadOf(step.new, `${at}.new`) };
      case "exit_thread":
        return { ...base, op: OP_CODE.exit_thread };
      case "fork":
        return { ...base, op: OP_CODE.fork, target: processOf(step.child, `${at}.child`) };
      case "exec":
        return { ...base, op: OP_CODE.exec };
      case "prctl_no_new_privs":
        return { ...base, op: OP_CODE.prctl_no_new_privs };
      case "drop_cap_sys_admin":
        return { ...base, op: OP_CODE.drop_cap_sys_admin };
      case "get_abi":
        return { ...base, op: OP_CODE.get_abi };
      case "get_errata":
        return { ...base, op: OP_CODE.get_errata };
      case "create_ruleset":
        return {
          ...base,
          op: OP_CODE.create_ruleset,
          object: namedFds.intern(step.as),
          a: mask(step.handledFs, FS_ACCESS_BIT, `${at}.handledFs`, "filesystem right"),
          b: mask(step.handledNet, NET_ACCESS_BIT, `${at}.handledNet`, "network right"),
          c: mask(step.scoped, SCOPE_BIT, `${at}.scoped`, "scope"),
        };
      case "add_rule": {
        const object = namedFds.intern(step.ruleset);
        if (step.type === "path_beneath") {
          pendingPaths.push({ step: i, raw: step.path, at: `${at}.path`, kind: "rule" });
          return { ...base, op: OP_CODE.add_rule_path, object, a: mask(step.access, FS_ACCESS_BIT, `${at}.access`, "filesystem right") };
        }
        return {
          ...base,
          op: OP_CODE.add_rule_net,
          object,
          a: mask(step.access, NET_ACCESS_BIT, `${at}.access`, "network right"),
          b: port(step.port, `${at}.port`),
        };
      }
      case "restrict_self":
        return {
          ...base,
          op: OP_CODE.restrict_self,
          object: step.ruleset === -1 ? RULESET_MINUS_ONE : namedFds.intern(step.ruleset),
          mode: step.via === "libpsx" || step.via === "all_threads_syscall" ? 1 : 0,
          a: mask(step.flags, RESTRICT_FLAG_BIT, `${at}.flags`, "restrict_self flag"),
        };
      case "open":
        pendingPaths.push({ step: i, raw: step.path, at: `${at}.path`, kind: "open" });
        return {
          ...base,
          op: OP_CODE.open,
          mode: step.access === "write" ? 1 : 0,
          object: step.as === undefined ? -1 : namedFds.intern(step.as),
        };
      case "connect_tcp":
        connectPorts.add(step.port);
        return { ...base, op: OP_CODE.connect_tcp, a: port(step.port, `${at}.port`) };
      case "bind_tcp":
        return { ...base, op: OP_CODE.bind_tcp, a: port(step.port, `${at}.port`) };
      case "kill":
      case "tgkill": {
        const sig = signalNumber(step.signal);
        if (sig === undefined) fail(`${at}.signal`, `unknown signal "${step.signal}"`);
        const note = sig!.standIn ? `${sig!.standIn} sent as SIGUSR2 (same permission check, target survives)` : undefined;
        const target =
          step.op === "kill"
            ? processOf(step.target, `${at}.target`)
            : (threadIndex.get(step.target) ??
              (processIndex.has(step.target)
                ? processes[processIndex.get(step.target)!]!.mainThread
                : fail(`${at}.target`, `unknown thread "${step.target}"`)));
        return {
          ...base,
          op: step.op === "kill" ? OP_CODE.kill : OP_CODE.tgkill,
          target,
          sig: sig!.number,
          ...(note ? { note } : {}),
        };
      }
      case "fcntl_setown":
        return { ...base, op: OP_CODE.fcntl_setown, object: fds.intern(step.fd), target: processOf(step.owner, `${at}.owner`) };
      case "sigio":
        return { ...base, thread: KERNEL_THREAD, op: OP_CODE.sigio, object: fds.intern(step.fd) };
      case "bind_abstract":
        return { ...base, op: OP_CODE.bind_abstract, object: sockets.intern(step.name) };
      case "connect_abstract":
        return { ...base, op: OP_CODE.connect_abstract, object: sockets.intern(step.name) };
      case "setuid":
        if (!Number.isInteger(step.uid) || step.uid < 0 || step.uid > 0xfffffffe) fail(`${at}.uid`, `uid ${step.uid} is not valid`);
        return { ...base, op: OP_CODE.setuid, mode: step.via === "raw" ? 1 : 0, a: String(step.uid) };
      default:
        return fail(`${at}.op`, `unsupported op "${(step as { op: unknown }).op}"`);
    }
  };

  // A restrict_self's concurrent operations run right after it, by their own threads:
  // without TSYNC nothing makes them part of the call, and libpsx holds thread creation
  // until its broadcast ends.
  const steps: LoweredStep[] = [];
  const entryOfStep: number[] = [];
  scenario.steps.forEach((step, i) => {
    entryOfStep.push(steps.length);
    steps.push(lowerStep(step, i));
    if (step.op !== "restrict_self") return;
    (step.concurrent ?? []).forEach((c, j) => {
      const at = `steps[${i}].concurrent[${j}]`;
      const base = { index: i, part: j + 1, thread: threadOf(c.thread, `${at}.thread`), object: -1, mode: 0, sig: 0, a: "0", b: "0", c: "0" };
      steps.push(
        c.op === "spawn_thread"
          ? { ...base, opName: "spawn_thread", op: OP_CODE.spawn_thread, target: threadOf(c.new, `${at}.new`) }
          : { ...base, opName: "exit_thread", op: OP_CODE.exit_thread, target: -1 },
      );
    });
  });

  const normalizedPending = pendingPaths.map((p) => ({ ...p, path: notePath(p.raw, p.at, p.kind) }));
  const orderedPaths = layoutTree(paths);
  const pathIndex = new Map(orderedPaths.map((p, i) => [p.path, i]));
  for (const p of normalizedPending) steps[entryOfStep[p.step]!]!.target = pathIndex.get(p.path)!;

  const initial = scenario.initial ?? {};
  const capSysAdmin = initial.capSysAdmin ?? false;
  const uid = initial.uid ?? options.defaultUid ?? DEFAULT_UID;
  if (!Number.isInteger(uid) || uid < 0 || uid > 0xfffffffe) fail("initial.uid", `uid ${uid} is not valid`);

  return {
    name: scenario.name,
    threads,
    processes,
    paths: orderedPaths,
    namedFds: namedFds.names,
    fds: fds.names,
    sockets: sockets.names,
    connectPorts: [...connectPorts].sort((x, y) => x - y),
    steps,
    initial: { uid, capSysAdmin, noNewPrivs: initial.noNewPrivs ?? false },
  };
}

/**
 * Every ancestor of a named path is a directory; a named path is a regular file when it
 * is listed in `files` or opened, and a directory when it is only a rule's target (rules
 * usually name directories, and directory rights on a file are EINVAL).
 */
function layoutTree(paths: Map<string, { explicitFile: boolean; ruleTarget: boolean }>): { path: string; isDir: boolean }[] {
  const dirs = new Set<string>();
  for (const p of paths.keys()) {
    for (let d = posix.dirname(p); d !== "/"; d = posix.dirname(d)) dirs.add(d);
  }
  const all = new Map<string, boolean>();
  for (const d of dirs) all.set(d, true);
  for (const [p, e] of paths) {
    if (p === "/") continue;
    if (!all.has(p)) all.set(p, !e.explicitFile);
  }
  const entries = [...all].map(([path, isDir]) => ({ path, isDir }));
  entries.sort((x, y) => x.path.split("/").length - y.path.split("/").length || (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  // "/" is the tree's root, which the program always creates.
  if (paths.has("/")) entries.unshift({ path: "/", isDir: true });
  return entries;
}
