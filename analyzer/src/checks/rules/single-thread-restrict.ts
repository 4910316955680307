// landlock/single-thread-restrict: restrict_self without TSYNC while other threads may
// exist. Those threads keep their old credentials and, sharing memory, the process.

import type { Fix } from "../../findings.js";
import { refuseBelowAbiLines } from "../../fixes/syntax.js";
import { insertBefore } from "../../fixes/insert.js";
import { singleThreadScenario } from "../../scenario/build.js";
import { effectiveTsync } from "../engine.js";
import type { RuleModule } from "../hit.js";
import { multithreaded } from "../state.js";
import { callChainRelated, describeThreads, threadRelated, threadsOf, uniqueRelated } from "../describe.js";
import { createsDomain, isTsyncFallback, restrictOf, restrictsCallingThread, tsyncEditFor, type RestrictOp, scenarioBasis } from "./common.js";

export const singleThreadRestrict: RuleModule = {
  name: "single-thread-restrict",
  check(event, env) {
    const op = restrictOf(event);
    if (!op || !createsDomain(op) || !restrictsCallingThread(op)) return undefined;
    if (effectiveTsync(op, event.state) === "yes" || isTsyncFallback(event, env.settings)) return undefined;
    if (!multithreaded(event.state) || event.ctx.onThread || event.ctx.documentedPerThread) return undefined;
    return { range: op.calleeRange };
  },
  describe(hit, env) {
    const op = hit.op as RestrictOp;
    const threads = threadsOf(hit.events);
    const { subject, verbS } = describeThreads(threads, hit.file, env);
    const maybe = op.flags.tsync === "maybe" ? " (its flags could not be evaluated, and may lack LANDLOCK_RESTRICT_SELF_TSYNC)" : "";
    const message = `${capitalise(subject)} ${verbS ? "keeps" : "keep"} unrestricted access: only the calling thread is sandboxed by ${op.api}${maybe}.`;
    const fixes: Fix[] = [];
    const text = env.textOf(hit.file);
    const language = env.languageOf(hit.file);
    const event = hit.events[0]!;
    const abiGuaranteed = Math.min(...hit.events.map((e) => e.state.abiMin));
    if (text) {
      const tsync = tsyncEditFor(hit.file, op, env);
      if (tsync && abiGuaranteed >= 8) {
        fixes.push({ kind: "fix", description: "Add LANDLOCK_RESTRICT_SELF_TSYNC: every thread gets the domain", edits: [tsync] });
      } else if (tsync) {
        const lines = refuseBelowAbiLines(language, 8, "Landlock ABI 8 (TSYNC) is required to sandbox every thread", event.ctx.fn.file, text);
        const guard = lines && insertBefore(text, hit.file, op.range, event.ctx.fn.fn, lines, language);
        if (guard) {
          fixes.push({
            kind: "suggestion",
            description: "Refuse to run without TSYNC (ABI 8) and add LANDLOCK_RESTRICT_SELF_TSYNC",
            edits: [guard, tsync],
          });
        }
      }
    }
    return {
      message,
      related: uniqueRelated([...threadRelated(threads), ...callChainRelated(hit.events)]),
      fixes,
      scenario: singleThreadScenario({ ...scenarioBasis(hit, env), op, threads }),
    };
  },
};

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
