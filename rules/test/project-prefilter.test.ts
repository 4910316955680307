// Which files the rules build the analyzer's IR of: the same as the CLI (the analyzer's
// Project decides): the files that mention Landlock and their call-graph neighbourhood.
// Files full of thread, signal and process words but linked to no Landlock code are
// never parsed by the analyzer, and a file with no Landlock word that calls a Landlock
// wrapper elsewhere still gets its finding.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ESLint, type Linter } from "eslint";
import { FRONT_ENDS, type FrontEnd } from "@landlock-lint/analyzer";
import plugin, { clearProjects } from "../src/index.js";

const SANDBOX_C = `#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int sandbox_enter(void)
{
\tstruct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE };
\tint fd = syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
\tif (fd < 0)
\t\treturn -1;
\tprctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
\treturn syscall(__NR_landlock_restrict_self, fd, 0);
}
`;

// No Landlock word: linked only by its calls (the wrapper's result dropped, a thread pool started before).
const MAIN_C = `int sandbox_enter(void);
void start_workers(int n);

int main(void)
{
\tstart_workers(4);
\tsandbox_enter();
\treturn 0;
}
`;

const WORKERS_C = `#include <pthread.h>
static void *work(void *a) { return a; }

void start_workers(int n)
{
\tpthread_t t;
\tfor (int i = 0; i < n; i++)
\t\tpthread_create(&t, NULL, work, NULL);
}
`;

/** Every word the plugin's former prefilter took as a reason to parse (threads, signals, sockets, privileges), linked to no Landlock code. */
function unrelated(i: number): string {
  return `#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

static void *routine_${i}(void *arg) { kill(getppid(), SIGUSR1); return arg; }

int service_${i}(int sock, const struct sockaddr *addr, socklen_t len)
{
\tpthread_t t;
\tif (setresuid(1000, 1000, 1000) != 0)
\t\treturn -1;
\tpthread_create(&t, NULL, routine_${i}, NULL);
\treturn connect(sock, addr, len);
}
`;
}

const UNRELATED_FILES = 40;

describe("which files the rules parse", () => {
  let root: string;
  const parsed: string[] = [];
  const originals = new Map<FrontEnd, FrontEnd["toIr"]>();

  before(() => {
    root = mkdtempSync(join(tmpdir(), "landlock-eslint-prefilter-"));
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "prefilter-test", private: true }));
    writeFileSync(join(root, "sandbox.c"), SANDBOX_C);
    writeFileSync(join(root, "main.c"), MAIN_C);
    writeFileSync(join(root, "workers.c"), WORKERS_C);
    for (let i = 0; i < UNRELATED_FILES; i++) writeFileSync(join(root, `service_${String(i).padStart(2, "0")}.c`), unrelated(i));
    // Counts the analyzer's IR builds (each is a tree-sitter parse of its own, on top of ESLint's).
    for (const fe of FRONT_ENDS) {
      const toIr = fe.toIr;
      originals.set(fe, toIr);
      (fe as { toIr: FrontEnd["toIr"] }).toIr = function (this: FrontEnd, text, file, language, options) {
        parsed.push(basename(file));
        return toIr.call(this, text, file, language, options);
      };
    }
  });

  after(() => {
    for (const [fe, toIr] of originals) (fe as { toIr: FrontEnd["toIr"] }).toIr = toIr;
    rmSync(root, { recursive: true, force: true });
  });

  it("only the Landlock file and its call-graph neighbours; findings on both sides of the link", async () => {
    clearProjects();
    const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [...plugin.configs.recommended] as Linter.Config[] });
    const results = await eslint.lintFiles(["."]);
    assert.equal(results.length, UNRELATED_FILES + 3);

    assert.deepEqual([...new Set(parsed)].sort(), ["main.c", "sandbox.c", "workers.c"]);
    const found = results
      .flatMap((r) => r.messages.map((m) => `${basename(r.filePath)}:${m.line} ${m.ruleId}`))
      .sort();
    assert.deepEqual(found, ["main.c:7 landlock/unchecked-restrict-result", "sandbox.c:13 landlock/single-thread-restrict"]);
  });
});
