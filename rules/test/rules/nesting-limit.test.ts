// landlock/nesting-limit: enforcement that can stack past the 16-layer limit.

import { lineOf, ruleModule, tempProject, treeSitterTester } from "../helpers/rule-tester.js";

const RULE = "nesting-limit";
const project = tempProject(RULE);

const program = (main: string) => `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int apply_policy(const char *name)
{
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    (void)name;
    if (fd < 0)
        return -1;
    return syscall(SYS_landlock_restrict_self, fd, 0);
}

int main(int argc, char **argv)
{
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return 1;
${main}    return 0;
}
`;

// One layer per policy named on the command line: unbounded.
const PER_ARGUMENT = program(`    for (int i = 1; i < argc; i++)
        if (apply_policy(argv[i]) != 0)
            return 1;
`);
// Two fixed layers.
const TWO_LAYERS = program(`    (void)argc;
    if (apply_policy(argv[0]) != 0 || apply_policy("tmp") != 0)
        return 1;
`);

treeSitterTester("c").run(RULE, ruleModule(RULE), {
  valid: [{ name: "a fixed number of layers", code: TWO_LAYERS, filename: project.path("layers.c") }],
  invalid: [
    {
      name: "one layer per command-line argument",
      code: PER_ARGUMENT,
      filename: project.path("layers.c"),
      errors: [{ message: new RegExp(String.raw`can stack more than 16 Landlock layers: it runs in a loop \(at line ${lineOf(PER_ARGUMENT, "for (int i")}\)`), line: lineOf(PER_ARGUMENT, "return syscall(SYS_landlock_restrict_self") }],
    },
  ],
});
