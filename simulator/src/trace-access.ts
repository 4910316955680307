// Access checks over a finished trace's domain list (DomainInfo), so that explanations
// can ask "could this thread still do that?" from the trace alone.

import type { DomainInfo, Trace } from "./trace.js";

function beneath(path: string, ancestor: string): boolean {
  return ancestor === "/" || path === ancestor || path.startsWith(ancestor.endsWith("/") ? ancestor : ancestor + "/");
}

export class TraceDomains {
  private readonly byId: Map<string, DomainInfo>;

  constructor(trace: Trace) {
    this.byId = new Map(trace.domains.map((d) => [d.id, d]));
  }

  get(id: string | null): DomainInfo | undefined {
    return id ? this.byId.get(id) : undefined;
  }

  layers(id: string | null): DomainInfo[] {
    const out: DomainInfo[] = [];
    for (let d = this.get(id); d; d = this.get(d.parent)) out.push(d);
    return out;
  }

  /** The newest layer of `domain` denying `access` on `path`; undefined when allowed. */
  fsDenier(domain: string | null, path: string, access: string): DomainInfo | undefined {
    return this.layers(domain).find(
      (l) => l.handledFs.includes(access) && !(l.rules?.fs ?? []).some((r) => r.access.includes(access) && beneath(path, r.path)),
    );
  }

  netDenier(domain: string | null, port: number, access: string): DomainInfo | undefined {
    return this.layers(domain).find(
      (l) => l.handledNet.includes(access) && !(l.rules?.net ?? []).some((r) => r.access.includes(access) && r.port === port),
    );
  }
}
