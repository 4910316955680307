// Turns a libpsx counterexample into TraceEvents by replaying it through the model.

import type { TraceEvent } from "../trace.js";
import { domainIdFor } from "../model/ids.js";
import type { Counterexample } from "./engine.js";
import { INVARIANT_DEADLOCK, INVARIANT_SAME_DOMAIN } from "./invariants.js";
import {
  PA_CALLER_RESTRICT,
  PA_EXIT,
  PA_HANDLER,
  PA_LATER_SIGNAL,
  PA_SIGNAL,
  PA_SPAWN,
  PA_WAIT,
  PCB,
  PC_NT,
  PFIELDS,
  PST_DEAD,
  PST_NONE,
  PST_RUN,
  PTF,
  PT_DM,
  PT_REG,
  PT_ST,
  SIG_DELIVERED,
  SIG_EPERM,
  psxActionKind,
  psxActionThread,
  type PsxModel,
} from "./psx-model.js";
import type { DescribedTrace, Lane, ThreadOutcome } from "./tsync-trace.js";

const PROCESS = "P";
const tn = (t: number): string => `T${t}`;

export function describePsxTrace(model: PsxModel, trace: Counterexample): DescribedTrace {
  const roots = model.initialStates();
  let state = roots[trace.root];
  if (!state) throw new RangeError(`counterexample names initial state ${trace.root}, the model has ${roots.length}`);
  const before = new Int32Array(PFIELDS);
  const after = new Int32Array(PFIELDS);
  model.unpack(state, 0, before);

  // Domain label k (the domain thread k-1 created) -> domain ID, in order of creation.
  const ids = new Map<number, string>();
  const idOf = (label: number): string | null => {
    if (label === 0) return null;
    let id = ids.get(label);
    if (!id) {
      id = domainIdFor(ids.size + 1);
      ids.set(label, id);
    }
    return id;
  };
  const lanes: Lane[] = [];
  for (let t = 0; t < before[PCB + PC_NT]!; t++) lanes.push({ thread: tn(t), role: t === 0 ? "psx_syscall caller" : "registered with libpsx" });
  const events: TraceEvent[] = [];
  const dropped = new Set<number>();
  const denied: string[] = [];
  const emit = (step: number, thread: number, op: string, call: string, result: TraceEvent["result"], note: string, extra: Partial<TraceEvent> = {}) => {
    events.push({ seq: events.length + 1, thread: tn(thread), process: PROCESS, op, call, result, step, note, ...extra });
  };
  const scopeNote = model.opts.scopeSignal ? (model.opts.erratum2 ? "signal scoping, but erratum 2 lets threads of one process signal each other" : "signal scoping") : "no signal scoping";

  for (let i = 0; i < trace.actions.length; i++) {
    const action = trace.actions[i]!;
    const step = i + 1;
    const succ = model.successors(state).find((s) => s.action === action);
    if (!succ) throw new Error(`counterexample step ${step} (action ${action}) is not enabled in the model; the trace does not belong to this model`);
    model.unpack(succ.state, 0, after);
    const t = psxActionThread(action);
    switch (psxActionKind(action)) {
      case PA_CALLER_RESTRICT:
        emit(step, 0, "restrict_self", "psx_syscall(landlock_restrict_self): caller first", "ok", `${tn(0)} enters its own new domain ${idOf(after[PT_DM]!)}`, {
          domainBefore: idOf(before[PT_DM]!), domainAfter: idOf(after[PT_DM]!), internal: false,
        });
        break;
      case PA_SIGNAL: {
        // Thread 0 in a signalling step marks the end of the pass (the caller never signals itself).
        if (t === 0) {
          emit(step, 0, "psx.signal", "psx: every registered thread signalled", "ok", "now waiting for their handlers", { internal: true });
          break;
        }
        const outcome = model.signalOutcome(before, 0, t);
        if (outcome === SIG_DELIVERED) {
          emit(step, 0, "psx.signal", `pthread_kill(${tn(t)}, psx signal)`, "delivered", `${tn(t)} will run restrict_self in its handler`, { internal: true, target: tn(t), access: "signal" });
        } else if (outcome === SIG_EPERM) {
          dropped.add(t);
          denied.push(`${tn(0)} -> ${tn(t)}`);
          emit(step, 0, "psx.signal", `pthread_kill(${tn(t)}, psx signal)`, "EPERM",
            `denied by Landlock signal scoping (${tn(t)} is outside ${tn(0)}'s domain); libpsx takes ${tn(t)} for gone and drops it: ${tn(t)} is never restricted`,
            { internal: true, target: tn(t), access: "signal", blocker: { kind: "scope", access: "signal", domain: idOf(before[PT_DM]!)! } });
        } else {
          dropped.add(t);
          emit(step, 0, "psx.signal", `pthread_kill(${tn(t)}, psx signal)`, "ESRCH", `${tn(t)} has exited: dropped`, { internal: true, target: tn(t), access: "signal" });
        }
        break;
      }
      case PA_HANDLER:
        emit(step, t, "restrict_self", "psx handler: landlock_restrict_self(ruleset)", "ok",
          `${tn(t)} calls restrict_self itself and gets its own domain ${idOf(after[t * PTF + PT_DM]!)}, a sibling of the others, not the caller's`,
          { domainBefore: idOf(before[t * PTF + PT_DM]!), domainAfter: idOf(after[t * PTF + PT_DM]!), internal: true });
        break;
      case PA_WAIT:
        emit(step, 0, "psx.wait", "psx_syscall()", "ok", dropped.size ? `libpsx reports success; it dropped ${[...dropped].map(tn).join(", ")} as gone` : "every registered thread ran the handler", { value: 0 });
        break;
      case PA_LATER_SIGNAL: {
        if (t === 0) {
          emit(step, 0, "psx.later_signal", "later cross-thread signals done", "ok", "");
          break;
        }
        const outcome = model.signalOutcome(before, 0, t);
        if (outcome === SIG_EPERM) denied.push(`${tn(0)} -> ${tn(t)}`);
        emit(step, 0, "tgkill", `tgkill(${tn(t)}) for a later psx_syscall or setxid broadcast`, outcome === SIG_DELIVERED ? "delivered" : outcome === SIG_EPERM ? "EPERM" : "ESRCH",
          outcome === SIG_DELIVERED ? `allowed (${scopeNote})` : outcome === SIG_EPERM ? `denied by Landlock signal scoping: ${tn(t)} is in another domain; nested enforcement or setuid cannot reach it` : `${tn(t)} has exited`,
          { target: tn(t), access: "signal", ...(outcome === SIG_EPERM ? { blocker: { kind: "scope" as const, access: "signal", domain: idOf(before[PT_DM]!)! } } : {}) });
        break;
      }
      case PA_SPAWN: {
        const s = before[PCB + PC_NT]!;
        lanes[s] = { thread: tn(s), role: `spawned by ${tn(t)}` };
        emit(step, t, "spawn_thread", `pthread_create (psx wrapper) = ${tn(s)}`, "ok", `${tn(s)} is registered with libpsx`, { target: tn(s) });
        break;
      }
      case PA_EXIT:
        emit(step, t, "exit_thread", "pthread_exit()", "ok", "");
        break;
      default:
        throw new Error(`unknown psx action ${action}`);
    }
    state = succ.state;
    before.set(after);
  }

  const nt = before[PCB + PC_NT]!;
  const final: ThreadOutcome[] = [];
  const parts: string[] = [];
  const unrestricted: string[] = [];
  for (let t = 0; t < nt; t++) {
    const st = before[t * PTF + PT_ST]!;
    if (st === PST_NONE) continue;
    const dom = st === PST_DEAD ? null : idOf(before[t * PTF + PT_DM]!);
    // Landlock needs no_new_privs (or CAP_SYS_ADMIN) before restrict_self: every restricted thread has it.
    final.push({ thread: tn(t), status: st === PST_RUN ? "running" : "exited", domain: dom, noNewPrivs: dom !== null });
    if (st === PST_RUN) {
      parts.push(`${tn(t)} ${dom ? `domain ${dom}` : "no domain"}`);
      if (!dom) unrestricted.push(tn(t) + (before[t * PTF + PT_REG] === 0 ? " (dropped by libpsx)" : ""));
    }
  }
  let message: string;
  if (trace.violation === INVARIANT_SAME_DOMAIN) {
    const lead = unrestricted.length
      ? `libpsx returned success, but ${unrestricted.join(", ")} ${unrestricted.length === 1 ? "was" : "were"} never restricted`
      : "each thread ran restrict_self itself, so each is in its own sibling domain";
    message = `${lead}: ${parts.join(", ")}`;
    if (denied.length) message += `; signals denied by signal scoping: ${[...new Set(denied)].join(", ")}`;
  } else if (trace.violation === INVARIANT_DEADLOCK) {
    message = "no step is possible any more while psx_syscall has not returned";
  } else {
    message = "invariant violated";
  }
  return { events, lanes, message, final };
}
