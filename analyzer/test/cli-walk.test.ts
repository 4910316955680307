// File selection of the CLI: .gitignore semantics checked against git itself, globs, and
// the walker's handling of skipped folders, symbolic links and missing paths.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { compileGlob, expandBraces } from "../src/cli/glob.js";
import { isIgnored, parseGitignore } from "../src/cli/gitignore.js";
import { collectFiles } from "../src/cli/walk.js";

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "landlock-lint-walk-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const C_EXTENSIONS = new Set([".c", ".h"]);
const rel = (root: string, files: string[]) => files.map((f) => f.slice(root.length + 1));

test("gitignore matching agrees with git check-ignore", (t) => {
  if (spawnSync("git", ["--version"]).status !== 0) {
    t.skip("git is not installed: the differential check needs it");
    return;
  }
  const root = tempDir(t);
  const patterns = [
    "# a comment",
    "*.o",
    "build/",
    "/top.c",
    "docs/**/*.c",
    "**/gen/*.c",
    "deep/**",
    "!deep/keep.c",
    "a/**/b.c",
    "x?.c",
    "[ab]c.c",
    "[!z]z.c",
    "sub/only-here.c",
    "name-anywhere.c",
    "*.tmp",
    "!important.tmp",
    "trailing-space.c   ",
    "\\#hash.c",
    "escaped\\*.c",
  ];
  writeFileSync(join(root, ".gitignore"), patterns.join("\n") + "\n");
  const paths = [
    "main.o", "src/main.o", "build/x.c", "src/build/x.c", "build.c", "top.c", "src/top.c",
    "docs/a.c", "docs/x/y/a.c", "docs/a.h", "gen/a.c", "x/gen/a.c", "x/gen/y/a.c",
    "deep/a.c", "deep/keep.c", "deep/x/keep.c", "a/b.c", "a/x/b.c", "a/x/y/b.c", "b.c",
    "xa.c", "xab.c", "ac.c", "bc.c", "cc.c", "az.c", "zz.c", "sub/only-here.c", "other/sub/only-here.c",
    "name-anywhere.c", "q/r/name-anywhere.c", "a.tmp", "important.tmp", "x/important.tmp",
    "trailing-space.c", "#hash.c", "escaped*.c", "escapedX.c",
  ];
  writeTree(root, Object.fromEntries(paths.map((p) => [p, ""])));
  assert.equal(spawnSync("git", ["init", "-q"], { cwd: root }).status, 0);
  const git = spawnSync("git", ["check-ignore", "--stdin"], { cwd: root, input: paths.join("\n") + "\n", encoding: "utf8" });
  const gitIgnored = new Set(git.stdout.split("\n").filter(Boolean));

  const layers = [{ dir: root, rules: parseGitignore(patterns.join("\n")) }];
  // As in the walker, a path is excluded when it or any folder above it is.
  const ours = (path: string): boolean => {
    const parts = path.split("/");
    for (let i = 1; i <= parts.length; i++) {
      if (isIgnored(layers, join(root, ...parts.slice(0, i)), i < parts.length)) return true;
    }
    return false;
  };
  const disagreements = paths.filter((p) => ours(p) !== gitIgnored.has(p)).map((p) => `${p}: git ${gitIgnored.has(p)}, ours ${ours(p)}`);
  assert.deepEqual(disagreements, []);
  assert.ok(gitIgnored.size > 10 && gitIgnored.size < paths.length, "the pattern set both ignores and keeps files");
});

test("glob patterns: * stays in one folder, ** spans folders, braces expand", () => {
  const m = compileGlob("src/**/*.{c,h}");
  assert.ok(m("src/a.c"));
  assert.ok(m("src/x/y/a.h"));
  assert.ok(!m("src/a.go"));
  assert.ok(!m("lib/a.c"));
  const top = compileGlob("*.c");
  assert.ok(top("a.c"));
  assert.ok(!top("x/a.c"));
  assert.deepEqual(expandBraces("a{b,c{d,e}}f"), ["abf", "acdf", "acef"]);
  assert.deepEqual(expandBraces("a{b}c"), ["a{b}c"]);
});

test("walker: .gitignore (root and nested), skipped folders, extensions, order", (t) => {
  const root = tempDir(t);
  writeTree(root, {
    ".gitignore": "ignored/\n*.gen.c\n!keep.gen.c\n",
    "a.c": "",
    "b.h": "",
    "notes.txt": "",
    "x.gen.c": "",
    "keep.gen.c": "",
    "ignored/in.c": "",
    "node_modules/pkg/n.c": "",
    "dist/d.c": "",
    ".git/hooks/h.c": "",
    "sub/.gitignore": "local.c\n!x.gen.c\n",
    "sub/local.c": "",
    "sub/x.gen.c": "",
    "sub/kept.c": "",
    "other/local.c": "",
  });
  const { files, errors } = collectFiles(["."], { cwd: root, extensions: C_EXTENSIONS });
  assert.deepEqual(errors, []);
  assert.deepEqual(rel(root, files), ["a.c", "b.h", "keep.gen.c", "other/local.c", "sub/kept.c", "sub/x.gen.c"]);
});

test("walker: the repository's .gitignore applies when walking a subfolder", (t) => {
  const root = tempDir(t);
  writeTree(root, { ".git/HEAD": "", ".gitignore": "src/gen/\n", "src/a.c": "", "src/gen/g.c": "" });
  const { files } = collectFiles(["."], { cwd: join(root, "src"), extensions: C_EXTENSIONS });
  assert.deepEqual(rel(root, files), ["src/a.c"]);
  // Named explicitly, an ignored folder is still linted: the user asked for it.
  const explicit = collectFiles(["src/gen"], { cwd: root, extensions: C_EXTENSIONS });
  assert.deepEqual(rel(root, explicit.files), ["src/gen/g.c"]);
});

test("walker: globs, missing paths, unmatched globs and unsupported explicit files", (t) => {
  const root = tempDir(t);
  writeTree(root, { "src/a.c": "", "src/deep/b.c": "", "top.c": "", "readme.md": "" });
  const glob = collectFiles(["src/**/*.c"], { cwd: root, extensions: C_EXTENSIONS });
  assert.deepEqual(rel(root, glob.files), ["src/a.c", "src/deep/b.c"]);
  const shallow = collectFiles(["*.c"], { cwd: root, extensions: C_EXTENSIONS });
  assert.deepEqual(rel(root, shallow.files), ["top.c"]);
  const overlapping = collectFiles(["src", "src/*.c"], { cwd: root, extensions: C_EXTENSIONS });
  assert.deepEqual(overlapping, { files: glob.files, errors: [] }, "a glob matching files already named is not an error");
  const bad = collectFiles(["missing.c", "nothing/**/*.c", "readme.md"], { cwd: root, extensions: C_EXTENSIONS });
  assert.deepEqual(bad.files, []);
  assert.deepEqual(
    bad.errors.map((e) => [e.path.startsWith(root) ? e.path.slice(root.length + 1) : e.path, e.message.split(":")[0]]),
    [
      ["missing.c", "no such file or directory"],
      ["nothing/**/*.c", "no lintable files match this pattern"],
      ["readme.md", 'no language front-end reads ".md" files (supported'],
    ],
  );
});

test("walker: symbolic link loops are errors, duplicate links are walked once", (t) => {
  const root = tempDir(t);
  writeTree(root, { "src/a.c": "" });
  symlinkSync(root, join(root, "src", "back-to-root"));
  symlinkSync("self.c", join(root, "self.c"));
  symlinkSync("missing-target.c", join(root, "dangling.c"));
  symlinkSync("missing-target.txt", join(root, "dangling.txt"));
  symlinkSync(join(root, "src"), join(root, "src-again"));
  const { files, errors } = collectFiles(["."], { cwd: root, extensions: C_EXTENSIONS });
  assert.deepEqual(rel(root, files), ["src/a.c"]);
  const byPath = Object.fromEntries(errors.map((e) => [e.path.slice(root.length + 1), e.message]));
  assert.deepEqual(Object.keys(byPath).sort(), ["dangling.c", "self.c", "src/back-to-root"]);
  assert.match(byPath["src/back-to-root"]!, /symbolic link loop/);
  assert.match(byPath["self.c"]!, /symbolic link loop/);
  assert.match(byPath["dangling.c"]!, /broken symbolic link/);
});
