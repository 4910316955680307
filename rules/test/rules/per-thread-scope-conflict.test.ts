// landlock/per-thread-scope-conflict: per-thread enforcement (libpsx, AllThreadsSyscall)
// combined with signal or abstract-socket scoping.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { analyzerSuggestionOutput, lineOf, missingFrontEnd, ruleModule, tempProject, treeSitterTester } from "../helpers/rule-tester.js";

const RULE = "per-thread-scope-conflict";
const project = tempProject(RULE);

const psxProgram = (scoped: string) => `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/psx_syscall.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *poll_loop(void *arg) { return arg; }

int main(void)
{
    pthread_t tid;
    struct landlock_ruleset_attr attr = {
        .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE,${scoped}
    };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0 || pthread_create(&tid, NULL, poll_loop, NULL) != 0)
        return 1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return 1;
    if (psx_syscall3(SYS_landlock_restrict_self, fd, 0, 0) != 0)
        return 1;
    return pthread_join(tid, NULL);
}
`;

const SIGNAL_SCOPED = psxProgram("\n        .scoped = LANDLOCK_SCOPE_SIGNAL,");
const FS_ONLY = psxProgram("");
const file = project.path("poller.c");
const psxLine = lineOf(SIGNAL_SCOPED, "psx_syscall3(");

treeSitterTester("c").run(RULE, ruleModule(RULE), {
  valid: [{ name: "libpsx with filesystem rules only: no scope to break", code: FS_ONLY, filename: file }],
  invalid: [
    {
      name: "libpsx broadcast with LANDLOCK_SCOPE_SIGNAL",
      code: SIGNAL_SCOPED,
      filename: file,
      errors: [
        {
          message: /each thread ends in its own domain.*LANDLOCK_SCOPE_SIGNAL.*unless the kernel has erratum 2/,
          line: psxLine,
          suggestions: [{ messageId: "suggestion", output: analyzerSuggestionOutput(SIGNAL_SCOPED, file, RULE, psxLine) }],
        },
      ],
    },
    {
      name: "with erratum 2 assumed on every kernel the message drops the erratum hedge",
      code: SIGNAL_SCOPED,
      filename: file,
      settings: { landlock: { errata: [2] } },
      errors: [
        {
          message: /^(?!.*unless the kernel has erratum 2).*each thread ends in its own domain/s,
          line: psxLine,
          suggestions: [{ messageId: "suggestion", output: analyzerSuggestionOutput(SIGNAL_SCOPED, file, RULE, psxLine, 0, { errata: [2] }) }],
        },
      ],
    },
  ],
});

describe(`${RULE}: what the suggestion does`, () => {
  it("replaces the per-thread broadcast with one TSYNC call", () => {
    const fixed = analyzerSuggestionOutput(SIGNAL_SCOPED, file, RULE, psxLine);
    assert.match(fixed, /syscall\(SYS_landlock_restrict_self, fd, LANDLOCK_RESTRICT_SELF_TSYNC/);
    assert.doesNotMatch(fixed, /psx_syscall3\(SYS_landlock_restrict_self/);
  });
});

const goMissing = missingFrontEnd(".go");
describe(`${RULE}: Go`, { skip: goMissing }, () => {
  const ALL_THREADS = `package main

import (
	"log"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

func main() {
	attr := unix.LandlockRulesetAttr{Access_fs: unix.LANDLOCK_ACCESS_FS_WRITE_FILE, Scoped: unix.LANDLOCK_SCOPE_SIGNAL}
	fd, _, errno := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr), 0)
	if errno != 0 {
		log.Fatal(errno)
	}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		log.Fatal(err)
	}
	if _, _, errno := syscall.AllThreadsSyscall(unix.SYS_LANDLOCK_RESTRICT_SELF, fd, 0, 0); errno != 0 {
		log.Fatal(errno)
	}
}
`;
  if (!goMissing) {
    treeSitterTester("go").run(RULE, ruleModule(RULE), {
      valid: [],
      invalid: [
        {
          name: "Go: syscall.AllThreadsSyscall with LANDLOCK_SCOPE_SIGNAL",
          code: ALL_THREADS,
          filename: project.path("cmd/poller/main.go"),
          errors: [{ message: /own domain/, line: lineOf(ALL_THREADS, "syscall.AllThreadsSyscall(") }],
        },
      ],
    });
  }
});
