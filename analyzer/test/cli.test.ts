// The landlock-lint bin, spawned in temporary projects: exit codes, the JSON output
// against its schema, the stylish layout, --rule, configuration files and their errors,
// settings precedence, --max-warnings, --quiet, --output-file, --help and --version.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import AjvModule from "ajv";

const BIN = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const Ajv = AjvModule.default;
const validateOutput = new Ajv({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(new URL("../../schema/output.schema.json", import.meta.url), "utf8")),
);

// A thread pool started before a TSYNC-less restrict_self: landlock/single-thread-restrict (error).
const THREADED = `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }

int main(void) {
    pthread_t thread;
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    pthread_create(&thread, NULL, worker, NULL);
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (fd < 0) exit(1);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) exit(1);
    if (syscall(SYS_landlock_restrict_self, fd, 0)) exit(1);
    return 0;
}
`;

// Enforcement repeated in an endless loop: landlock/nesting-limit (warning).
const RELOADING = `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int apply_policy(void) {
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (fd < 0) return -1;
    if (syscall(SYS_landlock_restrict_self, fd, 0)) return -1;
    close(fd);
    return 0;
}

int main(void) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) exit(1);
    for (;;) {
        if (apply_policy()) exit(1);
        sleep(60);
    }
}
`;

// Single-threaded, no_new_privs, results checked: nothing to report.
const CLEAN = `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (fd < 0) exit(1);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) exit(1);
    if (syscall(SYS_landlock_restrict_self, fd, 0)) exit(1);
    return 0;
}
`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function project(t: { after(fn: () => void): void }, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "landlock-lint-cli-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries({ "package.json": "{}\n", ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function lint(cwd: string, args: string[]): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: "true" };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  message: string;
  fixes: { kind: string }[];
  explanation?: string;
}
interface JsonReport {
  findings: JsonFinding[];
  files: { file: string }[];
  errors: { file: string; message: string }[];
}

function lintJson(cwd: string, args: string[]): Run & { report: JsonReport } {
  const run = lint(cwd, ["--format", "json", ...args]);
  assert.notEqual(run.stdout, "", `no JSON on stdout; stderr: ${run.stderr}`);
  const report = JSON.parse(run.stdout) as JsonReport;
  assert.ok(validateOutput(report), JSON.stringify(validateOutput.errors));
  return { ...run, report };
}

const rules = (report: JsonReport) => report.findings.map((f) => `${f.file} ${f.severity} ${f.ruleId}`);

test("exit codes: 0 clean or warnings only, 1 error findings, 2 bad usage", (t) => {
  const dir = project(t, { "clean.c": CLEAN, "reload.c": RELOADING, "threads.c": THREADED });
  const clean = lint(dir, ["clean.c"]);
  assert.equal(clean.status, 0, clean.stderr);
  assert.equal(clean.stdout, "");
  assert.equal(lint(dir, ["reload.c"]).status, 0);
  assert.equal(lint(dir, ["threads.c"]).status, 1);
  assert.equal(lint(dir, []).status, 1, "the default path is the cwd");
  const usage = lint(dir, ["--format", "xml"]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--format: unknown format "xml"; available: .*json.*stylish/);
  const unknownOption = lint(dir, ["--frobnicate"]);
  assert.equal(unknownOption.status, 2);
  assert.match(unknownOption.stderr, /unknown option "--frobnicate"/);
  assert.equal(lint(dir, ["--fix", "--fix-dry-run"]).status, 2);
  assert.match(lint(dir, ["--target-abi", "12"]).stderr, /--target-abi: must be from 1 to 11 \(got 12\)/);
});

test("JSON output: validates against the schema, cwd-relative paths, 1-based positions, sorted, explanations only with --explain", (t) => {
  const dir = project(t, { "src/threads.c": THREADED, "src/reload.c": RELOADING, "clean.c": CLEAN });
  const { status, report } = lintJson(dir, []);
  assert.equal(status, 1);
  assert.deepEqual(rules(report), ["src/reload.c warning landlock/nesting-limit", "src/threads.c error landlock/single-thread-restrict"]);
  assert.deepEqual(report.files.map((f) => f.file), ["clean.c", "src/reload.c", "src/threads.c"]);
  assert.deepEqual(report.errors, []);
  for (const finding of report.findings) {
    // 1-based line and column: they point at the start of the call the rule is about.
    const line = readFileSync(join(dir, finding.file), "utf8").split("\n")[finding.line - 1]!;
    assert.match(line.slice(finding.column - 1), /^syscall\(SYS_landlock_restrict_self/, `${finding.ruleId} at ${finding.line}:${finding.column}`);
    assert.equal(finding.explanation, undefined);
  }
  const explained = lintJson(join(dir, "src"), ["--explain", "threads.c"]).report;
  assert.equal(explained.findings.length, 1);
  assert.equal(explained.findings[0]!.file, "threads.c", "paths are relative to the cwd");
  assert.match(explained.findings[0]!.explanation!, /main[\s\S]*no domain/, "the simulation shows the worker thread outside the domain");
});

test("stylish output: file header, aligned rows, summary, fixable count, colour only when asked", (t) => {
  const dir = project(t, { "threads.c": THREADED, "reload.c": RELOADING });
  const { status, stdout, stderr } = lint(dir, ["--target-abi", "8"]);
  assert.equal(status, 1);
  assert.equal(stderr, "", "no progress line or warning outside a terminal");
  const lines = stdout.split("\n");
  const reloadHeader = lines.indexOf("reload.c");
  const threadsHeader = lines.indexOf("threads.c");
  assert.ok(reloadHeader > 0 && threadsHeader > reloadHeader, stdout);
  assert.match(lines[reloadHeader + 1]!, /^ {2}12:9 {2}warning {2}\S.* {2}landlock\/nesting-limit$/);
  assert.match(lines[threadsHeader + 1]!, /^ {2}18:9 {2}error {2}\S.* {2}landlock\/single-thread-restrict$/);
  assert.ok(stdout.includes("\u2716 2 problems (1 error, 1 warning)\n  1 error and 0 warnings potentially fixable with the `--fix` option.\n"), stdout);
  assert.equal(stdout.includes("\u001b["), false);
  const coloured = lint(dir, ["--color"]).stdout;
  assert.ok(coloured.includes("\u001b[31merror\u001b[39m"), coloured);
  assert.equal(lint(dir, ["--color", "--no-color"]).stdout.includes("\u001b["), false, "the last flag wins");
});

test("--rule turns rules off or changes their level; the landlock/ prefix is optional", (t) => {
  const dir = project(t, { "threads.c": THREADED, "reload.c": RELOADING });
  const off = lintJson(dir, ["--rule", "single-thread-restrict:off"]);
  assert.deepEqual(rules(off.report), ["reload.c warning landlock/nesting-limit"]);
  assert.equal(off.status, 0);
  const warn = lintJson(dir, ["--rule", "landlock/single-thread-restrict:warn"]);
  assert.deepEqual(rules(warn.report), ["reload.c warning landlock/nesting-limit", "threads.c warning landlock/single-thread-restrict"]);
  assert.equal(warn.status, 0);
  const both = lintJson(dir, ["--rule", "nesting-limit:error", "--rule", "single-thread-restrict:off"]);
  assert.deepEqual(rules(both.report), ["reload.c error landlock/nesting-limit"]);
  assert.equal(both.status, 1);
});

test("--rule with an unknown rule or level is bad usage (exit 2) with a clear message", (t) => {
  const dir = project(t, { "threads.c": THREADED });
  const unknown = lint(dir, ["--rule", "no-such-rule:off"]);
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stdout, "");
  assert.match(unknown.stderr, /--rule: unknown rule "no-such-rule"; known rules: .*single-thread-restrict/);
  const level = lint(dir, ["--rule", "nesting-limit:loud"]);
  assert.equal(level.status, 2);
  assert.match(level.stderr, /--rule nesting-limit:loud: level must be off, warn or error, got "loud"/);
});

test("a bad .landlock-lint.json is reported with its file, key and problem; other projects still run", (t) => {
  const dir = project(t, {
    "bad/.landlock-lint.json": JSON.stringify({ targetAbi: 42, rules: { "single-thread-restrict": "loud" } }),
    "bad/threads.c": THREADED,
    "bad/reload.c": RELOADING,
    "broken/.landlock-lint.json": "{ \"targetAbi\": 8,",
    "broken/threads.c": THREADED,
    "good/threads.c": THREADED,
  });
  const { status, report } = lintJson(dir, []);
  assert.equal(status, 2);
  assert.deepEqual(rules(report), ["good/threads.c error landlock/single-thread-restrict"]);
  const byFile = Object.fromEntries(report.errors.map((e) => [e.file, e.message]));
  assert.deepEqual(Object.keys(byFile), ["bad/.landlock-lint.json", "broken/.landlock-lint.json"]);
  assert.match(byFile["bad/.landlock-lint.json"]!, /targetAbi: must be from 1 to 11 \(got 42\)/);
  assert.match(byFile["bad/.landlock-lint.json"]!, /rules\.single-thread-restrict: must be one of "off", "warn", "error"/);
  assert.match(byFile["bad/.landlock-lint.json"]!, /\(2 files not analysed\)/);
  assert.match(byFile["broken/.landlock-lint.json"]!, /invalid JSON/);
});

test("--config with a bad file stops the run (exit 2) naming the file, key and problem", (t) => {
  const dir = project(t, { "threads.c": THREADED, "ci.json": JSON.stringify({ errata: [2, 7] }) });
  const bad = lint(dir, ["--config", "ci.json"]);
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, "");
  assert.match(bad.stderr, /ci\.json: errata\[1\]: must be from 1 to 3 \(got 7\)/);
  const missing = lint(dir, ["--config", "nowhere.json"]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nowhere\.json: cannot read config file/);
});

test("settings precedence: defaults < .landlock-lint.json (or --config) < flags", (t) => {
  const dir = project(t, {
    ".landlock-lint.json": JSON.stringify({ targetAbi: 8, rules: { "nesting-limit": "off" } }),
    "threads.c": THREADED,
    "reload.c": RELOADING,
    "abi6.json": JSON.stringify({ targetAbi: 6 }),
  });
  const fixKinds = (report: JsonReport) => report.findings.flatMap((f) => f.fixes.map((x) => x.kind));
  // targetAbi 8 from the file: adding TSYNC is an automatic fix; the file turns nesting-limit off.
  const fromFile = lintJson(dir, []).report;
  assert.deepEqual(rules(fromFile), ["threads.c error landlock/single-thread-restrict"]);
  assert.deepEqual(fixKinds(fromFile), ["fix"]);
  // Flags beat the file.
  const flags = lintJson(dir, ["--target-abi", "6", "--rule", "nesting-limit:warn"]).report;
  assert.deepEqual(rules(flags), ["reload.c warning landlock/nesting-limit", "threads.c error landlock/single-thread-restrict"]);
  assert.equal(fixKinds(flags).includes("fix"), false);
  // --config replaces the file found upward.
  const config = lintJson(dir, ["--config", "abi6.json"]).report;
  assert.deepEqual(rules(config), ["reload.c warning landlock/nesting-limit", "threads.c error landlock/single-thread-restrict"]);
  assert.equal(fixKinds(config).includes("fix"), false);
});

test("--max-warnings and --quiet", (t) => {
  const dir = project(t, { "reload.c": RELOADING, "threads.c": THREADED });
  assert.equal(lint(dir, ["reload.c", "--max-warnings", "1"]).status, 0);
  const over = lint(dir, ["reload.c", "--max-warnings", "0"]);
  assert.equal(over.status, 1);
  assert.match(over.stderr, /too many warnings \(maximum: 0\)/);
  const quiet = lintJson(dir, ["--quiet"]);
  assert.deepEqual(rules(quiet.report), ["threads.c error landlock/single-thread-restrict"]);
  const quietStylish = lint(dir, ["--quiet", "reload.c"]);
  assert.equal(quietStylish.stdout, "");
  assert.equal(quietStylish.status, 0);
  // Hidden warnings still count against --max-warnings, as in ESLint.
  assert.equal(lint(dir, ["--quiet", "reload.c", "--max-warnings", "0"]).status, 1);
});

test("--output-file writes the report there and nothing to stdout", (t) => {
  const dir = project(t, { "threads.c": THREADED });
  const run = lint(dir, ["--format", "json", "--output-file", "out/report.json"]);
  assert.equal(run.status, 1);
  assert.equal(run.stdout, "");
  const report = JSON.parse(readFileSync(join(dir, "out/report.json"), "utf8")) as JsonReport;
  assert.ok(validateOutput(report));
  assert.deepEqual(rules(report), ["threads.c error landlock/single-thread-restrict"]);
});

test("--help and --version", (t) => {
  const dir = project(t, {});
  const help = lint(dir, ["--help"]);
  assert.equal(help.status, 0);
  for (const option of ["--format", "--explain", "--fix-dry-run", "--rule", "--max-warnings", "--cache-location", "--concurrency"]) {
    assert.ok(help.stdout.includes(option), `--help lists ${option}`);
  }
  const version = lint(dir, ["--version"]);
  assert.equal(version.status, 0);
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  assert.equal(version.stdout.trim(), pkg.version);
});

test("a reader that closes the pipe early ends the run quietly with its exit code", async (t) => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++) files[`threads${i}.c`] = THREADED;
  const dir = project(t, files);
  const child = spawn(process.execPath, [BIN, "--explain"], { cwd: dir, env: { ...process.env, CI: "true" } });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // Like `| head -1`: read one chunk, then close the pipe.
  child.stdout.once("data", () => child.stdout.destroy());
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(stderr, "");
  assert.equal(status, 1);
});
