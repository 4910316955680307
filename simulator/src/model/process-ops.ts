// Process and thread lifecycle and the credential calls that touch one thread only:
// clone (thread), fork, exit, exec, prctl(PR_SET_NO_NEW_PRIVS), capset, raw setuid.

import type { ConcurrentOp } from "../scenario.js";
import type { Kernel, Process, Thread } from "./state.js";
import { domainIdOf } from "./state.js";
import { joinNames } from "./describe.js";

function where(thread: Thread) {
  return { thread: thread.name, process: thread.process.name };
}

/** A new thread shares its creator's struct cred and inherits its no_new_privs flag. */
export function spawnThread(k: Kernel, spawner: Thread, name: string, label?: string, note?: string): Thread {
  const thread = k.addThread(name, spawner.process, spawner.cred, spawner.noNewPrivs, `spawned by ${spawner.name} at step ${k.step + 1}`);
  const domain = domainIdOf(spawner);
  k.emit({
    ...where(spawner), op: "spawn_thread", call: `pthread_create(${name}${label ? `: ${label}` : ""})`,
    result: "ok", target: name, domainBefore: domain, domainAfter: domain,
    note: note ?? (domain ? `${name} starts in ${spawner.name}'s domain` : `${name} starts with no domain, like ${spawner.name}`),
  });
  return thread;
}

export function exitThread(k: Kernel, thread: Thread, note?: string): void {
  thread.alive = false;
  k.emit({ ...where(thread), op: "exit_thread", call: "pthread_exit()", result: "ok", ...(note ? { note } : {}) });
}

/** The child process has one thread (named like the process) with a copy of the caller's credentials and fds. */
export function fork(k: Kernel, parent: Thread, child: string, label?: string): Thread {
  const process = k.createProcess(child, parent.process);
  for (const [name, fd] of parent.process.fds) process.fds.set(name, { ...fd });
  process.nextFd = parent.process.nextFd;
  for (const socket of k.sockets.values()) if (socket.holders.has(parent.process)) socket.holders.add(process);
  const thread = k.addThread(child, process, parent.cred, parent.noNewPrivs, `forked by ${parent.name} at step ${k.step + 1}`);
  const domain = domainIdOf(parent);
  k.emit({
    ...where(parent), op: "fork", call: `fork() -> ${child}${label ? ` (${label})` : ""}`, result: "ok", target: child,
    domainBefore: domain, domainAfter: domain,
    note: domain ? `child ${child} inherits ${parent.name}'s domain` : `child ${child} has no domain, like ${parent.name}`,
  });
  return thread;
}

/** execve: the other threads of the process are killed and the caller leads it; ruleset fds and bound sockets are close-on-exec; the domain stays. */
export function exec(k: Kernel, thread: Thread): void {
  const others = k.liveThreads(thread.process).filter((t) => t !== thread);
  for (const t of others) t.alive = false;
  // de_thread(): the caller takes over the leader's identity; an exited leader is released.
  thread.process.leader = thread;
  const closed: string[] = [];
  for (const [name, fd] of thread.process.fds) {
    if (fd.object?.kind === "ruleset") {
      thread.process.fds.delete(name);
      closed.push(name);
    }
  }
  const closedSockets: string[] = [];
  for (const socket of k.sockets.values()) {
    if (!socket.holders.delete(thread.process)) continue;
    const others = k.socketHolders(socket).map((p) => p.name);
    closedSockets.push(others.length ? `@${socket.name} (${joinNames(others)} still hold${others.length === 1 ? "s" : ""} it)` : `@${socket.name}`);
  }
  const parts = [
    others.length ? `${joinNames(others.map((t) => t.name))} end${others.length === 1 ? "s" : ""}` : "",
    closed.length ? `ruleset fd${closed.length === 1 ? "" : "s"} ${joinNames(closed)} closed (O_CLOEXEC)` : "",
    closedSockets.length ? `socket${closedSockets.length === 1 ? "" : "s"} ${joinNames(closedSockets)} closed (O_CLOEXEC)` : "",
    "the domain is kept across exec",
  ].filter(Boolean);
  const domain = domainIdOf(thread);
  k.emit({ ...where(thread), op: "exec", call: "execve()", result: "ok", domainBefore: domain, domainAfter: domain, note: parts.join("; ") });
}

export function prctlNoNewPrivs(k: Kernel, thread: Thread): void {
  const already = thread.noNewPrivs;
  thread.noNewPrivs = true;
  k.emit({
    ...where(thread), op: "prctl_no_new_privs", call: "prctl(PR_SET_NO_NEW_PRIVS, 1)", result: "ok",
    note: already ? "no_new_privs was already set" : `no_new_privs set on ${thread.name} only (threads created later inherit it)`,
  });
}

export function dropCapSysAdmin(k: Kernel, thread: Thread): void {
  const had = thread.cred.capSysAdmin;
  if (had) thread.cred = k.changeCred(thread.cred, { capSysAdmin: false });
  k.emit({
    ...where(thread), op: "drop_cap_sys_admin", call: "capset(-CAP_SYS_ADMIN)", result: "ok",
    note: had ? `${thread.name} no longer has CAP_SYS_ADMIN (this thread only)` : "CAP_SYS_ADMIN was not held",
  });
}

/** setuid(2) as the kernel sees it: changes the calling thread's credentials only. */
export function setuidSyscall(k: Kernel, thread: Thread, uid: number): { ok: boolean; note: string } {
  const before = thread.cred.uid;
  if (before !== 0 && uid !== before) return { ok: false, note: `uid ${before} may not become ${uid} (no CAP_SETUID)` };
  // Leaving uid 0 for good drops every capability (no SECBIT_KEEP_CAPS).
  thread.cred = k.changeCred(thread.cred, { uid, capSysAdmin: uid === 0 ? thread.cred.capSysAdmin : false });
  return { ok: true, note: `uid ${before} -> ${uid}` };
}

export function setuidRaw(k: Kernel, thread: Thread, uid: number): void {
  const r = setuidSyscall(k, thread, uid);
  const others = k.liveThreads(thread.process).filter((t) => t !== thread).map((t) => t.name);
  k.emit({
    ...where(thread), op: "setuid", call: `syscall(SYS_setuid, ${uid})`, result: r.ok ? "ok" : "EPERM", value: r.ok ? 0 : -1,
    note: r.ok && others.length ? `${r.note} in ${thread.name} only; ${joinNames(others)} keep their uid` : r.note,
  });
}

export function processOf(k: Kernel, name: string): Process | undefined {
  return k.processes.get(name) ?? k.threads.get(name)?.process;
}

/**
 * Runs what other threads do while `caller` is inside restrict_self, once nothing
 * coordinates with them any more: spawns (with `spawnNote` saying where the new thread's
 * credentials come from) and exits. Ops that cannot happen are reported as skipped.
 */
export function runConcurrentOps(k: Kernel, caller: Thread, ops: readonly ConcurrentOp[], spawnNote?: (actor: Thread, name: string) => string, exitNote?: string): void {
  for (const op of ops) {
    const actor = k.threads.get(op.thread);
    if (!actor || !actor.alive || actor === caller || (op.op === "spawn_thread" && (k.threads.has(op.new) || k.processes.has(op.new)))) {
      const why = actor === caller ? `${caller.name} is inside restrict_self` : !actor || !actor.alive ? `no live thread ${op.thread}` : `the name ${op.op === "spawn_thread" ? op.new : ""} is taken`;
      k.emit({ thread: op.thread, process: actor?.process.name ?? "-", op: op.op, call: op.op, result: "skipped", note: why });
      continue;
    }
    if (op.op === "spawn_thread") spawnThread(k, actor, op.new, undefined, spawnNote?.(actor, op.new));
    else exitThread(k, actor, exitNote);
  }
}
