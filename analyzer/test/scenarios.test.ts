// The scenario each finding carries is valid for the simulator and, run, shows the
// consequence the message states; explainFinding renders it within its budget.

import { test } from "node:test";
import assert from "node:assert/strict";
import { runScenario, validateScenario, type Trace } from "@landlock-lint/simulator";
import type { Finding } from "../src/findings.js";
import { explainFinding } from "../src/explain.js";
import { IrBuilder, check } from "./ir-builder.js";

function only(findings: Finding[], rule: string): Finding {
  const f = findings.find((x) => x.ruleId === `landlock/${rule}`);
  assert.ok(f, `no ${rule} among ${findings.map((x) => x.ruleId).join(", ")}`);
  return f;
}

function simulate(finding: Finding, options: { errata?: (1 | 2 | 3)[] } = {}): Trace {
  assert.ok(finding.scenario, `${finding.ruleId} has a scenario`);
  const v = validateScenario(finding.scenario);
  assert.ok(v.ok, v.ok ? "" : JSON.stringify(v.errors));
  return runScenario(finding.scenario, options);
}

const results = (trace: Trace, op: string, thread?: string) =>
  trace.events.filter((e) => !e.internal && e.op === op && (thread === undefined || e.thread === thread)).map((e) => e.result);

test("single-thread-restrict: the threads named after their spawn lines can still read the file; main cannot", () => {
  const b = new IrBuilder();
  const f = only(check(b.build([b.fn("main", [b.nnp(), b.spawn(), b.spawn("std::thread"), b.restrict()])])), "single-thread-restrict");
  const trace = simulate(f);
  assert.deepEqual(results(trace, "open", "t2"), ["ok"]);
  assert.deepEqual(results(trace, "open", "t3"), ["ok"]);
  assert.deepEqual(results(trace, "open", "main"), ["EACCES"]);
});

test("thread-routine-restrict: the worker is sandboxed, main is not", () => {
  const b = new IrBuilder();
  const f = only(check(b.build([b.fn("worker", [b.restrict()]), b.fn("main", [b.nnp(), b.spawn("pthread_create", { routine: "worker" })])])), "thread-routine-restrict");
  const trace = simulate(f);
  assert.deepEqual(results(trace, "open", "main"), ["ok"]);
  assert.deepEqual(results(trace, "open", "worker"), ["EACCES"]);
});

test("per-thread-scope-conflict: a cross-thread signal is denied without erratum 2 and allowed with it", () => {
  const b = new IrBuilder();
  const f = only(check(b.build([b.fn("main", [b.nnp(), b.spawn(), b.restrict({ mechanism: "libpsx", api: "psx_syscall3", scopes: ["signal"] })])])), "per-thread-scope-conflict");
  const without = simulate(f);
  assert.deepEqual(results(without, "restrict_self"), ["EPERM"], "libpsx's own signal is denied by the scope");
  assert.deepEqual(results(without, "tgkill"), ["EPERM"]);
  const withErratum = simulate(f, { errata: [2] });
  assert.deepEqual(results(withErratum, "restrict_self"), ["ok"]);
  assert.deepEqual(results(withErratum, "tgkill"), ["ok"]);
  assert.equal(new Set(withErratum.threads.map((t) => t.domain)).size, withErratum.threads.length, "each thread in its own domain");
});

test("per-thread-scope-conflict at setuid: setuid succeeds while a thread keeps uid 0", () => {
  const b = new IrBuilder();
  const findings = check(b.build([b.fn("main", [b.cap(), b.spawn(), b.restrict({ mechanism: "libpsx", api: "psx_syscall3", scopes: ["signal"] }), b.setuid()])]));
  const f = findings.find((x) => x.range.start.line === 4)!;
  const trace = simulate(f);
  assert.deepEqual(results(trace, "setuid", "main"), ["ok"]);
  assert.ok(trace.threads.some((t) => t.uid === 0), "a thread kept uid 0");
});

test("scope-signal-conflict: kill is denied, and a late F_SETOWN's SIGIO is dropped", () => {
  const b = new IrBuilder();
  const findings = check(b.build([b.fn("main", [b.nnp(), b.restrict({ scopes: ["signal"] }), b.signal("parent"), b.setown("parent")])]));
  const kill = findings.find((x) => x.range.start.line === 3)!;
  assert.deepEqual(results(simulate(kill), "kill"), ["EPERM"]);
  const setown = findings.find((x) => x.range.start.line === 4)!;
  assert.deepEqual(results(simulate(setown), "sigio"), ["dropped"]);
});

test("scope-abstract-unix-conflict: the connect fails with EPERM", () => {
  const b = new IrBuilder();
  const f = only(check(b.build([b.fn("main", [b.nnp(), b.restrict({ scopes: ["abstract_unix_socket"] }), b.abstractConnect("\0/tmp/.X11-unix/X0")])])), "scope-abstract-unix-conflict");
  assert.deepEqual(results(simulate(f), "connect_abstract"), ["EPERM"]);
});

test("missing-no-new-privs and unchecked-restrict-result: restrict_self fails with EPERM and the file stays readable", () => {
  const b = new IrBuilder();
  const findings = check(b.build([b.fn("main", [b.restrict({ resultChecked: "no" })])]));
  for (const rule of ["missing-no-new-privs", "unchecked-restrict-result"]) {
    const trace = simulate(only(findings, rule));
    assert.deepEqual(results(trace, "restrict_self"), ["EPERM"]);
    assert.deepEqual(results(trace, "open"), ["ok"]);
  }
});

test("abi-compat: TSYNC on the target ABI fails with EINVAL; scopes below ABI 6 fail at create_ruleset", () => {
  const b = new IrBuilder();
  const tsync = only(check(b.build([b.fn("main", [b.nnp(), b.restrict({ tsync: "yes" })])])), "abi-compat");
  assert.deepEqual(results(simulate(tsync), "restrict_self"), ["EINVAL"]);
  const s = new IrBuilder();
  const scopes = only(check(s.build([s.fn("main", [s.nnp(), s.createRuleset({ scopes: ["signal"] })])]), { targetAbi: 5 }), "abi-compat");
  assert.deepEqual(results(simulate(scopes), "create_ruleset"), ["EINVAL"]);
});

test("nesting-limit: the 17th layer fails with E2BIG", () => {
  const b = new IrBuilder();
  const f = only(check(b.build([b.fn("main", [b.nnp(), b.loop([b.createRuleset(), b.restrict()])])])), "nesting-limit");
  const r = results(simulate(f), "restrict_self");
  assert.equal(r.length, 17);
  assert.equal(r[16], "E2BIG");
});

test("unsafe-tsync-fallback: on a kernel without TSYNC the other threads keep access", () => {
  const b = new IrBuilder();
  const f = only(check(b.build([b.fn("main", [b.nnp(), b.spawn(), b.restrict({ tsync: "maybe", tsyncIfAbiAtLeast: 8 })])])), "unsafe-tsync-fallback");
  const trace = simulate(f);
  assert.ok(trace.abi < 8);
  assert.deepEqual(results(trace, "open", "t2"), ["ok"]);
});

test("explainFinding: lanes and summary in text and markdown; a budget too small for the scenario is refused", () => {
  const b = new IrBuilder();
  const f = only(check(b.build([b.fn("main", [b.nnp(), b.spawn(), b.restrict()])])), "single-thread-restrict");
  const text = explainFinding(f, { budgetMs: 5000 });
  assert.equal(text.error, undefined);
  assert.ok(text.withinBudget);
  assert.match(text.text, /t2/);
  assert.ok(text.summary.some((s) => /t2/.test(s)), text.summary.join("\n"));
  const md = explainFinding(f, { format: "markdown" });
  assert.match(md.text, /^\*\*landlock\/single-thread-restrict\*\*/);
  assert.match(md.text, /```text\n/);
  const tight = explainFinding({ ...f, scenario: { ...f.scenario!, steps: Array(5000).fill(f.scenario!.steps[0]) } }, { budgetMs: 1 });
  assert.equal(tight.withinBudget, false);
  assert.match(tight.error!, /does not fit/);
  const none = explainFinding({ ...f, scenario: undefined });
  assert.match(none.error!, /no scenario/);
  const invalid = explainFinding({ ...f, scenario: { name: "x", steps: [{ op: "nope" }] } as never });
  assert.match(invalid.error!, /invalid/);
});
