// Rules about preconditions and robustness on hand-built IR: no_new_privs, checked
// results, ABI compatibility, the 16-layer limit; plus rule levels from the settings.

import { test } from "node:test";
import assert from "node:assert/strict";
import { IrBuilder, abiAtLeast, check, other, summary } from "./ir-builder.js";

test("restrict without no_new_privs or CAP_SYS_ADMIN: missing-no-new-privs", () => {
  const b = new IrBuilder();
  const findings = check(b.build([b.fn("main", [b.restrict()])]));
  assert.deepEqual(summary(findings), ["missing-no-new-privs@1"]);
  assert.match(findings[0]!.message, /EPERM/);
});

test("no_new_privs in a caller in another file, CAP_SYS_ADMIN evidence, or the ABI 11 flag: nothing", () => {
  const w = new IrBuilder("/project/sandbox.c");
  const sandbox = w.fn("sandbox", [w.restrict()]);
  const m = new IrBuilder("/project/main.c");
  const main = m.fn("main", [m.nnp(), m.call("sandbox")]);
  assert.deepEqual(summary(check([m.build([main]), w.build([sandbox])])), []);
  const c = new IrBuilder();
  assert.deepEqual(summary(check(c.build([c.fn("main", [c.cap(), c.restrict()])]))), []);
  const f = new IrBuilder();
  assert.deepEqual(summary(check(f.build([f.fn("main", [f.restrict({ noNewPrivsFlag: "yes" })])]), { targetAbi: 11 })), []);
});

test("no_new_privs set on only one path (maybe) is not reported: precision", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.branch([[other("strict"), [b.nnp()]]], { exhaustive: false }), b.restrict()]);
  assert.deepEqual(summary(check(b.build([main]))), []);
});

test("no_new_privs set after the restrict does not help", () => {
  const b = new IrBuilder();
  assert.deepEqual(summary(check(b.build([b.fn("main", [b.restrict(), b.nnp()])]))), ["missing-no-new-privs@1"]);
});

test("a thread inherits no_new_privs from its spawner at spawn time, not later", () => {
  const b = new IrBuilder();
  const worker = b.fn("worker", [b.restrict({ tsync: "yes" })]);
  const main = b.fn("main", [b.spawn("pthread_create", { routine: "worker" }), b.nnp()]);
  assert.deepEqual(summary(check(b.build([worker, main]), { targetAbi: 8 })), ["missing-no-new-privs@1"]);
  const g = new IrBuilder();
  const worker2 = g.fn("worker", [g.restrict({ tsync: "yes" })]);
  const main2 = g.fn("main", [g.nnp(), g.spawn("pthread_create", { routine: "worker" })]);
  assert.deepEqual(summary(check(g.build([worker2, main2]), { targetAbi: 8 })), []);
});

test("libraries that set no_new_privs themselves never trigger the rule", () => {
  const b = new IrBuilder("/project/src/main.rs");
  const main = b.fn("main", [
    b.restrict({
      mechanism: "library",
      tsync: "no",
      api: "restrict_self",
      library: { name: "rust-landlock", tsyncWhenAvailable: false, fallbackBelowTsync: "none", bestEffort: true, description: "rust-landlock 0.4" },
    }),
  ]);
  assert.deepEqual(summary(check(b.build([main], "rust"))), []);
});

test("an uncalled function next to main (a handler or callback) has an unknown no_new_privs; a library API without an entry point does not", () => {
  const b = new IrBuilder();
  const handler = b.fn("on_signal", [b.restrict()]);
  const main = b.fn("main", [b.nnp()]);
  assert.deepEqual(summary(check(b.build([handler, main]))), []);
  const l = new IrBuilder("/project/libsandbox.c");
  assert.deepEqual(summary(check(l.build([l.fn("sandbox_enable", [l.restrict()])]))), ["missing-no-new-privs@1"]);
});

test("unchecked results: restrict, create_ruleset and add_rule with results ignored; maybe is not reported", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [
    b.nnp(),
    b.createRuleset({ resultChecked: "no" }),
    b.addRule("no"),
    b.addRule("maybe"),
    b.restrict({ resultChecked: "no" }),
    b.restrict({ resultChecked: "maybe" }),
  ]);
  const findings = check(b.build([main]));
  assert.deepEqual(summary(findings), ["unchecked-restrict-result@2", "unchecked-restrict-result@3", "unchecked-restrict-result@5"]);
  assert.ok(findings.every((f) => f.severity === "error"));
});

test("a wrapper returning the restrict result, called with the result ignored: reported at the call", () => {
  const b = new IrBuilder();
  const enforce = b.fn("enforce", [b.restrict({ resultReturned: true })]);
  const main = b.fn("main", [b.nnp(), b.call("enforce", { resultChecked: "no" }), b.call("enforce", { resultChecked: "yes" })]);
  assert.deepEqual(summary(check(b.build([enforce, main]))), ["unchecked-restrict-result@4"]);
  const h = new IrBuilder();
  const handles = h.fn("enforce", [h.restrict({ resultReturned: false }), h.branch([[{ kind: "error-path" }, [h.exit("process")]]], { exhaustive: false })]);
  const main2 = h.fn("main", [h.nnp(), h.call("enforce", { resultChecked: "no" })]);
  assert.deepEqual(summary(check(h.build([handles, main2]))), []);
});

test("abi-compat: TSYNC and LOG flags beyond the target ABI without asking; a guard, masking or a higher target clears it", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.restrict({ tsync: "yes", logSameExecOff: "yes" })]);
  const findings = check(b.build([main]));
  assert.deepEqual(summary(findings), ["abi-compat@2"]);
  assert.match(findings[0]!.message, /TSYNC needs ABI 8.*LOG_SAME_EXEC_OFF needs ABI 7/);
  assert.deepEqual(summary(check(b.build([main]), { targetAbi: 8 })), []);
  const g = new IrBuilder();
  const guarded = g.fn("main", [g.nnp(), g.abiQuery(), g.branch([[abiAtLeast(7), [g.restrict({ logSameExecOff: "yes" })]]], { exhaustive: false })]);
  assert.deepEqual(summary(check(g.build([guarded]))), []);
});

test("abi-compat: scopes and rights of a ruleset beyond the target, reported at create_ruleset unless masked", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.createRuleset({ scopes: ["signal"] }), b.createRuleset({ scopes: ["signal"], maskedByAbi: true })]);
  assert.deepEqual(summary(check(b.build([main]))), []);
  assert.deepEqual(summary(check(b.build([main]), { targetAbi: 5 })), ["abi-compat@2"]);
});

test("abi-compat: TSYNC added from the wrong ABI threshold", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.abiQuery(), b.restrict({ tsync: "maybe", tsyncIfAbiAtLeast: 7 })]);
  const findings = check(b.build([main]));
  assert.deepEqual(summary(findings), ["abi-compat@3"]);
  assert.match(findings[0]!.message, /added from ABI 7 on\) needs ABI 8/);
});

test("abi-compat: a condition the front-end could not read after asking the ABI may be the ABI test", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.abiQuery(), b.branch([[other("supports_tsync(abi)"), [b.restrict({ tsync: "yes" })]]], { exhaustive: false })]);
  assert.deepEqual(summary(check(b.build([main]))), []);
});

test("nesting-limit: restrict in an unbounded loop, a recursive function or a handler; not in a short bounded loop or a retry", () => {
  const b = new IrBuilder();
  const loop = b.fn("main", [b.nnp(), b.loop([b.createRuleset(), b.restrict()])]);
  const findings = check(b.build([loop]));
  assert.deepEqual(summary(findings), ["nesting-limit@3"]);
  assert.equal(findings[0]!.severity, "warning");
  assert.match(findings[0]!.message, /loop/);

  const s = new IrBuilder();
  const bounded = s.fn("main", [s.nnp(), { kind: "loop", body: [s.restrict()], range: s.range(), maxIterations: 3 }]);
  assert.deepEqual(summary(check(s.build([bounded]))), []);
  const l = new IrBuilder();
  const long = l.fn("main", [l.nnp(), { kind: "loop", body: [l.createRuleset(), l.restrict()], range: l.range(), maxIterations: 20 }]);
  assert.deepEqual(summary(check(l.build([long]))), ["nesting-limit@3"]);

  const r = new IrBuilder();
  const retry = r.fn("main", [r.nnp(), { kind: "loop", body: [r.createRuleset(), r.restrict()], range: r.range(), repeatCond: { kind: "error-path" } }]);
  assert.deepEqual(summary(check(r.build([retry]))), []);

  const c = new IrBuilder();
  const walk = c.fn("walk", [c.restrict(), c.call("walk")]);
  const main = c.fn("main", [c.nnp(), c.call("walk")]);
  assert.deepEqual(summary(check(c.build([walk, main]))), ["nesting-limit@1"]);

  const h = new IrBuilder();
  const handler = h.fn("on_sighup", [h.restrict()], { runsRepeatedly: { how: "sigaction(SIGHUP)" } });
  assert.deepEqual(summary(check(h.build([handler, h.fn("main", [h.nnp()])]))), ["nesting-limit@1"]);
});

test("nesting-limit: 17 sequential layers on one path; 16 are fine; a child forked in a loop starts from its parent's layers", () => {
  const b = new IrBuilder();
  const sixteen = Array.from({ length: 16 }, () => b.restrict());
  assert.deepEqual(summary(check(b.build([b.fn("main", [b.nnp(), ...sixteen])]))), []);
  const c = new IrBuilder();
  const seventeen = Array.from({ length: 17 }, () => c.restrict());
  assert.deepEqual(summary(check(c.build([c.fn("main", [c.nnp(), ...seventeen])]))), ["nesting-limit@17"]);
  const f = new IrBuilder();
  const perConnection = f.fn("main", [f.nnp(), f.loop([f.child([f.restrict(), f.exec(), f.exit("process")])])]);
  assert.deepEqual(summary(check(f.build([perConnection]))), []);
});

test("settings.rules: off drops a rule, warn and error set its severity", () => {
  const b = new IrBuilder();
  const file = b.build([b.fn("main", [b.spawn(), b.restrict({ resultChecked: "no" })])]);
  assert.deepEqual(summary(check(file)), ["missing-no-new-privs@2", "single-thread-restrict@2", "unchecked-restrict-result@2"]);
  const tuned = check(file, { rules: { "missing-no-new-privs": "off", "landlock/single-thread-restrict": "warn" } as never });
  assert.deepEqual(summary(tuned), ["single-thread-restrict@2", "unchecked-restrict-result@2"]);
  assert.equal(tuned.find((f) => f.ruleId === "landlock/single-thread-restrict")!.severity, "warning");
  const nesting = new IrBuilder();
  const loopFile = nesting.build([nesting.fn("main", [nesting.nnp(), nesting.loop([nesting.restrict()])])]);
  assert.equal(check(loopFile, { rules: { "nesting-limit": "error" } })[0]!.severity, "error");
});

test("fingerprints are stable across line shifts and distinct for distinct findings", () => {
  const a = new IrBuilder();
  const first = check(a.build([a.fn("main", [a.restrict(), a.restrict()])]));
  const b = new IrBuilder();
  b.range();
  b.range();
  const shifted = check(b.build([b.fn("main", [b.restrict(), b.restrict()])]));
  assert.equal(first.length, 2);
  assert.notEqual(first[0]!.fingerprint, first[1]!.fingerprint);
  assert.deepEqual(shifted.map((f) => f.fingerprint), first.map((f) => f.fingerprint));
});

test("a library status the code never examines counts as an unchecked result", () => {
  const b = new IrBuilder("/project/src/main.rs");
  const node = b.restrict({
    mechanism: "library",
    api: "restrict_self",
    library: { name: "rust-landlock", tsyncWhenAvailable: false, fallbackBelowTsync: "none", bestEffort: true, description: "rust-landlock 0.4" },
  });
  if (node.kind === "op") Object.assign(node.op, { statusIgnored: true });
  const findings = check(b.build([b.fn("main", [node])], "rust"));
  assert.deepEqual(summary(findings), ["unchecked-restrict-result@1"]);
  assert.match(findings[0]!.message, /status/);
});
