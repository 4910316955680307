// The built-in scenarios tell the stories their descriptions promise.

import { test } from "node:test";
import assert from "node:assert/strict";
import { BUILTIN_SCENARIOS } from "../src/builtins/index.js";
import { runScenario } from "../src/runner.js";
import { validateScenario } from "../src/validate.js";
import type { Trace } from "../src/trace.js";

const run = (name: string, opts = {}) => {
  const s = BUILTIN_SCENARIOS[name];
  assert.ok(s, `built-in ${name}`);
  return runScenario(s, opts);
};
const opens = (t: Trace, path: string) => Object.fromEntries(t.events.filter((e) => e.op === "open" && e.target === path).map((e) => [e.thread, e.result]));
const threadOf = (t: Trace, id: string) => t.threads.find((x) => x.id === id)!;
const mainEvent = (t: Trace, op: string) => t.events.filter((e) => e.op === op && !e.internal);

test("there are 14 built-ins, each valid against the schema and the semantic checks, each with a story", () => {
  const names = Object.keys(BUILTIN_SCENARIOS).sort();
  assert.deepEqual(names, [
    "abstract-unix-scope", "missing-nnp", "nesting-limit", "node-libuv-pool", "psx-per-thread", "psx-signal-scope",
    "scope-signal-parent", "setuid-after-per-thread-scope", "sigio-outside-owner", "single-thread-restrict", "tsync",
    "tsync-enomem", "tsync-on-old-abi", "tsync-spawn-race",
  ]);
  for (const [name, s] of Object.entries(BUILTIN_SCENARIOS)) {
    const r = validateScenario(JSON.parse(JSON.stringify(s)));
    assert.ok(r.ok, `${name}: ${r.ok ? "" : JSON.stringify(r.errors)}`);
    assert.equal(s.name, name);
    assert.ok((s.description ?? "").length > 40, `${name} has a description`);
    assert.ok((s.highlights ?? []).length > 0, `${name} has highlights`);
  }
});

test("single-thread-restrict: the other threads can still open the forbidden file", () => {
  const t = run("single-thread-restrict");
  assert.deepEqual(opens(t, "/etc/shadow"), { main: "EACCES", w1: "ok", w2: "ok" });
  assert.ok(t.summary.some((s) => s === "w1 and w2 are not in any domain: they can still open /etc/shadow."));
});

test("tsync: nobody can open the forbidden file", () => {
  const t = run("tsync");
  assert.deepEqual(opens(t, "/etc/shadow"), { main: "EACCES", w1: "EACCES", w2: "EACCES" });
  assert.equal(new Set(t.threads.map((x) => x.domain)).size, 1);
  assert.equal(opens(t, "/usr/share/zoneinfo/UTC")["w1"], "ok");
});

test("tsync-enomem: restrict_self fails and no thread changed", () => {
  const t = run("tsync-enomem");
  const [call] = mainEvent(t, "restrict_self");
  assert.equal(call?.result, "ENOMEM");
  assert.ok(t.threads.every((x) => x.domain === null));
  assert.deepEqual(opens(t, "/etc/shadow"), { main: "ok", w1: "ok", w2: "ok" });
  assert.equal(t.events.find((e) => e.op === "tsync.prepare_creds" && e.thread === "w2")?.result, "ENOMEM");
});

test("tsync-spawn-race: the thread spawned during the call is covered", () => {
  const t = run("tsync-spawn-race");
  assert.equal(threadOf(t, "w3").domain, threadOf(t, "main").domain);
  assert.notEqual(threadOf(t, "w3").domain, null);
  assert.equal(opens(t, "/etc/shadow")["w3"], "EACCES");
});

test("psx-per-thread: each thread has its own domain ID", () => {
  const t = run("psx-per-thread");
  const ids = t.threads.map((x) => x.domain);
  assert.equal(new Set(ids).size, 3);
  assert.ok(ids.every((id) => id !== null));
  assert.deepEqual(opens(t, "/etc/shadow"), { main: "EACCES", w1: "EACCES", w2: "EACCES" });
});

test("psx-signal-scope: the cross-thread signal differs with and without erratum 2; the forked helper stays out of reach", () => {
  const without = run("psx-signal-scope");
  const withE2 = run("psx-signal-scope", { errata: [2] });
  const tg = (t: Trace) => mainEvent(t, "tgkill").find((e) => e.target === "w1")?.result;
  assert.equal(tg(without), "EPERM");
  assert.equal(tg(withE2), "ok");
  assert.equal(mainEvent(without, "restrict_self")[0]?.result, "EPERM");
  assert.equal(mainEvent(withE2, "restrict_self")[0]?.result, "ok");
  for (const t of [without, withE2]) assert.equal(mainEvent(t, "kill").find((e) => e.target === "helper")?.result, "EPERM");
});

test("setuid-after-per-thread-scope: setuid returns 0 but the other threads keep uid 0 without erratum 2", () => {
  const t = run("setuid-after-per-thread-scope");
  assert.equal(mainEvent(t, "setuid")[0]?.result, "ok");
  assert.deepEqual(t.threads.map((x) => [x.id, x.uid]), [["main", 1000], ["w1", 0], ["w2", 0]]);
  const fixed = run("setuid-after-per-thread-scope", { errata: [2] });
  assert.ok(fixed.threads.every((x) => x.uid === 1000));
});

test("scope-signal-parent: kill(getppid()) works before enforcement and is denied after", () => {
  const t = run("scope-signal-parent");
  assert.deepEqual(mainEvent(t, "kill").map((e) => e.result), ["ok", "EPERM"]);
});

test("sigio-outside-owner: F_SETOWN before restrict delivers, after restrict drops", () => {
  const t = run("sigio-outside-owner");
  assert.deepEqual(mainEvent(t, "sigio").map((e) => [e.target, e.result]), [["early_sock", "delivered"], ["late_sock", "dropped"]]);
});

test("abstract-unix-scope: connecting to the session's socket is EPERM after enforcement", () => {
  const t = run("abstract-unix-scope");
  assert.deepEqual(mainEvent(t, "connect_abstract").map((e) => e.result), ["ok", "EPERM", "ok"]);
});

test("missing-nnp: EPERM and nothing is sandboxed", () => {
  const t = run("missing-nnp");
  assert.equal(mainEvent(t, "restrict_self")[0]?.result, "EPERM");
  assert.equal(threadOf(t, "main").domain, null);
  assert.ok(t.summary.some((s) => /NOT sandboxed/.test(s)));
});

test("nesting-limit: the 17th layer is E2BIG", () => {
  const results = mainEvent(run("nesting-limit"), "restrict_self").map((e) => e.result);
  assert.equal(results.length, 17);
  assert.deepEqual(results.slice(0, 16), Array(16).fill("ok"));
  assert.equal(results[16], "E2BIG");
});

test("tsync-on-old-abi: EINVAL at ABI 7, nothing sandboxed; the same scenario at ABI 8 works", () => {
  const t = run("tsync-on-old-abi");
  assert.equal(t.abi, 7);
  assert.equal(mainEvent(t, "restrict_self")[0]?.result, "EINVAL");
  assert.ok(t.threads.every((x) => x.domain === null));
  const newer = run("tsync-on-old-abi", { abi: 8 });
  assert.equal(mainEvent(newer, "restrict_self")[0]?.result, "ok");
});

test("node-libuv-pool: the pool thread still reads the private key, the main thread cannot", () => {
  const t = run("node-libuv-pool");
  assert.deepEqual(opens(t, "/home/app/.ssh/id_ed25519"), { main: "EACCES", uv1: "ok" });
  assert.ok(t.summary.some((s) => /uv1, uv2, uv3 and uv4 are not in any domain/.test(s)));
});

test("options override the scenario's ABI and errata", () => {
  const t = run("single-thread-restrict", { abi: 9, errata: [3, 1] });
  assert.equal(t.abi, 9);
  assert.deepEqual(t.errata, [1, 3]);
});
