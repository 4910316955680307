// Golden outputs of every format on a few fixtures (C with a suggestion and with an
// automatic fix, libpsx with protocol sub-steps, a fork with signal scoping, Go, Rust,
// JS): stable order whatever the argument order, paths relative to the working directory,
// nothing that changes from run to run. After an intended change of messages or formats,
// rewrite them with `UPDATE_GOLDEN=1 node scripts/run-tests.mjs cli-formats-golden` and
// review the diff.

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GOLDEN_DIR, lint, REPO_ROOT, validateSarif } from "./golden/harness.js";

export const GOLDEN_FIXTURES = [
  "fixtures/c/crawl-indexer.c",
  "fixtures/c/abi8/ingest-worker.c",
  "fixtures/c/errata2/psx-scope-setuid.c",
  "fixtures/c/child-before-sandbox.c",
  "fixtures/go/llsyscall-restrict.go",
  "fixtures/rust/abi8/raw-no-tsync.rs",
  "fixtures/js/abi8/cache-warmer.mjs",
];

const FORMATS: Record<string, string> = {
  sarif: "sarif.json",
  github: "github.txt",
  rdjson: "rdjson.json",
  codequality: "codequality.json",
  json: "json.json",
  stylish: "stylish.txt",
};

const update = process.env.UPDATE_GOLDEN === "1";

for (const [format, file] of Object.entries(FORMATS)) {
  test(`golden: --format ${format}`, async () => {
    const first = await lint(["--format", format, ...GOLDEN_FIXTURES], REPO_ROOT);
    assert.equal(first.stderr, "", "no warnings on stderr");
    assert.equal(first.code, 1, "the fixtures have error findings");
    const reversed = await lint(["--format", format, ...[...GOLDEN_FIXTURES].reverse()], REPO_ROOT);
    assert.equal(reversed.stdout, first.stdout, "same output whatever the argument order and run");
    assert.ok(!first.stdout.includes(REPO_ROOT), "no absolute paths");
    for (const fixture of GOLDEN_FIXTURES) assert.ok(first.stdout.includes(fixture), `${fixture} is reported`);
    if (format === "sarif") assert.ok(validateSarif(JSON.parse(first.stdout)).ok);

    const path = join(GOLDEN_DIR, file);
    if (update || !existsSync(path)) {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(path, first.stdout);
      if (!update) assert.fail(`${path} did not exist and was written: review it and run again`);
      return;
    }
    assert.equal(
      first.stdout,
      readFileSync(path, "utf8"),
      `output differs from ${path}; if the change is intended run UPDATE_GOLDEN=1 node scripts/run-tests.mjs cli-formats-golden and review the diff`,
    );
  });
}
