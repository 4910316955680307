// runScenario: executes a scenario's steps on the kernel model and returns the trace.
// The runner never throws on a scenario that passed validation, and reports steps it
// cannot perform (a thread that has exited, an unknown name) as "skipped" events.

import type { Abi, Erratum, Expectation, Scenario, Step } from "./scenario.js";
import type { DomainInfo, FailedExpectation, ThreadState, Trace, TraceEvent } from "./trace.js";
import { Kernel, type Domain, type Thread } from "./model/state.js";
import { addRule, createRuleset, getAbi, getErrata } from "./model/ruleset-syscalls.js";
import { restrictSelf } from "./model/restrict-step.js";
import { dropCapSysAdmin, exec, exitThread, fork, prctlNoNewPrivs, setuidRaw, spawnThread } from "./model/process-ops.js";
import { fcntlSetown, kill, sigio, tgkill } from "./model/signals.js";
import { bindAbstract, connectAbstract, open, tcp } from "./model/io-ops.js";
import { setuidGlibc } from "./model/broadcast.js";
import { regularFiles } from "./model/file-tree.js";
import { explainTrace } from "./explain.js";

export const DEFAULT_ABI: Abi = 6;

export interface RunOptions {
  abi?: Abi;
  errata?: Erratum[];
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): Trace {
  const abi = options.abi ?? scenario.abi ?? DEFAULT_ABI;
  const errata = [...new Set(options.errata ?? scenario.errata ?? [])].sort() as Erratum[];
  const k = new Kernel({
    abi, errata, regularFiles: regularFiles(scenario),
    ...(scenario.faults?.enomemAtPrepare ? { enomemAtPrepare: scenario.faults.enomemAtPrepare } : {}),
  });
  const initial = scenario.initial ?? {};
  const process = k.createProcess(scenario.process ?? "p1", null);
  const cred = k.makeCred({ domain: null, capSysAdmin: initial.capSysAdmin ?? false, uid: initial.uid ?? 0, logSubdomainsOff: false });
  k.addThread(scenario.mainThread ?? "main", process, cred, initial.noNewPrivs ?? false, "main thread");

  const failed: FailedExpectation[] = [];
  const steps = Array.isArray(scenario.steps) ? scenario.steps : [];
  steps.forEach((step, index) => {
    k.step = index;
    const first = k.events.length;
    runStep(k, step);
    if (step.expect !== undefined) {
      const actual = outcomeOf(k.events.slice(first));
      if (actual !== step.expect) {
        failed.push({ step: index, thread: "thread" in step ? step.thread : "kernel", op: step.op, expected: step.expect, actual: actual ?? "no event" });
      }
    }
  });

  const trace: Trace = {
    scenario: scenario.name,
    abi,
    errata,
    events: k.events,
    threads: [...k.threads.values()].map(threadState),
    domains: k.domains.map(domainInfo),
    summary: [],
    ...(scenario.description ? { description: scenario.description } : {}),
    ...(scenario.highlights ? { highlights: [...scenario.highlights] } : {}),
    ...(failed.length ? { failedExpectations: failed } : {}),
  };
  trace.summary = explainTrace(trace);
  return trace;
}

/** The result of a step: its last event outside protocol internals. */
function outcomeOf(events: TraceEvent[]): Expectation | undefined {
  const main = events.filter((e) => !e.internal);
  return main[main.length - 1]?.result as Expectation | undefined;
}

function runStep(k: Kernel, step: Step): void {
  if (step.op === "sigio") return sigio(k, step.fd);
  const thread = k.threads.get(step.thread);
  if (!thread || !thread.alive) {
    k.emit({
      thread: step.thread, process: thread?.process.name ?? "-", op: step.op, call: step.op, result: "skipped",
      note: thread ? `${step.thread} has exited: the step does not run` : `there is no thread ${step.thread}`,
    });
    return;
  }
  switch (step.op) {
    case "spawn_thread":
      if (k.threads.has(step.new) || k.processes.has(step.new)) return skip(k, thread, step.op, `the name ${step.new} is taken`);
      spawnThread(k, thread, step.new, step.label);
      return;
    case "exit_thread": return exitThread(k, thread);
    case "fork":
      if (k.threads.has(step.child) || k.processes.has(step.child)) return skip(k, thread, step.op, `the name ${step.child} is taken`);
      fork(k, thread, step.child, step.label);
      return;
    case "exec": return exec(k, thread);
    case "prctl_no_new_privs": return prctlNoNewPrivs(k, thread);
    case "drop_cap_sys_admin": return dropCapSysAdmin(k, thread);
    case "get_abi": return getAbi(k, thread);
    case "get_errata": return getErrata(k, thread);
    case "create_ruleset":
      return createRuleset(k, thread, { as: step.as, handledFs: step.handledFs ?? [], handledNet: step.handledNet ?? [], scoped: step.scoped ?? [] });
    case "add_rule": return addRule(k, thread, step);
    case "restrict_self": return restrictSelf(k, thread, step);
    case "open": return open(k, thread, step.path, step.access, step.as);
    case "connect_tcp": return tcp(k, thread, "connect", step.port);
    case "bind_tcp": return tcp(k, thread, "bind", step.port);
    case "kill": return kill(k, thread, step.target, step.signal);
    case "tgkill": return tgkill(k, thread, step.target, step.signal);
    case "fcntl_setown": return fcntlSetown(k, thread, step.fd, step.owner);
    case "bind_abstract": return bindAbstract(k, thread, step.name);
    case "connect_abstract": return connectAbstract(k, thread, step.name);
    case "setuid": return step.via === "raw" ? setuidRaw(k, thread, step.uid) : setuidGlibc(k, thread, step.uid);
    default: {
      const op: string = (step as { op: string }).op;
      return skip(k, thread, op, `unknown operation ${op}`);
    }
  }
}

function skip(k: Kernel, thread: Thread, op: string, note: string): void {
  k.emit({ thread: thread.name, process: thread.process.name, op, call: op, result: "skipped", note });
}

function threadState(t: Thread): ThreadState {
  return {
    id: t.name,
    process: t.process.name,
    alive: t.alive,
    domain: t.cred.domain?.id ?? null,
    layers: t.cred.domain?.layers ?? 0,
    noNewPrivs: t.noNewPrivs,
    capSysAdmin: t.cred.capSysAdmin,
    uid: t.cred.uid,
    origin: t.origin,
  };
}

function domainInfo(d: Domain): DomainInfo {
  return {
    id: d.id,
    parent: d.parent?.id ?? null,
    layers: d.layers,
    handledFs: [...d.handledFs],
    handledNet: [...d.handledNet],
    scoped: [...d.scoped],
    rules: {
      fs: d.fsRules.map((r) => ({ path: r.path, access: [...r.access] })),
      net: d.netRules.map((r) => ({ port: r.port, access: [...r.access] })),
    },
    createdBy: d.createdBy,
    step: d.step,
    ruleset: d.ruleset,
  };
}
