// The landlock-lint bin on bad input: binary, oversized, invalid UTF-8 and unreadable
// files, directories it may not list, symbolic link loops, .gitignore'd files. Each gets
// an error entry naming the file and the problem; everything else is still analysed and
// the run exits 2.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

// A thread started before a TSYNC-less restrict_self: one landlock/single-thread-restrict error.
const THREADED = `#include <pthread.h>
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
  findings: { file: string; ruleId: string }[];
  files: { file: string }[];
  errors: { file: string; message: string }[];
}

function project(t: { after(fn: () => void): void }, files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "landlock-lint-input-"));
  t.after(() => {
    spawnSync("chmod", ["-R", "u+rwx", dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  for (const [path, content] of Object.entries({ "package.json": "{}\n", ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function lintJson(cwd: string, args: string[], spawnOptions: SpawnSyncOptions = {}): { status: number | null; report: Report; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, "--format", "json", ...args], { cwd, encoding: "utf8", env: { ...process.env, CI: "true" }, ...spawnOptions });
  const stdout = String(r.stdout);
  assert.notEqual(stdout, "", `no output; stderr: ${r.stderr}`);
  return { status: r.status, report: JSON.parse(stdout) as Report, stderr: String(r.stderr) };
}

const errorsByFile = (report: Report) => Object.fromEntries(report.errors.map((e) => [e.file, e.message]));
const findingFiles = (report: Report) => report.findings.map((f) => f.file);

test("binary, oversized and invalid UTF-8 files are errors; the good file is still analysed", (t) => {
  const invalidUtf8 = Buffer.concat([Buffer.from("// caf"), Buffer.from([0xc3, 0x28]), Buffer.from("\nint x;\n")]);
  const dir = project(t, {
    "good.c": THREADED,
    "blob.c": Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]),
    "big.c": `/* ${"x".repeat(2048)} */\n${THREADED}`,
    "latin1.c": invalidUtf8,
    "huge.h": `// ${"y".repeat(5 * 1024 * 1024 + 10)}\n`,
  });
  const { status, report } = lintJson(dir, ["--max-file-size", "1KB", "good.c", "blob.c", "big.c", "latin1.c"]);
  assert.equal(status, 2);
  assert.deepEqual(findingFiles(report), ["good.c"]);
  assert.deepEqual(report.files.map((f) => f.file), ["good.c"]);
  const errors = errorsByFile(report);
  assert.deepEqual(Object.keys(errors).sort(), ["big.c", "blob.c", "latin1.c"]);
  assert.equal(errors["blob.c"], "binary file: NUL byte at byte offset 4");
  assert.match(errors["big.c"]!, /^file too large: 2\.\d KB is over the 1 KB limit \(raise it with --max-file-size\)$/);
  assert.equal(errors["latin1.c"], "invalid UTF-8 at byte offset 6 (line 1); save the file as UTF-8");
  // The default limit is 5 MB.
  const defaults = lintJson(dir, ["huge.h", "big.c"]);
  assert.equal(defaults.status, 2);
  assert.match(errorsByFile(defaults.report)["huge.h"]!, /^file too large: 5 MB is over the 5 MB limit/);
  assert.deepEqual(findingFiles(defaults.report), ["big.c"]);
});

test("symbolic link loops are errors and the walk goes on", (t) => {
  const dir = project(t, { "src/good.c": THREADED });
  symlinkSync(dir, join(dir, "src", "up"));
  symlinkSync("self.c", join(dir, "self.c"));
  const { status, report } = lintJson(dir, []);
  assert.equal(status, 2);
  assert.deepEqual(findingFiles(report), ["src/good.c"]);
  const errors = errorsByFile(report);
  assert.match(errors["src/up"]!, /^symbolic link loop: the link leads back to \.$/);
  assert.match(errors["self.c"]!, /^symbolic link loop/);
});

test(".gitignore'd files are skipped unless named explicitly", (t) => {
  const dir = project(t, {
    ".gitignore": "generated/\n*.gen.c\n!keep.gen.c\n",
    "main.c": THREADED,
    "generated/out.c": THREADED,
    "table.gen.c": THREADED,
    "keep.gen.c": THREADED,
    "node_modules/dep/dep.c": THREADED,
  });
  const all = lintJson(dir, []);
  assert.deepEqual(all.report.files.map((f) => f.file), ["keep.gen.c", "main.c"]);
  assert.deepEqual(findingFiles(all.report), ["keep.gen.c", "main.c"]);
  const explicit = lintJson(dir, ["generated/out.c", "table.gen.c"]);
  assert.deepEqual(findingFiles(explicit.report), ["generated/out.c", "table.gen.c"]);
});

test("missing paths and globs that match nothing are errors", (t) => {
  const dir = project(t, { "main.c": THREADED });
  const { status, report } = lintJson(dir, ["main.c", "nope.c", "src/**/*.c"]);
  assert.equal(status, 2);
  assert.deepEqual(findingFiles(report), ["main.c"]);
  assert.deepEqual(errorsByFile(report), { "nope.c": "no such file or directory", "src/**/*.c": "no lintable files match this pattern" });
});

/**
 * Spawn options that make permission bits bite. Root reads everything, so as root the
 * bin runs as `nobody`; null (with the reason) when that is not possible here.
 */
function unprivileged(dir: string): { options: SpawnSyncOptions } | { skip: string } {
  if (typeof process.getuid !== "function") return { skip: "no POSIX user ids on this platform" };
  if (process.getuid() !== 0) return { options: {} };
  const nobody = spawnSync("id", ["-u", "nobody"], { encoding: "utf8" });
  if (nobody.status !== 0) return { skip: "running as root and there is no `nobody` user to drop to" };
  const uid = Number(nobody.stdout.trim());
  const gid = Number(spawnSync("id", ["-g", "nobody"], { encoding: "utf8" }).stdout.trim());
  chmodSync(dir, 0o755);
  const probe = spawnSync(process.execPath, [BIN, "--version"], { cwd: dir, uid, gid, encoding: "utf8" });
  if (probe.status !== 0) return { skip: `running as root and the bin cannot run as nobody: ${String(probe.stderr).trim() || probe.error?.message}` };
  return { options: { uid, gid } };
}

test("unreadable files and directories without permission are errors; the rest is analysed", (t) => {
  const dir = project(t, { "good.c": THREADED, "secret.c": THREADED, "locked/inner.c": THREADED });
  const how = unprivileged(dir);
  if ("skip" in how) {
    t.diagnostic(`skipped: ${how.skip}`);
    t.skip(how.skip);
    return;
  }
  chmodSync(join(dir, "secret.c"), 0o000);
  chmodSync(join(dir, "locked"), 0o000);
  const { status, report } = lintJson(dir, [], how.options);
  assert.equal(status, 2);
  assert.deepEqual(findingFiles(report), ["good.c"]);
  assert.deepEqual(errorsByFile(report), {
    locked: "permission denied: cannot list this directory",
    "secret.c": "permission denied: cannot read this file",
  });
  // The files are still there and readable again once permitted (nothing was changed).
  chmodSync(join(dir, "secret.c"), 0o644);
  assert.equal(readFileSync(join(dir, "secret.c"), "utf8"), THREADED);
});
