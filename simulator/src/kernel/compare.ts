// Compares what the real kernel did with what the model predicts for the same scenario
// on the same ABI and errata, starting from the credentials the program really had.

import type { Abi, Erratum, Scenario } from "../scenario.js";
import type { Trace, TraceEvent } from "../trace.js";
import { runScenario } from "../runner.js";
import type { KernelRun, KernelStepResult } from "./output.js";

export interface Mismatch {
  /** Scenario step index; `steps.length` for the final thread states; -1 for the run itself. */
  step: number;
  thread: string;
  /** The step's op, "<op>+concurrent" for a restrict_self's concurrent operation, or "final.<field>". */
  op: string;
  kernel: string;
  simulator: string;
}

export interface Comparison {
  scenario: string;
  abi: Abi;
  errata: Erratum[];
  /** The scenario as simulated: its `initial` replaced by the kernel program's real start. */
  simulated: Scenario;
  trace: Trace;
  /** Step results compared (steps and concurrent operations). */
  comparedSteps: number;
  mismatches: Mismatch[];
  /** Differences between the scenario's `initial` and the program's real start. */
  notes: string[];
}

export type Simulate = (scenario: Scenario, options: { abi: Abi; errata: Erratum[] }) => Trace;

const ERRATA: readonly Erratum[] = [1, 2, 3];

/** The step's own outcome: its last event outside protocol internals for the step's op. */
function outcomeEvent(events: readonly TraceEvent[], op: string): TraceEvent | undefined {
  const visible = events.filter((e) => !e.internal);
  return [...visible].reverse().find((e) => e.op === op) ?? visible[visible.length - 1];
}

export function compareWithKernel(scenario: Scenario, run: KernelRun, simulate: Simulate = runScenario): Comparison {
  const mismatches: Mismatch[] = [];
  const notes: string[] = [];
  const start = run.initial;
  const abi = (start && start.abi >= 1 && start.abi <= 11 ? start.abi : (scenario.abi ?? 6)) as Abi;
  const errata = (start ? start.errata.filter((e): e is Erratum => ERRATA.includes(e as Erratum)) : []) as Erratum[];

  const simulated: Scenario = { ...scenario };
  if (start) {
    const wanted = scenario.initial ?? {};
    const real = { uid: start.uid, capSysAdmin: start.capSysAdmin, noNewPrivs: start.noNewPrivs };
    if ((wanted.uid ?? 0) !== real.uid) notes.push(`started as uid ${real.uid}, scenario asks for ${wanted.uid ?? 0}`);
    if ((wanted.capSysAdmin ?? false) !== real.capSysAdmin) notes.push(`CAP_SYS_ADMIN really ${real.capSysAdmin ? "held" : "absent"}`);
    if ((wanted.noNewPrivs ?? false) !== real.noNewPrivs) notes.push(`no_new_privs really ${real.noNewPrivs ? "set" : "unset"}`);
    if (start.setup !== "ok") notes.push(`dropping to the initial credentials failed with ${start.setup}`);
    simulated.initial = real;
  }
  const trace = simulate(simulated, { abi, errata });

  if (run.error || !start) {
    mismatches.push({ step: -1, thread: "-", op: "run", kernel: run.error ?? "no INIT line", simulator: "completed" });
  }

  const byStep = new Map<number, TraceEvent[]>();
  for (const e of trace.events) {
    if (e.step === undefined) continue;
    const list = byStep.get(e.step) ?? [];
    list.push(e);
    byStep.set(e.step, list);
  }

  let comparedSteps = 0;
  const concurrentSeen = new Map<number, number>();
  for (const k of run.steps) {
    comparedSteps++;
    const events = byStep.get(k.index) ?? [];
    if (k.part === 0) {
      compareStep(k, outcomeEvent(events, k.op), mismatches);
    } else {
      // Concurrent operations appear as visible spawn/exit events of the same step, in order.
      const seen = concurrentSeen.get(k.index) ?? 0;
      concurrentSeen.set(k.index, seen + 1);
      const ev = events.filter((e) => !e.internal && (e.op === "spawn_thread" || e.op === "exit_thread"))[seen];
      const op = `${k.op}+concurrent`;
      if (!ev) mismatches.push({ step: k.index, thread: k.thread, op, kernel: k.result, simulator: "no event" });
      else if (ev.result !== k.result || ev.thread !== k.thread) {
        mismatches.push({ step: k.index, thread: k.thread, op, kernel: k.result, simulator: `${ev.result} (by ${ev.thread})` });
      }
    }
  }

  const finalStep = scenario.steps.length;
  const modelThreads = new Map(trace.threads.map((t) => [t.id, t]));
  if (!run.error) {
    for (const kt of run.threads) {
      const mt = modelThreads.get(kt.thread);
      const at = (field: string, kernel: unknown, simulator: unknown) =>
        mismatches.push({ step: finalStep, thread: kt.thread, op: `final.${field}`, kernel: String(kernel), simulator: String(simulator) });
      if (!mt) {
        at("exists", true, false);
        continue;
      }
      if (mt.alive !== kt.alive) at("alive", kt.alive, mt.alive);
      if (!kt.alive || !mt.alive) continue;
      if (kt.uid !== undefined && kt.uid !== mt.uid) at("uid", kt.uid, mt.uid);
      if (kt.noNewPrivs !== undefined && kt.noNewPrivs !== mt.noNewPrivs) at("noNewPrivs", kt.noNewPrivs, mt.noNewPrivs);
      if (kt.capSysAdmin !== undefined && kt.capSysAdmin !== mt.capSysAdmin) at("capSysAdmin", kt.capSysAdmin, mt.capSysAdmin);
    }
    const kernelThreads = new Set(run.threads.map((t) => t.thread));
    for (const mt of trace.threads) {
      if (!kernelThreads.has(mt.id)) mismatches.push({ step: finalStep, thread: mt.id, op: "final.exists", kernel: "false", simulator: "true" });
    }
  }

  return { scenario: scenario.name, abi, errata, simulated, trace, comparedSteps, mismatches, notes };
}

function compareStep(k: KernelStepResult, ev: TraceEvent | undefined, out: Mismatch[]): void {
  if (!ev) {
    out.push({ step: k.index, thread: k.thread, op: k.op, kernel: k.result, simulator: "no event" });
    return;
  }
  if (ev.result !== k.result) {
    out.push({ step: k.index, thread: k.thread, op: k.op, kernel: withDetail(k), simulator: ev.note ? `${ev.result} (${ev.note})` : ev.result });
    return;
  }
  // The ABI and errata queries return data, not just success.
  if ((k.op === "get_abi" || k.op === "get_errata") && k.result === "ok" && k.value !== ev.value) {
    out.push({ step: k.index, thread: k.thread, op: `${k.op}.value`, kernel: String(k.value), simulator: String(ev.value) });
  }
}

function withDetail(k: KernelStepResult): string {
  return k.detail ? `${k.result} (${k.detail})` : k.result;
}

/** One line per mismatch, for test output and reports. */
export function formatMismatches(c: Comparison): string[] {
  return c.mismatches.map((m) => {
    const where = m.step < 0 ? "run" : `step ${m.step}`;
    return `${c.scenario}: ${where} ${m.thread} ${m.op}: kernel ${m.kernel}, simulator ${m.simulator}`;
  });
}
