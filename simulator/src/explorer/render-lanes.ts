// Text rendering of a trace with one column (lane) per thread: each event sits in its
// thread's column, wrapped to the column width, with the step number on the left.

import type { TraceEvent } from "../trace.js";
import { shortDomainId } from "../model/ids.js";
import type { Lane } from "./tsync-trace.js";

export interface LaneRenderOptions {
  /** Width of one lane column in characters (default 34, at least 16). */
  laneWidth?: number;
  /** Show each event's note under its call (default true). */
  notes?: boolean;
  /** Event index (0-based) before which a "loop starts here" rule is drawn. */
  loopStartEvent?: number;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const para of text.split("\n")) {
    let line = "";
    for (const word of para.split(/\s+/).filter(Boolean)) {
      let w = word;
      while (w.length > width) {
        if (line) {
          lines.push(line);
          line = "";
        }
        lines.push(w.slice(0, width));
        w = w.slice(width);
      }
      if (!line) line = w;
      else if (line.length + 1 + w.length <= width) line += " " + w;
      else {
        lines.push(line);
        line = w;
      }
    }
    if (line) lines.push(line);
  }
  return lines.length ? lines : [""];
}

function eventText(e: TraceEvent): string {
  let text = e.call;
  if (e.value !== undefined && !/=\s*\S+$/.test(text)) text += ` = ${e.value}`;
  if (e.result !== "ok") text += ` [${e.result}]`;
  if (e.domainBefore !== undefined && e.domainAfter !== undefined && e.domainBefore !== e.domainAfter) {
    const from = e.domainBefore ? shortDomainId(e.domainBefore) : "none";
    const to = e.domainAfter ? shortDomainId(e.domainAfter) : "none";
    text += ` {domain ${from} -> ${to}}`;
  }
  return text;
}

export function renderLanes(events: readonly TraceEvent[], lanes: readonly Lane[], options: LaneRenderOptions = {}): string {
  const width = Math.max(16, options.laneWidth ?? 34);
  const notes = options.notes ?? true;
  const column = new Map<string, number>();
  lanes.forEach((l, i) => column.set(l.thread, i));
  for (const e of events) if (!column.has(e.thread)) column.set(e.thread, column.size);
  const laneCount = column.size;
  const stepWidth = Math.max(4, String(events.length ? events[events.length - 1]!.step ?? 0 : 0).length + 1);
  const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));
  const gap = "  ";
  const out: string[] = [];

  const header: string[] = [];
  const headerNames = [...column.keys()];
  for (let i = 0; i < laneCount; i++) {
    const lane = lanes[i];
    header.push(pad(lane ? `${lane.thread} (${lane.role})` : headerNames[i]!, width).slice(0, width));
  }
  out.push(pad("step", stepWidth) + gap + header.join(gap).trimEnd());
  out.push("-".repeat(stepWidth) + gap + Array.from({ length: laneCount }, () => "-".repeat(width)).join(gap));

  let lastStep: number | undefined;
  events.forEach((e, index) => {
    if (options.loopStartEvent === index) {
      out.push(pad("", stepWidth) + gap + "~~ from here the run repeats forever ~~");
    }
    const col = column.get(e.thread)!;
    const lines = wrap(eventText(e), width);
    if (notes && e.note) lines.push(...wrap(`· ${e.note}`, width));
    lines.forEach((line, k) => {
      const stepLabel = k === 0 && e.step !== lastStep ? String(e.step ?? "") : "";
      const cells: string[] = [];
      for (let i = 0; i < laneCount; i++) cells.push(i === col ? pad(line, width) : pad("|", width));
      out.push(pad(stepLabel.padStart(stepWidth - 1), stepWidth) + gap + cells.join(gap).trimEnd());
    });
    lastStep = e.step;
  });
  return out.join("\n");
}
