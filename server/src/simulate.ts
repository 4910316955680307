// The `landlock/simulate` request and the Simulate command/lens: the scenario behind the
// finding at a position (or, for a restrict_self call without a finding, the call as
// written), run by the simulator, returned as the trace (JSON), text lanes and the HTML
// timeline.

import { basename } from "node:path";
import type { Position as LspPosition, Range as LspRange } from "vscode-languageserver";
import type { Finding, Settings } from "@landlock-lint/analyzer";
import { renderHtml, renderJson, renderText, runScenario, validateScenario, type Scenario, type Trace } from "@landlock-lint/simulator";
import { rangeContains, toLspRange } from "./convert.js";
import type { OpenDocument } from "./documents.js";
import type { DocumentStates } from "./state.js";
import { cleanCallScenario, siteAt, type RestrictSite } from "./sites.js";

export interface SimulateParams {
  textDocument: { uri: string };
  position: LspPosition;
}

export interface SimulationResult {
  title: string;
  /** The finding simulated; absent for a call without a finding. */
  ruleId?: string;
  message?: string;
  range: LspRange;
  scenario: Scenario;
  /** The simulator's trace as its JSON rendering (one lane per thread, events, domains). */
  trace: unknown;
  text: string;
  html: string;
  summary: string[];
}

/** What sits at a position: findings first (most specific range first), then a restrict_self call. */
export function targetsAt(states: DocumentStates, doc: OpenDocument, position: LspPosition): { findings: Finding[]; site?: RestrictSite } {
  const analysis = states.analysis(doc);
  const contains = (r: Parameters<typeof rangeContains>[0]) => rangeContains(r, position);
  const findings = analysis.report.findings.filter((f) => contains(f.range)).sort((a, b) => a.range.end.offset - a.range.start.offset - (b.range.end.offset - b.range.start.offset));
  if (findings.length > 0) return { findings };
  // A finding's range is the callee name; the cursor may be elsewhere on its call.
  const site = siteAt(states.sites(doc), contains);
  if (!site) return { findings: [] };
  const onCall = analysis.report.findings.filter((f) => f.range.start.offset >= site.op.range.start.offset && f.range.end.offset <= site.op.range.end.offset);
  return onCall.length > 0 ? { findings: onCall, site } : { findings: [], site };
}

export function simulateAt(states: DocumentStates, doc: OpenDocument, position: LspPosition, settings: () => Settings): SimulationResult | undefined {
  const { findings, site } = targetsAt(states, doc, position);
  const finding = findings.find((f) => f.scenario) ?? findings[0];
  if (finding) {
    const x = states.explain(doc, finding);
    if (!x.trace || !finding.scenario) throw new Error(x.error ?? `no simulation for ${finding.ruleId}`);
    return result(`${finding.ruleId}: ${finding.message}`, finding.scenario, x.trace, toLspRange(finding.range), finding);
  }
  if (!site) return undefined;
  const scenario = cleanCallScenario(site, settings(), basename(doc.path ?? doc.uri));
  const checked = validateScenario(scenario);
  if (!checked.ok) throw new Error(`the scenario of this call is invalid: ${checked.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
  const trace = runScenario(checked.scenario);
  return result(`${site.op.api}: no finding`, checked.scenario, trace, toLspRange(site.op.calleeRange));
}

function result(title: string, scenario: Scenario, trace: Trace, range: LspRange, finding?: Finding): SimulationResult {
  return {
    title,
    ...(finding ? { ruleId: finding.ruleId, message: finding.message } : {}),
    range,
    scenario,
    trace: JSON.parse(renderJson(trace)),
    text: renderText(trace, { width: 100 }),
    html: renderHtml(trace),
    summary: trace.summary,
  };
}
