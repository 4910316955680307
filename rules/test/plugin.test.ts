// The plugin as users meet it: the presets (files, languages, parser, severities from the
// design table), rule metadata (docs url, fix kinds, languages), the settings check, and
// the documented one-line config working through ESLint's Node API.

import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ESLint, Linter } from "eslint";
import tsParser from "@typescript-eslint/parser";
import { RULE_META, RULE_NAMES } from "@landlock-lint/analyzer";
import plugin from "../src/index.js";

const repoRoot = new URL("../../../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("rules/package.json", repoRoot), "utf8")) as { name: string; version: string };

describe("plugin object", () => {
  it("meta names the package and its version", () => {
    assert.deepEqual(plugin.meta, { name: pkg.name, version: pkg.version, namespace: "landlock" });
  });

  it("has one rule per analyzer rule name", () => {
    assert.deepEqual(Object.keys(plugin.rules).sort(), [...RULE_NAMES].sort());
  });

  for (const name of RULE_NAMES) {
    it(`${name}: meta follows ESLint's shape and the analyzer's rule metadata`, () => {
      const meta = plugin.rules[name].meta;
      assert.equal(meta.type, "problem");
      assert.equal(meta.docs?.description, RULE_META[name].description);
      assert.equal(meta.docs?.url, RULE_META[name].docsUrl);
      assert.match(meta.docs!.url!, new RegExp(`/docs/rules/${name}\\.md$`));
      assert.ok(existsSync(new URL(`docs/rules/${name}.md`, repoRoot)), `docs/rules/${name}.md exists`);
      assert.deepEqual(meta.schema, []);
      assert.equal(meta.fixable, RULE_META[name].fixable ? "code" : undefined);
      assert.equal(meta.hasSuggestions, RULE_META[name].hasSuggestions ? true : undefined);
      assert.deepEqual(meta.languages, ["landlock/c", "landlock/cpp", "landlock/go", "landlock/rust", "js/js"]);
    });
  }
});

describe("presets", () => {
  const heuristic = new Set(["per-thread-scope-conflict", "nesting-limit", "unsafe-tsync-fallback"]);

  it("recommended: precise rules are errors, the heuristic ones warn (design.md)", () => {
    for (const block of plugin.configs.recommended) {
      assert.equal(Object.keys(block.rules).length, RULE_NAMES.length);
      for (const name of RULE_NAMES) assert.equal(block.rules[`landlock/${name}`], heuristic.has(name) ? "warn" : "error", `${block.name}: ${name}`);
    }
  });

  it("strict: every rule is an error", () => {
    for (const block of plugin.configs.strict) for (const name of RULE_NAMES) assert.equal(block.rules[`landlock/${name}`], "error");
  });

  it("each preset covers C, C++, Go, Rust and JS/TS files with the right language or parser", () => {
    for (const preset of [plugin.configs.recommended, plugin.configs.strict]) {
      const languageOf = (file: string) => {
        const block = preset.find((b) => b.files.some((pattern) => typeof pattern === "string" && matches(pattern, file)));
        return block?.language ?? (block?.languageOptions as { parser?: unknown } | undefined)?.parser;
      };
      const expected: [string, unknown][] = [
        ["src/a.c", "landlock/c"],
        ["include/a.h", "landlock/c"],
        ...["cc", "cpp", "cxx", "hh", "hpp", "hxx"].map((ext): [string, unknown] => [`src/a.${ext}`, "landlock/cpp"]),
        ["cmd/main.go", "landlock/go"],
        ["src/main.rs", "landlock/rust"],
        ...["js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx"].map((ext): [string, unknown] => [`lib/a.${ext}`, tsParser]),
      ];
      for (const [file, language] of expected) assert.equal(languageOf(file), language, file);
      for (const block of preset) assert.equal(block.plugins.landlock, plugin);
    }
  });
});

/** Enough of minimatch for the preset patterns: `**\/*.ext` and `**\/*.{a,b}`. */
function matches(pattern: string, file: string): boolean {
  const m = /^\*\*\/\*\.(?:\{(.+)\}|(\w+))$/.exec(pattern);
  assert.ok(m, `pattern ${pattern} has the expected shape`);
  const extensions = m[1] ? m[1].split(",") : [m[2]!];
  return extensions.some((ext) => file.endsWith(`.${ext}`));
}

describe("through ESLint's Node API with the documented config", () => {
  const root = mkdtempSync(join(tmpdir(), "landlock-plugin-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(join(root, "package.json"), "{}\n");
  writeFileSync(
    join(root, "server.c"),
    `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *serve(void *arg) { return arg; }

int main(void)
{
    pthread_t tid;
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0 || pthread_create(&tid, NULL, serve, NULL) != 0)
        return 1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return 1;
    if (syscall(SYS_landlock_restrict_self, fd, 0) != 0)
        return 1;
    return pthread_join(tid, NULL);
}
`,
  );
  writeFileSync(join(root, "util.cpp"), "int twice(int x) { return 2 * x; }\n");
  writeFileSync(join(root, "tool.go"), "package main\n\nfunc main() {}\n");
  writeFileSync(join(root, "lib.rs"), "pub fn twice(x: i32) -> i32 { 2 * x }\n");
  writeFileSync(join(root, "index.ts"), "export const twice = (x: number): number => 2 * x;\n");

  it("lints every kind of file; the C finding is reported with the preset's severity", async () => {
    const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [...plugin.configs.recommended] as Linter.Config[] });
    const results = await eslint.lintFiles(["."]);
    const byFile = Object.fromEntries(results.map((r) => [r.filePath.slice(root.length + 1), r.messages]));
    assert.deepEqual(Object.keys(byFile).sort(), ["index.ts", "lib.rs", "server.c", "tool.go", "util.cpp"]);
    assert.deepEqual(
      byFile["server.c"]!.map((m) => [m.ruleId, m.severity, m.line]),
      [["landlock/single-thread-restrict", 2, 19]],
    );
    for (const file of ["index.ts", "lib.rs", "tool.go", "util.cpp"]) assert.deepEqual(byFile[file], [], file);
  });

  it("bad settings.landlock stop the run with an error naming the key and the problem", async () => {
    const eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [...plugin.configs.recommended, { settings: { landlock: { targetAbi: 99, errata: [2, 7], threadSpawnrs: [] } } }] as Linter.Config[],
    });
    await assert.rejects(eslint.lintFiles(["server.c"]), (error: Error) => {
      assert.match(error.message, /invalid settings\.landlock/);
      assert.match(error.message, /settings\.landlock\.targetAbi: must be from 1 to 11 \(got 99\)/);
      assert.match(error.message, /settings\.landlock\.errata\[1\]: must be from 1 to 3 \(got 7\)/);
      assert.match(error.message, /settings\.landlock\.threadSpawnrs: unknown key/);
      return true;
    });
  });

  it("an analysis that cannot run is reported once per file, by the first rule", async () => {
    const broken = join(root, "broken");
    mkdirSync(broken);
    writeFileSync(join(broken, ".landlock-lint.json"), "{ targetAbi: 8 ");
    writeFileSync(join(broken, "jail.c"), readFileSync(join(root, "server.c"), "utf8"));
    const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [...plugin.configs.recommended] as Linter.Config[] });
    const [result] = await eslint.lintFiles(["broken/jail.c"]);
    assert.deepEqual(
      result!.messages.map((m) => [m.ruleId, m.line]),
      [["landlock/single-thread-restrict", 1]],
    );
    assert.match(result!.messages[0]!.message, /^landlock-lint could not analyse all of this file: .*\.landlock-lint\.json.*invalid JSON/);
  });

  it("settings.landlock reach the analysis (targetAbi 8 turns the suggestion into a fix)", async () => {
    const eslint = new ESLint({
      cwd: root,
      overrideConfigFile: true,
      overrideConfig: [...plugin.configs.recommended, { settings: { landlock: { targetAbi: 8 } } }] as Linter.Config[],
    });
    const [result] = await eslint.lintFiles(["server.c"]);
    assert.equal(result!.messages.length, 1);
    assert.equal(result!.fixableErrorCount, 1);
    assert.match(result!.messages[0]!.fix!.text, /LANDLOCK_RESTRICT_SELF_TSYNC/);
  });
});
