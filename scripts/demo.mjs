// `npm run demo` (after the build): the simulator shows the mistake and its fix, then the
// linter finds the mistake in a few sample programs and explains each finding with the
// simulator. Findings are the point of the demo, so the linter's exit code 1 is expected.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const simulatorCli = join(root, "simulator/dist/src/cli/main.js");
const linterCli = join(root, "analyzer/dist/src/cli/main.js");

// A few programs, two screens of output: a thread pool started before the sandbox (the
// mistake the simulator just showed, in real code), a signal to the parent after signal
// scoping, and a correct program (sandbox first, threads after) that gets nothing.
const SAMPLES = ["fixtures/c/thumbnailer-pool.c", "fixtures/c/supervised-worker.c", "fixtures/c/pool-after-sandbox.c"];

const EXIT_MEANINGS = {
  0: "no error findings",
  1: "error findings (expected here: the samples contain the mistakes)",
  2: "bad usage, bad configuration, or a file that could not be analysed",
};

const bold = (text) => (process.stdout.isTTY ? `\u001b[1m${text}\u001b[22m` : text);

function heading(title, ...lines) {
  const rule = "=".repeat(Math.min(100, Math.max(title.length, ...lines.map((l) => l.length))));
  console.log(`\n${rule}\n${bold(title)}\n${lines.join("\n")}${lines.length ? "\n" : ""}${rule}\n`);
}

function run(label, args) {
  console.log(`$ ${label}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit" });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

let failed = false;

if (existsSync(simulatorCli)) {
  heading(
    "1. landlock_restrict_self() without TSYNC, in a process that already has threads",
    "The simulator runs the scenario on a model of the kernel: one lane per thread.",
    "Only the calling thread gets the domain; the worker threads keep full access.",
  );
  if (run("landlock-sim run single-thread-restrict", [simulatorCli, "run", "single-thread-restrict"]) !== 0) failed = true;
  heading(
    "2. The same program with LANDLOCK_RESTRICT_SELF_TSYNC (ABI 8)",
    "TSYNC applies one domain to every thread of the process, all or nothing.",
  );
  if (run("landlock-sim run tsync", [simulatorCli, "run", "tsync"]) !== 0) failed = true;
} else {
  console.log(`(skipping the simulator part: ${simulatorCli} is not built)`);
}

heading(
  "3. landlock-lint --explain on three sample programs",
  "Each finding names the rule, where the threads come from, and (indented) what the",
  "simulator says happens at run time. pool-after-sandbox.c sandboxes before it starts",
  "its threads: it is correct and gets no finding. Rule docs: docs/rules/<rule>.md",
);
const samples = SAMPLES.filter((file) => existsSync(join(root, file)));
const status = run(`landlock-lint --explain ${samples.join(" ")}`, [linterCli, "--explain", ...samples]);
console.log(`landlock-lint exited with ${status}: ${EXIT_MEANINGS[status] ?? "unexpected exit code"}`);
if (status !== 0 && status !== 1) failed = true;

process.exit(failed ? 1 : 0);
