// Every front-end under pathological input: 10,000-deep nesting of each construct, very
// long expression chains, syntax errors by the thousand on one line, walks that run out of
// their time budget, huge argument lists. Each must give a report (no error entry), say
// what it did not analyse, and still analyse the rest of the file.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { analyzeText, DEFAULT_SETTINGS, frontEndFor, type IrFile } from "../src/index.js";
import { boundNesting } from "../src/frontends/js/nesting.js";
import { FIXTURES } from "./fixture-harness.js";

const DEPTH = 10_000;

interface Lang {
  ext: string;
  /** A function whose body holds `inner`, declared with a local `x`. */
  wrap(inner: string): string;
  /** A function after the deep part with a Landlock call the checks report. */
  tail: string;
  /** Constructs nested DEPTH deep, each a statement of the body above. */
  shapes: Record<string, string>;
  /** Whether the front-end lists what it skipped as a parse problem (the C/C++ file walker does not collect them yet). */
  reportsSkipped: boolean;
}

const n = DEPTH;
const JS_PRELUDE = `import koffi from 'koffi';\nconst libc = koffi.load('libc.so.6');\nconst restrictSelf = libc.func('long syscall(long nr, int fd, uint32_t flags)');\n`;
const JS_SHAPES = {
  "(": "x = " + "(".repeat(n) + "x" + ")".repeat(n) + ";",
  "{": "{".repeat(n) + "}".repeat(n),
  "[": "x = " + "a[".repeat(n) + "0" + "]".repeat(n) + ";",
  "if (x) {": "if (x) {".repeat(n) + "}".repeat(n),
  "f(": "f(".repeat(n) + "x" + ")".repeat(n) + ";",
  closures: "const g = " + "() => ".repeat(n) + "0;",
  "closure blocks": "const g = " + "() => {".repeat(n) + "}".repeat(n) + ";",
  "else if": "if (x) x(); else ".repeat(n) + "x();",
  "switch cases": "switch (x) { case 0: ".repeat(n) + "}".repeat(n),
  "a + a + ...": "x = x" + " + x".repeat(n) + ";",
  "a.b().c()...": "x.b()" + ".c()".repeat(n) + ";",
  "template literals": "x = " + "`${".repeat(n) + "x" + "}`".repeat(n) + ";",
};

const LANGS: Lang[] = [
  ...[".c", ".cpp"].map((ext) => ({
    ext,
    wrap: (inner: string) => `int f(int x) {\n  int a[4];\n  ${inner}\n  return 0;\n}\n`,
    tail: `int after(void) { return syscall(446, -1, 0); }\n`,
    shapes: {
      "(": "x = " + "(".repeat(n) + "x" + ")".repeat(n) + ";",
      "{": "{".repeat(n) + "}".repeat(n),
      "[": "x = " + "a[".repeat(n) + "0" + "]".repeat(n) + ";",
      "if (x) {": "if (x) {".repeat(n) + "}".repeat(n),
      "f(": "f(".repeat(n) + "x" + ")".repeat(n) + ";",
      "switch cases": "switch (x) { case 0: ".repeat(n) + "}".repeat(n),
      "a + a + ...": "x = x" + " + x".repeat(n) + ";",
      ...(ext === ".cpp" ? { closures: "auto g = " + "[&]() { return ".repeat(n) + "0" + "; }".repeat(n) + ";" } : {}),
    },
    reportsSkipped: false,
  })),
  {
    ext: ".go",
    wrap: (inner: string) => `package main\n\nfunc f(x int, a []int) {\n\t${inner}\n}\n`,
    tail: `func after() {\n\tunix.Syscall(446, 0, 0, 0)\n}\n`,
    shapes: {
      "(": "x = " + "(".repeat(n) + "x" + ")".repeat(n),
      "{": "{".repeat(n) + "}".repeat(n),
      "[": "x = " + "a[".repeat(n) + "0" + "]".repeat(n),
      "if x {": "if x > 0 {".repeat(n) + "}".repeat(n),
      "f(": "f(".repeat(n) + "x" + ")".repeat(n),
      closures: "g := " + "func() {".repeat(n) + "}".repeat(n),
      "switch cases": "switch x { case 0: ".repeat(n) + "}".repeat(n),
      "a + a + ...": "x = x" + " + x".repeat(n),
    },
    reportsSkipped: true,
  },
  {
    ext: ".rs",
    wrap: (inner: string) => `fn f(x: i32, a: &[i32]) {\n    ${inner}\n}\n`,
    tail: `fn after() {\n    unsafe { libc::syscall(446, -1, 0); }\n}\n`,
    shapes: {
      "(": "let y = " + "(".repeat(n) + "x" + ")".repeat(n) + ";",
      "{": "{".repeat(n) + "}".repeat(n),
      "[": "let y = " + "a[".repeat(n) + "0" + "]".repeat(n) + ";",
      "if x {": "if x > 0 {".repeat(n) + "}".repeat(n),
      "f(": "f(".repeat(n) + "x" + ")".repeat(n) + ";",
      closures: "let g = " + "|| ".repeat(n) + "0;",
      "match arms": "match x { _ => ".repeat(n) + "0" + " }".repeat(n) + ";",
      "a + a + ...": "let y = x" + " + x".repeat(n) + ";",
    },
    reportsSkipped: true,
  },
  ...[".ts", ".js"].map((ext) => ({
    ext,
    wrap: (inner: string) => `${JS_PRELUDE}function f(x, a) {\n  ${inner}\n}\n`,
    tail: `function after() {\n  restrictSelf(446, -1, 0);\n}\n`,
    shapes: JS_SHAPES,
    reportsSkipped: true,
  })),
];

/**
 * Generous budgets: these tests are about depth and size, not about this (shared, loaded)
 * machine's wall clock; the budgets have tests of their own.
 */
const NO_BUDGET = 600_000;

/** The IR, built without a walk budget. */
function irOf(text: string, file: string): IrFile {
  const fe = frontEndFor(file)!;
  return fe.toIr(text, file, fe.languageOf(file), { settings: DEFAULT_SETTINGS, facts: {}, walkBudgetMs: NO_BUDGET });
}

/** The restrict calls of one function of the IR. */
function restrictsIn(ir: IrFile, name: string): number {
  const fn = ir.functions.find((f) => f.name === name);
  return fn ? (JSON.stringify(fn.body).match(/"type":"restrict"/g) ?? []).length : 0;
}

function assertReported(text: string, file: string): void {
  const report = analyzeText(text, file, undefined, { budgetMs: NO_BUDGET });
  assert.equal(report.errors, undefined, `${file}: no error entry: ${JSON.stringify(report.errors)}`);
}

for (const lang of LANGS) {
  test(`${lang.ext}: ${DEPTH}-deep nesting of every construct gives a report and the code after it is still analysed`, () => {
    const file = `deep${lang.ext}`;
    // The tail alone: its Landlock call is what to look for after each deep part.
    assert.equal(restrictsIn(irOf(lang.wrap("x = 1;") + lang.tail, file), "after"), 1, `the tail's Landlock call is found without the deep part (${lang.ext})`);
    for (const [name, shape] of Object.entries(lang.shapes)) {
      const text = lang.wrap(shape) + lang.tail;
      const ir = irOf(text, file);
      const problems = ir.parseProblems.map((p) => p.message);
      assert.equal(restrictsIn(ir, "after"), 1, `${lang.ext} ${name}: the Landlock call after the deep part is found (${problems.join("; ")})`);
      assert.ok(!problems.some((m) => /internal error|could not analyse|stack/i.test(m)), `${lang.ext} ${name}: ${problems.join("; ")}`);
      if (lang.reportsSkipped) {
        assert.ok(
          problems.some((m) => /nesting deeper than \d+: not analysed|expression chain longer than \d+: not analysed|syntax error/.test(m)),
          `${lang.ext} ${name}: what was not analysed is reported (${problems.join("; ") || "no parse problem"})`,
        );
      }
      assertReported(text, file);
    }
  });
}

test("C, Go, Rust, JS/TS: the front-end's walk stops at its budget, keeps what it built and says so", () => {
  for (const ext of [".c", ".go", ".rs", ".ts"]) {
    const unit = { ".c": "int f%(void) {\n  int x = 1;\n  if (x > 0) { x = 2; }\n  return x;\n}\n", ".go": "func f%() {\n\tx := 1\n\tif x > 0 {\n\t\tx = 2\n\t}\n}\n", ".rs": "fn f%() {\n    let mut x = 1;\n    if x > 0 { x = 2; }\n}\n", ".ts": "function f%() {\n  let x = 1;\n  if (x > 0) { x = 2; }\n}\n" }[ext]!;
    const body = Array.from({ length: 4000 }, (_, i) => unit.replace("%", String(i))).join("");
    const text = (ext === ".go" ? "package main\n\n" : "") + body;
    const fe = frontEndFor(`budget${ext}`)!;
    const started = performance.now();
    const ir = fe.toIr(text, `budget${ext}`, fe.languageOf(`budget${ext}`), { settings: DEFAULT_SETTINGS, facts: {}, walkBudgetMs: 1 });
    const ms = performance.now() - started;
    const stopped = ir.parseProblems.find((p) => /^analysis stopped after \d+ ms of CPU time \(front-end budget 1 ms\)/.test(p.message));
    assert.ok(stopped, `${ext}: the stop is reported (${ir.parseProblems.map((p) => p.message).join("; ")})`);
    assert.ok(stopped.range.start.offset >= 0 && stopped.range.start.offset <= text.length);
    assert.ok(ir.functions.length < 4000, `${ext}: the walk stopped before the end (${ir.functions.length} functions)`);
    console.log(`${ext}: 4,000 functions, walk budget 1 ms: ${ms.toFixed(0)} ms in all (parse included), ${ir.functions.length} functions kept`);
  }
});

/** CPU milliseconds `work` takes. */
function cpuMs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

test("JS/TS: syntax-error recovery is not quadratic in the errors of one line", () => {
  const textOf = (chars: number) => `const a = 1;\nconst x = 1${'"aaaa'.repeat(chars / 5)};\nfunction after() {\n  return 1;\n}\n`;
  analyzeText(textOf(1000), "warm.ts");
  const small = cpuMs(() => analyzeText(textOf(10_000), "small.ts"));
  const large = cpuMs(() => analyzeText(textOf(80_000), "large.ts"));
  console.log(`recovery: 10,000-character line ${small.toFixed(0)} ms CPU, 80,000 ${large.toFixed(0)} ms CPU`);
  // Linear would be 8x; quadratic 64x. Generous for timer noise on small inputs.
  assert.ok(large < Math.max(small, 50) * 24, `8x the line cost ${(large / small).toFixed(1)}x the time`);
  const report = analyzeText(textOf(80_000), "large.ts");
  assert.equal(report.errors, undefined);
  assert.ok(report.parseErrors > 0, "the syntax errors are reported");
});

test("JS/TS: bounding the nesting keeps every offset and line break, and leaves realistic code alone", () => {
  const deep = "f(" + "(".repeat(300) + "x\n" + ")".repeat(300) + ");\nconst y = 1;\n";
  const bounded = boundNesting(deep, 100, 100);
  assert.equal(bounded.text.length, deep.length);
  assert.deepEqual([...bounded.text.matchAll(/\n/g)].map((m) => m.index), [...deep.matchAll(/\n/g)].map((m) => m.index));
  assert.ok(bounded.text.endsWith(");\nconst y = 1;\n"), "the code after the deep part is kept");
  assert.equal(bounded.flattened.length, 1);
  assert.match(bounded.flattened[0]!.message, /^nesting deeper than 100: not analysed$/);
  const chain = "const s = a" + " + a".repeat(500) + ";\nconst t = 2;\n";
  const unchained = boundNesting(chain, 100, 100);
  assert.equal(unchained.text.length, chain.length);
  assert.match(unchained.flattened[0]!.message, /^expression chain longer than 100: not analysed$/);
  assert.ok(unchained.text.endsWith("\nconst t = 2;\n") && !unchained.text.includes("a + a"), "the overlong statement is blanked, the next kept");

  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.[cm]?[jt]sx?$/.test(name)) files.push(path);
    }
  };
  walk(join(FIXTURES, "js"));
  assert.ok(files.length > 10);
  for (const path of files) {
    const text = readFileSync(path, "utf8");
    assert.deepEqual(boundNesting(text, 120, 120).flattened, [], `${path}: nothing in a realistic program is past the limits`);
  }
});

test("C++ and Go: a 20,000-item argument list stays well within the budget", () => {
  for (const [ext, text] of [
    [".cpp", `int f(int);\nint main(void) {\n  g(${"f(1),".repeat(20_000)}0);\n  return syscall(446, -1, 0);\n}\n`],
    [".go", `package main\n\nfunc main() {\n\tg(${"f(1),".repeat(20_000)}0)\n\tunix.Syscall(446, 0, 0, 0)\n}\n`],
  ] as const) {
    const file = `args${ext}`;
    let ir!: IrFile;
    const walkMs = cpuMs(() => (ir = irOf(text, file)));
    assert.equal(restrictsIn(ir, "main"), 1, `${ext}: the Landlock call after the list is analysed`);
    let report!: ReturnType<typeof analyzeText>;
    const ms = cpuMs(() => (report = analyzeText(text, file, undefined, { budgetMs: NO_BUDGET })));
    console.log(`${ext}: 20,000 arguments: IR ${walkMs.toFixed(0)} ms CPU, whole analysis ${ms.toFixed(0)} ms CPU`);
    assert.ok(ms < 2500, `${ext}: ${ms.toFixed(0)} ms CPU`);
    assert.equal(report.errors, undefined);
    assert.ok(report.findings.length > 0, `${ext}: the Landlock call is reported`);
  }
});
