// Reads the annotated fixture corpus: which files, which findings each line expects
// (`// expect: landlock/<rule>[, landlock/<rule>]`), which project each file belongs to,
// and what the analyzer reports for it. Shared by the fixture tests.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Project } from "../src/project.js";
import { frontEndFor } from "../src/frontends/registry.js";
import type { FileReport, Finding, RuleName } from "../src/findings.js";
import { parseRuleName } from "../src/rule-meta.js";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const FIXTURES = join(REPO_ROOT, "fixtures");
export const HOLDOUT = join(FIXTURES, "holdout");

const MARKERS = [".landlock-lint.json", "compile_commands.json", "go.mod", "Cargo.toml", "package.json"];

export interface Expectation {
  rule: RuleName;
  line: number;
}

/** Every file under `dir` a registered front-end reads, skipping `exclude` (absolute folders). */
export function fixtureFiles(dir: string, exclude: string[] = []): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (exclude.some((e) => p === e || p.startsWith(e + sep))) continue;
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (frontEndFor(p)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The expected findings of a file; unknown rule names are returned as problems. */
export function expectationsOf(text: string): { expected: Expectation[]; problems: string[] } {
  const expected: Expectation[] = [];
  const problems: string[] = [];
  text.split(/\r?\n|\r/).forEach((lineText, i) => {
    const m = /(?:\/\/|\/\*|#)\s*expect:\s*(.*?)\s*(?:\*\/.*)?$/.exec(lineText);
    if (!m) return;
    for (const raw of m[1]!.split(",").map((s) => s.trim()).filter((s) => s)) {
      const rule = parseRuleName(raw);
      if (rule && raw.startsWith("landlock/")) expected.push({ rule, line: i + 1 });
      else problems.push(`line ${i + 1}: "${raw}" is not landlock/<rule>`);
    }
  });
  return { expected, problems };
}

/** The folder whose project a fixture belongs to: nearest marker folder up to (and including) `top`; the file's folder otherwise. */
export function fixtureProjectRoot(file: string, top: string): string {
  let dir = dirname(file);
  for (;;) {
    if (MARKERS.some((m) => { try { return statSync(join(dir, m)).isFile(); } catch { return false; } })) return dir;
    if (dir === top || !dir.startsWith(top)) return dirname(file);
    dir = dirname(dir);
  }
}

export interface FixtureResult {
  file: string;
  rel: string;
  expected: Expectation[];
  problems: string[];
  report: FileReport;
  actual: Expectation[];
  missing: Expectation[];
  extra: Expectation[];
  /** Findings by their start line (to show messages in diffs). */
  findings: Finding[];
}

function key(e: Expectation): string {
  return `${e.rule}@${e.line}`;
}

/** Multiset difference a - b. */
function minus(a: Expectation[], b: Expectation[]): Expectation[] {
  const counts = new Map<string, number>();
  for (const e of b) counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
  const out: Expectation[] = [];
  for (const e of a) {
    const n = counts.get(key(e)) ?? 0;
    if (n > 0) counts.set(key(e), n - 1);
    else out.push(e);
  }
  return out;
}

export function analyzeFixtures(files: string[], top: string): { results: FixtureResult[]; projects: Map<string, Project> } {
  const projects = new Map<string, Project>();
  const results: FixtureResult[] = [];
  for (const file of files) {
    const root = fixtureProjectRoot(file, top);
    let project = projects.get(root);
    if (!project) {
      project = new Project(root);
      projects.set(root, project);
    }
    const text = readFileSync(file, "utf8");
    const { expected, problems } = expectationsOf(text);
    const report = project.analyzeFile(file);
    const actual = report.findings.map((f) => ({ rule: f.ruleId.slice("landlock/".length) as RuleName, line: f.range.start.line }));
    results.push({
      file,
      rel: relative(REPO_ROOT, file),
      expected,
      problems,
      report,
      actual,
      missing: minus(expected, actual),
      extra: minus(actual, expected),
      findings: report.findings,
    });
  }
  return { results, projects };
}

export interface RuleCounts {
  expected: number;
  truePositives: number;
  missing: number;
  extra: number;
}

export function perRule(results: FixtureResult[]): Map<RuleName, RuleCounts> {
  const table = new Map<RuleName, RuleCounts>();
  const row = (r: RuleName) => table.get(r) ?? table.set(r, { expected: 0, truePositives: 0, missing: 0, extra: 0 }).get(r)!;
  for (const res of results) {
    for (const e of res.expected) row(e.rule).expected++;
    for (const e of res.missing) row(e.rule).missing++;
    for (const e of res.extra) row(e.rule).extra++;
  }
  for (const [, c] of table) c.truePositives = c.expected - c.missing;
  return table;
}

function pct(n: number, d: number): string {
  return d === 0 ? "  n/a" : `${((100 * n) / d).toFixed(1).padStart(5)}%`;
}

export function formatTable(table: Map<RuleName, RuleCounts>, rules: readonly RuleName[]): string {
  const lines = [`${"rule".padEnd(30)} expected  found  missing  extra  precision  recall`];
  let tot = { expected: 0, truePositives: 0, missing: 0, extra: 0 };
  for (const r of rules) {
    const c = table.get(r) ?? { expected: 0, truePositives: 0, missing: 0, extra: 0 };
    tot = { expected: tot.expected + c.expected, truePositives: tot.truePositives + c.truePositives, missing: tot.missing + c.missing, extra: tot.extra + c.extra };
    lines.push(
      `${r.padEnd(30)} ${String(c.expected).padStart(8)} ${String(c.truePositives).padStart(6)} ${String(c.missing).padStart(8)} ${String(c.extra).padStart(6)}  ${pct(c.truePositives, c.truePositives + c.extra).padStart(9)}  ${pct(c.truePositives, c.expected).padStart(6)}`,
    );
  }
  lines.push(
    `${"all rules".padEnd(30)} ${String(tot.expected).padStart(8)} ${String(tot.truePositives).padStart(6)} ${String(tot.missing).padStart(8)} ${String(tot.extra).padStart(6)}  ${pct(tot.truePositives, tot.truePositives + tot.extra).padStart(9)}  ${pct(tot.truePositives, tot.expected).padStart(6)}`,
  );
  return lines.join("\n");
}

export function formatDiff(res: FixtureResult): string {
  const lines = [`${res.rel}:`];
  for (const p of res.problems) lines.push(`  bad annotation ${p}`);
  for (const m of res.missing) lines.push(`  missing  line ${m.line}: landlock/${m.rule}`);
  for (const e of res.extra) {
    const f = res.findings.find((x) => x.range.start.line === e.line && x.ruleId === `landlock/${e.rule}`);
    lines.push(`  extra    line ${e.line}: landlock/${e.rule}${f ? ` (${f.message})` : ""}`);
  }
  for (const err of res.report.errors ?? []) lines.push(`  error    ${err.message}`);
  return lines.join("\n");
}
