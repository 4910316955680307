// landlock/unchecked-restrict-result: the result of restrict_self (or of create_ruleset /
// add_rule, or of a wrapper returning it) is ignored. On failure the program carries on
// unsandboxed without noticing.

import type { Fix } from "../../findings.js";
import type { IrOp } from "../../ir.js";
import { checkResultEdits } from "../../fixes/syntax.js";
import { restrictFailsScenario } from "../../scenario/build.js";
import type { RuleModule } from "../hit.js";
import { scenarioBasis } from "./common.js";
import { callChainRelated, uniqueRelated } from "../describe.js";

/** A library reports partial or no enforcement in a status the code never looks at. */
function statusIgnored(op: Extract<IrOp, { type: "restrict" }>): boolean {
  return op.statusIgnored === true;
}

export const uncheckedRestrictResult: RuleModule = {
  name: "unchecked-restrict-result",
  check(event, env) {
    const op = event.op;
    switch (op.type) {
      case "restrict":
        if (op.resultChecked === "no") return { range: op.calleeRange };
        // The call's error is handled; only the best-effort status is dropped. That is a
        // weaker signal than an ignored error, so it is a warning that says why.
        return statusIgnored(op) ? { range: op.calleeRange, severity: "warning" } : undefined;
      case "create-ruleset":
      case "add-rule":
        return op.resultChecked === "no" ? { range: op.range } : undefined;
      case "call": {
        if (op.resultChecked !== "no") return undefined;
        const callees = env.program.resolveCall(op, event.ctx.file);
        return callees.length > 0 && callees.every((c) => env.program.summary(c).returnsLandlockResult) ? { range: op.calleeRange } : undefined;
      }
      default:
        return undefined;
    }
  },
  describe(hit, env) {
    const op = hit.op;
    let what: string;
    let api: string;
    let failsWhenNegative = false;
    switch (op.type) {
      case "restrict":
        api = op.api;
        what =
          op.resultChecked !== "no" && statusIgnored(op)
            ? `The status ${op.api} returns is never examined: in best-effort mode a kernel without (part of) what the ruleset asks for leaves the program partly or not at all sandboxed, without any error.`
            : `The result of ${op.api} is ignored: if it fails (EPERM without no_new_privs, EINVAL for flags the kernel lacks, E2BIG past 16 layers) the program runs unsandboxed without noticing.`;
        break;
      case "create-ruleset":
        api = op.api;
        failsWhenNegative = true;
        what = `The result of ${op.api} is ignored: if it fails (EINVAL for rights or scopes the kernel lacks, ENOMSG, ENOSYS), later calls use an invalid fd and nothing is sandboxed.`;
        break;
      case "add-rule":
        api = op.api;
        what = `The result of ${op.api} is ignored: a rule that was not added silently changes what the sandbox allows.`;
        break;
      case "call":
        api = op.callee;
        what = `${op.callee} returns the result of a Landlock call, and it is ignored here: if the restriction fails the program runs unsandboxed without noticing.`;
        break;
      default:
        api = "landlock";
        what = "The result of a Landlock call is ignored.";
    }
    const fixes: Fix[] = [];
    const text = env.textOf(hit.file);
    if (text) {
      const edits = checkResultEdits(hit.file, text, env.languageOf(hit.file), op.range, api, failsWhenNegative);
      if (edits) fixes.push({ kind: "suggestion", description: `Stop when ${api} fails`, edits });
    }
    return {
      message: what,
      related: uniqueRelated(callChainRelated(hit.events)),
      fixes,
      scenario:
        op.type === "restrict" || op.type === "call"
          ? restrictFailsScenario(
              { ...scenarioBasis(hit, env), op, threads: [] },
              "restrict_self fails (here for lack of no_new_privs) and the program carries on as if it were sandboxed.",
            )
          : undefined,
    };
  },
};
