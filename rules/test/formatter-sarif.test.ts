// The SARIF formatter for ESLint users, loaded the way the docs say
// (`-f ./node_modules/eslint-plugin-landlock/dist/src/formatters/sarif.js`, here through
// ESLint#loadFormatter): the log validates against SARIF 2.1.0, has one result per
// Landlock message, and agrees with `landlock-lint --format sarif` on fingerprints and
// thread flows; messages it cannot pair with a finding are kept; the ESLint config's
// settings.landlock is used for the re-analysis.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import AjvModule from "ajv";
import { ESLint, type Linter } from "eslint";
import plugin from "../src/index.js";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DOCUMENTED_PATH = "./node_modules/eslint-plugin-landlock/dist/src/formatters/sarif.js";
const CLI = join(REPO_ROOT, "analyzer", "dist", "src", "cli", "main.js");
const FIXTURES = ["fixtures/c/crawl-indexer.c", "fixtures/c/errata2/psx-scope-setuid.c", "fixtures/go/llsyscall-restrict.go", "fixtures/rust/abi8/raw-no-tsync.rs", "fixtures/js/abi8/cache-warmer.mjs"];

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
  relatedLocations?: unknown[];
  partialFingerprints: Record<string, string>;
  codeFlows?: { threadFlows: { id: string; locations: unknown[] }[] }[];
  fixes?: { properties: { kind: string } }[];
}
interface SarifLog {
  runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: SarifResult[]; invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[] }[];
}

// The official schema kept by the analyzer (see analyzer/schema/sarif-2.1.0.LICENSE.md).
const URI_REFERENCE = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
const validate = new AjvModule.default({
  allErrors: true,
  strict: true,
  strictRequired: false,
  formats: { uri: (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) && URI_REFERENCE.test(s), "uri-reference": (s: string) => URI_REFERENCE.test(s), "date-time": true },
}).compile(JSON.parse(readFileSync(join(REPO_ROOT, "analyzer", "schema", "sarif-2.1.0.json"), "utf8")));

function assertValid(log: unknown): void {
  const ok = validate(log) as boolean;
  assert.ok(ok, `SARIF 2.1.0 schema violations: ${JSON.stringify(validate.errors?.slice(0, 10), null, 2)}`);
}

async function eslintSarif(eslint: ESLint, results: ESLint.LintResult[]): Promise<SarifLog> {
  const formatter = await eslint.loadFormatter(DOCUMENTED_PATH);
  return JSON.parse(await formatter.format(results)) as SarifLog;
}

function where(result: SarifResult): string {
  const location = result.locations[0]!.physicalLocation;
  return `${result.ruleId} ${decodeURIComponent(location.artifactLocation.uri)}:${location.region.startLine}`;
}

test("ESLint + the SARIF formatter: valid SARIF 2.1.0 that agrees with landlock-lint --format sarif", async () => {
  const eslint = new ESLint({ cwd: REPO_ROOT, overrideConfigFile: true, overrideConfig: [...plugin.configs.recommended] as Linter.Config[] });
  const results = await eslint.lintFiles(FIXTURES);
  const messages = results.flatMap((r) => r.messages.filter((m) => m.ruleId?.startsWith("landlock/")));
  assert.ok(messages.length >= FIXTURES.length, "every fixture has Landlock findings");
  const log = await eslintSarif(eslint, results);
  assertValid(log);
  const run = log.runs[0]!;
  assert.equal(run.tool.driver.name, "eslint-plugin-landlock");
  assert.equal(run.results.length, messages.length, "one result per Landlock message");

  const cli = spawnSync(process.execPath, [CLI, "--format", "sarif", "--no-progress", ...FIXTURES], { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  assert.ok(cli.status === 0 || cli.status === 1, cli.stderr);
  const cliLog = JSON.parse(cli.stdout) as SarifLog;
  const cliByPlace = new Map(cliLog.runs[0]!.results.map((r) => [where(r), r]));
  for (const result of run.results) {
    const same = cliByPlace.get(where(result));
    assert.ok(same, `the CLI reports ${where(result)} too`);
    assert.deepEqual(result.partialFingerprints, same.partialFingerprints, where(result));
    assert.equal(result.relatedLocations?.length ?? 0, same.relatedLocations?.length ?? 0, `${where(result)}: related locations recovered`);
    assert.deepEqual(
      result.codeFlows?.[0]?.threadFlows.map((f) => [f.id, f.locations.length]),
      same.codeFlows?.[0]?.threadFlows.map((f) => [f.id, f.locations.length]),
      `${where(result)}: the same simulated threads`,
    );
    assert.equal(run.tool.driver.rules[result.ruleIndex]!.id, result.ruleId);
  }
  const threaded = run.results.filter((r) => r.ruleId === "landlock/single-thread-restrict");
  assert.ok(threaded.length >= 3 && threaded.every((r) => (r.codeFlows?.[0]?.threadFlows.length ?? 0) >= 2), "thread flows for every single-thread-restrict result");
});

const THREADED = `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }

int main(void) {
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

function message(ruleId: string | null, line: number, column: number, text: string, extra: Partial<Linter.LintMessage> = {}): Linter.LintMessage {
  return { ruleId, severity: 2, message: text, line, column, endLine: line, endColumn: column + 7, nodeType: null as unknown as string, ...extra } as Linter.LintMessage;
}

function lintResult(filePath: string, messages: Linter.LintMessage[]): ESLint.LintResult {
  return {
    filePath,
    messages,
    suppressedMessages: [],
    errorCount: messages.filter((m) => m.severity === 2).length,
    fatalErrorCount: messages.filter((m) => m.fatal).length,
    warningCount: messages.filter((m) => m.severity === 1).length,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    usedDeprecatedRules: [],
  };
}

test("settings.landlock of the project's eslint.config is used; unpaired and fatal messages are kept, other plugins' are not", async () => {
  const dir = mkdtempSync(join(tmpdir(), "landlock-eslint-sarif-"));
  try {
    writeFileSync(join(dir, "main.c"), THREADED);
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    const file = join(dir, "main.c");
    const messages = [
      message("landlock/single-thread-restrict", 18, 9, "only the calling thread is sandboxed"),
      message("landlock/nesting-limit", 3, 1, "no such finding here", { severity: 1 }),
      message("other-plugin/rule", 4, 1, "not ours"),
    ];
    const results = [lintResult(file, messages), lintResult(join(dir, "broken.c"), [message(null, 2, 5, "Parsing error: unexpected token", { fatal: true })])];
    const eslint = new ESLint({ cwd: dir });
    const kinds = async (): Promise<string[]> => {
      const formatter = await eslint.loadFormatter(join(REPO_ROOT, "rules", "dist", "src", "formatters", "sarif.js"));
      const log = JSON.parse(await formatter.format(results, { cwd: dir, rulesMeta: {} } as unknown as ESLint.LintResultData)) as SarifLog;
      assertValid(log);
      const run = log.runs[0]!;
      assert.deepEqual(run.results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.region.startLine]), [
        ["landlock/nesting-limit", "warning", 3],
        ["landlock/single-thread-restrict", "error", 18],
      ]);
      const unpaired = run.results[0]!;
      assert.equal(unpaired.message.text, "no such finding here");
      assert.equal(unpaired.codeFlows, undefined, "no finding, no simulation");
      assert.match(unpaired.partialFingerprints["landlockFingerprint/v1"]!, /^[0-9a-f]{32}$/);
      assert.equal(run.results[1]!.message.text, "only the calling thread is sandboxed", "ESLint's text is kept");
      assert.ok(run.results[1]!.codeFlows, "the paired finding is simulated");
      assert.equal(run.invocations[0]!.executionSuccessful, false);
      assert.deepEqual(run.invocations[0]!.toolExecutionNotifications.map((n) => n.message.text), ["line 2: Parsing error: unexpected token"]);
      return (run.results[1]!.fixes ?? []).map((f) => f.properties.kind);
    };
    // Without a config: the default target ABI (6) has no TSYNC, so only suggestions.
    assert.ok(!(await kinds()).includes("fix"));
    // The project's eslint.config.js raises targetAbi to 8: adding TSYNC becomes an automatic fix.
    writeFileSync(join(dir, "eslint.config.js"), 'export default [{ files: ["**/*.c"], settings: { landlock: { targetAbi: 8 } } }];\n');
    const formatter = await new ESLint({ cwd: dir }).loadFormatter(join(REPO_ROOT, "rules", "dist", "src", "formatters", "sarif.js"));
    const log = JSON.parse(await formatter.format(results, { cwd: dir, rulesMeta: {} } as unknown as ESLint.LintResultData)) as SarifLog;
    const tsync = log.runs[0]!.results.find((r) => r.ruleId === "landlock/single-thread-restrict")!;
    assert.ok((tsync.fixes ?? []).some((f) => f.properties.kind === "fix"), JSON.stringify(tsync.fixes));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
