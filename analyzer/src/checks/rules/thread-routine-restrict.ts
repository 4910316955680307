// landlock/thread-routine-restrict: restrict_self without TSYNC on a spawned thread (a start
// routine, a closure handed to a thread): only that thread is sandboxed.

import { threadRoutineScenario } from "../../scenario/build.js";
import { effectiveTsync } from "../engine.js";
import type { RuleModule } from "../hit.js";
import { callChainRelated, uniqueRelated } from "../describe.js";
import { createsDomain, isTsyncFallback, restrictOf, restrictsCallingThread, type RestrictOp, scenarioBasis } from "./common.js";

export const threadRoutineRestrict: RuleModule = {
  name: "thread-routine-restrict",
  check(event, env) {
    const op = restrictOf(event);
    if (!op || !createsDomain(op) || !restrictsCallingThread(op)) return undefined;
    if (!event.ctx.onThread || event.state.inChild || event.ctx.documentedPerThread) return undefined;
    if (effectiveTsync(op, event.state) === "yes" || isTsyncFallback(event, env.settings)) return undefined;
    return { range: op.calleeRange };
  },
  describe(hit, env) {
    const op = hit.op as RestrictOp;
    const starts = hit.events.map((e) => e.ctx.onThread!).filter((t) => t.range);
    const first = starts[0];
    const how = first ? `${first.routine ? `${first.routine}, ` : ""}started by ${first.how} at ${env.where(first.file, first.range!, hit.file)}` : "a spawned thread";
    const message = `${op.api} runs on a spawned thread (${how}): only that thread is sandboxed; the thread that started it and every other thread keep unrestricted access.`;
    const related = uniqueRelated([
      ...starts.map((t) => ({ file: t.file, range: t.range!, message: `thread started here (${t.how})` })),
      ...callChainRelated(hit.events),
    ]);
    return {
      message,
      related,
      fixes: [],
      scenario: threadRoutineScenario({ ...scenarioBasis(hit, env), op, threads: [] }),
    };
  },
};
