// A finding's simulated consequence as SARIF thread flows: the simulator runs the
// finding's scenario and every lane of the trace (one per thread) becomes a threadFlow
// whose steps are that thread's events, in the global order of the run (executionOrder),
// so a viewer can interleave the lanes as the simulator did.
//
// Scenario steps are synthetic (the scenario stands for the program, it is not the
// program), so an event is placed in the source this way: the step's own `source` when
// the scenario builder recorded one; a thread start at the related location of that
// spawn; the enforcement call at the finding itself; anything else a spawned thread does
// at the place the thread was started; the rest at the finding.

import type { Scenario, Step, Trace, TraceEvent } from "@landlock-lint/simulator";
import { explainFinding } from "../explain.js";
import type { Finding } from "../findings.js";
import type { Range } from "../ir.js";

/** A place in the source, as the CI formats need it (1-based line, 0-based column). */
export interface SourcePlace {
  file: string;
  range: Range;
}

export interface ThreadLane {
  /** Thread name in the scenario (unique within the flow). */
  id: string;
  /** What the thread is: "main thread", "pthread_create at line 103", ... */
  label: string;
  steps: LaneStep[];
}

export interface LaneStep {
  /** Position of the event in the whole run (1-based). */
  order: number;
  place: SourcePlace;
  message: string;
  /** Protocol sub-steps (TSYNC task_work, libpsx handler): shown nested and unimportant. */
  internal: boolean;
  /** The step at the finding's own location (the enforcement call). */
  atFinding: boolean;
  domainAfter?: string | null;
}

export interface SimulatedFlow {
  /** The simulator's conclusions ("t103 is not in any domain: it can still open /etc/shadow."). */
  summary: string[];
  lanes: ThreadLane[];
}

export const THREAD_FLOW_BUDGET_MS = 2000;

type StepSource = { file: string; line: number; column?: number };

function sourceOf(step: Step | undefined): StepSource | undefined {
  const source = (step as { source?: unknown } | undefined)?.source as Partial<StepSource> | undefined;
  if (!source || typeof source.file !== "string" || typeof source.line !== "number" || source.line < 1) return undefined;
  return { file: source.file, line: source.line, ...(typeof source.column === "number" ? { column: source.column } : {}) };
}

function pointAt(file: string, line: number, column: number): SourcePlace {
  const position = { line, column, offset: 0 };
  return { file, range: { start: position, end: position } };
}

/** The line a thread was started at, from its name (`t103`) or its spawn label ("... at line 103"). */
function spawnLine(thread: string, label: string | undefined): number | undefined {
  const fromLabel = label === undefined ? undefined : /\bat line (\d+)\b/.exec(label)?.[1];
  const fromName = /^t(\d+)(?:[a-z])?(?:_\d+)?$/.exec(thread)?.[1];
  const line = Number(fromLabel ?? fromName);
  return Number.isInteger(line) && line > 0 ? line : undefined;
}

/** Where each spawned thread was started, from the finding's related locations. */
function spawnPlaces(finding: Finding, scenario: Scenario): Map<string, SourcePlace> {
  const places = new Map<string, SourcePlace>();
  scenario.steps.forEach((step) => {
    if (step.op !== "spawn_thread" && step.op !== "fork") return;
    const name = step.op === "spawn_thread" ? step.new : step.child;
    const own = sourceOf(step);
    if (own) {
      places.set(name, pointAt(own.file, own.line, own.column ?? 0));
      return;
    }
    const line = spawnLine(name, step.label);
    if (line === undefined) return;
    const candidates = finding.related.filter((r) => r.range.start.line === line);
    const related = candidates.find((r) => /thread|spawn|start|fork/i.test(r.message)) ?? candidates[0];
    if (related) places.set(name, { file: related.file, range: related.range });
  });
  return places;
}

function describe(event: TraceEvent): string {
  const result = event.result === "ok" ? "succeeds" : event.result === "skipped" ? "is skipped" : `returns ${event.result}`;
  const parts = [`${event.call} ${result}`];
  if (event.note) parts.push(event.note);
  return parts.join(": ");
}

function laneLabel(thread: string, process: string, mainThread: string, spawnLabels: Map<string, string>, processes: number): string {
  const base = thread === "kernel" ? "kernel deliveries" : thread === mainThread ? "main thread" : (spawnLabels.get(thread) ?? thread);
  return processes > 1 && thread !== "kernel" ? `${base} (process ${process})` : base;
}

/** Lanes of a trace, placed in the source (see the module comment). */
export function lanesOf(finding: Finding, scenario: Scenario, trace: Trace): ThreadLane[] {
  const mainThread = scenario.mainThread ?? "main";
  const spawned = spawnPlaces(finding, scenario);
  const spawnLabels = new Map<string, string>();
  for (const step of scenario.steps) {
    if (step.op === "spawn_thread" && step.label) spawnLabels.set(step.new, step.label);
    if (step.op === "fork" && step.label) spawnLabels.set(step.child, step.label);
  }
  const findingPlace: SourcePlace = { file: finding.file, range: finding.range };
  const processes = new Set(trace.events.map((e) => e.process)).size;
  const lanes = new Map<string, ThreadLane>();
  for (const event of trace.events) {
    const step = event.step === undefined ? undefined : scenario.steps[event.step];
    const own = sourceOf(step);
    const startsThread = step !== undefined && (step.op === "spawn_thread" || step.op === "fork") && !event.internal;
    const startedName = step?.op === "spawn_thread" ? step.new : step?.op === "fork" ? step.child : undefined;
    const enforces = event.op === "restrict_self" && !event.internal;
    const place = own
      ? pointAt(own.file, own.line, own.column ?? 0)
      : startsThread && startedName !== undefined && spawned.has(startedName)
        ? spawned.get(startedName)!
        : enforces
          ? findingPlace
          : (spawned.get(event.thread) ?? findingPlace);
    const id = processes > 1 && event.thread !== "kernel" ? `${event.process}/${event.thread}` : event.thread;
    let lane = lanes.get(id);
    if (!lane) {
      lane = { id, label: laneLabel(event.thread, event.process, mainThread, spawnLabels, processes), steps: [] };
      lanes.set(id, lane);
    }
    const laneStep: LaneStep = {
      order: event.seq,
      place,
      message: describe(event),
      internal: event.internal === true,
      atFinding: enforces && place === findingPlace,
    };
    if (event.domainAfter !== undefined) laneStep.domainAfter = event.domainAfter;
    lane.steps.push(laneStep);
  }
  return [...lanes.values()];
}

/**
 * Runs the finding's scenario and returns its lanes; undefined when the finding has no
 * scenario or the simulation could not run (the reason is in `error`).
 */
export function simulateFlow(finding: Finding, budgetMs = THREAD_FLOW_BUDGET_MS): { flow?: SimulatedFlow; error?: string } {
  if (!finding.scenario) return { error: "this finding has no scenario to simulate" };
  const explanation = explainFinding(finding, { budgetMs });
  if (!explanation.trace) return { error: explanation.error ?? "the simulation produced no trace" };
  return { flow: { summary: explanation.summary, lanes: lanesOf(finding, finding.scenario, explanation.trace) } };
}
