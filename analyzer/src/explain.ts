// Explanations: the simulator runs a finding's scenario only when someone asks (a hover,
// `--explain`, the Simulate button) and within a time budget. The scenarios the checks
// build are small and bounded, so a run is a few milliseconds; the budget guards against
// hand-edited or oversized scenarios.

import { renderText, runScenario, validateScenario, type Abi, type Erratum, type Trace } from "@landlock-lint/simulator";
import type { Finding } from "./findings.js";

export interface ExplainOptions {
  /** Time the explanation may take. Scenarios bigger than this allows are not run. Default 2000 ms. */
  budgetMs?: number;
  format?: "text" | "markdown";
  /** Width of the lane rendering. Default 100. */
  width?: number;
  /** Override the scenario's kernel (e.g. "what happens on ABI 8"). */
  abi?: number;
  errata?: number[];
}

export interface Explanation {
  /** Lanes and summary sentences, ready to show. */
  text: string;
  /** The simulator's plain-language consequences ("t40 can still read /etc/shadow"). */
  summary: string[];
  trace?: Trace;
  elapsedMs: number;
  /** False when the run took longer than the budget, or was not attempted because it would. */
  withinBudget: boolean;
  /** Why there is no simulation (no scenario, invalid scenario, simulator failure). */
  error?: string;
}

/** Steps the simulator gets through per millisecond, conservatively: bounds what a budget allows. */
const STEPS_PER_MS = 20;
const MIN_STEPS = 64;

export function explainFinding(finding: Finding, options: ExplainOptions = {}): Explanation {
  const budgetMs = options.budgetMs ?? 2000;
  const format = options.format ?? "text";
  const started = Date.now();
  const done = (partial: Omit<Explanation, "elapsedMs" | "withinBudget">, withinBudget = true): Explanation => {
    const elapsedMs = Date.now() - started;
    return { ...partial, elapsedMs, withinBudget: withinBudget && elapsedMs <= budgetMs };
  };
  const header = format === "markdown" ? `**${finding.ruleId}**: ${finding.message}` : `${finding.ruleId}: ${finding.message}`;
  if (!finding.scenario) return done({ text: header, summary: [], error: "this finding has no scenario to simulate" });
  const steps = Array.isArray(finding.scenario.steps) ? finding.scenario.steps.length : 0;
  if (steps > Math.max(MIN_STEPS, budgetMs * STEPS_PER_MS)) {
    return done({ text: header, summary: [], error: `the scenario (${steps} steps) does not fit in a budget of ${budgetMs} ms` }, false);
  }
  const validated = validateScenario(finding.scenario);
  if (!validated.ok) {
    const shown = validated.errors.slice(0, 5).map((e) => `${e.path}: ${e.message}`);
    const more = validated.errors.length > 5 ? ` (and ${validated.errors.length - 5} more)` : "";
    return done({ text: header, summary: [], error: `the finding's scenario is invalid: ${shown.join("; ")}${more}` });
  }
  const scenario = validated.scenario;
  let trace: Trace;
  try {
    trace = runScenario(scenario, {
      ...(options.abi !== undefined ? { abi: Math.max(1, Math.min(11, options.abi)) as Abi } : {}),
      ...(options.errata !== undefined ? { errata: options.errata.filter((e): e is Erratum => e === 1 || e === 2 || e === 3) } : {}),
    });
  } catch (e) {
    return done({ text: header, summary: [], error: `the simulator failed: ${e instanceof Error ? e.message : String(e)}` });
  }
  const lanes = renderText(trace, { width: options.width ?? 100 });
  const summary = trace.summary;
  // The lane rendering ends with the simulator's own summary ("What this means").
  const text = format === "markdown" ? [header, "", "```text", lanes.trimEnd(), "```"].join("\n") : [header, "", lanes.trimEnd()].join("\n");
  return done({ text, summary, trace });
}
