// The C/C++ front-end's incremental path (tree reparsed from the last one, functions whose
// text and context did not change taken from the last build) must give exactly the IR a
// fresh build gives, whatever the edit.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { cFrontEnd } from "../src/frontends/c/index.js";
import type { FunctionReuse } from "../src/frontends/c/function-cache.js";
import { CFileState, stateKey } from "../src/frontends/c/incremental.js";
import type { FrontEndOptions } from "../src/frontends/frontend.js";
import { FrontEndCache, textChange } from "../src/frontends/parse-cache.js";
import type { IrFile, Language } from "../src/ir.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { runChecks } from "../src/checks/index.js";

const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "fixtures");

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourcesUnder(p));
    else if (/\.(?:c|h|cc|cpp|hpp)$/.test(name)) out.push(p);
  }
  return out;
}

const FIXTURES = [...sourcesUnder(join(fixturesDir, "c")), ...sourcesUnder(join(fixturesDir, "cpp"))].map((file) => ({
  file,
  text: readFileSync(file, "utf8"),
  language: cFrontEnd.languageOf(file) as Language,
}));

const options = (cache?: FrontEndCache): FrontEndOptions => ({ settings: DEFAULT_SETTINGS, facts: {}, ...(cache ? { cache } : {}) });

function fresh(text: string, file: string, language: Language): IrFile {
  return cFrontEnd.toIr(text, file, language, options());
}

/** Functions reused and walked so far for the file (either grammar: a `.h` file may read as C++). */
function reuseStats(cache: FrontEndCache, file: string): FunctionReuse["stats"] {
  const total = { reused: 0, walked: 0 };
  for (const grammar of ["c", "cpp"] as const) {
    const stats = cache.state(file, stateKey(grammar), () => new CFileState())?.functions.stats;
    total.reused += stats?.reused ?? 0;
    total.walked += stats?.walked ?? 0;
  }
  return total;
}

/** Snippets an editor might type: code that adds definitions, callbacks, lambdas, ABI helpers, braces. */
const SNIPPETS = [
  "x",
  " ",
  "\n",
  "\n\n\n",
  "/* per-thread by design */",
  "// runs as root\n",
  "#define LANDLOCK_RESTRICT_SELF_TSYNC 8\n",
  "#define FLAGS 0\n",
  "enum { LOCAL_FLAG = 1 };\n",
  "const int kFlags = LANDLOCK_RESTRICT_SELF_TSYNC;\n",
  "landlock_restrict_self(fd, 0);\n",
  "if (landlock_restrict_self(fd, LANDLOCK_RESTRICT_SELF_TSYNC)) return 1;\n",
  "pthread_create(&t, NULL, worker, NULL);\n",
  "signal(SIGUSR1, on_usr1);\n",
  "prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);\n",
  "int abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);\n",
  "auto fn = [&] { landlock_restrict_self(fd, 0); };\n",
  "static int helper(void) { return landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION); }\n",
  "{",
  "}",
  "(",
  ";",
  "#if 0\n",
  "#endif\n",
  "é𝄞",
  "/*",
  "*/",
  "//",
  '"',
  "'",
  "\\\n",
];

const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  deleteLength: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 9, max: 200 })),
  insert: fc.oneof(fc.constantFrom(...SNIPPETS), fc.constant("")),
  atLineStart: fc.boolean(),
});

function apply(text: string, e: { at: number; deleteLength: number; insert: string; atLineStart: boolean }): string {
  let at = Math.floor(e.at * text.length);
  if (e.atLineStart) at = text.lastIndexOf("\n", at - 1) + 1;
  const end = Math.min(text.length, at + e.deleteLength);
  return text.slice(0, at) + e.insert + text.slice(end);
}

test("random edits to fixtures: the cached path gives the IR of a fresh build", () => {
  assert.ok(FIXTURES.length > 50, `fixtures found: ${FIXTURES.length}`);
  let reused = 0;
  fc.assert(
    fc.property(fc.integer({ min: 0, max: FIXTURES.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 5 }), (index, edits) => {
      const { file, language } = FIXTURES[index]!;
      let text = FIXTURES[index]!.text;
      const cache = new FrontEndCache(2);
      try {
        assert.deepStrictEqual(cFrontEnd.toIr(text, file, language, options(cache)), fresh(text, file, language));
        for (const e of edits) {
          text = apply(text, e);
          assert.deepStrictEqual(cFrontEnd.toIr(text, file, language, options(cache)), fresh(text, file, language), `after edits ${JSON.stringify(edits)}`);
        }
        // Reused IR is shared with the cache (frozen): the checks must run over it unchanged,
        // and a second build must hand out the same IR again.
        const cached = cFrontEnd.toIr(text, file, language, options(cache));
        const textOf = () => text;
        assert.deepStrictEqual(runChecks([cached], DEFAULT_SETTINGS, { textOf }).findings, runChecks([fresh(text, file, language)], DEFAULT_SETTINGS, { textOf }).findings);
        assert.deepStrictEqual(cFrontEnd.toIr(text, file, language, options(cache)), fresh(text, file, language));
        reused += reuseStats(cache, file).reused;
      } finally {
        cache.clear();
      }
    }),
    { numRuns: Number(process.env.LANDLOCK_INCREMENTAL_RUNS ?? 200) },
  );
  // The property holds trivially if nothing is ever reused: make sure reuse happened.
  assert.ok(reused > 100, `functions reused over the run: ${reused}`);
});

test("an edit inside one function re-walks only that function", () => {
  const parts = [
    "#include <linux/landlock.h>\n#define MY_FLAGS LANDLOCK_RESTRICT_SELF_TSYNC\n",
    "static int get_abi(void)\n{\n\treturn syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);\n}\n",
    "static void *worker(void *arg)\n{\n\treturn arg;\n}\n",
    "static int sandbox(int fd)\n{\n\tint abi = get_abi();\n\t/* note */\n\tif (abi >= 8)\n\t\treturn landlock_restrict_self(fd, MY_FLAGS);\n\treturn landlock_restrict_self(fd, 0);\n}\n",
    "int main(void)\n{\n\tpthread_t t;\n\tpthread_create(&t, NULL, worker, NULL);\n\treturn sandbox(3);\n}\n",
  ];
  const text = parts.join("\n");
  const file = "/virtual/incremental.c";
  const cache = new FrontEndCache();
  try {
    cFrontEnd.toIr(text, file, "c", options(cache));
    const stats = () => reuseStats(cache, file);
    assert.deepEqual(stats(), { reused: 0, walked: 4 });
    // Type into the comment of `sandbox`: the lines after it do not move, the function changes.
    const edited = text.replace("/* note */", "/* note: x */");
    assert.deepStrictEqual(cFrontEnd.toIr(edited, file, "c", options(cache)), fresh(edited, file, "c"));
    assert.deepEqual(stats(), { reused: 3, walked: 5 });
    // The text parses cleanly, so the tree came from the last one (no fallback to a full parse).
    assert.deepEqual(cache.stats, { incremental: 1, full: 1, unchanged: 0, fallback: 0 });
    // Lines added inside the first function move every later function down: those are reused, shifted.
    const moved = edited.replace("get_abi(void)\n{\n", "get_abi(void)\n{\n\n\n");
    assert.deepStrictEqual(cFrontEnd.toIr(moved, file, "c", options(cache)), fresh(moved, file, "c"));
    assert.deepEqual(stats(), { reused: 6, walked: 6 });
    // Blank lines between functions say nothing to any of them.
    const spaced = moved.replace("\n\nstatic void *worker", "\n\n\n\nstatic void *worker");
    assert.deepStrictEqual(cFrontEnd.toIr(spaced, file, "c", options(cache)), fresh(spaced, file, "c"));
    assert.deepEqual(stats(), { reused: 10, walked: 6 });
    // A changed top-level define changes what every function may evaluate: nothing reused.
    const redefined = spaced.replace("#define MY_FLAGS LANDLOCK_RESTRICT_SELF_TSYNC", "#define MY_FLAGS 0");
    assert.deepStrictEqual(cFrontEnd.toIr(redefined, file, "c", options(cache)), fresh(redefined, file, "c"));
    assert.deepEqual(stats(), { reused: 10, walked: 10 });
  } finally {
    cache.clear();
  }
});

test("textChange finds the one replacement between two texts", () => {
  assert.deepEqual(textChange("abcdef", "abXdef"), { start: 2, oldEnd: 3, newEnd: 3 });
  assert.deepEqual(textChange("abc", "abc"), { start: 3, oldEnd: 3, newEnd: 3 });
  assert.deepEqual(textChange("aaaa", "aaaaa"), { start: 4, oldEnd: 4, newEnd: 5 });
  assert.deepEqual(textChange("", "xyz"), { start: 0, oldEnd: 0, newEnd: 3 });
  // Never inside a surrogate pair: U+1D11E and U+1D11F share their high surrogate.
  assert.deepEqual(textChange("a\u{1D11E}b", "a\u{1D11F}b"), { start: 1, oldEnd: 3, newEnd: 3 });
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "binary" }), (a, b) => {
      const c = textChange(a, b);
      assert.equal(a.slice(0, c.start) + b.slice(c.start, c.newEnd) + a.slice(c.oldEnd), b);
      assert.ok(c.start <= c.oldEnd && c.start <= c.newEnd);
    }),
  );
});

test("the parse cache keeps a bounded number of trees and frees the ones it drops", () => {
  const cache = new FrontEndCache(2);
  const deleted: string[] = [];
  const trees = ["a.c", "b.c", "c.c"].map((f) => {
    const tree = cache.parse(f, "c", "int main(void) { return 0; }\n");
    const free = tree.delete.bind(tree);
    tree.delete = () => {
      deleted.push(f);
      free();
    };
    return tree;
  });
  assert.equal(cache.size, 2);
  assert.deepEqual(deleted, ["a.c"]);
  assert.equal(trees[2]!.rootNode.type, "translation_unit");
  assert.equal(cache.parse("c.c", "c", "int main(void) { return 1; }\n").rootNode.text, "int main(void) { return 1; }\n");
  assert.deepEqual(cache.stats, { incremental: 1, full: 3, unchanged: 0, fallback: 0 });
  // The reparse replaced c.c's tree: the old one was freed.
  assert.deepEqual(deleted, ["a.c", "c.c"]);
  cache.forget("c.c");
  assert.equal(cache.size, 1);
  assert.equal(cache.state("c.c", "k", () => 1), undefined);
  cache.clear();
  assert.equal(cache.size, 0);
  assert.throws(() => new FrontEndCache(0), /maxFiles must be at least 1/);
});
