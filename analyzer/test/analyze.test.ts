// One file's analysis end to end on real C: suppression comments in the language's own
// syntax, the budget, and what a report says about its file.

import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeText } from "../src/analyze.js";
import { runChecks } from "../src/checks/index.js";
import { applyFixes } from "../src/apply-fixes.js";
import { suppressionEdit } from "../src/suppressions.js";
import { resolveSettings } from "../src/config.js";
import { IrBuilder } from "./ir-builder.js";

const PROGRAM = `#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *work(void *a) { return a; }

int main(void)
{
\tpthread_t t;
\tint fd = 3;

\tprctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
\tpthread_create(&t, NULL, work, NULL);
\t// landlock-lint-disable-next-line landlock/single-thread-restrict -- the worker only computes
\tif (syscall(__NR_landlock_restrict_self, fd, 0))
\t\treturn 1;
\t/* landlock-lint-disable-next-line nesting-limit */
\treturn 0;
}
`;

test("a landlock-lint comment silences its finding; the report says which directive was used and which was not", () => {
  const report = analyzeText(PROGRAM, "/p/main.c");
  assert.deepEqual(report.findings, []);
  assert.equal(report.language, "c");
  assert.equal(report.suppressions!.suppressed.length, 1);
  assert.equal(report.suppressions!.suppressed[0]!.ruleId, "landlock/single-thread-restrict");
  assert.deepEqual(report.suppressions!.used.map((d) => d.reason), ["the worker only computes"]);
  assert.deepEqual(report.suppressions!.unused.map((d) => d.rules), [["nesting-limit"]]);
  const unsuppressed = analyzeText(PROGRAM.replace("landlock-lint-disable-next-line landlock/single-thread-restrict", "plain comment"), "/p/main.c");
  assert.deepEqual(unsuppressed.findings.map((f) => f.ruleId), ["landlock/single-thread-restrict"]);
});

test("an eslint-disable comment naming the rule is honoured too", () => {
  const text = PROGRAM.replace("// landlock-lint-disable-next-line landlock/single-thread-restrict -- the worker only computes", "// eslint-disable-next-line landlock/single-thread-restrict");
  assert.deepEqual(analyzeText(text, "/p/main.c").findings, []);
});

test("a walk past its budget stops and says the findings may be incomplete", () => {
  const b = new IrBuilder();
  const body = Array.from({ length: 2000 }, () => b.spawn());
  const result = runChecks([b.build([b.fn("main", [...body, b.restrict()])])], resolveSettings({}), { deadline: Date.now() - 1, budgetMs: 1 });
  assert.match(result.incomplete!, /budget of 1 ms/);
});

test("settings given to analyzeText are validated", () => {
  assert.throws(() => analyzeText(PROGRAM, "/p/main.c", { targetAbi: 42 }), /targetAbi/);
  assert.equal(analyzeText(PROGRAM, "/p/main.c", { rules: { "single-thread-restrict": "off" } }).suppressions!.suppressed.length, 0);
});

test("the quick fix that silences a finding inserts a landlock-lint directive that the next analysis honours", () => {
  const text = PROGRAM.replace("\t// landlock-lint-disable-next-line landlock/single-thread-restrict -- the worker only computes\n", "");
  const [finding] = analyzeText(text, "/p/main.c").findings;
  assert.ok(finding);
  const silenced = applyFixes(text, [suppressionEdit(finding, text, "reviewed")]);
  assert.match(silenced, /\t\/\/ landlock-lint-disable-next-line landlock\/single-thread-restrict -- reviewed\n\tif \(syscall/);
  const again = analyzeText(silenced, "/p/main.c");
  assert.deepEqual(again.findings, []);
  assert.equal(again.suppressions!.used.length, 1);
});
