// Suppression directives: both families, every form, rule lists with or without the
// `landlock/` prefix, reasons, blocks, and which directives silenced nothing.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Finding } from "../src/findings.js";
import type { Range } from "../src/ir.js";
import { applySuppressions, parseDirectives } from "../src/suppressions.js";

function at(line: number, endLine = line): Range {
  return { start: { line, column: 0, offset: line * 100 }, end: { line: endLine, column: 10, offset: endLine * 100 + 10 } };
}

function finding(rule: string, line: number): Finding {
  return { ruleId: `landlock/${rule}` as Finding["ruleId"], severity: "error", file: "f.c", range: at(line), message: "", related: [], fixes: [], fingerprint: `${rule}${line}` };
}

const kept = (comments: { range: Range; text: string }[], findings: Finding[]) =>
  applySuppressions(findings, parseDirectives(comments).directives).kept.map((f) => `${f.ruleId.slice(9)}@${f.range.start.line}`);

test("disable-next-line with a rule list and a reason silences only that rule on the next line", () => {
  const comments = [{ range: at(9), text: "// landlock-lint-disable-next-line landlock/single-thread-restrict -- workers never touch files" }];
  const findings = [finding("single-thread-restrict", 10), finding("missing-no-new-privs", 10), finding("single-thread-restrict", 11)];
  assert.deepEqual(kept(comments, findings), ["missing-no-new-privs@10", "single-thread-restrict@11"]);
  const { directives } = parseDirectives(comments);
  assert.equal(directives[0]!.reason, "workers never touch files");
  assert.deepEqual(directives[0]!.rules, ["single-thread-restrict"]);
});

test("rule names with or without landlock/, several separated by commas; a bare directive covers every rule", () => {
  const list = [{ range: at(4), text: "/* landlock-lint-disable-line nesting-limit, landlock/abi-compat */" }];
  assert.deepEqual(kept(list, [finding("nesting-limit", 4), finding("abi-compat", 4), finding("unchecked-restrict-result", 4)]), ["unchecked-restrict-result@4"]);
  const bare = [{ range: at(4), text: "// landlock-lint-disable-line" }];
  assert.deepEqual(kept(bare, [finding("nesting-limit", 4), finding("abi-compat", 4)]), []);
});

test("a multi-line block comment's next line is the one after the comment ends", () => {
  const comments = [{ range: at(3, 5), text: "/*\n * landlock-lint-disable-next-line abi-compat -- probed at start-up\n */" }];
  assert.deepEqual(kept(comments, [finding("abi-compat", 4), finding("abi-compat", 6)]), ["abi-compat@4"]);
});

test("disable / enable blocks, per rule and for all rules", () => {
  const comments = [
    { range: at(2), text: "// landlock-lint-disable single-thread-restrict" },
    { range: at(5), text: "// landlock-lint-enable single-thread-restrict" },
    { range: at(7), text: "// landlock-lint-disable" },
  ];
  const findings = [finding("single-thread-restrict", 1), finding("single-thread-restrict", 3), finding("abi-compat", 4), finding("single-thread-restrict", 6), finding("abi-compat", 9)];
  assert.deepEqual(kept(comments, findings), ["single-thread-restrict@1", "abi-compat@4", "single-thread-restrict@6"]);
});

test("eslint directives are honoured when they name landlock rules, and ignored otherwise", () => {
  const comments = [
    { range: at(1), text: "// eslint-disable-next-line landlock/abi-compat -- probed" },
    { range: at(4), text: "// eslint-disable-line no-console" },
    { range: at(6), text: "/* eslint-disable landlock/nesting-limit */" },
    { range: at(8), text: "/* eslint-enable landlock/nesting-limit */" },
  ];
  const findings = [finding("abi-compat", 2), finding("abi-compat", 4), finding("nesting-limit", 7), finding("nesting-limit", 9)];
  assert.deepEqual(kept(comments, findings), ["abi-compat@4", "nesting-limit@9"]);
  assert.equal(parseDirectives(comments).directives.length, 3);
});

test("unused directives and unknown rule names are reported", () => {
  const comments = [
    { range: at(1), text: "// landlock-lint-disable-next-line abi-compat" },
    { range: at(5), text: "// landlock-lint-disable-next-line nesting-limit" },
    { range: at(8), text: "// landlock-lint-disable-line landlock/no-such-rule" },
  ];
  const parsed = parseDirectives(comments);
  assert.equal(parsed.problems.length, 1);
  assert.match(parsed.problems[0]!.message, /unknown rule "landlock\/no-such-rule"/);
  const result = applySuppressions([finding("abi-compat", 2)], parsed.directives);
  assert.equal(result.used.length, 1);
  assert.deepEqual(result.unused.map((d) => d.range.start.line), [5]);
  assert.equal(result.suppressed[0]!.directive.range.start.line, 1);
});
