// Output formats and exit codes over hand-built runs: the JSON shape validates against the
// published schema, the stylish layout, the order of findings, and ESLint's exit codes.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import AjvModule from "ajv";
import type { Finding, RuleId, Severity } from "../src/findings.js";
import { formatStylish } from "../src/cli/formats/stylish.js";
import { loadFormatters } from "../src/cli/formats/registry.js";
import { errorsOnly, sortRun, toJsonOutput, type LintRun } from "../src/cli/result.js";
import { exitCodeFor } from "../src/cli/exit-code.js";

const Ajv = AjvModule.default;
const schema = JSON.parse(readFileSync(new URL("../../schema/output.schema.json", import.meta.url), "utf8"));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

const cwd = "/project";
const range = (line: number, column: number, offset = 0) => ({
  start: { line, column, offset },
  end: { line, column: column + 4, offset: offset + 4 },
});

function finding(file: string, line: number, column: number, ruleId: RuleId, severity: Severity, fixKind?: "fix" | "suggestion"): Finding {
  return {
    ruleId,
    severity,
    file,
    range: range(line, column, line * 10 + column),
    message: `${ruleId.slice("landlock/".length)} problem`,
    related: [{ file: "/project/src/spawn.c", range: range(3, 2), message: "thread started here" }],
    fixes: fixKind ? [{ kind: fixKind, description: "add TSYNC", edits: [{ file, range: range(line, column, 40), text: "TSYNC" }] }] : [],
    fingerprint: `${ruleId}:${line}`,
  };
}

function sampleRun(): LintRun {
  return sortRun({
    cwd,
    files: [
      {
        path: "/project/src/b.c",
        language: "c",
        parseErrors: 0,
        findings: [
          finding("/project/src/b.c", 9, 0, "landlock/nesting-limit", "warning"),
          finding("/project/src/b.c", 2, 4, "landlock/unchecked-restrict-result", "error", "suggestion"),
          finding("/project/src/b.c", 2, 4, "landlock/missing-no-new-privs", "error"),
        ],
      },
      {
        path: "/project/src/a.c",
        language: "c",
        parseErrors: 2,
        findings: [finding("/project/src/a.c", 12, 7, "landlock/single-thread-restrict", "error", "fix")],
      },
      { path: "/project/clean.c", language: "c", parseErrors: 0, findings: [] },
    ],
    errors: [{ path: "/project/blob.c", message: "binary file: NUL byte at byte offset 3" }],
  });
}

test("JSON output validates against the schema, with 1-based columns, relative paths and stable order", () => {
  const out = toJsonOutput(sampleRun());
  assert.ok(validate(out), JSON.stringify(validate.errors));
  assert.deepEqual(
    out.findings.map((f) => `${f.file}:${f.line}:${f.column}:${f.ruleId}`),
    [
      "src/a.c:12:8:landlock/single-thread-restrict",
      "src/b.c:2:5:landlock/missing-no-new-privs",
      "src/b.c:2:5:landlock/unchecked-restrict-result",
      "src/b.c:9:1:landlock/nesting-limit",
    ],
  );
  assert.deepEqual(out.findings[0]!.related[0], { file: "src/spawn.c", line: 3, column: 3, message: "thread started here" });
  assert.deepEqual(out.findings[0]!.fixes[0]!.edits[0]!.range.start, { line: 12, column: 8, offset: 40 });
  assert.deepEqual(out.files.map((f) => f.file), ["clean.c", "src/a.c", "src/b.c"]);
  assert.deepEqual(out.errors, [{ file: "blob.c", message: "binary file: NUL byte at byte offset 3" }]);
  assert.equal("explanation" in out.findings[0]!, false);
});

test("the schema rejects what the contract forbids", () => {
  const out = toJsonOutput(sampleRun());
  const broken = structuredClone(out) as unknown as { findings: Record<string, unknown>[] };
  broken.findings[0]!.column = 0;
  assert.equal(validate(broken), false);
  const extra = structuredClone(out) as unknown as Record<string, unknown>;
  extra.unexpected = true;
  assert.equal(validate(extra), false);
  const backslash = structuredClone(out);
  backslash.files[0]!.file = "src\\a.c";
  assert.equal(validate(backslash), false);
});

test("explanations appear in JSON only when present", () => {
  const run = sampleRun();
  run.files[1]!.findings[0]!.explanation = "main  | restrict_self -> domain 1\nworker| (no domain)";
  const out = toJsonOutput(run);
  assert.ok(validate(out), JSON.stringify(validate.errors));
  assert.equal(out.findings[0]!.explanation, "main  | restrict_self -> domain 1\nworker| (no domain)");
});

test("stylish: file blocks, aligned rows, errors section, summary and fixable count", () => {
  const text = formatStylish(sampleRun(), { color: false, toolVersion: "0", tooManyWarnings: false, maxWarnings: -1 });
  const lines = text.split("\n");
  assert.equal(lines[1], "src/a.c");
  assert.equal(lines[2], "  (2 regions did not parse; the findings cover the rest)");
  assert.match(lines[3]!, /^ {2}12:8 {2}error {2}single-thread-restrict problem {2}landlock\/single-thread-restrict$/);
  const bRows = lines.slice(lines.indexOf("src/b.c") + 1, lines.indexOf("src/b.c") + 4);
  assert.deepEqual(
    bRows.map((l) => l.trim().split(/\s{2,}/)),
    [
      ["2:5", "error", "missing-no-new-privs problem", "landlock/missing-no-new-privs"],
      ["2:5", "error", "unchecked-restrict-result problem", "landlock/unchecked-restrict-result"],
      ["9:1", "warning", "nesting-limit problem", "landlock/nesting-limit"],
    ],
  );
  // The message column is aligned within a file block.
  const ruleColumn = bRows.map((l) => l.lastIndexOf("landlock/"));
  assert.equal(new Set(ruleColumn).size, 1);
  assert.ok(text.includes("Could not analyse:\n  blob.c  binary file: NUL byte at byte offset 3"));
  assert.ok(text.includes("\u2716 4 problems (3 errors, 1 warning)\n  1 error and 0 warnings potentially fixable with the `--fix` option."));
  assert.ok(text.includes("\u2716 1 path could not be analysed"));
  assert.equal(text.includes("\u001b["), false, "no colour codes without colour");
  assert.equal(text.includes("clean.c"), false, "files without findings are not listed");
});

test("stylish: colours only when asked, nothing at all for a clean run", () => {
  const coloured = formatStylish(sampleRun(), { color: true, toolVersion: "0", tooManyWarnings: false, maxWarnings: -1 });
  assert.ok(coloured.includes("\u001b[31merror\u001b[39m"));
  assert.ok(coloured.includes("\u001b[33mwarning\u001b[39m"));
  const clean = formatStylish({ cwd, files: [{ path: "/project/a.c", language: "c", parseErrors: 0, findings: [] }], errors: [] }, {
    color: false,
    toolVersion: "0",
    tooManyWarnings: false,
    maxWarnings: -1,
  });
  assert.equal(clean, "");
});

test("stylish: explanations are indented under their finding", () => {
  const run = sampleRun();
  run.files[1]!.findings[0]!.explanation = "lane main: restricted\nlane w1: unrestricted";
  const text = formatStylish(run, { color: false, toolVersion: "0", tooManyWarnings: false, maxWarnings: -1 });
  assert.ok(text.includes("landlock/single-thread-restrict\n      lane main: restricted\n      lane w1: unrestricted\n"));
});

test("exit codes: errors 1, warnings 0 unless over --max-warnings, unanalysable files 2", () => {
  const run = sampleRun();
  assert.equal(exitCodeFor(run, -1), 2);
  run.errors = [];
  assert.equal(exitCodeFor(run, -1), 1);
  const warningsOnly: LintRun = { ...run, files: run.files.map((f) => ({ ...f, findings: f.findings.filter((x) => x.severity === "warning") })) };
  assert.equal(exitCodeFor(warningsOnly, -1), 0);
  assert.equal(exitCodeFor(warningsOnly, 1), 0);
  assert.equal(exitCodeFor(warningsOnly, 0), 1);
  assert.equal(errorsOnly(run).files.flatMap((f) => f.findings).some((f) => f.severity === "warning"), false);
});

test("the format registry finds every format module", async () => {
  const formatters = await loadFormatters();
  assert.deepEqual([...formatters.keys()].filter((n) => n === "json" || n === "stylish"), ["json", "stylish"]);
  for (const formatter of formatters.values()) assert.ok(formatter.description.length > 0);
});
