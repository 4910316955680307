// One file's analysis from text to report, without a project: pick the front-end, build
// the IR (a front-end failure becomes an AnalysisError, never a crash), run the checks
// within a time budget, apply the suppression directives.

import type { AnalysisError, FileReport, Finding } from "./findings.js";
import type { IrFile, ProjectFacts } from "./ir.js";
import type { FrontEnd } from "./frontends/frontend.js";
import { FrontEndCache } from "./frontends/parse-cache.js";
import { frontEndFor } from "./frontends/registry.js";
import { DEFAULT_SETTINGS, type Settings } from "./settings.js";
import { resolveSettings } from "./config.js";
import { runChecks } from "./checks/index.js";
import { applySuppressions, parseDirectives } from "./suppressions.js";

export const DEFAULT_BUDGET_MS = 5000;

export interface AnalyzeOptions {
  budgetMs?: number;
  facts?: ProjectFacts;
  defines?: Record<string, string>;
  /** Front-ends tried before the registered ones (tests, embedders). */
  frontEnds?: readonly FrontEnd[];
  /** Trees and per-function results kept between builds (long-lived callers only). */
  cache?: FrontEndCache;
  /**
   * Without a cache of one's own: keep trees and per-function results in one process-wide
   * cache (the few most recently built files), for callers that rebuild the same file
   * after each edit (the language server's code lenses).
   */
  incremental?: boolean;
}

let sharedCache: FrontEndCache | undefined;

export type IrResult = { ok: true; ir: IrFile; frontEnd: FrontEnd } | { ok: false; error: AnalysisError; language: string };

/** The IR of one file, or why there is none. */
export function buildIr(
  text: string,
  file: string,
  settings: Settings,
  options: AnalyzeOptions = {},
): IrResult {
  const frontEnd = frontEndFor(file, options.frontEnds);
  if (!frontEnd) return { ok: false, language: "unknown", error: { file, message: "no front-end reads this kind of file" } };
  let language;
  try {
    language = frontEnd.languageOf(file);
  } catch (e) {
    return { ok: false, language: "unknown", error: { file, message: `front-end failed to pick a language: ${errorText(e)}` } };
  }
  const cache = options.cache ?? (options.incremental ? (sharedCache ??= new FrontEndCache()) : undefined);
  try {
    const ir = frontEnd.toIr(text, file, language, { settings, facts: options.facts ?? {}, defines: options.defines, ...(cache ? { cache } : {}) });
    if (ir.failed) return { ok: false, language, error: { file, message: ir.failed } };
    return { ok: true, ir, frontEnd };
  } catch (e) {
    return { ok: false, language, error: { file, message: `front-end failed: ${errorText(e)}` } };
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Turns the findings of one file into its report: suppressions applied, directives accounted for. */
export function fileReport(ir: IrFile, findings: Finding[], errors: AnalysisError[]): FileReport {
  const { directives, problems } = parseDirectives(ir.comments);
  const own = findings.filter((f) => f.file === ir.file);
  const result = applySuppressions(own, directives);
  return {
    file: ir.file,
    language: ir.language,
    findings: result.kept,
    parseErrors: ir.parseProblems.length,
    ...(errors.length ? { errors } : {}),
    suppressions: { used: result.used, unused: result.unused, problems, suppressed: result.suppressed.map((s) => s.finding) },
  };
}

/** Analyses one file on its own (no project: calls into other files are not followed). */
export function analyzeText(text: string, file: string, settings?: Partial<Settings> | Settings, options: AnalyzeOptions = {}): FileReport {
  const resolved = settings ? resolveSettings(settings) : DEFAULT_SETTINGS;
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const started = Date.now();
  const built = buildIr(text, file, resolved, options);
  if (!built.ok) return { file, language: built.language, findings: [], parseErrors: 0, errors: [built.error] };
  const errors: AnalysisError[] = [];
  const checked = safeRunChecks([built.ir], resolved, {
    textOf: (f) => (f === file ? text : undefined),
    deadline: started + budgetMs,
    budgetMs,
  });
  if (checked.incomplete) errors.push({ file, message: checked.incomplete });
  if (checked.error) errors.push({ file, message: checked.error });
  return { ...fileReport(built.ir, checked.findings, errors), dependencies: [file] };
}

/** runChecks, with an internal error turned into a message instead of an exception. */
export function safeRunChecks(...args: Parameters<typeof runChecks>): ReturnType<typeof runChecks> & { error?: string } {
  try {
    return runChecks(...args);
  } catch (e) {
    return { findings: [], error: `internal error in the checks: ${errorText(e)}` };
  }
}
