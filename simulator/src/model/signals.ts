// Signals under Landlock's signal scope: kill/tgkill permission checks, fcntl(F_SETOWN)
// and SIGIO delivery. A sender in a signal-scoped domain may only signal targets in its
// own domain or a descendant. Erratum 2 lets threads of one process always signal each
// other, whatever their domains.

import type { Errno } from "../scenario.js";
import type { Blocker } from "../trace.js";
import type { Kernel, Process, Thread } from "./state.js";
import { domainIdOf } from "./state.js";
import { scopeDenyingLayer } from "./access.js";
import { processOf } from "./process-ops.js";

export interface SignalVerdict {
  allowed: boolean;
  errno?: Errno;
  blocker?: Blocker;
  note: string;
}

function domainText(thread: Thread): string {
  const id = domainIdOf(thread);
  return id ? `domain ${id}` : "no domain";
}

/** check_kill_permission() for a signal from `sender` to `target`, DAC then Landlock. */
export function signalVerdict(k: Kernel, sender: Thread, target: Thread, targetLabel = target.name): SignalVerdict {
  if (!k.canBeSignalled(target)) return { allowed: false, errno: "ESRCH", note: `${targetLabel} has exited` };
  const v = credentialVerdict(k, sender, target, targetLabel);
  return k.isZombieLeader(target) ? { ...v, note: `${zombieNote(k, target)}; ${v.note}` } : v;
}

function zombieNote(k: Kernel, leader: Thread): string {
  const why = k.liveThreads(leader.process).length > 0
    ? `as the leader of ${leader.process.name} it stays a zombie while other threads run`
    : `${leader.process.name} stays a zombie until its parent reaps it, which no step does`;
  return `${leader.name} has exited, but ${why}; its credentials are checked`;
}

function credentialVerdict(k: Kernel, sender: Thread, target: Thread, targetLabel: string): SignalVerdict {
  const sameProcess = sender.process === target.process;
  if (!sameProcess && sender.cred.uid !== 0 && sender.cred.uid !== target.cred.uid) {
    return { allowed: false, errno: "EPERM", note: `uid ${sender.cred.uid} may not signal uid ${target.cred.uid} (not Landlock: ordinary permission check)` };
  }
  const senderDomain = sender.cred.domain;
  if (!senderDomain) return { allowed: true, note: `${sender.name} has no domain` };
  const layer = scopeDenyingLayer(senderDomain, target.cred.domain, "signal");
  if (!layer) {
    return { allowed: true, note: senderDomain.scoped.includes("signal") || hasScopedLayer(sender) ? `${targetLabel} is in ${sender.name}'s domain or a descendant` : `${sender.name}'s domain does not scope signals` };
  }
  if (sameProcess && k.hasErratum(2)) {
    return { allowed: true, note: `erratum 2: threads of one process may always signal each other (${targetLabel} is in ${domainText(target)})` };
  }
  return {
    allowed: false, errno: "EPERM",
    blocker: { kind: "scope", access: "signal", domain: layer.id },
    note: `${targetLabel} (${domainText(target)}) is outside signal-scoped domain ${layer.id}${sameProcess ? "; same process, but the kernel lacks erratum 2" : ""}`,
  };
}

function hasScopedLayer(thread: Thread): boolean {
  for (let d = thread.cred.domain; d; d = d.parent) if (d.scoped.includes("signal")) return true;
  return false;
}

function sendSignal(k: Kernel, sender: Thread, target: Thread, op: "kill" | "tgkill", call: string, targetName: string): void {
  const v = signalVerdict(k, sender, target, targetName);
  k.emit({
    thread: sender.name, process: sender.process.name, op, call, target: targetName, access: "signal",
    result: v.allowed ? "ok" : (v.errno ?? "EPERM"), value: v.allowed ? 0 : -1,
    domainBefore: domainIdOf(sender), domainAfter: domainIdOf(sender),
    ...(v.blocker ? { blocker: v.blocker } : {}), note: v.note,
  });
}

export function kill(k: Kernel, sender: Thread, targetName: string, signal = "SIGTERM"): void {
  const process = processOf(k, targetName);
  const target = process ? k.representative(process) : undefined;
  const call = `kill(${targetName}, ${signal})`;
  if (!process || !target) {
    k.emit({ thread: sender.name, process: sender.process.name, op: "kill", call, target: targetName, result: "ESRCH", value: -1, note: `no process ${targetName}` });
    return;
  }
  sendSignal(k, sender, target, "kill", call, process.name);
}

export function tgkill(k: Kernel, sender: Thread, targetName: string, signal = "SIGUSR1"): void {
  const target = k.threads.get(targetName);
  const call = `tgkill(${targetName}, ${signal})`;
  if (!target) {
    k.emit({ thread: sender.name, process: sender.process.name, op: "tgkill", call, target: targetName, result: "ESRCH", value: -1, note: `no thread ${targetName}` });
    return;
  }
  sendSignal(k, sender, target, "tgkill", call, targetName);
}

export function fcntlSetown(k: Kernel, thread: Thread, fd: string, ownerName: string): void {
  const owner: Process | undefined = processOf(k, ownerName);
  const call = `fcntl(${fd}, F_SETOWN, ${ownerName})`;
  if (!owner) {
    k.emit({ thread: thread.name, process: thread.process.name, op: "fcntl_setown", call, target: fd, result: "ESRCH", value: -1, note: `no process ${ownerName}` });
    return;
  }
  const domain = thread.cred.domain;
  k.owners.set(fd, { owner, setter: thread, domain, uid: thread.cred.uid, step: k.step });
  k.emit({
    thread: thread.name, process: thread.process.name, op: "fcntl_setown", call, target: fd, result: "ok", value: 0,
    domainBefore: domain?.id ?? null, domainAfter: domain?.id ?? null,
    note: domain ? `SIGIO for ${fd} will be checked against ${thread.name}'s domain ${domain.id}, recorded now` : `recorded with no domain: SIGIO for ${fd} is never filtered by Landlock`,
  });
}

/**
 * The kernel sends SIGIO to the owner's leader if sigio_perm allows it: the uid recorded by
 * F_SETOWN must be root or the owner's uid, then Landlock checks the domain recorded there.
 */
export function sigio(k: Kernel, fd: string): void {
  const rec = k.owners.get(fd);
  const base = { thread: "kernel", op: "sigio", call: `SIGIO for ${fd}`, target: fd, access: "signal" };
  if (!rec) {
    k.emit({ ...base, process: "-", result: "skipped", note: `${fd} has no owner (no F_SETOWN): no signal is sent` });
    return;
  }
  const target = k.representative(rec.owner);
  const to = { ...base, process: rec.owner.name, call: `SIGIO for ${fd} -> ${rec.owner.name}` };
  if (!target || k.liveThreads(rec.owner).length === 0) {
    k.emit({ ...to, result: "dropped", note: `owner ${rec.owner.name} has exited: no thread is left to handle SIGIO` });
    return;
  }
  const owner = k.isZombieLeader(target) ? `${rec.owner.name} (checked against its exited leader ${target.name})` : rec.owner.name;
  if (rec.uid !== 0 && rec.uid !== target.cred.uid) {
    k.emit({ ...to, result: "dropped", note: `F_SETOWN recorded uid ${rec.uid}, which is neither root nor the uid of ${owner} (${target.cred.uid}): not Landlock, the kernel's sigio_perm` });
    return;
  }
  const layer = rec.domain ? scopeDenyingLayer(rec.domain, target.cred.domain, "signal") : undefined;
  if (!layer) {
    k.emit({ ...to, result: "delivered", note: rec.domain ? `${owner} is inside the recorded domain ${rec.domain.id}` : "F_SETOWN was called with no domain" });
    return;
  }
  if (rec.setter.process === rec.owner && k.hasErratum(2)) {
    k.emit({ ...to, result: "delivered", note: "erratum 2: the owner is the process that called F_SETOWN" });
    return;
  }
  k.emit({
    ...to, result: "dropped", blocker: { kind: "scope", access: "signal", domain: layer.id },
    note: `F_SETOWN was called by ${rec.setter.name} in signal-scoped domain ${rec.domain!.id}, and ${owner} is outside it`,
  });
}
