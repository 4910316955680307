// Who a signal is checked against once threads have exited: the thread-group leader stays
// (a zombie) while any thread of its process lives, so tgkill to it still succeeds and a
// process-directed signal (kill, SIGIO) is checked against its credentials.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Step } from "../src/scenario.js";
import { nnp, resultOf, run, stepEvent } from "./sim-helpers.js";

test("tgkill to an exited leader succeeds while another thread of its process lives", () => {
  const t = run([
    { op: "spawn_thread", thread: "main", new: "t1" },
    { op: "exit_thread", thread: "main" },
    { op: "tgkill", thread: "t1", target: "main" },
  ]);
  assert.equal(resultOf(t, 2), "ok");
  assert.match(stepEvent(t, 2).note ?? "", /leader/);
});

test("tgkill to an exited thread that is not the leader is ESRCH", () => {
  const t = run([
    { op: "spawn_thread", thread: "main", new: "t1" },
    { op: "exit_thread", thread: "t1" },
    { op: "tgkill", thread: "main", target: "t1" },
  ]);
  assert.equal(resultOf(t, 2), "ESRCH");
});

/** t1 enters a signal-scoped domain and forks c1 (inside it); main, the leader of p1, has no domain. */
const scopedWorker: Step[] = [
  { op: "spawn_thread", thread: "main", new: "t1" },
  { op: "prctl_no_new_privs", thread: "t1" },
  { op: "create_ruleset", thread: "t1", as: "rs", scoped: ["signal"] },
  { op: "restrict_self", thread: "t1", ruleset: "rs" },
  { op: "fork", thread: "t1", child: "c1" },
];

test("kill() to a process whose leader exited is checked against the leader's credentials", () => {
  const exited = run([...scopedWorker, { op: "exit_thread", thread: "main" }, { op: "kill", thread: "c1", target: "p1" }], { abi: 6 });
  assert.equal(resultOf(exited, 6), "EPERM", "main (no domain) is outside c1's scoped domain, though t1 is inside it");
  assert.equal(stepEvent(exited, 6).blocker?.kind, "scope");
  assert.match(stepEvent(exited, 6).note ?? "", /main/);
  // The same kill while main lives is checked against main too: the exit changes nothing.
  const living = run([...scopedWorker, { op: "kill", thread: "c1", target: "p1" }], { abi: 6 });
  assert.equal(resultOf(living, 5), "EPERM");
});

test("a process whose every thread exited stays a zombie: its leader is still signalled and checked", () => {
  const steps: Step[] = [
    { op: "fork", thread: "main", child: "c1" },
    { op: "spawn_thread", thread: "c1", new: "t1" },
    { op: "exit_thread", thread: "t1" },
    { op: "exit_thread", thread: "c1" },
    { op: "kill", thread: "main", target: "c1" },
    { op: "tgkill", thread: "main", target: "c1" },
    { op: "tgkill", thread: "main", target: "t1" },
  ];
  const plain = run(steps);
  assert.equal(resultOf(plain, 4), "ok", "nothing reaps c1 during a scenario");
  assert.equal(resultOf(plain, 5), "ok");
  assert.equal(resultOf(plain, 6), "ESRCH", "an exited thread other than the leader is released at once");
  const scopedSender = run([
    { op: "fork", thread: "main", child: "c1" },
    nnp,
    { op: "create_ruleset", thread: "main", as: "rs", scoped: ["signal"] },
    { op: "restrict_self", thread: "main", ruleset: "rs" },
    { op: "exit_thread", thread: "c1" },
    { op: "kill", thread: "main", target: "c1" },
    { op: "fcntl_setown", thread: "main", fd: "io", owner: "c1" },
    { op: "sigio", fd: "io" },
  ], { abi: 6 });
  assert.equal(resultOf(scopedSender, 5), "EPERM", "the zombie c1 is outside main's scoped domain");
  assert.equal(resultOf(scopedSender, 7), "dropped", "no thread is left to handle SIGIO");
});

test("after an exec by another thread, that thread leads: the old leader is gone for good", () => {
  const t = run([
    nnp,
    { op: "spawn_thread", thread: "main", new: "t1" },
    { op: "exec", thread: "t1" },
    { op: "tgkill", thread: "t1", target: "main" },
    { op: "fork", thread: "t1", child: "c1" },
    { op: "kill", thread: "c1", target: "p1" },
  ]);
  assert.equal(resultOf(t, 3), "ESRCH");
  assert.equal(resultOf(t, 5), "ok");
});

test("SIGIO to a process whose leader exited is checked against the leader's domain", () => {
  const t = run([
    ...scopedWorker,
    { op: "exit_thread", thread: "main" },
    { op: "fcntl_setown", thread: "c1", fd: "io", owner: "p1" },
    { op: "sigio", fd: "io" },
  ], { abi: 6 });
  assert.equal(resultOf(t, 7), "dropped");
});
