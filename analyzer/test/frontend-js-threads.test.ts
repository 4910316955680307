// Threads, processes and what crosses between them in the JS/TS front-end: Worker spawns
// and the module a worker runs, the worker's side of `isMainThread`, FFI calls made on a
// pool thread, child processes, signals and their targets, abstract sockets,
// no_new_privs, setuid and root checks; and, through a project on disk, that a worker
// module is analysed as the thread routine of the `new Worker` that runs it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IrFile } from "../src/ir.js";
import { jsFrontEnd } from "../src/frontends/js/index.js";
import { Project } from "../src/project.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { fn, nodesOfKind, onlyOp, opsOfType, shape, textAt } from "./frontend-c-helpers.js";

function irOf(code: string, file = "/project/app.mjs"): IrFile {
  return jsFrontEnd.toIr(code, file, jsFrontEnd.languageOf(file), { settings: DEFAULT_SETTINGS, facts: {} });
}

const KOFFI = `const koffi = require("koffi");\nconst syscall = koffi.load("libc.so.6").func("long syscall(long, ...)");\n`;

test("new Worker(file): a spawn whose routine is the worker module's top level, however the path is written", () => {
  const forms: [string, string | undefined][] = [
    [`"./workers/scan.js"`, "<module:scan>"],
    [`path.join(__dirname, "scan-worker.mjs")`, "<module:scan-worker>"],
    [`new URL("./render.ts", import.meta.url)`, "<module:render>"],
    [`new URL("./render.ts", import.meta.url).href`, "<module:render>"],
    ["`${__dirname}/jobs/hash.cjs`", "<module:hash>"],
    [`require.resolve("./resize.js")`, "<module:resize>"],
    [`WORKER_FILE`, "<module:indexer>"],
    [`__filename`, undefined],
    [`new URL(import.meta.url)`, undefined],
    [`"postMessage(1)", { eval: true }`, undefined],
    [`someConfig.workerPath`, undefined],
  ];
  for (const [arg, routine] of forms) {
    const code = `const { Worker } = require("node:worker_threads");\nconst path = require("node:path");\nconst WORKER_FILE = "./indexer.js";\nnew Worker(${arg});`;
    const spawn = onlyOp(irOf(code, "/p/main.js").functions[0]!.body, "spawn");
    assert.equal(spawn.routine, routine, arg);
    assert.equal(spawn.mechanism, "new Worker (worker_threads)");
  }
  const inLoop = irOf(`import { Worker } from "node:worker_threads";\nfor (const f of files) new Worker("./w.js");`);
  assert.equal(onlyOp(inLoop.functions[0]!.body, "spawn").count, "many");
  const deno = irOf(`const w = new Worker(new URL("./w.ts", import.meta.url).href, { type: "module" }); Deno.exit(0);`, "/p/main.ts");
  assert.equal(onlyOp(deno.functions[0]!.body, "spawn").mechanism, "new Worker");
});

test("worker-thread pools (piscina, tinypool, workerpool) spawn many threads running their module; cluster.fork is a process", () => {
  const code = `
import Piscina from "piscina";
import { Tinypool } from "tinypool";
import workerpool from "workerpool";
import cluster from "node:cluster";
import path from "node:path";
const a = new Piscina({ filename: path.resolve(__dirname, "resize-worker.js") });
const b = new Tinypool({ filename: new URL("./hash.mjs", import.meta.url).href });
const c = workerpool.pool(__dirname + "/jobs.js");
cluster.fork();
`;
  const top = irOf(code).functions[0]!;
  assert.deepEqual(opsOfType(top.body, "spawn").map((s) => [s.mechanism, s.routine, s.count]), [
    ["Piscina (a pool of worker threads)", "<module:resize-worker>", "many"],
    ["Tinypool (a pool of worker threads)", "<module:hash>", "many"],
    ["workerpool.pool (a pool of worker threads)", "<module:jobs>", "many"],
  ]);
  assert.deepEqual(nodesOfKind(top.body, "child").map((n) => n.how), ["cluster.fork: a separate process"]);
});

test("a module that only works as a worker (parentPort, workerData, self.onmessage) is not an entry", () => {
  assert.equal(irOf(`import { parentPort } from "node:worker_threads";\nparentPort.on("message", () => {});`).functions[0]!.isEntry, false);
  assert.equal(irOf(`const { workerData } = require("worker_threads");\nconsole.log(workerData.x);`, "/p/w.js").functions[0]!.isEntry, false);
  assert.equal(irOf(`self.onmessage = (e) => self.postMessage(e.data);`, "/p/w.ts").functions[0]!.isEntry, false);
  // A module testing isMainThread serves both sides: it is an entry.
  assert.equal(irOf(`import { isMainThread, parentPort } from "node:worker_threads";\nif (!isMainThread) parentPort.postMessage(1);`).functions[0]!.isEntry, true);
  assert.equal(irOf(`console.log("main");`).functions[0]!.isEntry, true);
});

test("the worker's side of isMainThread / parentPort / threadId tests is a thread node", () => {
  const forms = [
    `if (isMainThread) { start(); } else { restrict(); }`,
    `if (!isMainThread) { restrict(); }`,
    `if (isMainThread === false) { restrict(); }`,
    `if (parentPort) { restrict(); }`,
    `if (parentPort !== null) { restrict(); }`,
    `if (threadId !== 0) { restrict(); }`,
    `if (wt.isMainThread) { start(); } else { restrict(); }`,
  ];
  for (const f of forms) {
    const code = `const wt = require("node:worker_threads");\nconst { isMainThread, parentPort, threadId } = wt;\nfunction start() {}\nfunction restrict() {}\n${f}`;
    const top = irOf(code, "/p/x.js").functions.find((x) => x.isEntry)!;
    const threads = nodesOfKind(top.body, "thread");
    assert.equal(threads.length, 1, f);
    assert.deepEqual(shape(threads[0]!.body), ["call:restrict"], f);
    assert.match(threads[0]!.how, /worker_threads Worker running this module/);
  }
  // `if (isMainThread) { ...; return; }` in a function: what follows is the worker's code.
  const early = irOf(`import { isMainThread } from "node:worker_threads";\nfunction go() {}\nfunction restrict() {}\nfunction main() {\n  if (isMainThread) { go(); return; }\n  restrict();\n}\nmain();`);
  assert.deepEqual(shape(fn(early, "main").body), [{ branch: [["call:go", "exit"]], exhaustive: false }, { thread: ["call:restrict"] }]);
});

test("a comment stating a per-thread design marks the function (or the module's top level) that holds it", () => {
  const code = `// Each worker restricts only itself, by design: the coordinator must stay unrestricted.
import { parentPort } from "node:worker_threads";
function helper() {}
parentPort.on("message", helper);
`;
  const ir = irOf(code);
  assert.equal(ir.functions.find((f) => f.name === "<module:app>")!.documentedPerThread, true);
  assert.equal(fn(ir, "helper").documentedPerThread, undefined);
  const inFunction = irOf(`function confine() {\n  // intentionally per-thread: this worker only\n}\nfunction other() {}\n`);
  assert.equal(fn(inFunction, "confine").documentedPerThread, true);
  assert.equal(fn(inFunction, "other").documentedPerThread, undefined);
  assert.equal(inFunction.functions.find((f) => f.isEntry)!.documentedPerThread, undefined, "a comment inside a function is not the module's");
});

test("FFI calls made on another thread: koffi/ffi-napi .async and Deno nonblocking symbols", () => {
  const koffi = irOf(`${KOFFI}syscall.async(446, 3, 0, (err, rc) => { if (rc) process.exit(1); });`, "/p/x.js");
  const thread = nodesOfKind(koffi.functions[0]!.body, "thread")[0]!;
  assert.match(thread.how, /koffi \.async\(\): the call runs on a libuv pool thread/);
  assert.deepEqual(shape(thread.body), ["restrict"]);
  // Ops that are not Landlock calls make no thread node.
  assert.deepEqual(nodesOfKind(irOf(`${KOFFI}syscall.async(39, () => {});`, "/p/x.js").functions[0]!.body, "thread"), []);
});

test("child processes are separate processes (child nodes), never threads", () => {
  const code = `
import { spawn, fork, execFile } from "node:child_process";
const a = spawn("/usr/bin/helper", ["--sandbox"]);
fork("./jail.js");
execFile("ls");
const p = new Deno.Command("x").spawn();
`;
  const top = irOf(code, "/p/x.ts").functions[0]!;
  assert.deepEqual(nodesOfKind(top.body, "child").map((c) => c.how), [
    "child_process.spawn: a separate process",
    "child_process.fork: a separate process",
    "child_process.execFile: a separate process",
    "Deno.Command: a separate process",
  ]);
  assert.equal(opsOfType(top.body, "spawn").length, 0);
  assert.equal(nodesOfKind(top.body, "thread").length, 0);
});

test("signals: the parent, the process itself, a child, a process group, other pids", () => {
  const code = `${KOFFI}
const { spawn } = require("node:child_process");
const child = spawn("x");
process.kill(process.ppid, "SIGUSR1");
process.kill(process.pid, "SIGHUP");
process.kill(child.pid, "SIGTERM");
child.kill("SIGKILL");
process.kill(-pgid, "SIGTERM");
process.kill(0);
process.kill(Number(readFileSync("/run/app.pid", "utf8")));
Deno.kill(Deno.ppid, "SIGUSR2");
syscall(62, process.ppid, 10);
`;
  const signals = opsOfType(irOf(code, "/p/x.js").functions[0]!.body, "signal");
  assert.deepEqual(signals.map((s) => [s.api, s.target]), [
    ["process.kill", "parent"],
    ["process.kill", "own-process"],
    ["process.kill", "other-process"],
    ["child.kill()", "other-process"],
    ["process.kill", "process-group"],
    ["process.kill", "process-group"],
    ["process.kill", "other-process"],
    ["Deno.kill", "parent"],
    ["syscall(62)", "parent"],
  ]);
});

test("abstract sockets: a NUL-prefixed path is an abstract connect, a pathname socket is not", () => {
  const code = `
import net from "node:net";
import http from "node:http";
const SOCK = "\\0/tmp/.X11-unix/X0";
const opts = { path: "\\x00dbus-notify" };
net.connect({ path: "\\0/run/abstract" });
net.createConnection(SOCK);
net.connect(opts);
http.request({ socketPath: "\\u0000api", path: "/v1" });
new net.Socket().connect({ path: "\\0sock" });
net.connect("\\0app-" + process.pid);
net.connect({ path: \`\\0\${tenant}/bus\` });
net.connect({ path: "/run/app.sock" });
net.connect("/run/" + tenant);
net.connect(8080, "localhost");
`;
  const connects = opsOfType(irOf(code).functions[0]!.body, "abstract-connect");
  assert.deepEqual(connects.map((c) => [c.api, c.name]), [
    ["net.connect", "@/run/abstract"],
    ["net.createConnection", "@/tmp/.X11-unix/X0"],
    ["net.connect", "@dbus-notify"],
    ["http.request", "@api"],
    ["new net.Socket().connect", "@sock"],
    ["net.connect", "@app-*"],
    ["net.connect", "@*"],
  ]);
});

test("no_new_privs through prctl or syscall(157); setuid-family calls; root checks show CAP_SYS_ADMIN", () => {
  const code = `${KOFFI}
const prctl = koffi.load("libc.so.6").func("int prctl(int, unsigned long, unsigned long, unsigned long, unsigned long)");
prctl(38, 1, 0, 0, 0);
prctl(39, 0, 0, 0, 0);
syscall(157, 38, 1, 0, 0, 0);
prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
process.setuid(1000);
process.setgroups([]);
syscall(105, 1000);
if (process.geteuid() !== 0) process.exit(1);
`;
  const body = irOf(code, "/p/x.js").functions[0]!.body;
  assert.deepEqual(opsOfType(body, "no-new-privs").map((o) => o.api), ["prctl(PR_SET_NO_NEW_PRIVS)", "syscall(157, PR_SET_NO_NEW_PRIVS)", "prctl(PR_SET_NO_NEW_PRIVS)"]);
  assert.deepEqual(opsOfType(body, "setuid").map((o) => o.api), ["process.setuid (glibc applies it to every thread)", "process.setgroups (glibc applies it to every thread)"]);
  assert.equal(body.at(-1)!.kind === "op" && body.at(-1)!.kind === "op" ? (body.at(-1) as { op: { type: string } }).op.type : "", "cap-sys-admin");
});

test("a project on disk: the worker module is the spawn's routine, so its restriction is thread-routine-restrict", () => {
  const root = mkdtempSync(join(tmpdir(), "landlock-js-workers-"));
  try {
    writeFileSync(join(root, ".landlock-lint.json"), "{}");
    mkdirSync(join(root, "src"));
    writeFileSync(join(root, "src", "main.mjs"), `import { Worker } from "node:worker_threads";\nfor (let i = 0; i < 4; i++) new Worker(new URL("./worker.mjs", import.meta.url));\n`);
    const worker = `import { parentPort } from "node:worker_threads";\n${KOFFI.replace('const koffi = require("koffi");', 'import koffi from "koffi";')}syscall(157, 38, 1, 0, 0, 0);\nif (syscall(446, 3, 0) !== 0) throw new Error("x");\nparentPort.postMessage("ready");\n`;
    writeFileSync(join(root, "src", "worker.mjs"), worker);
    const report = new Project(root).analyzeFile(join(root, "src", "worker.mjs"));
    assert.deepEqual(report.findings.map((f) => [f.ruleId, f.range.start.line]), [["landlock/thread-routine-restrict", 5]]);
    assert.match(report.findings[0]!.message, /<module:worker>, started by new Worker \(worker_threads\) at main\.mjs:2/);
    // Without the spawner the worker is still a Node thread beside the runtime's threads.
    rmSync(join(root, "src", "main.mjs"));
    const alone = new Project(root).analyzeFile(join(root, "src", "worker.mjs"));
    assert.deepEqual(alone.findings.map((f) => f.ruleId), ["landlock/single-thread-restrict"]);
    assert.match(alone.findings[0]!.message, /libuv's thread pool/);
    assert.equal(textAt(worker, alone.findings[0]!.range), "syscall");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
