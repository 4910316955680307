// One worker process of the long fuzzing run (scripts/fuzz.mjs starts one per core). It
// takes tasks over IPC, runs each as a fast-check property over the inputs and checks of
// fuzz-inputs.ts, reports progress while it runs and a result when it ends. A task is
// replayable from its id and the base seed alone: its seed is derived from both.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import {
  anyScenario,
  anySettings,
  checkScenario,
  checkSettings,
  checkText,
  corpusOf,
  describe,
  DiskChecker,
  LANGUAGES,
  ordinaryArb,
  pathologicalArb,
  seedFor,
  SourceStats,
  type Language,
  type ShapeLimits,
  type SourceInput,
} from "./fuzz-inputs.js";
import { treeSitterFailure } from "../src/frontends/treesitter.js";

/** What the orchestrator asks for: `kind:language:chunk` (or `kind:chunk` for settings and scenarios). */
export interface FuzzTask {
  id: string;
  kind: "ordinary" | "pathological" | "disk" | "settings" | "scenarios";
  language?: string;
  runs: number;
  baseSeed: number;
  limits: ShapeLimits;
}

export type WorkerMessage =
  | { type: "ready" }
  | { type: "progress"; id: string; done: number }
  | {
      type: "result";
      id: string;
      seed: number;
      done: number;
      cpuMs: number;
      failure?: string;
      counterexample?: string;
      worst?: { ms: number; what: string; bytes: number };
      slow: { ms: number; what: string; path: string }[];
      /** The worker ends after this result (its tree-sitter runtime failed): start a fresh one. */
      retiring?: boolean;
      /** Settings: how many were valid; scenarios: how many ran, and the slowest run. */
      valid?: number;
      slowestMs?: number;
    };

const PROGRESS_EVERY_MS = 1000;

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function languageNamed(name: string | undefined): Language {
  const language = LANGUAGES.find((l) => l.name === name);
  if (!language) throw new Error(`unknown fuzzed language ${JSON.stringify(name)} (known: ${LANGUAGES.map((l) => l.name).join(", ")})`);
  return language;
}

function run(task: FuzzTask): WorkerMessage {
  const seed = seedFor(task.baseSeed, task.id);
  const stats = new SourceStats();
  let done = 0;
  let valid = 0;
  let slowestMs = 0;
  let lastReport = Date.now();
  /** Counts an input as it starts (a failing one is counted too). */
  const progress = (): void => {
    done++;
    if (Date.now() - lastReport >= PROGRESS_EVERY_MS) {
      lastReport = Date.now();
      send({ type: "progress", id: task.id, done });
    }
  };
  const cpuBefore = process.cpuUsage();
  const scratch = task.kind === "disk" ? mkdtempSync(join(tmpdir(), "landlock-fuzz-")) : undefined;
  let details: Outcome;
  try {
    const params = { numRuns: task.runs, seed, endOnFailure: true };
    if (task.kind === "settings") {
      details = outcomeOf(
        fc.check(
          fc.property(anySettings, (value) => {
            progress();
            if (checkSettings(value)) valid++;
          }),
          params,
        ),
      );
    } else if (task.kind === "scenarios") {
      details = outcomeOf(
        fc.check(
          fc.property(anyScenario, (value) => {
            progress();
            const ms = checkScenario(value);
            if (ms !== undefined) (valid++, (slowestMs = Math.max(slowestMs, ms)));
          }),
          params,
        ),
      );
    } else {
      const language = languageNamed(task.language);
      const corpus = corpusOf(language);
      const disk = scratch ? new DiskChecker(language, scratch) : undefined;
      const inputs = task.kind === "pathological" ? pathologicalArb(language, corpus, task.limits) : ordinaryArb(language, corpus);
      details = outcomeOf(
        fc.check(
          fc.property(inputs, (input: SourceInput) => {
            progress();
            if (disk) disk.check(input, stats);
            else checkText(language, input, stats);
          }),
          params,
        ),
      );
    }
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  const cpu = process.cpuUsage(cpuBefore);
  const counterexample = details.counterexample;
  return {
    type: "result",
    id: task.id,
    seed,
    done,
    cpuMs: (cpu.user + cpu.system) / 1000,
    ...(details.failed ? { failure: errorText(details.error) } : {}),
    ...(details.failed && counterexample !== undefined ? { counterexample: counterexampleText(counterexample) } : {}),
    ...(stats.worst ? { worst: stats.worst } : {}),
    slow: stats.slow,
    ...(task.kind === "settings" || task.kind === "scenarios" ? { valid } : {}),
    ...(task.kind === "scenarios" ? { slowestMs } : {}),
  };
}

interface Outcome {
  failed: boolean;
  error?: unknown;
  counterexample?: unknown;
}

function outcomeOf<T>(details: fc.RunDetails<[T]>): Outcome {
  return details.failed ? { failed: true, error: details.errorInstance, counterexample: details.counterexample?.[0] } : { failed: false };
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 2000 ? `${text.slice(0, 2000)}...` : text;
}

function counterexampleText(value: unknown): string {
  if (value && typeof value === "object" && "bytes" in value && "origin" in value) return describe(value as SourceInput);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 500 ? `${text.slice(0, 500)}...` : text;
}

process.on("message", (task: FuzzTask) => {
  let result: WorkerMessage;
  try {
    result = run(task);
  } catch (error) {
    result = { type: "result", id: task.id, seed: seedFor(task.baseSeed, task.id), done: 0, cpuMs: 0, failure: `the task could not run: ${errorText(error)}`, slow: [] };
  }
  // After a trap in tree-sitter's runtime this process cannot parse again: end it once the
  // result is out, and the orchestrator starts a fresh worker for the next task.
  if (treeSitterFailure() && result.type === "result") process.send?.({ ...result, retiring: true }, () => process.exit(3));
  else send(result);
});
send({ type: "ready" });
