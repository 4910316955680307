// renderHtml: a self-contained page (no scripts, no network) with an SVG timeline: one
// lane per thread, time going down, a mark per event, lanes coloured by the domain the
// thread is in, arrows for spawns and signals, denials in red; then the summary, the
// final threads and the domains.

import type { Trace, TraceEvent } from "../trace.js";
import { shortDomainId } from "../model/ids.js";
import { domainChange, isDenial, lanesOf, resultLabel, type Lane } from "./lanes.js";

const LANE_W = 270;
const LEFT = 46;
const TOP = 64;
const ROW_H = 44;
const PALETTE = ["#2f6fde", "#1a9c6b", "#b35ee0", "#d98a16", "#138a9c", "#c2407a", "#6b7a16", "#5c5cd6"];
const NO_DOMAIN = "#9aa3ad";
const DENIED = "#d0312d";

export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function domainColors(trace: Trace): Map<string, string> {
  return new Map(trace.domains.map((d, i) => [d.id, PALETTE[i % PALETTE.length]!]));
}

export function renderHtml(trace: Trace): string {
  const colors = domainColors(trace);
  const svg = timeline(trace, colors);
  const title = `landlock-sim: ${trace.scenario}`;
  const errata = trace.errata.length ? trace.errata.join(", ") : "none";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d232a; margin: 24px; max-width: none; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
.meta { color: #5a6570; margin: 0 0 12px; }
.desc { max-width: 900px; }
ul.summary li { margin: 4px 0; max-width: 900px; }
.timeline { overflow-x: auto; border: 1px solid #dde2e7; border-radius: 6px; background: #fbfcfd; }
table { border-collapse: collapse; font-size: 13px; }
th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid #e4e8ec; vertical-align: top; }
th { background: #f2f4f6; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12.5px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin-right: 6px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 22px; margin: 8px 0 12px; font-size: 13px; }
.denied { color: ${DENIED}; font-weight: 600; }
</style>
</head>
<body>
<h1>${esc(trace.scenario)}</h1>
<p class="meta">Landlock ABI ${trace.abi} · errata ${esc(errata)} · ${trace.events.length} events · ${trace.threads.length} threads · ${trace.domains.length} domain${trace.domains.length === 1 ? "" : "s"}</p>
${trace.description ? `<p class="desc">${esc(trace.description)}</p>` : ""}
<h2>What this means</h2>
<ul class="summary">
${trace.summary.map((s) => `<li>${esc(s)}</li>`).join("\n")}
</ul>
${trace.highlights?.length ? `<h2>Look at</h2>\n<ul class="summary">\n${trace.highlights.map((h) => `<li>${esc(h)}</li>`).join("\n")}\n</ul>` : ""}
<h2>Timeline</h2>
${legend(trace, colors)}
<div class="timeline">
${svg}
</div>
${threadsTable(trace, colors)}
${domainsTable(trace, colors)}
</body>
</html>
`;
}

function legend(trace: Trace, colors: Map<string, string>): string {
  const items = [
    `<span><svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="#1d232a"/></svg> call</span>`,
    `<span><svg width="14" height="14"><circle cx="7" cy="7" r="5.5" fill="${DENIED}"/><path d="M4.5 4.5l5 5M9.5 4.5l-5 5" stroke="#fff" stroke-width="1.6"/></svg> denied / failed (with the blocking domain)</span>`,
    `<span><svg width="14" height="14"><circle cx="7" cy="7" r="3" fill="#8a949e"/></svg> protocol step (TSYNC, libpsx, setxid)</span>`,
    `<span><svg width="14" height="14"><rect x="2" y="2" width="10" height="10" transform="rotate(45 7 7)" fill="#1d232a"/></svg> domain change</span>`,
    `<span><svg width="24" height="10"><line x1="0" y1="5" x2="24" y2="5" stroke="${NO_DOMAIN}" stroke-width="3" stroke-dasharray="4 3"/></svg> no domain</span>`,
    ...trace.domains.map((d) => `<span><span class="swatch" style="background:${colors.get(d.id)}"></span><code>${d.id}</code> (${esc(shortDomainId(d.id))})</span>`),
  ];
  return `<div class="legend">${items.join("\n")}</div>`;
}

interface Segment { from: number; to: number; domain: string | null }

/** Which domain each lane is in over time, from the events that change it. */
function laneSegments(trace: Trace, lane: Lane, rowOf: Map<number, number>, lastRow: number): Segment[] {
  const segments: Segment[] = [];
  let domain: string | null = initialDomain(trace, lane);
  let from = lane.start === 0 ? 0 : (rowOf.get(lane.start) ?? 0);
  const end = lane.end === Infinity ? lastRow : (rowOf.get(lane.end) ?? lastRow);
  for (const e of trace.events) {
    if (e.thread !== lane.name || e.domainAfter === undefined || e.domainAfter === domain) continue;
    const row = rowOf.get(e.seq);
    if (row === undefined) continue;
    segments.push({ from, to: row, domain });
    domain = e.domainAfter;
    from = row;
  }
  segments.push({ from, to: end, domain });
  return segments;
}

function initialDomain(trace: Trace, lane: Lane): string | null {
  const creator = trace.events.find((e) => e.seq === lane.start);
  if (creator?.domainAfter !== undefined) return creator.domainAfter;
  const first = trace.events.find((e) => e.thread === lane.name && e.domainBefore !== undefined);
  return first?.domainBefore ?? null;
}

function timeline(trace: Trace, colors: Map<string, string>): string {
  const lanes = lanesOf(trace);
  const events = trace.events;
  const rowOf = new Map(events.map((e, i) => [e.seq, i]));
  const x = (name: string) => LEFT + lanes.findIndex((l) => l.name === name) * LANE_W + 18;
  const y = (row: number) => TOP + row * ROW_H + 12;
  const width = LEFT + lanes.length * LANE_W + 10;
  const height = TOP + Math.max(1, events.length) * ROW_H + 10;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="timeline of ${esc(trace.scenario)}">`);
  parts.push(`<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L8 4L0 8z" fill="#6b7580"/></marker><marker id="arrow-red" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L8 4L0 8z" fill="${DENIED}"/></marker></defs>`);
  events.forEach((e, row) => {
    if (row % 2 === 0) parts.push(`<rect x="0" y="${TOP + row * ROW_H - 4}" width="${width}" height="${ROW_H}" fill="#f3f5f7"/>`);
    parts.push(`<text x="${LEFT - 8}" y="${y(row) + 4}" text-anchor="end" fill="#8a949e">${e.seq}</text>`);
  });
  for (const lane of lanes) {
    const lx = x(lane.name);
    parts.push(`<text x="${lx - 10}" y="24" font-weight="600" font-size="13">${esc(lane.name)}</text>`);
    parts.push(`<text x="${lx - 10}" y="40" fill="#5a6570">${lane.name === "kernel" ? "deliveries" : `process ${esc(lane.process)}`}</text>`);
    if (lane.name === "kernel") {
      parts.push(`<line x1="${lx}" y1="${TOP - 8}" x2="${lx}" y2="${height - 10}" stroke="#c3c9cf" stroke-width="2"/>`);
      continue;
    }
    for (const seg of laneSegments(trace, lane, rowOf, events.length - 1)) {
      const y1 = seg.from === 0 && lane.start === 0 ? TOP - 8 : y(seg.from);
      const y2 = y(seg.to) + (lane.end === Infinity && seg.to === events.length - 1 ? ROW_H / 2 : 0);
      if (y2 <= y1) continue;
      const color = seg.domain ? (colors.get(seg.domain) ?? NO_DOMAIN) : NO_DOMAIN;
      const dash = seg.domain ? "" : ` stroke-dasharray="5 4"`;
      parts.push(`<line x1="${lx}" y1="${y1}" x2="${lx}" y2="${y2}" stroke="${color}" stroke-width="${seg.domain ? 5 : 3}"${dash}><title>${esc(lane.name)}: ${seg.domain ? `domain ${seg.domain}` : "no domain"}</title></line>`);
    }
  }
  events.forEach((e, row) => parts.push(...arrow(e, row, lanes, x, y)));
  events.forEach((e, row) => parts.push(mark(e, x(e.thread), y(row), colors)));
  parts.push(`</svg>`);
  return parts.join("\n");
}

function arrow(e: TraceEvent, row: number, lanes: Lane[], x: (n: string) => number, y: (r: number) => number): string[] {
  if (e.op === "sigio") {
    const owner = lanes.find((l) => l.process === e.process && l.name !== "kernel");
    if (!owner) return [];
    return arrow({ ...e, op: "kill", target: owner.name }, row, lanes, x, y);
  }
  if (!e.target || !lanes.some((l) => l.name === e.target) || e.target === e.thread) return [];
  const signal = ["kill", "tgkill", "psx.signal", "setxid.signal"].includes(e.op);
  const spawn = (e.op === "spawn_thread" || e.op === "fork") && e.result === "ok";
  if (!signal && !spawn) return [];
  const x1 = x(e.thread);
  const x2 = x(e.target);
  const dir = x2 > x1 ? 1 : -1;
  const denied = isDenial(e);
  const ay = y(row) + 23;
  return [`<line x1="${x1 + dir * 8}" y1="${ay}" x2="${x2 - dir * 9}" y2="${ay}" stroke="${denied ? DENIED : "#6b7580"}" stroke-width="1.4"${spawn ? ` stroke-dasharray="3 3"` : ""} marker-end="url(#${denied ? "arrow-red" : "arrow"})"/>`];
}

function mark(e: TraceEvent, cx: number, cy: number, colors: Map<string, string>): string {
  const denied = isDenial(e);
  const change = domainChange(e, shortDomainId);
  const tip = [e.call, `result: ${e.result}${e.value !== undefined ? ` (${e.value})` : ""}`, change ?? "", e.blocker ? `blocked by domain ${e.blocker.domain} (${e.blocker.kind}: ${e.blocker.access})` : "", e.note ?? ""].filter(Boolean).join("\n");
  let shape: string;
  if (denied) shape = `<circle cx="${cx}" cy="${cy}" r="7" fill="${DENIED}"/><path d="M${cx - 3.5} ${cy - 3.5}l7 7M${cx + 3.5} ${cy - 3.5}l-7 7" stroke="#fff" stroke-width="1.8"/>`;
  else if (change) {
    const c = e.domainAfter ? (colors.get(e.domainAfter) ?? "#1d232a") : NO_DOMAIN;
    shape = `<rect x="${cx - 6}" y="${cy - 6}" width="12" height="12" transform="rotate(45 ${cx} ${cy})" fill="${c}" stroke="#1d232a" stroke-width="1"/>`;
  } else if (e.internal) shape = `<circle cx="${cx}" cy="${cy}" r="3.5" fill="#8a949e"/>`;
  else if (e.result === "delivered") shape = `<circle cx="${cx}" cy="${cy}" r="6" fill="#1a9c6b"/>`;
  else shape = `<circle cx="${cx}" cy="${cy}" r="5" fill="${e.result === "skipped" ? "#c3c9cf" : "#1d232a"}"/>`;
  const labelColor = denied ? DENIED : e.internal ? "#6b7580" : "#1d232a";
  const weight = denied ? ` font-weight="600"` : "";
  const style = e.internal ? ` font-style="italic"` : "";
  const second = [resultLabel(e), change ?? "", e.blocker ? `by ${shortDomainId(e.blocker.domain)} (${e.blocker.access})` : ""].filter(Boolean).join(" · ");
  const tx = cx + 12;
  return `<g><title>${esc(tip)}</title>${shape}<text x="${tx}" y="${cy + 1}" fill="${labelColor}"${weight}${style}>${esc(clip(e.call, 38))}</text><text x="${tx}" y="${cy + 15}" font-size="11" fill="${denied ? DENIED : "#5a6570"}"${weight}>${esc(clip(second, 42))}</text></g>`;
}

function threadsTable(trace: Trace, colors: Map<string, string>): string {
  const rows = trace.threads.map((t) => {
    const dom = t.domain ? `<span class="swatch" style="background:${colors.get(t.domain) ?? NO_DOMAIN}"></span><code>${t.domain}</code> (${t.layers} layer${t.layers === 1 ? "" : "s"})` : `<span style="color:#5a6570">no domain</span>`;
    return `<tr><td>${esc(t.id)}</td><td>${esc(t.process)}</td><td>${dom}</td><td>${t.noNewPrivs ? "yes" : "no"}</td><td>${t.capSysAdmin ? "yes" : "no"}</td><td>${t.uid}</td><td>${t.alive ? "alive" : "exited"}</td><td>${esc(t.origin)}</td></tr>`;
  });
  return `<h2>Threads at the end</h2>
<table><thead><tr><th>thread</th><th>process</th><th>domain</th><th>no_new_privs</th><th>CAP_SYS_ADMIN</th><th>uid</th><th>state</th><th>origin</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>`;
}

function domainsTable(trace: Trace, colors: Map<string, string>): string {
  if (!trace.domains.length) return `<h2>Domains</h2>\n<p>No domain was created.</p>`;
  const rows = trace.domains.map((d) => {
    const handled = [d.handledFs.length ? `fs: ${d.handledFs.join(", ")}` : "", d.handledNet.length ? `net: ${d.handledNet.join(", ")}` : ""].filter(Boolean).join("<br>");
    const rules = [...(d.rules?.fs ?? []).map((r) => `${esc(r.path)}: ${r.access.join(", ")}`), ...(d.rules?.net ?? []).map((r) => `port ${r.port}: ${r.access.join(", ")}`)].join("<br>");
    return `<tr><td><span class="swatch" style="background:${colors.get(d.id)}"></span><code>${d.id}</code></td><td>${d.parent ? `<code>${d.parent}</code>` : "none"}</td><td>${d.layers}</td><td>${handled || "nothing"}</td><td>${d.scoped.join(", ") || "none"}</td><td>${rules || "none"}</td><td>${esc(d.createdBy ?? "")}${d.ruleset ? ` from ${esc(d.ruleset)}` : ""}</td></tr>`;
  });
  return `<h2>Domains</h2>
<table><thead><tr><th>domain ID</th><th>parent</th><th>layers</th><th>handles</th><th>scoped</th><th>rules</th><th>created by</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table>`;
}
