// Playground examples drawn from the fixture corpus at build time: single-file fixtures
// with `expect:` annotations. The build keeps only those the analyzer really reports
// their rule for (see build.mjs), so every example shows what its title promises.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";

const LANGUAGE_OF_EXTENSION = { ".c": "c", ".h": "c", ".cpp": "cpp", ".cc": "cpp", ".go": "go", ".rs": "rust", ".js": "js", ".mjs": "js", ".cjs": "js", ".ts": "ts" };
const EXPECT = /expect:\s*(landlock\/[a-z-]+(?:\s*,\s*landlock\/[a-z-]+)*)/g;
const MAX_LINES = 220;

/** Every annotated single-file fixture: [{ id, title, language, file, rules, code }]. */
export function annotatedFixtures(fixturesDir) {
  const examples = [];
  for (const dir of readdirSync(fixturesDir).sort()) {
    const langDir = join(fixturesDir, dir);
    if (dir === "holdout" || !statSync(langDir).isDirectory()) continue;
    for (const name of readdirSync(langDir).sort()) {
      const language = LANGUAGE_OF_EXTENSION[extname(name)];
      const path = join(langDir, name);
      if (!language || !statSync(path).isFile()) continue;
      const code = readFileSync(path, "utf8");
      if (code.split("\n").length > MAX_LINES) continue;
      const rules = [...new Set([...code.matchAll(EXPECT)].flatMap((m) => m[1].split(",").map((r) => r.trim())))];
      if (rules.length === 0) continue;
      examples.push({ id: `${dir}/${name}`, title: `${rules[0].replace("landlock/", "")} (${dir}/${name})`, language, file: name, rules, code });
    }
  }
  return examples;
}

/** One example per language and rule (first in name order) among those `reports(example, rule)` confirms. */
export function pickExamples(fixtures, reports) {
  const picked = new Map();
  for (const fixture of fixtures) {
    const key = `${fixture.language}:${fixture.rules[0]}`;
    if (!picked.has(key) && reports(fixture, fixture.rules[0])) picked.set(key, fixture);
  }
  return [...picked.values()];
}
