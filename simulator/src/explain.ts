// explainTrace: the consequences of a run in plain sentences, computed from the trace
// alone (events, final threads, domains with their rules). Renderers print these; the
// analyzer shows them in hovers.

import type { ThreadState, Trace, TraceEvent } from "./trace.js";
import { TraceDomains } from "./trace-access.js";
import { joinNames } from "./model/describe.js";

const PROBE_OPS = new Set(["open", "connect_tcp", "bind_tcp"]);

export function explainTrace(trace: Trace): string[] {
  const out: string[] = [];
  const domains = new TraceDomains(trace);
  const main = trace.events.filter((e) => !e.internal);

  for (const e of main.filter((e) => e.op === "restrict_self" && e.result !== "ok")) {
    const sandboxed =
      e.domainAfter && e.domainAfter !== e.domainBefore ? `${e.thread} itself entered domain ${e.domainAfter}, the rest did not`
        : e.domainBefore ? `${e.thread} stays in domain ${e.domainBefore}, no layer was added`
          : `${e.thread} is NOT sandboxed`;
    const later = main.filter((x) => x.seq > e.seq && x.thread === e.thread && PROBE_OPS.has(x.op) && x.result === "ok" && x.target);
    const still = later.length && !e.domainAfter ? `; afterwards it still could ${joinNames(later.slice(0, 2).map((x) => describeProbe({ op: x.op, target: x.target!, access: x.access ?? "" })))}` : "";
    out.push(`${e.call} in ${e.thread} failed with ${e.result} (${e.note ?? "no detail"}): ${sandboxed}${still}.`);
  }

  for (const process of processesOfInterest(trace)) {
    const live = trace.threads.filter((t) => t.process === process && t.alive);
    out.push(...domainLayout(process, live, trace.errata.includes(2)));
    out.push(...probeConsequences(trace, domains, process, live));
  }

  for (const e of main) {
    if ((e.op === "kill" || e.op === "tgkill") && e.result !== "ok") out.push(`${e.thread}: ${e.call} fails with ${e.result}: ${e.note}.`);
    if (e.op === "connect_abstract" && e.result === "EPERM") out.push(`${e.thread}: ${e.call} fails with EPERM: ${e.note}.`);
    if (e.op === "sigio" && e.result !== "skipped") out.push(`${e.call} is ${e.result === "dropped" ? "silently dropped" : "delivered"}: ${e.note}.`);
    if (e.op === "setuid" && e.note) out.push(`${e.thread}: ${e.call} -> ${e.result}: ${e.note}.`);
  }

  out.push(...erratumRemarks(trace));
  for (const f of trace.failedExpectations ?? []) {
    out.push(`Step ${f.step + 1} (${f.op} in ${f.thread}) expected ${f.expected} but the model returned ${f.actual}.`);
  }
  if (out.length === 0) out.push("No thread entered a Landlock domain and nothing was denied.");
  return out;
}

function processesOfInterest(trace: Trace): string[] {
  const names = new Set<string>();
  for (const e of trace.events) if (e.op === "restrict_self" || e.op.startsWith("tsync.")) names.add(e.process);
  for (const t of trace.threads) if (t.domain) names.add(t.process);
  return [...names].filter((p) => trace.threads.some((t) => t.process === p && t.alive));
}

function domainLayout(process: string, live: ThreadState[], erratum2: boolean): string[] {
  const groups = new Map<string | null, string[]>();
  for (const t of live) groups.set(t.domain, [...(groups.get(t.domain) ?? []), t.id]);
  if (groups.size === 1) {
    const [domain, names] = [...groups][0]!;
    if (!domain) return [`No thread of ${process} is in a Landlock domain: ${joinNames(names)} ${names.length === 1 ? "is" : "are"} unrestricted.`];
    return [live.length === 1 ? `${names[0]} is in domain ${domain}.` : `Every thread of ${process} (${joinNames(names)}) is in the same domain ${domain}.`];
  }
  const out: string[] = [];
  const withDomain = [...groups].filter(([d]) => d !== null);
  if (withDomain.length === live.length && live.length > 1) {
    const scoping = erratum2
      ? "erratum 2 lets them signal each other, but abstract unix socket scoping, and signals to processes forked by another thread, still keep them apart"
      : "signal and abstract unix socket scoping treat the threads as strangers";
    out.push(`Each thread of ${process} is in its own domain (${live.map((t) => `${t.id}: ${t.domain}`).join(", ")}): built from the same ruleset, they are still distinct domains, and ${scoping}.`);
  } else {
    const parts = [...groups].map(([d, names]) => `${joinNames(names)} in ${d ? `domain ${d}` : "no domain"}`);
    out.push(`The threads of ${process} are in ${groups.size} different states: ${parts.join("; ")}.`);
  }
  return out;
}

interface Probe { op: string; target: string; access: string }

function probeConsequences(trace: Trace, domains: TraceDomains, process: string, live: ThreadState[]): string[] {
  const probes = new Map<string, Probe>();
  for (const e of trace.events) {
    if (e.process !== process || !PROBE_OPS.has(e.op) || !e.target || !e.access) continue;
    probes.set(`${e.op} ${e.target} ${e.access}`, { op: e.op, target: e.target, access: e.access });
  }
  const out: string[] = [];
  for (const probe of probes.values()) {
    const denier = (t: ThreadState) =>
      probe.op === "open" ? domains.fsDenier(t.domain, probe.target, probe.access) : domains.netDenier(t.domain, Number(probe.target), probe.access);
    const allowed = live.filter((t) => !denier(t));
    const denied = live.filter((t) => denier(t));
    if (denied.length === 0) continue;
    const what = describeProbe(probe);
    if (allowed.length === 0) {
      out.push(live.length === 1 ? `${live[0]!.id} cannot ${what}.` : `No thread of ${process} can ${what} any more.`);
      continue;
    }
    const free = allowed.filter((t) => !t.domain);
    const permitted = allowed.filter((t) => t.domain);
    const names = (ts: ThreadState[]) => joinNames(ts.map((t) => t.id));
    const plural = (ts: ThreadState[], one: string, many: string) => (ts.length === 1 ? one : many);
    if (free.length) out.push(`${names(free)} ${plural(free, "is", "are")} not in any domain: ${plural(free, "it", "they")} can still ${what}.`);
    if (permitted.length) out.push(`${names(permitted)} ${plural(permitted, "is in a domain that allows it", "are in domains that allow it")}: ${plural(permitted, "it", "they")} can still ${what}.`);
    out.push(`${names(denied)} cannot ${what}.`);
  }
  return out;
}

function describeProbe(p: Probe): string {
  if (p.op === "open") return p.access === "write_file" ? `open ${p.target} for writing` : `open ${p.target}`;
  return p.op === "connect_tcp" ? `connect to TCP port ${p.target}` : `bind TCP port ${p.target}`;
}

function erratumRemarks(trace: Trace): string[] {
  const out: string[] = [];
  const sameProcessDenials = trace.events.filter((e) => e.blocker?.kind === "scope" && e.blocker.access === "signal" && isSameProcessSignal(trace, e));
  if (sameProcessDenials.length && !trace.errata.includes(2)) {
    out.push("The simulated kernel lacks erratum 2: threads of one process in different domains may not signal each other. With erratum 2 those signals are allowed (signals to other processes stay scoped).");
  }
  if (trace.errata.includes(2) && trace.events.some((e) => e.note?.startsWith("erratum 2"))) {
    out.push("Erratum 2 allowed signals between threads of one process that are in different domains.");
  }
  return out;
}

function isSameProcessSignal(trace: Trace, e: TraceEvent): boolean {
  if (!e.target) return false;
  const target = trace.threads.find((t) => t.id === e.target);
  return target !== undefined && target.process === e.process && e.op !== "kill";
}
