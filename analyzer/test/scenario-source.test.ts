// Scenario steps taken from the code say where the code does them (file, 1-based line and
// column), steps that only illustrate the consequence say nothing, and the SARIF thread
// flows built from a scenario put a thread's start at its spawn.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { validateScenario, type Scenario, type SourceLocation, type Step } from "@landlock-lint/simulator";
import { analyzeText, buildIr } from "../src/analyze.js";
import type { IrBlock, IrOp } from "../src/ir.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { singleThreadScenario } from "../src/scenario/build.js";
import type { ThreadEvidence } from "../src/checks/state.js";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const FILE = "/project/src/sandbox.c";

// One thread started before a restrict_self without TSYNC: landlock/single-thread-restrict.
const PROGRAM = `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }

int main(void) {
    pthread_t thread;
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    pthread_create(&thread, NULL, worker, NULL);
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    syscall(SYS_landlock_restrict_self, fd, 0);
    return 0;
}
`;

/** Where `needle` starts in PROGRAM, as a step's source gives it (1-based line and column). */
function placeOf(needle: string): SourceLocation {
  const offset = PROGRAM.indexOf(needle);
  assert.ok(offset >= 0 && PROGRAM.indexOf(needle, offset + 1) < 0, `"${needle}" occurs once in the program`);
  const before = PROGRAM.slice(0, offset).split("\n");
  return { file: FILE, line: before.length, column: before[before.length - 1]!.length + 1 };
}

const SPAWN = placeOf("pthread_create(");
const CREATE = placeOf("syscall(SYS_landlock_create_ruleset");
const RESTRICT = placeOf("syscall(SYS_landlock_restrict_self");

function stepsOf<Op extends Step["op"]>(scenario: Scenario, op: Op): Extract<Step, { op: Op }>[] {
  return scenario.steps.filter((s): s is Extract<Step, { op: Op }> => s.op === op);
}

function opsIn(block: IrBlock): IrOp[] {
  return block.flatMap((node): IrOp[] => {
    if (node.kind === "op") return [node.op];
    if (node.kind === "branch") return node.arms.flatMap((arm) => opsIn(arm.body));
    if (node.kind === "loop" || node.kind === "child" || node.kind === "thread") return opsIn(node.body);
    return [];
  });
}

test("an analysed program: the scenario's spawn carries the spawn's place, illustrative steps carry none", () => {
  const report = analyzeText(PROGRAM, FILE);
  const finding = report.findings.find((f) => f.ruleId === "landlock/single-thread-restrict");
  assert.ok(finding?.scenario, `a single-thread-restrict finding with a scenario among ${report.findings.map((f) => f.ruleId).join(", ")}`);
  assert.equal(finding.range.start.line, RESTRICT.line, "the finding is at the restrict call");
  const validated = validateScenario(finding.scenario);
  assert.ok(validated.ok, validated.ok ? "" : JSON.stringify(validated.errors));
  const spawns = stepsOf(finding.scenario, "spawn_thread");
  assert.equal(spawns.length, 1);
  assert.deepEqual(spawns[0]!.source, SPAWN);
  for (const illustrative of [...stepsOf(finding.scenario, "open"), ...stepsOf(finding.scenario, "add_rule")]) {
    assert.equal(illustrative.source, undefined, `${illustrative.op} on ${illustrative.thread} is not in the code`);
  }
});

test("the builder places the ruleset creation and the restrict call in the op's file, and each spawn in its own", () => {
  const built = buildIr(PROGRAM, FILE, DEFAULT_SETTINGS);
  assert.ok(built.ok, built.ok ? "" : built.error.message);
  const main = built.ir.functions.find((f) => f.name === "main");
  assert.ok(main, "the front-end found main");
  const ops = opsIn(main.body);
  const restrict = ops.find((op) => op.type === "restrict");
  const spawn = ops.find((op) => op.type === "spawn");
  assert.ok(restrict && spawn, `a spawn and a restrict among ${ops.map((op) => op.type).join(", ")}`);
  const threads: ThreadEvidence[] = [{ key: `${FILE}:${spawn.range.start.offset}`, kind: "spawn", mechanism: spawn.mechanism, count: spawn.count, file: FILE, range: spawn.range }];
  const input = { name: "placed", settings: DEFAULT_SETTINGS, op: restrict, threads };

  const placed = singleThreadScenario({ ...input, file: FILE });
  const validated = validateScenario(placed);
  assert.ok(validated.ok, validated.ok ? "" : JSON.stringify(validated.errors));
  assert.deepEqual(stepsOf(placed, "spawn_thread").map((s) => s.source), [SPAWN]);
  assert.deepEqual(stepsOf(placed, "create_ruleset").map((s) => s.source), [CREATE]);
  assert.deepEqual(stepsOf(placed, "restrict_self").map((s) => s.source), [RESTRICT]);
  assert.deepEqual(stepsOf(placed, "open").map((s) => s.source), stepsOf(placed, "open").map(() => undefined));

  // The same op said to be in another file (a wrapper's file): its steps follow it there, the spawn stays put.
  const elsewhere = "/project/src/wrapper.c";
  const moved = singleThreadScenario({ ...input, file: elsewhere });
  assert.deepEqual(stepsOf(moved, "spawn_thread").map((s) => s.source), [SPAWN], "spawn evidence names its own file");
  assert.deepEqual(stepsOf(moved, "restrict_self").map((s) => s.source), [{ ...RESTRICT, file: elsewhere }]);
  assert.deepEqual(stepsOf(moved, "create_ruleset").map((s) => s.source), [{ ...CREATE, file: elsewhere }]);
});

interface FlowLocation {
  location: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; message?: { text: string } };
}
interface ThreadFlow {
  id: string;
  locations: FlowLocation[];
}
interface SarifOutput {
  runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[]; codeFlows?: { threadFlows: ThreadFlow[] }[] }[] }[];
}

test("landlock-lint --format sarif: the threads started at line 102 of psx-scope-setuid.c start at line 102 in the thread flows", () => {
  const fixture = join("fixtures", "c", "errata2", "psx-scope-setuid.c");
  const run = spawnSync(process.execPath, [BIN, "--format", "sarif", "--no-progress", fixture], { cwd: REPO_ROOT, encoding: "utf8" });
  assert.ok(run.status === 0 || run.status === 1, `exit ${run.status}: ${run.stderr}`);
  const log = JSON.parse(run.stdout) as SarifOutput;
  const result = log.runs[0]!.results.find((r) => r.ruleId === "landlock/per-thread-scope-conflict");
  assert.ok(result, "the per-thread-scope-conflict finding");
  assert.equal(result.locations[0]!.physicalLocation.region.startLine, 110, "the finding is at the psx_syscall3 call");
  const flows = result.codeFlows?.[0]?.threadFlows ?? [];
  const spawned = flows.filter((f) => f.id !== "main");
  assert.ok(spawned.length >= 1, `threads besides main among ${flows.map((f) => f.id).join(", ")}`);
  const starts = flows.flatMap((f) => f.locations).filter((l) => l.location.message?.text.startsWith("pthread_create("));
  assert.equal(starts.length, spawned.length, "one pthread_create step per spawned thread");
  for (const start of starts) {
    assert.equal(start.location.physicalLocation.region.startLine, 102, start.location.message?.text);
    assert.match(start.location.physicalLocation.artifactLocation.uri, /psx-scope-setuid\.c$/);
  }
  for (const flow of spawned) {
    for (const step of flow.locations) assert.equal(step.location.physicalLocation.region.startLine, 102, `${flow.id}: ${step.location.message?.text}`);
  }
});
