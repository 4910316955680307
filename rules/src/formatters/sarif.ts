// SARIF 2.1.0 for ESLint users:
//
//   npx eslint -f ./node_modules/eslint-plugin-landlock/dist/src/formatters/sarif.js . > landlock.sarif
//
// ESLint hands a formatter only the messages (rule, position, text): no related locations,
// no scenario, no fingerprint. So this formatter analyses each file that has
// eslint-plugin-landlock messages again (with the `settings.landlock` of the ESLint config
// for that file, when an eslint.config file provides one), pairs every message with the
// analyzer's finding at the same rule and position, and writes the log with the same
// builder as `landlock-lint --format sarif`: related locations, fixes, fingerprints and
// the simulated threads as thread flows. A message without a matching finding (settings
// the formatter could not see) is still reported, with what ESLint said. Messages of
// other plugins are left out: this log is for the Landlock rules.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { relative, sep } from "node:path";
import { findProjectRoot, Project, validateSettings, type Finding, type RuleId, type Settings } from "@landlock-lint/analyzer";
import type { ESLint, Linter } from "eslint";
import type { SarifInput, SarifLog } from "../../../analyzer/src/cli/sarif-log.js";

const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { name: string; version: string };

type BuildSarifLog = (input: SarifInput) => SarifLog;

/**
 * The analyzer's SARIF builder. Its package exports only the analysis API, so the module
 * is loaded by its place in the installed package (found through package.json, which the
 * package does export).
 */
async function loadSarifBuilder(): Promise<BuildSarifLog> {
  const packageJson = import.meta.resolve("@landlock-lint/analyzer/package.json");
  const module = (await import(new URL("./dist/src/cli/sarif-log.js", packageJson).href)) as { buildSarifLog: BuildSarifLog };
  return module.buildSarifLog;
}

function isLandlock(message: Linter.LintMessage): boolean {
  return typeof message.ruleId === "string" && message.ruleId.startsWith("landlock/");
}

/** `settings.landlock` of the config ESLint uses for a file; {} when it cannot be known or is invalid. */
async function settingsFor(eslint: ESLint | undefined, file: string): Promise<Partial<Settings>> {
  if (!eslint) return {};
  try {
    const config = (await eslint.calculateConfigForFile(file)) as { settings?: { landlock?: unknown } } | undefined;
    const raw = config?.settings?.landlock;
    if (raw === undefined || validateSettings(raw).length > 0) return {};
    return raw as Partial<Settings>;
  } catch {
    // No eslint.config file where the formatter looks (e.g. --config elsewhere, or the Node
    // API with overrideConfigFile): fall back to .landlock-lint.json and the defaults.
    return {};
  }
}

async function eslintFor(cwd: string): Promise<ESLint | undefined> {
  try {
    const { ESLint } = await import("eslint");
    return new ESLint({ cwd });
  } catch {
    return undefined;
  }
}

const projects = new Map<string, Project>();

function projectFor(file: string, settings: Partial<Settings>): Project {
  const root = findProjectRoot(file);
  const key = `${root}\u0000${JSON.stringify(settings)}`;
  let project = projects.get(key);
  if (!project) {
    project = new Project(root, { settings });
    projects.set(key, project);
  }
  return project;
}

/** The finding behind a message: same rule and line, the nearest column. */
function matchFinding(message: Linter.LintMessage, candidates: Finding[]): Finding | undefined {
  let best: Finding | undefined;
  let distance = Infinity;
  for (const finding of candidates) {
    if (finding.ruleId !== message.ruleId || finding.range.start.line !== message.line) continue;
    const d = Math.abs(finding.range.start.column + 1 - message.column);
    if (d < distance) {
      best = finding;
      distance = d;
    }
  }
  return best;
}

function fallbackFingerprint(cwd: string, file: string, message: Linter.LintMessage, occurrence: number): string {
  const path = relative(cwd, file).split(sep).join("/");
  return createHash("sha256").update([message.ruleId, path, message.message, occurrence].join("\u0000")).digest("hex").slice(0, 32);
}

/** What ESLint said, as a finding (when the analysis did not find it again). */
function fromMessage(cwd: string, file: string, message: Linter.LintMessage, occurrence: number): Finding {
  const start = { line: message.line, column: Math.max(0, message.column - 1), offset: 0 };
  const end = { line: message.endLine ?? message.line, column: Math.max(0, (message.endColumn ?? message.column) - 1), offset: 0 };
  return {
    ruleId: message.ruleId as RuleId,
    severity: message.severity === 2 ? "error" : "warning",
    file,
    range: { start, end },
    message: message.message,
    related: [],
    fixes: [],
    fingerprint: fallbackFingerprint(cwd, file, message, occurrence),
  };
}

/** The findings behind one file's ESLint messages, with ESLint's severity and text. */
async function findingsOf(result: ESLint.LintResult, cwd: string, eslint: () => Promise<ESLint | undefined>): Promise<Finding[]> {
  const messages = result.messages.filter(isLandlock);
  if (messages.length === 0) return [];
  let candidates: Finding[] = [];
  try {
    const report = projectFor(result.filePath, await settingsFor(await eslint(), result.filePath)).analyzeFile(result.filePath);
    candidates = [...report.findings, ...(report.suppressions?.suppressed ?? [])];
  } catch {
    // The file could not be analysed again (removed since, unreadable): ESLint's word stands.
  }
  const occurrences = new Map<string, number>();
  return messages.map((message) => {
    const finding = matchFinding(message, candidates);
    if (finding) {
      candidates = candidates.filter((c) => c !== finding);
      return { ...finding, severity: message.severity === 2 ? "error" : "warning", message: message.message };
    }
    const key = `${message.ruleId}\u0000${message.message}`;
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    return fromMessage(cwd, result.filePath, message, occurrence);
  });
}

function compare(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/** ESLint's formatter entry point (`eslint -f <this file>`, or `ESLint#loadFormatter`). */
export default async function formatSarif(results: ESLint.LintResult[], context?: { cwd?: string }): Promise<string> {
  const cwd = context?.cwd ?? process.cwd();
  let eslintInstance: Promise<ESLint | undefined> | undefined;
  const eslint = () => (eslintInstance ??= eslintFor(cwd));
  const findings: Finding[] = [];
  const errors: { path: string; message: string }[] = [];
  for (const result of [...results].sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0))) {
    for (const message of result.messages) {
      if (message.fatal) errors.push({ path: result.filePath, message: `line ${message.line}: ${message.message}` });
    }
    findings.push(...(await findingsOf(result, cwd, eslint)));
  }
  const buildSarifLog = await loadSarifBuilder();
  const log = buildSarifLog({ cwd, toolVersion: pkg.version, toolName: pkg.name, findings: findings.sort(compare), errors });
  return JSON.stringify(log, null, 2) + "\n";
}
