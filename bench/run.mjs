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
import { runLintBenchmarks } from "./lint/run.mjs";
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
const started = Date.now();
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

// ---- lint benchmarks first: they are this report's own figures
const othersReserveMs = values["skip-others"] ? 0 : QUICK ? 3 * 60_000 : 5 * 60_000;
const lint = runLintBenchmarks({ quick: QUICK, repeats: REPEATS, deadline: started + BUDGET_MS - othersReserveMs, log });

// ---- per-area benchmarks, reduced, with a cap each
const OTHERS = [
  { name: "simulator explorer vs SPIN", script: "bench/simulator/run.mjs", args: ["--runs", "1", "--skip-acceptance", "--no-write"], results: "bench/simulator/RESULTS.md" },
  { name: "ESLint plugin overhead", script: "bench/eslint/run.mjs", args: ["--files", QUICK ? "100" : "300", "--runs", "2", "--no-write"], results: "bench/eslint/RESULTS.md" },
  { name: "LSP latency", script: "bench/lsp/run.mjs", args: ["--edits", QUICK ? "30" : "60", "--sizes", QUICK ? "500" : "500,2000", "--docs", QUICK ? "50" : "100"], results: "bench/lsp/RESULTS.md" },
];
const others = [];
for (const other of OTHERS) {
  if (values["skip-others"]) break;
  if (!existsSync(join(repo, other.script))) {
    others.push({ ...other, outcome: `not run: ${other.script} does not exist yet` });
    continue;
  }
  const left = started + BUDGET_MS - Date.now();
  const cap = Math.floor(Math.max(30_000, Math.min(left / (OTHERS.length - others.length), 4 * 60_000)));
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

// ---- report
const f1 = (v) => (v === undefined ? "-" : v.toFixed(1));
const f2 = (v) => v.toFixed(2);
const sec = (s) => `${f1(s.min / 1000)} / ${f1(s.median / 1000)} / ${f1(s.max / 1000)}`;
const mb = (s) => `${(s.median / 1024).toFixed(0)}`;
const meets = (value, target, lowerIsBetter = true) => ((lowerIsBetter ? value <= target : value >= target) ? "meets" : "misses");

const totalSeconds = ((Date.now() - started) / 1000).toFixed(0);
const loadAfter = loadavg();
const md = [];
md.push("# Benchmarks", "");
md.push(
  `Command: \`npm run bench${QUICK ? " -- --quick" : ""}\` (\`node bench/run.mjs${QUICK ? " --quick" : ""}\`), ${new Date(started).toISOString().slice(0, 16).replace("T", " ")} UTC, ${totalSeconds} s in all. ` +
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB, Linux ${machine.kernel}, Node ${machine.node}; load average ${f1(loadBefore[0])} before and ${f1(loadAfter[0])} after the run (other work on the machine: wall times are inflated by it, CPU times much less, so ratios are given for both). ` +
    `landlock-lint ${machine.analyzer}, web-tree-sitter ${machine.webTreeSitter}, TypeScript ${machine.typescript}, typescript-estree ${machine.estree}, clang-tidy ${machine.clangTidy}.`,
  "",
);
md.push(
  "Every figure is one child process per run (start-up included on both sides), repeated " +
    `${REPEATS} times with subject and anchor alternating; times are min / median / max seconds; ratios are of medians; memory is the median peak resident set (\`/usr/bin/time\`). ` +
    "The linter runs as `landlock-lint --concurrency off -f json` unless said otherwise. The parse anchor (`bench/lint/parse-only.mjs`) reads the same files and parses them with the parser each front-end uses (web-tree-sitter for C, C++, Go and Rust; TypeScript's parser for JS/TS) and does nothing else. " +
    "Generated trees come from `bench/gen/generate.mjs` (seeded; C, C++, Go, Rust and TypeScript services of about 200 lines per file, in projects of 40 files).",
  "",
);

md.push("## Whole lint vs bare parse", "");
md.push("| workload | files | size | mention Landlock | lint s (min/med/max) | parse s (min/med/max) | ratio wall | ratio CPU | lint MB | parse MB | target |");
md.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
for (const w of lint.workloads) {
  md.push(
    `| ${w.name} | ${w.files} | ${w.lines ? `${w.lines} lines, ` : ""}${(w.bytes / 2 ** 20).toFixed(1)} MB | ${w.landlockFiles} | ${sec(w.subject.wallMs)} | ${sec(w.anchor.wallMs)} | ${w.capped ? ">= " : ""}${f2(w.ratio.wall)}x | ${w.capped ? "n/a (killed)" : `${f2(w.ratio.cpu)}x`} | ${w.capped ? "n/a" : mb(w.subject.maxRssKb)} | ${mb(w.anchor.maxRssKb)} | ${w.target}: ${w.capped ? `misses: a lint run was killed at the ${lint.capSeconds} s cap, so the ratio is a lower bound` : `${meets(w.ratio.cpu, w.targetValue)} (CPU)`} |`,
  );
}
md.push("");

md.push("## clang-tidy vs landlock-lint", "");
if (lint.clangTidy?.missing) md.push(`Not measured: ${lint.clangTidy.missing}.`, "");
else if (lint.clangTidy) {
  const c = lint.clangTidy;
  md.push(
    `clang-tidy ${c.version} \`-checks=-*,misc-definitions-in-headers ... -- -std=gnu11\` (one process for all files) against \`landlock-lint --concurrency off\` on the same ${c.files} generated C files (${(c.bytes / 1024).toFixed(0)} KB, a fixed sample of the 3 % tree).`,
    "",
    "| tool | s (min/med/max) | CPU s (median) | MB |",
    "|---|---:|---:|---:|",
    `| clang-tidy (anchor) | ${sec(c.anchor.wallMs)} | ${f1(c.anchor.cpuMs.median / 1000)} | ${mb(c.anchor.maxRssKb)} |`,
    `| landlock-lint | ${sec(c.subject.wallMs)} | ${f1(c.subject.cpuMs.median / 1000)} | ${mb(c.subject.maxRssKb)} |`,
    "",
    `landlock-lint is **${f1(c.speedUp.wall)}x** faster in wall time and ${f1(c.speedUp.cpu)}x in CPU time (aim: >= 20x: ${meets(c.speedUp.cpu, 20, false)} in CPU time).`,
    "",
  );
}

md.push("## Worker threads: --concurrency 1 vs 2", "");
if (lint.concurrency) {
  const c = lint.concurrency;
  md.push(
    `The 3 % tree (${c.files} files), \`--concurrency 1\` (anchor) vs \`--concurrency 2\`: ${sec(c.anchor.wallMs)} s vs ${sec(c.subject.wallMs)} s wall, speed-up **${f2(c.speedUp)}x** (CPU ${f1(c.anchor.cpuMs.median / 1000)} s vs ${f1(c.subject.cpuMs.median / 1000)} s; memory ${mb(c.anchor.maxRssKb)} MB vs ${mb(c.subject.maxRssKb)} MB). On a machine already loaded by other work the second core is not free, which caps the speed-up.`,
    "",
  );
}

md.push("## Scaling", "");
md.push("Generated trees, 3 % of files mention Landlock, `--concurrency off`. Chart: [scaling.svg](scaling.svg).", "");
md.push("| files | lines | MB | lint s (min/med/max) | lint CPU s | lint MB | parse CPU s (anchor) | lint/parse CPU | ms per 1k lines (CPU) |");
md.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const s of lint.scaling) {
  md.push(
    `| ${s.files} | ${s.lines} | ${(s.bytes / 2 ** 20).toFixed(1)} | ${sec(s.wallMs)} | ${f1(s.cpuMs.median / 1000)} | ${mb(s.maxRssKb)} | ${f1(s.parseCpuMs.median / 1000)} | ${f2(s.cpuMs.median / s.parseCpuMs.median)}x | ${f1(s.cpuMs.median / (s.lines / 1000))} |`,
  );
}
md.push("", lint.scalingStopped ? `The series ${lint.scalingStopped} (aim: 10,000 files / 2 M lines).` : "The series reached its largest size.", "");
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
log(`done in ${totalSeconds} s`);
