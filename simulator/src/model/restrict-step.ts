// A restrict_self step: how it is made (plain syscall, TSYNC, or a user-space broadcast)
// decides which module runs it.

import type { ConcurrentOp, RestrictFlag } from "../scenario.js";
import type { Kernel, Thread } from "./state.js";
import { preflight, restrictOne, type RestrictRequest } from "./restrict.js";
import { restrictTsync } from "./tsync.js";
import { restrictViaBroadcast } from "./broadcast.js";
import { runConcurrentOps } from "./process-ops.js";
import { restrictCall } from "./describe.js";

export interface RestrictStep {
  ruleset: string | -1;
  flags?: RestrictFlag[];
  via?: "syscall" | "libpsx" | "all_threads_syscall";
  concurrent?: ConcurrentOp[];
}

export function restrictSelf(k: Kernel, caller: Thread, step: RestrictStep): void {
  const req: RestrictRequest = { ruleset: step.ruleset, flags: [...(step.flags ?? [])] };
  const concurrent = step.concurrent ?? [];
  const via = step.via ?? "syscall";
  if (via !== "syscall") return restrictViaBroadcast(k, caller, req, via, concurrent);
  const call = restrictCall(req.ruleset, req.flags);
  const target = req.ruleset === -1 ? "-1" : req.ruleset;
  if (req.flags.includes("tsync")) {
    const pre = preflight(k, caller, req);
    if (pre.ok) return restrictTsync(k, caller, req, pre.ruleset, concurrent);
    const dom = caller.cred.domain?.id ?? null;
    k.emit({ thread: caller.name, process: caller.process.name, op: "restrict_self", call, target, result: pre.errno, value: -1, domainBefore: dom, domainAfter: dom, note: `${pre.note}; no thread changed` });
    applyAfter(k, caller, concurrent);
    return;
  }
  const r = restrictOne(k, caller, req);
  const others = k.liveThreads(caller.process).filter((t) => t !== caller).map((t) => t.name);
  const note = r.result === "ok" && r.domainAfter !== r.domainBefore && others.length
    ? `${r.note}; only ${caller.name}: ${others.length} other thread${others.length === 1 ? "" : "s"} keep${others.length === 1 ? "s" : ""} ${others.length === 1 ? "its" : "their"} old domain`
    : r.note;
  k.emit({ thread: caller.name, process: caller.process.name, op: "restrict_self", call, target, result: r.result, value: r.result === "ok" ? 0 : -1, domainBefore: r.domainBefore, domainAfter: r.domainAfter, note });
  applyAfter(k, caller, concurrent);
}

/** Without TSYNC nothing coordinates with the other threads: what they do simply happens. */
function applyAfter(k: Kernel, caller: Thread, concurrent: readonly ConcurrentOp[]): void {
  runConcurrentOps(k, caller, concurrent);
}
