// User-space protocols that make every thread run the same syscall by signalling it:
// libpsx / Go's AllThreadsSyscall for restrict_self, and glibc's setxid broadcast for
// setuid(). Each is a sequence of tgkill calls checked like any other signal, so signal
// scoping can break them.

import type { ConcurrentOp, Errno } from "../scenario.js";
import type { Kernel, Thread } from "./state.js";
import { domainIdOf } from "./state.js";
import { signalVerdict } from "./signals.js";
import { restrictOne, type RestrictRequest } from "./restrict.js";
import { runConcurrentOps, setuidSyscall } from "./process-ops.js";
import { joinNames, restrictCall } from "./describe.js";

const PROTOCOL = {
  libpsx: { prefix: "psx", name: "libpsx", signal: "SIGSYS" },
  all_threads_syscall: { prefix: "psx", name: "AllThreadsSyscall", signal: "SIGRTMIN+1" },
} as const;

/**
 * libpsx: the caller makes the syscall first; then it signals every other thread, whose
 * handler makes the same syscall. Every thread builds its own domain from the ruleset.
 */
export function restrictViaBroadcast(
  k: Kernel, caller: Thread, req: RestrictRequest, via: "libpsx" | "all_threads_syscall", concurrent: readonly ConcurrentOp[],
): void {
  const proto = PROTOCOL[via];
  const call = `${proto.name}: ${restrictCall(req.ruleset, req.flags)}`;
  const main = { thread: caller.name, process: caller.process.name, op: "restrict_self", call, target: req.ruleset === -1 ? "-1" : req.ruleset };
  const own = restrictOne(k, caller, req);
  k.emit({ thread: caller.name, process: caller.process.name, op: `${proto.prefix}.syscall`, call: restrictCall(req.ruleset, req.flags), result: own.result, internal: true, domainBefore: own.domainBefore, domainAfter: own.domainAfter, note: own.note });
  if (own.result !== "ok") {
    k.emit({ ...main, result: own.result, value: -1, domainBefore: own.domainBefore, domainAfter: own.domainAfter, note: `${own.note}; ${proto.name} does not signal the other threads` });
    spawnAfterBroadcast(k, caller, proto.name, concurrent);
    return;
  }
  const failures: { thread: Thread; errno: Errno; why: string }[] = [];
  for (const t of k.liveThreads(caller.process).filter((t) => t !== caller)) {
    const v = signalVerdict(k, caller, t);
    k.emit({
      thread: caller.name, process: caller.process.name, op: `${proto.prefix}.signal`, call: `tgkill(${t.name}, ${proto.signal})`, target: t.name, access: "signal",
      result: v.allowed ? "ok" : (v.errno ?? "EPERM"), internal: true, ...(v.blocker ? { blocker: v.blocker } : {}),
      note: v.allowed ? v.note : `${v.note}: ${t.name}'s handler never runs, it stays unrestricted by this call`,
    });
    if (!v.allowed) {
      failures.push({ thread: t, errno: v.errno ?? "EPERM", why: "signal denied" });
      continue;
    }
    const r = restrictOne(k, t, req);
    k.emit({ thread: t.name, process: t.process.name, op: `${proto.prefix}.handler`, call: `${restrictCall(req.ruleset, req.flags)} in ${proto.signal} handler`, result: r.result, internal: true, domainBefore: r.domainBefore, domainAfter: r.domainAfter, note: r.note });
    if (r.result !== "ok") failures.push({ thread: t, errno: r.result, why: `its own call failed with ${r.result}` });
  }
  const domains = k.liveThreads(caller.process).map((t) => `${t.name} ${domainIdOf(t) ?? "none"}`);
  if (failures.length === 0) {
    k.emit({ ...main, result: "ok", value: 0, domainBefore: own.domainBefore, domainAfter: own.domainAfter, note: `each thread built its own domain from the same ruleset: ${domains.join(", ")}` });
  } else {
    const names = joinNames(failures.map((f) => f.thread.name));
    k.emit({
      ...main, result: failures[0]!.errno, value: -1, domainBefore: own.domainBefore, domainAfter: own.domainAfter,
      note: `${proto.name} reports failure: ${names} not restricted (${failures[0]!.why}); ${caller.name} itself is restricted`,
    });
  }
  spawnAfterBroadcast(k, caller, proto.name, concurrent);
}

function spawnAfterBroadcast(k: Kernel, caller: Thread, name: string, concurrent: readonly ConcurrentOp[]): void {
  runConcurrentOps(k, caller, concurrent,
    (actor, child) => `${name} held thread creation until its broadcast ended: ${child} inherits ${actor.name}'s current domain`,
    `exits during ${caller.name}'s ${name} call`);
}

/**
 * glibc setuid(): SIGSETXID to every other thread, whose handler calls setuid itself;
 * a failed tgkill means "not started yet or already exited" to glibc, which skips the
 * thread. The caller makes its own syscall last and returns its result.
 */
export function setuidGlibc(k: Kernel, caller: Thread, uid: number): void {
  const skipped: Thread[] = [];
  const oldUid = caller.cred.uid;
  const handlerResults: boolean[] = [];
  for (const t of k.liveThreads(caller.process).filter((t) => t !== caller)) {
    const v = signalVerdict(k, caller, t);
    k.emit({
      thread: caller.name, process: caller.process.name, op: "setxid.signal", call: `tgkill(${t.name}, SIGSETXID)`, target: t.name, access: "signal",
      result: v.allowed ? "ok" : (v.errno ?? "EPERM"), internal: true, ...(v.blocker ? { blocker: v.blocker } : {}),
      note: v.allowed ? v.note : `${v.note}; glibc takes the failure for "thread already exited" and skips ${t.name}`,
    });
    if (!v.allowed) {
      skipped.push(t);
      continue;
    }
    const r = setuidSyscall(k, t, uid);
    handlerResults.push(r.ok);
    k.emit({ thread: t.name, process: t.process.name, op: "setxid.handler", call: `setuid(${uid}) in SIGSETXID handler`, result: r.ok ? "ok" : "EPERM", internal: true, note: r.note });
  }
  const own = setuidSyscall(k, caller, uid);
  const base = { thread: caller.name, process: caller.process.name, op: "setuid", call: `setuid(${uid})`, target: String(uid) };
  const inconsistent = handlerResults.some((ok) => ok !== own.ok);
  let note: string;
  if (inconsistent) note = `${own.note}; the threads disagree, so glibc aborts the process (__libc_fatal)`;
  else if (!own.ok) note = own.note;
  else if (skipped.length) {
    const names = joinNames(skipped.map((t) => t.name));
    note = `setuid returned 0, but ${names} ${skipped.length === 1 ? "keeps" : "keep"} uid ${skipped.map((t) => t.cred.uid).filter((u, i, a) => a.indexOf(u) === i).join("/")}: ${skipped.length === 1 ? "its" : "their"} SIGSETXID was denied and glibc skipped ${skipped.length === 1 ? "it" : "them"}`;
  } else note = `every thread of ${caller.process.name} changed uid ${oldUid} -> ${uid}`;
  k.emit({ ...base, result: own.ok ? "ok" : "EPERM", value: own.ok ? 0 : -1, note });
}
