// libpsx / AllThreadsSyscall per-thread enforcement and glibc's setxid broadcast.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Erratum, Step } from "../src/scenario.js";
import { nnp, readOnlyUsr, resultOf, run, stepEvent, thread } from "./sim-helpers.js";

const workers: Step[] = [nnp, { op: "spawn_thread", thread: "main", new: "w1" }, { op: "spawn_thread", thread: "main", new: "w2" }];

test("libpsx puts each thread in a distinct domain built from the same ruleset", () => {
  for (const via of ["libpsx", "all_threads_syscall"] as const) {
    const t = run([...workers, ...readOnlyUsr, { op: "restrict_self", thread: "main", ruleset: "rs", via }], { abi: 6 });
    assert.equal(resultOf(t, 5), "ok", via);
    const ids = ["main", "w1", "w2"].map((n) => thread(t, n).domain);
    assert.ok(ids.every((id) => id !== null));
    assert.equal(new Set(ids).size, 3, `${via}: three distinct domains`);
    assert.ok(t.domains.every((d) => d.ruleset === "rs" && d.parent === null && d.layers === 1));
    const signals = t.events.filter((e) => e.op === "psx.signal");
    assert.deepEqual(signals.map((e) => e.target), ["w1", "w2"]);
    assert.ok(t.events.some((e) => e.op === "psx.handler" && e.thread === "w1" && e.internal));
  }
});

function psxScoped(errata: Erratum[]) {
  return run([
    ...workers,
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"], scoped: ["signal"] },
    { op: "restrict_self", thread: "main", ruleset: "rs", via: "libpsx" },
  ], { abi: 6, errata });
}

test("libpsx with signal scope: the broadcast signals are denied without erratum 2 and psx reports failure", () => {
  const t = psxScoped([]);
  const e = stepEvent(t, 4);
  assert.equal(e.result, "EPERM");
  assert.notEqual(thread(t, "main").domain, null, "the caller restricted itself first");
  assert.equal(thread(t, "w1").domain, null);
  assert.equal(thread(t, "w2").domain, null);
  const denied = t.events.filter((x) => x.op === "psx.signal" && x.result === "EPERM");
  assert.equal(denied.length, 2);
  assert.ok(denied.every((x) => x.blocker?.kind === "scope"));

  const fixed = psxScoped([2]);
  assert.equal(resultOf(fixed, 4), "ok");
  assert.equal(new Set(["main", "w1", "w2"].map((n) => thread(fixed, n).domain)).size, 3);
});

test("libpsx does not broadcast when the caller's own call fails", () => {
  const t = run([{ op: "spawn_thread", thread: "main", new: "w1" }, ...readOnlyUsr, { op: "restrict_self", thread: "main", ruleset: "rs", via: "libpsx" }], { abi: 6 });
  assert.equal(resultOf(t, 3), "EPERM");
  assert.equal(t.events.filter((e) => e.op === "psx.signal").length, 0);
});

test("a libpsx handler fails on its own when its thread lacks no_new_privs", () => {
  const t = run([{ op: "spawn_thread", thread: "main", new: "w1" }, nnp, ...readOnlyUsr, { op: "restrict_self", thread: "main", ruleset: "rs", via: "libpsx" }], { abi: 6 });
  assert.equal(resultOf(t, 4), "EPERM");
  assert.equal(t.events.find((e) => e.op === "psx.handler")?.result, "EPERM");
  assert.equal(thread(t, "w1").domain, null);
});

function setuidAfterPerThread(errata: Erratum[], via: "glibc" | "raw" = "glibc") {
  return run([
    { op: "spawn_thread", thread: "main", new: "w1" },
    { op: "spawn_thread", thread: "main", new: "w2" },
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["write_file"], scoped: ["signal"] },
    { op: "restrict_self", thread: "main", ruleset: "rs", via: "libpsx" },
    { op: "setuid", thread: "main", uid: 1000, via },
  ], { abi: 6, errata, initial: { uid: 0, capSysAdmin: true } });
}

test("glibc setuid skips threads whose SIGSETXID is denied and still returns 0", () => {
  const t = setuidAfterPerThread([]);
  assert.equal(resultOf(t, 4), "ok");
  assert.equal(thread(t, "main").uid, 1000);
  assert.equal(thread(t, "w1").uid, 0);
  assert.equal(thread(t, "w2").uid, 0);
  const signals = t.events.filter((e) => e.op === "setxid.signal");
  assert.deepEqual(signals.map((e) => e.result), ["EPERM", "EPERM"]);
  assert.match(stepEvent(t, 4).note ?? "", /keep uid 0/);
  assert.ok(t.summary.some((s) => /keep uid 0/.test(s)));
});

test("with erratum 2 the setxid broadcast reaches every thread", () => {
  const t = setuidAfterPerThread([2]);
  assert.deepEqual(["main", "w1", "w2"].map((n) => thread(t, n).uid), [1000, 1000, 1000]);
  assert.ok(t.events.filter((e) => e.op === "setxid.handler").every((e) => e.result === "ok"));
  assert.equal(thread(t, "w1").capSysAdmin, false, "leaving uid 0 drops capabilities");
});

test("a raw setuid syscall changes the calling thread only", () => {
  const t = setuidAfterPerThread([2], "raw");
  assert.deepEqual(["main", "w1", "w2"].map((n) => thread(t, n).uid), [1000, 0, 0]);
  assert.equal(t.events.filter((e) => e.op.startsWith("setxid.")).length, 0);
});

test("setuid to another uid without privilege is EPERM", () => {
  const t = run([{ op: "setuid", thread: "main", uid: 0, via: "glibc" }], { abi: 6, initial: { uid: 1000 } });
  assert.equal(resultOf(t, 0), "EPERM");
});
