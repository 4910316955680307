// Language-server benchmark (plain Node over the built dist/; run `npm run build` first):
//  1. latency from didChange to the publishDiagnostics of that version (debounce included),
//     200 edits of a line next to a landlock_restrict_self call, on generated files of
//     500, 2,000 and 5,000 lines; beside it, in the same run, the bare incremental
//     tree-sitter reparse of the same edits and a full parse;
//  2. hover latency on the flagged call, right after an edit (nothing cached) and again;
//  3. resident memory of the server after opening and closing 500 documents (twice).
// Usage: node bench/lsp/run.mjs [--edits N] [--sizes 500,2000,5000] [--docs N] [--settle-ms MS] [--json FILE]
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir, cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import { makeEdit, parse } from "@landlock-lint/analyzer/treesitter";
import { editLine, generateC } from "./generate.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SERVER = join(root, "server", "dist", "src", "main.js");
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const EDITS = Number(opt("--edits", "200"));
const SIZES = opt("--sizes", "500,2000,5000").split(",").map(Number);
const MEMORY_DOCS = Number(opt("--docs", "500"));
const jsonOut = opt("--json", undefined);

const BIN_NODE_FLAGS = (/^#!\/usr\/bin\/env -S node(.*)$/m.exec(readFileSync(SERVER, "utf8").split("\n")[0] ?? "")?.[1] ?? "").split(" ").filter(Boolean);
if (readFileSync(SERVER, "utf8").includes("is not built yet")) {
  console.error("bench/lsp: the server is not built; run npm run build first");
  process.exit(2);
}

const quantile = (values, q) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const stats = (values) => ({ median: quantile(values, 0.5), p95: quantile(values, 0.95), max: Math.max(...values), n: values.length });
const ms = (v) => `${v.toFixed(1)} ms`;

async function startServer(cwd, initializationOptions = {}) {
  // The server runs with the Node flags its bin's shebang gives (`#!/usr/bin/env -S node <flags>`), as an editor starts it.
  const nodeArgs = [...BIN_NODE_FLAGS, ...(process.env.LANDLOCK_BENCH_SERVER_NODE_ARGS ? process.env.LANDLOCK_BENCH_SERVER_NODE_ARGS.split(" ") : [])];
  const child = spawn(process.execPath, [...nodeArgs, SERVER, "--stdio"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
  child.stderr.on("data", (d) => process.stderr.write(`[server] ${d}`));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters = new Map();
  connection.onNotification("textDocument/publishDiagnostics", (p) => {
    const key = `${p.uri}#${p.version}`;
    const w = waiters.get(key);
    if (w) {
      waiters.delete(key);
      w(p);
    }
  });
  connection.onRequest("workspace/configuration", (p) => p.items.map(() => ({})));
  connection.onRequest("window/workDoneProgress/create", () => null);
  connection.onRequest("client/registerCapability", () => null);
  connection.listen();
  await connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(cwd).toString(),
    workspaceFolders: null,
    capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
    initializationOptions: { indexWorkspace: false, ...initializationOptions },
  });
  await connection.sendNotification("initialized", {});
  const diagnosticsOf = (uri, version) => new Promise((resolve) => waiters.set(`${uri}#${version}`, resolve));
  const stop = async () => {
    await connection.sendRequest("shutdown");
    await connection.sendNotification("exit");
    await new Promise((r) => child.on("exit", r));
    connection.dispose();
  };
  /** CPU time (user + system) the server process has used, in ms (clock ticks of 10 ms). */
  const cpuMs = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))[1]);
  return { connection, diagnosticsOf, stop, rssKb, cpuMs, pid: child.pid };
}

/** The edit of round i: type a character into the comment next to the restrict call, or delete it again. */
function roundEdit(i, line, lineText) {
  const col = lineText.indexOf("*/");
  return i % 2 === 0
    ? { range: { start: { line, character: col }, end: { line, character: col } }, text: "x" }
    : { range: { start: { line, character: col }, end: { line, character: col + 1 } }, text: "" };
}

function offsetOf(text, pos) {
  let o = 0;
  for (let l = 0; l < pos.line; l++) o = text.indexOf("\n", o) + 1;
  return o + pos.character;
}

function applyChange(text, change) {
  const s = offsetOf(text, change.range.start);
  const e = offsetOf(text, change.range.end);
  return { text: text.slice(0, s) + change.text + text.slice(e), start: s, end: e };
}

/** The bare incremental reparse of the same edits, in this process. */
function bareReparse(source, edits) {
  const full = [];
  const fullCpu = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    parse("c", source).delete();
    const c1 = process.cpuUsage(c0);
    full.push(performance.now() - t0);
    fullCpu.push((c1.user + c1.system) / 1000);
  }
  let text = source;
  let tree = parse("c", text);
  const times = [];
  const cpu = [];
  for (const change of edits) {
    const next = applyChange(text, change);
    const edit = makeEdit(text, next.start, next.end, change.text);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const newTree = parse("c", next.text, tree, [edit]);
    const c1 = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((c1.user + c1.system) / 1000);
    tree.delete();
    tree = newTree;
    text = next.text;
  }
  tree.delete();
  return { incremental: stats(times), incrementalCpu: stats(cpu), full: stats(full), fullCpu: stats(fullCpu) };
}

async function latency(size) {
  const dir = mkdtempSync(join(tmpdir(), "landlock-bench-lsp-"));
  writeFileSync(join(dir, ".landlock-lint.json"), "{}");
  const text = generateC(size, size);
  const file = join(dir, "program.c");
  writeFileSync(file, text);
  const { line, text: lineText, restrictLine } = editLine(text);
  const server = await startServer(dir);
  const uri = pathToFileURL(file).toString();
  let version = 1;
  const opened = server.diagnosticsOf(uri, version);
  const openStart = performance.now();
  await server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "c", version, text } });
  const first = await opened;
  const openMs = performance.now() - openStart;
  if (!first.diagnostics.some((d) => d.code === "landlock/single-thread-restrict")) throw new Error(`no finding in the ${size}-line file: ${JSON.stringify(first.diagnostics)}`);

  const edits = [];
  const times = [];
  const hoverCold = [];
  const hoverWarm = [];
  const hoverParams = { textDocument: { uri }, position: { line: restrictLine, character: lineText.indexOf("int") + 8 } };
  const restrictCol = text.split("\n")[restrictLine].indexOf("syscall") + 2;
  hoverParams.position = { line: restrictLine, character: restrictCol };
  let editCpuMs = 0;
  for (let i = 0; i < EDITS; i++) {
    const change = roundEdit(i, line, lineText);
    const cpu0 = server.cpuMs();
    edits.push(change);
    version++;
    const published = server.diagnosticsOf(uri, version);
    const t0 = performance.now();
    await server.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [change] });
    const p = await published;
    times.push(performance.now() - t0);
    editCpuMs += server.cpuMs() - cpu0;
    if (!p.diagnostics.some((d) => d.code === "landlock/single-thread-restrict")) throw new Error(`edit ${i}: the finding disappeared`);
    // Every 4th round: hover right after the edit (explanation not cached), then again (cached).
    if (i % 4 === 0) {
      const h0 = performance.now();
      const hover = await server.connection.sendRequest("textDocument/hover", hoverParams);
      hoverCold.push(performance.now() - h0);
      if (!hover?.contents?.value?.includes("single-thread-restrict")) throw new Error("hover missed the finding");
      const h1 = performance.now();
      await server.connection.sendRequest("textDocument/hover", hoverParams);
      hoverWarm.push(performance.now() - h1);
    }
  }
  await server.stop();
  const bare = bareReparse(text, edits);
  return { size, lines: text.split("\n").length, openMs, didChangeToDiagnostics: stats(times), serverCpuPerEditMs: editCpuMs / EDITS, hoverAfterEdit: stats(hoverCold), hoverRepeated: stats(hoverWarm), reparse: bare };
}

const MEMORY_PROJECTS = 50;
// Resident memory is read once the server has been idle long enough for its idle
// collection (server/src/idle-collect.ts, 5 to 7.5 s after the last message): what stays is what
// an editor session keeps, not the heap headroom V8 grows during a burst of opens.
const SETTLE_MS = Number(opt("--settle-ms", "10000"));
const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));

async function memory() {
  // 500 documents in 50 project folders (a workspace of small projects), half of them
  // files on disk, half only in the editor (their paths do not exist).
  const dir = mkdtempSync(join(tmpdir(), "landlock-bench-lsp-mem-"));
  const files = [];
  for (let p = 0; p < MEMORY_PROJECTS; p++) {
    mkdirSync(join(dir, `p${p}`));
    writeFileSync(join(dir, `p${p}`, ".landlock-lint.json"), "{}");
  }
  for (let i = 0; i < MEMORY_DOCS; i++) {
    const name = join(dir, `p${i % MEMORY_PROJECTS}`, `doc${i}.c`);
    const text = generateC(200, 1000 + i);
    if (i % 2 === 0) writeFileSync(name, text);
    files.push({ uri: pathToFileURL(name).toString(), text });
  }
  const server = await startServer(dir);
  const round = async () => {
    for (const f of files) {
      const published = server.diagnosticsOf(f.uri, 1);
      await server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: f.uri, languageId: "c", version: 1, text: f.text } });
      await published;
      await server.connection.sendNotification("textDocument/didClose", { textDocument: { uri: f.uri } });
    }
    await settle();
    return server.rssKb();
  };
  // Warm-up: one document opened and closed (grammars, code paths loaded).
  const warm = files[0];
  const p0 = server.diagnosticsOf(warm.uri, 1);
  await server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: warm.uri, languageId: "c", version: 1, text: warm.text } });
  await p0;
  await server.connection.sendNotification("textDocument/didClose", { textDocument: { uri: warm.uri } });
  await settle();
  const before = server.rssKb();
  const t0 = performance.now();
  const afterFirst = await round();
  const firstRoundMs = performance.now() - t0 - SETTLE_MS;
  const afterSecond = await round();
  await server.stop();
  return { documents: MEMORY_DOCS, rssBeforeMb: before / 1024, rssAfter500Mb: afterFirst / 1024, rssAfter1000Mb: afterSecond / 1024, growthMb: (afterFirst - before) / 1024, secondRoundGrowthMb: (afterSecond - afterFirst) / 1024, firstRoundMs };
}

const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const results = { loadBefore: load(), node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model, edits: EDITS, sizes: [], memory: undefined };
for (const size of SIZES) {
  const r = await latency(size);
  results.sizes.push(r);
  console.log(
    `${String(r.lines).padStart(5)} lines: didChange -> diagnostics median ${ms(r.didChangeToDiagnostics.median)}, p95 ${ms(r.didChangeToDiagnostics.p95)} (max ${ms(r.didChangeToDiagnostics.max)}); ` +
      `server CPU per edit ${ms(r.serverCpuPerEditMs)}; bare incremental reparse median ${ms(r.reparse.incremental.median)}, p95 ${ms(r.reparse.incremental.p95)} (CPU median ${ms(r.reparse.incrementalCpu.median)}); full parse median ${ms(r.reparse.full.median)} (CPU ${ms(r.reparse.fullCpu.median)}); ` +
      `hover after an edit median ${ms(r.hoverAfterEdit.median)}, p95 ${ms(r.hoverAfterEdit.p95)}; repeated ${ms(r.hoverRepeated.median)}; first open ${ms(r.openMs)}`,
  );
}
if (MEMORY_DOCS > 0) {
  results.memory = await memory();
  const m = results.memory;
  console.log(`memory: RSS ${m.rssBeforeMb.toFixed(1)} MB -> ${m.rssAfter500Mb.toFixed(1)} MB after opening and closing ${m.documents} documents in ${MEMORY_PROJECTS} projects (+${m.growthMb.toFixed(1)} MB), ${m.rssAfter1000Mb.toFixed(1)} MB after another ${m.documents} (+${m.secondRoundGrowthMb.toFixed(1)} MB); ${m.documents} open+close in ${(m.firstRoundMs / 1000).toFixed(1)} s`);
}
results.loadAfter = load();
console.log(`load average before ${results.loadBefore}, after ${results.loadAfter} (${results.cpus} CPUs)`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2) + "\n");
