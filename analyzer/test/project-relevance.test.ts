// Which project files get parsed: the files that mention Landlock and their call-graph
// neighbourhood (callers, callees, thread routines, worker modules), nothing else.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Project } from "../src/project.js";
import { cFrontEnd } from "../src/frontends/c/index.js";
import { goFrontEnd } from "../src/frontends/go/index.js";
import { jsFrontEnd } from "../src/frontends/js/index.js";
import type { FrontEnd } from "../src/frontends/frontend.js";
import { definesAnyOf, mentionsAnyOf, mentionsLandlock } from "../src/project-relevance.js";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "ll-relevance-"));
  writeFileSync(join(root, ".landlock-lint.json"), "{}");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** The registered front-ends, each counting the files it builds the IR of. */
function countingFrontEnds(): { frontEnds: FrontEnd[]; parsed: string[] } {
  const parsed: string[] = [];
  const frontEnds = [cFrontEnd, goFrontEnd, jsFrontEnd].map(
    (fe): FrontEnd => ({
      ...fe,
      toIr(text, file, language, options) {
        parsed.push(basename(file));
        return fe.toIr(text, file, language, options);
      },
    }),
  );
  return { frontEnds, parsed };
}

const SANDBOX_C = `#include <linux/landlock.h>
#include <sys/syscall.h>
#include <unistd.h>

int sandbox_enter(int fd)
{
\tif (syscall(__NR_landlock_restrict_self, fd, 0))
\t\treturn -1;
\treturn 0;
}
`;

const RULESET_C = `#include <linux/landlock.h>
#include <sys/syscall.h>

int make_ruleset(void)
{
\tstruct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE };
\treturn syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
}
`;

const MAIN_C = `#include <sys/prctl.h>
int sandbox_enter(int fd);
int make_ruleset(void);
void start_workers(int n);

int main(void)
{
\tprctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
\tstart_workers(4);
\tif (sandbox_enter(make_ruleset()) != 0)
\t\treturn 1;
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

/** A file with every word the old prefilter took as a reason to parse (threads, signals, processes), linked to no Landlock code. */
function unrelated(i: number): string {
  return `#include <pthread.h>
#include <signal.h>
#include <unistd.h>

static void *routine_${i}(void *arg) { kill(getppid(), SIGUSR1); return arg; }

int service_${i}(void)
{
\tpthread_t t;
\tif (fork() == 0)
\t\texecl("/bin/true", "true", (char *)0);
\tpthread_create(&t, NULL, routine_${i}, NULL);
\treturn helper_${(i + 1) % 496}(${i + 1000});
}

int helper_${i}(int x) { return x + 1; }
`;
}

test("a 500-file project where 2 files sandbox: only they and their call-graph neighbours are parsed", () => {
  const files: Record<string, string> = { "src/sandbox.c": SANDBOX_C, "src/ruleset.c": RULESET_C, "src/main.c": MAIN_C, "src/workers.c": WORKERS_C };
  for (let i = 0; i < 496; i++) files[`lib/service_${i}.c`] = unrelated(i);
  const root = tree(files);
  const { frontEnds, parsed } = countingFrontEnds();
  const project = new Project(root, { frontEnds });
  assert.equal(project.sourceFiles().length, 500);

  const report = project.analyzeFile(join(root, "src/sandbox.c"));
  // main.c calls the sandbox helper (a caller); workers.c defines what main calls before it (a callee).
  assert.deepEqual([...new Set(parsed)].sort(), ["main.c", "ruleset.c", "sandbox.c", "workers.c"]);
  const finding = report.findings.find((f) => f.ruleId === "landlock/single-thread-restrict");
  assert.ok(finding, `the spawn in workers.c reaches the restrict in sandbox.c: ${JSON.stringify(report.findings.map((f) => f.ruleId))}`);

  // A file linked to no Landlock code is skipped, never parsed.
  const before = parsed.length;
  const skipped = project.analyzeFile(join(root, "lib/service_7.c"));
  assert.deepEqual(skipped.findings, []);
  assert.equal(parsed.length, before);
});

test("callee direction: a signal sender in another file, called after the sandbox, is taken in", () => {
  const root = tree({
    "main.c": `#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
void notify_parent(void);

int main(void)
{
\tstruct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE, .scoped = LANDLOCK_SCOPE_SIGNAL };
\tint fd = syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
\tif (fd < 0)
\t\treturn 1;
\tprctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
\tif (syscall(__NR_landlock_restrict_self, fd, 0))
\t\treturn 1;
\tnotify_parent();
\treturn 0;
}
`,
    "notify.c": `#include <signal.h>
#include <unistd.h>

void
notify_parent(void)
{
\tkill(getppid(), SIGUSR1);
}
`,
    "other.c": `#include <signal.h>\nvoid unrelated(void) { raise(SIGTERM); }\n`,
  });
  const { frontEnds, parsed } = countingFrontEnds();
  const project = new Project(root, { frontEnds });
  const report = project.analyzeFile(join(root, "notify.c"));
  assert.deepEqual([...new Set(parsed)].sort(), ["main.c", "notify.c"]);
  assert.deepEqual(
    report.findings.map((f) => f.ruleId),
    ["landlock/scope-signal-conflict"],
  );
});

test("a worker module named by path from the spawning file is taken in both ways", () => {
  const root = tree({
    "pool.mjs": `import { Worker } from "node:worker_threads";\nfor (let i = 0; i < 4; i++) new Worker(new URL("./scan-worker.mjs", import.meta.url));\n`,
    "scan-worker.mjs": `import koffi from "koffi";
const libc = koffi.load("libc.so.6");
const syscall = libc.func("long syscall(long, ...)");
const fd = syscall(444, "void *", { handled_access_fs: 4n }, "size_t", 24, "uint32_t", 0);
syscall(157, "int", 38, "unsigned long", 1, "unsigned long", 0, "unsigned long", 0, "unsigned long", 0);
if (syscall(446, "int", fd, "uint32_t", 0) !== 0) throw new Error("landlock_restrict_self failed");
`,
    "util.mjs": `export function add(a, b) { return a + b; }\n`,
  });
  const { frontEnds, parsed } = countingFrontEnds();
  const project = new Project(root, { frontEnds });
  const report = project.analyzeFile(join(root, "scan-worker.mjs"));
  assert.deepEqual([...new Set(parsed)].sort(), ["pool.mjs", "scan-worker.mjs"]);
  assert.deepEqual(
    report.findings.map((f) => f.ruleId),
    ["landlock/thread-routine-restrict"],
  );
});

test("text tests: Landlock mentions, names as calls or routines, definitions in five languages", () => {
  const landlock = mentionsLandlock(["my_sandbox"]);
  assert.ok(landlock("syscall(SYS_landlock_restrict_self, fd, 0)"));
  assert.ok(landlock("ruleset.restrict_self()?"));
  assert.ok(landlock("await addon.restrictSelf(fd)"));
  assert.ok(landlock("syscall(446, fd, 0)"));
  assert.ok(landlock("unix.Syscall(446, uintptr(fd), 0, 0)"));
  assert.ok(landlock("#define NR_RESTRICT 446"));
  assert.ok(landlock("const sysRestrict = 446"));
  assert.ok(!landlock("NO_RESPONSE: 444, // Unofficial"));
  assert.ok(landlock("MY_SANDBOX();"));
  assert.ok(!landlock("pthread_create(&t, 0, f, 0); kill(pid, SIGTERM); z3.add_rule(r); x = 4460;"));

  const mentions = mentionsAnyOf(["Sandbox::enter", "worker", "<module:scan-worker>", "main"])!;
  assert.ok(mentions("s.enter(3)"));
  assert.ok(mentions("pthread_create(&t, NULL, worker, NULL)"));
  assert.ok(mentions(`new Worker(new URL("./scan-worker.mjs", import.meta.url))`));
  assert.ok(!mentions("enterprise(3); workers = 2; scan-workers"));
  assert.equal(mentionsAnyOf(["<anonymous>"]), undefined);

  const defines = definesAnyOf(["start_workers"])!;
  for (const def of [
    "void start_workers(int n)\n{",
    "static void\nstart_workers(int n, void *(*fn)(void *))\n{",
    "void Pool::start_workers(int n) const noexcept {",
    "func start_workers(n int) {",
    "func (p *Pool) start_workers(n int) error {",
    "pub fn start_workers(n: usize) -> Result<(), Error> {",
    "export async function start_workers(n) {",
    "  start_workers(n: number): Promise<void> {",
    "const start_workers = async (n) => {",
    "start_workers: function (n) {",
  ])
    assert.ok(defines(def), def);
  for (const use of ["start_workers(4);", "if (start_workers(4) != 0) {", "while (start_workers(n) > 0) {", "void start_workers(int n);", "x = start_workers(3) + 1;"])
    assert.ok(!defines(use), use);
});

test("a file calling any function of a library file whose sandbox helper nobody calls is taken in (the helper may then run after no_new_privs)", () => {
  const lib = `#include <linux/landlock.h>
#include <sys/syscall.h>
#include <unistd.h>

int sandbox(int fd)
{
\treturn syscall(__NR_landlock_restrict_self, fd, 0);
}

int util(int x) { return x + 1; }
`;
  const alone = new Project(tree({ "lib.c": lib }));
  const aloneRules = alone.analyzeFile(join(alone.root, "lib.c")).findings.map((f) => f.ruleId);
  assert.ok(aloneRules.includes("landlock/missing-no-new-privs"), `no caller anywhere: ${JSON.stringify(aloneRules)}`);

  const root = tree({ "lib.c": lib, "app.c": `int util(int x);\nint run(void) { return util(1); }\n`, "other.c": `int other(int x) { return x; }\n` });
  const { frontEnds, parsed } = countingFrontEnds();
  const project = new Project(root, { frontEnds });
  const rules = project.analyzeFile(join(root, "lib.c")).findings.map((f) => f.ruleId);
  assert.deepEqual([...new Set(parsed)].sort(), ["app.c", "lib.c"]);
  assert.ok(!rules.includes("landlock/missing-no-new-privs"), `called from another file: ${JSON.stringify(rules)}`);
});

test("a project over the in-memory text bound: dropped texts are read again when they change and when they start to matter", () => {
  // 20 files of a million characters each: past the bound, the texts of files that do not matter are dropped.
  const filler = `// ${"x".repeat(1_000_000)}\nint filler(void) { return 0; }\n`;
  const files: Record<string, string> = { "sandbox.c": SANDBOX_C, "main.c": MAIN_C, "ruleset.c": RULESET_C, "workers.c": WORKERS_C };
  for (let i = 0; i < 20; i++) files[`big_${i}.c`] = filler.replace("filler", `filler_${i}`);
  const root = tree(files);
  const { frontEnds, parsed } = countingFrontEnds();
  const project = new Project(root, { frontEnds });
  const rules = (file: string) => project.analyzeFile(join(root, file)).findings.map((f) => f.ruleId);
  assert.ok(rules("sandbox.c").includes("landlock/single-thread-restrict"));
  assert.ok(!parsed.some((f) => f.startsWith("big_")), "the big files are never parsed");

  // A big file starts calling the sandbox helper from a thread routine: it now matters.
  writeFileSync(
    join(root, "big_3.c"),
    `${filler.replace("filler", "filler_3")}#include <pthread.h>\nint sandbox_enter(int fd);\nstatic void *late(void *a) { sandbox_enter(3); return a; }\nvoid start_late(void) { pthread_t t; pthread_create(&t, NULL, late, NULL); }\n`,
  );
  assert.ok(!rules("sandbox.c").includes("landlock/thread-routine-restrict"));
  project.invalidate(join(root, "big_3.c"));
  const after = rules("sandbox.c");
  assert.ok(parsed.includes("big_3.c"), "the changed big file is read again and taken in");
  assert.ok(after.includes("landlock/thread-routine-restrict"), `the helper now also runs in a thread routine: ${JSON.stringify(after)}`);
  assert.ok(!parsed.some((f) => f.startsWith("big_") && f !== "big_3.c"), "the other big files are still never parsed");
});
