// Property tests over random scenarios (fast-check): the runner never throws, TSYNC is
// all-or-nothing, and no thread ever holds more than 16 layers.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Abi, Erratum, Scenario, Step } from "../src/scenario.js";
import { runScenario } from "../src/runner.js";
import { ALL_FS_ACCESS, ALL_NET_ACCESS, ALL_RESTRICT_FLAGS, ALL_SCOPES } from "../src/model/abi.js";

const threadName = fc.constantFrom("main", "w1", "w2", "w3", "c1");
const newName = fc.constantFrom("w1", "w2", "w3", "w4", "c1", "c2");
const rulesetName = fc.constantFrom("rs", "rs2", "file");
const path = fc.constantFrom("/", "/usr", "/usr/lib", "/etc/shadow", "/tmp/x");

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant("spawn_thread" as const), thread: threadName, new: newName }),
  fc.record({ op: fc.constant("exit_thread" as const), thread: threadName }),
  fc.record({ op: fc.constant("fork" as const), thread: threadName, child: newName }),
  fc.record({ op: fc.constant("exec" as const), thread: threadName }),
  fc.record({ op: fc.constant("prctl_no_new_privs" as const), thread: threadName }),
  fc.record({ op: fc.constant("drop_cap_sys_admin" as const), thread: threadName }),
  fc.record({ op: fc.constant("get_errata" as const), thread: threadName }),
  fc.record({
    op: fc.constant("create_ruleset" as const), thread: threadName, as: rulesetName,
    handledFs: fc.subarray(ALL_FS_ACCESS, { maxLength: 4 }), handledNet: fc.subarray(ALL_NET_ACCESS, { maxLength: 2 }), scoped: fc.subarray(ALL_SCOPES),
  }),
  fc.record({ op: fc.constant("add_rule" as const), thread: threadName, ruleset: rulesetName, type: fc.constant("path_beneath" as const), path, access: fc.subarray(ALL_FS_ACCESS, { maxLength: 3 }) }),
  fc.record({ op: fc.constant("add_rule" as const), thread: threadName, ruleset: rulesetName, type: fc.constant("net_port" as const), port: fc.integer({ min: 0, max: 65535 }), access: fc.subarray(ALL_NET_ACCESS, { maxLength: 2 }) }),
  fc.record({
    op: fc.constant("restrict_self" as const), thread: threadName, ruleset: fc.oneof(rulesetName, fc.constant(-1 as const)),
    flags: fc.subarray(ALL_RESTRICT_FLAGS), via: fc.constantFrom("syscall" as const, "libpsx" as const, "all_threads_syscall" as const),
    concurrent: fc.array(fc.oneof(
      fc.record({ op: fc.constant("spawn_thread" as const), thread: threadName, new: newName }),
      fc.record({ op: fc.constant("exit_thread" as const), thread: threadName }),
    ), { maxLength: 2 }),
  }),
  fc.record({ op: fc.constant("open" as const), thread: threadName, path, access: fc.constantFrom("read" as const, "write" as const), as: fc.constantFrom("file", "rs") }),
  fc.record({ op: fc.constantFrom("connect_tcp" as const, "bind_tcp" as const), thread: threadName, port: fc.constantFrom(80, 443) }),
  fc.record({ op: fc.constantFrom("kill" as const, "tgkill" as const), thread: threadName, target: threadName }),
  fc.record({ op: fc.constant("fcntl_setown" as const), thread: threadName, fd: fc.constantFrom("s1", "s2"), owner: threadName }),
  fc.record({ op: fc.constant("sigio" as const), fd: fc.constantFrom("s1", "s2") }),
  fc.record({ op: fc.constantFrom("bind_abstract" as const, "connect_abstract" as const), thread: threadName, name: fc.constantFrom("a", "b") }),
  fc.record({ op: fc.constant("setuid" as const), thread: threadName, uid: fc.constantFrom(0, 1000), via: fc.constantFrom("glibc" as const, "raw" as const) }),
) as fc.Arbitrary<Step>;

const scenario: fc.Arbitrary<Scenario> = fc.record({
  name: fc.constant("random"),
  abi: fc.integer({ min: 1, max: 11 }).map((n) => n as Abi),
  errata: fc.subarray([1, 2, 3] as Erratum[]),
  initial: fc.record({ uid: fc.constantFrom(0, 1000), capSysAdmin: fc.boolean(), noNewPrivs: fc.boolean() }),
  steps: fc.array(step, { maxLength: 30 }),
  faults: fc.oneof(fc.constant({}), fc.record({ enomemAtPrepare: threadName })),
});

/** Scenarios that surely reach a multithreaded TSYNC call at ABI 8+ with privileges. */
const tsyncScenario: fc.Arbitrary<Scenario> = fc.tuple(scenario, fc.array(step, { maxLength: 12 }), fc.boolean()).map(([s, before, tsyncCaller]) => ({
  ...s,
  abi: Math.max(8, s.abi ?? 8) as Abi,
  steps: [
    { op: "prctl_no_new_privs", thread: "main" },
    { op: "spawn_thread", thread: "main", new: "w1" },
    { op: "spawn_thread", thread: "main", new: "w2" },
    ...before,
    { op: "create_ruleset", thread: tsyncCaller ? "main" : "w1", as: "tsync_rs", handledFs: ["read_file"], scoped: ["signal"] },
    { op: "restrict_self", thread: tsyncCaller ? "main" : "w1", ruleset: "tsync_rs", flags: ["tsync"] },
  ],
}));

const RUNS = { numRuns: 400, seed: 20240611 };

test("the runner never throws, and every event, thread and domain is well formed", () => {
  fc.assert(fc.property(scenario, (s) => {
    const t = runScenario(s);
    const ids = new Set(t.domains.map((d) => d.id));
    assert.equal(ids.size, t.domains.length, "domain IDs are unique");
    for (const th of t.threads) if (th.domain) assert.ok(ids.has(th.domain), "every thread's domain is listed");
    t.events.forEach((e, i) => assert.equal(e.seq, i + 1));
    assert.ok(Array.isArray(t.summary) && t.summary.length > 0);
  }), RUNS);
});

test("layers never exceed 16", () => {
  fc.assert(fc.property(scenario, (s) => {
    const t = runScenario(s);
    for (const th of t.threads) assert.ok(th.layers <= 16);
    for (const d of t.domains) assert.ok(d.layers >= 1 && d.layers <= 16);
  }), RUNS);
  const deep: Scenario = { name: "deep", abi: 8, initial: { noNewPrivs: true }, steps: [
    { op: "spawn_thread", thread: "main", new: "w1" },
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"] },
    ...Array.from({ length: 20 }, (_, i): Step => ({ op: "restrict_self", thread: i % 2 ? "w1" : "main", ruleset: "rs", flags: i % 3 ? [] : ["tsync"] })),
  ] };
  for (const th of runScenario(deep).threads) assert.ok(th.layers <= 16);
});

test("TSYNC success: every live thread of the process has the caller's new domain; failure: no thread's domain changed", () => {
  fc.assert(fc.property(tsyncScenario, (s) => {
    const withCall = runScenario(s);
    const withoutCall = runScenario({ ...s, steps: s.steps.slice(0, -1) });
    const call = withCall.events.filter((e) => e.step === s.steps.length - 1 && !e.internal).at(-1)!;
    const caller = withCall.threads.find((t) => t.id === call.thread);
    if (call.result === "skipped" || !caller) return;
    const domainsBefore = new Map(withoutCall.threads.map((t) => [t.id, t.domain]));
    const concurrentSpawns = new Set(withCall.threads.map((t) => t.id).filter((id) => !domainsBefore.has(id)));
    if (call.result === "ok") {
      for (const t of withCall.threads.filter((t) => t.process === caller.process && t.alive)) {
        assert.equal(t.domain, caller.domain, `${t.id} has the caller's domain`);
      }
      assert.notEqual(caller.domain, null);
    } else {
      for (const t of withCall.threads) {
        if (concurrentSpawns.has(t.id)) continue;
        assert.equal(t.domain, domainsBefore.get(t.id), `${t.id} did not change after ${call.result}`);
      }
    }
  }), RUNS);
});

test("TSYNC with a random ENOMEM fault: the outcome is all or nothing", () => {
  let failures = 0;
  let successes = 0;
  fc.assert(fc.property(tsyncScenario, fc.constantFrom("w1", "w2", "main"), (s, victim) => {
    const faulty = { ...s, faults: { enomemAtPrepare: victim } };
    const t = runScenario(faulty);
    const call = t.events.filter((e) => e.step === s.steps.length - 1 && !e.internal).at(-1)!;
    const caller = t.threads.find((x) => x.id === call.thread);
    if (!caller || call.result === "skipped") return;
    const live = t.threads.filter((x) => x.process === caller.process && x.alive);
    if (call.result === "ok") {
      successes++;
      assert.ok(live.every((x) => x.domain === caller.domain));
    } else {
      failures++;
      assert.ok(!t.events.some((e) => e.step === s.steps.length - 1 && e.op === "tsync.commit"), "no commit after a failure");
    }
  }), RUNS);
  assert.ok(failures > 0 && successes > 0, `both outcomes were generated (ok ${successes}, failed ${failures})`);
});
