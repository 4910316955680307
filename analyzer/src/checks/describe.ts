// Words for messages: how many threads, started where, and the call chain that led to an op.

import type { RelatedLocation } from "../findings.js";
import type { Range } from "../ir.js";
import type { OpEvent } from "./engine.js";
import type { BuildEnv } from "./hit.js";
import { mergeThreads, type ThreadEvidence } from "./state.js";

/** Thread origins named in a message; the rest are counted. */
const MAX_LISTED = 4;
const MAX_RELATED = 12;

/** Every thread evidence seen across the contexts of a hit (spawner entries are the current thread's parent, not "other threads"). */
export function threadsOf(events: OpEvent[], includeSpawner = false): ThreadEvidence[] {
  let all: ThreadEvidence[] = [];
  for (const e of events) all = mergeThreads(all, e.state.threads);
  return all
    .filter((t) => includeSpawner || t.kind !== "spawner")
    .sort((a, b) => (a.file ?? "").localeCompare(b.file ?? "") || (a.range?.start.offset ?? -1) - (b.range?.start.offset ?? -1));
}

function countWords(threads: ThreadEvidence[]): { text: string; plural: boolean } {
  const many = threads.some((t) => t.count === "many" || t.kind === "runtime" || t.kind === "assumed");
  const n = threads.length;
  if (many) return { text: "other threads", plural: true };
  return n === 1 ? { text: "1 thread", plural: false } : { text: `${n} threads`, plural: true };
}

function origin(t: ThreadEvidence, from: string, env: BuildEnv): string {
  switch (t.kind) {
    case "runtime":
      return `${t.mechanism} threads${t.note ? ` (${t.note})` : ""}`;
    case "assumed":
      return "threads the settings assume (assumeMultithreaded)";
    default: {
      const loc = t.file && t.range ? env.where(t.file, t.range, from) : "an unknown place";
      return `started at ${loc} (${t.mechanism}${t.count === "many" ? ", several" : ""})`;
    }
  }
}

/** "2 threads started at line 40 (pthread_create) keep", "other threads (Go runtime threads ...) keep". */
export function describeThreads(threads: ThreadEvidence[], from: string, env: BuildEnv): { subject: string; verbS: boolean } {
  const { text, plural } = countWords(threads);
  const spawned = threads.filter((t) => t.kind === "spawn");
  const others = threads.filter((t) => t.kind !== "spawn");
  const parts = [...others.map((t) => origin(t, from, env))];
  if (spawned.length === 1 && others.length === 0) {
    return { subject: `${text} ${origin(spawned[0]!, from, env)}`, verbS: !plural };
  }
  if (spawned.length > 0) {
    const lines = spawned.slice(0, MAX_LISTED).map((t) => origin(t, from, env).replace(/^started at /, ""));
    const more = spawned.length > MAX_LISTED ? ` and ${spawned.length - MAX_LISTED} more places` : "";
    parts.push(`started at ${lines.join(", ")}${more}`);
  }
  if (others.length === 1 && spawned.length === 0) return { subject: others[0]!.kind === "runtime" ? `the ${origin(others[0]!, from, env)}` : `other ${origin(others[0]!, from, env)}`, verbS: false };
  return { subject: `${text} (${parts.join("; ")})`, verbS: !plural };
}

export function threadRelated(threads: ThreadEvidence[]): RelatedLocation[] {
  return threads.slice(0, MAX_RELATED).flatMap((t) =>
    t.file && t.range
      ? [{ file: t.file, range: t.range, message: t.kind === "runtime" ? `${t.mechanism} threads exist here` : `thread started here (${t.mechanism})` }]
      : [],
  );
}

/** The call sites that led to the op, for findings inside helpers (first context only, outermost first). */
export function callChainRelated(events: OpEvent[]): RelatedLocation[] {
  const seen = new Set<string>();
  const out: RelatedLocation[] = [];
  for (const e of events) {
    for (const site of e.ctx.callChain) {
      const k = `${site.file}:${site.range.start.offset}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ file: site.file, range: site.range, message: `reached through this call of ${site.callee} from ${site.caller}` });
    }
    if (out.length >= 8) break;
  }
  return out;
}

export function uniqueRelated(list: RelatedLocation[]): RelatedLocation[] {
  const seen = new Set<string>();
  return list.filter((r) => {
    const k = `${r.file}:${r.range.start.offset}:${r.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function rangeText(text: string | undefined, range: Range): string {
  return text ? text.slice(range.start.offset, range.end.offset) : "";
}
