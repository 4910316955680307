// The Go and Rust front-ends reparse from the file's last tree when given a FrontEndCache:
// whatever the edit, the IR must be the one a fresh build gives.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { goFrontEnd } from "../src/frontends/go/index.js";
import { rustFrontEnd } from "../src/frontends/rust/index.js";
import type { FrontEnd, FrontEndOptions } from "../src/frontends/frontend.js";
import { FrontEndCache } from "../src/frontends/parse-cache.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";

const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "fixtures");

function sourcesUnder(dir: string, extension: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourcesUnder(p, extension));
    else if (name.endsWith(extension)) out.push(p);
  }
  return out;
}

const options = (cache?: FrontEndCache): FrontEndOptions => ({ settings: DEFAULT_SETTINGS, facts: {}, ...(cache ? { cache } : {}) });

const SNIPPETS: Record<string, string[]> = {
  go: ["x", "\n", "{", "}", "//", "/*", "*/", "`", '"', "go func() {}()\n", "unix.AllThreadsSyscall(unix.SYS_PRCTL, 38, 1, 0)\n", "err := llsyscall.RestrictSelf(fd, 0)\n", "é𝄞"],
  rust: ["x", "\n", "{", "}", "//", "/*", "*/", '"', "r#\"", "std::thread::spawn(|| {});\n", "let _ = ruleset.restrict_self();\n", "fn helper() { restrict(); }\n", "é𝄞"],
};

for (const [language, frontEnd, extension] of [
  ["go", goFrontEnd, ".go"],
  ["rust", rustFrontEnd, ".rs"],
] as [string, FrontEnd, string][]) {
  test(`${language}: random edits through the parse cache give the IR of a fresh build`, () => {
    const fixtures = sourcesUnder(join(fixturesDir, language), extension).map((file) => ({ file, text: readFileSync(file, "utf8") }));
    assert.ok(fixtures.length > 5, `${language} fixtures found: ${fixtures.length}`);
    const edit = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      deleteLength: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 })),
      insert: fc.oneof(fc.constantFrom(...SNIPPETS[language]!), fc.constant("")),
    });
    let incremental = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: fixtures.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 4 }), (index, edits) => {
        const { file } = fixtures[index]!;
        let text = fixtures[index]!.text;
        const cache = new FrontEndCache(2);
        try {
          frontEnd.toIr(text, file, language as "go" | "rust", options(cache));
          for (const e of edits) {
            const at = Math.floor(e.at * text.length);
            text = text.slice(0, at) + e.insert + text.slice(at + e.deleteLength);
            const cached = frontEnd.toIr(text, file, language as "go" | "rust", options(cache));
            assert.deepStrictEqual(cached, frontEnd.toIr(text, file, language as "go" | "rust", options()), `after edits ${JSON.stringify(edits)}`);
          }
          incremental += cache.stats.incremental;
        } finally {
          cache.clear();
        }
      }),
      { numRuns: Number(process.env.LANDLOCK_INCREMENTAL_RUNS ?? 120) },
    );
    // Reparses from the last tree must have happened, or the property says nothing about them.
    assert.ok(incremental > 5, `incremental reparses over the run: ${incremental}`);
  });
}
