// landlock/abi-compat: TSYNC (ABI 8), the LOG_* flags (7), scopes (6), newer access rights
// or the no_new_privs flag (11) used beyond settings.targetAbi without asking the kernel's
// ABI first: on older kernels the call fails with EINVAL and nothing is sandboxed.

import type { Fix } from "../../findings.js";
import { insertBefore } from "../../fixes/insert.js";
import { refuseBelowAbiLines } from "../../fixes/syntax.js";
import { abiCompatScenario } from "../../scenario/build.js";
import type { OpEvent } from "../engine.js";
import type { RuleModule } from "../hit.js";
import { scenarioBasis } from "./common.js";
import { callChainRelated, uniqueRelated } from "../describe.js";

interface Need {
  abi: number;
  what: string;
  /** Several flags or rights are named in `what`. */
  plural?: boolean;
  feature: "tsync" | "log" | "nnp-flag" | "ruleset";
}

/** Features the op uses that the path does not guarantee the kernel has. */
export function unguardedNeeds(event: OpEvent): Need[] {
  if (event.ctx.abiMaybeDecided) return [];
  const have = event.state.abiMin;
  const op = event.op;
  const needs: Need[] = [];
  if (op.type === "restrict") {
    if (op.mechanism === "library") return [];
    if (op.flags.tsync === "yes" && op.flags.tsyncIfAbiAtLeast === undefined && have < 8) needs.push({ abi: 8, what: "LANDLOCK_RESTRICT_SELF_TSYNC", feature: "tsync" });
    const threshold = op.flags.tsyncIfAbiAtLeast;
    if (threshold !== undefined && threshold < 8 && have < 8) {
      needs.push({ abi: 8, what: `LANDLOCK_RESTRICT_SELF_TSYNC (added from ABI ${threshold} on)`, feature: "tsync" });
    }
    const logs = [
      op.flags.logSameExecOff === "yes" ? "LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF" : "",
      op.flags.logNewExecOn === "yes" ? "LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON" : "",
      op.flags.logSubdomainsOff === "yes" ? "LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF" : "",
    ].filter((s) => s);
    if (logs.length > 0 && have < 7) needs.push({ abi: 7, what: logs.join(" and "), plural: logs.length > 1, feature: "log" });
    if (op.flags.noNewPrivs === "yes" && have < 11) needs.push({ abi: 11, what: "LANDLOCK_RESTRICT_SELF_NO_NEW_PRIVS", feature: "nnp-flag" });
  } else if (op.type === "create-ruleset") {
    const r = op.ruleset;
    if (!r.maskedByAbi && r.neededAbi > have) {
      needs.push({ abi: r.neededAbi, what: r.neededFor.length ? r.neededFor.join(", ") : `rights of ABI ${r.neededAbi}`, plural: r.neededFor.length !== 1, feature: "ruleset" });
    }
  }
  return needs;
}

export const abiCompat: RuleModule = {
  name: "abi-compat",
  check(event) {
    if (unguardedNeeds(event).length === 0) return undefined;
    return { range: event.op.type === "restrict" ? event.op.calleeRange : event.op.range };
  },
  describe(hit, env) {
    const event = hit.events.find((e) => unguardedNeeds(e).length > 0) ?? hit.events[0]!;
    const needs = unguardedNeeds(event);
    const top = needs.reduce((a, b) => (b.abi > a.abi ? b : a), needs[0] ?? { abi: 8, what: "a newer feature", feature: "tsync" as const });
    const api = hit.op.type === "restrict" || hit.op.type === "create-ruleset" ? hit.op.api : "this call";
    const listed = needs.map((n) => `${n.what} ${n.plural ? "need" : "needs"} ABI ${n.abi}`).join("; ");
    const asked = event.state.abiQueried
      ? "the code asks the kernel's ABI but does not keep this from older kernels"
      : "the code does not ask the kernel's ABI first";
    const message =
      `${listed}, but targetAbi is ${env.settings.targetAbi} and ${asked}: on older kernels ${api} fails with EINVAL and nothing is sandboxed. ` +
      "Ask the ABI (landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)) and mask what the kernel lacks, or refuse to run.";
    const fixes: Fix[] = [];
    const text = env.textOf(hit.file);
    const language = env.languageOf(hit.file);
    if (text) {
      const lines = refuseBelowAbiLines(language, top.abi, `Landlock ABI ${top.abi} is required (${top.what})`, event.ctx.fn.file, text);
      const guard = lines && insertBefore(text, hit.file, hit.op.range, event.ctx.fn.fn, lines, language);
      if (guard) fixes.push({ kind: "suggestion", description: `Refuse to run below Landlock ABI ${top.abi}`, edits: [guard] });
    }
    return {
      message,
      related: uniqueRelated(callChainRelated(hit.events)),
      fixes,
      scenario: abiCompatScenario({ ...scenarioBasis(hit, env), op: hit.op, threads: [], feature: top.feature }),
    };
  },
};
