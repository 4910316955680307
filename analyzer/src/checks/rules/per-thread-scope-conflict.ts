// landlock/per-thread-scope-conflict: per-thread enforcement puts every thread in its own
// domain. With signal scoping the threads may not signal each other (unless the kernel has
// erratum 2), which breaks libpsx itself and glibc's setuid broadcast; with abstract
// socket scoping they cannot reach each other's abstract sockets, erratum or not.

import type { Fix, Severity } from "../../findings.js";
import { insertBefore } from "../../fixes/insert.js";
import { refuseBelowAbiLines, tsyncFlag, isCLike } from "../../fixes/syntax.js";
import { perThreadScopeScenario } from "../../scenario/build.js";
import { isPerThread, type OpEvent } from "../engine.js";
import type { RuleEnv, RuleModule } from "../hit.js";
import { callChainRelated, threadsOf, uniqueRelated } from "../describe.js";
import { createsDomain, hasErratum, restrictOf, type RestrictOp, scenarioBasis } from "./common.js";
import type { Settings } from "../../settings.js";

function conflictingScopes(event: OpEvent, env: RuleEnv): { signal: boolean; abstract: boolean } | undefined {
  const op = restrictOf(event);
  if (!op || !createsDomain(op) || !op.ruleset?.scopesKnown) return undefined;
  if (!isPerThread(op, event.state, event.ctx, env.settings)) return undefined;
  // go-landlock turns signal scoping off on kernels where per-thread domains could not signal each other.
  const signal = op.ruleset.scopes.includes("signal") && op.library?.name !== "go-landlock";
  const abstract = op.ruleset.scopes.includes("abstract_unix_socket");
  return signal || abstract ? { signal, abstract } : undefined;
}

function setuidConflict(event: OpEvent, settings: Settings) {
  if (event.op.type !== "setuid" || hasErratum(settings, 2)) return undefined;
  return event.state.enforcements.find((e) => e.perThread && e.signalScope && !e.signalScopeSafePerThread);
}

function severityFor(settings: Settings, abstract: boolean): Severity {
  return hasErratum(settings, 2) && !abstract ? "warning" : "error";
}

function mechanismWords(op: RestrictOp, event: OpEvent): string {
  switch (op.mechanism) {
    case "libpsx":
      return `${op.api} (libpsx) makes every thread call restrict_self itself`;
    case "all-threads-syscall":
      return `${op.api} (AllThreadsSyscall) makes every thread call restrict_self itself`;
    case "per-thread-user":
      return `${op.api} runs once per thread`;
    case "library":
      return `${op.library?.description ?? op.api} restricts each thread separately below ABI 8`;
    default:
      return event.ctx.onThread ? `each thread calls ${op.api} for itself` : `${op.api} is applied thread by thread`;
  }
}

export const perThreadScopeConflict: RuleModule = {
  name: "per-thread-scope-conflict",
  check(event, env) {
    const scopes = conflictingScopes(event, env);
    if (scopes) return { range: (event.op as RestrictOp).calleeRange, severity: severityFor(env.settings, scopes.abstract) };
    if (setuidConflict(event, env.settings)) return { range: event.op.range, severity: "error" };
    return undefined;
  },
  describe(hit, env) {
    const event = hit.events[0]!;
    const basis = scenarioBasis(hit, env);
    const threads = threadsOf(hit.events, true);
    if (hit.op.type === "setuid") {
      const e = hit.events.map((ev) => setuidConflict(ev, env.settings)).find((x) => x)!;
      const message =
        `${hit.op.api} after per-thread enforcement with LANDLOCK_SCOPE_SIGNAL (at ${env.where(e.file, e.range, hit.file)}): ` +
        "glibc changes the other threads' credentials by signalling them, the scope denies those signals, and glibc skips the threads " +
        `it cannot signal: ${hit.op.api} succeeds while those threads keep the old credentials (unless the kernel has erratum 2).`;
      return {
        message,
        related: uniqueRelated([{ file: e.file, range: e.range, message: "per-thread enforcement with signal scope" }, ...callChainRelated(hit.events)]),
        fixes: [],
        scenario: perThreadScopeScenario({ ...basis, op: hit.op, threads, setuid: true, via: "libpsx", enforcedAt: { file: e.file, range: e.range } }),
        severity: "error",
      };
    }
    const op = hit.op as RestrictOp;
    const scopes = conflictingScopes(event, env) ?? { signal: op.ruleset?.scopes.includes("signal") ?? false, abstract: op.ruleset?.scopes.includes("abstract_unix_socket") ?? false };
    const consequences: string[] = [];
    if (scopes.signal) {
      consequences.push(
        `with LANDLOCK_SCOPE_SIGNAL the threads cannot signal each other${hasErratum(env.settings, 2) ? " across processes they forked" : " (unless the kernel has erratum 2)"}, ` +
          "which breaks libpsx itself, nested enforcement and glibc's setuid/setgid broadcast",
      );
    }
    if (scopes.abstract) consequences.push("with LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET they cannot connect to abstract sockets bound by each other");
    const message = `${mechanismWords(op, event)}: each thread ends in its own domain, and ${consequences.join("; ")}. Use LANDLOCK_RESTRICT_SELF_TSYNC (one domain for all threads) instead.`;
    const fixes: Fix[] = [];
    const text = env.textOf(hit.file);
    const language = env.languageOf(hit.file);
    if (text && isCLike(language) && op.mechanism === "libpsx" && /^psx_syscall/.test(op.api) && op.flags.range) {
      const edits = [
        { file: hit.file, range: op.calleeRange, text: "syscall" },
        { file: hit.file, range: op.flags.range, text: tsyncFlag(language) },
      ];
      if (event.state.abiMin < 8) {
        const lines = refuseBelowAbiLines(language, 8, "Landlock ABI 8 (TSYNC) is required to sandbox every thread", event.ctx.fn.file, text);
        const guard = lines && insertBefore(text, hit.file, op.range, event.ctx.fn.fn, lines, language);
        if (!guard) return { message, related: callChainRelated(hit.events), fixes, severity: hit.severity };
        edits.unshift(guard);
      }
      fixes.push({ kind: "suggestion", description: "Restrict every thread at once with TSYNC instead of libpsx", edits });
    }
    return {
      message,
      related: uniqueRelated(callChainRelated(hit.events)),
      fixes,
      scenario: perThreadScopeScenario({
        ...basis,
        op,
        threads: threads.filter((t) => t.kind !== "spawner"),
        setuid: false,
        via: op.mechanism === "all-threads-syscall" ? "all_threads_syscall" : "libpsx",
      }),
      severity: hit.severity,
    };
  },
};
