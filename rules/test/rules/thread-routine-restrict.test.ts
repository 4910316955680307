// landlock/thread-routine-restrict: restrict_self inside a thread's start routine.

import { describe } from "node:test";
import { jsTester, lineOf, missingFrontEnd, ruleModule, tempProject, treeSitterTester } from "../helpers/rule-tester.js";
import plugin from "../../src/index.js";

const RULE = "thread-routine-restrict";
const project = tempProject(RULE);

const IN_ROUTINE = `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *decode_worker(void *arg)
{
    int fd = *(int *)arg;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        syscall(SYS_landlock_restrict_self, fd, 0) != 0)
        return NULL;
    return arg;
}

int start_decoder(int ruleset_fd)
{
    static int fd;
    pthread_t tid;
    fd = ruleset_fd;
    return pthread_create(&tid, NULL, decode_worker, &fd);
}
`;

// The routine restricts, but in a child process it forks: that child is single-threaded.
const FORKED_CHILD = `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *convert_job(void *arg)
{
    int fd = *(int *)arg;
    pid_t pid = fork();
    if (pid == 0) {
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
            syscall(SYS_landlock_restrict_self, fd, 0) != 0)
            _exit(126);
        execl("/usr/bin/convert", "convert", "in.png", "out.jpg", (char *)NULL);
        _exit(127);
    }
    waitpid(pid, NULL, 0);
    return NULL;
}

int start_converter(int *ruleset_fd)
{
    pthread_t tid;
    return pthread_create(&tid, NULL, convert_job, ruleset_fd);
}
`;

const CPP_LAMBDA = `#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <thread>

std::thread start_indexer(int ruleset_fd)
{
    return std::thread([ruleset_fd] {
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
            return;
        if (syscall(SYS_landlock_restrict_self, ruleset_fd, 0) != 0)
            return;
        /* index the mailbox */
    });
}
`;

treeSitterTester("c").run(RULE, ruleModule(RULE), {
  valid: [{ name: "the routine restricts a forked child before exec", code: FORKED_CHILD, filename: project.path("convert.c") }],
  invalid: [
    {
      name: "the start routine sandboxes only its own thread",
      code: IN_ROUTINE,
      filename: project.path("decoder.c"),
      errors: [{ message: /runs on a spawned thread \(decode_worker, started by pthread_create at line 22\)/, line: lineOf(IN_ROUTINE, "syscall(SYS_landlock_restrict_self") }],
    },
  ],
});

treeSitterTester("cpp").run(RULE, ruleModule(RULE), {
  valid: [],
  invalid: [
    {
      name: "C++: a lambda given to std::thread restricts itself",
      code: CPP_LAMBDA,
      filename: project.path("indexer.cpp"),
      errors: [{ message: /spawned thread/, line: lineOf(CPP_LAMBDA, "syscall(SYS_landlock_restrict_self") }],
    },
  ],
});

const rustMissing = missingFrontEnd(".rs");
describe(`${RULE}: Rust`, { skip: rustMissing }, () => {
  const SPAWNED = `use std::thread;

fn main() {
    let fd: i32 = 3;
    let worker = thread::spawn(move || {
        unsafe {
            if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
                return;
            }
            if libc::syscall(libc::SYS_landlock_restrict_self, fd, 0) != 0 {
                return;
            }
        }
    });
    worker.join().unwrap();
}
`;
  if (!rustMissing) {
    treeSitterTester("rust").run(RULE, ruleModule(RULE), {
      valid: [],
      invalid: [
        {
          name: "Rust: a closure given to thread::spawn restricts itself",
          code: SPAWNED,
          filename: project.path("src/main.rs"),
          errors: [{ message: /spawned thread/, line: lineOf(SPAWNED, "libc::syscall(libc::SYS_landlock_restrict_self") }],
        },
      ],
    });
  }
});

const jsMissing = missingFrontEnd(".ts");
describe(`${RULE}: TypeScript`, { skip: jsMissing }, async () => {
  // A worker_threads worker restricting itself leaves the main thread and the libuv pool free.
  const WORKER = `import koffi from "koffi";
import { isMainThread, Worker } from "node:worker_threads";

const libc = koffi.load("libc.so.6");
const syscall = libc.func("long syscall(long number, int fd, uint32_t flags)");
const prctl = libc.func("int prctl(int option, unsigned long a, unsigned long b, unsigned long c, unsigned long d)");

if (isMainThread) {
  new Worker(new URL(import.meta.url));
} else {
  if (prctl(38, 1, 0, 0, 0) !== 0) throw new Error("no_new_privs");
  if (syscall(446, 3, 0) !== 0) throw new Error("landlock_restrict_self failed");
}
`;
  if (!jsMissing) {
    (await jsTester()).run(RULE, plugin.rules[RULE], {
      valid: [],
      invalid: [
        {
          code: WORKER,
          filename: project.path("worker.ts"),
          errors: [{ messageId: "finding", line: lineOf(WORKER, "syscall(446") }],
        },
      ],
    });
  }
});
