// `npm run soak`: the language server soak (server/test/soak-driver.ts, built) for a long
// run. Exits 1 if the server died, a request went unanswered, a handler threw, or resident
// memory grew by 30 MB or more after warm-up.
//
//   npm run soak -- --duration 1800 --report bench/lsp/SOAK.md
//   options: --duration <s> (1800), --requests N (stop after N), --seed N, --rate <requests/s> (20; 0 = unpaced),
//            --report <file.md>, --liveness-ms N (30000), --sample-ms N (5000),
//            --node-arg <flag> (repeatable, for the server's node, e.g. --max-old-space-size=100), --server-stderr <file>
import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const usage = "usage: node scripts/soak.mjs [--duration s] [--requests N] [--seed N] [--rate requests/s] [--report file.md] [--liveness-ms N] [--sample-ms N] [--node-arg flag]... [--server-stderr file]";

function parseArgs(argv) {
  const numeric = { "--duration": "duration", "--requests": "requests", "--seed": "seed", "--rate": "rate", "--liveness-ms": "livenessMs", "--sample-ms": "sampleMs" };
  const out = { duration: 1800, seed: Date.now() % 2 ** 31, rate: 20, livenessMs: 30_000, sampleMs: 5_000, nodeArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") {
      console.log(usage);
      process.exit(0);
    }
    const value = argv[i + 1];
    if (arg === "--node-arg" || arg === "--server-stderr") {
      if (value === undefined) throw new Error(`${arg} needs a value`);
      if (arg === "--node-arg") out.nodeArgs.push(value);
      else out.serverStderr = value;
      i++;
      continue;
    }
    if (arg === "--report") {
      if (value === undefined) throw new Error("--report needs a file name");
      out.report = value;
      i++;
      continue;
    }
    const key = numeric[arg];
    if (!key) throw new Error(`unknown option ${arg}`);
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < 0) throw new Error(`${arg} needs a non-negative number (got ${JSON.stringify(value)})`);
    out[key] = n;
    i++;
  }
  return out;
}

let args;
try {
  args = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`soak: ${e.message}\n${usage}`);
  process.exit(2);
}

const { runSoak } = await import(pathToFileURL(join(root, "server", "dist", "test", "soak-driver.js")).href);
console.log(`soak: seed ${args.seed}, ${args.duration} s${args.requests ? ` or ${args.requests} requests` : ""}, rate ${args.rate || "unpaced"}`);
const run = await runSoak({
  durationMs: args.duration * 1000,
  maxRequests: args.requests,
  seed: args.seed,
  rate: args.rate,
  livenessBoundMs: args.livenessMs,
  sampleEveryMs: args.sampleMs,
  serverNodeArgs: args.nodeArgs,
  serverStderrFile: args.serverStderr,
  log: (line) => console.log(line),
});
console.log(run.summary);
if (args.report) {
  const file = resolve(args.report);
  mkdirSync(dirname(file), { recursive: true });
  const command = `npm run soak -- ${process.argv.slice(2).join(" ")}`.trim();
  writeFileSync(file, run.markdown.replace(/\n/, `\n\nCommand: \`${command}\` (seed ${args.seed}).\n`));
  console.log(`soak: report written to ${file}`);
}
process.exit(run.ok ? 0 : 1);
