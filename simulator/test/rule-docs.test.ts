// The rule pages paste real simulator output; they must match what the model prints now.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fillRuleDoc } from "../src/docs/rule-doc-output.js";

const docs = fileURLToPath(new URL("../../../docs/rules/", import.meta.url));

test("every rule page shows current simulator output for its scenario", () => {
  const pages = readdirSync(docs).filter((f) => f.endsWith(".md"));
  assert.ok(pages.length >= 10, `expected the 10 rule pages in ${docs}`);
  let blocks = 0;
  for (const page of pages) {
    const text = readFileSync(join(docs, page), "utf8");
    blocks += (text.match(/<!-- simulator-output: /g) ?? []).length;
    assert.equal(fillRuleDoc(text), text, `docs/rules/${page} is out of date: run node scripts/fill-rule-docs.mjs`);
  }
  assert.ok(blocks >= 10, `only ${blocks} simulator blocks found`);
});

test("an unknown scenario name in a page is an error", () => {
  assert.throws(() => fillRuleDoc("<!-- simulator-output: no-such-scenario -->\n"), /unknown built-in scenario: no-such-scenario/);
});
