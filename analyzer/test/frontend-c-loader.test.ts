// The shared web-tree-sitter loader: every grammar loads, parsing is synchronous,
// positions are UTF-16 code units (the IR's unit), incremental reparse works.

import { test } from "node:test";
import assert from "node:assert/strict";
import { editTree, languageFor, makeEdit, nodeRange, parse, pointAt } from "../src/frontends/treesitter.js";

test("all four grammars load and parse synchronously", () => {
  const samples = {
    c: "int main(void) { return 0; }",
    cpp: "namespace n { int f() { return 1; } }",
    go: "package main\nfunc main() {}\n",
    rust: "fn main() {}\n",
  } as const;
  for (const [grammar, text] of Object.entries(samples) as [keyof typeof samples, string][]) {
    assert.ok(languageFor(grammar), grammar);
    const tree = parse(grammar, text);
    try {
      assert.equal(tree.rootNode.hasError, false, `${grammar}: ${tree.rootNode.toString()}`);
      assert.equal(tree.rootNode.endIndex, text.length);
    } finally {
      tree.delete();
    }
  }
});

test("node positions count UTF-16 code units, also after non-ASCII and astral characters", () => {
  // "é" is 2 UTF-8 bytes / 1 UTF-16 unit, "日本" 6 bytes / 2 units, "😀" 4 bytes / 2 units.
  const text = 'const char *a = "é日本"; /* 😀 */ int x = 1;\nconst char *b = "😀😀"; int main(void) { return call_me(); }\n';
  const tree = parse("c", text);
  try {
    const call = tree.rootNode.descendantsOfType("call_expression")[0]!;
    const range = nodeRange(call);
    const expectedOffset = text.indexOf("call_me");
    assert.equal(range.start.offset, expectedOffset);
    assert.equal(text.slice(range.start.offset, range.end.offset), "call_me()");
    assert.equal(range.start.line, 2);
    assert.equal(range.start.column, expectedOffset - (text.indexOf("\n") + 1));
    // Byte offsets would be larger: make sure the test can tell them apart.
    assert.notEqual(Buffer.byteLength(text.slice(0, expectedOffset)), expectedOffset);
  } finally {
    tree.delete();
  }
});

test("pointAt converts an offset to a row and a UTF-16 column", () => {
  const text = "ab\né😀x\n";
  assert.deepEqual(pointAt(text, 0), { row: 0, column: 0 });
  assert.deepEqual(pointAt(text, 3), { row: 1, column: 0 });
  assert.deepEqual(pointAt(text, text.indexOf("x")), { row: 1, column: 3 });
});

test("incremental reparse after an edit gives the same tree as a fresh parse", () => {
  const before = "int main(void) {\n  foo(1);\n  bar(2);\n}\n";
  const start = before.indexOf("foo");
  const replaced = "foo";
  const inserted = "landlock_restrict_self";
  const after = before.slice(0, start) + inserted + before.slice(start + replaced.length);
  const old = parse("c", before);
  try {
    editTree(old, before, start, start + replaced.length, inserted);
    const incremental = parse("c", after, old);
    const fresh = parse("c", after);
    try {
      assert.equal(incremental.rootNode.toString(), fresh.rootNode.toString());
      const call = incremental.rootNode.descendantsOfType("call_expression")[0]!;
      assert.equal(call.childForFieldName("function")?.text, "landlock_restrict_self");
      assert.equal(nodeRange(call).start.offset, start);
      // The unchanged second statement was reused or at least placed correctly.
      const bar = incremental.rootNode.descendantsOfType("call_expression")[1]!;
      assert.equal(nodeRange(bar).start.offset, after.indexOf("bar"));
    } finally {
      incremental.delete();
      fresh.delete();
    }
  } finally {
    old.delete();
  }
});

test("a multi-line insertion edit keeps positions right", () => {
  const before = "void f(void) { a(); }\n";
  const at = before.indexOf("a();");
  const inserted = "x();\n  y();\n  ";
  const after = before.slice(0, at) + inserted + before.slice(at);
  const old = parse("c", before);
  try {
    editTree(old, before, at, at, inserted);
    const tree = parse("c", after, old);
    try {
      const names = tree.rootNode.descendantsOfType("call_expression").map((c) => `${c.text}@${c.startPosition.row}:${c.startPosition.column}`);
      assert.deepEqual(names, ["x()@0:15", "y()@1:2", "a()@2:2"]);
    } finally {
      tree.delete();
    }
  } finally {
    old.delete();
  }
});

test("parse takes the old tree and a sequence of edits (as an editor sends them)", () => {
  const v1 = "int main(void) {\n  a();\n}\n";
  const e1 = makeEdit(v1, v1.indexOf("a();"), v1.indexOf("a();"), "prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);\n  ");
  const v2 = v1.slice(0, v1.indexOf("a();")) + "prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);\n  " + v1.slice(v1.indexOf("a();"));
  const at = v2.indexOf("a();");
  const e2 = makeEdit(v2, at, at + 3, "landlock_restrict_self(3, 0)");
  const v3 = v2.slice(0, at) + "landlock_restrict_self(3, 0)" + v2.slice(at + 3);
  const old = parse("c", v1);
  try {
    const tree = parse("c", v3, old, [e1, e2]);
    const fresh = parse("c", v3);
    try {
      assert.equal(tree.rootNode.toString(), fresh.rootNode.toString());
      assert.deepEqual(
        tree.rootNode.descendantsOfType("call_expression").map((c) => c.childForFieldName("function")?.text),
        ["prctl", "landlock_restrict_self"],
      );
    } finally {
      tree.delete();
      fresh.delete();
    }
  } finally {
    old.delete();
  }
});
