// --cache and worker threads through the bin: a cached run reuses every result and is
// faster, a changed file (or a changed file it depends on) is linted again, a damaged
// cache is ignored, a parallel run prints exactly what a serial run prints, and a worker
// that dies costs one file.

import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildStamp } from "../src/cli/version.js";
import { runCli } from "../src/cli/run.js";

const BIN = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

/** A program whose main starts `spawner()` (defined elsewhere) and then restricts one thread. */
const mainCalling = (spawner: string) => `#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
void ${spawner}(void);
int main(void) {
    ${spawner}();
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) exit(1);
    if (syscall(SYS_landlock_restrict_self, 3, 0)) exit(1);
    return 0;
}
`;
const spawnerDefinition = (spawner: string, startsThreads: boolean) => `#include <pthread.h>
static void *work(void *arg) { return arg; }
void ${spawner}(void) {
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) ${startsThreads ? "pthread_create(&threads[i], NULL, work, NULL)" : "work(NULL)"};
}
`;
const RELOADING = `#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
static int apply_policy(void) {
    if (syscall(SYS_landlock_restrict_self, 3, 0)) return -1;
    return 0;
}
int main(void) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) exit(1);
    for (;;) if (apply_policy()) exit(1);
}
`;

function tree(t: { after(fn: () => void): void }, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "landlock-lint-cache-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  write(dir, files);
  return dir;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

interface Stats {
  files: number;
  projects: number;
  workers: number;
  hits?: number;
  ms: number;
}

function lint(cwd: string, args: string[]): { status: number | null; stdout: string; stats: Stats } {
  const r = spawnSync(process.execPath, [BIN, "--stats", ...args], { cwd, encoding: "utf8", env: { ...process.env, CI: "true" } });
  const m = /(\d+) files? in (\d+) projects?, (\d+) worker threads?(?:, cache: (\d+) hits?, \d+ miss(?:es)?)?, (\d+) ms/.exec(r.stderr);
  assert.ok(m, `no --stats line in: ${r.stderr}`);
  const stats: Stats = { files: Number(m[1]), projects: Number(m[2]), workers: Number(m[3]), ms: Number(m[5]) };
  if (m[4] !== undefined) stats.hits = Number(m[4]);
  return { status: r.status, stdout: r.stdout, stats };
}

/** 40 small programs in one project, each with its own cross-file thread spawner. */
function manyFiles(): Record<string, string> {
  const files: Record<string, string> = { "package.json": "{}\n" };
  for (let i = 0; i < 20; i++) {
    files[`src/main${i}.c`] = mainCalling(`start_pool_${i}`);
    files[`src/pool${i}.c`] = spawnerDefinition(`start_pool_${i}`, true);
  }
  return files;
}

/**
 * Runs `body` in a fresh tree. The cache is rightly void when the compiled code changes
 * between two runs (another build in this work tree), so a failure then is retried.
 */
function onStableBuild(t: TestContext, files: Record<string, string>, body: (dir: string) => void): void {
  for (let attempt = 1; attempt <= 5; attempt++) {
    const before = buildStamp();
    const dir = tree(t, files);
    try {
      body(dir);
      return;
    } catch (error) {
      if (buildStamp() === before) throw error;
      t.diagnostic(`attempt ${attempt}: the compiled code changed during the test (another build); retrying`);
    }
  }
  t.skip("the compiled code kept changing during the test (another build in this work tree)");
}

test("--cache: the second run reuses every result and is faster; changed files are linted again", (t) => {
  onStableBuild(t, { ...manyFiles(), "src/reload.c": RELOADING }, (dir) => {
    const first = lint(dir, ["--format", "json", "--cache"]);
    assert.equal(first.status, 1);
    assert.deepEqual([first.stats.files, first.stats.hits], [41, 0]);
    assert.ok(existsSync(join(dir, "node_modules/.cache/landlock-lint/results.json")), "the cache lives in the project's node_modules/.cache");

    const second = lint(dir, ["--format", "json", "--cache"]);
    assert.equal(second.stdout, first.stdout, "cached results print exactly as fresh ones");
    assert.equal(second.stats.hits, 41);
    assert.ok(second.stats.ms < first.stats.ms, `cached run ${second.stats.ms} ms, first run ${first.stats.ms} ms`);

    // A changed file is linted again: reload.c loses its loop, and its warning.
    write(dir, { "src/reload.c": RELOADING.replace("for (;;) if (apply_policy()) exit(1);", "if (apply_policy()) exit(1);") });
    const third = lint(dir, ["--format", "json", "--cache"]);
    const findings = (out: string) => (JSON.parse(out) as { findings: { file: string; ruleId: string }[] }).findings.map((f) => `${f.file} ${f.ruleId}`);
    assert.ok(findings(first.stdout).includes("src/reload.c landlock/nesting-limit"));
    assert.equal(findings(third.stdout).includes("src/reload.c landlock/nesting-limit"), false);
    assert.equal(third.stats.hits, 0, "an edit in a project re-lints the project: any file may change another's result");

    // main3.c is unchanged, but the spawner it calls (in pool3.c) no longer starts threads.
    assert.ok(findings(third.stdout).includes("src/main3.c landlock/single-thread-restrict"));
    write(dir, { "src/pool3.c": spawnerDefinition("start_pool_3", false) });
    const fourth = lint(dir, ["--format", "json", "--cache"]);
    assert.equal(findings(fourth.stdout).includes("src/main3.c landlock/single-thread-restrict"), false);
    assert.equal(findings(fourth.stdout).includes("src/main4.c landlock/single-thread-restrict"), true);
  });
});

test("--cache-location, different settings and a damaged cache", (t) => {
  onStableBuild(t, { "package.json": "{}\n", "reload.c": RELOADING }, (dir) => {
    const location = join(dir, "elsewhere");
    assert.equal(lint(dir, ["--cache-location", location]).stats.hits, 0);
    assert.ok(existsSync(join(location, "results.json")));
    assert.equal(existsSync(join(dir, "node_modules")), false);
    assert.equal(lint(dir, ["--cache-location", location]).stats.hits, 1);
    // Settings are part of the key: another rule level is a miss, with its own result.
    const other = lint(dir, ["--cache-location", location, "--rule", "nesting-limit:error"]);
    assert.equal(other.stats.hits, 0);
    assert.equal(other.status, 1);
    writeFileSync(join(location, "results.json"), "{ not json");
    const damaged = lint(dir, ["--cache-location", location]);
    assert.equal(damaged.status, 0);
    assert.equal(damaged.stats.hits, 0);
    assert.equal(lint(dir, ["--cache-location", location]).stats.hits, 1, "the damaged cache was replaced");
  });
});

test("worker threads: a parallel run prints exactly what a serial run prints", (t) => {
  const files: Record<string, string> = {};
  for (const name of ["alpha", "beta", "gamma"]) {
    files[`${name}/package.json`] = "{}\n";
    files[`${name}/main.c`] = mainCalling("start_pool");
    files[`${name}/pool.c`] = spawnerDefinition("start_pool", name !== "beta");
    files[`${name}/reload.c`] = RELOADING;
  }
  const dir = tree(t, files);
  for (const format of ["json", "stylish"]) {
    const serial = lint(dir, ["--format", format, "--explain", "--concurrency", "off"]);
    const parallel = lint(dir, ["--format", format, "--explain", "--concurrency", "3"]);
    assert.deepEqual([serial.stats.workers, parallel.stats.workers, parallel.stats.projects], [0, 2, 3], "three lanes: this thread and two workers");
    assert.equal(parallel.status, serial.status);
    assert.equal(parallel.stdout, serial.stdout);
    assert.ok(serial.stdout.includes("landlock/single-thread-restrict"));
  }
});

test("worker threads: a worker that dies costs its file (an error entry), not the run", async (t) => {
  // An engine whose analysis kills the worker thread it runs in (never the main thread).
  const engine = `import { isMainThread } from "node:worker_threads";
import { dirname } from "node:path";
export async function createEngine() {
  return {
    extensions: [".c"],
    settingsFor: () => ({ targetAbi: 6, errata: [], threadSpawners: [], restrictWrappers: [], assumeMultithreaded: false, rules: {} }),
    analyze(file) {
      if (file.endsWith("crash.c") && !isMainThread) process.exit(3);
      return { file, language: "c", parseErrors: 0, findings: [] };
    },
    explain: () => "",
    applyFixes: (text) => text,
    projectRoot: (path) => dirname(path),
    projectFiles: () => [],
  };
}
`;
  const files: Record<string, string> = { "engine.mjs": engine };
  for (const name of ["alpha", "beta", "gamma"]) {
    files[`${name}/crash.c`] = "int crash;\n";
    files[`${name}/ok.c`] = "int ok;\n";
  }
  const dir = tree(t, files);
  let stdout = "";
  let stderr = "";
  const status = await runCli(["--format", "json", "--concurrency", "3", "--stats", "alpha", "beta", "gamma"], {
    cwd: dir,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    engineModule: pathToFileURL(join(dir, "engine.mjs")).href,
  });
  const report = JSON.parse(stdout) as { files: { file: string }[]; errors: { file: string; message: string }[] };
  assert.match(stderr, /3 projects, 2 worker threads/);
  assert.equal(status, 2);
  const crashed = report.errors.map((e) => e.file);
  assert.ok(crashed.length >= 1 && crashed.every((f) => f.endsWith("/crash.c")), JSON.stringify(report.errors));
  for (const error of report.errors) assert.equal(error.message, "internal error while analysing (please report it): worker thread exited with code 3");
  // Every file is accounted for: the replacement worker went on with the rest of its project.
  assert.deepEqual(
    [...report.files.map((f) => f.file), ...crashed].sort(),
    ["alpha/crash.c", "alpha/ok.c", "beta/crash.c", "beta/ok.c", "gamma/crash.c", "gamma/ok.c"],
  );
});
