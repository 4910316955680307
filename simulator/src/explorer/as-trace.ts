// A counterexample as a complete Trace document, so the simulator's renderers (text
// lanes, HTML/SVG timeline, SARIF thread flows) can show it like any scenario run.

import type { Abi, Erratum } from "../scenario.js";
import type { DomainInfo, ThreadState, Trace } from "../trace.js";
import type { DescribedTrace } from "./tsync-trace.js";

export interface TraceContext {
  /** Names the run, e.g. the command line that reproduces it. */
  scenario: string;
  abi: Abi;
  errata: Erratum[];
  /** What the violated invariant demands. */
  description: string;
  /** Scopes of the domains the run creates. */
  scoped: string[];
}

export function counterexampleTrace(d: DescribedTrace, ctx: TraceContext): Trace {
  const threads: ThreadState[] = d.final.map((t) => {
    const lane = d.lanes.find((l) => l.thread === t.thread);
    return {
      id: t.thread,
      process: "P",
      alive: t.status !== "exited",
      domain: t.domain,
      layers: t.domain ? 1 : 0,
      noNewPrivs: t.noNewPrivs,
      capSysAdmin: false,
      uid: 1000,
      origin: lane?.role ?? "",
    };
  });
  const domains = new Map<string, DomainInfo>();
  const addDomain = (id: string | null | undefined, createdBy: string) => {
    if (!id || domains.has(id)) return;
    domains.set(id, { id, parent: null, layers: 1, handledFs: [], handledNet: [], scoped: [...ctx.scoped], createdBy });
  };
  for (const e of d.events) {
    addDomain(e.domainBefore, e.thread);
    addDomain(e.domainAfter, e.thread);
  }
  for (const t of d.final) addDomain(t.domain, t.thread);
  return {
    scenario: ctx.scenario,
    abi: ctx.abi,
    errata: ctx.errata,
    events: d.events,
    threads,
    domains: [...domains.values()],
    description: ctx.description,
    summary: [d.message],
  };
}
