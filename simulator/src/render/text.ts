// renderText: the trace as lanes side by side, one column per thread, for terminals and
// editor hovers (plain text, no colours).

import type { Trace, TraceEvent } from "../trace.js";
import { shortDomainId } from "../model/ids.js";
import { domainChange, lanesOf, noteworthy, resultLabel, type Lane } from "./lanes.js";

export interface TextOptions {
  /** Total width in characters. Default 100. */
  width?: number;
  /** Show protocol-internal events (TSYNC task_work, psx and setxid handlers). Default false. */
  internal?: boolean;
}

const SEQ = 4;
const SEP = " │ ";

export function renderText(trace: Trace, opts: TextOptions = {}): string {
  const width = Math.max(40, opts.width ?? 100);
  const events = trace.events.filter((e) => opts.internal || !e.internal);
  const lanes = lanesOf(trace, events);
  const colWidth = Math.max(14, Math.floor((width - SEQ - SEP.length * lanes.length) / Math.max(1, lanes.length)));
  const out: string[] = [];

  out.push(`${trace.scenario} · Landlock ABI ${trace.abi} · errata ${trace.errata.length ? trace.errata.join(", ") : "none"}`);
  if (trace.description) out.push(...wrap(trace.description, width));
  out.push("");
  out.push(row("", lanes.map((l) => (l.name === "kernel" ? "kernel" : `${l.name} (${l.process})`)), colWidth));
  out.push("─".repeat(SEQ) + lanes.map(() => "─┼─" + "─".repeat(colWidth)).join(""));
  for (const e of events) {
    const cells = lanes.map((lane) => (lane.name === e.thread ? cellLines(e, colWidth) : [laneMark(lane, e.seq)]));
    const height = Math.max(...cells.map((c) => c.length));
    for (let i = 0; i < height; i++) {
      const seq = i === 0 ? String(e.seq) : "";
      out.push(row(seq, cells.map((c, j) => c[i] ?? laneMark(lanes[j]!, e.seq)), colWidth));
    }
    if (noteworthy(e)) wrap(e.note!, width - SEQ - 5).forEach((line, i) => out.push(`${" ".repeat(SEQ)}   ${i === 0 ? "╰" : " "} ${line}`));
  }
  out.push("");
  out.push("Threads at the end");
  for (const t of trace.threads) {
    const dom = t.domain ? `domain ${t.domain} (${t.layers} layer${t.layers === 1 ? "" : "s"})` : "no domain";
    const flags = [t.noNewPrivs ? "no_new_privs" : "", t.capSysAdmin ? "CAP_SYS_ADMIN" : "", `uid ${t.uid}`, t.alive ? "" : "exited"].filter(Boolean);
    out.push(`  ${t.id.padEnd(10)} ${t.process.padEnd(10)} ${dom}; ${flags.join(", ")}`);
  }
  if (trace.domains.length) {
    out.push("");
    out.push("Domains");
    for (const d of trace.domains) {
      const handled = [d.handledFs.length ? `fs ${d.handledFs.join("|")}` : "", d.handledNet.length ? `net ${d.handledNet.join("|")}` : "", d.scoped.length ? `scoped ${d.scoped.join("|")}` : ""].filter(Boolean);
      const rules = [...(d.rules?.fs ?? []).map((r) => `${r.path}: ${r.access.join("|")}`), ...(d.rules?.net ?? []).map((r) => `port ${r.port}: ${r.access.join("|")}`)];
      const origin = d.createdBy ? `, by ${d.createdBy}${d.ruleset ? ` from ${d.ruleset}` : ""}` : "";
      out.push(`  ${d.id} (${shortDomainId(d.id)}) layer ${d.layers}, parent ${d.parent ?? "none"}${origin}`);
      out.push(`      handles ${handled.join("; ") || "nothing"}; allows ${rules.join(", ") || "nothing"}`);
    }
  }
  section(out, "What this means", trace.summary, width);
  section(out, "Look at", trace.highlights ?? [], width);
  return out.join("\n") + "\n";
}

function section(out: string[], title: string, items: readonly string[], width: number): void {
  if (!items.length) return;
  out.push("");
  out.push(title);
  for (const item of items) {
    const lines = wrap(item, width - 4);
    out.push(`  • ${lines[0] ?? ""}`, ...lines.slice(1).map((l) => `    ${l}`));
  }
}

function cellLines(e: TraceEvent, width: number): string[] {
  const call = e.internal ? `· ${e.call}` : e.call;
  const mark = e.result === "ok" || e.result === "delivered" ? "→" : e.result === "skipped" ? "–" : "✗";
  const extra: string[] = [];
  const change = domainChange(e, shortDomainId);
  if (change) extra.push(change);
  if (e.blocker) extra.push(`blocked by ${shortDomainId(e.blocker.domain)} (${e.blocker.access})`);
  const result = `${mark} ${resultLabel(e)}`;
  const lines = wrap(`${call} ${result}`, width);
  for (const x of extra) lines.push(...wrap(x, width));
  return lines;
}

function laneMark(lane: Lane, seq: number): string {
  return seq > lane.start && seq <= lane.end ? "┆" : "";
}

function row(seq: string, cells: string[], width: number): string {
  return (seq.padStart(SEQ) + cells.map((c) => SEP + pad(c, width)).join("")).trimEnd();
}

function pad(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + " ".repeat(width - text.length);
}

/** Word wrap; a word longer than the width breaks after punctuation where it can, else anywhere. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let w = word;
    while (w.length > width) {
      if (line) {
        lines.push(line);
        line = "";
      }
      const head = w.slice(0, width);
      const cut = Math.max(head.lastIndexOf("("), head.lastIndexOf("|"), head.lastIndexOf(","), head.lastIndexOf("/"), head.lastIndexOf("_")) + 1;
      const at = cut > width / 3 ? cut : width;
      lines.push(w.slice(0, at));
      w = w.slice(at);
    }
    if (!line) line = w;
    else if (line.length + 1 + w.length <= width) line += " " + w;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}
