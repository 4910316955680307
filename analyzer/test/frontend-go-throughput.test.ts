// Throughput of the Go front-end (parse + IR) against a bare tree-sitter-go parse of the
// same files, measured in the same run with this process's CPU time (other test files run
// at the same time), best of several rounds. A walk that went quadratic would blow the limit.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { goFrontEnd } from "../src/frontends/go/index.js";
import { parse } from "../src/frontends/treesitter.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { FIXTURES } from "./fixture-harness.js";

/** Parse + IR may cost at most this many times a bare parse (measured: 3.5x to 5x). */
const MAX_RATIO = 8;
/** Eight times the code may cost at most this many times twice the code (linear: 4). */
const MAX_SCALING = 7;

function goFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? goFiles(p) : name.endsWith(".go") ? [p] : [];
    });
}

function cpuMs(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

test("Go parse + IR throughput versus a bare tree-sitter parse of the same files", (t) => {
  const texts = goFiles(join(FIXTURES, "go")).map((f) => readFileSync(f, "utf8"));
  const megabytes = texts.reduce((n, x) => n + Buffer.byteLength(x), 0) / 1e6;
  let bare = Infinity;
  let full = Infinity;
  for (let round = 0; round < 5; round++) {
    bare = Math.min(bare, cpuMs(() => texts.forEach((x) => parse("go", x).delete())));
    full = Math.min(full, cpuMs(() => texts.forEach((x) => goFrontEnd.toIr(x, "bench.go", "go", { settings: DEFAULT_SETTINGS, facts: {} }))));
  }
  const ratio = full / bare;
  t.diagnostic(`bare tree-sitter-go parse: ${(bare / megabytes).toFixed(0)} ms CPU per MB; parse + IR: ${(full / megabytes).toFixed(0)} ms CPU per MB, ${ratio.toFixed(2)}x`);
  assert.ok(ratio < MAX_RATIO, `parse + IR costs ${ratio.toFixed(2)}x a bare parse (limit ${MAX_RATIO}x)`);
});

/** Every fixture's declarations in one file, `copies` times over (names made unique). */
function bigProgram(copies: number): string {
  const texts = goFiles(join(FIXTURES, "go")).map((f) => readFileSync(f, "utf8"));
  const parts: string[] = [];
  for (let k = 0; k < copies; k++) {
    texts.forEach((x, i) => {
      parts.push(x.replace(/^(?:\/\/go:build[^\n]*\n|\/\/[^\n]*\n|package \w+\n|import \([\s\S]*?\n\)\n|import "[^"]*"\n|\n)+/, "").replace(/func (\w+)\(/g, `func $1_${k}_${i}(`));
    });
  }
  return `package main\n\n${parts.join("\n")}`;
}

test("Go parse + IR grows linearly with the size of one file", (t) => {
  const small = bigProgram(2);
  const large = bigProgram(8);
  let smallMs = Infinity;
  let largeMs = Infinity;
  for (let round = 0; round < 3; round++) {
    smallMs = Math.min(smallMs, cpuMs(() => goFrontEnd.toIr(small, "small.go", "go", { settings: DEFAULT_SETTINGS, facts: {} })));
    largeMs = Math.min(largeMs, cpuMs(() => goFrontEnd.toIr(large, "large.go", "go", { settings: DEFAULT_SETTINGS, facts: {} })));
  }
  const scaling = largeMs / smallMs;
  t.diagnostic(`${(small.length / 1e3).toFixed(0)} k chars: ${smallMs.toFixed(0)} ms; ${(large.length / 1e3).toFixed(0)} k chars: ${largeMs.toFixed(0)} ms (${scaling.toFixed(2)}x for 4x the code)`);
  assert.ok(scaling < MAX_SCALING, `4x the code costs ${scaling.toFixed(2)}x (limit ${MAX_SCALING}x)`);
});
