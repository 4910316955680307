// The long fuzzing run (`npm run fuzz`): the same properties as the CI-sized
// analyzer/test/fuzz.test.ts, with counts from flags. The test file reads its counts from
// LANDLOCK_FUZZ_* variables; this script only turns flags into those and runs it.
//
//   npm run fuzz -- [--runs N] [--scenarios N] [--settings N] [--seed S] [--max-line N]
//                   [--max-depth N] [--big] [--only PATTERN]
//
// Defaults are the project's targets: 100,000 inputs per front-end (analyzeText; a quarter
// as many again through Project from disk), 10,000 scenarios, 10,000 settings objects.
// Expect hours at the default counts; every seed is printed so a failure can be replayed
// with --seed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const testFile = join(root, "analyzer", "dist", "test", "fuzz.test.js");

const FLAGS = {
  "--runs": { env: "LANDLOCK_FUZZ_RUNS", value: "100000", integer: true },
  "--scenarios": { env: "LANDLOCK_FUZZ_SCENARIOS", value: "10000", integer: true },
  "--settings": { env: "LANDLOCK_FUZZ_SETTINGS", value: "10000", integer: true },
  "--seed": { env: "LANDLOCK_FUZZ_SEED", value: String(Date.now() % 2 ** 31), integer: true },
  "--max-line": { env: "LANDLOCK_FUZZ_MAX_LINE", value: "300000", integer: true },
  "--max-depth": { env: "LANDLOCK_FUZZ_MAX_DEPTH", value: "5000", integer: true },
};

function usage(problem) {
  console.error(`fuzz: ${problem}`);
  console.error(`usage: node scripts/fuzz.mjs ${Object.keys(FLAGS).map((f) => `[${f} N]`).join(" ")} [--big] [--only PATTERN]`);
  process.exit(2);
}

const env = { ...process.env };
for (const spec of Object.values(FLAGS)) env[spec.env] = spec.value;
const testArgs = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  const [name, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
  if (name === "--big") {
    env.LANDLOCK_FUZZ_BIG = "1";
    continue;
  }
  if (name === "--help" || name === "-h") usage("flags");
  const value = inline ?? args[++i];
  if (value === undefined) usage(`${name} needs a value`);
  if (name === "--only") {
    testArgs.push(`--test-name-pattern=${value}`);
    continue;
  }
  const spec = FLAGS[name];
  if (!spec) usage(`unknown flag ${name}`);
  if (spec.integer && !/^\d+$/.test(value)) usage(`${name} expects a non-negative integer, got "${value}"`);
  env[spec.env] = value;
}

if (!existsSync(testFile)) usage(`${testFile} is missing: run npm run build first`);
console.log(
  `fuzz: ${env.LANDLOCK_FUZZ_RUNS} inputs per front-end, ${env.LANDLOCK_FUZZ_SCENARIOS} scenarios, ${env.LANDLOCK_FUZZ_SETTINGS} settings objects, seed ${env.LANDLOCK_FUZZ_SEED}`,
);
const started = Date.now();
const result = spawnSync(process.execPath, ["--test", "--test-reporter=spec", ...testArgs, testFile], { cwd: root, env, stdio: "inherit" });
console.log(`fuzz: finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(result.status ?? 1);
