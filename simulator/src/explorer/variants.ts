// The correct TSYNC protocol, two naive designs and the mutants of the correct model.
// Each flawed variant is the correct model with one or two switches flipped (see Flaws);
// `exposedBy` names the smallest exploration options under which its flaw is reachable,
// so that tests and users know what to ask for.

export interface Flaws {
  /** The caller does not wait for all_prepared after queueing a round. */
  noWaitAllPrepared: boolean;
  /** The caller returns without waiting for all_finished. */
  noWaitAllFinished: boolean;
  /** Siblings commit without reading the shared preparation_error. */
  ignoreErrorSlot: boolean;
  /** The discovery scan stops one thread before the end of the thread list. */
  skipLastThread: boolean;
  /** A sibling commits the new cred on entering its task_work, before prepare_creds. */
  commitBeforePrepare: boolean;
  /** One discovery round only. */
  singleRound: boolean;
  /** No count pass and no preallocation: the scan queues on every thread it meets. */
  noCapacity: boolean;
  /** Siblings commit or abort right after preparing, without waiting for ready_to_commit. */
  commitWithoutWait: boolean;
  /** num_preparing starts each round at 0 instead of 1. */
  counterStartsAtZero: boolean;
  /** An exiting thread discards its queued task_work without telling the caller. */
  exitDropsWork: boolean;
  /** Concurrent TSYNC calls are not serialised by exec_update_lock. */
  noSerialization: boolean;
}

export const NO_FLAWS: Flaws = Object.freeze({
  noWaitAllPrepared: false,
  noWaitAllFinished: false,
  ignoreErrorSlot: false,
  skipLastThread: false,
  commitBeforePrepare: false,
  singleRound: false,
  noCapacity: false,
  commitWithoutWait: false,
  counterStartsAtZero: false,
  exitDropsWork: false,
  noSerialization: false,
});

/** Options that make a variant's flaw reachable (a subset of the CLI's exploration options). */
export interface Exposure {
  threads: number;
  spawn?: boolean;
  exit?: boolean;
  enomem?: boolean;
  concurrent?: boolean;
}

export interface VariantInfo {
  name: string;
  kind: "correct" | "naive" | "mutant";
  description: string;
  /** Smallest options under which the flaw shows (for the correct model: a typical run). */
  exposedBy: Exposure;
}

interface VariantDef extends VariantInfo {
  flaws: Partial<Flaws>;
}

const VARIANTS: readonly VariantDef[] = [
  {
    name: "correct",
    kind: "correct",
    description: "the protocol of the kernel patch: rounds of discovery until none finds a new thread, all_prepared per round, ready_to_commit, all_finished; concurrent calls serialised by exec_update_lock",
    exposedBy: { threads: 3 },
    flaws: {},
  },
  {
    name: "single-pass",
    kind: "naive",
    description: "one pass over the thread list queues a task_work on every sibling, then waits: a thread spawned by a sibling before it entered its task_work escapes",
    exposedBy: { threads: 2, spawn: true },
    flaws: { singleRound: true, noCapacity: true },
  },
  {
    name: "commit-without-wait",
    kind: "naive",
    description: "each sibling commits as soon as it has prepared, without waiting for ready_to_commit: an ENOMEM in a later sibling leaves the earlier ones changed",
    exposedBy: { threads: 3, enomem: true },
    flaws: { commitWithoutWait: true },
  },
  {
    name: "no-wait-all-prepared",
    kind: "mutant",
    description: "a wait removed: the caller does not wait for all_prepared, so it stops looking for threads while queued siblings can still spawn",
    exposedBy: { threads: 2, spawn: true },
    flaws: { noWaitAllPrepared: true },
  },
  {
    name: "no-wait-all-finished",
    kind: "mutant",
    description: "a wait removed: the caller returns success without waiting for all_finished, before siblings have committed",
    exposedBy: { threads: 2 },
    flaws: { noWaitAllFinished: true },
  },
  {
    name: "ignore-error-slot",
    kind: "mutant",
    description: "the error slot ignored: siblings commit even when another sibling's prepare_creds failed",
    exposedBy: { threads: 3, enomem: true },
    flaws: { ignoreErrorSlot: true },
  },
  {
    name: "skip-last-thread",
    kind: "mutant",
    description: "a thread skipped in discovery: the scan stops one entry before the end of the thread list",
    exposedBy: { threads: 2 },
    flaws: { skipLastThread: true },
  },
  {
    name: "commit-before-prepare",
    kind: "mutant",
    description: "a sibling commits the new cred when its task_work starts, before prepare_creds can fail",
    exposedBy: { threads: 2, enomem: true },
    flaws: { commitBeforePrepare: true },
  },
  {
    name: "no-rediscovery",
    kind: "mutant",
    description: "discovery not repeated: the loop ends after the first round even when that round found threads",
    exposedBy: { threads: 2, spawn: true },
    flaws: { singleRound: true },
  },
  {
    name: "counter-starts-at-zero",
    kind: "mutant",
    description: "num_preparing starts at 0 instead of 1: the first sibling to prepare completes all_prepared before the round is fully queued",
    exposedBy: { threads: 3, enomem: true },
    flaws: { counterStartsAtZero: true },
  },
  {
    name: "exit-drops-task-work",
    kind: "mutant",
    description: "an exiting thread drops its queued task_work without decrementing num_preparing / num_unfinished: the caller waits forever",
    exposedBy: { threads: 2, exit: true },
    flaws: { exitDropsWork: true },
  },
  {
    name: "no-serialization",
    kind: "mutant",
    description: "concurrent TSYNC calls are not serialised: each call's pseudo-signal interrupts the other, both cancel and restart, forever",
    exposedBy: { threads: 2, concurrent: true },
    flaws: { noSerialization: true },
  },
];

/** Every TSYNC model variant: the correct one, the naive designs and the mutants. */
export function listVariants(): VariantInfo[] {
  return VARIANTS.map(({ flaws: _flaws, ...info }) => ({ ...info, exposedBy: { ...info.exposedBy } }));
}

export function variantFlaws(name: string): Flaws | undefined {
  const v = VARIANTS.find((d) => d.name === name);
  return v ? { ...NO_FLAWS, ...v.flaws } : undefined;
}
