// `npm run bench`: every benchmark against its anchor, measured in the same run on the
// same input, written to bench/RESULTS.md with the scaling chart bench/scaling.svg.
//
//   node bench/run.mjs [--quick] [--runs N] [--budget-min M] [--skip-others] [--no-write]
//
// --quick     smaller inputs, 2 repeats (a few minutes); default: full sizes, 3 repeats.
// --budget-min  wall-clock budget for the whole run (default 14); the scaling series stops
//             before a size that would not fit, and each per-area benchmark has a cap.
// The per-area benchmarks (bench/simulator, bench/eslint, bench/lsp) run when present,
// with reduced sizes and without rewriting their own RESULTS.md; their output is quoted.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { LintBenchmarks } from "./lint/run.mjs";
import { scalingChart } from "./lint/chart.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..");

let values;
try {
  ({ values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      runs: { type: "string" },
      "budget-min": { type: "string", default: "14" },
      "skip-others": { type: "boolean", default: false },
      "no-write": { type: "boolean", default: false },
    },
  }));
} catch (e) {
  console.error(`bench: ${e.message}`);
  process.exit(2);
}
const QUICK = values.quick;
const REPEATS = Number(values.runs ?? (QUICK ? 2 : 3));
const BUDGET_MS = Number(values["budget-min"]) * 60_000;
if (!Number.isInteger(REPEATS) || REPEATS < 1 || !(BUDGET_MS > 0)) {
  console.error("bench: --runs takes a positive integer and --budget-min a positive number");
  process.exit(2);
}
/**
 * When the run started: for `npm run bench`, when npm started (the build before this
 * script counts against the 15 minutes too), read from /proc; otherwise now.
 */
function runStart() {
  const now = Date.now();
  if (process.env.npm_lifecycle_event !== "bench") return now;
  try {
    const ticksPerSecond = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;
    const uptimeSeconds = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
    // Fields after the command name, which may hold spaces: [0] is the state, [1] the parent, [19] the start time in ticks since boot.
    const statOf = (pid) => {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    };
    // npm runs the script through `sh -c "npm run build ... && node bench/run.mjs"`: the npm process is a parent or grandparent.
    let earliest = now;
    for (let pid = process.ppid, depth = 0; pid > 1 && depth < 3; depth++) {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
      const fields = statOf(pid);
      if (/\bnpm\b/.test(cmdline) && /\bbench\b/.test(cmdline)) earliest = Math.min(earliest, now - (uptimeSeconds - Number(fields[19]) / ticksPerSecond) * 1000);
      pid = Number(fields[1]);
    }
    return now - earliest < 3_600_000 ? earliest : now;
  } catch {
    return now;
  }
}
const started = runStart();
if (Date.now() - started > 1000) console.log(`bench: npm started ${((Date.now() - started) / 1000).toFixed(0)} s ago (the build); the budget counts from then`);
const log = (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

function versionOf(pkg) {
  try {
    return JSON.parse(readFileSync(join(repo, "node_modules", pkg, "package.json"), "utf8")).version;
  } catch {
    return "unknown";
  }
}
function toolVersion(command, args, pattern) {
  const r = spawnSync(command, args, { encoding: "utf8" });
  return r.status === 0 ? (r.stdout.match(pattern)?.[1] ?? r.stdout.split("\n")[0]) : "not installed";
}
const loadBefore = loadavg();
function autogroup() {
  try {
    return readFileSync("/proc/sys/kernel/sched_autogroup_enabled", "utf8").trim();
  } catch {
    return "unknown";
  }
}
const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGb: (totalmem() / 2 ** 30).toFixed(1),
  node: process.version,
  kernel: spawnSync("uname", ["-r"], { encoding: "utf8" }).stdout.trim(),
  analyzer: JSON.parse(readFileSync(join(repo, "analyzer", "package.json"), "utf8")).version,
  webTreeSitter: versionOf("web-tree-sitter"),
  typescript: versionOf("typescript"),
  estree: versionOf("@typescript-eslint/typescript-estree"),
  clangTidy: toolVersion("clang-tidy", ["--version"], /version ([\d.]+)/),
};

// ---- lint sections of fixed size first, then the other areas (reduced sizes, capped),
// then the scaling series with whatever time is left.
const deadline = started + BUDGET_MS;
// The per-area benchmarks at reduced sizes take about a minute and a half on an idle machine, twice that under load.
const othersReserveMs = values["skip-others"] ? 0 : QUICK ? 90_000 : 200_000;
const lintBench = new LintBenchmarks({ quick: QUICK, repeats: REPEATS, log, until: () => deadline - othersReserveMs - lintBench.scalingEstimateMs() });
process.on("exit", () => lintBench.close());
const sections = [
  ["whole lint vs bare parse", () => lintBench.workloads()],
  ["clang-tidy", () => lintBench.clangTidy()],
  ["--concurrency 1 vs 2", () => lintBench.concurrency()],
];
for (const [name, run] of sections) {
  log(`${name}: starting, ${((deadline - Date.now()) / 60000).toFixed(1)} min left in the budget; fewer repeats after ${new Date(lintBench.until()).toISOString().slice(11, 19)} UTC (then the other benchmarks, ${(othersReserveMs / 60000).toFixed(1)} min, and the scaling series, about ${(lintBench.scalingEstimateMs() / 60000).toFixed(1)} min)`);
  run();
}

// `floorMs`: what each needs at these sizes on this machine under load (about half that when idle); its cap is never lower.
const OTHERS = [
  { name: "simulator explorer vs SPIN", script: "bench/simulator/run.mjs", args: ["--runs", "1", "--threads", QUICK ? "2" : "2,5", "--skip-acceptance", "--no-write"], results: "bench/simulator/RESULTS.md", floorMs: 90_000 },
  { name: "ESLint plugin overhead", script: "bench/eslint/run.mjs", args: ["--files", QUICK ? "100" : "200", "--runs", "2", "--no-write"], results: "bench/eslint/RESULTS.md", floorMs: 60_000 },
  { name: "LSP latency", script: "bench/lsp/run.mjs", args: ["--edits", QUICK ? "30" : "60", "--sizes", QUICK ? "500" : "500,2000", "--docs", QUICK ? "50" : "100"], results: "bench/lsp/RESULTS.md", floorMs: 45_000 },
];
const others = [];
for (const other of OTHERS) {
  if (values["skip-others"]) break;
  if (!existsSync(join(repo, other.script))) {
    others.push({ ...other, outcome: `not run: ${other.script} does not exist yet` });
    continue;
  }
  // Each gets its share of what the scaling series leaves, from its floor up to 150 s.
  const left = deadline - lintBench.scalingEstimateMs() - Date.now();
  const cap = Math.floor(Math.max(other.floorMs, Math.min(left / (OTHERS.length - others.length), 150_000)));
  log(`${other.name}: node ${other.script} ${other.args.join(" ")} (cap ${(cap / 1000).toFixed(0)} s)`);
  const t0 = Date.now();
  let r;
  try {
    r = spawnSync(process.execPath, [other.script, ...other.args], { cwd: repo, encoding: "utf8", timeout: cap, maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    // One benchmark that cannot start must not cost the report of the others.
    others.push({ ...other, outcome: `could not start: ${e.message}` });
    continue;
  }
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  const outcome = r.error?.code === "ETIMEDOUT" || r.signal ? `stopped at the ${(cap / 1000).toFixed(0)} s cap` : r.status === 0 ? `finished in ${seconds} s` : `exited with ${r.status} after ${seconds} s`;
  others.push({ ...other, outcome, output: (r.stdout + (r.status ? `\n${r.stderr}` : "")).trim() });
  log(`${other.name}: ${outcome}`);
}

// Writing the report takes well under a second; keep a few seconds for it.
log(`scaling: starting, ${((deadline - Date.now()) / 60000).toFixed(1)} min left in the budget`);
lintBench.scaling(deadline - 5_000);
const lint = lintBench.results;

// ---- report
const f1 = (v) => (v === undefined ? "-" : v.toFixed(1));
const f2 = (v) => v.toFixed(2);
const sec = (s) => `${f1(s.min / 1000)} / ${f1(s.median / 1000)} / ${f1(s.max / 1000)}`;
const mb = (s) => `${(s.median / 1024).toFixed(0)}`;
const meets = (value, target, lowerIsBetter = true) => ((lowerIsBetter ? value <= target : value >= target) ? "meets" : "misses");
const loads = (l) => l.map((v) => v.toFixed(1)).join(" → ");
const runsOf = (r) => (r.runs < r.planned ? `${r.runs} of ${r.planned} (budget)` : String(r.runs));
const sizeOf = (w) => `${w.lines ? `${w.lines.toLocaleString("en")} lines, ` : ""}${(w.bytes / 2 ** 20).toFixed(1)} MB`;

const totalSeconds = ((Date.now() - started) / 1000).toFixed(0);
const loadAfter = loadavg();
const md = [];
md.push("# Benchmarks", "");
md.push(
  `Command: \`npm run bench${QUICK ? " -- --quick" : ""}\` (build, then \`node bench/run.mjs${QUICK ? " --quick" : ""}\`), started ${new Date(started).toISOString().slice(0, 16).replace("T", " ")} UTC, **${totalSeconds} s in all** (build included when run through npm; budget ${values["budget-min"]} min). ` +
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Linux ${machine.kernel}, Node ${machine.node}. ` +
    `Versions: landlock-lint ${machine.analyzer}, web-tree-sitter ${machine.webTreeSitter}, TypeScript ${machine.typescript}, typescript-estree ${machine.estree}, clang-tidy ${machine.clangTidy}.`,
  "",
);
md.push(
  `Load average (1 min) ${f1(loadBefore[0])} before and ${f1(loadAfter[0])} after the run, on ${machine.cores} cores shared with other work: wall times are inflated by it and vary from run to run, CPU times (user + system) much less, so every ratio is given for both and **the CPU ratio is the one to judge by**. ` +
    "The load average around each measurement is in the tables.",
  "",
);
md.push(
  "Every figure is one child process per run (start-up included on both sides), subject and anchor alternating; times are min / median / max seconds over the runs counted in the `runs` column; ratios are of medians; memory is the median peak resident set (`/usr/bin/time`). " +
    "The linter runs as `landlock-lint --concurrency off -f json -o /dev/null` unless said otherwise, with no cache. The parse anchor (`bench/lint/parse-only.mjs`) reads the same files and parses them with the parser each front-end uses (web-tree-sitter for C, C++, Go and Rust; TypeScript's parser for JS/TS) and does nothing else. " +
    "Generated trees come from `bench/gen/generate.mjs` (seeded, cached between runs by `bench/gen/cache.mjs`): C, C++, Go, Rust and TypeScript services of about 200 lines per file, in projects of 40 files; only the files that sandbox themselves mention Landlock.",
  "",
);

md.push("## Whole lint vs bare parse", "");
md.push(
  "The sampled files under /usr/include and node_modules are read in place through a folder of symbolic links with a `.landlock-lint.json`: otherwise each header would belong to the project of its folder (no marker up to `/`), and linting 500 of them would read and prefilter all 7,000 headers of /usr/include (a JS file: its whole package). Through the links the linter reads exactly the sample, and what is measured is its per-file prefilter against the parse of the same files.",
  "",
);
md.push("| workload | files | size | mention Landlock | runs | lint s (min/med/max) | parse s (min/med/max) | ratio wall | ratio CPU | lint MB | parse MB | load avg | target |");
md.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
for (const w of lint.workloads) {
  md.push(
    `| ${w.name} | ${w.files} | ${sizeOf(w)} | ${w.landlockFiles} | ${runsOf(w)} | ${sec(w.subject.wallMs)} | ${sec(w.anchor.wallMs)} | ${w.capped ? ">= " : ""}${f2(w.ratio.wall)}x | ${w.capped ? "n/a (killed)" : `${f2(w.ratio.cpu)}x`} | ${w.capped ? "n/a" : mb(w.subject.maxRssKb)} | ${mb(w.anchor.maxRssKb)} | ${loads(w.loads)} | ${w.target}: ${w.capped ? `misses: a lint run was killed at the ${lint.capSeconds} s cap, so the ratio is a lower bound` : `**${meets(w.ratio.cpu, w.targetValue)}** (CPU)`} |`,
  );
}
md.push("");

md.push("## clang-tidy vs landlock-lint", "");
if (lint.clangTidy?.missing) md.push(`Not measured: ${lint.clangTidy.missing}.`, "");
else if (lint.clangTidy) {
  const c = lint.clangTidy;
  md.push(
    `clang-tidy ${c.version} as a user runs it: one process over the file list, a compilation database (\`-p\`, each file compiled with \`cc ${c.flags} -c\`), one cheap check: \`${c.command}\`. ` +
      "It preprocesses and parses each file with its real `#include`s of system headers (stdio.h, stdlib.h, string.h; in sandboxed files also linux/landlock.h, sys/prctl.h, sys/syscall.h, fcntl.h, unistd.h, pthread.h). " +
      "landlock-lint runs as `landlock-lint --concurrency off` over the same files (their projects hold only these C files). Subsets: every C file of each generated tree, fixed by the seed.",
    "",
    "| subset | C files | size | mention Landlock | runs | clang-tidy s (min/med/max) | clang-tidy CPU s | landlock-lint s (min/med/max) | landlock-lint CPU s | speed-up wall | speed-up CPU | clang-tidy MB | landlock-lint MB | clang-tidy warnings (errors) | load avg | aim >= 20x (CPU) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
  );
  for (const s of c.subsets) {
    md.push(
      `| ${s.kind === "all" ? "all-Landlock tree (every file sandboxes itself)" : "3 % tree (under 5 % of files mention Landlock)"} | ${s.files} | ${(s.bytes / 1024).toFixed(0)} KB | ${s.landlockFiles} | ${runsOf(s)} | ${sec(s.anchor.wallMs)} | ${f1(s.anchor.cpuMs.median / 1000)} | ${sec(s.subject.wallMs)} | ${f1(s.subject.cpuMs.median / 1000)} | ${f1(s.speedUp.wall)}x | **${f1(s.speedUp.cpu)}x** | ${mb(s.anchor.maxRssKb)} | ${mb(s.subject.maxRssKb)} | ${s.warnings} (${s.errors}) | ${loads(s.loads)} | ${meets(s.speedUp.cpu, 20, false)} |`,
    );
  }
  md.push(
    "",
    "Both sides include process start-up (landlock-lint: Node and its WebAssembly grammars, about 0.4 s of CPU; clang-tidy: a few ms), which weighs more the fewer files there are. clang-tidy errors are compiler errors (e.g. `LANDLOCK_RESTRICT_SELF_TSYNC`, which this machine's kernel headers predate); clang-tidy still parses those files.",
    "",
  );
}

md.push("## Worker threads: --concurrency 1 vs 2", "");
if (lint.concurrency) {
  const c = lint.concurrency;
  const cores = (side) => side.cpuMs.median / side.wallMs.median;
  md.push(
    `The 3 % tree (${c.files} files in ${c.projects} projects), \`--concurrency 1\` (anchor) and \`--concurrency 2\` (the main thread plus one worker thread) alternating, ${c.repeats} runs each${c.repeats < c.planned ? ` (of ${c.planned} planned: the budget)` : ""}: ` +
      `${sec(c.one.wallMs)} s vs ${sec(c.two.wallMs)} s wall, speed-up **${f2(c.speedUp)}x**; CPU ${f1(c.one.cpuMs.median / 1000)} s vs ${f1(c.two.cpuMs.median / 1000)} s (cores busy on average: ${f2(cores(c.one))} vs ${f2(cores(c.two))}); memory ${mb(c.one.maxRssKb)} MB vs ${mb(c.two.maxRssKb)} MB.`,
    "",
    "| run | --concurrency | wall s | CPU s | cores busy | MB | load avg before → after |",
    "|---:|---:|---:|---:|---:|---:|---|",
  );
  for (let i = 0; i < c.repeats; i++) {
    for (const [n, side] of [[1, c.one], [2, c.two]]) {
      const r = side.runs[i];
      md.push(`| ${i + 1} | ${n} | ${f1(r.wallMs / 1000)} | ${f1(r.cpuMs / 1000)} | ${f2(r.cpuMs / r.wallMs)} | ${(r.maxRssKb / 1024).toFixed(0)} | ${f1(r.loadBefore)} → ${f1(r.loadAfter)} |`);
    }
  }
  md.push(
    "",
    `With a load average at or above the core count (${machine.cores}), the second core is not free and the speed-up says more about the other work than about the linter; the runs with the lowest load are the fair ones.` +
      (autogroup() === "1" ? " Here the kernel also shares CPU time between sessions rather than threads (`kernel.sched_autogroup_enabled = 1`): on a saturated machine a second thread adds no CPU share at all." : "") +
      " Why the gain is small even on an idle machine (worker start-up, the main thread as a lane): [README](README.md#why---concurrency-2-gains-little-measured-2026-11-23).",
    "",
  );
}

md.push("## Scaling", "");
md.push(
  `Generated trees, 3 % of files mention Landlock, \`--concurrency off\` against the bare parse of the same files; one extra \`--concurrency 2\` run per size where the budget allowed (at ${lint.concurrency ? lint.concurrency.files.toLocaleString("en") : "-"} files, the 2-thread figures and the speed-up are those of the section above, against its own \`--concurrency 1\` runs; elsewhere the speed-up is against the \`--concurrency off\` median of the same size). Fewer repeats at large sizes: the \`runs\` column. Chart (both axes logarithmic): [scaling.svg](scaling.svg).`,
  "",
);
md.push("| files | lines | MB | runs | lint s (min/med/max) | lint CPU s | lint MB | parse s (min/med/max) | parse CPU s | parse MB | lint/parse CPU | lint ms per 1k lines (CPU) | --concurrency 2 wall s | speed-up | --concurrency 2 MB |");
md.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const s of lint.scaling) {
  md.push(
    `| ${s.files.toLocaleString("en")} | ${s.lines.toLocaleString("en")} | ${(s.bytes / 2 ** 20).toFixed(1)} | ${s.runs}${s.capped ? " (killed at cap)" : ""} | ${sec(s.wallMs)} | ${f1(s.cpuMs.median / 1000)} | ${mb(s.maxRssKb)} | ${sec(s.parseWallMs)} | ${f1(s.parseCpuMs.median / 1000)} | ${mb(s.parseMaxRssKb)} | ${f2(s.cpuMs.median / s.parseCpuMs.median)}x | ${f1(s.cpuMs.median / (s.lines / 1000))} | ${s.parallel ? f1(s.parallel.wallMs / 1000) : "-"} | ${s.parallel ? `${f2(s.parallel.speedUp)}x${s.parallel.fromSection ? " (section above)" : ""}` : "-"} | ${s.parallel ? (s.parallel.maxRssKb / 1024).toFixed(0) : "-"} |`,
  );
}
md.push("");
for (const k of lint.scalingSkipped) md.push(`- Skipped to stay within the budget: ${k.why}.`);
for (const n of lint.scalingNotes) md.push(`- ${n}.`);
const largest = lint.scaling.at(-1);
md.push(
  "",
  lint.scalingSkipped.length === 0 ? `The series reached its largest size (${largest.files.toLocaleString("en")} files, ${largest.lines.toLocaleString("en")} lines).` : `The series stopped at ${largest.files.toLocaleString("en")} files (aim: 10,000 files / 2 M lines).`,
  "",
);
md.push("![scaling](scaling.svg)", "");

md.push("## Per-area benchmarks (reduced sizes in this run)", "");
for (const o of others) {
  md.push(`### ${o.name}`, "");
  md.push(`\`node ${o.script} ${o.args.join(" ")}\`: ${o.outcome}. Full-size results: [${o.results.replace("bench/", "")}](${o.results.replace("bench/", "")}).`, "");
  if (o.output) md.push("```", o.output.split("\n").slice(-60).join("\n"), "```", "");
}
if (values["skip-others"]) md.push("Skipped (--skip-others).", "");

const report = md.join("\n");
if (!values["no-write"]) {
  writeFileSync(join(here, "RESULTS.md"), report);
  if (lint.scaling.length >= 2) writeFileSync(join(here, "scaling.svg"), scalingChart(lint.scaling, `${machine.cores} cores, Node ${machine.node}`));
  log(`wrote bench/RESULTS.md${lint.scaling.length >= 2 ? " and bench/scaling.svg" : ""}`);
} else console.log(report);
log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
