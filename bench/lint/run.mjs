// Lint benchmarks: the CLI (`landlock-lint`, one child process per run) against anchors
// measured in the same run on the same files:
//   - the bare parse of the same files by the same parsers (bench/lint/parse-only.mjs),
//     on generated trees where every file mentions Landlock and where under 5 % do;
//   - the same on real code read in place: headers under /usr/include, JS/TS under node_modules;
//   - clang-tidy with one cheap check on fixed subsets of the same C files;
//   - itself: --concurrency 1 vs 2, and scaling with input size (time, peak memory).
// LintBenchmarks runs one section per method, so bench/run.mjs can order them around the
// other benchmarks and give the scaling series whatever time is left.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cachedTree } from "../gen/cache.mjs";
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

/** The single clang-tidy check: cheap (an AST matcher on statements) and it fires on the generated code, so its work is visible. */
export const CLANG_TIDY_CHECK = "readability-braces-around-statements";
const CLANG_TIDY_FLAGS = ["-std=gnu11", "-D_GNU_SOURCE"];

/** Generated trees: seed by size, so the 3 % workload and the scaling point of the same size are one tree. */
const scalingTree = (files) => cachedTree({ files, seed: 100 + files, landlockShare: 0.03 });

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

const load1 = () => loadavg()[0];

/** How many of `files` contain the word Landlock (any case). */
function mentioningLandlock(files) {
  return files.filter((f) => /landlock/i.test(readFileSync(f, "latin1"))).length;
}

/**
 * One project folder of symbolic links to files read in place. Without it, a header under
 * /usr/include belongs to the project of its folder (no marker up to /), and the linter
 * would read and prefilter the whole of /usr/include (7,000 headers) for a 500-file sample;
 * a file under node_modules belongs to its package. Through the links, the linter reads
 * exactly the sampled files, each with the per-file prefilter, as the anchor does.
 */
function linkFarm(dir, files) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, ".landlock-lint.json"), "{}\n");
  files.forEach((f, i) => symlinkSync(f, join(dir, `${String(i).padStart(4, "0")}_${basename(f)}`)));
  return dir;
}

/** clang-tidy's compilation database for `files`, in a folder of its own (compile_commands.json marks a project for landlock-lint). */
function compileDatabase(dir, files) {
  mkdirSync(dir, { recursive: true });
  const entries = files.map((file) => ({ directory: dirname(file), file, arguments: ["cc", ...CLANG_TIDY_FLAGS, "-c", file, "-o", "/dev/null"] }));
  writeFileSync(join(dir, "compile_commands.json"), JSON.stringify(entries, null, 1));
  return dir;
}

/**
 * Runs `subject` and `anchor` alternately up to `repeats` times; both spreads plus the
 * ratio of medians. After `minRuns` pairs it stops early when one more pair would end
 * after `until()` (ms since epoch): the time is kept for what comes later in the run.
 */
function compare(repeats, subject, anchor, until = () => Infinity, minRuns = 2) {
  const s = [];
  const a = [];
  const loads = [load1()];
  for (let i = 0; i < repeats; i++) {
    const t0 = Date.now();
    a.push(anchor());
    s.push(subject());
    loads.push(load1());
    // A run killed at the cap says enough; repeating it would only spend the budget.
    if (s[s.length - 1].capped) break;
    if (i + 1 >= minRuns && i + 1 < repeats && 2 * Date.now() - t0 > until()) break;
  }
  const pick = (runs, key) => spread(runs.map((r) => r[key]));
  const result = {
    runs: s.length,
    planned: repeats,
    loads,
    capped: s.some((r) => r.capped) || a.some((r) => r.capped),
    subject: { wallMs: pick(s, "wallMs"), cpuMs: pick(s, "cpuMs"), maxRssKb: pick(s, "maxRssKb"), last: s[s.length - 1] },
    anchor: { wallMs: pick(a, "wallMs"), cpuMs: pick(a, "cpuMs"), maxRssKb: pick(a, "maxRssKb"), last: a[a.length - 1] },
  };
  result.ratio = {
    wall: result.subject.wallMs.median / result.anchor.wallMs.median,
    cpu: result.subject.cpuMs.median / result.anchor.cpuMs.median,
  };
  return result;
}

export class LintBenchmarks {
  /** `sizes` follow `quick`; `capSeconds` kills one lint run that takes longer. */
  constructor({ quick, repeats, log, capSeconds = quick ? 60 : 120, until = () => Infinity }) {
    this.quick = quick;
    /** When the sections of fixed size should be done, so the scaling series and the other benchmarks fit: fewer repeats past it. */
    this.until = until;
    this.repeats = repeats;
    this.log = log;
    this.capSeconds = capSeconds;
    this.scratch = mkdtempSync(join(tmpdir(), "landlock-bench-lint-"));
    this.lists = 0;
    this.trees = {};
    this.results = { capSeconds, workloads: [], clangTidy: undefined, concurrency: undefined, scaling: [], scalingSkipped: [], scalingNotes: [] };
  }

  close() {
    rmSync(this.scratch, { recursive: true, force: true });
  }

  /** One CLI run over `targets` (folders or files), killed at the cap; `capped` says it was. */
  lint(targets, extra = ["--concurrency", "off"]) {
    const r = measure("timeout", ["-s", "KILL", String(this.capSeconds), process.execPath, cli, "--no-progress", "--no-color", "-f", "json", "-o", "/dev/null", ...extra, ...targets], { okStatus: LINT_OK, cwd: this.scratch });
    return { ...r, capped: r.status === 137 };
  }

  /** One anchor run parsing exactly `files`. */
  parse(files) {
    const list = join(this.scratch, `list-${this.lists++}.txt`);
    writeFileSync(list, files.join("\n"));
    const r = measure(process.execPath, [parseOnly, list]);
    return { ...r, capped: false, report: JSON.parse(r.stdout.trim().split("\n").pop()) };
  }

  tree(kind) {
    if (!this.trees[kind]) {
      const t0 = Date.now();
      const tree =
        kind === "all"
          ? cachedTree({ files: this.quick ? 30 : 250, seed: 11, landlockShare: 1 })
          : kind === "few"
            ? scalingTree(this.quick ? 150 : 1000)
            : scalingTree(this.quick ? 150 : 3000);
      this.log(`lint: tree "${kind}": ${tree.files.length} files, ${tree.lines} lines, ${tree.landlockFiles} mention Landlock (${tree.cached ? "cached" : `generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`}: ${tree.out})`);
      this.trees[kind] = tree;
    }
    return this.trees[kind];
  }

  /** Whole lint vs bare parse: generated trees (all / 3 % mention Landlock), /usr/include, node_modules. */
  workloads() {
    const { repeats } = this;
    for (const kind of ["all", "few"]) {
      const tree = this.tree(kind);
      const all = kind === "all";
      const r = compare(repeats, () => this.lint([tree.out]), () => this.parse(tree.files), this.until);
      this.results.workloads.push({
        name: all ? "generated, every file mentions Landlock" : "generated, 3 % of files mention Landlock",
        tree: tree.out, files: tree.files.length, lines: tree.lines, bytes: tree.bytes, landlockFiles: tree.landlockFiles, projects: Math.ceil(tree.files.length / 5 / 40) * 5,
        target: all ? "<= 1.5x" : "<= 0.2x", targetValue: all ? 1.5 : 0.2, ...r,
      });
      this.logWorkload(this.results.workloads.at(-1));
    }

    const count = this.quick ? 20 : 500;
    // Headers over 256 KB (generated API tables) would dominate a small sample.
    const headers = sample(walk("/usr/include", (p) => p.endsWith(".h") && statSync(p).size < 256 * 1024), count);
    if (headers.length > 0) {
      const farm = linkFarm(join(this.scratch, "usr-include"), headers);
      const r = compare(repeats, () => this.lint([farm]), () => this.parse(headers), this.until);
      this.results.workloads.push({
        name: "/usr/include (fixed sample of C headers, read in place)", files: headers.length, bytes: bytesOf(headers),
        landlockFiles: mentioningLandlock(headers), projects: 1,
        target: "<= 0.2x (almost no header mentions Landlock)", targetValue: 0.2, ...r,
      });
      this.logWorkload(this.results.workloads.at(-1));
    }

    const nodeModules = join(repo, "node_modules");
    const all = walk(nodeModules, (p) => /\.(?:c|m)?[jt]s$/.test(p) && !p.endsWith(".d.ts") && statSync(p).size < 512 * 1024, [], (name) => name === ".cache" || name === ".bin");
    const js = sample(all, count);
    if (js.length > 0) {
      const farm = linkFarm(join(this.scratch, "node-modules"), js);
      const r = compare(repeats, () => this.lint([farm]), () => this.parse(js), this.until);
      this.results.workloads.push({
        name: `node_modules (fixed sample of JS/TS files of ${all.length}, read in place)`, files: js.length, bytes: bytesOf(js),
        landlockFiles: mentioningLandlock(js), projects: 1, target: "<= 0.2x (almost no file mentions Landlock)", targetValue: 0.2, ...r,
      });
      this.logWorkload(this.results.workloads.at(-1));
    }
  }

  logWorkload(w) {
    this.log(`lint: ${w.name}: ${w.files} files: lint ${(w.subject.cpuMs.median / 1000).toFixed(1)} s CPU vs parse ${(w.anchor.cpuMs.median / 1000).toFixed(1)} s CPU = ${w.ratio.cpu.toFixed(2)}x${w.capped ? " (killed at the cap)" : ""}`);
  }

  /** clang-tidy as a user runs it (one process, compilation database, one check) vs landlock-lint, on the C files of both trees. */
  clangTidy() {
    const version = spawnSync("clang-tidy", ["--version"], { encoding: "utf8" });
    if (version.status !== 0) {
      this.results.clangTidy = { missing: "clang-tidy is not installed (apt-get install -y clang-tidy)" };
      return;
    }
    const subsets = [];
    for (const kind of ["few", "all"]) {
      const tree = this.tree(kind);
      const cFiles = tree.files.filter((f) => f.endsWith(".c")).sort();
      const database = compileDatabase(join(this.scratch, `clang-tidy-${kind}`), cFiles);
      const args = ["--quiet", "-p", database, `-checks=-*,${CLANG_TIDY_CHECK}`, ...cFiles];
      this.log(`lint: clang-tidy vs landlock-lint on ${cFiles.length} C files (${kind === "all" ? "every file mentions Landlock" : "3 % tree"})`);
      // clang-tidy exits 1 when a file has a compiler error (none expected but counted).
      const r = compare(this.repeats, () => this.lint(cFiles), () => measure("clang-tidy", args, { okStatus: [0, 1] }), this.until);
      const out = r.anchor.last.stdout;
      subsets.push({
        kind, files: cFiles.length, bytes: bytesOf(cFiles), lines: undefined,
        landlockFiles: cFiles.filter((f) => basename(f).startsWith("main_")).length,
        warnings: (out.match(/: warning: /g) ?? []).length, errors: (out.match(/: error: /g) ?? []).length,
        speedUp: { wall: 1 / r.ratio.wall, cpu: 1 / r.ratio.cpu }, ...r,
      });
      this.log(`lint: clang-tidy ${(r.anchor.cpuMs.median / 1000).toFixed(1)} s CPU vs landlock-lint ${(r.subject.cpuMs.median / 1000).toFixed(1)} s CPU: ${(1 / r.ratio.cpu).toFixed(1)}x`);
    }
    this.results.clangTidy = {
      version: version.stdout.match(/version ([\d.]+)/)?.[1] ?? "unknown",
      command: `clang-tidy --quiet -p BUILD_DIR -checks=-*,${CLANG_TIDY_CHECK} FILE...`,
      flags: CLANG_TIDY_FLAGS.join(" "),
      subsets,
    };
  }

  /**
   * --concurrency 1 vs 2 on a 3 % tree, load average around each run. 3,000 files in 75
   * projects at full size: a worker thread costs about 0.6 s of CPU to start (modules,
   * WebAssembly grammars, its first project), a fifth of the whole 1,000-file run.
   */
  concurrency() {
    const tree = this.tree("parallel");
    const runs = { 1: [], 2: [] };
    const planned = Math.max(2, this.repeats);
    let n = 0;
    while (n < planned) {
      const t0 = Date.now();
      for (const c of [1, 2]) {
        const before = load1();
        const r = this.lint([tree.out], ["--concurrency", String(c)]);
        const after = load1();
        runs[c].push({ ...r, loadBefore: before, loadAfter: after });
        this.log(`lint: --concurrency ${c}: ${(r.wallMs / 1000).toFixed(1)} s wall, ${(r.cpuMs / 1000).toFixed(1)} s CPU, load average ${before.toFixed(1)} -> ${after.toFixed(1)}`);
      }
      n++;
      if (n >= 2 && 2 * Date.now() - t0 > this.until()) break;
    }
    const pick = (rs, key) => spread(rs.map((r) => r[key]));
    const side = (c) => ({ wallMs: pick(runs[c], "wallMs"), cpuMs: pick(runs[c], "cpuMs"), maxRssKb: pick(runs[c], "maxRssKb"), runs: runs[c] });
    const one = side(1);
    const two = side(2);
    this.results.concurrency = { files: tree.files.length, projects: Math.ceil(tree.files.length / 5 / 40) * 5, repeats: n, planned, one, two, speedUp: one.wallMs.median / two.wallMs.median };
  }

  /**
   * Scaling: time and peak memory from 10 files up. Before each size the cost is projected
   * from the two largest sizes so far (linear in files); a size that would end after
   * `deadline` is skipped, and so are the larger ones. `--concurrency 2` joins each size
   * when there is room for it too.
   */
  scaling(deadline) {
    const sizes = this.quick ? [10, 50, 150] : [10, 100, 1000, 3000, 10000];
    const reused = this.tree("few");
    const margin = 1.2;
    for (const files of sizes) {
      const repeats = files >= 3000 ? 1 : files >= 1000 ? Math.min(2, this.repeats) : this.repeats;
      const done = this.results.scaling;
      // Cost per run at `files`, a line through the two measured sizes nearest below it (the
      // 3 % workload counts: it is the same kind of tree), or the two smallest above it.
      const project = (key) => {
        const known = [...done];
        const w = this.results.workloads.find((x) => x.tree === reused.out);
        if (w && !known.some((k) => k.files === w.files)) {
          const two = this.concurrencyPoint(w.files);
          known.push({ files: w.files, serialRunMs: w.subject.wallMs.median + w.anchor.wallMs.median, parallelRunMs: two?.wallMs ?? w.subject.wallMs.median });
        }
        known.sort((x, y) => x.files - y.files);
        if (known.length === 0) return 0;
        if (known.length === 1) return (known[0][key] * files) / known[0].files;
        const below = known.filter((k) => k.files <= files);
        const [a, b] = below.length >= 2 ? below.slice(-2) : known.slice(0, 2);
        const perFile = Math.max(0, (b[key] - a[key]) / (b.files - a.files));
        return Math.max(0, b[key] + perFile * (files - b.files));
      };
      // The 3 % workload is the tree of this size, linted and parsed the same way: its runs are this size's point.
      const workload = this.results.workloads.find((w) => w.files === files && w.tree === reused.out);
      // Writing a tree that is not cached yet costs about half a millisecond per file.
      const serialMs = workload ? 0 : (project("serialRunMs") * repeats + files * 0.5) * margin;
      const parallelMs = this.concurrencyPoint(files) ? 0 : project("parallelRunMs") * margin;
      const left = deadline - Date.now();
      // The two smallest sizes always run, so there is a line to draw.
      if (done.length >= 2 && serialMs > left) {
        const why = `${files} files not measured: projected ${(serialMs / 60000).toFixed(1)} min, ${(left / 60000).toFixed(1)} min left in the budget`;
        this.results.scalingSkipped.push({ files, why });
        this.log(`lint: scaling: ${why}`);
        continue;
      }
      const withParallel = done.length < 2 || serialMs + parallelMs <= left;
      if (!withParallel) this.results.scalingNotes.push(`${files} files: no --concurrency 2 run (projected ${(parallelMs / 60000).toFixed(1)} min more than the budget had left)`);
      this.log(`lint: scaling ${files} files, ${repeats} run(s)${withParallel ? " + 1 run with --concurrency 2" : ""}; projected ${((serialMs + (withParallel ? parallelMs : 0)) / 60000).toFixed(1)} min, ${(left / 60000).toFixed(1)} min left`);
      const t0 = Date.now();
      const tree = scalingTree(files);
      const generatedMs = Date.now() - t0;
      let lint;
      let parse;
      if (workload) {
        lint = { wallMs: workload.subject.wallMs, cpuMs: workload.subject.cpuMs, maxRssKb: workload.subject.maxRssKb, runs: workload.runs, capped: workload.capped };
        parse = workload.anchor;
      } else {
        const r = compare(repeats, () => this.lint([tree.out]), () => this.parse(tree.files));
        lint = { ...r.subject, runs: r.runs, capped: r.capped };
        parse = r.anchor;
      }
      let parallel;
      if (withParallel) {
        const section = this.concurrencyPoint(files);
        const c = section ?? this.lint([tree.out], ["--concurrency", "2"]);
        // The section's speed-up is against its own --concurrency 1 runs, taken alternately with the --concurrency 2 ones.
        parallel = { wallMs: c.wallMs, cpuMs: c.cpuMs, maxRssKb: c.maxRssKb, speedUp: section ? this.results.concurrency.speedUp : lint.wallMs.median / c.wallMs, fromSection: Boolean(section) };
      }
      done.push({
        files, lines: tree.lines, bytes: tree.bytes, landlockFiles: tree.landlockFiles, generatedMs, cached: tree.cached, reused: Boolean(workload),
        runs: lint.runs, capped: lint.capped,
        wallMs: lint.wallMs, cpuMs: lint.cpuMs, maxRssKb: lint.maxRssKb,
        parseWallMs: parse.wallMs, parseCpuMs: parse.cpuMs, parseMaxRssKb: parse.maxRssKb,
        parallel,
        // What one more repeat cost at this size, for the projection of the next one.
        serialRunMs: lint.wallMs.median + parse.wallMs.median,
        parallelRunMs: parallel?.wallMs ?? lint.wallMs.median,
      });
      this.log(`lint: scaling ${files} files (${tree.lines} lines): lint ${(lint.wallMs.median / 1000).toFixed(1)} s wall, ${(lint.cpuMs.median / 1000).toFixed(1)} s CPU, ${(lint.maxRssKb.median / 1024).toFixed(0)} MB; parse ${(parse.cpuMs.median / 1000).toFixed(1)} s CPU${parallel ? `; --concurrency 2 ${(parallel.wallMs / 1000).toFixed(1)} s wall` : ""}`);
    }
  }

  /**
   * What the scaling series will need, from the wall time per file of the 3 % workload
   * (the same kind of tree) once measured: one lint and one parse run at each size not
   * measured yet, with a margin. The --concurrency 2 runs are left out: they are the first
   * thing the series drops when time is short.
   */
  scalingEstimateMs() {
    const sizes = this.quick ? [10, 50] : [10, 100, 3000, 10000];
    const w = this.results.workloads.find((x) => x.tree === this.trees.few?.out);
    const perFileMs = w ? (w.subject.wallMs.median + w.anchor.wallMs.median) / w.files : this.quick ? 40 : 25;
    const startUpMs = 4000;
    return 1.2 * sizes.reduce((sum, files) => sum + (files >= 3000 ? 1 : this.repeats) * (startUpMs + perFileMs * files), 0);
  }

  /** The --concurrency 2 median of the concurrency section when it ran on this many files (same tree). */
  concurrencyPoint(files) {
    const c = this.results.concurrency;
    if (!c || c.files !== files) return undefined;
    return { wallMs: c.two.wallMs.median, cpuMs: c.two.cpuMs.median, maxRssKb: c.two.maxRssKb.median };
  }
}
