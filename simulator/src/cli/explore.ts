// `landlock-sim explore tsync|psx ...`: exhaustive interleaving exploration from the
// command line. Exit codes: 0 whole space explored and every invariant holds, 1 an
// invariant failed (counterexample printed), 2 bad usage, 3 a budget stopped it first.

import {
  DEFAULT_MAX_SPAWNS,
  DEFAULT_MAX_STATES,
  DEFAULT_THREADS,
  DEFAULT_TIMEOUT_MS,
  ExploreOptionsError,
  explorePsx,
  exploreTsync,
  listInvariants,
  listVariants,
  renderExploreLanes,
  type ExploreResult,
  type ExploreProgress,
  type PsxExploreOptions,
  type TsyncExploreOptions,
} from "../explorer/index.js";

export const EXIT_OK = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_USAGE = 2;
export const EXIT_BUDGET = 3;

function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export const EXPLORE_HELP = `usage: landlock-sim explore tsync|psx [options]

Explores every interleaving of a multithreaded Landlock enforcement protocol and checks
its invariants; on a violation prints a shortest counterexample, one lane per thread.

  tsync   the kernel's LANDLOCK_RESTRICT_SELF_TSYNC protocol (discovery rounds,
          task_work, prepare_creds, all_prepared / ready_to_commit / all_finished)
  psx     libpsx's per-thread broadcast: every thread calls restrict_self itself

options:
  --threads N        threads alive when enforcement starts, caller included
                     (default ${DEFAULT_THREADS}; tsync 1-8, psx 1-8)
  --spawn            threads that are not inside a task_work may spawn threads
  --max-spawns N     bound on spawns in one run (default ${DEFAULT_MAX_SPAWNS}; threads + spawns <= 8)
  --exit             threads other than the caller(s) may exit, each at most once
  --max-exits N      bound on exits in one run (default: no bound beyond one per thread)
  --enomem           (tsync) ENOMEM may hit the caller's prepare_creds, the task_work
                     allocation and any sibling's prepare_creds; also explores siblings
                     with their own cred and domain, the only ones that allocate
  --no-diverged      (tsync) with --enomem, start only from siblings sharing the caller's cred
  --interrupts N     (tsync) signals that may interrupt the wait for all_prepared; each
                     restarts the syscall (default 0)
  --concurrent       (tsync) T1 calls TSYNC at the same time as T0
  --variant NAME     (tsync) explore a naive design or a mutant instead of the correct
                     protocol; --list-variants shows them
  --list-variants    print the variants and the options that expose each flaw
  --no-scope         (psx) the ruleset does not scope signals
  --erratum2         (psx) the kernel has erratum 2 (threads of one process may always
                     signal each other)
  --max-states N     state budget (default ${DEFAULT_MAX_STATES.toLocaleString("en-US")})
  --timeout-ms N     time budget in milliseconds (default ${DEFAULT_TIMEOUT_MS.toLocaleString("en-US")})
  --format F         text (default) or json
  -h, --help         this help

bounds that keep the space finite: at most 8 thread slots; spawns bounded by
--max-spawns; each thread exits at most once; interrupts bounded by --interrupts;
callers neither spawn nor exit; once every call has returned the run ends.

invariants:
${listInvariants()
  .map((i) => `  ${(i.name + (i.kind ? ` (${i.kind})` : "")).padEnd(24)} ${wrapWords(i.description, 62).join(`\n${" ".repeat(27)}`)}`)
  .join("\n")}

exit status: 0 whole space explored and every invariant holds; 1 an invariant failed
(counterexample printed); 2 bad usage; 3 a budget stopped the exploration first.
`;

class UsageError extends Error {}

interface Parsed {
  model: "tsync" | "psx";
  format: "text" | "json";
  listVariants: boolean;
  tsync: TsyncExploreOptions;
  psx: PsxExploreOptions;
  /** Options given that only one model understands, to reject them for the other. */
  tsyncOnly: string[];
  psxOnly: string[];
}

const FLAGS_WITH_VALUE = new Set(["--threads", "--max-spawns", "--max-exits", "--interrupts", "--variant", "--max-states", "--timeout-ms", "--format"]);

function parseCount(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`${flag} needs a non-negative integer, got "${raw}"`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} is too large: ${raw}`);
  return n;
}

function parse(argv: readonly string[]): Parsed | "help" {
  const common: TsyncExploreOptions & PsxExploreOptions = {};
  const tsync: TsyncExploreOptions = {};
  const psx: PsxExploreOptions = {};
  const tsyncOnly: string[] = [];
  const psxOnly: string[] = [];
  let model: string | undefined;
  let format: "text" | "json" = "text";
  let list = false;
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let value: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (FLAGS_WITH_VALUE.has(arg) && value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
    } else if (!FLAGS_WITH_VALUE.has(arg) && value !== undefined) {
      throw new UsageError(`${arg} takes no value`);
    }
    switch (arg) {
      case "-h":
      case "--help":
        return "help";
      case "--threads":
        common.threads = parseCount(arg, value!);
        break;
      case "--spawn":
        common.spawn = true;
        break;
      case "--max-spawns":
        common.maxSpawns = parseCount(arg, value!);
        break;
      case "--exit":
        common.exit = true;
        break;
      case "--max-exits":
        common.maxExits = parseCount(arg, value!);
        break;
      case "--max-states":
        common.maxStates = parseCount(arg, value!);
        break;
      case "--timeout-ms":
        common.timeoutMs = parseCount(arg, value!);
        break;
      case "--enomem":
        tsync.enomem = true;
        tsyncOnly.push(arg);
        break;
      case "--no-diverged":
        tsync.diverged = false;
        tsyncOnly.push(arg);
        break;
      case "--interrupts":
        tsync.interrupts = parseCount(arg, value!);
        tsyncOnly.push(arg);
        break;
      case "--concurrent":
        tsync.concurrent = true;
        tsyncOnly.push(arg);
        break;
      case "--variant":
        tsync.variant = value!;
        tsyncOnly.push(arg);
        break;
      case "--list-variants":
        list = true;
        break;
      case "--no-scope":
        psx.scopeSignal = false;
        psxOnly.push(arg);
        break;
      case "--erratum2":
        psx.erratum2 = true;
        psxOnly.push(arg);
        break;
      case "--format":
        if (value !== "text" && value !== "json") throw new UsageError(`--format must be text or json, got "${value}"`);
        format = value;
        break;
      default:
        if (arg.startsWith("-")) throw new UsageError(`unknown option ${arg}`);
        if (model !== undefined) throw new UsageError(`unexpected argument "${arg}" (the model is already ${model})`);
        model = arg;
    }
  }
  if (list) return { model: "tsync", format, listVariants: true, tsync, psx, tsyncOnly, psxOnly };
  if (model === undefined) throw new UsageError("which protocol? give tsync or psx");
  if (model !== "tsync" && model !== "psx") throw new UsageError(`unknown protocol "${model}": give tsync or psx`);
  return { model, format, listVariants: false, tsync: { ...common, ...tsync }, psx: { ...common, ...psx }, tsyncOnly, psxOnly };
}

const num = (n: number) => n.toLocaleString("en-US");

function describeSettings(r: ExploreResult): string {
  const s = r.settings;
  const parts = [`${s.threads} thread${s.threads === 1 ? "" : "s"}`];
  if (Number(s.maxSpawns) > 0) parts.push(`up to ${s.maxSpawns} spawn${s.maxSpawns === 1 ? "" : "s"}`);
  if (Number(s.maxExits) > 0) parts.push(Number(s.maxExits) >= 8 ? "exits" : `up to ${s.maxExits} exit${s.maxExits === 1 ? "" : "s"}`);
  if (s.enomem) parts.push(s.diverged ? "ENOMEM (siblings sharing or not sharing the caller's cred)" : "ENOMEM");
  if (Number(s.interrupts) > 0) parts.push(`${s.interrupts} interrupt${s.interrupts === 1 ? "" : "s"}`);
  if (s.concurrent) parts.push("two concurrent TSYNC calls");
  if (r.model === "psx") {
    parts.push(s.scopeSignal ? "signal scoping" : "no signal scoping");
    parts.push(s.erratum2 ? "kernel with erratum 2" : "kernel without erratum 2");
  }
  return parts.join(", ");
}

function statsLine(r: ExploreResult): string {
  return `${num(r.states)} states, ${num(r.transitions)} transitions, depth ${r.maxDepth}, ${(r.elapsedMs / 1000).toFixed(2)} s (${num(r.statesPerSecond)} states/s)`;
}

export function formatExploreText(r: ExploreResult): string {
  const out: string[] = [];
  const title = r.model === "tsync" ? `TSYNC, variant ${r.variant}` : "libpsx per-thread broadcast";
  out.push(`${title}: ${describeSettings(r)}`);
  if (r.status === "ok") {
    out.push(`whole space explored: ${statsLine(r)}`);
    out.push(`every invariant holds: ${listInvariants().filter((i) => i.kind !== "livelock").map((i) => i.name).join(", ")} (deadlock and livelock)`);
    const v = listVariants().find((x) => x.name === r.variant);
    if (v && v.kind !== "correct") {
      const e = v.exposedBy;
      const flags = [`--threads ${e.threads}`, e.spawn ? "--spawn" : "", e.exit ? "--exit" : "", e.enomem ? "--enomem" : "", e.concurrent ? "--concurrent" : ""].filter(Boolean).join(" ");
      out.push(`note: the flaw of variant ${v.name} shows with: ${flags}`);
    }
  } else if (r.status === "budget") {
    const b = r.budget!;
    out.push(`budget reached (${b.reason === "states" ? `state limit ${num(b.limit)}` : `time limit ${num(b.limit)} ms`}) before the whole space was explored`);
    out.push(`reached: ${statsLine(r)}`);
    out.push("no violation found so far; raise --max-states / --timeout-ms or shrink the configuration to get an answer");
  } else {
    const v = r.violation!;
    out.push(`INVARIANT VIOLATED: ${v.invariant}${v.kind ? ` (${v.kind})` : ""}: ${v.description}`);
    out.push(v.message);
    out.push(`explored before stopping: ${statsLine(r)}`);
    out.push("");
    out.push(`counterexample: ${v.steps} step${v.steps === 1 ? "" : "s"}${v.minimal ? ", minimal (no shorter run violates an invariant)" : ""}`);
    out.push(renderExploreLanes(v.trace, v.lanes, v.loopStartEvent !== undefined ? { loopStartEvent: v.loopStartEvent } : {}));
    out.push("");
    out.push(`at the end: ${v.final.map((t) => `${t.thread} ${t.status === "exited" ? "exited" : t.domain ? `domain ${t.domain}` : "no domain"}${t.status === "exiting" ? " (exiting)" : ""}`).join(", ")}`);
  }
  return out.join("\n") + "\n";
}

function formatVariants(format: "text" | "json"): string {
  const variants = listVariants();
  if (format === "json") return JSON.stringify(variants, null, 2) + "\n";
  const lines = variants.map((v) => {
    const e = v.exposedBy;
    const flags = [`--threads ${e.threads}`, e.spawn ? "--spawn" : "", e.exit ? "--exit" : "", e.enomem ? "--enomem" : "", e.concurrent ? "--concurrent" : ""].filter(Boolean).join(" ");
    return `${v.name.padEnd(24)} ${v.kind.padEnd(8)} ${v.description}\n${"".padEnd(33)}${v.kind === "correct" ? "try" : "flaw shows with"}: ${flags}`;
  });
  return lines.join("\n") + "\n";
}

function progressReporter(): ((p: ExploreProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (p) => {
    process.stderr.write(`\rexploring: ${num(p.states)} states, depth ${p.depth}, ${(p.elapsedMs / 1000).toFixed(0)} s   `);
  };
}

/** Runs `landlock-sim explore` with the arguments after `explore`; prints to stdout and returns the exit code. */
export async function exploreCommand(argv: string[]): Promise<number> {
  let parsed: Parsed | "help";
  try {
    parsed = parse(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`landlock-sim explore: ${e.message}\n(see landlock-sim explore --help)\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (parsed === "help") {
    process.stdout.write(EXPLORE_HELP);
    return EXIT_OK;
  }
  if (parsed.listVariants) {
    process.stdout.write(formatVariants(parsed.format));
    return EXIT_OK;
  }
  const wrong = parsed.model === "tsync" ? parsed.psxOnly : parsed.tsyncOnly;
  if (wrong.length > 0) {
    process.stderr.write(`landlock-sim explore: ${wrong.join(", ")} ${wrong.length === 1 ? "does" : "do"} not apply to ${parsed.model}\n`);
    return EXIT_USAGE;
  }
  const progress = parsed.format === "text" ? progressReporter() : undefined;
  let result: ExploreResult;
  try {
    const withProgress = progress ? { onProgress: progress } : {};
    result = parsed.model === "tsync" ? exploreTsync({ ...parsed.tsync, ...withProgress }) : explorePsx({ ...parsed.psx, ...withProgress });
  } catch (e) {
    if (e instanceof ExploreOptionsError) {
      process.stderr.write(`landlock-sim explore: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  } finally {
    if (progress) process.stderr.write("\r\x1b[K");
  }
  process.stdout.write(parsed.format === "json" ? JSON.stringify(result, null, 2) + "\n" : formatExploreText(result));
  return result.status === "ok" ? EXIT_OK : result.status === "violation" ? EXIT_VIOLATION : EXIT_BUDGET;
}
