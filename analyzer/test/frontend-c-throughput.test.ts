// Throughput of the C front-end (parse + IR) against a bare tree-sitter parse of the same
// files, measured in the same run. CPU time of this process is used, not wall time: the
// test machine runs other test files at the same time.

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cFrontEnd } from "../src/frontends/c/index.js";
import { parse } from "../src/frontends/treesitter.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** Parse + IR may cost at most this many times a bare parse: a quadratic walk would blow it. */
const MAX_RATIO = 4;

function cFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory() && e.name !== "holdout") cFiles(path, out);
    else if (e.isFile() && /\.[ch]$/.test(e.name)) out.push(path);
  }
  return out;
}

function cpuMs(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

test("parse + IR throughput versus a bare tree-sitter parse of the same C files", (t) => {
  const corpus = [...cFiles(join(REPO, "fixtures", "c")), ...cFiles("/usr/include/linux"), ...cFiles("/usr/include/x86_64-linux-gnu")];
  const texts = corpus.map((f) => ({ file: f, text: readFileSync(f, "utf8") }));
  const megabytes = texts.reduce((n, x) => n + Buffer.byteLength(x.text), 0) / 1e6;
  assert.ok(megabytes > 0.05, "a corpus to measure");
  const bare = () => {
    for (const { text } of texts) parse("c", text).delete();
  };
  const full = () => {
    for (const { file, text } of texts) cFrontEnd.toIr(text, file, "c", { settings: DEFAULT_SETTINGS, facts: {} });
  };
  // Warm up both paths, then keep the best of three rounds each (less noise from other processes).
  bare();
  full();
  let bareMs = Infinity;
  let fullMs = Infinity;
  for (let round = 0; round < 3; round++) {
    bareMs = Math.min(bareMs, cpuMs(bare));
    fullMs = Math.min(fullMs, cpuMs(full));
  }
  const ratio = fullMs / bareMs;
  t.diagnostic(`${texts.length} C files, ${megabytes.toFixed(1)} MB (fixtures/c, /usr/include/linux, /usr/include/x86_64-linux-gnu)`);
  t.diagnostic(`bare tree-sitter parse: ${(bareMs / megabytes).toFixed(0)} ms CPU per MB (${(megabytes / (bareMs / 1000)).toFixed(1)} MB/s)`);
  t.diagnostic(`parse + IR:             ${(fullMs / megabytes).toFixed(0)} ms CPU per MB (${(megabytes / (fullMs / 1000)).toFixed(1)} MB/s), ${ratio.toFixed(2)}x the bare parse`);
  assert.ok(ratio < MAX_RATIO, `parse + IR costs ${ratio.toFixed(2)}x a bare parse (limit ${MAX_RATIO}x)`);
});
