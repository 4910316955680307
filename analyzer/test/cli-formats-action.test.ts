// The GitHub Action (action.yml): its steps' shell scripts run here with bash, as the
// runner would run them (inputs as environment variables, $GITHUB_OUTPUT a file), against
// the CLI built in this checkout: the SARIF file it writes validates, the exit code is
// passed on, the outcome step fails the job only as configured. Every `inputs.X` the
// action uses is declared.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, tempProject, THREADED_C, validateSarif } from "./golden/harness.js";

interface ActionStep {
  id?: string;
  name?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const ACTION_TEXT = readFileSync(join(REPO_ROOT, "action.yml"), "utf8");
const CLI = join(REPO_ROOT, "analyzer", "dist", "src", "cli", "main.js");

async function loadAction(): Promise<Action | undefined> {
  try {
    // A dependency of the toolchain, not of landlock-lint: named at run time so the
    // build does not need its type declarations.
    const name = "js-yaml";
    const yaml = (await import(name)) as { load(text: string): unknown };
    return yaml.load(ACTION_TEXT) as Action;
  } catch {
    return undefined;
  }
}

function runStep(script: string, cwd: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("bash", ["-e", "-c", script], { cwd, env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("action.yml: a composite action whose inputs are all declared and that uploads with upload-sarif", async (t) => {
  const action = await loadAction();
  if (!action) {
    t.skip("js-yaml is not installed: cannot parse action.yml");
    return;
  }
  assert.equal(action.runs.using, "composite");
  const used = [...ACTION_TEXT.matchAll(/inputs\.([a-z-]+)/g)].map((m) => m[1]!);
  for (const name of new Set(used)) assert.ok(action.inputs[name], `inputs.${name} is declared`);
  const upload = action.runs.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
  assert.ok(upload, "uploads with github/codeql-action/upload-sarif");
  assert.match(upload.with!.sarif_file!, /inputs\.sarif-file/);
  const lint = action.runs.steps.find((s) => s.id === "lint")!;
  assert.match(lint.run!, /--format sarif --output-file "\$LANDLOCK_LINT_SARIF"/);
  assert.match(lint.run!, /npx --yes "--package=\$LANDLOCK_LINT_PACKAGE" -- landlock-lint/);
  assert.ok(!/\$\{\{/.test(lint.run!), "no expression is pasted into the script (injection)");
});

test("action.yml: the lint step writes a valid SARIF file and passes the exit code on; the outcome step fails as configured", async (t) => {
  const action = await loadAction();
  if (!action) {
    t.skip("js-yaml is not installed: cannot parse action.yml");
    return;
  }
  const lint = action.runs.steps.find((s) => s.id === "lint")!;
  const outcome = action.runs.steps.find((s) => s.name === "Outcome")!;
  const project = tempProject({ "src/main.c": THREADED_C, "src/clean.c": "int main(void) { return 0; }\n" });
  try {
    const outputs = join(project.dir, "github-output");
    const env = {
      LANDLOCK_LINT_PACKAGE: action.inputs.package!.default!,
      LANDLOCK_LINT_COMMAND: `${process.execPath} ${CLI}`,
      LANDLOCK_LINT_PATHS: "src/main.c src/clean.c",
      LANDLOCK_LINT_ARGS: "--target-abi 8 --concurrency off",
      LANDLOCK_LINT_SARIF: "reports/landlock-lint.sarif",
      GITHUB_OUTPUT: outputs,
    };
    const step = runStep(lint.run!, project.dir, env);
    assert.equal(step.status, 0, `the lint step itself succeeds so the upload runs\n${step.stderr}`);
    const written = readFileSync(outputs, "utf8");
    assert.match(written, /^exit-code=1$/m);
    assert.match(written, /^sarif-file=reports\/landlock-lint\.sarif$/m);
    const log = JSON.parse(readFileSync(join(project.dir, "reports", "landlock-lint.sarif"), "utf8")) as { runs: { results: { ruleId: string }[] }[] };
    assert.ok(validateSarif(log).ok);
    assert.ok(log.runs[0]!.results.some((r) => r.ruleId === "landlock/single-thread-restrict"));

    const decide = (exit: string, fail: string) => runStep(outcome.run!, project.dir, { LANDLOCK_LINT_EXIT: exit, LANDLOCK_LINT_FAIL: fail }).status;
    assert.equal(decide("1", "true"), 1);
    assert.equal(decide("1", "false"), 0);
    assert.equal(decide("0", "true"), 0);
    assert.equal(decide("2", "false"), 2, "a run that could not analyse fails whatever fail-on-findings says");

    // A bad option: exit code 2, announced as an error annotation.
    const bad = runStep(lint.run!, project.dir, { ...env, LANDLOCK_LINT_ARGS: "--no-such-option", LANDLOCK_LINT_SARIF: "bad.sarif" });
    assert.equal(bad.status, 0);
    assert.match(readFileSync(outputs, "utf8"), /^exit-code=2$/m);
    assert.match(bad.stdout, /^::error title=landlock-lint::landlock-lint exited with 2/m);
    assert.equal(existsSync(join(project.dir, "bad.sarif")), false);
  } finally {
    project.remove();
  }
});
