// File names and messages with commas, colons, percent signs, newlines and unicode in
// every CI format: GitHub workflow commands parse back to what was written, reviewdog
// columns count UTF-8 bytes, the JSON formats round-trip, SARIF stays valid.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Finding } from "../src/findings.js";
import type { LintRun } from "../src/cli/result.js";
import { escapeData, escapeProperty, workflowCommand } from "../src/cli/workflow-commands.js";
import { loadFormatters } from "../src/cli/formats/registry.js";
import { toRdjson } from "../src/cli/formats/rdjson.js";
import { toCodeQuality } from "../src/cli/formats/codequality.js";
import { buildSarifLog } from "../src/cli/sarif-log.js";
import { Utf8Columns } from "../src/cli/utf8-columns.js";
import { validateSarif } from "./golden/harness.js";

const context = { color: false, toolVersion: "0.0.0-test", tooManyWarnings: false, maxWarnings: -1 };

/** What the Actions runner does with a command line: split, then unescape. */
function parseCommand(line: string): { level: string; properties: Record<string, string>; message: string } {
  const match = /^::([a-z]+)(?: ([^:]*))?::(.*)$/s.exec(line);
  assert.ok(match, `not a workflow command: ${line}`);
  const unescape = (text: string) => text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? "").split(",").filter(Boolean)) {
    const eq = pair.indexOf("=");
    properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
  }
  return { level: match[1]!, properties, message: unescape(match[3]!) };
}

test("workflow command escaping follows @actions/core", () => {
  assert.equal(escapeData("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
  assert.equal(escapeProperty("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext%3A a%2Cb");
  // `%` first, so an escape already in the text is not mistaken for one of ours.
  assert.equal(escapeProperty("%0A"), "%250A");
  assert.equal(workflowCommand("warning", { file: "a.c", line: 3, col: undefined }, "m"), "::warning file=a.c,line=3::m");
  assert.equal(workflowCommand("error", {}, "m"), "::error::m");
});

const position = (line: number, column: number) => ({ line, column, offset: 0 });

function findingIn(file: string, message: string, line: number, column: number, endColumn: number): Finding {
  return {
    ruleId: "landlock/single-thread-restrict",
    severity: "error",
    file,
    range: { start: position(line, column), end: position(line, endColumn) },
    message,
    related: [{ file, range: { start: position(1, 0), end: position(1, 3) }, message: "thread started here, see: 100%" }],
    fixes: [
      {
        kind: "fix",
        description: "add TSYNC: «flag»",
        edits: [{ file, range: { start: position(line, endColumn), end: position(line, endColumn) }, text: "\n\t// ✓ TSYNC, here\n" }],
      },
    ],
    fingerprint: "f1",
  };
}

const AWKWARD_MESSAGE = "2 threads: t1, t2\nkeep access (100% of it) — ünïcödé ✓ 🧵";

function awkwardRun(cwd: string, file: string, line: number, column: number, endColumn: number): LintRun {
  return {
    cwd,
    files: [{ path: file, language: "c", parseErrors: 1, findings: [findingIn(file, AWKWARD_MESSAGE, line, column, endColumn)] }],
    errors: [{ path: join(cwd, "bad, file: x.c"), message: "binary file:\nNUL at 3, 100%" }],
  };
}

test("github: awkward file names and messages parse back exactly, one command per line", async () => {
  const cwd = "/work/repo";
  const name = "src/a, b: ü%.c";
  const run = awkwardRun(cwd, join(cwd, name), 4, 2, 9);
  const output = await (await loadFormatters()).get("github")!.format(run, context);
  const lines = output.trimEnd().split("\n");
  assert.equal(lines.length, 3, "a finding, a parse notice, an error: nothing splits a command");
  const finding = parseCommand(lines[0]!);
  assert.equal(finding.level, "error");
  assert.deepEqual(finding.properties, { file: name, line: "4", endLine: "4", col: "3", endColumn: "10", title: "landlock/single-thread-restrict" });
  assert.equal(finding.message, `${AWKWARD_MESSAGE}\n${name}:1:1: thread started here, see: 100%`);
  const notice = parseCommand(lines[1]!);
  assert.equal(notice.level, "notice");
  assert.equal(notice.properties.file, name);
  const error = parseCommand(lines[2]!);
  assert.deepEqual([error.level, error.properties.file, error.message], ["error", "bad, file: x.c", "binary file:\nNUL at 3, 100%"]);
});

test("rdjson: columns count UTF-8 bytes on lines with non-ASCII text; messages and names round-trip", () => {
  const dir = mkdtempSync(join(tmpdir(), "landlock-rdjson-"));
  try {
    const file = join(dir, "wörk, v2: x.c");
    // "é" is 2 bytes, "🧵" 4 bytes (2 UTF-16 units): the call starts at UTF-16 column 8 (0-based), byte 12 (1-based).
    const text = "int x;\n\n\n/*é🧵*/ f(1);\n";
    writeFileSync(file, text);
    assert.equal("/*é🧵*/ ".length, 8);
    const run = awkwardRun(dir, file, 4, 8, 12);
    const rd = JSON.parse(JSON.stringify(toRdjson(run))) as {
      diagnostics: { message: string; location: { path: string; range: { start: { column: number }; end: { column: number } } }; suggestions: { text: string; range: { start: { column: number } } }[] }[];
    };
    const diagnostic = rd.diagnostics[0]!;
    assert.equal(diagnostic.message, AWKWARD_MESSAGE);
    assert.equal(diagnostic.location.path, "wörk, v2: x.c");
    assert.equal(Buffer.byteLength("/*é🧵*/ ", "utf8") + 1, 12);
    assert.equal(diagnostic.location.range.start.column, 12);
    assert.equal(diagnostic.location.range.end.column, 12 + 4);
    assert.deepEqual(diagnostic.suggestions.map((s) => [s.range.start.column, s.text]), [[16, "\n\t// ✓ TSYNC, here\n"]]);
    // A file that cannot be read keeps UTF-16 columns (1-based).
    assert.equal(new Utf8Columns(() => { throw new Error("gone"); }).column("x", position(4, 9)), 10);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("codequality and sarif: awkward names and messages survive; SARIF stays valid", () => {
  const cwd = "/work/repo";
  const name = "dir/a, b: ü%\n.c";
  const run = awkwardRun(cwd, join(cwd, name), 4, 2, 9);
  const issues = JSON.parse(JSON.stringify(toCodeQuality(run))) as ReturnType<typeof toCodeQuality>;
  assert.equal(issues[0]!.location.path, name);
  assert.equal(issues[0]!.description, `landlock/single-thread-restrict: ${AWKWARD_MESSAGE}`);

  const log = buildSarifLog({ cwd, toolVersion: "0.0.0-test", findings: run.files[0]!.findings, errors: run.errors, threadFlows: false });
  const { ok, errors } = validateSarif(JSON.parse(JSON.stringify(log)));
  assert.ok(ok, errors.join("\n"));
  const result = log.runs[0].results[0]!;
  assert.equal(result.message.text, AWKWARD_MESSAGE);
  assert.equal(decodeURIComponent(result.locations[0]!.physicalLocation.artifactLocation.uri), name);
  assert.equal(result.fixes![0]!.description.text, "add TSYNC: «flag»");
});

test("codequality: fingerprints stay unique when two findings share one", () => {
  const cwd = "/r";
  const a = findingIn("/r/a.c", "m", 1, 0, 1);
  const b = { ...findingIn("/r/a.c", "m", 2, 0, 1) };
  const issues = toCodeQuality({ cwd, files: [{ path: "/r/a.c", language: "c", parseErrors: 0, findings: [a, b] }], errors: [] });
  assert.deepEqual(issues.map((i) => i.fingerprint), ["f1", "f1-2"]);
});
