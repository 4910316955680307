// landlock/scope-signal-conflict: signal scoping, then a signal to a process outside the domain.

import { lineOf, ruleModule, tempProject, treeSitterTester } from "../helpers/rule-tester.js";

const RULE = "scope-signal-conflict";
const project = tempProject(RULE);

const program = (afterSandbox: string) => `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    struct landlock_ruleset_attr attr = {
        .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE,
        .scoped = LANDLOCK_SCOPE_SIGNAL,
    };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return 1;
    if (syscall(SYS_landlock_restrict_self, fd, 0) != 0)
        return 1;
${afterSandbox}    return 0;
}
`;

const NOTIFY_PARENT = program(`    /* tell the supervisor we are ready */
    if (kill(getppid(), SIGUSR1) != 0)
        return 1;
`);
const SELF_SIGNAL = program(`    /* reload our own configuration */
    if (raise(SIGHUP) != 0)
        return 1;
`);

const SETOWN = `#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int watch_socket(int sock)
{
    struct landlock_ruleset_attr attr = {
        .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE,
        .scoped = LANDLOCK_SCOPE_SIGNAL,
    };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -1;
    if (syscall(SYS_landlock_restrict_self, fd, 0) != 0)
        return -1;
    /* SIGIO goes to the supervisor that started us */
    if (fcntl(sock, F_SETOWN, getppid()) != 0)
        return -1;
    return fcntl(sock, F_SETFL, O_ASYNC);
}
`;

treeSitterTester("c").run(RULE, ruleModule(RULE), {
  valid: [{ name: "signalling itself stays inside the domain", code: SELF_SIGNAL, filename: project.path("reload.c") }],
  invalid: [
    {
      name: "kill(getppid(), ...) after signal scoping",
      code: NOTIFY_PARENT,
      filename: project.path("notify.c"),
      errors: [{ message: /kill to the parent process after enforcement with LANDLOCK_SCOPE_SIGNAL .*fails with EPERM/, line: lineOf(NOTIFY_PARENT, "kill(getppid()") }],
    },
    {
      name: "F_SETOWN set after enforcement names a process outside the domain",
      code: SETOWN,
      filename: project.path("sigio.c"),
      errors: [{ message: /fcntl\(F_SETOWN\) after enforcement with LANDLOCK_SCOPE_SIGNAL.*SIGIO to the parent process/, line: lineOf(SETOWN, "F_SETOWN") }],
    },
  ],
});
