// landlock/unsafe-tsync-fallback: "TSYNC if the kernel has it, else restrict one thread".

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { analyzerSuggestionOutput, lineOf, ruleModule, tempProject, treeSitterTester } from "../helpers/rule-tester.js";

const RULE = "unsafe-tsync-fallback";
const project = tempProject(RULE);

const program = (abiCheck: string, flags: string) => `#define _GNU_SOURCE
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
    int abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0 || pthread_create(&tid, NULL, serve, NULL) != 0)
        return 1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return 1;
${abiCheck}    if (syscall(SYS_landlock_restrict_self, fd, ${flags}) != 0)
        return 1;
    return pthread_join(tid, NULL);
}
`;

const FALLBACK = program("", "abi >= 8 ? LANDLOCK_RESTRICT_SELF_TSYNC : 0");
const REFUSES = program(
  `    if (abi < 8) {
        fprintf(stderr, "Landlock ABI 8 (TSYNC) is required\\n");
        exit(EXIT_FAILURE);
    }
`,
  "LANDLOCK_RESTRICT_SELF_TSYNC",
);
const file = project.path("server.c");
const restrictLine = lineOf(FALLBACK, "syscall(SYS_landlock_restrict_self");

treeSitterTester("c").run(RULE, ruleModule(RULE), {
  valid: [{ name: "refuses to run below ABI 8, then TSYNC", code: REFUSES, filename: file }],
  invalid: [
    {
      name: "TSYNC only when the ABI has it, one thread otherwise",
      code: FALLBACK,
      filename: file,
      errors: [
        {
          message: /adds TSYNC only when the ABI is at least 8; below that only the calling thread is restricted/,
          line: restrictLine,
          suggestions: [{ messageId: "suggestion", output: analyzerSuggestionOutput(FALLBACK, file, RULE, restrictLine) }],
        },
      ],
    },
  ],
});

describe(`${RULE}: what the suggestion does`, () => {
  it("refuses to run when the kernel lacks TSYNC instead of falling back", () => {
    const fixed = analyzerSuggestionOutput(FALLBACK, file, RULE, restrictLine);
    assert.match(fixed, /< 8\)[\s\S]*exit\(EXIT_FAILURE\)/);
  });
});
