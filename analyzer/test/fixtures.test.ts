// The fixture corpus is the ground truth: every expected finding is found on its line and
// nothing else is reported; every fix and suggestion leaves its fixture clean for that
// finding without raising any other; and the hold-out set's precision and recall are
// measured (printed, never asserted, never tuned against).

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { RULE_NAMES, type Finding, type RuleName } from "../src/findings.js";
import { applyFixes } from "../src/apply-fixes.js";
import { FRONT_ENDS } from "../src/frontends/registry.js";
import { FIXTURES, HOLDOUT, analyzeFixtures, fixtureFiles, fixtureProjectRoot, formatDiff, formatTable, perRule } from "./fixture-harness.js";

const files = fixtureFiles(FIXTURES, [HOLDOUT]);
const languages = [...new Set(FRONT_ENDS.flatMap((fe) => fe.languages))].join(", ");

test(`fixtures: every expected finding and nothing else (${files.length} files; front-ends for ${languages})`, (t) => {
  if (files.length === 0) {
    t.skip("no fixture file has a registered front-end yet");
    return;
  }
  const { results } = analyzeFixtures(files, FIXTURES);
  console.log(`\nFixture results per rule (${results.length} files):\n${formatTable(perRule(results), RULE_NAMES)}\n`);
  const failing = results.filter((r) => r.missing.length || r.extra.length || r.problems.length || r.report.errors?.length);
  if (failing.length) console.log(failing.map(formatDiff).join("\n"));
  const clean = results.filter((r) => r.expected.length === 0);
  console.log(`${results.length - failing.length}/${results.length} files pass (${clean.length} files expect nothing).`);
  assert.equal(failing.length, 0, `${failing.length} fixture file(s) differ:\n${failing.map(formatDiff).join("\n")}`);
});

function countByRule(findings: Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1);
  return m;
}

test("fixtures: every fix and suggestion removes its finding and raises no other", (t) => {
  if (files.length === 0) {
    t.skip("no fixture file has a registered front-end yet");
    return;
  }
  const { results, projects } = analyzeFixtures(files, FIXTURES);
  const problems: string[] = [];
  let applied = 0;
  for (const res of results) {
    const project = projects.get(fixtureProjectRoot(res.file, FIXTURES))!;
    const before = countByRule(res.report.findings);
    for (const finding of res.report.findings) {
      for (const fix of finding.fixes) {
        const edited = new Map<string, string>();
        for (const edit of fix.edits) {
          if (!edited.has(edit.file)) edited.set(edit.file, readFileSync(edit.file, "utf8"));
        }
        for (const [file, text] of edited) edited.set(file, applyFixes(text, fix.edits.filter((e) => e.file === file)));
        applied++;
        for (const [file, text] of edited) project.setFileText(file, text);
        try {
          const after = project.analyzeFile(res.file);
          const counts = countByRule(after.findings);
          const where = `${res.rel}:${finding.range.start.line} ${finding.ruleId} "${fix.description}"`;
          if ((counts.get(finding.ruleId) ?? 0) >= (before.get(finding.ruleId) ?? 0)) problems.push(`${where}: the finding is still reported`);
          for (const [rule, n] of counts) {
            if (rule !== finding.ruleId && n > (before.get(rule) ?? 0)) {
              const added = after.findings.filter((f) => f.ruleId === rule).map((f) => `line ${f.range.start.line}: ${f.message}`);
              problems.push(`${where}: raises ${rule} (${added.join("; ")})`);
            }
          }
          for (const e of after.errors ?? []) problems.push(`${where}: ${e.message}`);
        } finally {
          for (const file of edited.keys()) project.closeFile(file);
        }
      }
    }
  }
  console.log(`\napplied ${applied} fixes and suggestions one at a time; ${problems.length} problem(s)`);
  assert.deepEqual(problems, []);
});

test("hold-out set: precision and recall per rule (measured, not asserted)", (t) => {
  const holdout = fixtureFiles(HOLDOUT);
  if (holdout.length === 0) {
    t.skip("no hold-out file has a registered front-end");
    return;
  }
  const { results } = analyzeFixtures(holdout, HOLDOUT);
  const table = perRule(results);
  const failing = results.filter((r) => r.missing.length || r.extra.length).length;
  const clean = results.filter((r) => r.expected.length === 0);
  const falseAlarmsOnClean = clean.filter((r) => r.extra.length > 0).length;
  console.log(
    `\nHold-out results (${results.length} files, ${failing} differ; ${falseAlarmsOnClean} of ${clean.length} files expecting nothing got a finding):\n` +
      formatTable(table, RULE_NAMES as readonly RuleName[]) +
      "\n",
  );
  assert.ok(results.length > 0);
});
