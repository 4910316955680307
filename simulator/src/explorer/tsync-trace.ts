// Turns a TSYNC counterexample (an initial state and a list of actions) into TraceEvents:
// it replays the run through the model with narration on, so every event says what the
// model did, and names domains by ID the way the rest of the simulator does.

import type { TraceEvent } from "../trace.js";
import type { Errno } from "../scenario.js";
import { domainIdFor } from "../model/ids.js";
import type { Counterexample } from "./engine.js";
import {
  INVARIANT_ALL_OR_NOTHING,
  INVARIANT_DEADLOCK,
  INVARIANT_LIVELOCK,
  INVARIANT_NO_THREAD_LEFT_BEHIND,
  INVARIANT_SAME_DOMAIN,
} from "./invariants.js";
import {
  actionThread,
  CB,
  CF,
  C_NPREP,
  C_NUNF,
  C_PC,
  DM_DIV,
  ERR_ENOMEM,
  ERR_NONE,
  FIELDS,
  GB,
  G_LOCK,
  G_NT,
  N_ABORT,
  N_ADD,
  N_COMMIT,
  N_COUNT,
  N_DEC_PREP,
  N_DEC_UNF,
  N_EXIT_BEGIN,
  N_EXIT_END,
  N_GROW,
  N_INTERRUPT,
  N_LOOP,
  N_OWN_PREPARE,
  N_PREPARE,
  N_READY,
  N_RETURN,
  N_SCAN_END,
  N_SCAN_FOUND,
  N_SPAWN,
  N_TRYLOCK,
  N_WAIT_FIN,
  N_WAIT_PREP,
  N_WORK_START,
  PC_ADD,
  PC_DONE_ERR,
  PC_DONE_OK,
  PC_ENTER,
  PC_RESTART,
  PC_SCAN,
  PC_WAIT_FIN,
  PC_WAIT_PREP,
  ST_DEAD,
  ST_EXITING,
  ST_NONE,
  ST_RUN,
  TF,
  T_DM,
  T_NNP,
  T_PEND,
  T_ST,
  T_TW,
  type Narration,
  type TsyncModel,
} from "./tsync-model.js";

export interface Lane {
  /** Thread name as used in TraceEvent.thread. */
  thread: string;
  /** "caller", "second caller", "sibling", "spawned by T2". */
  role: string;
}

export interface ThreadOutcome {
  thread: string;
  status: "running" | "exiting" | "exited";
  domain: string | null;
  noNewPrivs: boolean;
}

export interface DescribedTrace {
  events: TraceEvent[];
  lanes: Lane[];
  /** One sentence saying what went wrong. */
  message: string;
  /** Each thread at the end of the run. */
  final: ThreadOutcome[];
  /** Index into events where the repeating part of a livelock starts. */
  loopStartEvent?: number;
}

const PROCESS = "P";
const tn = (t: number): string => `T${t}`;

function errName(err: number): string {
  return err === ERR_ENOMEM ? "-ENOMEM" : err === ERR_NONE ? "0" : "-ERESTARTNOINTR";
}

export function describeTsyncTrace(model: TsyncModel, trace: Counterexample): DescribedTrace {
  const roots = model.initialStates();
  let state = roots[trace.root];
  if (!state) throw new RangeError(`counterexample names initial state ${trace.root}, the model has ${roots.length}`);
  const u = new Int32Array(FIELDS);
  model.unpack(state, 0, u);

  let nextDomain = 1;
  const nt0 = u[GB + G_NT]!;
  const disp: (string | null)[] = [];
  const lanes: Lane[] = [];
  for (let t = 0; t < nt0; t++) {
    disp.push(u[t * TF + T_DM] === DM_DIV ? domainIdFor(nextDomain++) : null);
    const role = t === 0 ? "caller" : t === 1 && model.callers === 2 ? "second caller" : u[t * TF + T_DM] === DM_DIV ? "sibling, own domain" : "sibling";
    lanes.push({ thread: tn(t), role });
  }
  const attempt: (string | null)[] = [null, null];
  const events: TraceEvent[] = [];
  let loopStartEvent: number | undefined;
  let lastReturn: { caller: number; err: number } | undefined;

  const emit = (step: number, thread: number, op: string, call: string, result: TraceEvent["result"], note: string, extra: Partial<TraceEvent> = {}) => {
    events.push({ seq: events.length + 1, thread: tn(thread), process: PROCESS, op, call, result, step, internal: op.startsWith("tsync."), note, ...extra });
  };

  for (let i = 0; i < trace.actions.length; i++) {
    const action = trace.actions[i]!;
    if (trace.loopStart === i) loopStartEvent = events.length;
    const succ = model.successors(state).find((s) => s.action === action);
    if (!succ) throw new Error(`counterexample step ${i + 1} (action ${action}) is not enabled in the model; the trace does not belong to this model`);
    const actor = actionThread(action);
    let shared = false;
    for (const [code, a, b, c] of succ.narration as Narration[]) {
      const step = i + 1;
      switch (code) {
        case N_OWN_PREPARE:
          if (b === 1) {
            attempt[a] = domainIdFor(nextDomain++);
            emit(step, a, "tsync.enter", "restrict_self(TSYNC): prepare_creds()", "ok", `new cred for ${tn(a)} with domain ${attempt[a]}`);
          } else {
            emit(step, a, "tsync.enter", "restrict_self(TSYNC): prepare_creds()", "ENOMEM", "no memory for the caller's new cred");
          }
          break;
        case N_TRYLOCK:
          if (b === 0) emit(step, a, "tsync.trylock", "down_write_trylock(exec_update_lock)", "ok", "no other TSYNC call running");
          else emit(step, a, "tsync.trylock", "down_write_trylock(exec_update_lock)", "skipped", `held by ${tn(b - 1)}'s TSYNC call: restart_syscall(), running any queued task_work on the way out`);
          break;
        case N_COUNT:
          emit(step, a, "tsync.count_threads", "count_additional_threads()", "ok", b === 0 ? "no thread left to find: every sibling is in its task_work, exiting or gone" : `${b} sibling${b === 1 ? "" : "s"} not seen yet`, { value: b });
          break;
        case N_GROW:
          emit(step, a, "tsync.grow_works", "tsync_works_grow_by()", c === 1 ? "ok" : "ENOMEM", c === 1 ? `room for ${b} task_work${b === 1 ? "" : "s"}` : "allocation failed: preparation_error = -ENOMEM", { value: b });
          break;
        case N_SCAN_FOUND:
          emit(step, a, "tsync.discover", `for_each_thread: ${tn(b)}`, "ok", `${tn(b)} not seen yet`);
          break;
        case N_SCAN_END:
          if (b < 0) emit(step, a, "tsync.discover", "for_each_thread: end of list", "ok", "pass over the thread list done");
          else emit(step, a, "tsync.discover", `for_each_thread: ${tn(b)}`, "skipped", `no preallocated task_work left for ${tn(b)}: next round`);
          break;
        case N_ADD:
          if (c === 1) emit(step, a, "tsync.task_work_add", `task_work_add(${tn(b)}, TWA_SIGNAL)`, "ok", `pseudo-signal queued on ${tn(b)}`, { target: tn(b) });
          else emit(step, a, "tsync.task_work_add", `task_work_add(${tn(b)}, TWA_SIGNAL)`, "ESRCH", `${tn(b)} has exited: entry trimmed`, { target: tn(b) });
          break;
        case N_DEC_PREP:
          if (actor === a && model.callers > a) {
            emit(step, actor, "tsync.num_preparing", "atomic_dec_return(&num_preparing)", "ok", b > 0 ? "siblings of this round still preparing" : "nothing left to wait for", { value: b });
          } else {
            emit(step, actor, "tsync.num_preparing", `atomic_dec_return(&num_preparing) [${tn(a)}'s call]`, "ok", c === 1 ? "last one: complete_all(all_prepared)" : "", { value: b });
          }
          break;
        case N_WAIT_PREP:
          emit(step, a, "tsync.wait_all_prepared", "wait_for_completion_interruptible(&all_prepared)", "ok", "every sibling queued in this round is in its task_work");
          break;
        case N_LOOP:
          emit(step, a, "tsync.loop", b === 1 ? "next discovery round" : "discovery done", "ok",
            b === 1 ? "this round found threads: look again"
              : c === 0 ? "this round found no new thread"
              : c === 1 ? "preparation_error is set: stop looking"
              : "this design makes one pass only, although the pass found threads");
          break;
        case N_INTERRUPT: {
          const cancelled: string[] = [];
          for (let t = 0; t < 16; t++) if (b & (1 << t)) cancelled.push(tn(t));
          const why = c === 1 ? "a signal" : "the pseudo-signal of another TSYNC call";
          emit(step, a, "tsync.interrupted", "wait_for_completion_interruptible(&all_prepared)", "EINTR",
            `${why} interrupts the wait: preparation_error = -ERESTARTNOINTR${cancelled.length ? `; task_work cancelled on ${cancelled.join(", ")}` : ""}`);
          break;
        }
        case N_READY:
          emit(step, a, "tsync.ready_to_commit", "complete_all(&ready_to_commit)", "ok", b === ERR_NONE ? "siblings may commit" : `siblings abort (preparation_error = ${errName(b)})`);
          break;
        case N_DEC_UNF:
          if (actor === a && model.callers > a) {
            emit(step, actor, "tsync.num_unfinished", "atomic_dec_return(&num_unfinished)", "ok", b > 0 ? "siblings still finishing" : "", { value: b });
          } else {
            emit(step, actor, "tsync.num_unfinished", `atomic_dec_return(&num_unfinished) [${tn(a)}'s call]`, "ok", c === 1 ? "last one: complete_all(all_finished)" : "", { value: b });
          }
          break;
        case N_WAIT_FIN:
          emit(step, a, "tsync.wait_all_finished", "wait_for_completion(&all_finished)", "ok", "every sibling has committed or aborted");
          break;
        case N_RETURN: {
          const before = disp[a] ?? null;
          if (b === ERR_NONE) disp[a] = attempt[a] ?? null;
          const result: Errno | "ok" = b === ERR_NONE ? "ok" : b === ERR_ENOMEM ? "ENOMEM" : "EINTR";
          emit(step, a, "restrict_self", "landlock_restrict_self(TSYNC)", result,
            b === ERR_NONE ? `${tn(a)} commits its own cred: domain ${disp[a]}` : b === ERR_ENOMEM ? "call fails: every sibling aborted" : "-ERESTARTNOINTR: the syscall restarts after the signal",
            { value: b === ERR_NONE ? 0 : -1, domainBefore: before, domainAfter: disp[a] ?? null, internal: false });
          lastReturn = { caller: a, err: b };
          break;
        }
        case N_WORK_START:
          shared = c === 1;
          emit(step, a, "tsync.task_work", `task_work of ${tn(b)}'s call starts`, "ok",
            shared ? `${tn(a)} shares ${tn(b)}'s old cred: it will take a reference to the new cred` : `${tn(a)} has its own cred: it needs prepare_creds()`);
          break;
        case N_PREPARE:
          if (shared) emit(step, a, "tsync.prepare_creds", "get_cred(new_cred)", "ok", "no allocation, cannot fail");
          else emit(step, a, "tsync.prepare_creds", "prepare_creds()", c === 1 ? "ok" : "ENOMEM", c === 1 ? "private copy, domain replaced" : "allocation failed: preparation_error = -ENOMEM");
          break;
        case N_COMMIT: {
          const before = disp[a] ?? null;
          disp[a] = attempt[b] ?? null;
          emit(step, a, "tsync.commit_creds", "commit_creds()", "ok", `${tn(a)} enters domain ${disp[a]}; no_new_privs set`, { domainBefore: before, domainAfter: disp[a] ?? null });
          break;
        }
        case N_ABORT:
          emit(step, a, "tsync.abort_creds", "abort_creds()", "ok", `preparation_error = ${errName(c)}: ${tn(a)} keeps ${disp[a] ? `domain ${disp[a]}` : "no domain"}`, { domainBefore: disp[a] ?? null, domainAfter: disp[a] ?? null });
          break;
        case N_SPAWN:
          disp[b] = disp[a] ?? null;
          lanes[b] = { thread: tn(b), role: `spawned by ${tn(a)}` };
          emit(step, a, "spawn_thread", `clone(CLONE_THREAD) = ${tn(b)}`, "ok", `${tn(b)} starts with ${tn(a)}'s cred (${disp[b] ? `domain ${disp[b]}` : "no domain"})`, { target: tn(b) });
          break;
        case N_EXIT_BEGIN:
          emit(step, a, "exit_thread", "exit(): PF_EXITING", "ok", "discovery skips it from now on; a task_work queued before runs on its exit path");
          break;
        case N_EXIT_END:
          emit(step, a, "exit_thread", "exit_task_work(): thread gone", "ok", b === 1 ? "its queued task_work is dropped without telling the caller" : "no task_work can be queued on it any more");
          break;
        default:
          throw new Error(`unknown narration code ${code}`);
      }
    }
    state = succ.state;
    model.unpack(state, 0, u);
  }

  const final: ThreadOutcome[] = [];
  const nt = u[GB + G_NT]!;
  for (let t = 0; t < nt; t++) {
    const st = u[t * TF + T_ST]!;
    if (st === ST_NONE) continue;
    final.push({
      thread: tn(t),
      status: st === ST_RUN ? "running" : st === ST_EXITING ? "exiting" : "exited",
      domain: st === ST_DEAD ? null : (disp[t] ?? null),
      noNewPrivs: u[t * TF + T_NNP] === 1,
    });
  }
  const message = explain(model, u, trace, disp, lastReturn);
  return { events, lanes, message, final, ...(loopStartEvent !== undefined ? { loopStartEvent } : {}) };
}

function domainText(d: string | null | undefined): string {
  return d ? `domain ${d}` : "no domain";
}

function explain(model: TsyncModel, u: Int32Array, trace: Counterexample, disp: (string | null)[], ret: { caller: number; err: number } | undefined): string {
  const nt = u[GB + G_NT]!;
  const live = (t: number) => u[t * TF + T_ST] === ST_RUN;
  switch (trace.violation) {
    case INVARIANT_ALL_OR_NOTHING:
    case INVARIANT_NO_THREAD_LEFT_BEHIND: {
      if (!ret) return "a call returned while the threads disagree";
      const mine = disp[ret.caller] ?? null;
      if (ret.err === ERR_NONE) {
        const behind: string[] = [];
        for (let t = 0; t < nt; t++) if (live(t) && (disp[t] ?? null) !== mine) behind.push(`${tn(t)} (${domainText(disp[t])})`);
        return `${tn(ret.caller)}'s TSYNC call returned success with domain ${mine}, but ${behind.join(", ")} did not get it`;
      }
      const changed: string[] = [];
      for (let t = 0; t < nt; t++) {
        const st = u[t * TF + T_ST];
        if ((st === ST_RUN || st === ST_EXITING) && u[t * TF + T_DM]! >= 2 && u[t * TF + T_DM]! - 2 === ret.caller) changed.push(tn(t));
      }
      return `${tn(ret.caller)}'s TSYNC call failed (${errName(ret.err)}), but ${changed.join(", ")} already committed its new domain: partial application`;
    }
    case INVARIANT_SAME_DOMAIN: {
      const parts: string[] = [];
      for (let t = 0; t < nt; t++) if (live(t)) parts.push(`${tn(t)} ${domainText(disp[t])}`);
      return `enforcement is over but the threads are in different domains: ${parts.join(", ")}`;
    }
    case INVARIANT_DEADLOCK: {
      const waits: string[] = [];
      for (let c = 0; c < model.callers; c++) {
        const cb = CB + c * CF;
        const pc = u[cb + C_PC]!;
        if (pc === PC_WAIT_PREP) waits.push(`${tn(c)} waits for all_prepared forever (num_preparing = ${u[cb + C_NPREP]})`);
        else if (pc === PC_WAIT_FIN) waits.push(`${tn(c)} waits for all_finished forever (num_unfinished = ${u[cb + C_NUNF]})`);
        else if (pc === PC_RESTART) waits.push(`${tn(c)} waits to restart (exec_update_lock held by ${u[GB + G_LOCK] ? tn(u[GB + G_LOCK]! - 1) : "nobody"})`);
        else if (pc !== PC_DONE_OK && pc !== PC_DONE_ERR) waits.push(`${tn(c)} is stuck (${pcName(pc)})`);
      }
      for (let t = 0; t < nt; t++) {
        const b = t * TF;
        const st = u[b + T_ST];
        if (st !== ST_RUN && st !== ST_EXITING) continue;
        if (u[b + T_TW] !== 0) waits.push(`${tn(t)} waits in its task_work for ready_to_commit of ${tn(u[b + T_TW]! - 1)}'s call`);
        else if (u[b + T_PEND] !== 0) waits.push(`${tn(t)} still has a task_work queued`);
      }
      return `no step is possible any more: ${waits.join("; ")}`;
    }
    case INVARIANT_LIVELOCK:
      return "the steps from the marked point repeat forever: the calls keep restarting and never return";
    default:
      return "invariant violated";
  }
}

function pcName(pc: number): string {
  switch (pc) {
    case PC_ENTER:
      return "before the call";
    case PC_SCAN:
    case PC_ADD:
      return "discovering threads";
    case PC_WAIT_PREP:
      return "waiting for all_prepared";
    case PC_WAIT_FIN:
      return "waiting for all_finished";
    case PC_RESTART:
      return "restarting";
    default:
      return "returned";
  }
}
