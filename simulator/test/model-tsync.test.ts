// The deterministic TSYNC run: one domain for every thread, all or nothing.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Step } from "../src/scenario.js";
import { nnp, readOnlyUsr, resultOf, run, stepEvent, thread } from "./sim-helpers.js";

const tsync: Step = { op: "restrict_self", thread: "main", ruleset: "rs", flags: ["tsync"] };

test("TSYNC replaces divergent sibling domains with one new domain whose parent is the caller's", () => {
  const t = run([
    nnp,
    { op: "spawn_thread", thread: "main", new: "w1" },
    { op: "spawn_thread", thread: "main", new: "w2" },
    ...readOnlyUsr,
    { op: "restrict_self", thread: "main", ruleset: "rs" },
    { op: "restrict_self", thread: "w1", ruleset: "rs" },
    { op: "restrict_self", thread: "w1", ruleset: "rs" },
    tsync,
  ], { abi: 8 });
  assert.equal(resultOf(t, 8), "ok");
  const mainBefore = stepEvent(t, 8).domainBefore;
  const ids = ["main", "w1", "w2"].map((n) => thread(t, n).domain);
  assert.equal(new Set(ids).size, 1);
  const d = t.domains.find((x) => x.id === ids[0])!;
  assert.equal(d.parent, mainBefore, "stacked on the caller's domain");
  assert.equal(d.layers, 2);
  assert.deepEqual(["main", "w1", "w2"].map((n) => thread(t, n).layers), [2, 2, 2], "w1's own two layers are replaced, not stacked");
  const commits = t.events.filter((e) => e.op === "tsync.commit");
  assert.deepEqual(commits.map((e) => e.thread), ["w1", "w2"]);
});

test("TSYNC sets no_new_privs on siblings without CAP_SYS_ADMIN only", () => {
  const t = run([
    { op: "spawn_thread", thread: "main", new: "w1" },
    { op: "spawn_thread", thread: "main", new: "w2" },
    { op: "drop_cap_sys_admin", thread: "w2" },
    ...readOnlyUsr,
    tsync,
  ], { abi: 8, initial: { uid: 0, capSysAdmin: true } });
  assert.equal(resultOf(t, 5), "ok");
  assert.equal(thread(t, "main").noNewPrivs, false);
  assert.equal(thread(t, "w1").noNewPrivs, false, "w1 has CAP_SYS_ADMIN");
  assert.equal(thread(t, "w2").noNewPrivs, true);
});

test("TSYNC follows the protocol: discovery until nothing new, prepare, ready_to_commit, commit, all_finished", () => {
  const t = run([nnp, { op: "spawn_thread", thread: "main", new: "w1" }, ...readOnlyUsr, tsync], { abi: 8 });
  const ops = t.events.filter((e) => e.step === 4).map((e) => `${e.thread}:${e.op}`);
  assert.deepEqual(ops, [
    "main:tsync.discover", "w1:tsync.task_work_add", "w1:tsync.prepare_creds", "main:tsync.all_prepared",
    "main:tsync.discover", "main:tsync.ready_to_commit", "w1:tsync.commit", "main:tsync.all_finished", "main:restrict_self",
  ]);
});

function enomem(dropCapIn: string | null) {
  return run([
    { op: "spawn_thread", thread: "main", new: "w1" },
    { op: "spawn_thread", thread: "main", new: "w2" },
    ...(dropCapIn ? [{ op: "drop_cap_sys_admin", thread: dropCapIn } as Step] : [{ op: "get_abi", thread: "main" } as Step]),
    ...readOnlyUsr,
    { op: "restrict_self", thread: "w1", ruleset: "rs" },
    tsync,
  ], { abi: 8, initial: { uid: 0, capSysAdmin: true }, faults: { enomemAtPrepare: "w2" } });
}

test("TSYNC with ENOMEM at a sibling's prepare_creds: the call fails and no thread changes", () => {
  const t = enomem("w2");
  assert.equal(resultOf(t, 6), "ENOMEM");
  const w1Before = stepEvent(t, 5).domainAfter;
  assert.notEqual(w1Before, null);
  assert.equal(thread(t, "main").domain, null);
  assert.equal(thread(t, "w1").domain, w1Before, "w1 keeps the domain it had");
  assert.equal(thread(t, "w2").domain, null);
  assert.equal(thread(t, "w2").noNewPrivs, false, "nothing committed, not even no_new_privs");
  assert.equal(t.events.filter((e) => e.op === "tsync.abort").length, 2);
  assert.equal(t.events.filter((e) => e.op === "tsync.commit").length, 0);
  assert.equal(t.domains.length, 1, "the aborted domain is not listed");
});

test("a sibling still sharing the caller's cred takes a reference instead of calling prepare_creds: the fault cannot fire", () => {
  const t = enomem(null);
  assert.equal(resultOf(t, 6), "ok");
  const prep = t.events.find((e) => e.op === "tsync.prepare_creds" && e.thread === "w2");
  assert.match(prep?.note ?? "", /cannot fire/);
});

test("a thread spawned during the call is found by the next discovery round and covered", () => {
  const t = run([
    nnp,
    { op: "spawn_thread", thread: "main", new: "w1" },
    ...readOnlyUsr,
    { ...tsync, concurrent: [{ op: "spawn_thread", thread: "w1", new: "w3" }] } as Step,
  ], { abi: 8 });
  assert.equal(resultOf(t, 4), "ok");
  const rounds = t.events.filter((e) => e.op === "tsync.discover");
  assert.equal(rounds.length, 3);
  assert.match(rounds[1]!.note ?? "", /w3/);
  assert.equal(thread(t, "w3").domain, thread(t, "main").domain);
});

test("a thread exiting during the call runs its task_work on the way out", () => {
  const t = run([
    nnp,
    { op: "spawn_thread", thread: "main", new: "w1" },
    { op: "spawn_thread", thread: "main", new: "w2" },
    ...readOnlyUsr,
    { ...tsync, concurrent: [{ op: "exit_thread", thread: "w2" }] } as Step,
  ], { abi: 8 });
  assert.equal(resultOf(t, 5), "ok");
  assert.equal(thread(t, "w2").alive, false);
  assert.equal(thread(t, "w1").domain, thread(t, "main").domain);
});

test("TSYNC is EINVAL before ABI 8 and changes nothing", () => {
  const t = run([nnp, { op: "spawn_thread", thread: "main", new: "w1" }, ...readOnlyUsr, tsync], { abi: 7 });
  assert.equal(resultOf(t, 4), "EINVAL");
  assert.equal(t.events.filter((e) => e.op.startsWith("tsync.")).length, 0);
  assert.equal(thread(t, "main").domain, null);
});

test("TSYNC with fd -1 and LOG_SUBDOMAINS_OFF (ABI 9) adds no layer anywhere", () => {
  const t = run([nnp, { op: "spawn_thread", thread: "main", new: "w1" }, { op: "restrict_self", thread: "main", ruleset: -1, flags: ["tsync", "log_subdomains_off"] }], { abi: 9 });
  assert.equal(resultOf(t, 2), "ok");
  assert.equal(t.domains.length, 0);
  assert.equal(thread(t, "w1").domain, null);
});

test("without TSYNC a restrict_self leaves the other threads where they were", () => {
  const t = run([nnp, { op: "spawn_thread", thread: "main", new: "w1" }, ...readOnlyUsr, { op: "restrict_self", thread: "main", ruleset: "rs" }], { abi: 8 });
  assert.notEqual(thread(t, "main").domain, null);
  assert.equal(thread(t, "w1").domain, null);
  assert.match(stepEvent(t, 4).note ?? "", /only main/);
});
