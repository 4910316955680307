// Lints one file's text: analysis, then (with --fix / --fix-dry-run) automatic fixes
// applied and the text analysed again until nothing more applies, then (with --explain)
// the simulated consequence of each remaining finding. No file system access: the caller
// reads and writes, so this runs unchanged in a worker thread.

import { resolve } from "node:path";
import type { Fix, TextEdit } from "../findings.js";
import type { Engine } from "./engine.js";
import type { LintedFile, ReportedFinding } from "./result.js";

/** ESLint's bound: fixes that keep producing new fixes stop after this many passes. */
export const MAX_FIX_PASSES = 10;
export const EXPLAIN_BUDGET_MS = 2000;

export interface LintRequest {
  path: string;
  text: string;
  fix: boolean;
  explain: boolean;
}

export type LintResponse =
  | {
      ok: true;
      file: LintedFile;
      fixedText?: string;
      /** Parts of the analysis that could not run (front-end failure, budget exceeded). */
      problems: { path: string; message: string }[];
    }
  | { ok: false; path: string; message: string };

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Touching edits count as overlapping: their order would be ambiguous.
  return a.range.start.offset <= b.range.end.offset && b.range.start.offset <= a.range.end.offset;
}

/** Whole fixes that can be applied together: each in this file, none touching another. */
export function selectFixes(path: string, fixes: readonly Fix[]): TextEdit[] {
  const taken: TextEdit[] = [];
  for (const fix of fixes) {
    if (fix.kind !== "fix" || fix.edits.length === 0) continue;
    if (fix.edits.some((e) => resolve(e.file) !== path)) continue;
    if (fix.edits.some((e) => taken.some((t) => overlaps(e, t)))) continue;
    taken.push(...fix.edits);
  }
  return taken;
}

export function lintSource(engine: Engine, request: LintRequest): LintResponse {
  const { path } = request;
  try {
    let text = request.text;
    let report = engine.analyze(path, text);
    let fixPasses = 0;
    if (request.fix) {
      while (fixPasses < MAX_FIX_PASSES) {
        const edits = selectFixes(path, report.findings.flatMap((f) => f.fixes));
        if (edits.length === 0) break;
        const fixed = engine.applyFixes(text, edits);
        if (fixed === text) break;
        text = fixed;
        fixPasses++;
        report = engine.analyze(path, text);
      }
    }
    const findings: ReportedFinding[] = report.findings.map((finding) =>
      request.explain ? { ...finding, explanation: explainSafely(engine, finding) } : { ...finding },
    );
    const file: LintedFile = { path, language: report.language, parseErrors: report.parseErrors, findings };
    if (report.suppressions?.unused.length) file.unusedSuppressions = report.suppressions.unused;
    const problems = (report.errors ?? []).map((e) => ({ path: resolve(e.file), message: e.message }));
    return { ok: true, file, ...(fixPasses > 0 ? { fixedText: text } : {}), problems };
  } catch (error) {
    return { ok: false, path, message: `internal error while analysing (please report it): ${(error as Error).message ?? String(error)}` };
  }
}

function explainSafely(engine: Engine, finding: ReportedFinding): string {
  try {
    return engine.explain(finding, EXPLAIN_BUDGET_MS);
  } catch (error) {
    return `(could not simulate this finding: ${(error as Error).message})`;
  }
}
