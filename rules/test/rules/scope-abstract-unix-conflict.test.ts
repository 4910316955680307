// landlock/scope-abstract-unix-conflict: abstract-socket scoping, then a connect to an
// abstract socket bound outside the domain.

import { lineOf, ruleModule, tempProject, treeSitterTester } from "../helpers/rule-tester.js";

const RULE = "scope-abstract-unix-conflict";
const project = tempProject(RULE);

const program = (sunPath: string, length: string) => `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

int main(void)
{
    struct landlock_ruleset_attr attr = {
        .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE,
        .scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET,
    };
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return 1;
    if (syscall(SYS_landlock_restrict_self, fd, 0) != 0)
        return 1;
    int sock = socket(AF_UNIX, SOCK_STREAM, 0);
    memcpy(addr.sun_path, ${sunPath}, ${length});
    if (connect(sock, (struct sockaddr *)&addr, offsetof(struct sockaddr_un, sun_path) + ${length}) != 0)
        return 1;
    return 0;
}
`;

const ABSTRACT = program(`"\\0metrics"`, "8");
const PATHNAME = program(`"/run/metrics.sock"`, "18");

treeSitterTester("c").run(RULE, ruleModule(RULE), {
  valid: [{ name: "a pathname socket is not scoped", code: PATHNAME, filename: project.path("push.c") }],
  invalid: [
    {
      name: "connect to an abstract socket after scoping",
      code: ABSTRACT,
      filename: project.path("push.c"),
      errors: [{ message: /connect to the abstract socket "@metrics" after enforcement with LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET/, line: lineOf(ABSTRACT, "if (connect(") }],
    },
  ],
});
