// landlock/missing-no-new-privs: restrict_self on a path where no_new_privs is certainly not
// set, without the ABI 11 flag and without any sign of CAP_SYS_ADMIN: it fails with EPERM
// and, unless the error is handled, the program runs unsandboxed.

import type { Fix } from "../../findings.js";
import { ensureInclude, insertBefore } from "../../fixes/insert.js";
import { noNewPrivsLines } from "../../fixes/syntax.js";
import { restrictFailsScenario } from "../../scenario/build.js";
import type { RuleModule } from "../hit.js";
import { callChainRelated, uniqueRelated } from "../describe.js";
import { restrictOf, type RestrictOp, scenarioBasis } from "./common.js";

export const missingNoNewPrivs: RuleModule = {
  name: "missing-no-new-privs",
  check(event) {
    const op = restrictOf(event);
    if (!op) return undefined;
    if (op.mechanism === "library" && (op.library?.name === "go-landlock" || op.library?.name === "rust-landlock")) return undefined;
    if (event.state.nnp !== "no" || event.state.capSysAdmin !== "no" || op.flags.noNewPrivs !== "no") return undefined;
    return { range: op.calleeRange };
  },
  describe(hit, env) {
    const op = hit.op as RestrictOp;
    const event = hit.events[0]!;
    const message =
      `${op.api} without no_new_privs: nothing on this path calls prctl(PR_SET_NO_NEW_PRIVS, 1, ...) and nothing shows CAP_SYS_ADMIN, ` +
      "so the kernel refuses with EPERM and the program is not sandboxed.";
    const fixes: Fix[] = [];
    const text = env.textOf(hit.file);
    const language = env.languageOf(hit.file);
    const nnp = noNewPrivsLines(language);
    if (text && nnp) {
      const insert = insertBefore(text, hit.file, op.range, event.ctx.fn.fn, nnp.lines, language);
      if (insert) {
        const include = nnp.include ? ensureInclude(text, hit.file, nnp.include) : undefined;
        fixes.push({ kind: "suggestion", description: "Set no_new_privs before restricting", edits: include ? [include, insert] : [insert] });
      }
    }
    return {
      message,
      related: uniqueRelated(callChainRelated(hit.events)),
      fixes,
      scenario: restrictFailsScenario(
        { ...scenarioBasis(hit, env), op, threads: [] },
        "An unprivileged process restricts itself without setting no_new_privs first.",
      ),
    };
  },
};
