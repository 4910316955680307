// landlock/unchecked-restrict-result: the result of restrict_self (or of the ruleset calls) is ignored.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { applyFixes, Project } from "@landlock-lint/analyzer";
import { analyzerSuggestionOutput, lineOf, ruleModule, tempProject, treeSitterTester } from "../helpers/rule-tester.js";

const RULE = "unchecked-restrict-result";
const project = tempProject(RULE, {
  // A wrapper in another file that returns the restrict_self result to its caller.
  "sandbox.c": `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int sandbox_enter(void)
{
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -1;
    return syscall(SYS_landlock_restrict_self, fd, 0);
}
`,
});

const program = (restrict: string) => `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return 1;
${restrict}    return 0;
}
`;

const IGNORED = program("    syscall(SYS_landlock_restrict_self, fd, 0);\n");
const CHECKED = program("    if (syscall(SYS_landlock_restrict_self, fd, 0) != 0)\n        return 1;\n");

const CALLER_IGNORES = `int sandbox_enter(void);

int main(void)
{
    sandbox_enter();
    return 0;
}
`;
const CALLER_CHECKS = `#include <stdio.h>
int sandbox_enter(void);

int main(void)
{
    if (sandbox_enter() != 0) {
        perror("sandbox");
        return 1;
    }
    return 0;
}
`;

const file = project.path("main.c");
const callerLine = lineOf(CALLER_IGNORES, "sandbox_enter();");

/** The analyzer's suggestion for the caller, seen with the whole project (the wrapper lives in sandbox.c). */
function callerSuggestion(): string {
  const report = new Project(project.root).analyzeFile(file, CALLER_IGNORES);
  const finding = report.findings.find((f) => f.ruleId === `landlock/${RULE}`);
  const suggestion = finding?.fixes.find((f) => f.kind === "suggestion");
  if (!suggestion) throw new Error("the analyzer offers no suggestion for the ignored wrapper result");
  return applyFixes(CALLER_IGNORES, suggestion.edits);
}
const ignoredLine = lineOf(IGNORED, "syscall(SYS_landlock_restrict_self");

treeSitterTester("c").run(RULE, ruleModule(RULE), {
  valid: [
    { name: "the result is tested", code: CHECKED, filename: file },
    { name: "the caller tests what the wrapper in sandbox.c returns", code: CALLER_CHECKS, filename: file },
  ],
  invalid: [
    {
      name: "restrict_self as a statement",
      code: IGNORED,
      filename: file,
      errors: [
        {
          message: /The result of syscall\(SYS_landlock_restrict_self\) is ignored/,
          line: ignoredLine,
          column: 5,
          suggestions: [{ messageId: "suggestion", output: analyzerSuggestionOutput(IGNORED, file, RULE, ignoredLine) }],
        },
      ],
    },
    {
      name: "the result of a wrapper in another file is ignored by its caller",
      code: CALLER_IGNORES,
      filename: file,
      errors: [
        {
          message: /sandbox_enter returns the result of a Landlock call, and it is ignored here/,
          line: callerLine,
          suggestions: [{ messageId: "suggestion", output: callerSuggestion() }],
        },
      ],
    },
  ],
});

describe(`${RULE}: what the suggestions do`, () => {
  it("checks the wrapper's result in the caller", () => {
    assert.match(callerSuggestion(), /if \(sandbox_enter\(\)/);
  });

  it("stops the program when restrict_self fails", () => {
    const fixed = analyzerSuggestionOutput(IGNORED, file, RULE, ignoredLine);
    assert.match(fixed, /if \(syscall\(SYS_landlock_restrict_self, fd, 0\)\) \{[\s\S]*exit\(EXIT_FAILURE\)/);
  });
});
