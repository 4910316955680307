// landlock/nesting-limit: a restriction that can run more often than the 16 layers a
// thread may stack (in a loop, in a function called repeatedly, through recursion): the
// 17th call fails with E2BIG.

import type { RuleModule } from "../hit.js";
import { callChainRelated, uniqueRelated } from "../describe.js";
import { nestingScenario } from "../../scenario/build.js";
import { createsDomain, restrictOf, type RestrictOp, scenarioBasis } from "./common.js";

const MAX_LAYERS = 16;

export const nestingLimit: RuleModule = {
  name: "nesting-limit",
  check(event) {
    const op = restrictOf(event);
    if (!op || !createsDomain(op)) return undefined;
    if (event.state.layersMax + 1 > MAX_LAYERS || event.ctx.recursive || event.ctx.repeatedBy) return { range: op.calleeRange };
    return undefined;
  },
  describe(hit, env) {
    const op = hit.op as RestrictOp;
    const loop = hit.events.map((e) => e.ctx.loop).find((l) => l);
    const recursive = hit.events.some((e) => e.ctx.recursive);
    const repeated = hit.events.map((e) => e.ctx.repeatedBy).find((r) => r);
    const finite = Math.max(...hit.events.map((e) => e.state.layersMax));
    let why: string;
    if (loop) why = `it runs in a loop (at ${env.where(loop.file, loop.range, hit.file)})`;
    else if (repeated) why = `it can run any number of times (${repeated.how}: a handler or callback)`;
    else if (recursive) why = "it is reached through recursion";
    else if (Number.isFinite(finite)) why = finite > MAX_LAYERS ? "more than 16 layers are already stacked on one path" : `${finite} layers are already stacked on one path`;
    else why = "it can run repeatedly";
    return {
      message: `${op.api} can stack more than ${MAX_LAYERS} Landlock layers: ${why}. Each call adds a layer to the thread's domain and the 17th fails with E2BIG.`,
      related: uniqueRelated([...(loop ? [{ file: loop.file, range: loop.range, message: "repeated here" }] : []), ...callChainRelated(hit.events)]),
      fixes: [],
      scenario: nestingScenario({ ...scenarioBasis(hit, env), op, threads: [] }),
    };
  },
};
