// Small builders for tests: run a list of steps, find the event a step produced.

import type { Abi, Erratum, Scenario, Step } from "../src/scenario.js";
import type { Trace, TraceEvent } from "../src/trace.js";
import { runScenario } from "../src/runner.js";

export function run(steps: Step[], opts: Partial<Scenario> & { abi?: Abi; errata?: Erratum[] } = {}): Trace {
  return runScenario({ name: "test", ...opts, steps });
}

/** The main (non-internal) event of step `index`. */
export function stepEvent(trace: Trace, index: number): TraceEvent {
  const events = trace.events.filter((e) => e.step === index && !e.internal);
  const e = events[events.length - 1];
  if (!e) throw new Error(`no event for step ${index}`);
  return e;
}

export function resultOf(trace: Trace, index: number): string {
  return stepEvent(trace, index).result;
}

export function thread(trace: Trace, id: string) {
  const t = trace.threads.find((t) => t.id === id);
  if (!t) throw new Error(`no thread ${id}`);
  return t;
}

export const nnp: Step = { op: "prctl_no_new_privs", thread: "main" };
export const readOnlyUsr: Step[] = [
  { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"] },
  { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/usr", access: ["read_file"] },
];
