// Baselines: `--write-baseline FILE` records the current findings by fingerprint;
// `--baseline FILE` then reports only findings whose fingerprint is not recorded. The
// fingerprint names the rule, the file (project-relative), the function and the call text,
// not the line, so a baseline survives edits that move code around it. Recorded findings
// that no longer occur are counted, so a stale baseline can be refreshed.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { LintRun } from "./result.js";
import { reportPath } from "./report-paths.js";

export const BASELINE_FORMAT = 1;

export interface BaselineEntry {
  fingerprint: string;
  /** For people reading the file; matching uses the fingerprint alone. */
  ruleId: string;
  file: string;
  line: number;
  message: string;
}

export interface Baseline {
  landlockLintBaseline: number;
  findings: BaselineEntry[];
}

export class BaselineError extends Error {
  override name = "BaselineError";
}

/** The run's findings as a baseline (stable order, paths relative to the run's directory). */
export function baselineOf(run: LintRun): Baseline {
  const findings = run.files
    .flatMap((file) => file.findings)
    .filter((finding) => finding.fingerprint !== "")
    .map((finding) => ({
      fingerprint: finding.fingerprint,
      ruleId: finding.ruleId,
      file: reportPath(run.cwd, finding.file),
      line: finding.range.start.line,
      message: finding.message,
    }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)));
  return { landlockLintBaseline: BASELINE_FORMAT, findings };
}

export function writeBaseline(path: string, run: LintRun): number {
  const baseline = baselineOf(run);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(baseline, null, 2) + "\n");
  } catch (error) {
    throw new BaselineError(`cannot write the baseline ${path}: ${(error as Error).message}`);
  }
  return baseline.findings.length;
}

/** Reads and checks a baseline; problems name the file and the JSON path. */
export function readBaseline(path: string, shownAs = path): Baseline {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BaselineError(
      code === "ENOENT" ? `${shownAs}: no such baseline file (create one with --write-baseline ${shownAs})` : `cannot read the baseline ${shownAs}: ${(error as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`${shownAs}: not valid JSON: ${(error as Error).message}`);
  }
  const fail = (where: string, problem: string): never => {
    throw new BaselineError(`${shownAs}: ${where}: ${problem}`);
  };
  if (data === null || typeof data !== "object" || Array.isArray(data)) fail("(top level)", "expected an object with landlockLintBaseline and findings");
  const record = data as Record<string, unknown>;
  if (record.landlockLintBaseline !== BASELINE_FORMAT) {
    fail("landlockLintBaseline", `expected ${BASELINE_FORMAT} (a baseline written by --write-baseline), got ${JSON.stringify(record.landlockLintBaseline)}`);
  }
  if (!Array.isArray(record.findings)) fail("findings", "expected an array");
  const findings = (record.findings as unknown[]).map((entry, i): BaselineEntry => {
    if (entry === null || typeof entry !== "object") return fail(`findings[${i}]`, "expected an object");
    const e = entry as Record<string, unknown>;
    if (typeof e.fingerprint !== "string" || e.fingerprint === "") return fail(`findings[${i}].fingerprint`, "expected a non-empty string");
    return {
      fingerprint: e.fingerprint,
      ruleId: typeof e.ruleId === "string" ? e.ruleId : "",
      file: typeof e.file === "string" ? e.file : "",
      line: typeof e.line === "number" ? e.line : 0,
      message: typeof e.message === "string" ? e.message : "",
    };
  });
  return { landlockLintBaseline: BASELINE_FORMAT, findings };
}

export interface BaselineOutcome {
  run: LintRun;
  /** Findings left out because the baseline has them. */
  matched: number;
  /** Baseline entries no finding matched (fixed, or changed beyond recognition). */
  stale: number;
}

/**
 * The run without the findings the baseline records. Each entry absorbs one finding, so a
 * second copy of a recorded problem (same fingerprint after an edit) is still reported.
 */
export function applyBaseline(run: LintRun, baseline: Baseline): BaselineOutcome {
  const remaining = new Map<string, number>();
  for (const entry of baseline.findings) remaining.set(entry.fingerprint, (remaining.get(entry.fingerprint) ?? 0) + 1);
  let matched = 0;
  const files = run.files.map((file) => ({
    ...file,
    findings: file.findings.filter((finding) => {
      const left = remaining.get(finding.fingerprint) ?? 0;
      if (left === 0) return true;
      remaining.set(finding.fingerprint, left - 1);
      matched++;
      return false;
    }),
  }));
  const stale = [...remaining.values()].reduce((sum, n) => sum + n, 0);
  return { run: { ...run, files }, matched, stale };
}
