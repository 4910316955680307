// A text on which tree-sitter's WebAssembly runtime traps (its error recovery on thousands
// of `() =>` in C runs past the runtime's fixed stack: "memory access out of bounds").
// Its memory is corrupt afterwards, so the analyzer must say so for that file and for
// every later tree-sitter file, never hand out silently empty reports. Its own test file:
// the failure is for the rest of the process.

import assert from "node:assert/strict";
import test from "node:test";
import { analyzeText } from "../src/index.js";
import { treeSitterFailure } from "../src/frontends/treesitter.js";

const TRAPPING_C = `int f(void) { return ${"() => ".repeat(5000)}; }\n`;
const SANDBOX_C = "#include <linux/landlock.h>\nint main(void) {\n  int fd = syscall(444, 0, 0, 0);\n  syscall(446, fd, 0);\n  return 0;\n}\n";

test("a trap in tree-sitter's runtime is an error for that file and for every later tree-sitter file; JS/TS goes on", () => {
  const before = analyzeText(SANDBOX_C, "before.c");
  assert.equal(before.errors, undefined, "a normal file analyses cleanly first");
  assert.ok(before.findings.length > 0, "and has its findings");

  const trapped = analyzeText(TRAPPING_C, "trap.c");
  assert.equal(treeSitterFailure() !== undefined, true, "the runtime failure is recorded");
  assert.match(trapped.errors?.[0]?.message ?? "", /WebAssembly runtime failed on this file \(memory access out of bounds\)/);

  for (const [file, text] of [["after.c", SANDBOX_C], ["after.go", "package main\nfunc main() {}\n"], ["after.rs", "fn main() {}\n"]] as const) {
    const after = analyzeText(text, file);
    assert.match(after.errors?.[0]?.message ?? "", /tree-sitter is not used again in this process: its WebAssembly runtime failed on an earlier file/, `${file}: ${JSON.stringify(after)}`);
    assert.equal(after.findings.length, 0);
  }
  const js = analyzeText("import { Worker } from 'node:worker_threads';\nnew Worker('./w.js');\n", "after.ts");
  assert.equal(js.errors, undefined, "the JS/TS front-end does not use tree-sitter");
});
