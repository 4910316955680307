// The pieces of the real-kernel checks that need no kernel: turning scenarios into
// tables, C string literals, parsing program output, and the comparison itself.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Scenario } from "../src/scenario.js";
import { runScenario } from "../src/runner.js";
import { lowerScenario, ScenarioLoweringError, KERNEL_THREAD, RULESET_MINUS_ONE } from "../src/kernel/lower.js";
import { cString, scenariosToC } from "../src/kernel/c-program.js";
import { KernelOutputError, parseKernelOutput, type KernelRun } from "../src/kernel/output.js";
import { compareWithKernel, formatMismatches } from "../src/kernel/compare.js";
import { kernelCanShow } from "../src/kernel/applicability.js";

const scenario = (steps: Scenario["steps"], extra: Partial<Scenario> = {}): Scenario => ({ name: "unit", steps, ...extra });

test("lowering resolves threads, forked processes (child thread named like the process) and named fds", () => {
  const l = lowerScenario(
    scenario([
      { op: "spawn_thread", thread: "main", new: "w1" },
      { op: "fork", thread: "w1", child: "helper" },
      { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"] },
      { op: "open", thread: "helper", path: "/etc/shadow", access: "read", as: "f" },
      { op: "restrict_self", thread: "helper", ruleset: "f" },
      { op: "restrict_self", thread: "main", ruleset: -1, flags: ["log_subdomains_off"] },
      { op: "kill", thread: "helper", target: "p1" },
      { op: "tgkill", thread: "main", target: "helper" },
      { op: "sigio", fd: "sock" },
    ]),
  );
  assert.deepEqual(l.threads, [
    { name: "main", process: 0 },
    { name: "w1", process: 0 },
    { name: "helper", process: 1 },
  ]);
  assert.deepEqual(l.processes, [
    { name: "p1", mainThread: 0 },
    { name: "helper", mainThread: 2 },
  ]);
  assert.deepEqual(l.namedFds, ["rs", "f"]);
  assert.equal(l.steps[4]!.object, 1, "restrict_self names the file fd");
  assert.equal(l.steps[5]!.object, RULESET_MINUS_ONE);
  assert.equal(l.steps[5]!.a, "0x4ULL", "LOG_SUBDOMAINS_OFF is 1 << 2");
  assert.equal(l.steps[6]!.target, 0, "kill aims at process p1");
  assert.equal(l.steps[7]!.target, 2, "tgkill aims at thread helper");
  assert.equal(l.steps[8]!.thread, KERNEL_THREAD);
});

test("lowering builds the file tree: ancestors are directories, opened or listed paths are files, rule-only paths directories", () => {
  const l = lowerScenario(
    scenario(
      [
        { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"] },
        { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/usr/", access: ["read_file"] },
        { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/var/lib/../lib/daemon", access: ["read_file"] },
        { op: "open", thread: "main", path: "/etc/shadow", access: "read" },
      ],
      { files: ["/usr/share/zoneinfo/UTC"] },
    ),
  );
  assert.deepEqual(l.paths, [
    { path: "/etc", isDir: true },
    { path: "/usr", isDir: true },
    { path: "/var", isDir: true },
    { path: "/etc/shadow", isDir: false },
    { path: "/usr/share", isDir: true },
    { path: "/var/lib", isDir: true },
    { path: "/usr/share/zoneinfo", isDir: true },
    { path: "/var/lib/daemon", isDir: true },
    { path: "/usr/share/zoneinfo/UTC", isDir: false },
  ]);
  const byPath = (p: string) => l.paths.findIndex((x) => x.path === p);
  assert.equal(l.steps[1]!.target, byPath("/usr"));
  assert.equal(l.steps[2]!.target, byPath("/var/lib/daemon"));
  assert.equal(l.steps[3]!.target, byPath("/etc/shadow"));
});

test("lowering expands a restrict_self's concurrent operations into entries that follow it", () => {
  const l = lowerScenario(
    scenario([
      { op: "spawn_thread", thread: "main", new: "w1" },
      {
        op: "restrict_self", thread: "main", ruleset: -1, flags: ["log_subdomains_off"],
        concurrent: [{ op: "spawn_thread", thread: "w1", new: "w2" }, { op: "exit_thread", thread: "w1" }],
      },
      { op: "open", thread: "w2", path: "/x", access: "read" },
    ]),
  );
  assert.deepEqual(
    l.steps.map((s) => [s.index, s.part, s.opName, l.threads[s.thread]?.name]),
    [[0, 0, "spawn_thread", "main"], [1, 0, "restrict_self", "main"], [1, 1, "spawn_thread", "w1"], [1, 2, "exit_thread", "w1"], [2, 0, "open", "w2"]],
  );
  assert.equal(l.threads[l.steps[2]!.target]!.name, "w2");
  assert.equal(l.threads.find((t) => t.name === "w2")!.process, 0);
});

test("lowering defaults: uid 0 as the model assumes; SIGKILL and SIGSTOP are sent as SIGUSR2 with a note", () => {
  const l = lowerScenario(scenario([{ op: "kill", thread: "main", target: "p1", signal: "SIGKILL" }, { op: "tgkill", thread: "main", target: "main", signal: "hup" }]));
  assert.deepEqual(l.initial, { uid: 0, capSysAdmin: false, noNewPrivs: false });
  assert.equal(l.steps[0]!.sig, 12);
  assert.match(l.steps[0]!.note ?? "", /SIGKILL sent as SIGUSR2/);
  assert.equal(l.steps[1]!.sig, 1);
  assert.equal(l.steps[1]!.note, undefined);
});

test("lowering rejects what it cannot run with the scenario name, JSON path and problem", () => {
  const cases: [Scenario["steps"], string, RegExp][] = [
    [[{ op: "open", thread: "ghost", path: "/x", access: "read" }], "steps[0].thread", /unknown thread "ghost"/],
    [[{ op: "spawn_thread", thread: "main", new: "main" }], "steps[0].new", /created twice/],
    [[{ op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_everything" as never] }], "steps[0].handledFs", /"read_everything" is not a known filesystem right/],
    [[{ op: "restrict_self", thread: "main", ruleset: "rs", flags: ["fast" as never] }], "steps[0].flags", /restrict_self flag/],
    [[{ op: "kill", thread: "main", target: "p1", signal: "SIGNOPE" }], "steps[0].signal", /unknown signal/],
    [[{ op: "bind_tcp", thread: "main", port: 70000 }], "steps[0].port", /not in 0..65535/],
    [[{ op: "open", thread: "main", path: "a\0b", access: "read" }], "steps[0].path", /not a usable path/],
  ];
  for (const [steps, path, problem] of cases) {
    assert.throws(
      () => lowerScenario(scenario(steps)),
      (e: unknown) => e instanceof ScenarioLoweringError && e.path === path && problem.test(e.message) && e.message.includes('scenario "unit"'),
      `${path}`,
    );
  }
});

test("C string literals escape quotes, backslashes, question marks and non-ASCII bytes", () => {
  assert.equal(cString('say "hi"\\'), '"say \\"hi\\"\\\\"');
  assert.equal(cString("??="), '"\\077\\077="');
  assert.equal(cString("é\n"), '"\\303\\251\\012"');
});

test("a generated program embeds one table per scenario and sizes its arrays for the largest", () => {
  const small = scenario([{ op: "get_abi", thread: "main" }]);
  const big = scenario([{ op: "spawn_thread", thread: "main", new: "w1" }, { op: "spawn_thread", thread: "w1", new: "w2" }, { op: "get_abi", thread: "w2" }], { name: "big */ x" });
  const c = scenariosToC([small, big]);
  assert.match(c, /#define MAX_STEPS 3\n/);
  assert.match(c, /#define MAX_THREADS 3\n/);
  assert.match(c, /static const struct step steps_0\[\]/);
  assert.match(c, /static const struct step steps_1\[\]/);
  assert.match(c, /\/\* scenario 1: big \* \/ x \*\//, "a name cannot close a C comment");
});

const OUTPUT = [
  "BEGIN 0 psx%20demo",
  "INIT uid=1000 capSysAdmin=0 nnp=1 abi=7 errata=7 netns=1 setup=ok",
  "STEP 0 main get_abi ok value=7",
  "STEP 1 main restrict_self EPERM detail=w1:ok,w2:EPERM",
  "CONCURRENT 1 1 w1 spawn_thread ok",
  "STEP 2 kernel sigio dropped",
  "THREAD main process=p1 alive=1 uid=1000 nnp=1 capSysAdmin=0",
  "THREAD w1 process=p1 alive=0",
  "END 0 ok",
  "BEGIN 1 second",
  "INIT uid=0 capSysAdmin=1 nnp=0 abi=7 errata=0 netns=0 setup=ok",
  "STEP 0 main open",
].join("\n");

test("program output parses into runs; a run cut short carries an error", () => {
  const [first, second] = parseKernelOutput(OUTPUT);
  assert.equal(first!.scenario, "psx demo");
  assert.deepEqual(first!.initial, { uid: 1000, capSysAdmin: false, noNewPrivs: true, abi: 7, errata: [1, 2, 3], isolatedNetwork: true, setup: "ok" });
  assert.deepEqual(first!.steps, [
    { index: 0, part: 0, thread: "main", op: "get_abi", result: "ok", value: 7 },
    { index: 1, part: 0, thread: "main", op: "restrict_self", result: "EPERM", detail: "w1:ok,w2:EPERM" },
    { index: 1, part: 1, thread: "w1", op: "spawn_thread", result: "ok" },
    { index: 2, part: 0, thread: "kernel", op: "sigio", result: "dropped" },
  ]);
  assert.deepEqual(first!.threads, [
    { thread: "main", process: "p1", alive: true, uid: 1000, noNewPrivs: true, capSysAdmin: false },
    { thread: "w1", process: "p1", alive: false },
  ]);
  assert.equal(first!.error, undefined);
  assert.deepEqual(second!.initial?.errata, []);
  assert.deepEqual(second!.steps, [], "the cut last line is dropped");
  assert.match(second!.error ?? "", /ended before END .*last line cut: "STEP 0 main open"/);
});

test("malformed program output is reported with its line number", () => {
  assert.throws(() => parseKernelOutput("BEGIN 0 x\nSTEP 0 main open\nEND 0 ok\n"), (e: unknown) => e instanceof KernelOutputError && e.line === 2 && /at least 5 fields/.test(e.message));
  assert.throws(() => parseKernelOutput("STEP 0 main open ok\n"), (e: unknown) => e instanceof KernelOutputError && e.line === 1 && /before the first BEGIN/.test(e.message));
  assert.throws(() => parseKernelOutput("BEGIN 0 x\nSTEP zero main open ok\n"), (e: unknown) => e instanceof KernelOutputError && e.line === 2 && /step index is not an integer/.test(e.message));
  assert.throws(() => parseKernelOutput("BEGIN 0 x\nHELLO\n"), (e: unknown) => e instanceof KernelOutputError && /unknown line kind "HELLO"/.test(e.message));
});

// A kernel run written by hand: the comparison must report exactly where it differs.
const singleThread: Scenario = {
  name: "hand",
  files: ["/etc/shadow"],
  steps: [
    { op: "prctl_no_new_privs", thread: "main" },
    { op: "spawn_thread", thread: "main", new: "w1" },
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"] },
    { op: "restrict_self", thread: "main", ruleset: "rs" },
    { op: "open", thread: "w1", path: "/etc/shadow", access: "read" },
    { op: "get_abi", thread: "main" },
  ],
};
const agreeingRun = (): KernelRun => ({
  scenario: "hand",
  initial: { uid: 0, capSysAdmin: false, noNewPrivs: false, abi: 7, errata: [1, 2, 3], isolatedNetwork: true, setup: "ok" },
  steps: [
    { index: 0, part: 0, thread: "main", op: "prctl_no_new_privs", result: "ok" },
    { index: 1, part: 0, thread: "main", op: "spawn_thread", result: "ok" },
    { index: 2, part: 0, thread: "main", op: "create_ruleset", result: "ok" },
    { index: 3, part: 0, thread: "main", op: "restrict_self", result: "ok" },
    { index: 4, part: 0, thread: "w1", op: "open", result: "ok" },
    { index: 5, part: 0, thread: "main", op: "get_abi", result: "ok", value: 7 },
  ],
  threads: [
    { thread: "main", process: "p1", alive: true, uid: 0, noNewPrivs: true, capSysAdmin: false },
    { thread: "w1", process: "p1", alive: true, uid: 0, noNewPrivs: true, capSysAdmin: false },
  ],
});

test("the comparison finds no mismatch when the kernel run agrees with the model", () => {
  const c = compareWithKernel(singleThread, agreeingRun());
  assert.deepEqual(c.mismatches, []);
  assert.equal(c.comparedSteps, 6);
  assert.equal(c.abi, 7);
  assert.deepEqual(c.errata, [1, 2, 3]);
});

test("the comparison reports differing results, values, final states and failed runs", () => {
  const run = agreeingRun();
  run.steps[4] = { ...run.steps[4]!, result: "EACCES" };
  run.steps[5] = { ...run.steps[5]!, value: 8 };
  run.threads[1] = { ...run.threads[1]!, uid: 1000 };
  const c = compareWithKernel(singleThread, run);
  assert.deepEqual(
    c.mismatches.map((m) => [m.step, m.thread, m.op, m.kernel, m.simulator.split(" ")[0]]),
    [
      [4, "w1", "open", "EACCES", "ok"],
      [5, "main", "get_abi.value", "8", "7"],
      [6, "w1", "final.uid", "1000", "0"],
    ],
  );
  assert.match(formatMismatches(c)[0]!, /^hand: step 4 w1 open: kernel EACCES, simulator ok/);
  const broken = compareWithKernel(singleThread, { ...agreeingRun(), steps: [], error: "step-timeout 0" });
  assert.deepEqual(broken.mismatches[0], { step: -1, thread: "-", op: "run", kernel: "step-timeout 0", simulator: "completed" });
});

test("the simulation starts from the credentials the program really had", () => {
  const run = agreeingRun();
  run.initial = { ...run.initial!, capSysAdmin: true };
  let seen: Scenario | undefined;
  const c = compareWithKernel(singleThread, run, (s, o) => {
    seen = s;
    return runScenario(s, o);
  });
  assert.deepEqual(seen?.initial, { uid: 0, capSysAdmin: true, noNewPrivs: false });
  assert.deepEqual(c.notes, ["CAP_SYS_ADMIN really held"]);
});

test("scenarios written for a newer ABI or injecting faults are not run on the kernel", () => {
  const info = { available: true, abi: 7, errata: [1, 2, 3] };
  assert.deepEqual(kernelCanShow({ name: "x", abi: 8, steps: [] }, info), { runnable: false, reason: "written for ABI 8; this kernel has ABI 7" });
  assert.deepEqual(kernelCanShow({ name: "x", abi: 7, steps: [], faults: { enomemAtPrepare: "w1" } }, info), {
    runnable: false,
    reason: "injects enomemAtPrepare, which a real kernel cannot reproduce",
  });
  assert.deepEqual(kernelCanShow({ name: "x", abi: 6, steps: [] }, info), { runnable: true });
  assert.deepEqual(kernelCanShow({ name: "x", steps: [] }, { available: false, reason: "no gcc" }), { runnable: false, reason: "no gcc" });
});
