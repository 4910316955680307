// landlock/scope-signal-conflict: after a domain with LANDLOCK_SCOPE_SIGNAL is enforced, a
// signal (or an F_SETOWN made after enforcement) aimed at a process outside the domain is
// denied (kill: EPERM) or silently dropped (SIGIO).

import type { RuleModule } from "../hit.js";
import { scenarioBasis } from "./common.js";
import type { OpEvent } from "../engine.js";
import type { Enforcement } from "../state.js";
import { callChainRelated, uniqueRelated } from "../describe.js";
import { scopeSignalScenario } from "../../scenario/build.js";

const TARGET_WORDS: Record<string, string> = {
  parent: "the parent process",
  "process-group": "the process group",
  "other-process": "another process",
};

/** The scoped domain that puts the target outside, if any. */
export function blockingSignalDomain(event: OpEvent): Enforcement | undefined {
  const op = event.op;
  let target: string;
  if (op.type === "signal") target = op.target;
  else if (op.type === "setown") target = op.target;
  else return undefined;
  if (!(target in TARGET_WORDS)) return undefined;
  return event.state.enforcements.find((e) => {
    if (!e.scopesKnown || !e.signalScope) return false;
    // A domain enforced before this process was forked also holds the parent.
    if ((target === "parent" || target === "process-group") && e.inherited) return false;
    // A pid may name a child forked after enforcement: inside the domain.
    if (target === "other-process" && e.childForkedAfter) return false;
    return true;
  });
}

export const scopeSignalConflict: RuleModule = {
  name: "scope-signal-conflict",
  check(event) {
    return blockingSignalDomain(event) ? { range: event.op.range } : undefined;
  },
  describe(hit, env) {
    const op = hit.op as Extract<typeof hit.op, { type: "signal" | "setown" }>;
    const domain = hit.events.map(blockingSignalDomain).find((d) => d)!;
    const target = TARGET_WORDS[op.target] ?? "a process outside the domain";
    const at = env.where(domain.file, domain.range, hit.file);
    const message =
      op.type === "setown"
        ? `${op.api} after enforcement with LANDLOCK_SCOPE_SIGNAL (at ${at}) records the sandboxed domain: SIGIO to ${target}, outside that domain, is silently dropped. Set the owner before restrict_self.`
        : `${op.api} to ${target} after enforcement with LANDLOCK_SCOPE_SIGNAL (at ${at}) fails with EPERM: ${target} is outside the domain.`;
    return {
      message,
      related: uniqueRelated([{ file: domain.file, range: domain.range, message: "signal scope enforced here" }, ...callChainRelated(hit.events)]),
      fixes: [],
      scenario: scopeSignalScenario({ ...scenarioBasis(hit, env), op, threads: [], target, setown: op.type === "setown", enforcedAt: { file: domain.file, range: domain.range } }),
    };
  },
};
