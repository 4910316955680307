// The JS/TS front-end never throws and keeps positions right: syntax errors are recovered
// statement by statement (the rest of the file is analysed), JSX in .js and generics in
// .ts parse, binary garbage and random mutations of a realistic file give parse problems
// and well-formed IR, positions are UTF-16 columns on the shared line index (CRLF,
// astral characters), comments reach suppressions.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { IrBlock, IrFile, Range } from "../src/ir.js";
import { jsFrontEnd } from "../src/frontends/js/index.js";
import { analyzeText } from "../src/analyze.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { LineIndex } from "../src/text/positions.js";
import { fn, onlyOp, opsOfType, textAt } from "./frontend-c-helpers.js";

const SEED = Number(process.env.LANDLOCK_FUZZ_SEED ?? 20251123);

function irOf(code: string, file = "/project/app.mjs"): IrFile {
  return jsFrontEnd.toIr(code, file, jsFrontEnd.languageOf(file), { settings: DEFAULT_SETTINGS, facts: {} });
}

/** Every range lies inside the text, starts before it ends, and agrees with the shared line index. */
function assertWellFormed(ir: IrFile, text: string): void {
  const lines = new LineIndex(text);
  const check = (r: Range, what: string) => {
    assert.ok(r.start.offset >= 0 && r.start.offset <= r.end.offset && r.end.offset <= text.length, `${what}: ${JSON.stringify(r)}`);
    assert.deepEqual(r.start, lines.position(r.start.offset), `${what} start`);
    assert.deepEqual(r.end, lines.position(r.end.offset), `${what} end`);
  };
  const walk = (block: IrBlock) => {
    for (const n of block) {
      if (n.kind === "op") {
        check(n.op.range, n.op.type);
        if (n.op.type === "restrict" || n.op.type === "call") check(n.op.calleeRange, `${n.op.type} callee`);
      } else {
        check(n.range, n.kind);
        if (n.kind === "branch") n.arms.forEach((a) => walk(a.body));
        else if (n.kind !== "exit") walk(n.body);
      }
    }
  };
  for (const f of ir.functions) {
    check(f.range, f.name);
    check(f.nameRange, `${f.name} name`);
    walk(f.body);
  }
  for (const p of ir.parseProblems) check(p.range, p.message);
  for (const c of ir.comments) check(c.range, c.text);
}

/** A fixture-like program: koffi bindings, a worker branch, a sandbox helper, signals. */
const REALISTIC = `// thumbd: renders thumbnails on worker threads.
import { Worker, isMainThread, parentPort } from "node:worker_threads";
import koffi from "koffi";

const libc = koffi.load("libc.so.6");
const syscall = libc.func("long syscall(long, ...)");
const TSYNC = 1 << 3;

function landlockAbi() {
  const v = syscall(444, null, 0, 1);
  return v < 0 ? 0 : v;
}

export function sandbox(dir) {
  if (landlockAbi() < 8) throw new Error("ABI 8 required");
  const fd = syscall(444, "void *", { handled_access_fs: 2n, scoped: 2n }, "size_t", 24, "uint32_t", 0);
  if (fd < 0) throw new Error("ruleset");
  syscall(157, 38, 1, 0, 0, 0);
  if (syscall(446, fd, TSYNC) !== 0) throw new Error("restrict");
}

if (isMainThread) {
  for (let i = 0; i < 4; i++) new Worker(new URL(import.meta.url));
  sandbox("/srv");
  process.kill(process.ppid, "SIGUSR1");
} else {
  parentPort.on("message", (m) => parentPort.postMessage(m));
}
`;

test("a syntax error costs its statement only: the rest of the file is analysed and the problem listed", () => {
  const code = `${REALISTIC}\nfunction broken() {\n  const x = 1 +;\n}\nexport function after(fd) { return syscall(446, fd, 0); }\n`;
  const ir = irOf(code);
  assert.equal(ir.parseProblems.length, 1);
  assert.match(ir.parseProblems[0]!.message, /^syntax error: Expression expected\. \(analysis covers the rest\)$/);
  assert.equal(ir.parseProblems[0]!.range.start.line, code.split("\n").findIndex((l) => l.includes("1 +;")) + 1);
  assert.ok(ir.functions.some((f) => f.name === "broken"));
  assert.equal(onlyOp(fn(ir, "after").body, "restrict").resultReturned, true);
  assert.equal(onlyOp(fn(ir, "sandbox").body, "restrict").flags.tsync, "yes");
  assertWellFormed(ir, code);
});

test("a file cut short: unclosed blocks are closed, what was written is analysed", () => {
  const cut = REALISTIC.slice(0, REALISTIC.indexOf("if (syscall(446") + "if (syscall(446, fd, TSYNC)".length);
  const ir = irOf(cut);
  assert.ok(ir.parseProblems.length > 0);
  assert.equal(opsOfType(fn(ir, "sandbox").body, "restrict").length, 1);
  assertWellFormed(ir, cut);
});

test("JSX in .js files, TypeScript generics and type assertions in .ts files parse without problems", () => {
  const jsx = irOf(`import koffi from "koffi";\nconst App = () => <div className="x">{items.map((i) => <b key={i}>{i}</b>)}</div>;\nconst sc = koffi.load("c").func("long syscall(long, ...)");\nsc(446, 3, 0);`, "/p/app.js");
  assert.deepEqual(jsx.parseProblems, []);
  assert.equal(opsOfType(jsx.functions[0]!.body, "restrict").length, 1);
  const ts = irOf(`import koffi from "koffi";\nconst sc = koffi.load("c").func("long syscall(long, ...)") as (...a: unknown[]) => number;\nfunction id<T>(x: T): T { return x; }\nconst n = <number>id(446);\nif (sc(id<number>(446), 3 as number, 0 satisfies number)! !== 0) throw 1;`, "/p/a.ts");
  assert.deepEqual(ts.parseProblems, []);
  assert.equal(opsOfType(ts.functions.find((f) => f.isEntry)!.body, "restrict").length, 0, "id<number>(446) is not a constant the front-end evaluates");
  const tsx = irOf(`export const C = <T,>(p: { v: T }) => <span>{String(p.v)}</span>;`, "/p/c.tsx");
  assert.deepEqual(tsx.parseProblems, []);
});

test("positions are UTF-16 columns on the shared line index, across CRLF and astral characters", () => {
  const code = `import koffi from "koffi";\r\nconst sc = koffi.load("c").func("long syscall(long, ...)");\r\nconst label = "🦀 sandbox ✓"; if (sc(446, 3, 0)) throw 1;\r\n`;
  const r = onlyOp(irOf(code).functions[0]!.body, "restrict");
  assert.equal(r.range.start.line, 3);
  assert.equal(r.range.start.column, "const label = \"🦀 sandbox ✓\"; if (".length);
  assert.equal(textAt(code, r.range), "sc(446, 3, 0)");
  assert.equal(textAt(code, r.calleeRange), "sc");
  assertWellFormed(irOf(code), code);
  // A lone CR ends a line for the line index too.
  const cr = `const a = 1;\rimport koffi from "koffi";\rkoffi.load("c").func("long syscall(long, ...)")(446, 3, 0);`;
  assertWellFormed(irOf(cr), cr);
});

test("comments are collected with their text for suppressions, and both directive families work", () => {
  const code = `import koffi from "koffi";
const sc = koffi.load("c").func("long syscall(long, ...)");
sc(157, 38, 1, 0, 0, 0);
/* block */ // landlock-lint-disable-next-line landlock/single-thread-restrict -- accepted
if (sc(446, 3, 0)) throw 1;
// eslint-disable-next-line landlock/single-thread-restrict
if (sc(446, 3, 0)) throw 1;
if (sc(446, 3, 0)) throw 1;
`;
  const ir = irOf(code);
  assert.deepEqual(ir.comments.map((c) => c.text), ["/* block */", "// landlock-lint-disable-next-line landlock/single-thread-restrict -- accepted", "// eslint-disable-next-line landlock/single-thread-restrict"]);
  const report = analyzeText(code, "/project/app.mjs");
  assert.deepEqual(report.findings.map((f) => [f.ruleId, f.range.start.line]), [["landlock/single-thread-restrict", 8]]);
  assert.equal(report.suppressions?.used.length, 2);
});

test("garbage, binary data, NUL bytes and odd files give parse problems or nothing, never an exception", () => {
  const bytes = Buffer.alloc(32 * 1024);
  let x = 0x2468ace;
  for (let i = 0; i < bytes.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  for (const text of [bytes.toString("latin1"), bytes.toString("utf8"), "\0\0\0", "}}}}", "((((", "`${", "/*", "'", "<div", "@@@", "#!/usr/bin/env node\n"]) {
    for (const file of ["/p/x.js", "/p/x.ts", "/p/x.tsx"]) {
      const ir = irOf(text, file);
      assertWellFormed(ir, text);
      for (const p of ir.parseProblems) assert.match(p.message, /^syntax error: /);
    }
  }
  const empty = irOf("");
  assert.deepEqual([empty.functions.length, empty.parseProblems, empty.comments], [1, [], []]);
  assert.deepEqual(empty.functions[0]!.body, []);
});

test("deep nesting and long files do not overflow the stack", () => {
  const depth = 3000;
  const nested = `const v = ${"(".repeat(depth)}1${")".repeat(depth)};\nimport koffi from "koffi";\nkoffi.load("c").func("long syscall(long, ...)")(446, 3, 0);`;
  assertWellFormed(irOf(nested), nested);
  const blocks = `${"if (a) {".repeat(1000)} f(); ${"}".repeat(1000)}`;
  assertWellFormed(irOf(blocks), blocks);
  const chain = `const x = a${".b".repeat(5000)};`;
  assertWellFormed(irOf(chain), chain);
  const sum = `const s = ${Array.from({ length: 20_000 }, (_, i) => `v${i}`).join(" + ")};`;
  assertWellFormed(irOf(sum), sum);
  const many = `import koffi from "koffi";\nconst sc = koffi.load("c").func("long syscall(long, ...)");\n${"function f(){ g(); }\n".repeat(5000)}sc(446, 3, 0);`;
  const ir = irOf(many);
  assert.equal(opsOfType(ir.functions.find((f) => f.isEntry)!.body, "restrict").length, 1);
});

test("property: random strings never make the front-end throw", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 2000, unit: "binary" }), fc.constantFrom("/p/x.js", "/p/x.ts", "/p/x.jsx"), (text, file) => {
      assertWellFormed(irOf(text, file), text);
    }),
    { seed: SEED, numRuns: 200 },
  );
});

test("property: token insertions, deletions and truncations of a realistic file never throw", () => {
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant("truncate" as const), at: fc.nat(REALISTIC.length) }),
    fc.record({ kind: fc.constant("delete" as const), at: fc.nat(REALISTIC.length - 1), length: fc.integer({ min: 1, max: 40 }) }),
    fc.record({
      kind: fc.constant("token" as const),
      at: fc.nat(REALISTIC.length),
      token: fc.constantFrom("{", "}", "(", ")", ";", "`", "'", '"', "/*", "*/", "//", "=>", "async ", "await ", "<", ">", "class ", "new ", "if (", "else", "\0", "\n", "..."),
    }),
  );
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.constantFrom("/p/x.mjs", "/p/x.ts"), (mutations, file) => {
      let text = REALISTIC;
      for (const m of mutations) {
        const at = Math.min(m.at, text.length);
        if (m.kind === "truncate") text = text.slice(0, at);
        else if (m.kind === "delete") text = text.slice(0, at) + text.slice(at + m.length);
        else text = text.slice(0, at) + m.token + text.slice(at);
      }
      const ir = irOf(text, file);
      assertWellFormed(ir, text);
      assert.ok(ir.functions.length > 0 || ir.parseProblems.length > 0, "either something was analysed or the file's problem is reported");
    }),
    { seed: SEED, numRuns: 150 },
  );
});
