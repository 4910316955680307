// Parity: on every fixture (outside fixtures/holdout/), ESLint with the recommended preset
// reports exactly what `landlock-lint --format json` reports: same rule, line, column and
// message. Fixture folders with a `.landlock-lint.json` pass its settings as
// `settings.landlock`, the way a user would configure ESLint.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint, type Linter } from "eslint";
import { CONFIG_FILE_NAME, resolveSettings } from "@landlock-lint/analyzer";
import plugin from "../src/index.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const fixturesRoot = join(repoRoot, "fixtures");
const cli = join(repoRoot, "analyzer", "dist", "src", "cli", "main.js");

const fixtureDirs = readdirSync(fixturesRoot)
  .filter((name) => name !== "holdout" && statSync(join(fixturesRoot, name)).isDirectory())
  .sort();

function configFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...configFiles(full));
    else if (entry.name === CONFIG_FILE_NAME) out.push(full);
  }
  return out;
}

/** One config block per settings file, deepest last. Complete settings, so a folder's file replaces its parent's (nearest-file semantics). */
function settingsBlocks(): Linter.Config[] {
  return fixtureDirs
    .flatMap((d) => configFiles(join(fixturesRoot, d)))
    .map((file) => relative(fixturesRoot, file).split(sep).slice(0, -1).join("/"))
    .sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b))
    .map((dir) => ({
      files: [`${dir}/**/*`],
      settings: { landlock: { ...resolveSettings(JSON.parse(readFileSync(join(fixturesRoot, dir, CONFIG_FILE_NAME), "utf8"))) } },
    }));
}

interface CliReport {
  findings: { ruleId: string; file: string; line: number; column: number; message: string }[];
  files: { file: string }[];
  errors: { file: string; message: string }[];
}

describe("parity with landlock-lint on the fixtures", () => {
  it("ESLint (recommended preset) and the CLI report the same findings", async () => {
    const run = spawnSync(process.execPath, [cli, "--format", "json", "--no-progress", ...fixtureDirs], { cwd: fixturesRoot, encoding: "utf8", maxBuffer: 64 << 20 });
    assert.ok(run.status === 0 || run.status === 1, `landlock-lint exited ${run.status}: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as CliReport;
    assert.deepEqual(report.errors, [], "the CLI analysed every fixture");

    const eslint = new ESLint({
      cwd: fixturesRoot,
      overrideConfigFile: true,
      overrideConfig: [...plugin.configs.recommended, ...settingsBlocks()] as Linter.Config[],
    });
    const results = await eslint.lintFiles(fixtureDirs);
    const rel = (file: string) => relative(fixturesRoot, file).split(sep).join("/");

    const fatal = results.flatMap((r) => r.messages.filter((m) => m.fatal || m.ruleId === null).map((m) => `${rel(r.filePath)}:${m.line}: ${m.message}`));
    assert.deepEqual(fatal, [], "no parse failures or directive problems under ESLint");

    const line = (f: { ruleId: string | null; file: string; line: number; column: number; message: string }) => `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`;
    const fromEslint = results.flatMap((r) => r.messages.map((m) => line({ ...m, file: rel(r.filePath) }))).sort();
    const fromCli = report.findings.map((f) => line({ ...f, file: f.file.split(sep).join("/") })).sort();
    console.log(`parity: ${fromCli.length} findings in ${report.files.length} fixture files (${fixtureDirs.join(", ")})`);
    assert.ok(fromCli.length > 0, "the fixtures hold findings");
    assert.deepEqual(fromEslint, fromCli);

    const linted = new Set(results.map((r) => rel(r.filePath)));
    const missing = report.files.map((f) => f.file.split(sep).join("/")).filter((f) => !linted.has(f));
    assert.deepEqual(missing, [], "ESLint's preset picks up every file the CLI reads");
  });
});
