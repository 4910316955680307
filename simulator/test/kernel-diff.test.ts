// The model against the real kernel: every built-in scenario the running kernel can
// show, then random scenarios, each compiled to a C program, run here, and compared
// step by step (and final thread state) with runScenario on the kernel's ABI and errata.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Erratum, FsAccess, InitialState, NetAccess, RestrictFlag, Scenario, Scope, Step } from "../src/scenario.js";
import { BUILTIN_SCENARIOS } from "../src/builtins/index.js";
import { runScenario } from "../src/runner.js";
import { validateScenario } from "../src/validate.js";
import { kernelInfo, runScenarioOnKernel, runScenariosOnKernel, type KernelInfo } from "../src/kernel/run.js";
import { compareWithKernel, formatMismatches, type Simulate } from "../src/kernel/compare.js";
import { kernelCanShow } from "../src/kernel/applicability.js";
import type { KernelRun } from "../src/kernel/output.js";

const info = kernelInfo();
const unavailable = info.available ? undefined : `real-kernel checks unavailable: ${info.reason}`;

test("every built-in scenario the running kernel can show agrees with the model", async (t) => {
  if (unavailable) return t.skip(unavailable);
  const all = Object.values(BUILTIN_SCENARIOS);
  const runnable: Scenario[] = [];
  for (const s of all) {
    const a = kernelCanShow(s, info);
    if (a.runnable) runnable.push(s);
    else t.diagnostic(`skipped ${s.name}: ${a.reason}`);
  }
  const started = Date.now();
  const runs = await runScenariosOnKernel(runnable);
  const mismatches: string[] = [];
  runs.forEach((run, i) => {
    const c = compareWithKernel(runnable[i]!, run);
    mismatches.push(...formatMismatches(c));
    t.diagnostic(`compared ${c.scenario}: ${c.comparedSteps} steps on ABI ${c.abi}, errata [${c.errata.join(",")}], ${c.mismatches.length} mismatches${c.notes.length ? ` (${c.notes.join("; ")})` : ""}`);
  });
  t.diagnostic(`${runnable.length} of ${all.length} built-ins compared in ${Date.now() - started} ms`);
  assert.deepEqual(mismatches, []);
  if ((info.abi ?? 0) >= 6) assert.ok(runnable.length >= 10, `only ${runnable.length} built-ins could be compared on ABI ${info.abi}`);

  // The kernel itself, not only the agreement: TSYNC is unknown below ABI 8.
  const old = runnable.findIndex((s) => s.name === "tsync-on-old-abi");
  if (old >= 0 && (info.abi ?? 0) < 8) {
    const step = BUILTIN_SCENARIOS["tsync-on-old-abi"]!.steps.findIndex((s) => s.op === "restrict_self");
    assert.equal(runs[old]!.steps.find((s) => s.index === step)?.result, "EINVAL");
  }
});

test("the comparison catches a model that assumes the wrong errata", async (t) => {
  if (unavailable) return t.skip(unavailable);
  if ((info.abi ?? 0) < 6) return t.skip(`signal scoping needs ABI 6; this kernel has ABI ${info.abi}`);
  const scenario = BUILTIN_SCENARIOS["psx-signal-scope"]!;
  const run = await runScenarioOnKernel(scenario);
  const flipped = (errata: Erratum[]): Erratum[] => (errata.includes(2) ? errata.filter((e) => e !== 2) : [...errata, 2]);
  const honest = compareWithKernel(scenario, run);
  const wrong = compareWithKernel(scenario, run, (s, o) => runScenario(s, { ...o, errata: flipped(o.errata) }));
  assert.deepEqual(honest.mismatches, []);
  const tgkill = scenario.steps.findIndex((s) => s.op === "tgkill");
  assert.ok(
    wrong.mismatches.some((m) => m.step === tgkill && m.op === "tgkill"),
    `expected the cross-thread tgkill to disagree, got ${JSON.stringify(formatMismatches(wrong))}`,
  );
});

// ---- random scenarios ----

/** What the generator may use on a kernel with this ABI (nothing it would refuse). */
function features(abi: number) {
  const fs: FsAccess[] = ["read_file", "write_file", "read_dir", "execute", ...(abi >= 3 ? (["truncate"] as FsAccess[]) : [])];
  return {
    fs,
    scopes: (abi >= 6 ? ["signal", "abstract_unix_socket"] : []) as Scope[],
    net: (abi >= 4 ? ["bind_tcp", "connect_tcp"] : []) as NetAccess[],
    logFlags: (abi >= 7 ? ["log_same_exec_off", "log_new_exec_on", "log_subdomains_off"] : []) as RestrictFlag[],
  };
}

const FILES = ["/etc/shadow", "/usr/lib/libc.so", "/tmp/out.log"];
const RULE_PATHS = ["/usr", "/tmp", "/etc", "/"];
const PORTS = [80, 443, 8080];

// Relative frequencies: enforcement and what can be denied after it dominate.
const COMMAND_WEIGHTS = {
  enforce: 5, sigioProbe: 3, socketProbe: 3, spawn: 4, fork: 3, exit: 1, nnp: 3, dropcap: 1, create: 4, rule: 4,
  netrule: 1, restrict: 6, open: 5, kill: 4, tgkill: 3, setown: 3, sigio: 3, bind: 3, connect: 4, setuid: 1,
  query: 1, exec: 1, tcp: 1,
} as const;
type CommandKind = keyof typeof COMMAND_WEIGHTS;

/** An abstract command: small numbers that pick threads, names and options at realization. */
interface Command { kind: CommandKind; a: number; b: number; c: number; d: number }
interface ScenarioInput { initial: InitialState; topology: { fork: boolean; a: number }[]; commands: Command[] }

const commandArb: fc.Arbitrary<Command> = fc.record({
  kind: fc.oneof(...Object.entries(COMMAND_WEIGHTS).map(([k, weight]) => ({ arbitrary: fc.constant(k as CommandKind), weight }))),
  a: fc.nat(50),
  b: fc.nat(50),
  c: fc.nat(1023),
  d: fc.nat(50),
});

const scenarioInputArb: fc.Arbitrary<ScenarioInput> = fc.record({
  initial: fc
    .record({ uid: fc.constantFrom(0, 0, 1000), capSysAdmin: fc.boolean(), noNewPrivs: fc.boolean() })
    .map((i) => (i.uid !== 0 ? { ...i, capSysAdmin: false } : i)),
  topology: fc.array(fc.record({ fork: fc.boolean(), a: fc.nat(50) }), { maxLength: 4 }),
  commands: fc.array(commandArb, { minLength: 4, maxLength: 30 }),
});

const pick = <T>(items: readonly T[], n: number): T => items[n % items.length]!;
const subset = <T>(items: readonly T[], mask: number): T[] => items.filter((_, i) => (mask >> i) & 1);

/**
 * Turns abstract commands into a valid scenario, keeping track of live threads, processes
 * and names so every step refers to something that exists. No shape is left out for the
 * model's sake: a mismatch anywhere is a bug to fix in the model.
 */
function realize(input: ScenarioInput, k: KernelInfo): Scenario {
  const f = features(k.abi ?? 1);
  const procs: { name: string; threads: string[] }[] = [{ name: "p1", threads: ["main"] }];
  const everyThread = ["main"];
  const procOf = new Map<string, number>([["main", 0]]);
  let nextThread = 1;
  let nextChild = 1;
  const rulesets: string[] = [];
  const handledFs = new Map<string, FsAccess[]>();
  const failedRulesets = new Set<string>();
  const ownedFds: string[] = [];
  const steps: Step[] = [];
  const alive = () => procs.flatMap((p) => p.threads);
  const threadAt = (n: number) => pick(alive(), n);
  const ruleset = (n: number) => (rulesets.length ? pick(rulesets, n) : undefined);
  // Signals and SIGIO mostly aim at another process: that is where scoping bites.
  const otherProcess = (self: number, n: number) => {
    const others = procs.filter((_, i) => i !== self);
    return others.length && n % 4 !== 0 ? pick(others, n >> 2).name : pick(procs, n).name;
  };
  const newThread = (process: number) => {
    const name = `t${nextThread++}`;
    everyThread.push(name);
    procs[process]!.threads.push(name);
    procOf.set(name, process);
    return name;
  };
  const start: Command[] = input.topology.map((x) => ({ kind: x.fork ? "fork" : "spawn", a: x.a, b: 0, c: 0, d: 0 }));

  for (const cmd of [...start, ...input.commands]) {
    const t = threadAt(cmd.a);
    const p = procOf.get(t)!;
    const proc = procs[p]!;
    switch (cmd.kind) {
      case "spawn":
        if (everyThread.length < 7) steps.push({ op: "spawn_thread", thread: t, new: newThread(p) });
        break;
      case "fork":
        if (procs.length < 3) {
          const name = `c${nextChild++}`;
          everyThread.push(name);
          procOf.set(name, procs.length);
          procs.push({ name, threads: [name] });
          steps.push({ op: "fork", thread: t, child: name });
        }
        break;
      case "exit":
        if (proc.threads.length < 2) break;
        proc.threads = proc.threads.filter((x) => x !== t);
        steps.push({ op: "exit_thread", thread: t });
        break;
      case "nnp":
        if (cmd.b % 4 !== 0) steps.push({ op: "prctl_no_new_privs", thread: t });
        break;
      case "dropcap":
        if (cmd.b % 3 === 0) steps.push({ op: "drop_cap_sys_admin", thread: t });
        break;
      case "enforce": {
        // The usual sequence in one thread: no_new_privs (mostly), a ruleset handling
        // reads and writes with a scope or two, some rules, restrict (plain or per-thread).
        const name = `rs${cmd.b % 2}`;
        if (!rulesets.includes(name)) rulesets.push(name);
        if (cmd.c % 8 !== 0) steps.push({ op: "prctl_no_new_privs", thread: t });
        const fs = subset(f.fs, (cmd.c & 7) | 1 | (cmd.d % 2 ? 2 : 0));
        handledFs.set(name, fs);
        failedRulesets.delete(name);
        const scoped = subset(f.scopes, ((cmd.c >> 3) & 3) | (cmd.d % 4 ? 1 : 0));
        steps.push({ op: "create_ruleset", thread: t, as: name, handledFs: fs, ...(scoped.length ? { scoped } : {}) });
        for (let i = 0; i < (cmd.d >> 1) % 3; i++) {
          const access = subset(fs, (((cmd.c >> 5) + i) % 7) + 1);
          steps.push({ op: "add_rule", thread: t, ruleset: name, type: "path_beneath", path: pick(RULE_PATHS, (cmd.d >> 2) + i), access: access.length ? access : [fs[0]!] });
        }
        const via = pick(["syscall", "syscall", "libpsx", "all_threads_syscall"] as const, cmd.c >> 7);
        steps.push({ op: "restrict_self", thread: t, ruleset: name, ...(via !== "syscall" ? { via } : {}) });
        break;
      }
      case "sigioProbe": {
        const fd = `io${cmd.b % 2}`;
        if (!ownedFds.includes(fd)) ownedFds.push(fd);
        steps.push({ op: "fcntl_setown", thread: t, fd, owner: otherProcess(p, cmd.d) });
        steps.push({ op: "sigio", fd });
        break;
      }
      case "socketProbe": {
        const name = `sp${steps.length}`;
        steps.push({ op: "bind_abstract", thread: t, name });
        steps.push({ op: "connect_abstract", thread: threadAt(cmd.d), name });
        break;
      }
      case "create": {
        const name = `rs${cmd.b % 2}`;
        if (!rulesets.includes(name)) rulesets.push(name);
        // Now and then a ruleset that handles nothing: ENOMSG leaves its name holding -1.
        const handlesNothing = cmd.c % 11 === 0;
        const fs = subset(f.fs, cmd.c % 17 === 0 || handlesNothing ? 0 : (cmd.c & 31) | (cmd.d % 2 ? 1 : 2));
        const scoped = handlesNothing ? [] : subset(f.scopes, (cmd.c >> 5) & 3);
        const net = !handlesNothing && ((cmd.c >> 7) & 3) === 3 ? subset(f.net, (cmd.d % 3) + 1) : [];
        handledFs.set(name, fs);
        if (fs.length + scoped.length + net.length === 0) failedRulesets.add(name);
        else failedRulesets.delete(name);
        steps.push({
          op: "create_ruleset", thread: t, as: name,
          ...(fs.length ? { handledFs: fs } : {}), ...(scoped.length ? { scoped } : {}), ...(net.length ? { handledNet: net } : {}),
        });
        break;
      }
      case "rule": {
        const name = ruleset(cmd.b);
        if (!name) break;
        // Mostly rights the ruleset handles; now and then any right (EINVAL when unhandled).
        const handled = handledFs.get(name) ?? [];
        const pool = cmd.c % 9 === 0 || handled.length === 0 ? f.fs : handled;
        const access = subset(pool, (cmd.c >> 2) & 31);
        // A third of these rules name a regular file, where directory-only rights are EINVAL.
        const path = cmd.d % 3 === 0 ? pick(FILES, cmd.d >> 2) : pick(RULE_PATHS, cmd.d);
        steps.push({ op: "add_rule", thread: t, ruleset: name, type: "path_beneath", path, access: access.length ? access : [pool[0]!] });
        break;
      }
      case "netrule": {
        const name = ruleset(cmd.b);
        if (!name || f.net.length === 0) break;
        steps.push({ op: "add_rule", thread: t, ruleset: name, type: "net_port", port: pick(PORTS, cmd.d), access: subset(f.net, (cmd.c % 3) + 1) });
        break;
      }
      case "restrict": {
        const minusOne = cmd.d % 13 === 0;
        const name = ruleset(cmd.b);
        if (!name && !minusOne) break;
        const flags = subset(f.logFlags, (cmd.c >> 3) % 8 === 0 ? cmd.c & 7 : 0);
        const via = pick(["syscall", "syscall", "libpsx", "all_threads_syscall"] as const, cmd.b >> 1);
        if (cmd.c % 29 === 0 && via === "syscall") flags.push("tsync");
        if (minusOne && cmd.c % 2 && f.logFlags.length) flags.splice(0, flags.length, "log_subdomains_off");
        // A name left holding -1 by a failed create_ruleset is the fd -1 to the kernel.
        if (!minusOne && failedRulesets.has(name!) && cmd.c % 2 && f.logFlags.length) flags.splice(0, flags.length, "log_subdomains_off");
        const others = alive().filter((x) => x !== t);
        const concurrent = cmd.d % 11 === 1 && everyThread.length < 7 && others.length > 0;
        let spawnDuring: Step | undefined;
        if (concurrent) {
          const actor = pick(others, cmd.c);
          spawnDuring = { op: "spawn_thread", thread: actor, new: newThread(procOf.get(actor)!) };
        }
        steps.push({
          op: "restrict_self", thread: t, ruleset: minusOne ? -1 : name!,
          ...(flags.length ? { flags } : {}), ...(via !== "syscall" ? { via } : {}),
          ...(spawnDuring && spawnDuring.op === "spawn_thread" ? { concurrent: [{ op: "spawn_thread", thread: spawnDuring.thread, new: spawnDuring.new }] } : {}),
        });
        break;
      }
      case "open":
        steps.push({ op: "open", thread: t, path: pick(FILES, cmd.b), access: cmd.c % 2 ? "write" : "read" });
        break;
      case "kill":
        steps.push({ op: "kill", thread: t, target: otherProcess(p, cmd.b) });
        break;
      case "tgkill":
        steps.push({ op: "tgkill", thread: t, target: pick(everyThread, cmd.b) });
        break;
      case "setown": {
        const fd = `io${cmd.b % 2}`;
        if (!ownedFds.includes(fd)) ownedFds.push(fd);
        steps.push({ op: "fcntl_setown", thread: t, fd, owner: pick(procs, cmd.d).name });
        break;
      }
      case "sigio":
        if (ownedFds.length) steps.push({ op: "sigio", fd: pick(ownedFds, cmd.b) });
        break;
      case "bind":
        steps.push({ op: "bind_abstract", thread: t, name: `s${cmd.b % 2}` });
        break;
      case "connect":
        steps.push({ op: "connect_abstract", thread: t, name: `s${cmd.b % 2}` });
        break;
      case "setuid":
        if (cmd.d % 2 === 0) {
          steps.push({ op: "setuid", thread: t, uid: pick([1000, 0], cmd.b), ...(cmd.c % 2 ? { via: "raw" as const } : {}) });
        }
        break;
      case "query":
        steps.push({ op: cmd.b % 2 ? "get_abi" : "get_errata", thread: t });
        break;
      case "exec":
        if (cmd.d % 3 === 0) {
          proc.threads = [t];
          steps.push({ op: "exec", thread: t });
        }
        break;
      case "tcp":
        if (f.net.length) steps.push({ op: cmd.b % 2 ? "connect_tcp" : "bind_tcp", thread: t, port: pick(PORTS, cmd.d) });
        break;
    }
  }
  return { name: "random", initial: input.initial, files: FILES, steps };
}

const seedFromEnv = Number(process.env.LANDLOCK_KERNEL_SEED);
const SEED = Number.isInteger(seedFromEnv) ? seedFromEnv : Date.now() % 2_147_483_647;
const runsFromEnv = Number(process.env.LANDLOCK_KERNEL_RUNS);
const NUM_RUNS = Number.isInteger(runsFromEnv) && runsFromEnv > 0 ? runsFromEnv : 500;

interface DifferentialOutcome {
  details: fc.RunDetails<[ScenarioInput]>;
  scenarios: Scenario[];
  batch: KernelRun[];
  /** Scenarios run one by one, outside the batch (shrinking candidates). */
  fresh: number;
}

/**
 * Runs `numRuns` random scenarios on the kernel and checks them against `simulate` with
 * fast-check (shrinking on). The generated scenarios all run up front in two batched
 * programs; the property finds their runs by content, and only shrinking candidates are
 * compiled one by one. The time limit bounds shrinking.
 */
async function randomDifferential(seed: number, numRuns: number, simulate?: Simulate, timeLimitMs = 45_000): Promise<DifferentialOutcome> {
  const scenarios = fc.sample(scenarioInputArb, { seed, numRuns }).map((i) => realize(i, info));
  for (const s of scenarios) {
    const v = validateScenario(s);
    assert.ok(v.ok, `the generator made an invalid scenario: ${JSON.stringify(v.ok ? [] : v.errors)}\n${JSON.stringify(s)}`);
  }
  const batch = await runScenariosOnKernel(scenarios, { parallel: 2 });
  const known = new Map<string, KernelRun>(scenarios.map((s, i) => [JSON.stringify(s), batch[i]!]));
  let fresh = 0;
  const details = await fc.check(
    fc.asyncProperty(scenarioInputArb, async (input) => {
      const scenario = realize(input, info);
      let run = known.get(JSON.stringify(scenario));
      if (!run) {
        fresh++;
        run = await runScenarioOnKernel(scenario);
      }
      const lines = formatMismatches(compareWithKernel(scenario, run, simulate));
      if (lines.length) throw new Error(`${lines.join("\n")}\nscenario: ${JSON.stringify(scenario)}`);
    }),
    { seed, numRuns, interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: true },
  );
  return { details, scenarios, batch, fresh };
}

test("random scenarios agree with the model on the real kernel", async (t) => {
  if (unavailable) return t.skip(unavailable);
  t.diagnostic(`fast-check seed ${SEED}, ${NUM_RUNS} scenarios (replay with LANDLOCK_KERNEL_SEED=${SEED}; LANDLOCK_KERNEL_RUNS sets the count)`);
  const started = Date.now();
  const { details, scenarios, batch, fresh } = await randomDifferential(SEED, NUM_RUNS);
  const outcomes = new Map<string, number>();
  for (const run of batch) for (const s of run.steps) outcomes.set(`${s.op} ${s.result}`, (outcomes.get(`${s.op} ${s.result}`) ?? 0) + 1);
  t.diagnostic(`${scenarios.length} scenarios, ${scenarios.reduce((n, s) => n + s.steps.length, 0)} steps, ${fresh} run outside the batch, ${Date.now() - started} ms`);
  t.diagnostic(`outcomes: ${[...outcomes].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k} ${n}`).join(", ")}`);
  if (details.failed) assert.fail(fc.defaultReportMessage(details) ?? "the property failed");
  assert.equal(details.numRuns, NUM_RUNS, "every generated scenario was checked");
});

test("a model with a wrong erratum is caught on random scenarios and the counterexample shrinks", async (t) => {
  if (unavailable) return t.skip(unavailable);
  if ((info.abi ?? 0) < 6) return t.skip(`erratum 2 concerns signal scoping, which needs ABI 6; this kernel has ABI ${info.abi}`);
  const seed = SEED ^ 0x5eed;
  const wrongErrata: Simulate = (s, o) => runScenario(s, { ...o, errata: o.errata.includes(2) ? o.errata.filter((e) => e !== 2) : [...o.errata, 2] });
  const { details, fresh } = await randomDifferential(seed, 100, wrongErrata, 12_000);
  assert.ok(details.failed, `100 random scenarios (seed ${seed}) never noticed the wrong erratum`);
  const shrunk = realize(details.counterexample![0], info);
  t.diagnostic(`caught after ${details.numRuns} runs; ${details.numShrinks} shrink steps (${fresh} candidates run one by one); counterexample has ${shrunk.steps.length} steps`);
  assert.ok(details.numShrinks > 0, "the counterexample was shrunk");
  const rerun = await runScenarioOnKernel(shrunk);
  assert.ok(compareWithKernel(shrunk, rerun, wrongErrata).mismatches.length > 0, "the shrunk scenario still exposes the wrong model");
  assert.deepEqual(compareWithKernel(shrunk, rerun).mismatches, [], "and the honest model agrees with it");
});
