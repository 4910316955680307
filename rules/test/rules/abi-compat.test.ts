// landlock/abi-compat: TSYNC, scopes, rights or flags beyond targetAbi without asking the ABI.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { analyzerSuggestionOutput, lineOf, ruleModule, tempProject, treeSitterTester } from "../helpers/rule-tester.js";

const RULE = "abi-compat";
const project = tempProject(RULE);

const program = (beforeRestrict: string) => `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *serve(void *arg) { return arg; }

int main(void)
{
    pthread_t tid;
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0 || pthread_create(&tid, NULL, serve, NULL) != 0)
        return 1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return 1;
${beforeRestrict}    if (syscall(SYS_landlock_restrict_self, fd, LANDLOCK_RESTRICT_SELF_TSYNC) != 0)
        return 1;
    return pthread_join(tid, NULL);
}
`;

const UNASKED = program("");
// Asks the kernel first and refuses to run without ABI 8.
const ASKED = program(`    if (syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION) < 8) {
        fprintf(stderr, "this program needs Landlock ABI 8 (TSYNC)\\n");
        exit(EXIT_FAILURE);
    }
`);
const file = project.path("server.c");
const restrictLine = lineOf(UNASKED, "syscall(SYS_landlock_restrict_self");

treeSitterTester("c").run(RULE, ruleModule(RULE), {
  valid: [
    { name: "the target ABI has TSYNC", code: UNASKED, filename: file, settings: { landlock: { targetAbi: 8 } } },
    { name: "the ABI is asked and older kernels are refused", code: ASKED, filename: file },
  ],
  invalid: [
    {
      name: "TSYNC on targetAbi 6 without asking",
      code: UNASKED,
      filename: file,
      errors: [
        {
          message: /LANDLOCK_RESTRICT_SELF_TSYNC needs ABI 8, but targetAbi is 6/,
          line: restrictLine,
          suggestions: [{ messageId: "suggestion", output: analyzerSuggestionOutput(UNASKED, file, RULE, restrictLine) }],
        },
      ],
    },
  ],
});

describe(`${RULE}: what the suggestion does`, () => {
  it("asks the kernel's ABI and refuses to run below 8", () => {
    const fixed = analyzerSuggestionOutput(UNASKED, file, RULE, restrictLine);
    assert.match(fixed, /LANDLOCK_CREATE_RULESET_VERSION/);
    assert.match(fixed, /< 8\)[\s\S]*exit\(EXIT_FAILURE\)[\s\S]*LANDLOCK_RESTRICT_SELF_TSYNC/);
  });
});
