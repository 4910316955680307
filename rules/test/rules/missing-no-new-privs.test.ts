// landlock/missing-no-new-privs: restrict_self without no_new_privs or CAP_SYS_ADMIN.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { analyzerSuggestionOutput, lineOf, ruleModule, tempProject, treeSitterTester } from "../helpers/rule-tester.js";

const RULE = "missing-no-new-privs";
const project = tempProject(RULE);

const program = (beforeRestrict: string) => `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0)
        return 1;
${beforeRestrict}    if (syscall(SYS_landlock_restrict_self, fd, 0) != 0)
        return 1;
    return 0;
}
`;

const WITHOUT = program("");
const WITH = program(`    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return 1;
`);
// Reading the flag is not setting it.
const GET_ONLY = program(`    if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
        return 1;
`);
const file = project.path("jail.c");
const restrictLine = lineOf(WITHOUT, "syscall(SYS_landlock_restrict_self");

treeSitterTester("c").run(RULE, ruleModule(RULE), {
  valid: [{ name: "prctl(PR_SET_NO_NEW_PRIVS) first", code: WITH, filename: file }],
  invalid: [
    {
      name: "no no_new_privs at all",
      code: WITHOUT,
      filename: file,
      errors: [
        {
          message: /without no_new_privs.*EPERM/,
          line: restrictLine,
          suggestions: [{ messageId: "suggestion", output: analyzerSuggestionOutput(WITHOUT, file, RULE, restrictLine) }],
        },
      ],
    },
    {
      name: "PR_GET_NO_NEW_PRIVS only reads the flag",
      code: GET_ONLY,
      filename: file,
      errors: [
        {
          message: /without no_new_privs/,
          line: lineOf(GET_ONLY, "syscall(SYS_landlock_restrict_self"),
          suggestions: [{ messageId: "suggestion", output: analyzerSuggestionOutput(GET_ONLY, file, RULE, lineOf(GET_ONLY, "syscall(SYS_landlock_restrict_self")) }],
        },
      ],
    },
  ],
});

describe(`${RULE}: what the suggestion does`, () => {
  it("sets no_new_privs before the restriction", () => {
    const fixed = analyzerSuggestionOutput(WITHOUT, file, RULE, restrictLine);
    const prctlAt = fixed.indexOf("prctl(PR_SET_NO_NEW_PRIVS, 1");
    assert.ok(prctlAt > 0, "the suggestion adds prctl(PR_SET_NO_NEW_PRIVS, 1, ...)");
    assert.ok(prctlAt < fixed.indexOf("syscall(SYS_landlock_restrict_self"), "before restrict_self");
    assert.match(fixed, /#include <sys\/prctl\.h>/);
  });
});
