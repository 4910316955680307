// What the soak measured, and its markdown rendering: requests and latency per kind, error
// answers per code, other inputs sent per kind, the server's resident memory over time.

export interface KindStats {
  sent: number;
  results: number;
  errors: number;
  latenciesMs: number[];
}

export interface RssSample {
  atMs: number;
  bytes: number;
}

export interface SoakOutcome {
  seed: number;
  startedAt: string;
  plannedDurationMs: number;
  elapsedMs: number;
  requestLimit?: number;
  rate: number;
  /** Requests (messages with an id we expect answered), all kinds together. */
  requests: number;
  perKind: Map<string, KindStats>;
  errorCodes: Map<number, number>;
  /** Notifications and raw byte sequences sent, per kind. */
  inputs: Map<string, number>;
  rss: RssSample[];
  warmupEndMs: number;
  quietMs: number;
  /** Steps per kind: how many, and the time from the step's first message to the sentinel hover's answer. */
  stepTimes: Map<string, { count: number; totalMs: number }>;
  rssBaseline?: number;
  rssEnd?: number;
  rssLimitBytes: number;
  serverLogs: Map<string, number>;
  unmatchedResponses: number;
  failures: string[];
  machine: string;
}

export const ERROR_NAMES: Record<number, string> = {
  [-32700]: "ParseError",
  [-32600]: "InvalidRequest",
  [-32601]: "MethodNotFound",
  [-32602]: "InvalidParams",
  [-32603]: "InternalError",
  [-32002]: "ServerNotInitialized",
  [-32800]: "RequestCancelled",
  [-32801]: "ContentModified",
  [-32802]: "ServerCancelled",
  [-32803]: "RequestFailed",
};

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

const mb = (bytes: number | undefined) => (bytes === undefined ? "n/a" : (bytes / 1024 / 1024).toFixed(1));
const ms = (v: number) => (Number.isNaN(v) ? "n/a" : v < 10 ? v.toFixed(2) : v.toFixed(0));

export function rssGrowth(o: SoakOutcome): number | undefined {
  return o.rssBaseline === undefined || o.rssEnd === undefined ? undefined : o.rssEnd - o.rssBaseline;
}

/** One paragraph for a terminal. */
export function summaryLine(o: SoakOutcome): string {
  const growth = rssGrowth(o);
  return [
    `${o.failures.length === 0 ? "PASS" : "FAIL"}: ${o.requests} requests in ${(o.elapsedMs / 1000).toFixed(0)} s (seed ${o.seed})`,
    `RSS ${mb(o.rssBaseline)} MB after warm-up -> ${mb(o.rssEnd)} MB at the end (growth ${growth === undefined ? "n/a" : `${(growth / 1024 / 1024).toFixed(1)} MB`}, limit ${mb(o.rssLimitBytes)} MB)`,
    ...o.failures.map((f) => `  - ${f}`),
  ].join("\n");
}

/** Keeps at most `max` samples, evenly spread, always the first and the last. */
function thin<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(items[Math.round((i * (items.length - 1)) / (max - 1))]!);
  return out;
}

export function renderMarkdown(o: SoakOutcome, malformedNotes: string[]): string {
  const growth = rssGrowth(o);
  const lines: string[] = [];
  lines.push("# Language server soak", "");
  lines.push(`Result: **${o.failures.length === 0 ? "pass" : "FAIL"}**`, "");
  if (o.failures.length > 0) {
    lines.push("Failures:", "");
    for (const f of o.failures) lines.push(`- ${f}`);
    lines.push("");
  }
  lines.push(
    `- Started ${o.startedAt}; ran ${(o.elapsedMs / 1000).toFixed(0)} s (planned ${(o.plannedDurationMs / 1000).toFixed(0)} s${o.requestLimit ? `, or ${o.requestLimit} requests` : ""}); seed ${o.seed}; rate ${o.rate === 0 ? "unpaced" : `${o.rate} requests/s`}.`,
    `- Machine: ${o.machine}.`,
    `- Requests sent: ${o.requests}; every one answered unless listed under failures. Answers with an id we never sent: ${o.unmatchedResponses}.`,
    `- Resident memory (VmRSS): ${mb(o.rssBaseline)} MB at the end of warm-up (${(o.warmupEndMs / 1000).toFixed(0)} s), ${mb(o.rssEnd)} MB at the end: growth ${growth === undefined ? "n/a" : `${(growth / 1024 / 1024).toFixed(1)} MB`} (limit ${mb(o.rssLimitBytes)} MB). Each figure is the median of three samples 1 s apart, taken once answers are in and workspace indexing has ended, after ${(o.quietMs / 1000).toFixed(0)} s without traffic (the server runs a full collection after 5 s idle; under load V8's heap runs well ahead of what is live).`,
    "",
  );
  lines.push("## Requests per kind", "", "| kind | sent | result | error | median ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|---:|---:|");
  for (const [kind, s] of [...o.perKind].sort((a, b) => b[1].sent - a[1].sent)) {
    const sorted = [...s.latenciesMs].sort((a, b) => a - b);
    lines.push(`| ${kind} | ${s.sent} | ${s.results} | ${s.errors} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 95))} | ${ms(sorted.at(-1) ?? NaN)} |`);
  }
  lines.push("", "Latency is from writing the request to reading its answer, as seen by the client.", "");
  lines.push("## Steps", "", "Each step is one action of the mix (some send several requests) followed by the sentinel hover.", "", "| step | count | total s | mean ms |", "|---|---:|---:|---:|");
  for (const [kind, t] of [...o.stepTimes].sort((a, b) => b[1].totalMs - a[1].totalMs)) lines.push(`| ${kind} | ${t.count} | ${(t.totalMs / 1000).toFixed(1)} | ${ms(t.totalMs / t.count)} |`);
  lines.push("");
  lines.push("## Error answers per code", "", "| code | name | count |", "|---:|---|---:|");
  for (const [code, n] of [...o.errorCodes].sort((a, b) => b[1] - a[1])) lines.push(`| ${code} | ${ERROR_NAMES[code] ?? "?"} | ${n} |`);
  lines.push("", "## Notifications and raw input sent", "", "| kind | count |", "|---|---:|");
  for (const [kind, n] of [...o.inputs].sort((a, b) => b[1] - a[1])) lines.push(`| ${kind} | ${n} |`);
  lines.push("", "## Malformed input the server must survive", "");
  for (const note of malformedNotes) lines.push(`- ${note}`);
  lines.push("", "## Server error and warning messages", "", "Grouped by their first line (numbers and paths masked).", "", "| count | message |", "|---:|---|");
  const logs = [...o.serverLogs].sort((a, b) => b[1] - a[1]);
  if (logs.length === 0) lines.push("| 0 | (none) |");
  for (const [message, n] of logs.slice(0, 30)) lines.push(`| ${n} | ${message.replace(/\|/g, "\\|").slice(0, 200)} |`);
  lines.push("", "## Resident memory over time", "", "| time s | VmRSS MB |", "|---:|---:|");
  for (const s of thin(o.rss, 60)) lines.push(`| ${(s.atMs / 1000).toFixed(0)} | ${mb(s.bytes)} |`);
  lines.push("");
  return lines.join("\n");
}
