// Grammars load on first use: a run over Go files never loads the C, C++ or Rust grammar;
// loadGrammars preloads; a grammar that cannot be found is a clear error. Each case runs
// in a fresh process, since the loaded grammars are process-wide.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const treesitter = new URL("../src/frontends/treesitter.js", import.meta.url).href;
const index = new URL("../src/index.js", import.meta.url).href;

/** Runs an ES module body in a fresh Node process; returns what it printed as JSON. */
function inFreshProcess(body: string): unknown {
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", body], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop()!);
}

test("importing the analyzer loads no grammar; analysing a Go file loads only Go's", () => {
  const root = mkdtempSync(join(tmpdir(), "ll-lazy-"));
  writeFileSync(join(root, "go.mod"), "module example.com/x\n\ngo 1.22\n");
  writeFileSync(
    join(root, "main.go"),
    `package main

import "golang.org/x/sys/unix"

func main() {
\tunix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, 3, 0, 0)
}
`,
  );
  const result = inFreshProcess(`
    const ts = await import(${JSON.stringify(treesitter)});
    const { Project } = await import(${JSON.stringify(index)});
    const loaded = () => ts.GRAMMAR_NAMES.filter((g) => ts.isGrammarLoaded(g));
    const before = loaded();
    const report = new Project(${JSON.stringify(root)}).analyzeFile(${JSON.stringify(join(root, "main.go"))});
    console.log(JSON.stringify({ before, after: loaded(), findings: report.findings.length }));
  `) as { before: string[]; after: string[]; findings: number };
  assert.deepEqual(result.before, []);
  assert.deepEqual(result.after, ["go"]);
  assert.ok(result.findings > 0, "the Go file was analysed");
});

test("loadGrammars preloads, parse then runs synchronously; unknown and missing grammars are clear errors", () => {
  const empty = mkdtempSync(join(tmpdir(), "ll-no-grammars-"));
  const result = inFreshProcess(`
    const ts = await import(${JSON.stringify(treesitter)});
    await ts.loadGrammars(["rust", "c"]);
    const loaded = ts.GRAMMAR_NAMES.filter((g) => ts.isGrammarLoaded(g));
    const tree = ts.parse("rust", "fn main() {}");
    const root = tree.rootNode.type;
    tree.delete();
    const errors = [];
    try { await ts.loadGrammars(["cobol"]); } catch (e) { errors.push(e.message); }
    ts.setGrammarFolder(${JSON.stringify(empty)});
    try { await ts.loadGrammars(["go"]); } catch (e) { errors.push(e.message); }
    try { ts.parse("cpp", "int x;"); } catch (e) { errors.push(e.message); }
    // A grammar loaded before keeps working whatever the folder says.
    const again = ts.parse("c", "int x;");
    const cRoot = again.rootNode.type;
    again.delete();
    console.log(JSON.stringify({ loaded, root, cRoot, errors }));
  `) as { loaded: string[]; root: string; cRoot: string; errors: string[] };
  assert.deepEqual(result.loaded, ["c", "rust"]);
  assert.equal(result.root, "source_file");
  assert.equal(result.cRoot, "translation_unit");
  assert.equal(result.errors.length, 3);
  assert.match(result.errors[0]!, /unknown tree-sitter grammar "cobol"/);
  assert.match(result.errors[1]!, /cannot load the tree-sitter grammar "go" from .*tree-sitter-go\.wasm/);
  assert.match(result.errors[2]!, /grammar "cpp" is not loaded: await loadGrammars\(\["cpp"\]\)/);
});
