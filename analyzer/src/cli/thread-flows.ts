// A finding's simulated consequence as SARIF thread flows: the simulator runs the
// finding's scenario and every lane of the trace (one per thread) becomes a threadFlow
// whose steps are that thread's events, in the global order of the run (executionOrder),
// so a viewer can interleave the lanes as the simulator did.
//
// Scenario steps are synthetic (the scenario stands for the program, it is not the
// program), so an event is placed in the source this way: the step's own `source` when
// the scenario builder recorded one and the event is on the step's own thread (a libpsx
// handler that runs on a worker for main's call is the worker's, not main's); a thread
// start at the related location of that spawn; the enforcement call at the finding itself;
// anything else a spawned thread does at the place the thread was started; the rest at the
// finding. Places are IR ranges, so the SARIF writer converts thread-flow locations and
// result locations with the same function.

import type { Scenario, Step, Trace, TraceEvent } from "@landlock-lint/simulator";
import { explainFinding } from "../explain.js";
import type { Finding } from "../findings.js";
import type { Range } from "../ir.js";
import { locationOfSource } from "../scenario/source-location.js";

/** A place in the source, in the IR's terms (1-based line, 0-based UTF-16 column), as findings give theirs. */
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

/** Where the step's `source` says the code performs it; a source without a column stands for the line's start. */
function placeOf(step: Step | undefined): SourcePlace | undefined {
  const source = (step as { source?: unknown } | undefined)?.source as { file?: unknown; line?: unknown; column?: unknown } | undefined;
  if (!source || typeof source.file !== "string" || typeof source.line !== "number" || source.line < 1) return undefined;
  return locationOfSource({ file: source.file, line: source.line, column: typeof source.column === "number" ? source.column : 1 });
}

/** The thread a step names as the one performing it (a SIGIO delivery names none). */
function performer(step: Step | undefined): string | undefined {
  const thread = (step as { thread?: unknown } | undefined)?.thread;
  return typeof thread === "string" ? thread : undefined;
}

function samePoint(a: SourcePlace, b: SourcePlace): boolean {
  return a.file === b.file && a.range.start.line === b.range.start.line && a.range.start.column === b.range.start.column;
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
    const own = placeOf(step);
    if (own) {
      places.set(name, own);
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
  const placed = trace.events.map((event) => {
    const step = event.step === undefined ? undefined : scenario.steps[event.step];
    const stepPlace = performer(step) === event.thread ? placeOf(step) : undefined;
    // A step the code performs at the finding is shown with the finding's whole region.
    const own = stepPlace && samePoint(stepPlace, findingPlace) ? findingPlace : stepPlace;
    const startsThread = step !== undefined && (step.op === "spawn_thread" || step.op === "fork") && !event.internal;
    const startedName = step?.op === "spawn_thread" ? step.new : step?.op === "fork" ? step.child : undefined;
    const enforces = event.op === "restrict_self" && !event.internal;
    const place = own
      ? own
      : startsThread && startedName !== undefined && spawned.has(startedName)
        ? spawned.get(startedName)!
        : enforces
          ? findingPlace
          : (spawned.get(event.thread) ?? findingPlace);
    return { event, place, placedByCode: own !== undefined && !event.internal, enforces };
  });
  // The essential step is the call the finding is about: a step the code places at the
  // finding when there is one (the restrict call, the kill, the connect), else the
  // enforcement the finding stands in for.
  const codeAtFinding = placed.some((p) => p.placedByCode && samePoint(p.place, findingPlace));
  const essential = (p: (typeof placed)[number]): boolean =>
    codeAtFinding ? p.placedByCode && samePoint(p.place, findingPlace) : p.enforces && p.place === findingPlace;
  const lanes = new Map<string, ThreadLane>();
  for (const p of placed) {
    const { event, place } = p;
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
      atFinding: essential(p),
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
