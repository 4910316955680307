// The long fuzzing run (`npm run fuzz`): the properties of analyzer/test/fuzz.test.ts at
// the project's target counts, split into tasks of `--chunk` inputs and run by worker
// processes in parallel (analyzer/dist/test/fuzz-worker.js, one per core by default).
//
//   npm run fuzz -- [--runs N] [--big-share F] [--disk-share F] [--scenarios N] [--settings N]
//                   [--seed S] [--max-line N] [--max-depth N] [--workers N] [--chunk N]
//                   [--only REGEX] [--task ID] [--summary PATH] [--big]
//
// Per front-end: --runs ordinary inputs (fixtures mutated at their own size, token soup,
// random text and bytes), round(runs x big-share) pathological ones (nesting thousands
// deep, lines of tens of thousands of characters), round(runs x disk-share) raw files
// through Project. Every task's seed derives from the base seed and the task id, so
// `--seed S --task ID` replays one task exactly (the command is printed for each failure).
// Progress (counts and rates) is printed every 10 s; a summary (inputs and inputs/s per
// front-end, worst CPU time, slow inputs kept, failures) is printed and written as JSON.
import { fork, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const workerFile = join(root, "analyzer", "dist", "test", "fuzz-worker.js");
const testFile = join(root, "analyzer", "dist", "test", "fuzz.test.js");
const LANGUAGES = ["C", "C++", "Go", "Rust", "TypeScript", "JavaScript"];
/** A task silent for this long is taken as hung: its worker is killed and the task reported. */
const HUNG_AFTER_MS = 180_000;
const PROGRESS_EVERY_MS = 10_000;

const FLAGS = {
  "--runs": { value: 100_000, kind: "int" },
  "--big-share": { value: 0.01, kind: "fraction" },
  "--disk-share": { value: 0.05, kind: "fraction" },
  "--scenarios": { value: 10_000, kind: "int" },
  "--settings": { value: 10_000, kind: "int" },
  "--seed": { value: Date.now() % 2 ** 31, kind: "int" },
  "--max-line": { value: 300_000, kind: "int" },
  "--max-depth": { value: 10_000, kind: "int" },
  "--workers": { value: availableParallelism(), kind: "int" },
  "--chunk": { value: 1000, kind: "int" },
  "--only": { value: undefined, kind: "string" },
  "--task": { value: undefined, kind: "string" },
  "--summary": { value: undefined, kind: "string" },
};

function usage(problem) {
  console.error(`fuzz: ${problem}`);
  console.error(`usage: node scripts/fuzz.mjs ${Object.keys(FLAGS).map((f) => `[${f} V]`).join(" ")} [--big]`);
  process.exit(2);
}

const options = Object.fromEntries(Object.entries(FLAGS).map(([k, v]) => [k, v.value]));
let big = false;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  const [name, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
  if (name === "--big") {
    big = true;
    continue;
  }
  if (name === "--help" || name === "-h") usage("flags");
  const spec = FLAGS[name];
  if (!spec) usage(`unknown flag ${name}`);
  const value = inline ?? args[++i];
  if (value === undefined) usage(`${name} needs a value`);
  if (spec.kind === "int") {
    if (!/^\d+$/.test(value)) usage(`${name} expects a non-negative integer, got "${value}"`);
    options[name] = Number(value);
  } else if (spec.kind === "fraction") {
    const f = Number(value);
    if (!/^\d*\.?\d+$/.test(value) || f > 1) usage(`${name} expects a fraction between 0 and 1, got "${value}"`);
    options[name] = f;
  } else options[name] = value;
}
if (options["--workers"] < 1) usage("--workers must be at least 1");
if (options["--chunk"] < 1) usage("--chunk must be at least 1");
let only;
if (options["--only"] !== undefined) {
  try {
    only = new RegExp(options["--only"]);
  } catch (e) {
    usage(`--only is not a regular expression: ${e.message}`);
  }
}
if (!existsSync(workerFile)) usage(`${workerFile} is missing: run npm run build first`);

const baseSeed = options["--seed"];
const limits = { maxLine: options["--max-line"], maxDepth: options["--max-depth"] };

/** Splits `total` inputs of one kind into tasks of at most `chunk`. */
function tasksOf(kind, language, total, chunk) {
  const out = [];
  for (let i = 0, k = 0; i < total; i += chunk, k++) {
    out.push({ id: language ? `${kind}:${language}:${k}` : `${kind}:${k}`, kind, ...(language ? { language } : {}), runs: Math.min(chunk, total - i), baseSeed, limits });
  }
  return out;
}

const runs = options["--runs"];
const bigRuns = Math.round(runs * options["--big-share"]);
const diskRuns = Math.round(runs * options["--disk-share"]);
const chunk = options["--chunk"];
// Pathological inputs take up to seconds each: small tasks, scheduled first so that the
// long ones do not leave one worker busy at the end.
let tasks = [
  ...LANGUAGES.flatMap((l) => tasksOf("pathological", l, bigRuns, Math.max(1, Math.ceil(chunk / 50)))),
  ...LANGUAGES.flatMap((l) => tasksOf("ordinary", l, runs, chunk)),
  ...LANGUAGES.flatMap((l) => tasksOf("disk", l, diskRuns, chunk)),
  ...tasksOf("settings", undefined, options["--settings"], chunk * 5),
  ...tasksOf("scenarios", undefined, options["--scenarios"], chunk),
];
if (options["--task"] !== undefined) {
  const wanted = options["--task"];
  // A replayed task keeps the size it had in the run that printed its id.
  tasks = tasks.filter((t) => t.id === wanted);
  if (tasks.length === 0) usage(`no task ${wanted} with these counts (give the same --runs, --big-share, --disk-share, --chunk as the run that printed it)`);
}
if (only) tasks = tasks.filter((t) => only.test(t.id));

/** Per group (front-end and input class, settings, scenarios): counts, CPU, worst case. */
const groups = new Map();
function groupOf(task) {
  const key = task.language ? `${task.language} ${task.kind}` : task.kind;
  let g = groups.get(key);
  if (!g) groups.set(key, (g = { key, planned: 0, done: 0, cpuMs: 0, worst: undefined, slow: [], valid: 0, slowestMs: 0 }));
  return g;
}
for (const t of tasks) groupOf(t).planned += t.runs;
const inFlight = new Map();
const failures = [];
const started = Date.now();

console.log(
  `fuzz: seed ${baseSeed}; per front-end ${runs} ordinary, ${bigRuns} pathological (lines to ${limits.maxLine} characters, nesting to ${limits.maxDepth}), ${diskRuns} through Project; ${options["--settings"]} settings, ${options["--scenarios"]} scenarios; ${tasks.length} tasks on ${options["--workers"]} workers`,
);

function replayCommand(id) {
  const flags = [`--seed ${baseSeed}`, `--task ${id}`];
  if (runs !== FLAGS["--runs"].value) flags.push(`--runs ${runs}`);
  if (options["--big-share"] !== FLAGS["--big-share"].value) flags.push(`--big-share ${options["--big-share"]}`);
  if (options["--disk-share"] !== FLAGS["--disk-share"].value) flags.push(`--disk-share ${options["--disk-share"]}`);
  if (chunk !== FLAGS["--chunk"].value) flags.push(`--chunk ${chunk}`);
  if (limits.maxLine !== FLAGS["--max-line"].value) flags.push(`--max-line ${limits.maxLine}`);
  if (limits.maxDepth !== FLAGS["--max-depth"].value) flags.push(`--max-depth ${limits.maxDepth}`);
  if (options["--settings"] !== FLAGS["--settings"].value) flags.push(`--settings ${options["--settings"]}`);
  if (options["--scenarios"] !== FLAGS["--scenarios"].value) flags.push(`--scenarios ${options["--scenarios"]}`);
  return `npm run fuzz -- ${flags.join(" ")} --workers 1`;
}

function record(message) {
  const entry = inFlight.get(message.id);
  if (!entry) return;
  const g = groupOf(entry.task);
  if (message.type === "progress") {
    g.done += message.done - entry.done;
    entry.done = message.done;
    entry.lastHeard = Date.now();
    return;
  }
  inFlight.delete(message.id);
  g.done += message.done - entry.done;
  g.cpuMs += message.cpuMs;
  if (message.worst && (!g.worst || message.worst.ms > g.worst.ms)) g.worst = { ...message.worst, task: message.id };
  g.slow.push(...message.slow.map((s) => ({ ...s, task: message.id })));
  g.valid += message.valid ?? 0;
  g.slowestMs = Math.max(g.slowestMs, message.slowestMs ?? 0);
  if (message.failure) {
    failures.push({ task: message.id, seed: message.seed, failure: message.failure, counterexample: message.counterexample, replay: replayCommand(message.id) });
    console.log(`fuzz: FAILED ${message.id} (seed ${message.seed}): ${message.failure.split("\n")[0]}`);
    if (message.counterexample) console.log(`fuzz:   input: ${message.counterexample}`);
    console.log(`fuzz:   replay: ${replayCommand(message.id)}`);
  }
}

function rate(done, ms) {
  return ms > 0 ? (done / (ms / 1000)).toFixed(1) : "-";
}

function printProgress() {
  const elapsed = Date.now() - started;
  const parts = [...groups.values()].filter((g) => g.planned > 0).map((g) => `${g.key} ${g.done}/${g.planned}`);
  const total = [...groups.values()].reduce((a, g) => a + g.done, 0);
  console.log(`fuzz: ${(elapsed / 1000).toFixed(0)} s, ${total} inputs (${rate(total, elapsed)}/s), ${failures.length} failures | ${parts.join(", ")}`);
}

const queue = [...tasks];
const workers = new Set();

function startWorker() {
  const child = fork(workerFile, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const state = { child, task: undefined };
  workers.add(state);
  const next = () => {
    const task = queue.shift();
    state.task = task;
    if (!task) {
      child.disconnect();
      return;
    }
    inFlight.set(task.id, { task, done: 0, lastHeard: Date.now(), worker: state });
    child.send(task);
  };
  child.on("message", (message) => {
    if (message.type === "ready") return next();
    record(message);
    if (message.type === "result" && !message.retiring) next();
    if (message.retiring) state.task = undefined;
  });
  child.on("exit", (code, signal) => {
    workers.delete(state);
    const task = state.task;
    if (task && inFlight.has(task.id)) {
      const entry = inFlight.get(task.id);
      inFlight.delete(task.id);
      const failure = state.hung ? `no progress for ${HUNG_AFTER_MS / 1000} s after input ${entry.done + 1}: killed` : `the worker died (${signal ?? `exit code ${code}`}) after input ${entry.done}`;
      failures.push({ task: task.id, failure, replay: replayCommand(task.id) });
      console.log(`fuzz: FAILED ${task.id}: ${failure}\nfuzz:   replay: ${replayCommand(task.id)}`);
      if (queue.length > 0) startWorker();
    } else if (queue.length > 0) {
      // A worker that retired between tasks (its tree-sitter runtime failed) is replaced.
      startWorker();
    }
    if (workers.size === 0) finish();
  });
}

const watchdog = setInterval(() => {
  for (const entry of inFlight.values()) {
    if (Date.now() - entry.lastHeard > HUNG_AFTER_MS && !entry.worker.hung) {
      entry.worker.hung = true;
      entry.worker.child.kill("SIGKILL");
    }
  }
}, 5000);
const ticker = setInterval(printProgress, PROGRESS_EVERY_MS);

function finish() {
  clearInterval(watchdog);
  clearInterval(ticker);
  const elapsedMs = Date.now() - started;
  printProgress();
  console.log(`fuzz: finished in ${(elapsedMs / 1000).toFixed(0)} s, seed ${baseSeed}`);
  const rows = [...groups.values()].map((g) => ({
    group: g.key,
    inputs: g.done,
    planned: g.planned,
    cpuSeconds: Number((g.cpuMs / 1000).toFixed(1)),
    inputsPerCpuSecond: g.cpuMs > 0 ? Number((g.done / (g.cpuMs / 1000)).toFixed(1)) : undefined,
    worstCpuMs: g.worst ? Math.round(g.worst.ms) : undefined,
    worstInput: g.worst ? `${g.worst.what} (${g.worst.bytes} bytes, task ${g.worst.task})` : undefined,
    ...(g.key === "settings" ? { valid: g.valid } : {}),
    ...(g.key === "scenarios" ? { validAndRun: g.valid, slowestRunMs: Number(g.slowestMs.toFixed(1)) } : {}),
    slowInputsKept: g.slow.map((s) => `${Math.round(s.ms)} ms CPU: ${s.what} -> ${s.path}`),
  }));
  for (const r of rows) {
    console.log(
      `fuzz: ${r.group}: ${r.inputs} inputs, ${r.inputsPerCpuSecond ?? "-"} inputs per CPU second` +
        (r.worstCpuMs !== undefined ? `, worst ${r.worstCpuMs} ms CPU on ${r.worstInput}` : "") +
        (r.valid !== undefined ? `, ${r.valid} valid` : "") +
        (r.validAndRun !== undefined ? `, ${r.validAndRun} valid and run (slowest ${r.slowestRunMs} ms)` : ""),
    );
    for (const s of r.slowInputsKept) console.log(`fuzz:   slow: ${s}`);
  }
  const summary = {
    seed: baseSeed,
    startedAt: new Date(started).toISOString(),
    wallSeconds: Math.round(elapsedMs / 1000),
    workers: options["--workers"],
    counts: { runs, bigRuns, diskRuns, settings: options["--settings"], scenarios: options["--scenarios"], chunk, ...limits },
    groups: rows,
    failures,
  };
  const path = options["--summary"] ?? join(tmpdir(), `landlock-fuzz-summary-${baseSeed}.json`);
  writeFileSync(path, JSON.stringify(summary, null, 2) + "\n");
  console.log(`fuzz: summary written to ${path}`);
  if (failures.length) console.log(`fuzz: ${failures.length} failed tasks (replay commands above and in the summary)`);
  let status = failures.length ? 1 : 0;
  if (big) {
    // The 10 MB text straight to analyzeText, once per front-end, in the test runner.
    const r = spawnSync(process.execPath, ["--test", "--test-reporter=spec", "--test-name-pattern=10 MB text", testFile], {
      cwd: root,
      env: { ...process.env, LANDLOCK_FUZZ_BIG: "1" },
      stdio: "inherit",
    });
    if (r.status !== 0) status = 1;
  }
  process.exit(status);
}

if (tasks.length === 0) finish();
else for (let i = 0; i < Math.min(options["--workers"], tasks.length); i++) startWorker();
