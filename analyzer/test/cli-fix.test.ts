// --fix and --fix-dry-run through the bin: only automatic fixes (kind "fix") are applied,
// --fix writes the files and reports what remains, --fix-dry-run writes nothing and puts
// the fixed text in the JSON output.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

// A thread started before a TSYNC-less restrict_self. With targetAbi >= 8 the analyzer
// offers "add TSYNC" as an automatic fix; below 8 only suggestions.
const THREADED = `#include <linux/landlock.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
static void *worker(void *arg) { return arg; }
int main(void) {
    pthread_t thread;
    pthread_create(&thread, NULL, worker, NULL);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) exit(1);
    if (syscall(SYS_landlock_restrict_self, 3, 0)) exit(1);
    return 0;
}
`;

interface Report {
  findings: { file: string; ruleId: string; fixes: { kind: string }[] }[];
  files: { file: string; output?: string }[];
  errors: unknown[];
}

function project(t: { after(fn: () => void): void }, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "landlock-lint-fix-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries({ "package.json": "{}\n", ...files })) writeFileSync(join(dir, path), text);
  return dir;
}

function lint(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", env: { ...process.env, CI: "true" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("--fix applies the automatic fix, writes the file and reports what remains", (t) => {
  const dir = project(t, { "threads.c": THREADED, "other.c": THREADED });
  const before = JSON.parse(lint(dir, ["--format", "json", "--target-abi", "8", "threads.c"]).stdout) as Report;
  assert.deepEqual(before.findings.map((f) => [f.ruleId, f.fixes.map((x) => x.kind)]), [["landlock/single-thread-restrict", ["fix"]]]);

  const fixed = lint(dir, ["--target-abi", "8", "--fix", "threads.c"]);
  assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
  assert.equal(fixed.stdout, "", "nothing remains to report");
  const text = readFileSync(join(dir, "threads.c"), "utf8");
  assert.equal(text, THREADED.replace("SYS_landlock_restrict_self, 3, 0)", "SYS_landlock_restrict_self, 3, LANDLOCK_RESTRICT_SELF_TSYNC)"));
  assert.equal(readFileSync(join(dir, "other.c"), "utf8"), THREADED, "files not named are untouched");
  assert.equal(lint(dir, ["--target-abi", "8", "threads.c"]).status, 0, "the fixed file is clean");
});

test("--fix never applies suggestions", (t) => {
  const dir = project(t, { "threads.c": THREADED });
  const report = JSON.parse(lint(dir, ["--format", "json", "threads.c"]).stdout) as Report;
  assert.ok(report.findings[0]!.fixes.length > 0 && report.findings[0]!.fixes.every((f) => f.kind === "suggestion"));
  const run = lint(dir, ["--fix", "threads.c"]);
  assert.equal(run.status, 1);
  assert.equal(readFileSync(join(dir, "threads.c"), "utf8"), THREADED);
});

test("--fix-dry-run writes nothing and returns the fixed text as `output`", (t) => {
  const dir = project(t, { "threads.c": THREADED });
  const run = lint(dir, ["--format", "json", "--target-abi", "8", "--fix-dry-run"]);
  assert.equal(run.status, 0);
  const report = JSON.parse(run.stdout) as Report;
  assert.equal(readFileSync(join(dir, "threads.c"), "utf8"), THREADED, "the file is not written");
  assert.deepEqual(report.findings, [], "findings are those left after the fixes");
  const output = report.files.find((f) => f.file === "threads.c")!.output;
  assert.equal(output, THREADED.replace("SYS_landlock_restrict_self, 3, 0)", "SYS_landlock_restrict_self, 3, LANDLOCK_RESTRICT_SELF_TSYNC)"));
  // The same text --fix would write.
  lint(dir, ["--target-abi", "8", "--fix"]);
  assert.equal(readFileSync(join(dir, "threads.c"), "utf8"), output);
});

test("--fix keeps a UTF-8 byte-order mark and CRLF line ends", (t) => {
  const crlf = "\uFEFF" + THREADED.replace(/\n/g, "\r\n");
  const dir = project(t, { "threads.c": crlf });
  const run = lint(dir, ["--target-abi", "8", "--fix"]);
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const text = readFileSync(join(dir, "threads.c"), "utf8");
  assert.equal(text, crlf.replace("SYS_landlock_restrict_self, 3, 0)", "SYS_landlock_restrict_self, 3, LANDLOCK_RESTRICT_SELF_TSYNC)"));
});
