// `--format sarif`: the output validates against the official SARIF 2.1.0 schema (the
// whole fixture set, as the acceptance command runs it), thread flows match the simulated
// lanes one to one, fingerprints survive inserted lines, paths are relative and encoded,
// fixes and unanalysable files are carried over.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { explainFinding, findProjectRoot, Project } from "../src/index.js";
import { FINGERPRINT_KEY, type SarifLog, type SarifResult } from "../src/cli/sarif-log.js";
import { lint, REPO_ROOT, tempProject, THREADED_C, validateSarif } from "./golden/harness.js";


// Six findings, two of them on identical calls (the occurrence tells them apart).
const SEVERAL_C = `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *worker(void *arg) {
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    syscall(SYS_landlock_restrict_self, fd, 0);
    return arg;
}

int main(void) {
    pthread_t a, b;
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, NULL);
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (fd < 0) exit(1);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) exit(1);
    if (syscall(SYS_landlock_restrict_self, fd, 0)) exit(1);
    syscall(SYS_landlock_restrict_self, fd, 0);
    return 0;
}
`;

function parse(stdout: string): SarifLog {
  return JSON.parse(stdout) as SarifLog;
}

function assertValid(log: unknown): void {
  const { ok, errors } = validateSarif(log);
  assert.ok(ok, `SARIF 2.1.0 schema violations:\n${errors.slice(0, 20).join("\n")}`);
}

test("the validator rejects what SARIF 2.1.0 forbids (so a pass means something)", () => {
  const base = { version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ message: { text: "m" } }] }] };
  assert.equal(validateSarif(base).ok, true);
  assert.equal(validateSarif({ ...base, version: "2.0.0" }).ok, false);
  const badLevel = structuredClone(base) as { runs: { results: Record<string, unknown>[] }[] };
  badLevel.runs[0]!.results[0]!.level = "fatal";
  assert.equal(validateSarif(badLevel).ok, false);
  const badUri = structuredClone(base) as { runs: { results: Record<string, unknown>[] }[] };
  badUri.runs[0]!.results[0]!.locations = [{ physicalLocation: { artifactLocation: { uri: "a b.c" } } }];
  assert.equal(validateSarif(badUri).ok, false, "an unencoded space is not a URI reference");
  const emptyFlow = structuredClone(base) as { runs: { results: Record<string, unknown>[] }[] };
  emptyFlow.runs[0]!.results[0]!.codeFlows = [{ threadFlows: [] }];
  assert.equal(validateSarif(emptyFlow).ok, false, "a code flow needs at least one thread flow");
});

test("acceptance: `landlock-lint --format sarif fixtures/` validates, one thread flow per simulated thread", async () => {
  const { stdout, stderr } = await lint(["--format", "sarif", "fixtures/"], REPO_ROOT);
  const log = parse(stdout);
  assertValid(log);
  assert.ok(!stdout.includes(REPO_ROOT), `no absolute paths in the log (stderr: ${stderr})`);
  assert.ok(!stdout.includes("file://"), "no file: URIs unless --sarif-absolute-paths");
  const run = log.runs[0];
  assert.deepEqual(Object.keys(run.originalUriBaseIds), ["%SRCROOT%"]);
  const ruleIds = run.tool.driver.rules.map((r) => r.id);
  assert.equal(ruleIds.length, 10);
  for (const rule of run.tool.driver.rules) assert.match(rule.helpUri, /^https:\/\/.+\/docs\/rules\/[a-z-]+\.md$/);
  for (const result of run.results) {
    assert.equal(ruleIds[result.ruleIndex], result.ruleId);
    assert.match(result.partialFingerprints[FINGERPRINT_KEY]!, /\S/);
    assert.ok(!result.locations[0]!.physicalLocation.artifactLocation.uri.startsWith("/"));
  }
  const singleThread = run.results.filter((r) => r.ruleId === "landlock/single-thread-restrict");
  assert.ok(singleThread.length >= 5, `single-thread-restrict findings on the fixtures: ${singleThread.length}`);

  // The same findings through the API: each one's trace has as many lanes as the result has thread flows.
  let compared = 0;
  for (const result of singleThread.slice(0, 8)) {
    const file = join(REPO_ROOT, decodeURIComponent(result.locations[0]!.physicalLocation.artifactLocation.uri));
    const region = result.locations[0]!.physicalLocation.region!;
    const finding = new Project(findProjectRoot(file))
      .analyzeFile(file)
      .findings.find((f) => f.ruleId === result.ruleId && f.range.start.line === region.startLine && f.range.start.column + 1 === region.startColumn);
    assert.ok(finding, `finding behind ${file}:${region.startLine}`);
    const trace = explainFinding(finding).trace;
    assert.ok(trace, "single-thread-restrict findings are simulated");
    const threads = [...new Set(trace.events.map((e) => e.thread))];
    const flows = result.codeFlows?.[0]?.threadFlows ?? [];
    assert.deepEqual(flows.map((f) => f.id.split("/").pop()).sort(), threads.sort(), `${file}:${region.startLine}`);
    assert.ok(threads.length >= 2, "a spawned thread and the restricting one");
    const steps = flows.flatMap((f) => f.locations);
    assert.equal(steps.length, trace.events.length, "every event is a step");
    assert.deepEqual(steps.map((s) => s.executionOrder).sort((a, b) => a - b), trace.events.map((e) => e.seq));
    assert.equal(steps.filter((s) => s.importance === "essential").length, 1, "the enforcement call is the essential step");
    compared++;
  }
  assert.ok(compared >= 5);
});

test("thread flows place the spawn at its related location and the enforcement at the finding", async () => {
  const project = tempProject({ "src/main.c": THREADED_C });
  try {
    const { stdout } = await lint(["--format", "sarif", "src"], project.dir);
    const log = parse(stdout);
    assertValid(log);
    const result = log.runs[0].results.find((r) => r.ruleId === "landlock/single-thread-restrict");
    assert.ok(result, stdout);
    const flows = result.codeFlows![0]!.threadFlows;
    const main = flows.find((f) => f.id === "main")!;
    const enforce = main.locations.find((l) => l.importance === "essential")!;
    assert.equal(enforce.location.physicalLocation.region!.startLine, 19);
    assert.match(enforce.location.message!.text, /restrict_self/);
    const spawns = main.locations.filter((l) => /pthread_create/.test(l.location.message!.text));
    assert.deepEqual(spawns.map((s) => s.location.physicalLocation.region!.startLine), [14, 15]);
    // Each worker's own lane sits where it was started.
    const workers = flows.filter((f) => f.id !== "main");
    assert.deepEqual(workers.map((f) => f.locations[0]!.location.physicalLocation.region!.startLine).sort(), [14, 15]);
    for (const related of result.relatedLocations ?? []) assert.equal(typeof related.id, "number");
  } finally {
    project.remove();
  }
});

function fingerprints(results: readonly SarifResult[]): Map<string, number> {
  return new Map(results.map((r) => [r.partialFingerprints[FINGERPRINT_KEY]!, r.locations[0]!.physicalLocation.region!.startLine]));
}

test("partial fingerprints survive unrelated lines inserted above the finding", async () => {
  const project = tempProject({ "main.c": SEVERAL_C });
  try {
    const before = parse((await lint(["--format", "sarif", "main.c"], project.dir)).stdout).runs[0].results;
    assert.equal(before.length, 6, "several findings to compare");
    const inserted = "// a comment\n#include <stdio.h>\n\nstatic int unrelated(void) { return 42; }\n\n";
    writeFileSync(join(project.dir, "main.c"), inserted + SEVERAL_C);
    const after = parse((await lint(["--format", "sarif", "main.c"], project.dir)).stdout).runs[0].results;
    const a = fingerprints(before);
    const b = fingerprints(after);
    assert.equal(a.size, before.length, "fingerprints are distinct within a run");
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
    for (const [fingerprint, line] of a) assert.equal(b.get(fingerprint), line + 5, "same finding, 5 lines down");
  } finally {
    project.remove();
  }
});

test("file names with spaces, commas, colons, '#', '%' and unicode become encoded relative URIs", async () => {
  const name = "dir one/wörk, v2: #1 100%.c";
  const project = tempProject({ [name]: THREADED_C });
  try {
    const { stdout } = await lint(["--format", "sarif", "."], project.dir);
    const log = parse(stdout);
    assertValid(log);
    const uris = new Set(log.runs[0].results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri));
    assert.deepEqual([...uris], ["dir%20one/w%C3%B6rk%2C%20v2%3A%20%231%20100%25.c"]);
    assert.equal(decodeURIComponent([...uris][0]!), name);
  } finally {
    project.remove();
  }
});

test("--sarif-absolute-paths gives %SRCROOT% the working directory's file: URI; locations stay relative", async () => {
  const project = tempProject({ "src/main.c": THREADED_C });
  try {
    const log = parse((await lint(["--format", "sarif", "--sarif-absolute-paths", "src"], project.dir)).stdout);
    assertValid(log);
    assert.equal(log.runs[0].originalUriBaseIds["%SRCROOT%"]!.uri, pathToFileURL(project.dir).href + "/");
    assert.equal(log.runs[0].results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, "src/main.c");
  } finally {
    project.remove();
  }
});

test("fixes become artifact changes; unanalysable files become error notifications", async () => {
  const project = tempProject({ "main.c": THREADED_C, "blob.c": "int x;\0\0binary" });
  try {
    const sarif = await lint(["--format", "sarif", "--target-abi", "8", "."], project.dir);
    const json = JSON.parse((await lint(["--format", "json", "--target-abi", "8", "."], project.dir)).stdout) as {
      findings: { ruleId: string; line: number; fixes: { description: string; edits: { file: string; range: { start: { line: number; column: number } }; text: string }[] }[] }[];
    };
    const log = parse(sarif.stdout);
    assertValid(log);
    const withFixes = json.findings.filter((f) => f.fixes.length > 0);
    assert.ok(withFixes.length > 0, "TSYNC at target ABI 8 is an automatic fix");
    for (const finding of withFixes) {
      const result = log.runs[0].results.find((r) => r.ruleId === finding.ruleId && r.locations[0]!.physicalLocation.region!.startLine === finding.line)!;
      assert.deepEqual(
        result.fixes!.map((f) => f.description.text),
        finding.fixes.map((f) => f.description),
      );
      const replacements = result.fixes!.flatMap((f) => f.artifactChanges.flatMap((c) => c.replacements));
      const edits = finding.fixes.flatMap((f) => f.edits);
      assert.deepEqual(
        replacements.map((r) => [r.deletedRegion.startLine, r.deletedRegion.startColumn, r.insertedContent?.text ?? ""]),
        edits.map((e) => [e.range.start.line, e.range.start.column, e.text]),
      );
    }
    const invocation = log.runs[0].invocations[0]!;
    assert.equal(invocation.executionSuccessful, false);
    const notes = invocation.toolExecutionNotifications.filter((n) => n.level === "error");
    assert.deepEqual(
      notes.map((n) => n.locations![0]!.physicalLocation.artifactLocation.uri),
      ["blob.c"],
    );
    assert.match(readFileSync(join(project.dir, "blob.c"), "latin1"), /binary/);
  } finally {
    project.remove();
  }
});
