// The generated programs on the real kernel, checked against facts about Landlock
// written by hand (not against the model): privilege drops really take effect, steps
// really run in the threads and processes they name, and each mechanism (plain restrict,
// per-thread broadcast, scopes, F_SETOWN, exec, named fds) behaves as documented.

import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { Scenario, Scope, Step } from "../src/scenario.js";
import { kernelInfo, runScenariosOnKernel, runScenarioOnKernel } from "../src/kernel/run.js";
import type { KernelRun } from "../src/kernel/output.js";

const info = kernelInfo();

/** Skips with the reason when the machine cannot run the checks (or lacks `minAbi`). */
function needsKernel(t: TestContext, minAbi = 1): boolean {
  if (!info.available) {
    t.skip(`real-kernel checks unavailable: ${info.reason}`);
    return false;
  }
  if ((info.abi ?? 0) < minAbi) {
    t.skip(`needs Landlock ABI ${minAbi}; this kernel has ABI ${info.abi}`);
    return false;
  }
  return true;
}

const results = (run: KernelRun): string[] => {
  assert.equal(run.error, undefined, `the program failed: ${run.error}`);
  return run.steps.filter((s) => s.part === 0).map((s) => s.result);
};

const nnp = (thread = "main"): Step => ({ op: "prctl_no_new_privs", thread });
const readOnlyUsr = (thread = "main", scoped: Scope[] = []): Step[] => [
  { op: "create_ruleset", thread, as: "rs", handledFs: ["read_file", "write_file"], ...(scoped.length ? { scoped } : {}) },
  { op: "add_rule", thread, ruleset: "rs", type: "path_beneath", path: "/usr", access: ["read_file"] },
];
const files = ["/etc/shadow", "/usr/lib/os-release"];

test("an unprivileged start really lacks CAP_SYS_ADMIN: without no_new_privs restrict_self is EPERM and nothing is sandboxed", async (t) => {
  if (!needsKernel(t)) return;
  const run = await runScenarioOnKernel({
    name: "missing-nnp-as-user",
    initial: { uid: 1000, capSysAdmin: false },
    files,
    steps: [...readOnlyUsr(), { op: "restrict_self", thread: "main", ruleset: "rs" }, { op: "open", thread: "main", path: "/etc/shadow", access: "read" }],
  });
  assert.deepEqual(run.initial && { uid: run.initial.uid, cap: run.initial.capSysAdmin, nnp: run.initial.noNewPrivs }, { uid: 1000, cap: false, nnp: false });
  assert.deepEqual(results(run), ["ok", "ok", "EPERM", "ok"]);
});

test("uid 0 without CAP_SYS_ADMIN needs no_new_privs too; with CAP_SYS_ADMIN it does not", async (t) => {
  if (!needsKernel(t)) return;
  const steps: Step[] = [...readOnlyUsr(), { op: "restrict_self", thread: "main", ruleset: "rs" }];
  const [dropped, root, withNnp] = await runScenariosOnKernel([
    { name: "root-without-cap", initial: { uid: 0, capSysAdmin: false }, steps },
    { name: "root-with-cap", initial: { uid: 0, capSysAdmin: true }, steps },
    { name: "initial-nnp", initial: { uid: 1000, noNewPrivs: true }, steps },
  ]);
  if (dropped!.initial?.setup !== "ok" || root!.initial?.capSysAdmin !== true) {
    t.skip(`the test process cannot set up the credentials (needs root): ${dropped!.initial?.setup}`);
    return;
  }
  assert.equal(dropped!.initial?.capSysAdmin, false);
  assert.deepEqual(results(dropped!), ["ok", "ok", "EPERM"]);
  assert.deepEqual(results(root!), ["ok", "ok", "ok"]);
  assert.equal(withNnp!.initial?.noNewPrivs, true);
  assert.deepEqual(results(withNnp!), ["ok", "ok", "ok"]);
});

test("a plain restrict_self covers the calling thread only: an existing sibling still reads", async (t) => {
  if (!needsKernel(t)) return;
  const run = await runScenarioOnKernel({
    name: "plain",
    files,
    steps: [
      nnp(),
      { op: "spawn_thread", thread: "main", new: "w1" },
      ...readOnlyUsr(),
      { op: "restrict_self", thread: "main", ruleset: "rs" },
      { op: "open", thread: "main", path: "/etc/shadow", access: "read" },
      { op: "open", thread: "main", path: "/usr/lib/os-release", access: "read" },
      { op: "open", thread: "w1", path: "/etc/shadow", access: "read" },
      { op: "open", thread: "w1", path: "/etc/shadow", access: "write" },
      { op: "spawn_thread", thread: "main", new: "w2" },
      { op: "open", thread: "w2", path: "/etc/shadow", access: "read" },
    ],
  });
  assert.deepEqual(results(run), ["ok", "ok", "ok", "ok", "ok", "EACCES", "ok", "ok", "ok", "ok", "EACCES"], "a thread spawned later inherits the domain");
  assert.deepEqual(run.threads.map((th) => [th.thread, th.alive, th.noNewPrivs]), [["main", true, true], ["w1", true, true], ["w2", true, true]]);
});

test("the per-thread broadcast restricts every thread, each in its own domain (abstract sockets tell them apart)", async (t) => {
  if (!needsKernel(t, 6)) return;
  const run = await runScenarioOnKernel({
    name: "psx",
    files,
    steps: [
      nnp(),
      { op: "spawn_thread", thread: "main", new: "w1" },
      ...readOnlyUsr("main", ["abstract_unix_socket"]),
      { op: "restrict_self", thread: "main", ruleset: "rs", via: "libpsx" },
      { op: "open", thread: "w1", path: "/etc/shadow", access: "read" },
      { op: "bind_abstract", thread: "w1", name: "w1-socket" },
      { op: "connect_abstract", thread: "w1", name: "w1-socket" },
      { op: "connect_abstract", thread: "main", name: "w1-socket" },
    ],
  });
  assert.deepEqual(results(run), ["ok", "ok", "ok", "ok", "ok", "EACCES", "ok", "ok", "EPERM"]);
  assert.equal(run.steps[4]!.detail, "w1:ok", "the broadcast reached w1 and its own call succeeded");
});

test("a broadcast reports the thread whose own restrict_self failed", async (t) => {
  if (!needsKernel(t)) return;
  const run = await runScenarioOnKernel({
    name: "psx-partial",
    files,
    steps: [
      { op: "spawn_thread", thread: "main", new: "w1" },
      nnp(),
      ...readOnlyUsr(),
      { op: "restrict_self", thread: "main", ruleset: "rs", via: "all_threads_syscall" },
      { op: "open", thread: "main", path: "/etc/shadow", access: "read" },
      { op: "open", thread: "w1", path: "/etc/shadow", access: "read" },
    ],
  });
  assert.deepEqual(results(run), ["ok", "ok", "ok", "ok", "EPERM", "EACCES", "ok"], "w1 has no no_new_privs: its call fails, main's held");
  assert.equal(run.steps[4]!.detail, "w1:EPERM");
});

test("signal scope: kill to the parent works before enforcement and is EPERM after; F_SETOWN order decides SIGIO", async (t) => {
  if (!needsKernel(t, 6)) return;
  const run = await runScenarioOnKernel({
    name: "signal-scope",
    process: "parent",
    steps: [
      { op: "fork", thread: "main", child: "worker" },
      { op: "kill", thread: "worker", target: "parent" },
      { op: "fcntl_setown", thread: "worker", fd: "early", owner: "parent" },
      nnp("worker"),
      { op: "create_ruleset", thread: "worker", as: "rs", handledFs: ["write_file"], scoped: ["signal"] },
      { op: "restrict_self", thread: "worker", ruleset: "rs" },
      { op: "kill", thread: "worker", target: "parent" },
      { op: "kill", thread: "worker", target: "worker" },
      { op: "fcntl_setown", thread: "worker", fd: "late", owner: "parent" },
      { op: "sigio", fd: "early" },
      { op: "sigio", fd: "late" },
      { op: "kill", thread: "main", target: "worker" },
    ],
  });
  assert.deepEqual(results(run), ["ok", "ok", "ok", "ok", "ok", "ok", "EPERM", "ok", "ok", "delivered", "dropped", "ok"]);
});

test("exec keeps the domain, ends the other threads and closes ruleset fds but not other fds", async (t) => {
  if (!needsKernel(t)) return;
  const run = await runScenarioOnKernel({
    name: "exec",
    files,
    steps: [
      nnp(),
      { op: "spawn_thread", thread: "main", new: "w1" },
      ...readOnlyUsr("w1"),
      { op: "open", thread: "w1", path: "/etc/shadow", access: "read", as: "file" },
      { op: "restrict_self", thread: "w1", ruleset: "rs" },
      { op: "exec", thread: "w1" },
      { op: "open", thread: "w1", path: "/etc/shadow", access: "read" },
      { op: "open", thread: "main", path: "/etc/shadow", access: "read" },
      { op: "restrict_self", thread: "w1", ruleset: "rs" },
      { op: "restrict_self", thread: "w1", ruleset: "file" },
      { op: "tgkill", thread: "w1", target: "main" },
    ],
  });
  assert.deepEqual(results(run), ["ok", "ok", "ok", "ok", "ok", "ok", "ok", "EACCES", "skipped", "EBADF", "EBADFD", "ESRCH"]);
  assert.deepEqual(run.threads.map((th) => [th.thread, th.alive]), [["main", false], ["w1", true]]);
});

test("glibc setuid changes every thread's uid, a raw setuid only the caller's", async (t) => {
  if (!needsKernel(t)) return;
  const [glibc, raw] = await runScenariosOnKernel(
    (["glibc", "raw"] as const).map((via) => ({
      name: `setuid-${via}`,
      initial: { uid: 0, capSysAdmin: true },
      steps: [
        { op: "spawn_thread", thread: "main", new: "w1" },
        { op: "setuid", thread: "main", uid: 1000, via },
        { op: "setuid", thread: "main", uid: 0, via },
      ] satisfies Step[],
    })),
  );
  if (glibc!.initial?.uid !== 0) {
    t.skip("the test process is not root: setuid to another uid cannot be shown");
    return;
  }
  assert.deepEqual(results(glibc!), ["ok", "ok", "EPERM"], "leaving uid 0 drops the capability to come back");
  assert.equal(glibc!.steps[1]!.detail, "uids=main:1000,w1:1000");
  assert.deepEqual(glibc!.threads.map((th) => th.uid), [1000, 1000]);
  assert.deepEqual(results(raw!), ["ok", "ok", "EPERM"]);
  assert.equal(raw!.steps[1]!.detail, "uids=main:1000,w1:0");
});

test("the ABI and errata queries report the running kernel; TSYNC is EINVAL below ABI 8", async (t) => {
  if (!needsKernel(t, 7)) return;
  const run = await runScenarioOnKernel({
    name: "queries",
    steps: [
      { op: "get_abi", thread: "main" },
      { op: "get_errata", thread: "main" },
      nnp(),
      { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"] },
      { op: "restrict_self", thread: "main", ruleset: "rs", flags: ["tsync"] },
      { op: "restrict_self", thread: "main", ruleset: -1, flags: ["log_subdomains_off"] },
      { op: "restrict_self", thread: "main", ruleset: -1 },
    ],
  });
  assert.equal(run.steps[0]!.value, info.abi);
  assert.equal(run.steps[1]!.value, (info.errata ?? []).reduce((m, e) => m | (1 << (e - 1)), 0));
  assert.deepEqual(results(run).slice(4), [info.abi! >= 8 ? "ok" : "EINVAL", "ok", "EBADF"]);
});

test("steps of a batch run in isolation and the same program gives the same results every time", async (t) => {
  if (!needsKernel(t, 6)) return;
  const ordered: Scenario = {
    name: "ordered",
    steps: [
      { op: "spawn_thread", thread: "main", new: "w1" },
      { op: "spawn_thread", thread: "w1", new: "w2" },
      { op: "fork", thread: "w2", child: "c1" },
      { op: "bind_abstract", thread: "c1", name: "bus" },
      { op: "connect_abstract", thread: "w1", name: "bus" },
      { op: "exit_thread", thread: "w2" },
      { op: "tgkill", thread: "main", target: "w2" },
      { op: "open", thread: "w2", path: "/etc/shadow", access: "read" },
      nnp("c1"),
      { op: "create_ruleset", thread: "c1", as: "rs", handledFs: ["read_file"], scoped: ["abstract_unix_socket"] },
      { op: "restrict_self", thread: "c1", ruleset: "rs" },
      { op: "connect_abstract", thread: "c1", name: "bus" },
    ],
  };
  // "bus" was bound by c1 before it restricted itself: outside its own scoped domain.
  const expected = ["ok", "ok", "ok", "ok", "ok", "ok", "ESRCH", "skipped", "ok", "ok", "ok", "EPERM"];
  const alone: Scenario = {
    name: "alone",
    steps: [
      { op: "connect_abstract", thread: "main", name: "bus" },
      { op: "bind_abstract", thread: "main", name: "bus" },
    ],
  };
  const runs = await runScenariosOnKernel([ordered, ordered, ordered, alone], { parallel: 1 });
  for (const r of runs.slice(0, 3)) assert.deepEqual(results(r), expected);
  assert.deepEqual(results(runs[3]!), ["ECONNREFUSED", "ok"], "a name bound in another scenario of the batch does not exist here");
});
