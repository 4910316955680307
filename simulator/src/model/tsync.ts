// LANDLOCK_RESTRICT_SELF_TSYNC, run deterministically at the grain of the kernel patch:
// discovery rounds that queue task_work on siblings not seen yet, prepare_creds in each
// sibling (errors go to a shared slot), all_prepared per round, ready_to_commit once no
// new thread shows up, then commit or abort everywhere and all_finished. One new domain
// replaces every sibling's domain, whatever it was. The exhaustive interleavings are the
// explorer's job (src/explorer/).

import type { ConcurrentOp, Errno } from "../scenario.js";
import type { Domain, Kernel, Ruleset, Thread } from "./state.js";
import { domainIdOf } from "./state.js";
import { buildDomain, successNote, type RestrictRequest } from "./restrict.js";
import { exitThread, runConcurrentOps } from "./process-ops.js";
import { joinNames, restrictCall } from "./describe.js";

interface SiblingWork {
  thread: Thread;
  /** The sibling shared the caller's struct cred: it takes the caller's new cred instead of preparing one. */
  sharesCallerCred: boolean;
  exitAfter: boolean;
}

function internal(k: Kernel, thread: Thread, op: string, call: string, result: "ok" | Errno, note: string, extra: Partial<{ domainBefore: string | null; domainAfter: string | null }> = {}) {
  k.emit({ thread: thread.name, process: thread.process.name, op: `tsync.${op}`, call, result, internal: true, note, ...extra });
}

export function restrictTsync(k: Kernel, caller: Thread, req: RestrictRequest, ruleset: Ruleset | null, concurrent: readonly ConcurrentOp[]): void {
  const before = domainIdOf(caller);
  const oldCredId = caller.cred.id;
  const newDomain: Domain | null = buildDomain(k, caller, req, ruleset, caller.cred.domain);
  const targetDomain = newDomain ?? caller.cred.domain;
  const seen = new Set<Thread>([caller]);
  const works: SiblingWork[] = [];
  let sharedError: Errno | null = null;
  let faultThread: string | null = null;

  for (let round = 1; ; round++) {
    const found = k.liveThreads(caller.process).filter((t) => !seen.has(t));
    internal(k, caller, "discover", `discovery round ${round}`, "ok",
      found.length ? `found ${joinNames(found.map((t) => t.name))} (not seen before)` : "no new thread: every sibling is waiting in its task_work");
    if (found.length === 0) break;
    const roundWorks = found.map((thread) => ({ thread, sharesCallerCred: thread.cred.id === oldCredId, exitAfter: false }));
    for (const w of roundWorks) {
      seen.add(w.thread);
      works.push(w);
      internal(k, w.thread, "task_work_add", "task_work queued", "ok", `pseudo-signal queued by ${caller.name} (round ${round})`);
    }
    if (round === 1) applyConcurrent(k, caller, concurrent, works);
    for (const w of roundWorks) {
      if (w.sharesCallerCred) {
        const faultNote = k.enomemAtPrepare === w.thread.name ? "; the injected prepare_creds fault cannot fire here" : "";
        internal(k, w.thread, "prepare_creds", "prepare_creds", "ok", `shares ${caller.name}'s cred: takes a reference to the new cred, no allocation${faultNote}`);
      } else if (k.enomemAtPrepare === w.thread.name) {
        sharedError ??= "ENOMEM";
        faultThread ??= w.thread.name;
        internal(k, w.thread, "prepare_creds", "prepare_creds", "ENOMEM", "allocation failed (injected fault): ENOMEM written to the shared error slot");
      } else {
        internal(k, w.thread, "prepare_creds", "prepare_creds", "ok", `private copy of ${w.thread.name}'s own cred, domain replaced`);
      }
    }
    internal(k, caller, "all_prepared", `all_prepared (round ${round})`, "ok", `${roundWorks.length} sibling${roundWorks.length === 1 ? "" : "s"} prepared; num_preparing back to 0`);
  }

  const commit = sharedError === null;
  internal(k, caller, "ready_to_commit", "complete(ready_to_commit)", "ok",
    commit ? "no error in the shared slot: siblings commit" : `shared error ${sharedError}: siblings abort`);
  // Siblings that shared the caller's old cred all point at the caller's one new cred.
  const callerNewCred = k.changeCred(caller.cred, {
    domain: targetDomain,
    logSubdomainsOff: caller.cred.logSubdomainsOff || req.flags.includes("log_subdomains_off"),
  });
  for (const w of works) {
    const domBefore = domainIdOf(w.thread);
    if (commit) {
      const gainedNnp = !w.thread.cred.capSysAdmin && !w.thread.noNewPrivs;
      w.thread.cred = w.sharesCallerCred
        ? callerNewCred
        : k.changeCred(w.thread.cred, { domain: targetDomain, logSubdomainsOff: w.thread.cred.logSubdomainsOff || req.flags.includes("log_subdomains_off") });
      if (!w.thread.cred.capSysAdmin) w.thread.noNewPrivs = true;
      const replaced = domBefore && domBefore !== before ? ` (its own domain ${domBefore} is replaced, not stacked)` : "";
      internal(k, w.thread, "commit", "commit_creds", "ok",
        `${w.thread.name} enters ${targetDomain ? `domain ${targetDomain.id}` : "the new cred"}${replaced}${gainedNnp ? "; no_new_privs set (no CAP_SYS_ADMIN)" : ""}`,
        { domainBefore: domBefore, domainAfter: domainIdOf(w.thread) });
    } else {
      internal(k, w.thread, "abort", "abort_creds", "ok", `${w.thread.name} keeps ${domBefore ? `domain ${domBefore}` : "no domain"}`, { domainBefore: domBefore, domainAfter: domBefore });
    }
  }
  internal(k, caller, "all_finished", "wait(all_finished)", "ok", `${works.length} sibling${works.length === 1 ? "" : "s"} finished`);

  const call = restrictCall(req.ruleset, req.flags);
  if (commit) {
    caller.cred = callerNewCred;
    if (req.flags.includes("no_new_privs")) caller.noNewPrivs = true;
    const names = [caller, ...works.map((w) => w.thread)].map((t) => t.name);
    k.emit({
      thread: caller.name, process: caller.process.name, op: "restrict_self", call, target: req.ruleset === -1 ? "-1" : req.ruleset,
      result: "ok", value: 0, domainBefore: before, domainAfter: domainIdOf(caller),
      note: targetDomain ? `TSYNC: ${joinNames(names)} are all in domain ${targetDomain.id}` : successNote(caller, null, req.ruleset),
    });
  } else {
    if (newDomain) k.discardDomain(newDomain);
    k.emit({
      thread: caller.name, process: caller.process.name, op: "restrict_self", call, target: req.ruleset === -1 ? "-1" : req.ruleset,
      result: sharedError!, value: -1, domainBefore: before, domainAfter: before,
      note: `prepare_creds failed in ${faultThread}: every thread aborted, no thread changed`,
    });
  }
  for (const w of works) if (w.exitAfter && w.thread.alive) exitThread(k, w.thread, "exits after running its TSYNC task_work");
}

/**
 * Other threads act after round 1 queued its task_work, before they run it: a spawner
 * still inside clone() creates a thread the next round must find; a thread on its way
 * out runs its pending task_work on the exit path, then exits.
 */
function applyConcurrent(k: Kernel, caller: Thread, ops: readonly ConcurrentOp[], works: SiblingWork[]): void {
  const queuedExits = ops.filter((op) => op.op === "exit_thread" && works.some((w) => w.thread.name === op.thread && w.thread.alive));
  for (const op of queuedExits) works.find((w) => w.thread.name === op.thread)!.exitAfter = true;
  runConcurrentOps(k, caller, ops.filter((op) => !queuedExits.includes(op)),
    (actor, name) => `during ${caller.name}'s TSYNC call: ${name} starts with ${actor.name}'s old credentials, after discovery round 1`,
    `exits during ${caller.name}'s TSYNC call`);
}
