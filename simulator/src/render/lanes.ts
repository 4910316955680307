// What the text and HTML renderers share: the lanes (one per thread, plus "kernel" for
// deliveries), when each lane starts and ends, and short labels for results.

import type { Trace, TraceEvent } from "../trace.js";

export interface Lane {
  name: string;
  process: string;
  /** seq of the event that created the thread (0: there from the start). */
  start: number;
  /** seq after which the thread is gone (Infinity: still alive). */
  end: number;
}

export function lanesOf(trace: Trace, events: readonly TraceEvent[] = trace.events): Lane[] {
  const lanes: Lane[] = [];
  const byName = new Map<string, Lane>();
  const add = (name: string, process: string, start: number) => {
    if (byName.has(name)) return;
    const lane = { name, process, start, end: Infinity };
    byName.set(name, lane);
    lanes.push(lane);
  };
  const first = trace.threads[0];
  if (first) add(first.id, first.process, 0);
  for (const e of trace.events) {
    if ((e.op === "spawn_thread" || e.op === "fork") && e.result === "ok" && e.target) {
      const t = trace.threads.find((t) => t.id === e.target);
      add(e.target, t?.process ?? e.process, e.seq);
    }
  }
  for (const t of trace.threads) add(t.id, t.process, 0);
  for (const e of trace.events) {
    const lane = byName.get(e.thread);
    if (e.op === "exit_thread" && e.result === "ok" && lane) lane.end = Math.min(lane.end, e.seq);
    if (e.op === "exec" && e.result === "ok") {
      for (const other of lanes) if (other.process === e.process && other.name !== e.thread && other.start < e.seq) other.end = Math.min(other.end, e.seq);
    }
  }
  if (events.some((e) => e.thread === "kernel")) lanes.push({ name: "kernel", process: "-", start: 0, end: Infinity });
  return lanes;
}

export function isDenial(e: TraceEvent): boolean {
  return e.result !== "ok" && e.result !== "delivered" && e.result !== "skipped";
}

/** "= 3", "EACCES", "delivered", ... */
export function resultLabel(e: TraceEvent): string {
  if (e.result === "ok") return e.value !== undefined ? `= ${e.value}` : "ok";
  return e.result;
}

export function domainChange(e: TraceEvent, short: (id: string) => string): string | undefined {
  if (e.domainBefore === undefined || e.domainAfter === undefined || e.domainBefore === e.domainAfter) return undefined;
  const name = (d: string | null) => (d ? short(d) : "none");
  return `domain ${name(e.domainBefore)} -> ${name(e.domainAfter)}`;
}

/** Events whose note a reader needs next to the timeline. */
export function noteworthy(e: TraceEvent): boolean {
  if (!e.note) return false;
  if (e.internal) return e.result !== "ok" || e.op === "tsync.discover";
  return e.result !== "ok" || ["restrict_self", "setuid", "fork", "exec", "sigio", "fcntl_setown"].includes(e.op);
}
