// The thread rules on hand-built IR: where other threads may exist, where they cannot
// (fresh child, main before any spawn), TSYNC behind ABI checks, precedence.

import { test } from "node:test";
import assert from "node:assert/strict";
import { IrBuilder, abiAtLeast, check, errorPath, other, summary } from "./ir-builder.js";

test("restrict after pthread_create: single-thread-restrict naming the spawn", () => {
  const b = new IrBuilder();
  const body = [b.nnp(), b.spawn("pthread_create", { routine: "worker" }), b.restrict()];
  const findings = check(b.build([b.fn("main", body), b.fn("worker", [])]));
  assert.deepEqual(summary(findings), ["single-thread-restrict@3"]);
  const f = findings[0]!;
  assert.match(f.message, /^1 thread started at line 2 \(pthread_create\) keeps unrestricted access: only the calling thread is sandboxed/);
  assert.equal(f.related[0]!.range.start.line, 2);
  assert.equal(f.severity, "error");
  assert.ok(f.scenario, "carries a scenario");
});

test("restrict in main before any thread starts is clean; threads started after inherit the domain", () => {
  const b = new IrBuilder();
  const findings = check(b.build([b.fn("main", [b.nnp(), b.restrict(), b.spawn(), b.spawn("std::thread")])]));
  assert.deepEqual(summary(findings), []);
});

test("restrict in a fresh child after fork is clean even when the parent has threads", () => {
  const b = new IrBuilder();
  const body = [b.nnp(), b.spawn("pthread_create", { count: "many" }), b.child([b.restrict(), b.exec(), b.exit("process")]), b.signal("own-thread")];
  assert.deepEqual(summary(check(b.build([b.fn("main", body)]))), []);
});

test("a function whose IR says it runs in a child context starts without threads", () => {
  const b = new IrBuilder();
  const helper = b.fn("pre_exec_hook", [b.nnp(), b.restrict()], { childContext: { how: "pre_exec" } });
  const main = b.fn("main", [b.spawn(), b.call("pre_exec_hook")]);
  assert.deepEqual(summary(check(b.build([main, helper]))), []);
});

test("TSYNC behind an ABI check that exits below 8 is clean; without the check it is abi-compat", () => {
  const b = new IrBuilder();
  const guarded = [b.nnp(), b.spawn(), b.abiQuery(), b.branch([[abiAtLeast(8, true), [b.exit("process")]]], { exhaustive: false }), b.restrict({ tsync: "yes" })];
  assert.deepEqual(summary(check(b.build([b.fn("main", guarded)]))), []);
  const u = new IrBuilder();
  const unguarded = [u.nnp(), u.spawn(), u.restrict({ tsync: "yes" })];
  assert.deepEqual(summary(check(u.build([u.fn("main", unguarded)]))), ["abi-compat@3"]);
  assert.deepEqual(summary(check(u.build([u.fn("main", unguarded)]), { targetAbi: 8 })), []);
});

test("an ABI check inside a helper that ends the process protects the caller", () => {
  const b = new IrBuilder();
  const requireTsync = b.fn("require_tsync", [b.abiQuery(), b.branch([[abiAtLeast(8, true), [b.exit("process")]]], { exhaustive: false }), b.exit("function")]);
  const main = b.fn("main", [b.nnp(), b.spawn(), b.call("require_tsync"), b.restrict({ tsync: "yes" })]);
  assert.deepEqual(summary(check(b.build([main, requireTsync]))), []);
});

test("restrict inside a thread start routine is thread-routine-restrict, not single-thread-restrict", () => {
  const b = new IrBuilder();
  const worker = b.fn("worker", [b.restrict()]);
  const main = b.fn("main", [b.nnp(), b.spawn("pthread_create", { routine: "worker" }), b.spawn("pthread_create", { routine: "worker" })]);
  const findings = check(b.build([worker, main]));
  assert.deepEqual(summary(findings), ["thread-routine-restrict@1"]);
  assert.match(findings[0]!.message, /only that thread is sandboxed/);
});

test("restrict in a closure run on another thread is thread-routine-restrict", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.thread([b.restrict()], "std::thread")]);
  assert.deepEqual(summary(check(b.build([main]))), ["thread-routine-restrict@2"]);
});

test("a wrapper reached from a single-threaded point and from a multithreaded one is reported once, with the spawn related", () => {
  const w = new IrBuilder("/project/sandbox.c");
  const sandbox = w.fn("sandbox", [w.restrict()]);
  const m = new IrBuilder("/project/main.c");
  const main = m.fn("main", [m.nnp(), m.call("sandbox"), m.spawn("std::thread"), m.call("sandbox")]);
  const findings = check([m.build([main]), w.build([sandbox])]);
  assert.deepEqual(summary(findings), ["single-thread-restrict@1"]);
  assert.equal(findings[0]!.file, "/project/sandbox.c");
  assert.ok(findings[0]!.related.some((r) => r.file === "/project/main.c" && r.range.start.line === 3));
  assert.match(findings[0]!.message, /main\.c:3/);
});

test("runtime threads (Go, tokio, Node) and assumeMultithreaded make any restrict single-thread", () => {
  const b = new IrBuilder("/project/main.go");
  const main = b.fn("main", [b.nnp(), b.restrict({ api: "unix.Syscall" })], { runtimeThreads: { mechanism: "Go runtime", note: "started before main" } });
  const findings = check(b.build([main], "go"));
  assert.deepEqual(summary(findings), ["single-thread-restrict@2"]);
  assert.match(findings[0]!.message, /Go runtime threads/);
  const c = new IrBuilder();
  const plain = c.build([c.fn("main", [c.nnp(), c.restrict()])]);
  assert.deepEqual(summary(check(plain)), []);
  assert.deepEqual(summary(check(plain, { assumeMultithreaded: true })), ["single-thread-restrict@2"]);
});

test("settings.threadSpawners and restrictWrappers turn calls into spawns and restrictions", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.call("start_pool"), b.call("enforce_sandbox", { resultChecked: "yes" })]);
  assert.deepEqual(summary(check(b.build([main]))), []);
  assert.deepEqual(summary(check(b.build([main]), { threadSpawners: ["start_pool"], restrictWrappers: ["enforce_sandbox"] })), ["single-thread-restrict@3"]);
});

test("documented per-thread designs report no thread rule", () => {
  const b = new IrBuilder();
  const worker = b.fn("worker", [b.nnp(), b.restrict()], { documentedPerThread: true });
  const main = b.fn("main", [b.spawn("pthread_create", { routine: "worker", count: "many" })]);
  assert.deepEqual(summary(check(b.build([worker, main]))), []);
});

test("fd = -1 with LOG_SUBDOMAINS_OFF creates no domain: no thread rule", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [
    b.nnp(),
    b.spawn(),
    b.branch([[abiAtLeast(7), [b.restrict({ fd: "minus-one", logSubdomainsOff: "yes" })]]], { exhaustive: false }),
  ]);
  assert.deepEqual(summary(check(b.build([main]))), []);
});

test("#if alternatives are not a sequence: a spawn in one arm does not precede a restrict in the other", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.branch([[other("USE_THREADS"), [b.spawn()]], [undefined, [b.restrict()]]], { preprocessor: true, exhaustive: true })]);
  assert.deepEqual(summary(check(b.build([main]))), []);
});

test("a spawn on one branch arm is enough after the join", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.branch([[other("threaded"), [b.spawn()]]], { exhaustive: false }), b.restrict()]);
  assert.deepEqual(summary(check(b.build([main]))), ["single-thread-restrict@4"]);
});

test("TSYNC if ABI >= 8 else one thread: unsafe-tsync-fallback on the fallback, over single-thread-restrict", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [
    b.nnp(),
    b.spawn(),
    b.abiQuery(),
    b.branch([[abiAtLeast(8), [b.restrict({ tsync: "yes" })]], [abiAtLeast(8, true), [b.restrict()]]], { exhaustive: true }),
  ]);
  const findings = check(b.build([main]));
  assert.deepEqual(summary(findings), ["unsafe-tsync-fallback@5"]);
  assert.equal(findings[0]!.severity, "warning");
});

test("flags computed as `abi >= 8 ? TSYNC : 0` in a multithreaded process: unsafe-tsync-fallback; single-threaded: clean", () => {
  const b = new IrBuilder();
  const mt = b.fn("main", [b.nnp(), b.spawn(), b.restrict({ tsync: "maybe", tsyncIfAbiAtLeast: 8 })]);
  assert.deepEqual(summary(check(b.build([mt]))), ["unsafe-tsync-fallback@3"]);
  const s = new IrBuilder();
  const st = s.fn("main", [s.nnp(), s.restrict({ tsync: "maybe", tsyncIfAbiAtLeast: 8 })]);
  assert.deepEqual(summary(check(s.build([st]))), []);
  assert.deepEqual(summary(check(b.build([mt]), { targetAbi: 8 })), []);
});

test("retrying without TSYNC when the TSYNC call fails is the same fallback", () => {
  const b = new IrBuilder();
  const main = b.fn("main", [b.nnp(), b.spawn(), b.restrict({ tsync: "yes" }), b.branch([[errorPath, [b.restrict()]]], { exhaustive: false })]);
  // Trying TSYNC and handling its failure is how this code asks the ABI: the fallback is the one finding.
  assert.deepEqual(summary(check(b.build([main]))), ["unsafe-tsync-fallback@4"]);
});

test("libraries: rust-landlock best-effort all_threads and go-landlock without the TSYNC-only tag fall back below ABI 8", () => {
  const b = new IrBuilder("/project/src/main.rs");
  const rust = b.fn("main", [
    b.restrict({
      mechanism: "library",
      tsync: "maybe",
      api: "restrict_self",
      library: { name: "rust-landlock", tsyncWhenAvailable: true, fallbackBelowTsync: "single-thread", bestEffort: true, description: "rust-landlock 0.4.6 all_threads() in best-effort mode" },
    }),
  ], { runtimeThreads: { mechanism: "tokio multi-thread runtime" } });
  assert.deepEqual(summary(check(b.build([rust], "rust"))), ["unsafe-tsync-fallback@1"]);
  assert.deepEqual(summary(check(b.build([rust], "rust"), { targetAbi: 8 })), []);
  const g = new IrBuilder("/project/main.go");
  const strict = g.fn("main", [
    g.restrict({
      mechanism: "library",
      api: "RestrictPaths",
      library: { name: "go-landlock", tsyncWhenAvailable: true, fallbackBelowTsync: "error", bestEffort: false, description: "go-landlock with build tag landlocktsync" },
    }),
  ], { runtimeThreads: { mechanism: "Go runtime" } });
  assert.deepEqual(summary(check(g.build([strict], "go"))), []);
});
