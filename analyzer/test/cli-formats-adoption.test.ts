// Adoption options end to end: --write-baseline / --baseline (surviving inserted lines,
// reporting what is new, counting stale entries, clear errors for bad files) and
// --report-unused-suppressions in every format.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { applyBaseline, type Baseline } from "../src/cli/baseline.js";
import type { LintRun } from "../src/cli/result.js";
import type { SarifLog } from "../src/cli/sarif-log.js";
import { lint, tempProject, validateSarif } from "./golden/harness.js";

const HEADER = `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }
`;

/** A TSYNC-less restrict_self after a thread start, in a function of its own. */
function sandboxFunction(name: string): string {
  return `
int ${name}(void) {
    pthread_t t;
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    pthread_create(&t, NULL, worker, NULL);
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (fd < 0) exit(1);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) exit(1);
    if (syscall(SYS_landlock_restrict_self, fd, 0)) exit(1);
    return 0;
}
`;
}

interface JsonReport {
  findings: { ruleId: string; line: number; file: string; message: string }[];
}

test("--write-baseline records every finding; --baseline then reports only new ones, across line shifts", async () => {
  const original = HEADER + sandboxFunction("sandbox_a");
  const project = tempProject({ "src/main.c": original });
  try {
    const before = JSON.parse((await lint(["--format", "json", "src"], project.dir)).stdout) as JsonReport;
    assert.ok(before.findings.length >= 1, "the program has findings to record");

    const written = await lint(["--format", "json", "--write-baseline", "landlock-baseline.json", "src"], project.dir);
    assert.equal(written.code, 0, written.stderr);
    assert.match(written.stderr, new RegExp(`wrote ${before.findings.length} findings? to the baseline landlock-baseline.json`));
    assert.deepEqual((JSON.parse(written.stdout) as JsonReport).findings, []);
    const baseline = JSON.parse(readFileSync(join(project.dir, "landlock-baseline.json"), "utf8")) as Baseline;
    assert.equal(baseline.landlockLintBaseline, 1);
    assert.deepEqual(
      baseline.findings.map((e) => [e.ruleId, e.file, e.line]),
      before.findings.map((f) => [f.ruleId, f.file, f.line]),
    );

    // Lines inserted above, and a new violation in a new function below.
    writeFileSync(join(project.dir, "src/main.c"), "/* licence header */\n\n\n" + original + sandboxFunction("sandbox_b"));
    const after = await lint(["--format", "json", "--baseline", "landlock-baseline.json", "src"], project.dir);
    const reported = (JSON.parse(after.stdout) as JsonReport).findings;
    assert.ok(reported.length >= 1, "the new function's findings are reported");
    const newStart = (HEADER + sandboxFunction("sandbox_a")).split("\n").length + 3;
    for (const finding of reported) assert.ok(finding.line > newStart, `only findings in sandbox_b (line ${finding.line} > ${newStart})`);
    assert.equal(after.code, 1);
    assert.equal(after.stderr, "", "no stale entries: every recorded finding still occurs");

    // The recorded function fixed (removed): its entries are stale and counted.
    writeFileSync(join(project.dir, "src/main.c"), HEADER + sandboxFunction("sandbox_b"));
    const stale = await lint(["--format", "json", "--baseline", "landlock-baseline.json", "src"], project.dir);
    assert.match(stale.stderr, new RegExp(`${baseline.findings.length} findings? in the baseline landlock-baseline.json no longer occurs?; refresh it with --write-baseline`));
  } finally {
    project.remove();
  }
});

test("a bad --baseline is a usage error naming the file and the problem, before any linting", async () => {
  const project = tempProject({ "a.c": HEADER + sandboxFunction("f"), "bad.json": '{"landlockLintBaseline":1,"findings":[{"fingerprint":""}]}', "old.json": '{"version":1}', "broken.json": "{" });
  try {
    const missing = await lint(["--baseline", "none.json", "."], project.dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /none\.json: no such baseline file \(create one with --write-baseline none\.json\)/);
    const bad = await lint(["--baseline", "bad.json", "."], project.dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.json: findings\[0\]\.fingerprint: expected a non-empty string/);
    assert.match((await lint(["--baseline", "old.json", "."], project.dir)).stderr, /old\.json: landlockLintBaseline: expected 1/);
    assert.match((await lint(["--baseline", "broken.json", "."], project.dir)).stderr, /broken\.json: not valid JSON/);
  } finally {
    project.remove();
  }
});

test("each baseline entry absorbs one finding: a second copy of a recorded problem is new", () => {
  const finding = (line: number, fingerprint: string) => ({
    ruleId: "landlock/nesting-limit" as const,
    severity: "warning" as const,
    file: "/p/a.c",
    range: { start: { line, column: 0, offset: 0 }, end: { line, column: 1, offset: 1 } },
    message: "m",
    related: [],
    fixes: [],
    fingerprint,
  });
  const run: LintRun = { cwd: "/p", files: [{ path: "/p/a.c", language: "c", parseErrors: 0, findings: [finding(1, "x"), finding(5, "x"), finding(9, "y")] }], errors: [] };
  const outcome = applyBaseline(run, { landlockLintBaseline: 1, findings: [{ fingerprint: "x", ruleId: "", file: "", line: 0, message: "" }, { fingerprint: "z", ruleId: "", file: "", line: 0, message: "" }] });
  assert.deepEqual(outcome.run.files[0]!.findings.map((f) => f.range.start.line), [5, 9]);
  assert.equal(outcome.matched, 1);
  assert.equal(outcome.stale, 1);
  assert.equal(run.files[0]!.findings.length, 3, "the input run is left as it was");
});

const SUPPRESSED = `${HEADER}
int main(void) {
    pthread_t t;
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    pthread_create(&t, NULL, worker, NULL);
    // landlock-lint-disable-next-line nesting-limit -- nothing nests here
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (fd < 0) exit(1);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) exit(1);
    // landlock-lint-disable-next-line single-thread-restrict -- the worker only computes
    if (syscall(SYS_landlock_restrict_self, fd, 0)) exit(1);
    /* eslint-disable-next-line landlock/abi-compat */
    return 0;
}
`;

test("--report-unused-suppressions reports the comments that silence nothing, in every format", async () => {
  const project = tempProject({ "main.c": SUPPRESSED });
  try {
    const quiet = await lint(["--format", "json", "main.c"], project.dir);
    assert.deepEqual((JSON.parse(quiet.stdout) as JsonReport).findings, [], "the used directive silences the finding");
    assert.equal(quiet.code, 0);

    const reported = await lint(["--format", "json", "--report-unused-suppressions", "main.c"], project.dir);
    assert.equal(reported.code, 1, "unused suppressions are errors");
    const findings = (JSON.parse(reported.stdout) as JsonReport).findings;
    const lines = SUPPRESSED.split("\n");
    const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.line]),
      [
        ["landlock/unused-suppression", lineOf("nesting-limit --")],
        ["landlock/unused-suppression", lineOf("eslint-disable-next-line")],
      ],
    );
    assert.match(findings[0]!.message, /landlock-lint-disable-next-line nesting-limit` silences nothing/);
    assert.match(findings[1]!.message, /eslint-disable-next-line landlock\/abi-compat` silences nothing/);

    const sarif = JSON.parse((await lint(["--format", "sarif", "--report-unused-suppressions", "main.c"], project.dir)).stdout) as SarifLog;
    assert.ok(validateSarif(sarif).ok);
    const rules = sarif.runs[0].tool.driver.rules;
    for (const result of sarif.runs[0].results) assert.equal(rules[result.ruleIndex]!.id, "landlock/unused-suppression");

    const github = (await lint(["--format", "github", "--report-unused-suppressions", "main.c"], project.dir)).stdout;
    assert.equal(github.split("\n").filter((l) => l.startsWith("::error file=main.c,") && l.includes("title=landlock/unused-suppression")).length, 2);

    // Baselines take them too (their fingerprints do not name lines).
    await lint(["--report-unused-suppressions", "--write-baseline", "b.json", "main.c"], project.dir);
    writeFileSync(join(project.dir, "main.c"), "\n\n" + SUPPRESSED);
    const again = await lint(["--format", "json", "--report-unused-suppressions", "--baseline", "b.json", "main.c"], project.dir);
    assert.deepEqual((JSON.parse(again.stdout) as JsonReport).findings, []);
    assert.equal(again.code, 0);
  } finally {
    project.remove();
  }
});
