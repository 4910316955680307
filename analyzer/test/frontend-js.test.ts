// IR shape of the JS/TS front-end: functions, every FFI binding style (koffi, ffi-napi,
// ffi-rs, Deno.dlopen, bun:ffi, native addons), renamed bindings, syscall numbers, flag
// words, ABI queries, how results are used, and control flow.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { IrFile } from "../src/ir.js";
import { jsFrontEnd } from "../src/frontends/js/index.js";
import { frontEndFor } from "../src/frontends/registry.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { fn, nodesOfKind, onlyOp, ops, opsOfType, shape, textAt } from "./frontend-c-helpers.js";

function irOf(code: string, file = "/project/app.mjs"): IrFile {
  return jsFrontEnd.toIr(code, file, jsFrontEnd.languageOf(file), { settings: DEFAULT_SETTINGS, facts: {} });
}

const KOFFI = `import koffi from "koffi";\nconst libc = koffi.load("libc.so.6");\nconst syscall = libc.func("long syscall(long, ...)");\n`;

/** The single restrict op of a file, wherever it is. */
function restrictOf(ir: IrFile) {
  const all = ir.functions.flatMap((f) => opsOfType(f.body, "restrict"));
  assert.equal(all.length, 1, `one restrict op, got ${JSON.stringify(ir.functions.map((f) => [f.name, shape(f.body)]))}`);
  return all[0]!;
}

// ---------------------------------------------------------------------------------------------
// Registration and functions

test("registered for every JS/TS extension, with the language by extension", () => {
  for (const ext of [".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"]) assert.equal(frontEndFor(`/p/x${ext}`), jsFrontEnd, ext);
  assert.deepEqual(["a.js", "a.mjs", "a.cjs", "a.jsx", "a.ts", "a.mts", "a.cts", "a.tsx"].map((f) => jsFrontEnd.languageOf(f)), [
    "javascript", "javascript", "javascript", "javascript", "typescript", "typescript", "typescript", "typescript",
  ]);
});

test("the module's top level is an entry function; declarations, arrows, methods and object methods are functions", () => {
  const code = `
function sandbox() { return 1; }
const enforce = async () => { await sandbox(); };
class Jail { constructor(dir) { this.dir = dir; } lock() { enforce(); } static create() { return new Jail("/"); } }
const helpers = { apply() { sandbox(); }, run: () => 1 };
exports.restrictSelf = function () { helpers.apply(); };
Jail.prototype.unlock = function () {};
new Jail("/srv").lock();
`;
  const ir = irOf(code, "/project/src/server.js");
  assert.deepEqual(ir.functions.map((f) => [f.name, f.isEntry]), [
    ["<module:server>", true],
    ["sandbox", false],
    ["enforce", false],
    ["Jail.constructor", false],
    ["Jail.lock", false],
    ["Jail.create", false],
    ["helpers.apply", false],
    ["helpers.run", false],
    ["restrictSelf", false],
    ["Jail.unlock", false],
  ]);
  const top = fn(ir, "<module:server>");
  assert.deepEqual(shape(top.body), ["call:Jail", "call:Jail.lock"]);
  assert.deepEqual(opsOfType(top.body, "call")[0]!.calleeCandidates, ["Jail.constructor"]);
  assert.deepEqual(opsOfType(fn(ir, "restrictSelf").body, "call").map((c) => [c.callee, c.calleeCandidates]), [["helpers.apply", undefined]]);
  assert.equal(textAt(code, fn(ir, "Jail.lock").nameRange), "lock");
  assert.equal(textAt(code, fn(ir, "enforce").nameRange), "enforce");
  // Every function carries the runtime's threads.
  for (const f of ir.functions) assert.equal(f.runtimeThreads?.mechanism, "node", f.name);
});

test("the runtime is Node, Deno or Bun by what the file uses", () => {
  assert.equal(irOf("Deno.exit(0);", "/p/a.ts").functions[0]!.runtimeThreads?.mechanism, "deno");
  assert.equal(irOf(`import { dlopen } from "bun:ffi";`, "/p/a.ts").functions[0]!.runtimeThreads?.mechanism, "bun");
  const node = irOf(`console.log(1);`).functions[0]!.runtimeThreads!;
  assert.equal(node.mechanism, "node");
  assert.match(node.note!, /libuv's thread pool/);
});

// ---------------------------------------------------------------------------------------------
// Binding styles

test("koffi: prototypes, (name, ret, params) triples, calling conventions and variadic type pairs", () => {
  const forms = [
    `const r = libc.func("int landlock_restrict_self(int, uint32_t)"); if (r(3, 0)) throw 1;`,
    `const r = libc.func("landlock_restrict_self", "int", ["int", "uint32_t"]); if (r(3, 0)) throw 1;`,
    `const r = libc.func("__stdcall", "landlock_restrict_self", "int", ["int", "uint32_t"]); if (r(3, 0)) throw 1;`,
    `if (syscall(446, "int", 3, "uint32_t", 8)) throw 1;`,
    `if (syscall(446, 3, 8)) throw 1;`,
  ];
  const got = forms.map((f) => {
    const r = restrictOf(irOf(KOFFI + f));
    return [r.api, r.flags.value, r.resultChecked];
  });
  assert.deepEqual(got, [
    ["landlock_restrict_self (bound as r)", 0, "yes"],
    ["landlock_restrict_self (bound as r)", 0, "yes"],
    ["landlock_restrict_self (bound as r)", 0, "yes"],
    ["syscall(446)", 8, "yes"],
    ["syscall(446)", 8, "yes"],
  ]);
  // The flags argument after the type pairs is the value, not the type string.
  const code = KOFFI + `syscall(446, "int", fd, "uint32_t", FLAGS);`;
  assert.equal(textAt(code, restrictOf(irOf(code)).flags.range!), "FLAGS");
});

test("ffi-napi: Library specs, DynamicLibrary + ForeignFunction, and .async on a pool thread", () => {
  const code = `
const ffi = require("ffi-napi");
const libc = ffi.Library("libc", { syscall: ["long", ["long", "int", "uint32"]], prctl: ["int", ["int", "ulong", "ulong", "ulong", "ulong"]] });
const dl = new ffi.DynamicLibrary("libc.so.6");
const enforce = ffi.ForeignFunction(dl.get("syscall"), "long", ["long", "int", "uint32"]);
libc.prctl(38, 1, 0, 0, 0);
const a = libc.syscall(446, 3, 0);
const b = enforce(446, 3, 0);
libc.syscall.async(446, 3, 0, (err, rc) => {});
`;
  const top = irOf(code, "/p/x.js").functions[0]!;
  assert.deepEqual(shape(top.body), ["no-new-privs", "restrict", "restrict", { thread: ["restrict"] }]);
  const [a, b, c] = opsOfType(top.body, "restrict");
  assert.equal(a!.api, "syscall(446)");
  assert.equal(b!.api, "syscall(446) (bound as enforce)");
  assert.equal(c!.resultChecked, "maybe", "the callback receives the result");
  const thread = nodesOfKind(top.body, "thread")[0]!;
  assert.match(thread.how, /libuv pool thread/);
});

test("ffi-rs: load() with paramsValue, define() tables whose functions take one array", () => {
  const code = `
import { load, define, open, DataType } from "ffi-rs";
open({ library: "libc", path: "" });
const lib = define({ syscall: { library: "libc", retType: DataType.I64, paramsType: [DataType.I64, DataType.I64, DataType.I64] } });
const rc = load({ library: "libc", funcName: "syscall", retType: DataType.I64, paramsType: [], paramsValue: [446, 3, 8] });
if (rc !== 0) process.exit(1);
lib.syscall([446, 3, 0]);
`;
  const [a, b] = opsOfType(irOf(code, "/p/x.ts").functions[0]!.body, "restrict");
  assert.deepEqual([a!.flags.tsync, a!.resultChecked], ["yes", "yes"]);
  assert.deepEqual([b!.flags.tsync, b!.resultChecked], ["no", "no"]);
});

test("Deno.dlopen: `name:` aliases, destructured symbols, BigInt arguments, nonblocking calls on another thread", () => {
  const code = `
const lib = Deno.dlopen("libc.so.6", {
  restrict: { name: "syscall", parameters: ["i64", "i64", "u32"], result: "i64" },
  later: { name: "syscall", parameters: ["i64", "i64", "u32"], result: "i64", nonblocking: true },
});
const { restrict: sc } = lib.symbols;
if (sc(446n, 3n, 8) !== 0n) Deno.exit(1);
await lib.symbols.later(BigInt(446), 3n, 0);
`;
  const top = irOf(code, "/p/x.ts").functions[0]!;
  const [now, later] = opsOfType(top.body, "restrict");
  assert.equal(now!.api, "syscall(446n) (bound as sc)");
  assert.equal(now!.flags.tsync, "yes");
  assert.equal(now!.resultChecked, "yes");
  assert.equal(later!.api, "syscall(BigInt(446)) (bound as later)");
  assert.equal(nodesOfKind(top.body, "thread").length, 1);
  assert.match(nodesOfKind(top.body, "thread")[0]!.how, /nonblocking/);
  assert.equal(top.body.filter((n) => n.kind === "exit").length, 0);
});

test("bun:ffi dlopen: symbols from a destructured library", () => {
  const code = `
import { dlopen, FFIType } from "bun:ffi";
const { symbols } = dlopen("libc.so.6", { syscall: { args: [FFIType.i64, FFIType.i64, FFIType.u32], returns: FFIType.i64 } });
export function lock(fd) { return symbols.syscall(446, fd, 0); }
`;
  const r = onlyOp(fn(irOf(code, "/p/x.ts"), "lock").body, "restrict");
  assert.equal(r.api, "syscall(446)");
  assert.equal(r.resultReturned, true);
});

test("native addons: restrict points only where the name says landlock or restrict_self", () => {
  const code = `
const sandbox = require("./build/Release/sandbox.node");
const ll = require("bindings")("landlock");
const { createRequire } = require("node:module");
const other = createRequire(__filename)("../native/jail.node");
sandbox.enable();
sandbox.restrictSelf({ paths: ["/srv"] });
sandbox.landlockRestrictSelf(3, 8);
ll.restrict(["/tmp"]);
other.applyLandlock({ tsync: true });
other.setNoNewPrivs();
void sandbox.restrict_self();
const rc = sandbox.restrictSelf(); 
`;
  const top = irOf(code, "/p/x.js").functions[0]!;
  const rs = opsOfType(top.body, "restrict");
  assert.deepEqual(rs.map((r) => [r.api, r.flags.tsync, r.flags.noNewPrivs, r.resultChecked]), [
    ["sandbox.restrictSelf", "maybe", "maybe", "maybe"],
    ["sandbox.landlockRestrictSelf", "yes", "maybe", "maybe"],
    ["ll.restrict", "maybe", "maybe", "maybe"],
    ["other.applyLandlock", "yes", "maybe", "maybe"],
    ["sandbox.restrict_self", "maybe", "maybe", "no"],
    ["sandbox.restrictSelf", "maybe", "maybe", "no"],
  ]);
  assert.equal(opsOfType(top.body, "no-new-privs").length, 1);
});

test("renamed bindings: variables, destructuring, object fields and `this` fields keep the C symbol", () => {
  const code = KOFFI + `
const { func } = { func: 1 };
const sc = syscall;
const table = { restrict: libc.func("int landlock_restrict_self(int, uint32_t)") };
class Sandbox {
  constructor() { this.sys = syscall; }
  apply(fd) { if (this.sys(446, fd, 0) < 0) throw new Error("x"); }
}
export function a(fd) { if (sc(446, fd, 0)) throw 1; }
export function b(fd) { if (table.restrict(fd, 0)) throw 1; }
`;
  const ir = irOf(code);
  assert.equal(onlyOp(fn(ir, "a").body, "restrict").api, "syscall(446) (bound as sc)");
  assert.equal(onlyOp(fn(ir, "b").body, "restrict").api, "landlock_restrict_self");
  assert.equal(onlyOp(fn(ir, "Sandbox.apply").body, "restrict").api, "syscall(446)");
});

test("syscall stubs of this file: each call is the Landlock call with the caller's arguments; the stub holds nothing", () => {
  const code = KOFFI + `
const restrictSelf = (fd, flags) => syscall(446, "int", fd, "uint32_t", flags);
function createRuleset(attr, size, flags) { return Number(syscall(444, attr, size, flags)); }
const logged = (fd, flags) => { console.log(fd); return syscall(446, fd, flags); };
const anyCall = (nr, a, b) => syscall(nr, a, b);
export const exported = (fd, flags) => syscall(446, fd, flags);
if (createRuleset(null, 0, 1) < 8) process.exit(1);
if (restrictSelf(3, 8) !== 0) throw new Error("x");
restrictSelf(3);
`;
  const ir = irOf(code);
  assert.deepEqual(fn(ir, "restrictSelf").body, []);
  assert.deepEqual(fn(ir, "createRuleset").body, []);
  // Not stubs: a body doing something else, a forwarded syscall number, an export other files may call.
  assert.equal(opsOfType(fn(ir, "logged").body, "restrict").length, 1);
  assert.equal(opsOfType(fn(ir, "exported").body, "restrict").length, 1);
  assert.equal(fn(ir, "anyCall").body.filter((n) => n.kind === "op" && n.op.type !== "call").length, 0);
  const top = fn(ir, "<module:app>").body;
  const branch = top.find((n) => n.kind === "branch")!;
  assert.ok(branch.kind === "branch" && branch.arms[0]!.cond?.kind === "abi-at-least");
  const [checked, bare] = opsOfType(top, "restrict");
  assert.deepEqual([checked!.api, checked!.flags.tsync, checked!.resultChecked], ["syscall(446) (bound as restrictSelf)", "yes", "yes"]);
  assert.equal(textAt(code, checked!.flags.range!), "8", "the flags are the caller's argument (fixes edit the call site)");
  assert.deepEqual([bare!.flags.tsync, bare!.flags.range, bare!.resultChecked], ["no", undefined, "no"]);
  assert.equal(opsOfType(top, "abi-query")[0]!.api, "syscall(444) (bound as createRuleset)");
});

// ---------------------------------------------------------------------------------------------
// Numbers and flags

test("syscall numbers: 446, 446n, BigInt(446), 0x1be, consts, imported UAPI names", () => {
  const forms = ["446", "446n", "BigInt(446)", "0x1be", "SYS_RESTRICT", "SYS_landlock_restrict_self", "nr.restrict"];
  for (const f of forms) {
    const code = KOFFI + `import { SYS_landlock_restrict_self } from "./uapi.js";\nconst SYS_RESTRICT = 446;\nconst nr = { restrict: 446n };\nif (syscall(${f}, 3, 0)) throw 1;`;
    assert.equal(restrictOf(irOf(code)).api, `syscall(${f})`, f);
  }
  // Other numbers are other syscalls.
  assert.deepEqual(irOf(KOFFI + "syscall(445, 3, 1, attr, 0); syscall(39);").functions[0]!.body.map((n) => (n.kind === "op" ? n.op.type : n.kind)), ["add-rule"]);
});

test("flags: numbers, shifts, consts, UAPI names, enums, objects, and TSYNC only above an ABI test", () => {
  const flagsOf = (expr: string, prelude = "") => restrictOf(irOf(`${KOFFI}${prelude}\nif (syscall(446, 3, ${expr})) throw 1;`, "/p/x.ts")).flags;
  assert.equal(flagsOf("0").tsync, "no");
  assert.equal(flagsOf("8").tsync, "yes");
  assert.equal(flagsOf("1 << 3").tsync, "yes");
  assert.equal(flagsOf("1n << 3n").tsync, "yes");
  assert.equal(flagsOf("LANDLOCK_RESTRICT_SELF_TSYNC", "const LANDLOCK_RESTRICT_SELF_TSYNC = 1 << 3;").tsync, "yes");
  assert.equal(flagsOf("LANDLOCK_RESTRICT_SELF_TSYNC").tsync, "yes", "the UAPI name when the file does not define it");
  assert.equal(flagsOf("Flags.Tsync | Flags.LogSameExecOff", "enum Flags { LogSameExecOff = 1, LogNewExecOn, LogSubdomainsOff = 4, Tsync = 8 }").value, 9);
  assert.equal(flagsOf("F.TSYNC", "const F = { TSYNC: 8 };").tsync, "yes");
  assert.equal(flagsOf("opts.flags").tsync, "maybe");
  const conditional = flagsOf("abi >= 8 ? TSYNC : 0", "const TSYNC = 8; const abi = syscall(444, null, 0, 1);");
  assert.equal(conditional.tsync, "maybe");
  assert.equal(conditional.tsyncIfAbiAtLeast, 8);
  let flags = flagsOf("flags", "const abi = syscall(444, null, 0, 1); let flags = 0; if (abi >= 8) flags |= 8;");
  assert.equal(flags.tsyncIfAbiAtLeast, 8);
  flags = flagsOf("flags", "let flags = 8; flags &= ~8;");
  assert.equal(flags.tsync, "no");
});

test("ABI queries: syscall(444, null, 0, 1), bound create_ruleset with VERSION, helper functions, tests in conditions", () => {
  const code = KOFFI + `
function landlockAbi() {
  const v = syscall(444, null, 0, 1);
  return v < 0 ? 0 : v;
}
export function a(fd) {
  if (landlockAbi() < 8) process.exit(1);
  syscall(446, fd, 8);
}
export function b(fd) {
  if (syscall(444, "void *", null, "size_t", 0, "uint32_t", 1) >= 8) { if (syscall(446, fd, 8)) throw 1; }
}
export function c(fd) {
  switch (landlockAbi()) { case 8: syscall(446, fd, 8); break; default: syscall(446, fd, 0); }
}
`;
  const ir = irOf(code);
  assert.equal(onlyOp(fn(ir, "landlockAbi").body, "abi-query").api, "syscall(444)");
  const a = fn(ir, "a").body;
  assert.deepEqual((a[1] as Extract<typeof a[number], { kind: "branch" }>).arms.map((x) => x.cond), [{ kind: "abi-at-least", abi: 8, negated: true }]);
  const b = fn(ir, "b").body.find((n) => n.kind === "branch")!;
  assert.ok(b.kind === "branch" && b.arms[0]!.cond?.kind === "abi-at-least" && b.arms[0]!.cond.abi === 8 && !b.arms[0]!.cond.negated);
  const c = fn(ir, "c").body.find((n) => n.kind === "branch")!;
  assert.ok(c.kind === "branch");
  assert.deepEqual(c.arms.map((x) => x.cond), [{ kind: "abi-at-least", abi: 8, negated: false }, { kind: "other", text: "default" }]);
  assert.equal(c.exhaustive, true);
});

test("rulesets: attributes from object literals, typed arrays and Buffers; the fd links the restrict to its scopes", () => {
  const code = KOFFI + `
const attr = Buffer.alloc(24);
attr.writeBigUInt64LE(1n << 1n, 0);
attr.writeBigUInt64LE(3n, 16);
const fd1 = syscall(444, attr, 24, 0);
const fd2 = syscall(444, "void *", { handled_access_fs: 1n << 13n, scoped: 2n }, "size_t", 24, "uint32_t", 0);
const fd3 = syscall(444, new BigUint64Array([1n, 1n << 0n, 0n]), 24, 0);
if (syscall(446, fd2, 0)) throw 1;
`;
  const top = irOf(code).functions[0]!;
  const made = opsOfType(top.body, "create-ruleset").map((c) => [c.ruleset.scopes, c.ruleset.neededAbi]);
  assert.deepEqual(made, [[["signal", "abstract_unix_socket"], 6], [["signal"], 6], [[], 4]]);
  const r = onlyOp(top.body, "restrict");
  assert.equal(r.fd, "ruleset");
  assert.deepEqual(r.ruleset?.scopes, ["signal"]);
  assert.equal(restrictOf(irOf(KOFFI + "if (syscall(446, -1, 4)) throw 1;")).fd, "minus-one");
});

// ---------------------------------------------------------------------------------------------
// Results

test("results: tested, returned, asserted, stored and tested are checked; bare and void are not", () => {
  const cases: [string, string, boolean?][] = [
    ["if (syscall(446, 3, 0) !== 0) throw new Error();", "yes"],
    ["syscall(446, 3, 0) === 0 || process.exit(1);", "yes"],
    ["const rc = syscall(446, 3, 0); if (rc) throw rc;", "yes"],
    ["const rc = syscall(446, 3, 0); assert.equal(rc, 0);", "yes"],
    ["const rc = syscall(446, 3, 0); console.log(rc);", "maybe"],
    ["const rc = syscall(446, 3, 0);", "no"],
    ["syscall(446, 3, 0);", "no"],
    ["void syscall(446, 3, 0);", "no"],
    ["await syscall(446, 3, 0);", "no"],
  ];
  for (const [body, expected] of cases) assert.equal(restrictOf(irOf(`${KOFFI}${body}`)).resultChecked, expected, body);
  const returned = onlyOp(fn(irOf(`${KOFFI}export function f(fd) { const rc = syscall(446, fd, 0); return rc; }`), "f").body, "restrict");
  assert.deepEqual([returned.resultChecked, returned.resultReturned], ["yes", true]);
  const arrow = onlyOp(fn(irOf(`${KOFFI}export const f = (fd) => syscall(446, fd, 0);`), "f").body, "restrict");
  assert.equal(arrow.resultReturned, true);
});

test("a failure test of the restrict result is the error-path arm", () => {
  const ir = irOf(`${KOFFI}const rc = syscall(446, 3, 0);\nif (rc !== 0) { console.error("no sandbox"); process.exit(1); }\nif (syscall(446, 3, 0) < 0) throw new Error();`);
  const branches = nodesOfKind(ir.functions[0]!.body, "branch");
  assert.deepEqual(branches.map((b) => b.arms[0]!.cond), [{ kind: "error-path" }, { kind: "error-path" }]);
  assert.deepEqual(branches.map((b) => { const last = b.arms[0]!.body.at(-1); return last?.kind === "exit" ? last.leaves : last?.kind; }), ["process", "process"]);
});

// ---------------------------------------------------------------------------------------------
// Control flow

test("control flow: if/else, switch, ternaries and && with calls, loops with bounds, try/catch as an error path, exits", () => {
  const code = `
function a() {}
function b() {}
export async function f(items) {
  if (items.length) a(); else b();
  items.length > 2 ? a() : b();
  items.ready && a();
  for (let i = 0; i < 3; i++) a();
  for (const x of [1, 2]) b();
  while (items.more) a();
  do b(); while (items.more);
  try { await a(); } catch (e) { b(); } finally { a(); }
  switch (items.kind) { case "x": a(); break; default: b(); }
  if (items.bad) throw new Error("bad");
  if (items.quit) process.exit(2);
  return b();
}
`;
  const body = fn(irOf(code), "f").body;
  assert.deepEqual(shape(body), [
    { branch: [["call:a"], ["call:b"]], exhaustive: true },
    { branch: [["call:a"], ["call:b"]], exhaustive: true },
    { branch: [["call:a"]], exhaustive: false },
    { loop: ["call:a"] },
    { loop: ["call:b"] },
    { loop: ["call:a"] },
    { loop: ["call:b"] },
    "call:a",
    { branch: [["call:b"]], exhaustive: false },
    "call:a",
    { branch: [["call:a"], ["call:b"]], exhaustive: true },
    { branch: [["exit"]], exhaustive: false },
    { branch: [["exit"]], exhaustive: false },
    "call:b",
    "exit",
  ]);
  const loops = nodesOfKind(body, "loop");
  assert.deepEqual(loops.map((l) => l.maxIterations), [3, 2, undefined, undefined]);
  const tryCatch = body[8]!;
  assert.ok(tryCatch.kind === "branch" && tryCatch.arms[0]!.cond?.kind === "error-path");
  const exits = nodesOfKind(body, "exit").map((e) => e.leaves);
  assert.deepEqual(exits, ["process", "process", "function"]);
});

test("callbacks: listeners and intervals repeat, timers and promise reactions maybe run once, Promise executors run now", () => {
  const code = `
function restrict() {}
process.on("SIGHUP", () => restrict());
setTimeout(() => restrict(), 10);
new Promise((resolve) => { restrict(); resolve(); });
app.get("/reload", (req, res) => restrict());
server.listen(8080, () => restrict());
setInterval(restrict, 1000);
`;
  assert.deepEqual(shape(irOf(code).functions[0]!.body), [
    { loop: ["call:restrict"] },
    { branch: [["call:restrict"]], exhaustive: false },
    "call:restrict",
    { loop: ["call:restrict"] },
    { branch: [["call:restrict"]], exhaustive: false },
    { loop: ["call:restrict"] },
  ]);
});

test("calls resolve to the project's functions: imports, instances, this, modules; the platform's methods are not calls", () => {
  const code = `
import { sandbox as enter } from "./sandbox.js";
import * as jail from "./jail.js";
import { Pool } from "./pool.js";
const helper = require("./helper");
const pool = new Pool(4);
enter();
jail.lock();
helper.apply();
pool.start();
[1, 2].map((x) => x * 2).join(",");
res.end("x");
console.log("x");
unknownThing.configure();
`;
  const calls = ops(irOf(code).functions[0]!.body).filter((o) => o.type === "call");
  assert.deepEqual(calls.map((c) => c.type === "call" && [c.callee, c.calleeCandidates]), [
    ["Pool", ["Pool.constructor"]],
    ["enter", ["sandbox"]],
    ["jail.lock", ["lock"]],
    ["helper.apply", ["apply"]],
    ["pool.start", ["Pool.start"]],
    ["unknownThing.configure", undefined],
  ]);
});
