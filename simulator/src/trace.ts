// What a simulation produces: an ordered list of events, each owned by one thread (a
// lane), and the final state. Renderers (text lanes, JSON, HTML/SVG, SARIF thread flows)
// and the analyzer's explanations read only these types.

import type { Abi, Erratum, Errno } from "./scenario.js";

/** Domains are named by a 64-bit ID written as 16 hex digits, as audit logs do. */
export type DomainId = string;

export interface Blocker {
  /** Which check denied: a filesystem right, a network right, or a scope. */
  kind: "fs" | "net" | "scope";
  /** e.g. "read_file", "connect_tcp", "signal", "abstract_unix_socket". */
  access: string;
  /** Domain whose layer denied it. */
  domain: DomainId;
}

export interface TraceEvent {
  seq: number;
  /** Lane: the thread the event belongs to ("kernel" for deliveries such as SIGIO). */
  thread: string;
  process: string;
  /** Operation name: a Step op, or a protocol step ("tsync.prepare_creds", "psx.signal", ...). */
  op: string;
  /** Human-readable one-line description of the call ("restrict_self(rs, TSYNC)"). */
  call: string;
  result: "ok" | Errno | "delivered" | "dropped" | "skipped";
  /** What the call was aimed at: a path, a port, a thread or process name, a socket name, an fd name. */
  target?: string;
  /** The access asked for where one is checked ("read_file", "connect_tcp", "signal", ...). */
  access?: string;
  /** Return value where it matters (ABI version, fd number). */
  value?: number;
  domainBefore?: DomainId | null;
  domainAfter?: DomainId | null;
  blocker?: Blocker;
  /** Step index in the scenario this event came from; protocol sub-steps share it. */
  step?: number;
  /** True for events inside a protocol (TSYNC task_work, psx handler, setxid handler). */
  internal?: boolean;
  note?: string;
}

export interface ThreadState {
  id: string;
  process: string;
  alive: boolean;
  domain: DomainId | null;
  layers: number;
  noNewPrivs: boolean;
  capSysAdmin: boolean;
  uid: number;
  /** Where the thread came from ("main", "spawned by main at step 3", ...). */
  origin: string;
}

export interface DomainInfo {
  id: DomainId;
  parent: DomainId | null;
  layers: number;
  handledFs: string[];
  handledNet: string[];
  scoped: string[];
  /** The rules copied from the ruleset when the domain was created (a domain never changes afterwards). */
  rules?: { fs: { path: string; access: string[] }[]; net: { port: number; access: string[] }[] };
  /** Thread whose restrict_self created the domain, and the scenario step. */
  createdBy?: string;
  step?: number;
  /** Name of the ruleset the domain was built from. */
  ruleset?: string;
}

/** A step whose `expect` disagreed with what the model returned. */
export interface FailedExpectation {
  step: number;
  thread: string;
  op: string;
  expected: string;
  actual: string;
}

export interface Trace {
  scenario: string;
  abi: Abi;
  errata: Erratum[];
  events: TraceEvent[];
  threads: ThreadState[];
  domains: DomainInfo[];
  description?: string;
  /** Copied from the scenario: what a reader should look at. */
  highlights?: string[];
  /** Steps whose `expect` failed; empty or absent when all held. */
  failedExpectations?: FailedExpectation[];
  /** Plain sentences stating the consequence ("threads w1, w2 keep no domain: they can still open /etc/shadow"). */
  summary: string[];
}
