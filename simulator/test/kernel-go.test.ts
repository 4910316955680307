// The Go problem on the real kernel. A Go program is multithreaded before main, and
// landlock_restrict_self without TSYNC restricts one OS thread: the test builds a small
// standard-library program (test/support-go) twice with the distribution's Go toolchain,
// once restricting through syscall.Syscall(446) and once through syscall.AllThreadsSyscall,
// runs both here, and checks that (1) goroutines pinned to other OS threads before the
// restriction still read the forbidden file after syscall.Syscall, (2) no thread can after
// AllThreadsSyscall, and (3) the simulator predicts exactly that for the matching scenarios.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Abi, Erratum, Scenario, Step } from "../src/scenario.js";
import { runScenario } from "../src/runner.js";

const SOURCE = fileURLToPath(new URL("../../test/support-go/", import.meta.url));
const WORKERS = 3;

type Mechanism = "syscall" | "all_threads_syscall";

interface GoRun {
  abi: number;
  errata: number[];
  mechanism: string;
  /** Thread name ("main", "worker0", ...) -> OS thread id and the result of open(2). */
  threads: Map<string, { tid: number; open: string }>;
}

let work: string | undefined;
let unavailable: string | undefined;
const binaries = new Map<Mechanism, string>();

function goVersion(): string | undefined {
  const r = spawnSync("go", ["version"], { encoding: "utf8" });
  return r.error || r.status !== 0 ? undefined : r.stdout.trim();
}

/** Offline, standard library only, caches in a temporary folder, never a downloaded toolchain. */
function goEnv(dir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOPATH: join(dir, "gopath"),
    GOCACHE: join(dir, "gocache"),
    GOTOOLCHAIN: "local",
    GOPROXY: "off",
    GOFLAGS: "",
    GO111MODULE: "on",
    // AllThreadsSyscall refuses to run (ENOTSUP) when cgo is enabled.
    CGO_ENABLED: "0",
  };
}

before(() => {
  if (process.platform !== "linux") {
    unavailable = `Landlock needs Linux (this is ${process.platform})`;
    return;
  }
  const version = goVersion();
  if (!version) {
    unavailable = "go is not installed (Debian: apt-get install golang-go); the Go kernel checks need it";
    return;
  }
  work = mkdtempSync(join(tmpdir(), "landlock-go-"));
  for (const [mechanism, tags] of [["syscall", ""], ["all_threads_syscall", "allthreads"]] as const) {
    const out = join(work, `threads-${mechanism}`);
    const r = spawnSync("go", ["build", "-tags", tags, "-o", out, "."], { cwd: SOURCE, env: goEnv(work), encoding: "utf8", timeout: 300_000 });
    if (r.status !== 0) {
      unavailable = `${version} could not build test/support-go (${mechanism}): ${(r.stderr || r.error?.message || "").trim().split("\n").slice(0, 3).join(" | ")}`;
      return;
    }
    binaries.set(mechanism, out);
  }
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function runGo(mechanism: Mechanism, file: string): GoRun {
  const bin = binaries.get(mechanism)!;
  const r = spawnSync(bin, [file, String(WORKERS)], { encoding: "utf8", timeout: 30_000 });
  assert.equal(r.status, 0, `${bin} failed (${r.status}): ${r.stdout}${r.stderr}`);
  const head = /^abi (-?\d+) (?:errata (\d+)|errno (\w+))/.exec(r.stdout);
  assert.ok(head, `unexpected output: ${r.stdout}`);
  const abi = Number(head[1]);
  const mask = Number(head[2] ?? 0);
  const errata: number[] = [];
  for (let bit = 0; bit < 31; bit++) if ((mask >> bit) & 1) errata.push(bit + 1);
  const threads = new Map<string, { tid: number; open: string }>();
  for (const m of r.stdout.matchAll(/^thread (\w+) tid=(\d+) open=(\w+)$/gm)) threads.set(m[1]!, { tid: Number(m[2]), open: m[3]! });
  const mech = /^mechanism (\w+)$/m.exec(r.stdout)?.[1] ?? "";
  return { abi, errata, mechanism: mech, threads };
}

/** The same program as a scenario: workers exist before the restriction, then every thread opens the file. */
function scenarioFor(mechanism: Mechanism, file: string): Scenario {
  const workers = Array.from({ length: WORKERS }, (_, i) => `worker${i}`);
  const steps: Step[] = [
    ...workers.map((w): Step => ({ op: "spawn_thread", thread: "main", new: w })),
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"] },
    // AllThreadsSyscall(SYS_PRCTL, ...) sets no_new_privs on every thread; syscall.Syscall on main only.
    ...(mechanism === "all_threads_syscall" ? ["main", ...workers] : ["main"]).map((t): Step => ({ op: "prctl_no_new_privs", thread: t })),
    { op: "restrict_self", thread: "main", ruleset: "rs", via: mechanism },
    ...["main", ...workers].map((t): Step => ({ op: "open", thread: t, path: file, access: "read" })),
  ];
  return { name: `go-${mechanism}`, files: [file], steps };
}

function predicted(mechanism: Mechanism, file: string, run: GoRun): Map<string, string> {
  const trace = runScenario(scenarioFor(mechanism, file), { abi: Math.min(Math.max(run.abi, 1), 11) as Abi, errata: run.errata.filter((e) => e >= 1 && e <= 3) as Erratum[] });
  const out = new Map<string, string>();
  for (const e of trace.events) if (e.op === "open" && !e.internal) out.set(e.thread, e.result);
  return out;
}

function observed(run: GoRun): Map<string, string> {
  return new Map([...run.threads].map(([name, t]) => [name, t.open === "ok" ? "ok" : t.open]));
}

function forbiddenFile(): string {
  const file = join(work!, "forbidden.txt");
  writeFileSync(file, "secret\n");
  return file;
}

test("Go: syscall.Syscall(446) restricts only the calling OS thread; goroutines pinned to other threads still read the file", (t) => {
  if (unavailable) return t.skip(unavailable);
  const file = forbiddenFile();
  const run = runGo("syscall", file);
  if (run.abi < 1) return t.skip("this kernel has no usable Landlock");
  assert.equal(run.mechanism, "syscall");
  assert.equal(run.threads.size, WORKERS + 1, `expected ${WORKERS + 1} threads: ${[...run.threads.keys()].join(", ")}`);
  const tids = new Set([...run.threads.values()].map((x) => x.tid));
  assert.equal(tids.size, WORKERS + 1, "every goroutine must run on its own OS thread");
  assert.equal(run.threads.get("main")!.open, "EACCES", "the restricted thread must be denied");
  for (let i = 0; i < WORKERS; i++) assert.equal(run.threads.get(`worker${i}`)!.open, "ok", `worker${i} existed before the restriction and keeps its access`);
  const model = predicted("syscall", file, run);
  assert.deepEqual(Object.fromEntries(observed(run)), Object.fromEntries(model), "the simulator predicts what the kernel did");
  t.diagnostic(`ABI ${run.abi}, errata [${run.errata.join(",")}]: main denied, ${WORKERS} pinned goroutine threads still read the file; model agrees`);
});

test("Go: syscall.AllThreadsSyscall restricts every OS thread (each in its own domain); no thread reads the file", (t) => {
  if (unavailable) return t.skip(unavailable);
  const file = forbiddenFile();
  const run = runGo("all_threads_syscall", file);
  if (run.abi < 1) return t.skip("this kernel has no usable Landlock");
  assert.equal(run.mechanism, "all_threads_syscall");
  assert.equal(run.threads.size, WORKERS + 1);
  for (const [name, x] of run.threads) assert.equal(x.open, "EACCES", `${name} must be denied`);
  const model = predicted("all_threads_syscall", file, run);
  assert.deepEqual(Object.fromEntries(observed(run)), Object.fromEntries(model), "the simulator predicts what the kernel did");
  // The model also says why AllThreadsSyscall is not TSYNC: every thread ends in a domain of its own.
  const trace = runScenario(scenarioFor("all_threads_syscall", file), { abi: Math.min(Math.max(run.abi, 1), 11) as Abi });
  const domains = new Set(trace.threads.filter((th) => th.process === trace.threads[0]!.process).map((th) => th.domain));
  assert.equal(domains.size, WORKERS + 1, "per-thread enforcement gives each thread a distinct domain");
  t.diagnostic(`ABI ${run.abi}: all ${WORKERS + 1} threads denied; model agrees (${domains.size} distinct domains)`);
});
