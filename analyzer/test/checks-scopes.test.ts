// Scope rules on hand-built IR: which signals and connects a scoped domain denies, which
// it does not (own threads, processes inside the domain, F_SETOWN set before enforcement),
// and per-thread domains with scopes, erratum 2 included.

import { test } from "node:test";
import assert from "node:assert/strict";
import { IrBuilder, check, summary } from "./ir-builder.js";

test("kill(getppid()) after a signal-scoped restriction: scope-signal-conflict pointing at the enforcement", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.restrict({ scopes: ["signal"] }), b.signal("parent")]);
  const findings = check(b.build([main]));
  assert.deepEqual(summary(findings), ["scope-signal-conflict@3"]);
  assert.match(findings[0]!.message, /parent process.*EPERM/);
  assert.equal(findings[0]!.related[0]!.range.start.line, 2);
});

test("signals to the process's own threads or itself, or before enforcement, are fine", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.signal("parent"), b.restrict({ scopes: ["signal"] }), b.signal("own-thread"), b.signal("own-process"), b.signal("unknown")]);
  assert.deepEqual(summary(check(b.build([main]))), []);
});

test("without the signal scope (or with scopes the front-end could not read) nothing is reported", () => {
  const b = new IrBuilder();
  const fsOnly = b.fn("main", [b.nnp(), b.restrict({ scopes: [] }), b.signal("parent"), b.setown("other-process")]);
  assert.deepEqual(summary(check(b.build([fsOnly]))), []);
  const u = new IrBuilder();
  const unknown = u.fn("main", [u.nnp(), u.restrict({ scopes: ["signal"], scopesKnown: false }), u.signal("parent")]);
  assert.deepEqual(summary(check(u.build([unknown]))), []);
});

test("F_SETOWN set after enforcement is reported; set before, it keeps working", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.setown("parent"), b.restrict({ scopes: ["signal"] }), b.setown("other-process")]);
  const findings = check(b.build([main]));
  assert.deepEqual(summary(findings), ["scope-signal-conflict@4"]);
  assert.match(findings[0]!.message, /silently dropped/);
});

test("a child forked after enforcement shares the domain: a pid may name it; a domain inherited from the parent covers the parent", () => {
  const b = new IrBuilder();
  const afterFork = b.fn("main", [b.nnp(), b.restrict({ scopes: ["signal"] }), b.child([b.exec(), b.exit("process")]), b.signal("other-process")]);
  assert.deepEqual(summary(check(b.build([afterFork]))), []);
  const c = new IrBuilder();
  const inherited = c.fn("main", [c.nnp(), c.restrict({ scopes: ["signal"] }), c.child([c.signal("parent"), c.exit("process")])]);
  assert.deepEqual(summary(check(c.build([inherited]))), []);
  const d = new IrBuilder();
  const ownDomain = d.fn("main", [d.nnp(), d.child([d.restrict({ scopes: ["signal"] }), d.signal("parent"), d.exit("process")])]);
  assert.deepEqual(summary(check(d.build([ownDomain]))), ["scope-signal-conflict@3"]);
});

test("abstract unix socket connect after the abstract scope: scope-abstract-unix-conflict", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.abstractConnect("\0early"), b.restrict({ scopes: ["abstract_unix_socket"] }), b.abstractConnect("\0/tmp/.X11-unix/X0")]);
  const findings = check(b.build([main]));
  assert.deepEqual(summary(findings), ["scope-abstract-unix-conflict@4"]);
  assert.match(findings[0]!.message, /EPERM/);
  const s = new IrBuilder();
  const signalOnly = s.fn("main", [s.nnp(), s.restrict({ scopes: ["signal"] }), s.abstractConnect()]);
  assert.deepEqual(summary(check(s.build([signalOnly]))), []);
});

test("a scope conflict in a helper reached after enforcement is reported in the helper", () => {
  const h = new IrBuilder("/project/notify.c");
  const notify = h.fn("notify_parent", [h.signal("parent")]);
  const m = new IrBuilder("/project/main.c");
  const main = m.fn("main", [m.nnp(), m.restrict({ scopes: ["signal"] }), m.call("notify_parent")]);
  const findings = check([m.build([main]), h.build([notify])]);
  assert.deepEqual(findings.map((f) => `${f.file}:${f.range.start.line}`), ["/project/notify.c:1"]);
});

test("a signal on the failure path of a wrapper that enforces is not after enforcement", () => {
  const w = new IrBuilder();
  const sandbox = w.fn("sandbox", [w.restrict({ scopes: ["signal"] })]);
  const main = w.fn("main", [w.nnp(), w.call("sandbox", { resultChecked: "yes" }), w.branch([[{ kind: "other", text: "sandbox() != 0" }, [w.signal("other-process"), w.exit("process")]]], { exhaustive: false }), w.signal("other-process")]);
  assert.deepEqual(summary(check(w.build([sandbox, main]))), ["scope-signal-conflict@8"]);
});

test("libpsx with the signal scope: per-thread-scope-conflict, an error without erratum 2 and a warning with it", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.spawn(), b.restrict({ mechanism: "libpsx", api: "psx_syscall3", scopes: ["signal"] })]);
  const file = b.build([main]);
  const plain = check(file);
  assert.deepEqual(summary(plain), ["per-thread-scope-conflict@3"]);
  assert.equal(plain[0]!.severity, "error");
  assert.match(plain[0]!.message, /unless the kernel has erratum 2/);
  const withErratum = check(file, { errata: [2] });
  assert.equal(withErratum[0]!.severity, "warning");
  assert.doesNotMatch(withErratum[0]!.message, /unless the kernel has erratum 2/);
});

test("per-thread enforcement with the abstract socket scope stays an error with erratum 2", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.spawn(), b.restrict({ mechanism: "all-threads-syscall", api: "syscall.AllThreadsSyscall", scopes: ["abstract_unix_socket"] })]);
  const findings = check(b.build([main]), { errata: [2] });
  assert.deepEqual(summary(findings), ["per-thread-scope-conflict@3"]);
  assert.equal(findings[0]!.severity, "error");
});

test("per-thread enforcement without scopes is fine", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.spawn(), b.restrict({ mechanism: "libpsx", api: "psx_syscall3", scopes: [] })]);
  assert.deepEqual(summary(check(b.build([main]))), []);
});

test("setuid after per-thread domains with the signal scope: reported at the setuid, unless erratum 2 is assumed", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.cap(), b.spawn(), b.restrict({ mechanism: "libpsx", api: "psx_syscall3", scopes: ["signal"] }), b.setuid()]);
  const file = b.build([main]);
  assert.deepEqual(summary(check(file)), ["per-thread-scope-conflict@3", "per-thread-scope-conflict@4"]);
  const setuidFinding = check(file).find((f) => f.range.start.line === 4)!;
  assert.match(setuidFinding.message, /keep the old credentials/);
  assert.deepEqual(summary(check(file, { errata: [2] })), ["per-thread-scope-conflict@3"]);
});

test("a documented per-thread design with the signal scope: only the scope conflict is reported", () => {
  const b = new IrBuilder();
  const worker = b.fn("worker", [b.restrict({ scopes: ["signal"] })], { documentedPerThread: true });
  const main = b.fn("main", [b.nnp(), b.spawn("pthread_create", { routine: "worker", count: "many" })]);
  assert.deepEqual(summary(check(b.build([worker, main]))), ["per-thread-scope-conflict@1"]);
});

test("go-landlock below ABI 8 without the TSYNC-only tag falls back to per-thread domains: with the abstract scope, both findings", () => {
  const b = new IrBuilder("/project/main.go");
  const main = b.fn(
    "main",
    [
      b.restrict({
        mechanism: "library",
        api: "landlock.V6.RestrictPaths",
        scopes: ["abstract_unix_socket"],
        library: { name: "go-landlock", tsyncWhenAvailable: true, fallbackBelowTsync: "per-thread", bestEffort: false, description: "go-landlock v0.5.0" },
      }),
    ],
    { runtimeThreads: { mechanism: "Go runtime" } },
  );
  const file = b.build([main], "go");
  assert.deepEqual(summary(check(file)), ["per-thread-scope-conflict@1", "unsafe-tsync-fallback@1"]);
  assert.deepEqual(summary(check(file, { targetAbi: 8 })), []);
});

test("a signal whose target is a parameter takes the target its caller's argument names", () => {
  const b = new IrBuilder();
  const signalOp = { type: "signal", target: "unknown", targetParam: 0, api: "kill", range: b.range() } as const;
  const notify = b.fn("notify", [{ kind: "op", op: signalOp as never }]);
  const callTo = (target: string) => {
    const r = b.range();
    return { kind: "op", op: { type: "call", callee: "notify", resultChecked: "no", argTargets: [{ index: 0, target }], range: r, calleeRange: r } } as never;
  };
  const main = b.fn("main", [b.nnp(), b.restrict({ scopes: ["signal"] }), callTo("own-process"), callTo("other-process")]);
  const findings = check(b.build([notify, main]));
  assert.deepEqual(summary(findings), ["scope-signal-conflict@1"]);
  assert.match(findings[0]!.message, /another process/);
  const quiet = new IrBuilder();
  const notify2 = quiet.fn("notify", [{ kind: "op", op: { ...signalOp, range: quiet.range() } as never }]);
  const main2 = quiet.fn("main", [quiet.nnp(), quiet.restrict({ scopes: ["signal"] }), quiet.call("notify")]);
  assert.deepEqual(summary(check(quiet.build([notify2, main2]))), []);
});

test("go-landlock turns signal scoping off where per-thread domains would break signals: no per-thread conflict for it", () => {
  const b = new IrBuilder("/project/main.go");
  const lib = { name: "go-landlock" as const, tsyncWhenAvailable: true, fallbackBelowTsync: "per-thread" as const, bestEffort: false, description: "go-landlock v0.6.0" };
  const main = b.fn("main", [b.restrict({ mechanism: "library", api: "landlock.V6.Restrict", scopes: ["signal"], library: lib }), b.setuid()], {
    runtimeThreads: { mechanism: "Go runtime" },
  });
  assert.deepEqual(summary(check(b.build([main], "go"))), ["unsafe-tsync-fallback@1"]);
});
