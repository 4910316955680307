// Lint benchmarks: the CLI (`landlock-lint`, one child process per run) against anchors
// measured in the same run on the same files:
//   - the bare parse of the same files by the same parsers (bench/lint/parse-only.mjs),
//     on generated trees where every file mentions Landlock and where under 5 % do;
//   - the same on real code read in place: headers under /usr/include, JS/TS under node_modules;
//   - clang-tidy with one cheap check on a fixed subset of the same C files;
//   - itself: scaling with input size (time, peak memory), --concurrency 1 vs 2.
// Exported as runLintBenchmarks(); bench/run.mjs turns the result into RESULTS.md.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateTree } from "../gen/generate.mjs";
import { measure, spread } from "./measure.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const cli = join(repo, "analyzer", "dist", "src", "cli", "main.js");
const parseOnly = join(here, "parse-only.mjs");
/**
 * The CLI exits 1 on error findings and 2 when a file could not be analysed: both are
 * normal runs here. 137: killed by `timeout` at the cap (recorded as such).
 */
const LINT_OK = [0, 1, 2, 137];

/** Every `step`-th path of a sorted list, up to `limit`: a fixed sample that spans the whole tree. */
function sample(paths, limit) {
  const sorted = [...paths].sort();
  const step = Math.max(1, Math.floor(sorted.length / limit));
  return sorted.filter((_, i) => i % step === 0).slice(0, limit);
}

function walk(dir, accept, out = [], skip = () => false) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (!skip(e.name)) walk(path, accept, out, skip);
    } else if (e.isFile() && accept(path)) out.push(path);
  }
  return out;
}

function bytesOf(files) {
  let bytes = 0;
  for (const f of files) bytes += statSync(f).size;
  return bytes;
}

export class Lint {
  constructor(scratch, capSeconds) {
    this.scratch = scratch;
    this.lists = 0;
    this.capSeconds = capSeconds;
  }

  /** One CLI run over `targets` (folders or files), killed at the cap; `capped` says it was. */
  lint(targets, extra = []) {
    const r = measure("timeout", ["-s", "KILL", String(this.capSeconds), process.execPath, cli, "--no-progress", "--no-color", "-f", "json", "-o", "/dev/null", ...extra, ...targets], { okStatus: LINT_OK, cwd: this.scratch });
    return { ...r, capped: r.status === 137 };
  }

  /** One anchor run parsing exactly `files`. */
  parse(files) {
    const list = join(this.scratch, `list-${this.lists++}.txt`);
    writeFileSync(list, files.join("\n"));
    const r = measure(process.execPath, [parseOnly, list]);
    return { ...r, report: JSON.parse(r.stdout.trim().split("\n").pop()) };
  }
}

/** Runs `subject` and `anchor` alternately `repeats` times; both spreads plus the ratio of medians. */
function compare(repeats, subject, anchor) {
  const s = [];
  const a = [];
  for (let i = 0; i < repeats; i++) {
    a.push(anchor());
    s.push(subject());
    // A run killed at the cap says enough; repeating it would only spend the budget.
    if (s[s.length - 1].capped) break;
  }
  const pick = (runs, key) => spread(runs.map((r) => r[key]));
  const result = {
    capped: s.some((r) => r.capped) || a.some((r) => r.capped),
    subject: { wallMs: pick(s, "wallMs"), cpuMs: pick(s, "cpuMs"), maxRssKb: pick(s, "maxRssKb") },
    anchor: { wallMs: pick(a, "wallMs"), cpuMs: pick(a, "cpuMs"), maxRssKb: pick(a, "maxRssKb") },
  };
  result.ratio = {
    wall: result.subject.wallMs.median / result.anchor.wallMs.median,
    cpu: result.subject.cpuMs.median / result.anchor.cpuMs.median,
  };
  return result;
}

/**
 * All lint benchmarks. `sizes` come from the caller (quick or full); `deadline` (ms since
 * epoch) stops the scaling series before a size that would not fit.
 */
export function runLintBenchmarks({ quick, repeats, deadline, log, capSeconds = quick ? 60 : 120 }) {
  const scratch = mkdtempSync(join(tmpdir(), "landlock-bench-lint-"));
  const bench = new Lint(scratch, capSeconds);
  const results = { capSeconds };
  Object.assign(results, { workloads: [], scaling: [], scalingStopped: undefined, concurrency: undefined, clangTidy: undefined });
  try {
    const sourceFiles = (tree) => tree.files;

    // ---- generated trees: every file mentions Landlock / under 5 % do
    const generated = [
      { name: "generated, every file mentions Landlock", files: quick ? 30 : 100, share: 1, seed: 11 },
      { name: "generated, 3 % of files mention Landlock", files: quick ? 150 : 500, share: 0.03, seed: 12 },
    ];
    const trees = {};
    for (const g of generated) {
      const out = join(scratch, `tree-${g.seed}`);
      const tree = generateTree({ out, files: g.files, seed: g.seed, landlockShare: g.share });
      trees[g.seed] = tree;
      log(`lint: ${g.name}: ${tree.files.length} files, ${tree.lines} lines`);
      const r = compare(repeats, () => bench.lint([out], ["--concurrency", "off"]), () => bench.parse(sourceFiles(tree)));
      results.workloads.push({ name: g.name, anchor: "bare parse of the same files", files: tree.files.length, lines: tree.lines, bytes: tree.bytes, landlockFiles: tree.landlockFiles, target: g.share === 1 ? "<= 1.5x" : "<= 0.2x", targetValue: g.share === 1 ? 1.5 : 0.2, ...r });
    }

    // ---- real code read in place
    if (existsSync("/usr/include")) {
      // Headers over 256 KB (generated API tables) would dominate a small sample.
      const headers = sample(walk("/usr/include", (p) => p.endsWith(".h") && statSync(p).size < 256 * 1024), quick ? 20 : 40);
      log(`lint: /usr/include sample: ${headers.length} headers`);
      const r = compare(repeats, () => bench.lint(headers, ["--concurrency", "off"]), () => bench.parse(headers));
      const landlockFiles = headers.filter((h) => /landlock/i.test(h)).length;
      results.workloads.push({ name: "/usr/include (fixed sample of C headers, read in place)", anchor: "bare parse of the same files", files: headers.length, lines: undefined, bytes: bytesOf(headers), landlockFiles, target: "<= 0.2x (almost no header mentions Landlock)", targetValue: 0.2, ...r });
    }
    const nodeModules = join(repo, "node_modules");
    if (existsSync(nodeModules)) {
      const all = walk(nodeModules, (p) => /\.(?:c|m)?[jt]s$/.test(p) && !p.endsWith(".d.ts") && statSync(p).size < 512 * 1024, [], (name) => name === ".cache" || name === ".bin");
      const js = sample(all, quick ? 20 : 40);
      log(`lint: node_modules sample: ${js.length} JS/TS files of ${all.length}`);
      const r = compare(repeats, () => bench.lint(js, ["--concurrency", "off"]), () => bench.parse(js));
      results.workloads.push({ name: "node_modules (fixed sample of JS/TS files, read in place)", anchor: "bare parse of the same files (TypeScript's parser)", files: js.length, lines: undefined, bytes: bytesOf(js), landlockFiles: 0, target: "<= 0.2x (no file mentions Landlock)", targetValue: 0.2, ...r });
    }

    // ---- clang-tidy on a fixed subset of the same C files
    const clangTidy = spawnSync("clang-tidy", ["--version"], { encoding: "utf8" });
    if (clangTidy.status === 0) {
      const cFiles = sample(trees[12].files.filter((f) => f.endsWith(".c")), quick ? 5 : 20);
      log(`lint: clang-tidy vs landlock-lint on ${cFiles.length} C files`);
      const r = compare(
        repeats,
        () => bench.lint(cFiles, ["--concurrency", "off"]),
        () => measure("clang-tidy", ["--quiet", "-checks=-*,misc-definitions-in-headers", ...cFiles, "--", "-std=gnu11"], { okStatus: [0, 1] }),
      );
      results.clangTidy = { version: clangTidy.stdout.match(/version ([\d.]+)/)?.[1] ?? "unknown", files: cFiles.length, bytes: bytesOf(cFiles), speedUp: { wall: 1 / r.ratio.wall, cpu: 1 / r.ratio.cpu }, ...r };
    } else {
      results.clangTidy = { missing: "clang-tidy is not installed (apt-get install -y clang-tidy)" };
    }

    // ---- --concurrency 1 vs 2 on the 3 % tree
    {
      const out = trees[12].out;
      log(`lint: --concurrency 1 vs 2 on ${trees[12].files.length} files`);
      const r = compare(repeats, () => bench.lint([out], ["--concurrency", "2"]), () => bench.lint([out], ["--concurrency", "1"]));
      results.concurrency = { files: trees[12].files.length, speedUp: 1 / r.ratio.wall, ...r };
    }

    // ---- scaling: 10 files up to what fits before the deadline
    const sizes = quick ? [10, 50, 150] : [10, 100, 1000, 3000, 10000];
    let previous;
    for (const files of sizes) {
      // Cost grows about linearly: skip a size whose projected time does not fit.
      const projectedMs = previous ? (previous.wallMs.max / previous.files) * files * (repeats + 0.5) : 0;
      // The two smallest sizes always run, so there is a line to draw.
      if (results.scaling.length >= 2 && Date.now() + projectedMs > deadline) {
        results.scalingStopped = `stopped before ${files} files: projected ${(projectedMs / 60000).toFixed(1)} min would pass the time budget`;
        log(`lint: scaling ${results.scalingStopped}`);
        break;
      }
      const out = join(scratch, `scale-${files}`);
      const tree = generateTree({ out, files, seed: 100 + files, landlockShare: 0.03 });
      const runs = [];
      const parses = [];
      const times = files >= 1000 ? 1 : repeats;
      for (let i = 0; i < times; i++) {
        parses.push(bench.parse(tree.files));
        runs.push(bench.lint([out], ["--concurrency", "off"]));
      }
      previous = { files, wallMs: spread(runs.map((r) => r.wallMs)) };
      results.scaling.push({
        files,
        lines: tree.lines,
        bytes: tree.bytes,
        landlockFiles: tree.landlockFiles,
        wallMs: previous.wallMs,
        cpuMs: spread(runs.map((r) => r.cpuMs)),
        maxRssKb: spread(runs.map((r) => r.maxRssKb)),
        parseCpuMs: spread(parses.map((r) => r.cpuMs)),
        parseMaxRssKb: spread(parses.map((r) => r.maxRssKb)),
      });
      log(`lint: scaling ${files} files (${tree.lines} lines): ${(previous.wallMs.median / 1000).toFixed(1)} s`);
      rmSync(out, { recursive: true, force: true });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

