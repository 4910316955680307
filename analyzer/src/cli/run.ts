// One CLI run: parse the arguments, collect the files, settle each file's settings, lint
// (through the cache, in this thread or in workers), write fixes, format, and choose the
// exit code. Everything the outside world provides comes in through CliIo, so the run can
// be driven in-process as well as from the bin.

import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { ConfigError, mergeSettings, readConfigFile } from "../config.js";
import { RULE_NAMES, type RuleName } from "../findings.js";
import { DEFAULT_SETTINGS, type Settings } from "../settings.js";
import { ResultCache, hashText, stableStringify } from "./cache.js";
import { shouldUseColor } from "./color.js";
import { loadEngine, type Engine, type EngineOptions } from "./engine.js";
import { EXIT_TROUBLE, exitCodeFor, tooManyWarnings } from "./exit-code.js";
import { loadFormatters } from "./formats/registry.js";
import { inProcessLane, workerLanes, type Lane, type WorkerLane } from "./linters.js";
import type { LintRequest, LintResponse } from "./lint-source.js";
import { helpText, parseArguments, UsageError, type CliOptions } from "./options.js";
import { createProgress, progressEnabled } from "./progress.js";
import { errorsOnly, isAutoFixable, sortRun, type LintedFile, type RunError } from "./result.js";
import { prepareAdoption } from "./adoption.js";
import { describeWriteError, encodeSource, readSourceFile } from "./source.js";
import { buildStamp, toolVersion } from "./version.js";
import { collectFiles, displayPath } from "./walk.js";

export interface OutputStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface CliIo {
  cwd: string;
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  /** URL of the engine module (default: the analyzer's). */
  engineModule?: string;
}

export const DEFAULT_ENGINE_MODULE = new URL("./analysis-engine.js", import.meta.url).href;

/**
 * Below this many files, one thread is as fast: a worker pays the analyzer's start-up
 * (modules, WebAssembly grammars, about 0.3-0.4 s of CPU) before its first file, the
 * work of some 50 files. Measured in docs/cli.md ("Parallel runs").
 */
export const PARALLEL_THRESHOLD = 200;
const MAX_LANES = 8;

const CLI_SETTING_FLAGS: Record<string, string> = { targetAbi: "--target-abi", errata: "--errata", rules: "--rule" };

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (message: string): number => {
    io.stderr.write(`landlock-lint: ${message}\n`);
    return EXIT_TROUBLE;
  };
  try {
    return await run(argv, io, fail);
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    if (error instanceof ConfigError) {
      const where = error.file === undefined ? "" : `${displayPath(io.cwd, error.file)}: `;
      return fail(error.problems.map((p) => `${where}${p.key ? `${p.key}: ` : ""}${p.problem}`).join("\n"));
    }
    return fail(`fatal: ${(error as Error).stack ?? String(error)}`);
  }
}

async function run(argv: readonly string[], io: CliIo, fail: (message: string) => number): Promise<number> {
  const formatters = await loadFormatters();
  const formatNames = [...formatters.keys()];
  // Help and version must work without loading the analysis (and fast).
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout.write(helpText(formatNames));
    return 0;
  }
  if (argv.includes("--version") || argv.includes("-v")) {
    io.stdout.write(`${toolVersion()}\n`);
    return 0;
  }
  const options = parseArguments(argv, { ruleNames: RULE_NAMES, formats: formatNames });
  const adoption = prepareAdoption(io.cwd, options);
  const engineOptions: EngineOptions = { flags: settingsFromFlags(options), maxFileBytes: options.maxFileSize, ...(options.goBuildTags ? { goBuildTags: options.goBuildTags } : {}) };
  if (options.config !== undefined) {
    engineOptions.configFile = resolve(io.cwd, options.config);
    readConfigFile(engineOptions.configFile); // a bad --config is fatal: ConfigError names the file, key and problem
  }
  const engineModule = io.engineModule ?? DEFAULT_ENGINE_MODULE;
  const engine = await loadEngine(engineModule, engineOptions);

  const collected = collectFiles(options.patterns, { cwd: io.cwd, extensions: new Set(engine.extensions) });
  const errors: RunError[] = [...collected.errors];
  const jobs = settleSettings(engine, collected.files, errors);

  const cache = options.cache ? ResultCache.open(cacheDirectory(engine, io.cwd, options), buildStamp()) : undefined;
  const started = performance.now();
  const { files, stats } = await lintAll(jobs, options, io, engine, { module: engineModule, options: engineOptions }, cache, errors);
  if (options.stats) {
    const misses = jobs.length - stats.cacheHits;
    const cacheText = cache ? `, cache: ${stats.cacheHits} hit${stats.cacheHits === 1 ? "" : "s"}, ${misses} miss${misses === 1 ? "" : "es"}` : "";
    io.stderr.write(
      `landlock-lint: ${jobs.length} file${jobs.length === 1 ? "" : "s"} in ${stats.projects} project${stats.projects === 1 ? "" : "s"}, ` +
        `${stats.workers} worker thread${stats.workers === 1 ? "" : "s"}${cacheText}, ${Math.round(performance.now() - started)} ms\n`,
    );
  }
  try {
    cache?.save();
  } catch (error) {
    io.stderr.write(`landlock-lint: warning: could not write the cache: ${(error as Error).message}\n`);
  }

  const adopted = adoption.apply(sortRun({ cwd: io.cwd, files, errors }));
  for (const note of adopted.notes) io.stderr.write(`landlock-lint: ${note}\n`);
  const run = adopted.run;
  const formatter = formatters.get(options.format)!;
  const tooMany = tooManyWarnings(run, options.maxWarnings);
  const report = await formatter.format(options.quiet ? errorsOnly(run) : run, {
    color: options.outputFile === undefined && shouldUseColor(options.color, io.stdout.isTTY === true, io.env),
    toolVersion: toolVersion(),
    tooManyWarnings: tooMany,
    maxWarnings: options.maxWarnings,
    sarifAbsolutePaths: options.sarifAbsolutePaths === true,
  });
  if (options.outputFile !== undefined) {
    const target = resolve(io.cwd, options.outputFile);
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, report);
    } catch (error) {
      return fail(`cannot write --output-file ${options.outputFile}: ${(error as Error).message}`);
    }
  } else {
    io.stdout.write(report);
  }
  if (tooMany) io.stderr.write(`landlock-lint found too many warnings (maximum: ${options.maxWarnings}).\n`);
  return exitCodeFor(run, options.maxWarnings);
}

/** The flags' settings, checked against the settings schema (a bad value names its flag). */
function settingsFromFlags(options: CliOptions): Partial<Settings> {
  const partial: Partial<Settings> = {};
  if (options.targetAbi !== undefined) partial.targetAbi = options.targetAbi;
  if (options.errata !== undefined) partial.errata = options.errata;
  if (Object.keys(options.rules).length > 0) partial.rules = options.rules as Partial<Record<RuleName, Settings["rules"][RuleName]>>;
  try {
    mergeSettings(DEFAULT_SETTINGS, partial);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problem = error.problems[0]!;
    const flag = CLI_SETTING_FLAGS[problem.key.split(/[.[]/)[0]!] ?? problem.key;
    throw new UsageError(`${flag}: ${problem.problem}`);
  }
  return partial;
}

interface Job {
  path: string;
  /** Its project root: the files of one project are linted together. */
  root: string;
  settings: Settings;
}

/**
 * Each file's settings: defaults < its config file (or --config) < flags. A broken config
 * file is reported once, with the number of files it kept from being analysed.
 */
function settleSettings(engine: Engine, files: readonly string[], errors: RunError[]): Job[] {
  const jobs: Job[] = [];
  const broken = new Map<string, { message: string; files: number }>();
  for (const path of files) {
    try {
      jobs.push({ path, root: engine.projectRoot(path), settings: engine.settingsFor(path) });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const key = error.file ?? path;
      const entry = broken.get(key) ?? { message: error.problems.map((p) => (p.key ? `${p.key}: ${p.problem}` : p.problem)).join("; "), files: 0 };
      entry.files++;
      broken.set(key, entry);
    }
  }
  for (const [file, { message, files: count }] of broken) {
    errors.push({ path: file, message: `invalid configuration: ${message} (${count} file${count === 1 ? "" : "s"} not analysed)` });
  }
  return jobs;
}

function cacheDirectory(engine: Engine, cwd: string, options: CliOptions): string {
  if (options.cacheLocation !== undefined) return resolve(cwd, options.cacheLocation);
  return join(engine.projectRoot(cwd), "node_modules", ".cache", "landlock-lint");
}

/**
 * Files grouped by project, largest group first (ties by root, so every run has the same
 * order). A project is analysed as a whole (every file sees the others), so each group
 * stays on one lane: splitting a project across workers would make each worker repeat the
 * whole-project analysis. Largest first, so the last projects to finish are small ones.
 */
function groupByProject(jobs: readonly Job[]): Job[][] {
  const groups = new Map<string, Job[]>();
  for (const job of jobs) {
    const group = groups.get(job.root);
    if (group) group.push(job);
    else groups.set(job.root, [job]);
  }
  return [...groups.values()].sort((a, b) => b.length - a.length || (a[0]!.root < b[0]!.root ? -1 : a[0]!.root > b[0]!.root ? 1 : 0));
}

/** Lanes to lint on: the main thread is one, each further lane is a worker thread. */
function laneCount(options: CliOptions, groups: number, jobs: number): number {
  if (options.concurrency === "off" || groups < 2) return 1;
  if (typeof options.concurrency === "number") return Math.max(1, Math.min(options.concurrency, groups));
  if (jobs < PARALLEL_THRESHOLD) return 1;
  return Math.max(1, Math.min(availableParallelism(), MAX_LANES, groups));
}

/**
 * Projects a worker holds at once while many remain: the one it analyses and the next, so
 * it starts that one without waiting for this thread, which answers only between its own
 * files. Near the end one at a time, so no project waits in a busy worker while a lane idles.
 */
const WORKER_QUEUE_DEPTH = 2;

interface LintStats {
  projects: number;
  /** Worker threads used (0: everything ran in the main thread). */
  workers: number;
  cacheHits: number;
}

/** A file of a project being linted: what its response is written and cached with. */
interface PendingFile {
  job: Job;
  hadBom: boolean;
  /** With --cache: the entry's content hash, settings key and project fingerprint. */
  cacheEntry?: { content: string; key: string; project: string };
}

async function lintAll(
  jobs: readonly Job[],
  options: CliOptions,
  io: CliIo,
  engine: Engine,
  workerEngine: { module: string; options: EngineOptions },
  cache: ResultCache | undefined,
  errors: RunError[],
): Promise<{ files: LintedFile[]; stats: LintStats }> {
  const groups = groupByProject(jobs);
  const mainLane = inProcessLane(engine);
  const workers = workerLanes(laneCount(options, groups.length, jobs.length) - 1, workerEngine.module, workerEngine.options, mainLane);
  const laneTotal = workers.length + 1;
  const progress = createProgress(jobs.length, io.stderr, progressEnabled(options.progress, io.stderr, io.env));
  const fix = options.fix || options.fixDryRun;
  const stats: LintStats = { projects: groups.length, workers: workers.length, cacheHits: 0 };
  // Each project's results in its own slot, joined in project order at the end: the run is
  // assembled in the same order whichever lane linted which project.
  const filesOf: LintedFile[][] = groups.map(() => []);
  const errorsOf: RunError[][] = groups.map(() => []);
  let next = 0;

  /** Reads a project's files and takes what the cache holds; the rest become requests. */
  const prepare = (g: number): { requests: LintRequest[]; pending: PendingFile[] } => {
    const requests: LintRequest[] = [];
    const pending: PendingFile[] = [];
    for (const job of groups[g]!) {
      const source = readSourceFile(job.path, options.maxFileSize);
      if (!source.ok) {
        errorsOf[g]!.push({ path: job.path, message: source.message });
        progress.tick();
        continue;
      }
      let cacheEntry: PendingFile["cacheEntry"];
      if (cache) {
        const key = hashText(stableStringify({ settings: job.settings, explain: options.explain, ...(options.goBuildTags ? { goBuildTags: options.goBuildTags } : {}) }));
        const contentHash = hashText(encodeSource(source.text, source.hadBom));
        cache.noteContent(job.path, contentHash);
        const project = cache.projectFingerprint(job.root, () => engine.projectFiles(job.root));
        const cached = cache.lookup(job.path, contentHash, key, project);
        // A cached result with an applicable fix still has to be fixed.
        if (cached && !(fix && cached.findings.some(isAutoFixable))) {
          filesOf[g]!.push(cached);
          stats.cacheHits++;
          progress.tick();
          continue;
        }
        cacheEntry = { content: contentHash, key, project };
      }
      requests.push({ path: job.path, text: source.text, fix, explain: options.explain });
      pending.push({ job, hadBom: source.hadBom, ...(cacheEntry ? { cacheEntry } : {}) });
    }
    return { requests, pending };
  };

  const complete = (g: number, { job, hadBom, cacheEntry }: PendingFile, response: LintResponse): void => {
    if (!response.ok) {
      errorsOf[g]!.push({ path: response.path, message: response.message });
      return;
    }
    const file = response.file;
    errorsOf[g]!.push(...response.problems);
    if (response.fixedText === undefined) {
      // Incomplete results (budget exceeded) depend on timing: never reuse them. Fixed
      // files are not stored either: the project they were fingerprinted with has changed.
      if (cache && cacheEntry && response.problems.length === 0) cache.store(job.path, cacheEntry.content, cacheEntry.key, cacheEntry.project, file);
    } else if (options.fixDryRun) {
      file.output = encodeSource(response.fixedText, hadBom);
    } else {
      try {
        writeFileSync(job.path, encodeSource(response.fixedText, hadBom));
      } catch (error) {
        errorsOf[g]!.push({ path: job.path, message: describeWriteError(error) });
        return;
      }
    }
    filesOf[g]!.push(file);
  };

  const lintGroup = (lane: Lane, g: number): Promise<void> => {
    const { requests, pending } = prepare(g);
    return lane.lintProject(requests, (index, response) => {
      complete(g, pending[index]!, response);
      progress.tick();
    });
  };

  const mainLoop = async (): Promise<void> => {
    while (next < groups.length) await lintGroup(mainLane, next++);
  };
  const workerLoop = async (worker: WorkerLane): Promise<void> => {
    const held = new Set<Promise<void>>();
    while (next < groups.length) {
      // While it loads the analyzer, a worker holds one project (this thread, loaded
      // already, takes the others meanwhile); then a second one while many remain.
      const depth = worker.isReady && groups.length - next > laneTotal ? WORKER_QUEUE_DEPTH : 1;
      if (held.size < depth) {
        const done: Promise<void> = lintGroup(worker, next++).finally(() => held.delete(done));
        held.add(done);
      } else {
        await Promise.race(worker.isReady ? held : [...held, worker.ready]);
      }
    }
    await Promise.all(held);
  };
  try {
    // Workers first: the largest projects go to them, this thread takes the next ones.
    await Promise.all([...workers.map(workerLoop), mainLoop()]);
  } finally {
    progress.done();
    await Promise.all(workers.map((lane) => lane.close()));
  }
  for (const g of groups.keys()) errors.push(...errorsOf[g]!);
  return { files: filesOf.flat(), stats };
}
