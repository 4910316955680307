// Fuzzing through the public API, CI-sized: random and mutated source for every registered
// front-end (analyzeText, and Project reading the bytes from disk), random settings
// objects through resolveSettings, random scenarios through the simulator's
// validateScenario + runScenario. Nothing may throw, every analysis must finish within
// its time budget, and what comes back must be well formed. The inputs and checks are in
// fuzz-inputs.ts; the long run (`npm run fuzz`, scripts/fuzz.mjs) runs the same ones in
// parallel worker processes.
//
//   LANDLOCK_FUZZ_SEED   base seed (each property derives its own from it; all printed)
//   LANDLOCK_FUZZ_RUNS   ordinary inputs per front-end; LANDLOCK_FUZZ_BIG_RUNS pathological ones
//   LANDLOCK_FUZZ_SCENARIOS  simulator scenarios; LANDLOCK_FUZZ_SETTINGS  settings objects
//   LANDLOCK_FUZZ_BIG=1  also hand a 10 MB text straight to analyzeText

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { analyzeText, FRONT_ENDS, Project } from "../src/index.js";
import {
  anyScenario,
  anySettings,
  assertWellFormed,
  checkScenario,
  checkSettings,
  checkText,
  corpusOf,
  DiskChecker,
  LANGUAGES,
  ordinaryArb,
  pathologicalArb,
  seedFor,
  SourceStats,
} from "./fuzz-inputs.js";

const BASE_SEED = Number(process.env.LANDLOCK_FUZZ_SEED ?? 20261123);
const RUNS = Number(process.env.LANDLOCK_FUZZ_RUNS ?? 60);
const BIG_RUNS = Number(process.env.LANDLOCK_FUZZ_BIG_RUNS ?? 3);
const SCENARIOS = Number(process.env.LANDLOCK_FUZZ_SCENARIOS ?? 300);
const SETTINGS_RUNS = Number(process.env.LANDLOCK_FUZZ_SETTINGS ?? 300);
const BIG_TEXT = process.env.LANDLOCK_FUZZ_BIG === "1";
/** Longest generated line and deepest nesting of the pathological inputs (the long run goes further). */
const LIMITS = { maxLine: Number(process.env.LANDLOCK_FUZZ_MAX_LINE ?? 30_000), maxDepth: Number(process.env.LANDLOCK_FUZZ_MAX_DEPTH ?? 2000) };

const seedOf = (name: string) => seedFor(BASE_SEED, name);
const stats = new Map<string, SourceStats>();
function statsFor(name: string): SourceStats {
  let s = stats.get(name);
  if (!s) stats.set(name, (s = new SourceStats()));
  return s;
}

after(() => {
  console.log(`fuzz: base seed ${BASE_SEED} (LANDLOCK_FUZZ_SEED)`);
  for (const [name, s] of stats) {
    console.log(`fuzz: ${name}: ${s.inputs} inputs, worst ${s.worst ? `${s.worst.ms.toFixed(0)} ms CPU on ${s.worst.what} (${s.worst.bytes} bytes)` : "-"}`);
    for (const slow of s.slow) console.log(`fuzz:   slow: ${slow.ms.toFixed(0)} ms CPU, ${slow.what}, kept in ${slow.path}`);
  }
});

test("every registered extension is covered by a fuzzed language", () => {
  const fuzzed = new Set(LANGUAGES.map((l) => l.ext));
  for (const fe of FRONT_ENDS) assert.ok(fe.extensions.some((e) => fuzzed.has(e)), `front-end ${fe.extensions.join(",")} is fuzzed`);
});

const scratch = mkdtempSync(join(tmpdir(), "landlock-fuzz-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

for (const language of LANGUAGES) {
  test(`${language.name}: ordinary inputs through analyzeText never throw and stay within the budget`, () => {
    const corpus = corpusOf(language);
    assert.ok(corpus.length > 0, `fixtures for ${language.name} exist`);
    const seed = seedOf(`text:${language.name}`);
    console.log(`fuzz: ${language.name} analyzeText seed ${seed}, ${RUNS} ordinary inputs`);
    const s = statsFor(`${language.name} ordinary`);
    // Shrinking a slow input re-runs it hundreds of times; the kept input is enough to reproduce.
    fc.assert(fc.property(ordinaryArb(language, corpus), (input) => checkText(language, input, s)), { numRuns: RUNS, seed, endOnFailure: true });
  });

  test(`${language.name}: pathological inputs (deep nesting, huge lines) through analyzeText never throw and stay within the budget`, () => {
    const seed = seedOf(`big:${language.name}`);
    console.log(`fuzz: ${language.name} pathological seed ${seed}, ${BIG_RUNS} inputs`);
    const s = statsFor(`${language.name} pathological`);
    fc.assert(fc.property(pathologicalArb(language, corpusOf(language), LIMITS), (input) => checkText(language, input, s)), { numRuns: BIG_RUNS, seed, endOnFailure: true });
  });

  test(`${language.name}: raw bytes on disk through Project are read or refused with a reason`, () => {
    const seed = seedOf(`disk:${language.name}`);
    const runs = Math.max(10, Math.floor(RUNS / 4));
    console.log(`fuzz: ${language.name} Project seed ${seed}, ${runs} inputs`);
    const disk = new DiskChecker(language, mkdtempSync(join(scratch, "p-")));
    const s = statsFor(`${language.name} (Project)`);
    fc.assert(fc.property(ordinaryArb(language, corpusOf(language)), (input) => disk.check(input, s)), { numRuns: runs, seed, endOnFailure: true });
  });
}

test("a 10 MB file is refused by size through Project, quickly and with a reason", () => {
  const root = mkdtempSync(join(scratch, "big-"));
  const unit = "int f(void) { return landlock_restrict_self(3, 0); }\n";
  const file = join(root, "big.c");
  writeFileSync(file, unit.repeat(Math.ceil(10_000_000 / unit.length)));
  const started = performance.now();
  const report = new Project(root).analyzeFile(file);
  const ms = performance.now() - started;
  console.log(`fuzz: 10 MB file through Project: ${ms.toFixed(0)} ms, ${report.errors?.map((e) => e.message).join("; ")}`);
  assert.ok(report.errors?.some((e) => /too large/.test(e.message)), "the size limit is named");
  assert.equal(report.findings.length, 0);
  assert.ok(ms < 2000, `refusing a large file takes ${ms.toFixed(0)} ms`);
});

test("a 10 MB text handed straight to analyzeText", { skip: BIG_TEXT ? false : "set LANDLOCK_FUZZ_BIG=1 (npm run fuzz -- --big): takes minutes per front-end" }, () => {
  for (const language of LANGUAGES) {
    const unit = corpusOf(language, 1)[0]!.toString("utf8") + "\n";
    const text = unit.repeat(Math.ceil(10_000_000 / unit.length));
    const started = performance.now();
    const report = analyzeText(text, `big${language.ext}`);
    const ms = performance.now() - started;
    console.log(`fuzz: 10 MB ${language.name}: ${ms.toFixed(0)} ms, ${report.findings.length} findings, errors: ${report.errors?.map((e) => e.message).join("; ") ?? "none"}`);
    assertWellFormed(report, `big${language.ext}`, text);
  }
});

test("random settings objects resolve or fail with a ConfigError naming each problem", () => {
  const seed = seedOf("settings");
  console.log(`fuzz: settings seed ${seed}, ${SETTINGS_RUNS} objects`);
  let valid = 0;
  fc.assert(
    fc.property(anySettings, (value) => {
      if (checkSettings(value)) valid++;
    }),
    { numRuns: SETTINGS_RUNS, seed },
  );
  console.log(`fuzz: settings: ${valid} of ${SETTINGS_RUNS} were valid`);
  if (SETTINGS_RUNS >= 100) assert.ok(valid > 0, "the generator also produces valid settings (otherwise only the error path is tested)");
});

test("random scenarios are validated with JSON-path errors, and valid ones run without throwing", () => {
  const seed = seedOf("scenarios");
  console.log(`fuzz: scenario seed ${seed}, ${SCENARIOS} scenarios`);
  let ran = 0;
  let slowest = 0;
  fc.assert(
    fc.property(anyScenario, (value) => {
      const ms = checkScenario(value);
      if (ms === undefined) return;
      ran++;
      slowest = Math.max(slowest, ms);
    }),
    { numRuns: SCENARIOS, seed },
  );
  console.log(`fuzz: scenarios: ${ran} of ${SCENARIOS} valid and run, slowest run ${slowest.toFixed(1)} ms`);
  if (SCENARIOS >= 100) assert.ok(ran > 0, "some generated scenarios are valid (the runner is exercised, not only the validator)");
});
