// Parallel CLI runs, in-process: the fixture corpus (many projects) gives byte-identical
// output with --concurrency off, 1, 2 and 3, with and without --cache; the largest project
// goes to a worker; a worker that dies mid-project costs the file it was analysing and its
// project's other files are still linted; a worker that cannot start leaves its projects
// to this thread.

import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runCli } from "../src/cli/run.js";
import { buildStamp } from "../src/cli/version.js";

const FIXTURES = fileURLToPath(new URL("../../../fixtures", import.meta.url));

interface Outcome {
  status: number;
  stdout: string;
  stderr: string;
}

async function lint(cwd: string, args: string[], engineModule?: string): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  const status = await runCli(["--stats", ...args], {
    cwd,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    ...(engineModule ? { engineModule } : {}),
  });
  return { status, stdout, stderr };
}

function workersOf(outcome: Outcome): number {
  const m = /(\d+) files? in (\d+) projects?, (\d+) worker threads?/.exec(outcome.stderr);
  assert.ok(m, `no --stats line in: ${outcome.stderr}`);
  return Number(m[3]);
}

function tree(t: TestContext, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "landlock-lint-concurrency-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

test("--concurrency off, 1, 2 and 3 print the same bytes on the fixture corpus (many projects), cached or not", async (t) => {
  const cacheDir = mkdtempSync(join(tmpdir(), "landlock-lint-concurrency-cache-"));
  t.after(() => rmSync(cacheDir, { recursive: true, force: true }));
  const serial = await lint(FIXTURES, ["--format", "json", "--concurrency", "off", "."]);
  assert.equal(workersOf(serial), 0);
  assert.match(serial.stdout, /landlock\/single-thread-restrict/);
  const projects = Number(/in (\d+) projects/.exec(serial.stderr)![1]);
  assert.ok(projects >= 10, `the corpus has ${projects} projects`);
  const stamp = buildStamp();
  const runs: [string, string[]][] = [
    ["1", []],
    ["3", []],
    ["2", ["--cache", "--cache-location", cacheDir]],
  ];
  for (const [concurrency, extra] of runs) {
    const parallel = await lint(FIXTURES, ["--format", "json", "--concurrency", concurrency, ...extra, "."]);
    assert.equal(workersOf(parallel), Number(concurrency) - 1);
    assert.equal(parallel.status, serial.status, `--concurrency ${concurrency} ${extra.join(" ")}`);
    assert.equal(parallel.stdout, serial.stdout, `--concurrency ${concurrency} ${extra.join(" ")}`);
  }
  // The cache filled by the parallel run, read by another: its results read the same as fresh ones.
  const warm = await lint(FIXTURES, ["--format", "json", "--concurrency", "2", "--cache", "--cache-location", cacheDir, "."]);
  // Another build in this work tree between the two runs rightly voids the cache.
  if (buildStamp() === stamp) assert.match(warm.stderr, /cache: [1-9]\d* hits/);
  else t.diagnostic("the compiled code changed during the test: cache hits not checked");
  assert.equal(warm.stdout, serial.stdout);
});

/** An engine reporting which thread analysed each file (as its language), with hooks per file name. */
const ENGINE = `import { isMainThread } from "node:worker_threads";
import { basename, dirname } from "node:path";
export async function createEngine() {
  if (!isMainThread && process.env.NO_WORKER_ENGINE) throw new Error("no engine in workers");
  return {
    extensions: [".c"],
    settingsFor: () => ({ targetAbi: 6, errata: [], threadSpawners: [], restrictWrappers: [], assumeMultithreaded: false, rules: {} }),
    analyze(file) {
      if (basename(file) === "crash.c" && !isMainThread) process.exit(7);
      return { file, language: isMainThread ? "main-thread" : "worker", parseErrors: 0, findings: [] };
    },
    explain: () => "",
    applyFixes: (text) => text,
    projectRoot: (path) => dirname(path),
    projectFiles: () => [],
  };
}
`;

/** Project `big` (5 files, one of them crash.c when asked) and six projects of one file. */
function projects(withCrash: boolean): Record<string, string> {
  const files: Record<string, string> = { "engine.mjs": ENGINE };
  for (const name of ["a", "b", withCrash ? "crash" : "c", "d", "e"]) files[`big/${name}.c`] = `int ${name};\n`;
  for (let i = 0; i < 6; i++) files[`small${i}/only.c`] = `int only${i};\n`;
  return files;
}

interface Report {
  files: { file: string; language: string }[];
  errors: { file: string; message: string }[];
}

test("the largest project goes to a worker; a worker that dies costs the file it was analysing, not its project", async (t) => {
  const dir = tree(t, projects(true));
  const engine = pathToFileURL(join(dir, "engine.mjs")).href;
  const outcome = await lint(dir, ["--format", "json", "--concurrency", "2", "."], engine);
  assert.equal(workersOf(outcome), 1);
  assert.equal(outcome.status, 2, outcome.stderr);
  const report = JSON.parse(outcome.stdout) as Report;
  assert.deepEqual(report.errors, [{ file: "big/crash.c", message: "internal error while analysing (please report it): worker thread exited with code 7" }]);
  // Files before the crash came from the worker; the replacement worker did the rest.
  const big = report.files.filter((f) => f.file.startsWith("big/"));
  assert.deepEqual(
    big.map((f) => [f.file, f.language]),
    ["a", "b", "d", "e"].map((name) => [`big/${name}.c`, "worker"]),
  );
  assert.equal(report.files.length, 4 + 6, "every other file is reported");
});

test("a worker that cannot load the analyzer leaves its projects to this thread: same output as a serial run", async (t) => {
  const dir = tree(t, projects(false));
  const engine = pathToFileURL(join(dir, "engine.mjs")).href;
  const serial = await lint(dir, ["--format", "json", "--concurrency", "off", "."], engine);
  process.env.NO_WORKER_ENGINE = "1";
  t.after(() => delete process.env.NO_WORKER_ENGINE);
  const parallel = await lint(dir, ["--format", "json", "--concurrency", "3", "."], engine);
  assert.equal(workersOf(parallel), 2);
  assert.equal(parallel.status, 0, parallel.stderr);
  assert.equal(parallel.stdout, serial.stdout);
  const report = JSON.parse(parallel.stdout) as Report;
  assert.equal(report.files.length, 11);
  assert.ok(report.files.every((f) => f.language === "main-thread"));
});

test("a worker that dies between projects is replaced when it is next given one; no file is lost", async (t) => {
  // The worker ends itself just after answering for z.c; this thread is slow (20 ms a file),
  // so projects remain for the replacement to take.
  const engine = `import { isMainThread, threadId } from "node:worker_threads";
import { basename, dirname } from "node:path";
export async function createEngine() {
  return {
    extensions: [".c"],
    settingsFor: () => ({ targetAbi: 6, errata: [], threadSpawners: [], restrictWrappers: [], assumeMultithreaded: false, rules: {} }),
    analyze(file) {
      if (isMainThread) for (const end = Date.now() + 20; Date.now() < end; );
      else if (basename(file) === "z.c") setTimeout(() => process.exit(9), 0);
      return { file, language: isMainThread ? "main-thread" : "worker " + threadId, parseErrors: 0, findings: [] };
    },
    explain: () => "",
    applyFixes: (text) => text,
    projectRoot: (path) => dirname(path),
    projectFiles: () => [],
  };
}
`;
  const files: Record<string, string> = { "engine.mjs": engine };
  for (const name of ["a", "b", "z"]) files[`big/${name}.c`] = `int ${name};\n`;
  for (let i = 0; i < 30; i++) files[`small${String(i).padStart(2, "0")}/only.c`] = `int only${i};\n`;
  const dir = tree(t, files);
  const outcome = await lint(dir, ["--format", "json", "--concurrency", "2", "."], pathToFileURL(join(dir, "engine.mjs")).href);
  const report = JSON.parse(outcome.stdout) as Report;
  // It died between projects (even with one already queued): no file is to blame.
  assert.deepEqual(report.errors, []);
  assert.equal(outcome.status, 0);
  assert.equal(report.files.length, 33, "every file is reported");
  const workers = new Set(report.files.map((f) => f.language).filter((l) => l.startsWith("worker ")));
  assert.ok(workers.size >= 2, `the replacement worker took projects (threads: ${[...workers].join(", ")})`);
});
