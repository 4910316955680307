// Where SARIF thread-flow steps point: at the same line and column as the finding and its
// related locations when they stand for the same call (one column conversion for both),
// and into the file each call is in when a project spreads them over several files.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Step } from "@landlock-lint/simulator";
import { analyzeText } from "../src/analyze.js";
import { buildSarifLog, type SarifLog, type SarifRegion, type SarifResult, type SarifThreadFlowLocation } from "../src/cli/sarif-log.js";
import { lint, tempProject } from "./golden/harness.js";

// The spawn and the restrict call are indented and not at the start of their statements, so
// a column counted from 0 in one place and from 1 in another shows.
const MAIN_C = `#define _GNU_SOURCE
#include <pthread.h>
#include "sandbox.h"

static void *worker(void *arg) { return arg; }

int main(void) {
    pthread_t thread;
    int rc;
    if (1) {
        rc = pthread_create(&thread, NULL, worker, NULL);
    }
    confine();
    return rc;
}
`;

const SANDBOX_H = "void confine(void);\n";

const SANDBOX_C = `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "sandbox.h"

void confine(void) {
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    int fd =   syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (fd < 0) exit(1);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) exit(1);
    if (  syscall(SYS_landlock_restrict_self, fd, 0)) exit(1);
}
`;

// The same program in one file.
const ONE_FILE_C = `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }

int main(void) {
    pthread_t thread;
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    if (1) {
        (void)pthread_create(&thread, NULL, worker, NULL);
    }
    int fd =   syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (fd < 0) exit(1);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) exit(1);
    if (  syscall(SYS_landlock_restrict_self, fd, 0)) exit(1);
    return 0;
}
`;

/** 1-based line and column of the only occurrence of `needle` in `text`, as SARIF counts them. */
function at(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0 && text.indexOf(needle, offset + 1) < 0, `"${needle}" occurs once`);
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function start(region: SarifRegion | undefined): { line: number; column: number } {
  assert.ok(region, "a region");
  return { line: region.startLine, column: region.startColumn };
}

interface FlowStep {
  thread: string;
  uri: string;
  start: { line: number; column: number };
  message: string;
  step: SarifThreadFlowLocation;
}

function flowSteps(result: SarifResult): FlowStep[] {
  const flows = result.codeFlows?.[0]?.threadFlows ?? [];
  return flows.flatMap((flow) =>
    flow.locations.map((step) => ({
      thread: flow.id,
      uri: step.location.physicalLocation.artifactLocation.uri,
      start: start(step.location.physicalLocation.region),
      message: step.location.message?.text ?? "",
      step,
    })),
  );
}

test("thread flows over two files: the restrict step sits on the finding, the ruleset creation in its file, the spawn on its related location", async () => {
  const project = tempProject({ "src/main.c": MAIN_C, "src/sandbox.h": SANDBOX_H, "src/sandbox.c": SANDBOX_C });
  try {
    const { stdout, stderr } = await lint(["--format", "sarif", "src"], project.dir);
    const log = JSON.parse(stdout) as SarifLog;
    const result = log.runs[0].results.find((r) => r.ruleId === "landlock/single-thread-restrict");
    assert.ok(result, `a single-thread-restrict finding among ${log.runs[0].results.map((r) => r.ruleId).join(", ")} (stderr: ${stderr})`);
    const finding = result.locations[0]!.physicalLocation;
    assert.equal(finding.artifactLocation.uri, "src/sandbox.c", "the finding is on the restrict call, in the wrapper's file");
    assert.deepEqual(start(finding.region), at(SANDBOX_C, "syscall(SYS_landlock_restrict_self"));

    const steps = flowSteps(result);
    assert.ok(steps.length > 0, "the finding has thread flows");

    // The enforcement: the step the finding is about, at the finding's own line and column.
    const restrict = steps.filter((s) => s.thread === "main" && /^restrict_self\(/.test(s.message));
    assert.equal(restrict.length, 1, steps.map((s) => s.message).join("\n"));
    assert.equal(restrict[0]!.uri, "src/sandbox.c");
    assert.deepEqual(restrict[0]!.start, start(finding.region), "the restrict step starts where the finding does");
    assert.equal(restrict[0]!.step.importance, "essential");
    assert.deepEqual(
      steps.filter((s) => s.step.importance === "essential").map((s) => s.message),
      restrict.map((s) => s.message),
      "only the restrict step is essential",
    );

    // The ruleset is created in the wrapper's file, at the create call.
    const create = steps.filter((s) => /create_ruleset\(/.test(s.message));
    assert.deepEqual(
      create.map((s) => [s.uri, s.start]),
      [["src/sandbox.c", at(SANDBOX_C, "syscall(SYS_landlock_create_ruleset")]],
    );

    // The spawn is in main.c, exactly where the finding's related location for it points.
    const spawnRelated = (result.relatedLocations ?? []).filter((r) => /thread started/.test(r.message?.text ?? ""));
    assert.equal(spawnRelated.length, 1, JSON.stringify(result.relatedLocations));
    assert.equal(spawnRelated[0]!.physicalLocation.artifactLocation.uri, "src/main.c");
    const spawnAt = at(MAIN_C, "pthread_create(");
    assert.deepEqual(start(spawnRelated[0]!.physicalLocation.region), spawnAt);
    const spawnSteps = steps.filter((s) => s.thread === "main" && /^pthread_create\(/.test(s.message));
    assert.ok(spawnSteps.length >= 1, "the spawn is a step of main");
    for (const s of spawnSteps) assert.deepEqual([s.uri, s.start], ["src/main.c", spawnAt], s.message);
    // The worker's own lane is placed where it was started.
    const workers = steps.filter((s) => s.thread !== "main");
    assert.ok(workers.length >= 1, "the worker has a lane");
    for (const s of workers) assert.deepEqual([s.uri, s.start], ["src/main.c", spawnAt], `${s.thread}: ${s.message}`);
  } finally {
    project.remove();
  }
});

test("a step whose source is the restrict call (1-based, as scenarios count) lands on the finding's startLine and startColumn", () => {
  const file = "/project/sandbox.c";
  const text = ONE_FILE_C;
  const finding = analyzeText(text, file).findings.find((f) => f.ruleId === "landlock/single-thread-restrict");
  assert.ok(finding?.scenario, "a single-thread-restrict finding with a scenario");
  const call = at(text, "syscall(SYS_landlock_restrict_self");
  assert.deepEqual({ line: finding.range.start.line, column: finding.range.start.column + 1 }, call, "the finding is on the call");
  // The scenario's convention (simulator SourceLocation): line and column count from 1.
  const source = { file, line: finding.range.start.line, column: finding.range.start.column + 1 };
  const steps: Step[] = finding.scenario.steps.map((step) => (step.op === "restrict_self" ? { ...step, source } : step));
  const log = buildSarifLog({ cwd: "/project", toolVersion: "0", findings: [{ ...finding, scenario: { ...finding.scenario, steps } }] });
  const result = log.runs[0].results[0]!;
  const restrict = flowSteps(result).filter((s) => /^restrict_self\(/.test(s.message));
  assert.equal(restrict.length, 1);
  assert.deepEqual(restrict[0]!.start, start(result.locations[0]!.physicalLocation.region));
  assert.deepEqual(restrict[0]!.start, call);
});
