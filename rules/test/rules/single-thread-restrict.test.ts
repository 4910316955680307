// landlock/single-thread-restrict: restrict_self without TSYNC after threads exist.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { analyzeText, applyFixes } from "@landlock-lint/analyzer";
import { analyzerSuggestionOutput, jsTester, lineOf, missingFrontEnd, ruleModule, tempProject, treeSitterTester } from "../helpers/rule-tester.js";
import plugin from "../../src/index.js";

const RULE = "single-thread-restrict";
const project = tempProject(RULE, {
  // A helper in another file of the project that starts the worker pool.
  "pool.c": `#include <pthread.h>
static void *serve(void *arg) { return arg; }
int start_pool(pthread_t *tids, int n)
{
    for (int i = 0; i < n; i++)
        if (pthread_create(&tids[i], NULL, serve, NULL) != 0)
            return -1;
    return 0;
}
`,
});

const AFTER_SPAWN = `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *serve(void *arg) { return arg; }

int main(void)
{
    pthread_t tid;
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0)
        return 1;
    if (pthread_create(&tid, NULL, serve, NULL) != 0)
        return 1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return 1;
    if (syscall(SYS_landlock_restrict_self, fd, 0) != 0)
        return 1;
    return pthread_join(tid, NULL);
}
`;

// The same program, sandboxing before the worker starts: nothing else runs yet.
const BEFORE_SPAWN = AFTER_SPAWN.replace(
  `    if (pthread_create(&tid, NULL, serve, NULL) != 0)
        return 1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return 1;
    if (syscall(SYS_landlock_restrict_self, fd, 0) != 0)
        return 1;
`,
  `    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return 1;
    if (syscall(SYS_landlock_restrict_self, fd, 0) != 0)
        return 1;
    if (pthread_create(&tid, NULL, serve, NULL) != 0)
        return 1;
`,
);

const WITH_TSYNC = AFTER_SPAWN.replace("syscall(SYS_landlock_restrict_self, fd, 0)", "syscall(SYS_landlock_restrict_self, fd, LANDLOCK_RESTRICT_SELF_TSYNC)");

// The pool is started by a function of pool.c: only the project index knows it spawns.
const CROSS_FILE = `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int start_pool(pthread_t *tids, int n);

int main(void)
{
    pthread_t tids[4];
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0 || start_pool(tids, 4) != 0)
        return 1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return 1;
    if (syscall(SYS_landlock_restrict_self, fd, 0) != 0)
        return 1;
    return 0;
}
`;

const CPP_JTHREAD = `#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdexcept>
#include <thread>
#include <vector>

void render_all(int ruleset_fd)
{
    std::vector<std::jthread> workers;
    for (int i = 0; i < 4; ++i)
        workers.emplace_back([] { /* render tiles */ });
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        throw std::runtime_error("no_new_privs");
    if (syscall(SYS_landlock_restrict_self, ruleset_fd, 0) != 0)
        throw std::runtime_error("landlock");
}
`;

const main = project.path("main.c");
const restrictLine = lineOf(AFTER_SPAWN, "syscall(SYS_landlock_restrict_self");

treeSitterTester("c").run(RULE, ruleModule(RULE), {
  valid: [
    { name: "restricts before the first thread starts", code: BEFORE_SPAWN, filename: main },
    { name: "TSYNC restricts every thread (targetAbi 8)", code: WITH_TSYNC, filename: main, settings: { landlock: { targetAbi: 8 } } },
  ],
  invalid: [
    {
      name: "targetAbi 8: the fix adds TSYNC",
      code: AFTER_SPAWN,
      filename: main,
      settings: { landlock: { targetAbi: 8 } },
      output: WITH_TSYNC,
      errors: [{ message: new RegExp(`1 thread started at line ${lineOf(AFTER_SPAWN, "pthread_create(")} .*only the calling thread is sandboxed`), line: restrictLine, column: 9 }],
    },
    {
      name: "default targetAbi 6: no automatic fix; the suggestion refuses to run without TSYNC",
      code: AFTER_SPAWN,
      filename: main,
      output: null,
      errors: [
        {
          message: /only the calling thread is sandboxed/,
          line: restrictLine,
          suggestions: [{ messageId: "suggestion", output: analyzerSuggestionOutput(AFTER_SPAWN, main, RULE, restrictLine) }],
        },
      ],
    },
    {
      name: "the threads are started by a helper in another file of the project",
      code: CROSS_FILE,
      filename: main,
      settings: { landlock: { targetAbi: 8 } },
      output: CROSS_FILE.replace("syscall(SYS_landlock_restrict_self, fd, 0)", "syscall(SYS_landlock_restrict_self, fd, LANDLOCK_RESTRICT_SELF_TSYNC)"),
      errors: [{ message: /pool\.c|start_pool/, line: lineOf(CROSS_FILE, "syscall(SYS_landlock_restrict_self") }],
    },
  ],
});

treeSitterTester("cpp").run(RULE, ruleModule(RULE), {
  valid: [
    {
      name: "C++: TSYNC (targetAbi 8)",
      code: CPP_JTHREAD.replace("ruleset_fd, 0)", "ruleset_fd, LANDLOCK_RESTRICT_SELF_TSYNC)"),
      filename: project.path("render.cpp"),
      settings: { landlock: { targetAbi: 8 } },
    },
  ],
  invalid: [
    {
      name: "C++: std::jthread workers started first",
      code: CPP_JTHREAD,
      filename: project.path("render.cpp"),
      settings: { landlock: { targetAbi: 8 } },
      output: CPP_JTHREAD.replace("ruleset_fd, 0)", "ruleset_fd, LANDLOCK_RESTRICT_SELF_TSYNC)"),
      errors: [{ message: /std::jthread.*only the calling thread is sandboxed/, line: lineOf(CPP_JTHREAD, "syscall(SYS_landlock_restrict_self") }],
    },
  ],
});

describe(`${RULE}: what the suggestion does`, () => {
  it("refuses to run below ABI 8 and asks for TSYNC, never falls back to one thread", () => {
    const fixed = analyzerSuggestionOutput(AFTER_SPAWN, main, RULE, restrictLine);
    assert.match(fixed, /LANDLOCK_RESTRICT_SELF_TSYNC/);
    assert.match(fixed, /< 8/);
    assert.doesNotMatch(fixed, /\? LANDLOCK_RESTRICT_SELF_TSYNC : 0/);
  });
});

const goMissing = missingFrontEnd(".go");
describe(`${RULE}: Go`, { skip: goMissing }, () => {
  // Go programs always run on several OS threads (the runtime's), so a raw restrict_self
  // without TSYNC sandboxes one of them.
  const RAW_GO = `package main

import (
	"log"

	"golang.org/x/sys/unix"
)

func sandbox(rulesetFd int) {
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		log.Fatal(err)
	}
	if _, _, errno := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, uintptr(rulesetFd), 0, 0); errno != 0 {
		log.Fatal(errno)
	}
}

func main() {
	sandbox(3)
}
`;
  const goFile = project.path("cmd/sandbox.go");
  const goLine = lineOf(RAW_GO, "unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF");
  if (!goMissing) {
    treeSitterTester("go").run(RULE, ruleModule(RULE), {
      valid: [],
      invalid: [
        {
          name: "Go: raw restrict_self without TSYNC in a multithreaded runtime",
          code: RAW_GO,
          filename: goFile,
          errors: [
            {
              message: /only the calling thread/,
              line: goLine,
              suggestions: [{ messageId: "suggestion", output: analyzerSuggestionOutput(RAW_GO, goFile, RULE, goLine) }],
            },
          ],
        },
      ],
    });
  }
});

const jsMissing = missingFrontEnd(".ts");
describe(`${RULE}: JavaScript/TypeScript`, { skip: jsMissing }, async () => {
  // A Node process always has other threads (libuv's pool, V8's platform threads).
  const KOFFI = (flags: string, comment = "") => `import koffi from "koffi";

const libc = koffi.load("libc.so.6");
const syscall = libc.func("long syscall(long, ...)");
const prctl = libc.func("int prctl(int, unsigned long, unsigned long, unsigned long, unsigned long)");

export function sandbox(rulesetFd: number): void {
  if (prctl(38, 1, 0, 0, 0) !== 0) throw new Error("no_new_privs");
${comment}  if (syscall(446, "int", rulesetFd, "uint32_t", ${flags}) !== 0) throw new Error("landlock_restrict_self failed");
}
`;
  const file = project.path("src/sandbox.ts");
  const without = KOFFI("0");
  const jsLine = lineOf(without, "syscall(446");
  if (!jsMissing) {
    (await jsTester()).run(RULE, plugin.rules[RULE], {
      valid: [
        { code: KOFFI("1 << 3"), filename: file, settings: { landlock: { targetAbi: 8 } } },
        // Our comment family is honoured in JS/TS too (the plugin applies it itself).
        { code: KOFFI("0", "  // landlock-lint-disable-next-line single-thread-restrict -- no worker starts before this runs\n"), filename: file },
      ],
      invalid: [
        {
          code: without,
          filename: file,
          errors: [
            {
              messageId: "finding",
              line: jsLine,
              suggestions: jsSuggestions(without, file, jsLine),
            },
          ],
        },
      ],
    });
  }
});

/** The suggestions typescript-eslint's RuleTester expects: every one the analyzer offers, applied. */
function jsSuggestions(code: string, file: string, line: number) {
  const report = analyzeText(code, file);
  const finding = report.findings.find((f) => f.ruleId === `landlock/${RULE}` && f.range.start.line === line);
  if (!finding) throw new Error(`no ${RULE} finding on line ${line}`);
  return finding.fixes
    .filter((f) => f.kind === "suggestion")
    .map((f) => ({ messageId: "suggestion" as const, data: { description: f.description }, output: applyFixes(code, f.edits) }));
}
