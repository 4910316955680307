// The invariants the explorer checks, by code (what the models emit) and by name (what
// users read). One table so the CLI, the API and the tests agree on names.

export const INVARIANT_ALL_OR_NOTHING = 1;
export const INVARIANT_NO_THREAD_LEFT_BEHIND = 2;
export const INVARIANT_SAME_DOMAIN = 3;
export const INVARIANT_DEADLOCK = 4;
export const INVARIANT_LIVELOCK = 5;

export type InvariantName =
  | "all-or-nothing"
  | "no-thread-left-behind"
  | "same-domain-everywhere"
  | "termination";

export interface InvariantInfo {
  name: InvariantName;
  /** Which way the invariant failed, for termination: "deadlock" or "livelock". */
  kind?: "deadlock" | "livelock";
  description: string;
}

const TABLE: Record<number, InvariantInfo> = {
  [INVARIANT_ALL_OR_NOTHING]: {
    name: "all-or-nothing",
    description:
      "after the call returns success every thread it reached has the new domain; after it returns an error no thread's domain changed",
  },
  [INVARIANT_NO_THREAD_LEFT_BEHIND]: {
    name: "no-thread-left-behind",
    description:
      "after the call returns success no live thread keeps another domain (or lacks no_new_privs), including threads spawned during the call",
  },
  [INVARIANT_SAME_DOMAIN]: {
    name: "same-domain-everywhere",
    description: "once enforcement is over, every live thread of the process is in one and the same domain",
  },
  [INVARIANT_DEADLOCK]: {
    name: "termination",
    kind: "deadlock",
    description: "the call always returns: no reachable state where nothing can move while a call is still pending",
  },
  [INVARIANT_LIVELOCK]: {
    name: "termination",
    kind: "livelock",
    description: "the call always returns: no reachable cycle of steps in which a pending call never returns",
  },
};

export function invariantInfo(code: number): InvariantInfo {
  const info = TABLE[code];
  if (!info) throw new RangeError(`unknown invariant code ${code}`);
  return info;
}

/** Every invariant with its description, for --help and documentation. */
export function listInvariants(): InvariantInfo[] {
  return Object.values(TABLE);
}
