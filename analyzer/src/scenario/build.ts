// Builds the simulator scenario that reproduces a finding's consequence: the threads the
// analysis saw (one per spawn, named after the line that started it), the ruleset's
// scopes, the restriction as written at the target ABI, then the access that shows what
// went wrong. The simulator, not this file, decides what the kernel does with it.
//
// Steps taken from the code carry its `source` (spawns, the ruleset creation, the restrict
// call, the signal / F_SETOWN / connect / setuid call) so a viewer can point at the line;
// steps that only illustrate the consequence (the worker opening /etc/shadow, the rule
// added to the ruleset, a thread the settings assume) carry none.

import type { Abi, Erratum, FsAccess, RestrictFlag, Scenario, Scope, SourceLocation, Step } from "@landlock-lint/simulator";
import type { IrOp, Location, Range, RulesetInfo } from "../ir.js";
import type { Settings } from "../settings.js";
import type { ThreadEvidence } from "../checks/state.js";
import { sourceLocationOf } from "./source-location.js";

type RestrictOp = Extract<IrOp, { type: "restrict" }>;

const SECRET = "/etc/shadow";
const MAX_THREADS = 4;

/** A step's `source` at the start of `range`, when both the file and the range are known. */
function sourceAt(file: string | undefined, range: Range | undefined): { source?: SourceLocation } {
  if (!file || !range) return {};
  return { source: sourceLocationOf(file, range) };
}

function abiOf(n: number): Abi {
  return Math.max(1, Math.min(11, Math.trunc(n))) as Abi;
}

function errataOf(settings: Settings): Erratum[] {
  return settings.errata.filter((e): e is Erratum => e === 1 || e === 2 || e === 3);
}

function scopesOf(ruleset: RulesetInfo | undefined): Scope[] {
  if (!ruleset?.scopesKnown) return [];
  return ruleset.scopes.filter((s): s is Scope => s === "signal" || s === "abstract_unix_socket");
}

function flagsOf(op: RestrictOp | undefined, opts: { tsync?: boolean } = {}): RestrictFlag[] {
  const flags: RestrictFlag[] = [];
  if (op?.flags.logSameExecOff === "yes") flags.push("log_same_exec_off");
  if (op?.flags.logNewExecOn === "yes") flags.push("log_new_exec_on");
  if (op?.flags.logSubdomainsOff === "yes") flags.push("log_subdomains_off");
  if (opts.tsync ?? op?.flags.tsync === "yes") flags.push("tsync");
  if (op?.flags.noNewPrivs === "yes") flags.push("no_new_privs");
  return flags;
}

interface ScenarioThread {
  name: string;
  label: string;
  /** The spawn that starts it, when the evidence is a place in the code. */
  source?: SourceLocation;
}

/** Scenario thread names for the evidence: `t40` for a thread started at line 40. */
function threadNames(threads: ThreadEvidence[]): ScenarioThread[] {
  const out: ScenarioThread[] = [];
  const used = new Set<string>(["main"]);
  for (const t of threads) {
    const copies = t.count === "many" || t.kind === "runtime" || t.kind === "assumed" ? 2 : 1;
    for (let i = 0; i < copies && out.length < MAX_THREADS; i++) {
      let base = t.kind === "runtime" ? "rt" : t.kind === "assumed" ? "other" : t.range ? `t${t.range.start.line}` : "t";
      if (copies > 1) base += String.fromCharCode(97 + i);
      let name = base;
      for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
      used.add(name);
      const label =
        t.kind === "runtime"
          ? `${t.mechanism} thread`
          : t.kind === "assumed"
            ? "a thread the settings assume"
            : `${t.mechanism}${t.range ? ` at line ${t.range.start.line}` : ""}`;
      out.push({ name, label, ...sourceAt(t.file, t.range) });
    }
  }
  if (out.length === 0) out.push({ name: "t2", label: "another thread" });
  return out;
}

function spawnStep(thread: ScenarioThread): Step {
  return { op: "spawn_thread", thread: "main", new: thread.name, label: thread.label, ...(thread.source ? { source: thread.source } : {}) };
}

/** The ruleset the restriction enforces; `created` is where the code creates it, when known. */
function rulesetSteps(thread: string, scoped: Scope[], created: { source?: SourceLocation } = {}): Step[] {
  return [
    { op: "create_ruleset", thread, as: "rs", handledFs: ["read_file", "write_file"], ...(scoped.length ? { scoped } : {}), ...created },
    { op: "add_rule", thread, ruleset: "rs", type: "path_beneath", path: "/usr", access: ["read_file"] },
  ];
}

function base(name: string, description: string, abi: number, settings: Settings): Omit<Scenario, "steps"> {
  return { name, description, abi: abiOf(abi), errata: errataOf(settings), files: [SECRET, "/usr/share/doc/README"] };
}

export interface ScenarioInput {
  name: string;
  settings: Settings;
  op: IrOp;
  threads: ThreadEvidence[];
  /**
   * The file `op` is in (the finding's file): the steps taken from `op` and its ruleset are
   * placed there. Required because a line number alone could belong to any file of the
   * project; spawns name their own file (their evidence does).
   */
  file: string;
  /**
   * Where the domain was enforced when the finding is on a later call (a kill, a connect, a
   * setuid): that restrict call may be in another file, so it names its own.
   */
  enforcedAt?: Location;
}

/**
 * Where the code creates the ruleset `op` enforces, and where it makes the call itself. The
 * call is placed at its callee, where findings on it are placed too (`ruleset.restrict_self()`
 * starts at `ruleset`, the finding at `restrict_self`), so a viewer shows both at one column.
 */
function restrictSources(input: ScenarioInput, op: RestrictOp | undefined): { created: { source?: SourceLocation }; call: { source?: SourceLocation } } {
  // The front-ends link a ruleset fd to its creation within one function, so both are in `op`'s file.
  return { created: sourceAt(input.file, op?.rulesetRange), call: sourceAt(input.file, op?.calleeRange) };
}

export function singleThreadScenario(input: ScenarioInput, fallback = false): Scenario {
  const op = input.op.type === "restrict" ? input.op : undefined;
  const names = threadNames(input.threads);
  const at = restrictSources(input, op);
  const abi = fallback ? Math.min(input.settings.targetAbi, 7) : input.settings.targetAbi;
  return {
    ...base(
      input.name,
      fallback
        ? `The kernel lacks TSYNC (ABI ${abi}), so the code falls back to restricting only the calling thread while ${names.length} other thread(s) run.`
        : `${names.length} thread(s) exist when the main thread calls landlock_restrict_self without TSYNC.`,
      abi,
      input.settings,
    ),
    steps: [
      ...names.map(spawnStep),
      { op: "prctl_no_new_privs", thread: "main" },
      ...rulesetSteps("main", scopesOf(op?.ruleset), at.created),
      { op: "restrict_self", thread: "main", ruleset: "rs", flags: flagsOf(op, { tsync: false }).filter((f) => abi >= 7 || !f.startsWith("log_")), ...at.call },
      ...names.map((t): Step => ({ op: "open", thread: t.name, path: SECRET, access: "read" })),
      { op: "open", thread: "main", path: SECRET, access: "read" },
    ],
    highlights: [`${names.map((t) => t.name).join(", ")} can still read ${SECRET}`, "only main is in the new domain"],
  };
}

export function threadRoutineScenario(input: ScenarioInput): Scenario {
  const op = input.op.type === "restrict" ? input.op : undefined;
  const at = restrictSources(input, op);
  return {
    ...base(input.name, "A worker thread restricts itself: the main thread (and every other thread) keeps full access.", input.settings.targetAbi, input.settings),
    steps: [
      { op: "prctl_no_new_privs", thread: "main" },
      { op: "spawn_thread", thread: "main", new: "worker", label: "thread start routine" },
      ...rulesetSteps("worker", scopesOf(op?.ruleset), at.created),
      { op: "restrict_self", thread: "worker", ruleset: "rs", flags: [], ...at.call },
      { op: "open", thread: "worker", path: SECRET, access: "read" },
      { op: "open", thread: "main", path: SECRET, access: "read" },
    ],
    highlights: ["the worker is sandboxed", `main can still read ${SECRET}`],
  };
}

export function perThreadScopeScenario(input: ScenarioInput & { setuid: boolean; via: "libpsx" | "all_threads_syscall" | "syscall" }): Scenario {
  const restrictOp = input.op.type === "restrict" ? input.op : undefined;
  const scoped = scopesOf(restrictOp?.ruleset);
  const scopes: Scope[] = scoped.length > 0 ? scoped : ["signal"];
  const names = threadNames(input.threads).slice(0, 2);
  const via = input.via === "syscall" ? "libpsx" : input.via;
  const at = restrictOp ? restrictSources(input, restrictOp) : { created: {}, call: sourceAt(input.enforcedAt?.file, input.enforcedAt?.range) };
  const steps: Step[] = [
    // Set before the threads start, so every thread inherits it and can restrict itself.
    ...(input.setuid ? [] : [{ op: "prctl_no_new_privs", thread: "main" } as Step]),
    ...names.map(spawnStep),
    ...rulesetSteps("main", scopes, at.created),
    { op: "restrict_self", thread: "main", ruleset: "rs", via, ...at.call },
  ];
  if (input.setuid) steps.push({ op: "setuid", thread: "main", uid: 1000, via: "glibc", ...(input.op.type === "setuid" ? sourceAt(input.file, input.op.range) : {}) });
  else if (scopes.includes("signal")) steps.push({ op: "tgkill", thread: "main", target: names[0]!.name, signal: "SIGUSR1" });
  if (!input.setuid && scopes.includes("abstract_unix_socket")) {
    steps.push({ op: "bind_abstract", thread: "main", name: "control" }, { op: "connect_abstract", thread: names[0]!.name, name: "control" });
  }
  return {
    ...base(
      input.name,
      input.setuid
        ? "Each thread restricts itself (per-thread enforcement) with signal scoping, then the process calls setuid: glibc must signal every thread."
        : "Each thread restricts itself (per-thread enforcement): the threads end in distinct sibling domains, which scoping keeps apart.",
      Math.max(6, input.settings.targetAbi),
      input.settings,
    ),
    ...(input.setuid ? { initial: { uid: 0, capSysAdmin: true } } : {}),
    steps,
    highlights: input.setuid
      ? ["setuid returns 0", "some threads keep uid 0"]
      : ["the broadcast's own signals are subject to the scope", "signals between the threads are denied (unless the kernel has erratum 2)"],
  };
}

export function scopeSignalScenario(input: ScenarioInput & { target: string; setown: boolean }): Scenario {
  const call = input.op.type === "signal" || input.op.type === "setown" ? sourceAt(input.file, input.op.range) : {};
  const steps: Step[] = [
    { op: "fork", thread: "main", child: "sandboxed", label: "this program" },
    { op: "prctl_no_new_privs", thread: "sandboxed" },
    ...rulesetSteps("sandboxed", ["signal"]),
    { op: "restrict_self", thread: "sandboxed", ruleset: "rs", ...sourceAt(input.enforcedAt?.file, input.enforcedAt?.range) },
  ];
  if (input.setown) steps.push({ op: "fcntl_setown", thread: "sandboxed", fd: "sock", owner: "outside", ...call }, { op: "sigio", fd: "sock" });
  else steps.push({ op: "kill", thread: "sandboxed", target: "outside", signal: "SIGUSR1", ...call });
  return {
    ...base(
      input.name,
      input.setown
        ? "F_SETOWN made after enforcement with LANDLOCK_SCOPE_SIGNAL: SIGIO to the owner outside the domain is silently dropped."
        : `A signal to ${input.target} after enforcement with LANDLOCK_SCOPE_SIGNAL: the target is outside the domain.`,
      Math.max(6, input.settings.targetAbi),
      input.settings,
    ),
    process: "outside",
    steps,
    highlights: [input.setown ? "SIGIO dropped" : "kill fails with EPERM"],
  };
}

export function abstractUnixScenario(input: ScenarioInput & { socket?: string }): Scenario {
  const name = (input.socket ?? "service").replace(/^[@\0]/, "") || "service";
  const connect = input.op.type === "abstract-connect" ? sourceAt(input.file, input.op.range) : {};
  return {
    ...base(input.name, "Connecting to an abstract unix socket bound outside the domain after enforcement with LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET.", Math.max(6, input.settings.targetAbi), input.settings),
    process: "service",
    steps: [
      { op: "bind_abstract", thread: "main", name },
      { op: "fork", thread: "main", child: "sandboxed", label: "this program" },
      { op: "prctl_no_new_privs", thread: "sandboxed" },
      ...rulesetSteps("sandboxed", ["abstract_unix_socket"]),
      { op: "restrict_self", thread: "sandboxed", ruleset: "rs", ...sourceAt(input.enforcedAt?.file, input.enforcedAt?.range) },
      { op: "connect_abstract", thread: "sandboxed", name, ...connect },
    ],
    highlights: ["connect fails with EPERM"],
  };
}

/** restrict_self fails (no no_new_privs, no CAP_SYS_ADMIN) and the program carries on unsandboxed. */
export function restrictFailsScenario(input: ScenarioInput, why: string): Scenario {
  const op = input.op.type === "restrict" ? input.op : undefined;
  const at = restrictSources(input, op);
  return {
    ...base(input.name, why, input.settings.targetAbi, input.settings),
    initial: { uid: 1000, capSysAdmin: false, noNewPrivs: false },
    steps: [
      ...rulesetSteps("main", [], at.created),
      { op: "restrict_self", thread: "main", ruleset: "rs", flags: flagsOf(op).filter((f) => f !== "no_new_privs" && f !== "tsync"), ...at.call },
      { op: "open", thread: "main", path: SECRET, access: "read" },
    ],
    highlights: ["restrict_self fails with EPERM", `the program can still read ${SECRET}`],
  };
}

const FS_RIGHTS: Record<string, FsAccess> = {
  REFER: "refer",
  TRUNCATE: "truncate",
  IOCTL_DEV: "ioctl_dev",
  RESOLVE_UNIX: "resolve_unix",
};

export function abiCompatScenario(input: ScenarioInput & { feature: "tsync" | "log" | "nnp-flag" | "ruleset" }): Scenario {
  const abi = input.settings.targetAbi;
  const steps: Step[] = [{ op: "prctl_no_new_privs", thread: "main" }];
  if (input.feature === "ruleset" && input.op.type === "create-ruleset") {
    const ruleset = input.op.ruleset;
    const scoped = scopesOf(ruleset);
    const extraFs = ruleset.neededFor.flatMap((n) => {
      const k = Object.keys(FS_RIGHTS).find((r) => n.toUpperCase().endsWith(r));
      return k ? [FS_RIGHTS[k]!] : [];
    });
    steps.push({ op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file", ...extraFs], ...(scoped.length ? { scoped } : {}), ...sourceAt(input.file, input.op.range) });
  } else {
    const at = restrictSources(input, input.op.type === "restrict" ? input.op : undefined);
    steps.push(...rulesetSteps("main", [], at.created));
    const flags: RestrictFlag[] =
      input.feature === "tsync" ? ["tsync"] : input.feature === "nnp-flag" ? ["no_new_privs"] : flagsOf(input.op.type === "restrict" ? input.op : undefined, { tsync: false });
    steps.push({ op: "restrict_self", thread: "main", ruleset: "rs", flags, ...at.call });
  }
  steps.push({ op: "open", thread: "main", path: SECRET, access: "read" });
  return {
    ...base(input.name, `The program runs on a kernel with Landlock ABI ${abi} (the target ABI), which lacks what the code asks for.`, abi, input.settings),
    steps,
    highlights: ["the call fails with EINVAL", "nothing is sandboxed"],
  };
}

export function nestingScenario(input: ScenarioInput): Scenario {
  const at = restrictSources(input, input.op.type === "restrict" ? input.op : undefined);
  const steps: Step[] = [{ op: "prctl_no_new_privs", thread: "main" }, ...rulesetSteps("main", [], at.created)];
  // One call in the code, reached 17 times (a loop or repeated calls of its function).
  for (let i = 0; i < 17; i++) steps.push({ op: "restrict_self", thread: "main", ruleset: "rs", ...at.call });
  return {
    ...base(input.name, "The same restriction runs 17 times on one thread: Landlock stacks at most 16 layers.", input.settings.targetAbi, input.settings),
    steps,
    highlights: ["the 17th restrict_self fails with E2BIG"],
  };
}
