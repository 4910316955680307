// Rule metadata every surface reads: one entry per rule, one docs base URL.

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RULE_NAMES } from "../src/findings.js";
import { DOCS_BASE_URL, RULE_META, parseRuleName } from "../src/rule-meta.js";

test("every rule has metadata, a recommended severity as design.md gives it, and a docs URL under the one base", () => {
  assert.deepEqual(Object.keys(RULE_META).sort(), [...RULE_NAMES].sort());
  for (const name of RULE_NAMES) {
    const meta = RULE_META[name];
    assert.equal(meta.id, `landlock/${name}`);
    assert.equal(meta.docsUrl, `${DOCS_BASE_URL}${name}.md`);
    assert.ok(meta.description.length > 20);
  }
  const warnings = RULE_NAMES.filter((n) => RULE_META[n].recommended === "warning").sort();
  assert.deepEqual(warnings, ["nesting-limit", "unsafe-tsync-fallback"]);
  assert.ok(RULE_META["single-thread-restrict"].fixable);
  assert.ok(!RULE_META["thread-routine-restrict"].fixable && !RULE_META["thread-routine-restrict"].hasSuggestions);
});

test("the docs pages the URLs point at exist in the repository (once written)", (t) => {
  const dir = fileURLToPath(new URL("../../../docs/rules/", import.meta.url));
  const missing = RULE_NAMES.filter((n) => !existsSync(`${dir}${n}.md`));
  if (missing.length === RULE_NAMES.length) {
    t.skip("docs/rules has no pages yet");
    return;
  }
  assert.deepEqual(missing, []);
});

test("rule names parse with or without the prefix", () => {
  assert.equal(parseRuleName("landlock/abi-compat"), "abi-compat");
  assert.equal(parseRuleName(" nesting-limit "), "nesting-limit");
  assert.equal(parseRuleName("landlock/nope"), undefined);
  assert.equal(parseRuleName("other/abi-compat"), undefined);
});
