// Shared set-up for the rule tests: ESLint's RuleTester on node:test, a temporary project
// (its own `.landlock-lint.json` marks the root, so nothing outside is indexed), and the
// expected suggestion outputs computed from the analyzer's own edits.

import { after, describe, it } from "node:test";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { RuleTester, type ESLint, type Rule } from "eslint";
import { analyzeText, applyFixes, frontEndFor, type RuleName, type Settings } from "@landlock-lint/analyzer";
import plugin from "../../src/index.js";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** A fresh project folder for one test file; removed when the file's tests end. */
export function tempProject(prefix: string, files: Record<string, string> = {}): { root: string; path: (name: string) => string } {
  const root = mkdtempSync(join(tmpdir(), `landlock-${prefix}-`));
  writeFileSync(join(root, ".landlock-lint.json"), "{}\n");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  after(() => rmSync(root, { recursive: true, force: true }));
  return { root, path: (name) => join(root, name) };
}

export type TreeSitterLanguageName = "c" | "cpp" | "go" | "rust";

export function treeSitterTester(language: TreeSitterLanguageName): RuleTester {
  return new RuleTester({ plugins: { landlock: plugin as unknown as ESLint.Plugin }, language: `landlock/${language}` });
}

export function ruleModule(name: RuleName): Rule.RuleModule {
  return plugin.rules[name] as unknown as Rule.RuleModule;
}

/** Why a language's cases cannot run yet, or undefined when its analyzer front-end is registered. */
export function missingFrontEnd(extension: string): string | undefined {
  return frontEndFor(`probe${extension}`) ? undefined : `the analyzer has no front-end for ${extension} files yet`;
}

/**
 * The text after applying one suggestion of the analyzer's finding for `rule` (the n-th
 * suggestion of the finding starting on `line`). Tests compare the plugin's suggestion
 * output with this, so they check the adapter's mapping without copying the analyzer's
 * wording; what the suggestion must achieve is asserted separately.
 */
export function analyzerSuggestionOutput(
  code: string,
  file: string,
  rule: RuleName,
  line: number,
  index = 0,
  settings: Partial<Settings> = {},
): string {
  const report = analyzeText(code, file, settings);
  const finding = report.findings.find((f) => f.ruleId === `landlock/${rule}` && f.range.start.line === line);
  if (!finding) throw new Error(`the analyzer reports no ${rule} finding on line ${line} of ${file}`);
  const suggestion = finding.fixes.filter((f) => f.kind === "suggestion")[index];
  if (!suggestion) throw new Error(`the ${rule} finding on line ${line} has no suggestion #${index}`);
  return applyFixes(code, suggestion.edits);
}

/** Line (1-based) of the first line containing `marker`. */
export function lineOf(code: string, marker: string): number {
  const index = code.indexOf(marker);
  if (index < 0) throw new Error(`"${marker}" is not in the snippet`);
  return code.slice(0, index).split("\n").length;
}

/** typescript-eslint's RuleTester (JS/TS files through typescript-eslint's parser, as the preset configures). */
export async function jsTester(): Promise<import("@typescript-eslint/rule-tester").RuleTester> {
  const { RuleTester: TsRuleTester } = await import("@typescript-eslint/rule-tester");
  TsRuleTester.afterAll = after;
  TsRuleTester.describe = describe;
  TsRuleTester.it = it;
  TsRuleTester.itOnly = it.only;
  return new TsRuleTester();
}
