// The project index: root detection, which files it lists, cross-file analysis, editor
// texts, dependents, bad input as errors, front-end failures contained, project facts.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Project } from "../src/project.js";
import { findProjectRoot } from "../src/project-root.js";
import { readCompileDefines, readProjectFacts, rustLandlockVersion } from "../src/project-facts.js";
import { goLandlockVersion } from "../src/frontends/go/go-mod.js";
import { analyzeText } from "../src/analyze.js";
import type { FrontEnd } from "../src/frontends/frontend.js";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "ll-project-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const SANDBOX_C = `#include <linux/landlock.h>
#include <sys/syscall.h>
#include <unistd.h>

int sandbox_enter(int fd)
{
\tif (syscall(__NR_landlock_restrict_self, fd, 0))
\t\treturn -1;
\treturn 0;
}
`;

const MAIN_C = `#include <pthread.h>
#include <sys/prctl.h>
int sandbox_enter(int fd);
static void *work(void *a) { return a; }

int main(void)
{
\tpthread_t t;
\tprctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
\tpthread_create(&t, NULL, work, NULL);
\tif (sandbox_enter(3) != 0)
\t\treturn 1;
\treturn 0;
}
`;

test("the project root is the nearest folder with a marker", () => {
  const root = tree({ ".landlock-lint.json": "{}", "src/deep/x.c": "", "sub/go.mod": "module x\n", "sub/pkg/y.go": "" });
  assert.equal(findProjectRoot(join(root, "src/deep/x.c")), root);
  assert.equal(findProjectRoot(join(root, "sub/pkg/y.go")), join(root, "sub"));
});

test("a thread started in one file and a wrapper in another: the finding lands in the wrapper, naming the spawn", () => {
  const root = tree({ ".landlock-lint.json": "{}", "main.c": MAIN_C, "sandbox.c": SANDBOX_C, "util.c": "int add(int a, int b) { return a + b; }\n" });
  const project = new Project(root);
  const report = project.analyzeFile(join(root, "sandbox.c"));
  assert.deepEqual(report.findings.map((f) => `${f.ruleId}@${f.range.start.line}`), ["landlock/single-thread-restrict@7"]);
  assert.match(report.findings[0]!.message, /main\.c:10/);
  assert.deepEqual(project.analyzeFile(join(root, "main.c")).findings, []);
  assert.deepEqual(project.dependents(join(root, "sandbox.c")), [join(root, "main.c")]);
  assert.ok(report.dependencies!.includes(join(root, "main.c")));
  assert.ok(!report.dependencies!.includes(join(root, "util.c")), "a file with nothing to do with Landlock or threads is not read into the analysis");
  // Alone, the wrapper has no threads around it (and, as a library API nobody calls, no no_new_privs either).
  assert.deepEqual(analyzeText(SANDBOX_C, join(root, "sandbox.c")).findings.map((f) => f.ruleId), ["landlock/missing-no-new-privs"]);
});

test("editor texts win over the disk and re-check the callers; removeFile drops a file", () => {
  const root = tree({ ".landlock-lint.json": "{}", "main.c": MAIN_C, "sandbox.c": SANDBOX_C });
  const project = new Project(root);
  const sandbox = join(root, "sandbox.c");
  assert.equal(project.analyzeFile(sandbox).findings.length, 1);
  project.setFileText(join(root, "main.c"), MAIN_C.replace("\tpthread_create(&t, NULL, work, NULL);\n", ""));
  assert.equal(project.analyzeFile(sandbox).findings.length, 0);
  project.closeFile(join(root, "main.c"));
  assert.equal(project.analyzeFile(sandbox).findings.length, 1);
  // An edit that removes the call still names the former callee as a dependent.
  project.setFileText(join(root, "main.c"), MAIN_C.replace("sandbox_enter(3)", "0"));
  project.analyzeFile(join(root, "main.c"));
  assert.deepEqual(project.dependents(join(root, "main.c")), [sandbox]);
  project.closeFile(join(root, "main.c"));
  project.removeFile(join(root, "main.c"));
  assert.deepEqual(project.analyzeFile(sandbox).findings.map((f) => f.ruleId), ["landlock/missing-no-new-privs"], "no caller left: no threads, and no no_new_privs either");
  // The text given to analyzeFile is used for that analysis only.
  const given = project.analyzeFile(sandbox, SANDBOX_C.replace("fd, 0)", "fd, 0) + 0 * 0)"));
  assert.equal(given.errors, undefined);
});

test("listing skips dependency, build and ignored folders and nested projects", () => {
  const root = tree({
    ".landlock-lint.json": "{}",
    ".gitignore": "generated/\n*.gen.c\n",
    "a.c": "",
    "node_modules/x/b.c": "",
    "build/c.c": "",
    "generated/d.c": "",
    "e.gen.c": "",
    "nested/.landlock-lint.json": "{}",
    "nested/f.c": "",
    "src/g.h": "",
    "README.md": "",
  });
  const files = new Project(root).sourceFiles().map((f) => f.slice(root.length + 1));
  assert.deepEqual(files, ["a.c", "src/g.h"]);
});

test("bad input becomes an error of that file, never an exception", () => {
  const root = tree({ ".landlock-lint.json": "{}", "ok.c": MAIN_C });
  writeFileSync(join(root, "bin.c"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]));
  writeFileSync(join(root, "latin1.c"), Buffer.from([0x69, 0x6e, 0x74, 0x20, 0xe9, 0x3b]));
  const project = new Project(root, { maxFileBytes: 4096 });
  writeFileSync(join(root, "huge.c"), "x".repeat(5000));
  assert.match(project.analyzeFile(join(root, "bin.c")).errors![0]!.message, /binary/);
  assert.match(project.analyzeFile(join(root, "latin1.c")).errors![0]!.message, /UTF-8/);
  assert.match(project.analyzeFile(join(root, "huge.c")).errors![0]!.message, /too large/);
  assert.match(project.analyzeFile(join(root, "missing.c")).errors![0]!.message, /ENOENT/);
  assert.equal(project.analyzeFile(join(root, "ok.c")).errors, undefined);
  const badConfig = tree({ ".landlock-lint.json": "{ \"targetAbi\": 99 }", "a.c": MAIN_C });
  const report = new Project(badConfig).analyzeFile(join(badConfig, "a.c"));
  assert.match(report.errors![0]!.message, /\.landlock-lint\.json: targetAbi: must be from 1 to 11/);
});

test("a front-end that throws costs its file an AnalysisError; other files are still analysed", () => {
  const exploding: FrontEnd = {
    languages: ["javascript"],
    extensions: [".boom"],
    languageOf: () => "javascript",
    toIr: () => {
      throw new Error("kaboom");
    },
  };
  const root = tree({ ".landlock-lint.json": "{}", "x.boom": "landlock", "main.c": MAIN_C, "sandbox.c": SANDBOX_C });
  const project = new Project(root, { frontEnds: [exploding] });
  assert.match(project.analyzeFile(join(root, "x.boom")).errors![0]!.message, /front-end failed: kaboom/);
  assert.equal(project.analyzeFile(join(root, "sandbox.c")).findings.length, 1);
  assert.match(analyzeText("x", "/a/x.boom", {}, { frontEnds: [exploding] }).errors![0]!.message, /kaboom/);
  assert.match(analyzeText("x", "/a/x.unknown").errors![0]!.message, /no front-end/);
});

test("project facts: go-landlock from go.mod, rust-landlock from Cargo.lock or Cargo.toml, -D defines from compile_commands.json", () => {
  assert.equal(goLandlockVersion("module x\n\nrequire (\n\tgithub.com/landlock-lsm/go-landlock v0.5.0\n)\n"), "v0.5.0");
  assert.equal(goLandlockVersion("require github.com/landlock-lsm/go-landlock v0.0.0-20240101-abcdef // indirect\n"), "v0.0.0-20240101-abcdef");
  assert.equal(rustLandlockVersion('[[package]]\nname = "landlock"\nversion = "0.4.2"\n', undefined), "0.4.2");
  assert.equal(rustLandlockVersion(undefined, '[dependencies]\nlandlock = { version = "0.4.6", features = [] }\n'), "0.4.6");
  const root = tree({
    "go.mod": "module x\nrequire github.com/landlock-lsm/go-landlock v0.4.0\n",
    "compile_commands.json": JSON.stringify([
      { directory: "/src", file: "a.c", command: "cc -DUSE_TSYNC -DLEVEL=2 -c a.c" },
      { directory: "/src", file: "/abs/b.c", arguments: ["cc", "-D", "NAME=\"x y\"", "-c", "b.c"] },
    ]),
  });
  assert.deepEqual(readProjectFacts(root), { goLandlockVersion: "v0.4.0" });
  const { defines, error } = readCompileDefines(root);
  assert.equal(error, undefined);
  assert.deepEqual(defines.get("/src/a.c"), { USE_TSYNC: "1", LEVEL: "2" });
  assert.deepEqual(defines.get("/abs/b.c"), { NAME: '"x y"' });
  const broken = tree({ "compile_commands.json": "[{" });
  assert.match(readCompileDefines(broken).error!, /compile_commands\.json: invalid JSON/);
});

test("a file changed on disk is read again once invalidated", () => {
  const root = tree({ ".landlock-lint.json": "{}", "main.c": MAIN_C, "sandbox.c": SANDBOX_C });
  const project = new Project(root);
  const sandbox = join(root, "sandbox.c");
  assert.equal(project.analyzeFile(sandbox).findings.length, 1);
  writeFileSync(join(root, "main.c"), MAIN_C.replace("\tpthread_create(&t, NULL, work, NULL);\n", ""));
  project.invalidate(join(root, "main.c"));
  assert.equal(project.analyzeFile(sandbox).findings.length, 0);
});
