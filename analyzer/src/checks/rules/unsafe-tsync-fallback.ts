// landlock/unsafe-tsync-fallback: "TSYNC if the kernel has it, else restrict one thread (or
// each thread separately)" in a multithreaded process. On every kernel below ABI 8 the
// fallback leaves threads outside the domain; the safe design refuses to run instead.

import type { Fix } from "../../findings.js";
import { insertBefore } from "../../fixes/insert.js";
import { refuseBelowAbiLines } from "../../fixes/syntax.js";
import { singleThreadScenario } from "../../scenario/build.js";
import type { RuleModule } from "../hit.js";
import { multithreaded } from "../state.js";
import { callChainRelated, describeThreads, threadRelated, threadsOf, uniqueRelated } from "../describe.js";
import { createsDomain, fallbackSource, isTsyncFallback, restrictOf, tsyncEditFor, type RestrictOp, scenarioBasis } from "./common.js";

export const unsafeTsyncFallback: RuleModule = {
  name: "unsafe-tsync-fallback",
  check(event, env) {
    const op = restrictOf(event);
    if (!op || !createsDomain(op) || event.ctx.documentedPerThread) return undefined;
    if (!isTsyncFallback(event, env.settings)) return undefined;
    if (!multithreaded(event.state) && !event.ctx.onThread) return undefined;
    return { range: op.calleeRange };
  },
  describe(hit, env) {
    const op = hit.op as RestrictOp;
    const threads = threadsOf(hit.events, true);
    const { subject } = describeThreads(threads.filter((t) => t.kind !== "spawner"), hit.file, env);
    const event = hit.events[0]!;
    let how: string;
    if (op.mechanism === "library" && op.library) {
      const lib = op.library;
      how =
        lib.fallbackBelowTsync === "per-thread"
          ? `${lib.description}: below ABI 8 each thread is restricted separately (distinct domains)`
          : `${lib.description}: below ABI 8 TSYNC is silently dropped and only the calling thread is restricted`;
    } else if (op.flags.tsyncIfAbiAtLeast !== undefined) {
      how = `${op.api} adds TSYNC only when the ABI is at least ${op.flags.tsyncIfAbiAtLeast}; below that only the calling thread is restricted`;
    } else {
      how = `this ${op.api} is the fallback taken when TSYNC is not available: it restricts only the calling thread`;
    }
    const others = threads.some((t) => t.kind !== "spawner") ? `${subject} stay` : "the other threads stay";
    const message = `${how}; on kernels below ABI 8 (targetAbi is ${env.settings.targetAbi}) ${others} outside the sandbox. Refuse to run without TSYNC instead.`;
    const fixes: Fix[] = [];
    const text = env.textOf(hit.file);
    const language = env.languageOf(hit.file);
    if (text && op.mechanism !== "library") {
      const lines = refuseBelowAbiLines(language, 8, "Landlock ABI 8 (TSYNC) is required to sandbox every thread", event.ctx.fn.file, text);
      // The check goes before the code that chooses between TSYNC and the fallback (the TSYNC
      // attempt, or the ABI branch), when that is in the same function; the fallback itself
      // then asks for TSYNC too, so no path restricts a single thread.
      const fnRange = event.ctx.fn.fn.range;
      const source = fallbackSource(event);
      const anchor =
        source && source.file === hit.file && source.range.start.offset >= fnRange.start.offset && source.range.end.offset <= fnRange.end.offset
          ? source.range
          : op.range;
      const guard = lines && insertBefore(text, hit.file, anchor, event.ctx.fn.fn, lines, language);
      const tsync = op.flags.tsyncIfAbiAtLeast === undefined && op.flags.tsync !== "maybe" ? tsyncEditFor(hit.file, op, env) : undefined;
      if (guard) {
        fixes.push({
          kind: "suggestion",
          description: "Refuse to run when the kernel lacks TSYNC (ABI 8) instead of restricting one thread",
          edits: tsync ? [guard, tsync] : [guard],
        });
      }
    }
    return {
      message,
      related: uniqueRelated([
        ...(event.ctx.fallbackArm ? [{ file: event.ctx.fallbackArm.file, range: event.ctx.fallbackArm.range, message: "TSYNC is chosen here when the kernel has it" }] : []),
        ...threadRelated(threads.filter((t) => t.kind !== "spawner")),
        ...callChainRelated(hit.events),
      ]),
      fixes,
      scenario: singleThreadScenario({ ...scenarioBasis(hit, env), op, threads: threads.filter((t) => t.kind !== "spawner") }, true),
    };
  },
};
