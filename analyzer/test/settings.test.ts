// Settings: one schema for every surface, defaults, errors that name the key and the
// problem, `.landlock-lint.json` found upward, `--config` overriding it.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, findConfigFile, loadConfigFor, mergeSettings, resolveSettings, validateSettings } from "../src/config.js";
import { SETTINGS_SCHEMA } from "../src/settings-schema.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";

test("the published schema file is the schema the code validates with", () => {
  const published = JSON.parse(readFileSync(fileURLToPath(new URL("../../schema/settings.schema.json", import.meta.url)), "utf8"));
  assert.deepEqual(published, JSON.parse(JSON.stringify(SETTINGS_SCHEMA)), "analyzer/schema/settings.schema.json differs from src/settings-schema.ts");
});

test("defaults fill what is missing", () => {
  assert.deepEqual(resolveSettings({}), DEFAULT_SETTINGS);
  const s = resolveSettings({ targetAbi: 8, errata: [3, 2], rules: { "landlock/abi-compat": "off", "nesting-limit": "error" } });
  assert.equal(s.targetAbi, 8);
  assert.deepEqual(s.errata, [2, 3]);
  assert.deepEqual(s.rules, { "abi-compat": "off", "nesting-limit": "error" });
});

test("every kind of bad value is named by its key", () => {
  const cases: [unknown, string, RegExp][] = [
    [{ targetAbi: 0 }, "targetAbi", /from 1 to 11/],
    [{ targetAbi: 12 }, "targetAbi", /from 1 to 11 \(got 12\)/],
    [{ targetAbi: 6.5 }, "targetAbi", /integer/],
    [{ errata: [4] }, "errata[0]", /from 1 to 3/],
    [{ errata: [2, 2] }, "errata", /same value twice/],
    [{ errata: "2" }, "errata", /array/],
    [{ threadSpawners: [""] }, "threadSpawners[0]", /empty/],
    [{ restrictWrappers: [1] }, "restrictWrappers[0]", /string/],
    [{ assumeMultithreaded: "yes" }, "assumeMultithreaded", /boolean/],
    [{ rules: { "no-such-rule": "off" } }, "rules.no-such-rule", /unknown rule/],
    [{ rules: { "abi-compat": "warning" } }, "rules.abi-compat", /"off", "warn", "error"/],
    [{ targetABI: 6 }, "targetABI", /unknown key/],
  ];
  for (const [input, key, problem] of cases) {
    const problems = validateSettings(input);
    const hit = problems.find((p) => p.key === key);
    assert.ok(hit, `${JSON.stringify(input)}: expected a problem for ${key}, got ${JSON.stringify(problems)}`);
    assert.match(hit.problem, problem);
    assert.throws(() => resolveSettings(input), (e: unknown) => e instanceof ConfigError && e.message.includes(key));
  }
  assert.match(validateSettings([1])[0]!.problem, /JSON object/);
  assert.match(validateSettings(null)[0]!.problem, /JSON object/);
});

test("mergeSettings layers partial settings, rule by rule", () => {
  const base = resolveSettings({ targetAbi: 7, rules: { "abi-compat": "off" } });
  const merged = mergeSettings(base, { errata: [2] }, { rules: { "nesting-limit": "off" } });
  assert.equal(merged.targetAbi, 7);
  assert.deepEqual(merged.errata, [2]);
  assert.deepEqual(merged.rules, { "abi-compat": "off", "nesting-limit": "off" });
  assert.throws(() => mergeSettings(base, { targetAbi: 99 }), /targetAbi/);
});

test(".landlock-lint.json is found upward; the nearest wins; --config replaces it", () => {
  const root = mkdtempSync(join(tmpdir(), "ll-config-"));
  mkdirSync(join(root, "a", "b", "c"), { recursive: true });
  writeFileSync(join(root, ".landlock-lint.json"), JSON.stringify({ targetAbi: 4 }));
  writeFileSync(join(root, "a", "b", ".landlock-lint.json"), JSON.stringify({ $schema: "x", targetAbi: 8, errata: [2] }));
  const file = join(root, "a", "b", "c", "main.c");
  assert.equal(findConfigFile(file), join(root, "a", "b", ".landlock-lint.json"));
  const near = loadConfigFor(file);
  assert.equal(near.settings.targetAbi, 8);
  assert.deepEqual(near.settings.errata, [2]);
  assert.equal(loadConfigFor(join(root, "a", "x.c")).settings.targetAbi, 4);
  const explicit = loadConfigFor(file, { configFile: join(root, ".landlock-lint.json") });
  assert.equal(explicit.settings.targetAbi, 4);
  assert.equal(explicit.configFile, join(root, ".landlock-lint.json"));
});

test("a broken config file: the error names the file, the key and the problem", () => {
  const root = mkdtempSync(join(tmpdir(), "ll-config-bad-"));
  const config = join(root, ".landlock-lint.json");
  writeFileSync(config, JSON.stringify({ targetAbi: "eight" }));
  assert.throws(
    () => loadConfigFor(join(root, "main.c")),
    (e: unknown) => e instanceof ConfigError && e.file === config && /targetAbi: must be an integer \(got "eight"\)/.test(e.message) && e.message.startsWith(config),
  );
  writeFileSync(config, "{ \"targetAbi\": 8,, }");
  assert.throws(() => loadConfigFor(join(root, "main.c")), (e: unknown) => e instanceof ConfigError && /invalid JSON/.test(e.message) && e.message.includes(config));
  assert.throws(() => loadConfigFor(join(root, "main.c"), { configFile: join(root, "missing.json") }), /missing\.json: cannot read config file: ENOENT/);
});
