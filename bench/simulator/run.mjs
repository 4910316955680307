// Explorer benchmark: states per second and peak memory of the TSYNC explorer
// (simulator/dist) for 2..5 threads, against SPIN checking the same model
// (bench/simulator/tsync.pml) on the same sizes in the same run. Writes
// bench/simulator/RESULTS.md and prints the table.
//
//   node bench/simulator/run.mjs [--runs N] [--threads 2,5] [--skip-acceptance] [--no-write]
//
// Each explorer run is a fresh Node process (so peak RSS is per run); each SPIN run is
// the compiled verifier `pan`, compiled once per size. If spin or gcc is missing, only
// the explorer is measured and the report says why.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const explorerModule = join(root, "simulator", "dist", "src", "explorer", "index.js");
const promela = join(here, "tsync.pml");
const resultsFile = join(here, "RESULTS.md");

/** Sizes: threads at the start plus the faults that make each run take a few seconds. */
const SIZES = [
  { name: "2 threads", threads: 2, spawns: 4, exits: 8, enomem: true },
  { name: "3 threads", threads: 3, spawns: 3, exits: 2, enomem: true },
  { name: "4 threads", threads: 4, spawns: 2, exits: 2, enomem: true },
  { name: "5 threads", threads: 5, spawns: 1, exits: 2, enomem: true },
];
const ACCEPTANCE = { name: "acceptance: explore tsync --threads 4 --spawn --exit --enomem", threads: 4, spawns: 2, exits: 8, enomem: true };

// ---- child mode: one exploration, JSON on stdout ----

if (process.argv[2] === "--child") {
  const size = JSON.parse(process.argv[3]);
  const { exploreTsync } = await import(pathToFileURL(explorerModule).href);
  const r = exploreTsync({
    threads: size.threads,
    spawn: size.spawns > 0,
    ...(size.spawns > 0 ? { maxSpawns: size.spawns } : {}),
    exit: size.exits > 0,
    ...(size.exits > 0 ? { maxExits: size.exits } : {}),
    enomem: size.enomem,
    maxStates: 100_000_000,
    timeoutMs: 600_000,
  });
  const ru = process.resourceUsage();
  process.stdout.write(JSON.stringify({
    status: r.status,
    states: r.states,
    transitions: r.transitions,
    elapsedMs: r.elapsedMs,
    stateBytes: r.stateBytes,
    cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000,
    maxRssKb: ru.maxRSS,
  }));
  process.exit(0);
}

// ---- parent ----

const args = process.argv.slice(2);
const runsArg = args.indexOf("--runs");
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 3;
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error("--runs needs a positive integer");
  process.exit(2);
}
const withAcceptance = !args.includes("--skip-acceptance");
const write = !args.includes("--no-write");
// --threads: only the sizes with these thread counts (bench/run.mjs keeps its run short this way).
const threadsArg = args.indexOf("--threads");
const THREADS = threadsArg >= 0 ? String(args[threadsArg + 1] ?? "").split(",").map(Number) : undefined;
if (THREADS && !THREADS.every((t) => SIZES.some((s) => s.threads === t))) {
  console.error(`--threads takes a comma-separated list of ${SIZES.map((s) => s.threads).join(", ")}`);
  process.exit(2);
}

if (!existsSync(explorerModule)) {
  console.error(`${explorerModule} is missing: build first (npm run build)`);
  process.exit(2);
}

const sh = (cmd, cmdArgs, opts = {}) => spawnSync(cmd, cmdArgs, { encoding: "utf8", ...opts });
const which = (cmd) => sh("sh", ["-c", `command -v ${cmd}`]).stdout.trim() || null;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stats = (xs) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });
const fmt = (n) => Math.round(n).toLocaleString("en-US");
const mb = (bytes) => (bytes / 1e6).toFixed(0);

function runOurs(size) {
  const r = sh(process.execPath, [fileURLToPath(import.meta.url), "--child", JSON.stringify(size)], { maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`explorer child failed for ${size.name}: ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  if (out.status !== "ok") throw new Error(`explorer did not finish ${size.name}: status ${out.status}`);
  return out;
}

const spinPath = which("spin");
const gccPath = which("gcc");
const timePath = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;
let spinWhyNot = null;
if (!spinPath) spinWhyNot = "spin is not installed (try: apt-get install -y spin)";
else if (!gccPath) spinWhyNot = "gcc is not installed; spin needs it to compile pan.c";

function compileSpin(size, dir) {
  const defs = [`-DTHREADS=${size.threads}`, `-DSPAWNS=${size.spawns}`, `-DEXITS=${size.exits}`, `-DENOMEM=${size.enomem ? 1 : 0}`];
  const gen = sh(spinPath, [...defs, "-a", promela], { cwd: dir });
  if (gen.status !== 0) throw new Error(`spin -a failed: ${gen.stdout}${gen.stderr}`);
  const cc = sh(gccPath, ["-O2", "-DSAFETY", "-DNOREDUCE", "-DMEMLIM=16384", "-o", "pan", "pan.c"], { cwd: dir });
  if (cc.status !== 0) throw new Error(`gcc pan.c failed: ${cc.stderr}`);
}

function runSpin(dir, expectedStates) {
  // Hash table sized like the explorer's: load factor at most one half.
  const w = Math.max(10, Math.ceil(Math.log2(expectedStates * 2)));
  const panArgs = ["-m1000000", `-w${w}`];
  const r = timePath
    ? sh(timePath, ["-f", "__time %e %U %S %M", "./pan", ...panArgs], { cwd: dir, maxBuffer: 1 << 24 })
    : sh("./pan", panArgs, { cwd: dir, maxBuffer: 1 << 24 });
  const text = r.stdout + r.stderr;
  const num = (re) => {
    const m = text.match(re);
    return m ? Number(m[1]) : NaN;
  };
  const errors = num(/errors:\s*(\d+)/);
  if (errors !== 0) throw new Error(`pan reported errors or did not finish:\n${text}`);
  const time = text.match(/__time ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/);
  return {
    states: num(/(\d+) states, stored/),
    transitions: num(/(\d+) transitions/),
    elapsedS: num(/pan: elapsed time ([\d.e+-]+) seconds/),
    memoryMb: num(/([\d.]+)\s+total actual memory usage/),
    stateVectorBytes: num(/State-vector (\d+) byte/),
    cpuS: time ? Number(time[2]) + Number(time[3]) : NaN,
    maxRssKb: time ? Number(time[4]) : NaN,
  };
}

const load0 = loadavg();
const rows = [];
const chosen = THREADS ? SIZES.filter((s) => THREADS.includes(s.threads)) : SIZES;
const sizes = withAcceptance ? [...chosen, ACCEPTANCE] : chosen;
for (const size of sizes) {
  const runs = size === ACCEPTANCE ? Math.min(RUNS, 2) : RUNS;
  process.stderr.write(`${size.name}: explorer x${runs}`);
  const ours = [];
  for (let i = 0; i < runs; i++) {
    ours.push(runOurs(size));
    process.stderr.write(".");
  }
  const row = { size, ours, spin: null, spinError: null };
  if (!spinWhyNot) {
    process.stderr.write(` spin x${runs}`);
    const dir = mkdtempSync(join(tmpdir(), "tsync-spin-"));
    try {
      compileSpin(size, dir);
      row.spin = [];
      for (let i = 0; i < runs; i++) {
        row.spin.push(runSpin(dir, ours[0].states));
        process.stderr.write(".");
      }
    } catch (e) {
      row.spinError = String(e.message ?? e).split("\n")[0];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stderr.write("\n");
  rows.push(row);
}
const load1 = loadavg();

// ---- report ----

const nodeVersion = process.version;
const spinVersion = spinPath ? sh(spinPath, ["-V"]).stdout.trim() : "not installed";
const gccVersion = gccPath ? sh(gccPath, ["--version"]).stdout.split("\n")[0] : "not installed";
const cpu = cpus();
const lines = [];
lines.push("# Explorer benchmark: TSYNC state space, explorer vs SPIN");
lines.push("");
lines.push(`Generated by \`node bench/simulator/run.mjs\` on ${new Date().toISOString().slice(0, 10)}.`);
lines.push("");
lines.push("## Machine and versions");
lines.push("");
lines.push(`- CPU: ${cpu[0]?.model ?? "unknown"}, ${cpu.length} logical cores; memory ${mb(totalmem())} MB (${mb(freemem())} MB free at the end)`);
lines.push(`- load average (1 min) at start ${load0[0].toFixed(2)}, at end ${load1[0].toFixed(2)}: wall-clock rates suffer when the machine is shared, CPU-time rates much less`);
lines.push(`- Node ${nodeVersion}; ${spinVersion}; ${gccVersion}`);
lines.push(`- explorer: \`exploreTsync\` from simulator/dist, one fresh process per run; SPIN: \`spin -a bench/simulator/tsync.pml\`, \`gcc -O2 -DSAFETY -DNOREDUCE\`, \`pan -m1000000 -wN\` with the hash table sized for a load factor of one half`);
lines.push(`- ${RUNS} run${RUNS === 1 ? "" : "s"} per size (${withAcceptance ? "2 for the acceptance size" : "acceptance size skipped"}); min / median / max`);
lines.push("");
lines.push("## What is compared");
lines.push("");
lines.push("Both tools explore the same transition system: tsync.pml has one `d_step` per action of the TypeScript model (correct protocol, one caller).");
lines.push("SPIN stores the same states plus a fixed tail of 5 states per final state (leaving the loop, the final same-domain check, process end) and a few set-up states of `init`,");
lines.push("so its state count is a few percent higher. Rates are distinct states stored per second of exploration (the explorer's `elapsedMs`, pan's own elapsed time;");
lines.push("compilation of pan.c is not counted). Memory: peak RSS of the process (the explorer's includes Node itself, about 45 MB), and pan's own \"total actual memory usage\".");
lines.push("");
if (spinWhyNot) {
  lines.push(`**SPIN not measured: ${spinWhyNot}.** Only the explorer's numbers are reported.`);
  lines.push("");
}
lines.push("## Results");
lines.push("");
lines.push("| size | faults | states (explorer / SPIN) | explorer states/s (min / median / max) | SPIN states/s (min / median / max) | ratio explorer/SPIN (median) | CPU-time states/s explorer / SPIN (median) | CPU-time ratio | peak memory explorer / SPIN (median) | memory ratio |");
lines.push("|---|---|---|---|---|---|---|---|---|---|");
const summary = { wall: [], cpu: [], memory: [] };
for (const row of rows) {
  const s = row.size;
  const faults = [`${s.spawns} spawn${s.spawns === 1 ? "" : "s"}`, s.exits >= 8 ? "exits" : `${s.exits} exits`, s.enomem ? "ENOMEM" : ""].filter(Boolean).join(", ");
  const oRate = stats(row.ours.map((r) => r.states / (r.elapsedMs / 1000)));
  const oCpu = median(row.ours.map((r) => r.states / (r.cpuMs / 1000)));
  const oRss = median(row.ours.map((r) => r.maxRssKb * 1024));
  const oTables = median(row.ours.map((r) => r.stateBytes));
  const oStates = row.ours[0].states;
  if (row.spin && row.spin.length) {
    const sRate = stats(row.spin.map((r) => r.states / Math.max(r.elapsedS, 1e-3)));
    const sCpu = median(row.spin.map((r) => r.states / Math.max(r.cpuS, 1e-3)));
    const sMem = median(row.spin.map((r) => (Number.isFinite(r.maxRssKb) ? r.maxRssKb * 1024 : r.memoryMb * 1e6)));
    const sPan = median(row.spin.map((r) => r.memoryMb * 1e6));
    const cpuRatio = Number.isFinite(sCpu) ? oCpu / sCpu : NaN;
    summary.wall.push(oRate.median / sRate.median);
    if (Number.isFinite(cpuRatio)) summary.cpu.push(cpuRatio);
    summary.memory.push(oRss / sMem);
    lines.push(
      `| ${s.name} | ${faults} | ${fmt(oStates)} / ${fmt(row.spin[0].states)} | ${fmt(oRate.min)} / ${fmt(oRate.median)} / ${fmt(oRate.max)} | ${fmt(sRate.min)} / ${fmt(sRate.median)} / ${fmt(sRate.max)} | ${(oRate.median / sRate.median).toFixed(2)} | ${fmt(oCpu)} / ${Number.isFinite(sCpu) ? fmt(sCpu) : "n/a"} | ${Number.isFinite(cpuRatio) ? cpuRatio.toFixed(2) : "n/a"} | ${mb(oRss)} MB (tables ${mb(oTables)} MB) / ${mb(sMem)} MB (pan: ${mb(sPan)} MB) | ${(oRss / sMem).toFixed(2)} |`,
    );
  } else {
    lines.push(
      `| ${s.name} | ${faults} | ${fmt(oStates)} / - | ${fmt(oRate.min)} / ${fmt(oRate.median)} / ${fmt(oRate.max)} | ${row.spinError ? `failed: ${row.spinError}` : "-"} | - | ${fmt(oCpu)} / - | - | ${mb(oRss)} MB (tables ${mb(oTables)} MB) / - | - |`,
    );
  }
}
lines.push("");
const range = (xs) => (xs.length ? `median ${median(xs).toFixed(2)} (range ${Math.min(...xs).toFixed(2)} to ${Math.max(...xs).toFixed(2)})` : "n/a");
if (summary.wall.length) {
  lines.push("## Summary");
  lines.push("");
  lines.push(`- states per second, explorer / SPIN: wall clock ${range(summary.wall)}; CPU time ${range(summary.cpu)}`);
  lines.push(`- peak memory, explorer / SPIN: ${range(summary.memory)}`);
  lines.push(`- explorer CPU-time rate over all sizes: ${range(rows.map((r) => median(r.ours.map((o) => o.states / (o.cpuMs / 1000))) / 1e6))} million states/s`);
  lines.push("");
}
const report = lines.join("\n") + "\n";
process.stdout.write(report);
if (write) {
  writeFileSync(resultsFile, report);
  process.stderr.write(`written to ${resultsFile}\n`);
}
