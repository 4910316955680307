// The Rust problem on the real kernel. A Rust program that has started std::threads and
// then calls landlock_restrict_self without TSYNC restricts only the calling thread. The
// test builds a small program (test/support-rust/threads.rs) with rustc at test time (no
// crates: the system calls are declared with `extern "C"`), runs it here in three modes,
// and compares what the kernel did with the simulator's prediction for the matching
// scenario at the kernel's own ABI and errata:
//   single     restrict from main after the workers started: the workers still read the file;
//   perthread  every thread restricts itself (one domain per thread, with signal scoping);
//              a cross-thread tgkill between those domains is allowed exactly when the
//              kernel has erratum 2;
//   tsync      LANDLOCK_RESTRICT_SELF_TSYNC (1 << 3): EINVAL below ABI 8, every thread
//              restricted from ABI 8 on.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Abi, Erratum, Scenario, Step } from "../src/scenario.js";
import { runScenario } from "../src/runner.js";

const SOURCE = fileURLToPath(new URL("../../test/support-rust/threads.rs", import.meta.url));
const WORKERS = 3;

type Mode = "single" | "perthread" | "tsync";

interface RustRun {
  abi: number;
  errata: number[];
  /** Thread name ("main", "worker0", ...) -> OS thread id and the result of open(2). */
  threads: Map<string, { tid: number; open: string }>;
  /** Thread name -> result of its own restrict_self. */
  restricts: Map<string, string>;
  tgkill?: string;
  scoped: number;
}

let work: string | undefined;
let binary: string | undefined;
/** Why the tests cannot run here (skipped with this reason). */
let unavailable: string | undefined;
/** rustc is installed but could not build the program: every test fails with this. */
let buildError: string | undefined;

function rustcVersion(): string | undefined {
  const r = spawnSync("rustc", ["--version"], { encoding: "utf8" });
  return r.error || r.status !== 0 ? undefined : r.stdout.trim();
}

before(() => {
  if (process.platform !== "linux") {
    unavailable = `Landlock needs Linux (this is ${process.platform})`;
    return;
  }
  const version = rustcVersion();
  if (!version) {
    unavailable = "rustc is not installed; the Rust kernel checks need it (no crates are used, only rustc)";
    return;
  }
  work = mkdtempSync(join(tmpdir(), "landlock-rust-"));
  binary = join(work, "threads");
  const r = spawnSync("rustc", ["--edition", "2021", "-O", "-o", binary, SOURCE], { encoding: "utf8", timeout: 300_000 });
  if (r.status !== 0) {
    // rustc is there: a build failure is a test failure, reported by every test below.
    binary = undefined;
    buildError = `${version} could not build ${SOURCE}: ${(r.stderr || r.error?.message || "").trim().split("\n").slice(0, 6).join(" | ")}`;
  }
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function runRust(mode: Mode, file: string): RustRun {
  assert.ok(binary, buildError ?? "the test program was not built");
  const r = spawnSync(binary, [mode, file, String(WORKERS)], { encoding: "utf8", timeout: 30_000 });
  assert.equal(r.status, 0, `${binary} ${mode} failed (${r.status}): ${r.stdout}${r.stderr}`);
  const head = /^abi (-?\d+) (?:errata (\d+)|errno (\w+))/.exec(r.stdout);
  assert.ok(head, `unexpected output: ${r.stdout}`);
  assert.match(r.stdout, new RegExp(`^mode ${mode}$`, "m"));
  const mask = Number(head[2] ?? 0);
  const errata: number[] = [];
  for (let bit = 0; bit < 31; bit++) if ((mask >> bit) & 1) errata.push(bit + 1);
  const threads = new Map<string, { tid: number; open: string }>();
  for (const m of r.stdout.matchAll(/^thread (\w+) tid=(\d+) open=(\w+)$/gm)) threads.set(m[1]!, { tid: Number(m[2]), open: m[3]! });
  const restricts = new Map<string, string>();
  for (const m of r.stdout.matchAll(/^restrict (\w+) ([\w-]+)$/gm)) restricts.set(m[1]!, m[2]!);
  const tgkill = /^tgkill worker0->worker1 (\w+)$/m.exec(r.stdout)?.[1];
  const scoped = Number(/^create ok scoped=(\d+)$/m.exec(r.stdout)?.[1] ?? -1);
  return { abi: Number(head[1]), errata, threads, restricts, ...(tgkill ? { tgkill } : {}), scoped };
}

const workers = Array.from({ length: WORKERS }, (_, i) => `worker${i}`);
const everyone = ["main", ...workers];

/** The program as a scenario: workers exist before the restriction, then every thread opens the file. */
function scenarioFor(mode: Mode, file: string, scoped: boolean): Scenario {
  const restrictors = mode === "perthread" ? everyone : ["main"];
  const steps: Step[] = [
    ...workers.map((w): Step => ({ op: "spawn_thread", thread: "main", new: w })),
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"], ...(scoped ? { scoped: ["signal" as const] } : {}) },
    ...restrictors.flatMap((t): Step[] => [
      { op: "prctl_no_new_privs", thread: t },
      { op: "restrict_self", thread: t, ruleset: "rs", ...(mode === "tsync" ? { flags: ["tsync" as const] } : {}) },
    ]),
    ...everyone.map((t): Step => ({ op: "open", thread: t, path: file, access: "read" })),
    ...(mode === "perthread" ? [{ op: "tgkill", thread: "worker0", target: "worker1", signal: "SIGUSR1" } as Step] : []),
  ];
  return { name: `rust-${mode}`, files: [file], steps };
}

interface Prediction {
  opens: Record<string, string>;
  restricts: Record<string, string>;
  tgkill?: string;
  domains: number;
}

function predict(mode: Mode, file: string, run: RustRun, errata: number[] = run.errata): Prediction {
  const trace = runScenario(scenarioFor(mode, file, run.scoped > 0), {
    abi: Math.min(Math.max(run.abi, 1), 11) as Abi,
    errata: errata.filter((e) => e >= 1 && e <= 3) as Erratum[],
  });
  const out: Prediction = { opens: {}, restricts: {}, domains: 0 };
  for (const e of trace.events) {
    if (e.internal) continue;
    if (e.op === "open") out.opens[e.thread] = e.result;
    if (e.op === "restrict_self") out.restricts[e.thread] = e.result;
    if (e.op === "tgkill") out.tgkill = e.result;
  }
  out.domains = new Set(trace.threads.filter((th) => th.process === trace.threads[0]!.process && th.domain).map((th) => th.domain)).size;
  return out;
}

function forbiddenFile(): string {
  const file = join(work!, "forbidden.txt");
  writeFileSync(file, "secret\n");
  return file;
}

function opensOf(run: RustRun): Record<string, string> {
  return Object.fromEntries([...run.threads].map(([name, t]) => [name, t.open]));
}

test("Rust: restrict_self (syscall 446) after std::thread::spawn restricts only main; the workers still read the file", (t) => {
  if (unavailable) return t.skip(unavailable);
  const file = forbiddenFile();
  const run = runRust("single", file);
  if (run.abi < 1) return t.skip("this kernel has no usable Landlock");
  assert.equal(run.threads.size, WORKERS + 1);
  assert.equal(new Set([...run.threads.values()].map((x) => x.tid)).size, WORKERS + 1, "every std::thread is its own OS thread");
  assert.equal(run.restricts.get("main"), "ok");
  assert.equal(run.threads.get("main")!.open, "EACCES", "the restricted thread is denied");
  for (const w of workers) assert.equal(run.threads.get(w)!.open, "ok", `${w} existed before the restriction and keeps its access`);
  const model = predict("single", file, run);
  assert.deepEqual(opensOf(run), model.opens, "the simulator predicts what the kernel did");
  assert.deepEqual(Object.fromEntries(run.restricts), model.restricts);
  t.diagnostic(`ABI ${run.abi}, errata [${run.errata.join(",")}]: main denied, ${WORKERS} workers still read the file; model agrees`);
});

test("Rust: every thread restricting itself ends in a domain of its own; cross-thread signals follow erratum 2", (t) => {
  if (unavailable) return t.skip(unavailable);
  const file = forbiddenFile();
  const run = runRust("perthread", file);
  if (run.abi < 1) return t.skip("this kernel has no usable Landlock");
  for (const name of everyone) assert.equal(run.restricts.get(name), "ok", `${name} restricted itself`);
  for (const [name, x] of run.threads) assert.equal(x.open, "EACCES", `${name} must be denied`);
  const model = predict("perthread", file, run);
  assert.deepEqual(opensOf(run), model.opens, "the simulator predicts what the kernel did");
  assert.deepEqual(Object.fromEntries(run.restricts), model.restricts);
  assert.equal(model.domains, WORKERS + 1, "per-thread enforcement: one distinct domain per thread");
  if (run.scoped === 0) {
    t.diagnostic(`ABI ${run.abi} has no signal scoping: the tgkill part is not meaningful here`);
    return;
  }
  // The signal goes from worker0's domain to worker1's: neither is the other's ancestor.
  assert.ok(run.tgkill, "the program reports its tgkill");
  assert.equal(run.tgkill, model.tgkill, `tgkill between sibling per-thread domains: kernel ${run.tgkill}, model ${model.tgkill}`);
  assert.equal(run.tgkill, run.errata.includes(2) ? "ok" : "EPERM");
  // And the model says what a kernel without erratum 2 would do with the same program.
  const without = predict("perthread", file, run, run.errata.filter((e) => e !== 2));
  assert.equal(without.tgkill, "EPERM");
  t.diagnostic(`ABI ${run.abi}, errata [${run.errata.join(",")}]: ${WORKERS + 1} threads in ${model.domains} domains, all denied; tgkill worker0->worker1 ${run.tgkill} (model: ${model.tgkill}; without erratum 2 the model says ${without.tgkill})`);
});

test("Rust: LANDLOCK_RESTRICT_SELF_TSYNC (1 << 3) is EINVAL below ABI 8 and restricts every thread from ABI 8 on", (t) => {
  if (unavailable) return t.skip(unavailable);
  const file = forbiddenFile();
  const run = runRust("tsync", file);
  if (run.abi < 1) return t.skip("this kernel has no usable Landlock");
  const model = predict("tsync", file, run);
  assert.equal(run.restricts.get("main"), model.restricts.main, `restrict_self with TSYNC: kernel ${run.restricts.get("main")}, model ${model.restricts.main}`);
  assert.deepEqual(opensOf(run), model.opens, "the simulator predicts what the kernel did");
  if (run.abi < 8) {
    assert.equal(run.restricts.get("main"), "EINVAL");
    for (const [name, x] of run.threads) assert.equal(x.open, "ok", `${name}: nothing was restricted`);
  } else {
    assert.equal(run.restricts.get("main"), "ok");
    for (const [name, x] of run.threads) assert.equal(x.open, "EACCES", `${name}: TSYNC restricts every thread`);
  }
  t.diagnostic(`ABI ${run.abi}: restrict_self(fd, TSYNC) -> ${run.restricts.get("main")}; model agrees`);
});
