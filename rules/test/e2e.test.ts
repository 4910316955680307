// End to end, the way a user installs and runs the plugin: `npm pack` the workspace
// packages it needs, install them with a pinned eslint into a fresh project (offline:
// eslint and every third-party package come from the npm cache that `npm ci` filled; our
// own packages come from the tarballs, never from a registry), write eslint.config.js
// with the documented line, copy fixture files and run the real `eslint` binary.

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const fixtures = join(repoRoot, "fixtures");
const ESLINT_VERSION = "10.15.0";
const CONFIG_LINE = 'import landlock from "eslint-plugin-landlock";\nexport default [...landlock.configs.recommended];\n';

/** The environment of a nested npm: without the variables an outer `npm test` sets for its own package. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_(package|lifecycle)_|^npm_config_(workspace|workspaces|include_workspace_root|prefix|global)$|^INIT_CWD$/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false", NO_COLOR: "1", FORCE_COLOR: "0" };
}

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: npmEnv(), encoding: "utf8", maxBuffer: 64 << 20, timeout: 300_000 });
}

function describeRun(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status}${r.error ? ` (${r.error.message})` : ""}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** `expect:` annotations of a fixture text: "line rule" strings. */
function expectations(text: string): string[] {
  const out: string[] = [];
  text.split("\n").forEach((line, i) => {
    const m = /expect:\s*([^*\n]+?)\s*(?:\*\/)?\s*$/.exec(line);
    if (m) for (const rule of m[1]!.split(",")) out.push(`${i + 1} ${rule.trim()}`);
  });
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(full);
    return /\.(c|h|cc|cpp|cxx|hh|hpp|hxx|go|rs|js|mjs|cjs|jsx|ts|mts|cts|tsx)$/.test(e.name) ? [full] : [];
  });
}

interface EslintJsonResult {
  filePath: string;
  messages: { ruleId: string | null; line: number; column: number; message: string; severity: number }[];
}

describe("eslint-plugin-landlock installed from npm pack tarballs, run by the real eslint binary", () => {
  let work: string;
  let app: string;
  const eslint = (...args: string[]) => run("npx", ["--no", "--", "eslint", ...args], app);

  before(() => {
    work = mkdtempSync(join(tmpdir(), "landlock-e2e-"));
    const packs = join(work, "packs");
    app = join(work, "app");
    mkdirSync(packs);
    mkdirSync(app);

    const pack = run("npm", ["pack", "--workspace=simulator", "--workspace=analyzer", "--workspace=rules", `--pack-destination=${packs}`, "--ignore-scripts", "--json"], repoRoot);
    assert.equal(pack.status, 0, `npm pack failed: ${describeRun(pack)}`);
    const tarballs = Object.fromEntries((JSON.parse(pack.stdout) as { name: string; filename: string }[]).map((p) => [p.name, `file:../packs/${p.filename}`]));
    for (const name of ["@landlock-lint/simulator", "@landlock-lint/analyzer", "eslint-plugin-landlock"]) assert.ok(tarballs[name], `packed ${name}`);

    // The plugin's own dependencies on our packages are pinned to the tarballs too, so
    // nothing asks a registry for them.
    const ours = { "@landlock-lint/simulator": tarballs["@landlock-lint/simulator"], "@landlock-lint/analyzer": tarballs["@landlock-lint/analyzer"] };
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify(
        { name: "landlock-e2e", private: true, type: "module", devDependencies: { eslint: ESLINT_VERSION, "eslint-plugin-landlock": tarballs["eslint-plugin-landlock"], ...ours }, overrides: ours },
        null,
        2,
      ),
    );
    writeFileSync(join(app, "eslint.config.js"), CONFIG_LINE);

    const install = run("npm", ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], app);
    assert.equal(
      install.status,
      0,
      `offline install failed: the npm cache must hold eslint ${ESLINT_VERSION} and the analyzer's dependencies (run \`npm ci\` in the repository to fill it).\n${describeRun(install)}`,
    );

    // Fixtures: a single file, a cross-file project (its own .landlock-lint.json), a trap.
    mkdirSync(join(app, "src"));
    for (const name of ["thumbnailer-pool.c", "void-restrict.c", "pool-after-sandbox.c", "quickjail.c"]) cpSync(join(fixtures, "c", name), join(app, "src", name));
    cpSync(join(fixtures, "c", "daemon-pool"), join(app, "src", "daemon-pool"), { recursive: true });
    // The other languages: Go and Rust through the plugin's languages, JS through typescript-eslint's parser
    // (one JS file silences its finding with a landlock-lint comment).
    for (const [dir, name] of [["go", "raw-restrict-main.go"], ["rust", "crossbeam-crawler.rs"], ["js", "koffi-cli-convert.mjs"], ["js", "legacy-suppressed.mjs"]] as const) {
      cpSync(join(fixtures, dir, name), join(app, "src", name));
    }
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("`npx eslint .` reports the annotated findings and exits 1", () => {
    const json = eslint(".", "--format", "json");
    assert.equal(json.status, 1, describeRun(json));
    const results = JSON.parse(json.stdout) as EslintJsonResult[];
    const found = results.flatMap((r) => r.messages.map((m) => `${relative(app, r.filePath).split(sep).join("/")}:${m.line} ${m.ruleId}`)).sort();
    const expected = sourceFiles(join(app, "src"))
      .flatMap((f) => expectations(readFileSync(f, "utf8")).map((e) => `${relative(app, f).split(sep).join("/")}:${e}`))
      .sort();
    assert.ok(expected.length >= 5, "the copied fixtures carry annotations");
    assert.deepEqual(found, expected);

    const stylish = eslint(".");
    assert.equal(stylish.status, 1, describeRun(stylish));
    assert.match(stylish.stdout, /src\/thumbnailer-pool\.c\n\s+172:9\s+error\s+.*only the calling thread is sandboxed.*landlock\/single-thread-restrict/);
    assert.match(stylish.stdout, /src\/daemon-pool\/sandbox\.c\n\s+39:15\s+error\s+Other threads started at workers\.c:\d+/);
    assert.match(stylish.stdout, new RegExp(`✖ ${expected.length} problems? \\(`));
  });

  it("disable comments of both families silence the findings (and count as used)", () => {
    const original = readFileSync(join(fixtures, "c", "thumbnailer-pool.c"), "utf8").split("\n");
    const at = 172 - 1;
    const indent = /^\s*/.exec(original[at]!)![0];
    const withComment = (comment: string) => [...original.slice(0, at), indent + comment, ...original.slice(at)].join("\n");
    mkdirSync(join(app, "suppressed"));
    writeFileSync(join(app, "suppressed", "ours.c"), withComment("// landlock-lint-disable-next-line landlock/single-thread-restrict -- the pool only reads the queue"));
    writeFileSync(join(app, "suppressed", "eslints.c"), withComment("// eslint-disable-next-line landlock/single-thread-restrict"));
    writeFileSync(join(app, "suppressed", "bare.c"), withComment("/* landlock-lint-disable-next-line */"));

    const r = eslint("suppressed", "--report-unused-disable-directives", "--format", "json");
    assert.equal(r.status, 0, describeRun(r));
    const results = JSON.parse(r.stdout) as EslintJsonResult[];
    assert.equal(results.length, 3);
    for (const result of results) assert.deepEqual(result.messages, [], result.filePath);

    // Without the comment the same file is reported: the comment is what silences it.
    writeFileSync(join(app, "suppressed", "none.c"), original.join("\n"));
    const again = eslint("suppressed/none.c");
    assert.equal(again.status, 1, describeRun(again));
  });

  it("`--fix` applies the safe fix (TSYNC where targetAbi has it) and the result lints clean", () => {
    const dir = join(app, "abi8");
    mkdirSync(dir);
    writeFileSync(join(dir, ".landlock-lint.json"), '{ "targetAbi": 8 }\n');
    const original = readFileSync(join(fixtures, "c", "thumbnailer-pool.c"), "utf8");
    writeFileSync(join(dir, "pool.c"), original);

    const before = eslint("abi8", "--format", "json");
    assert.equal(before.status, 1, describeRun(before));
    const found = (JSON.parse(before.stdout) as EslintJsonResult[])[0]!.messages.map((m) => `${m.line} ${m.ruleId}`);
    assert.deepEqual(found, ["172 landlock/single-thread-restrict"]);

    const fix = eslint("--fix", "abi8");
    assert.equal(fix.status, 0, describeRun(fix));
    const fixed = readFileSync(join(dir, "pool.c"), "utf8");
    const changed = fixed.split("\n").filter((line, i) => line !== original.split("\n")[i]);
    assert.equal(changed.length, 1, "one line changed");
    assert.match(changed[0]!, /LANDLOCK_RESTRICT_SELF_TSYNC/);

    const after = eslint("abi8");
    assert.equal(after.status, 0, describeRun(after));
    assert.equal(after.stdout.trim(), "");
  });

  it("`--fix` leaves suggestions alone (a person picks those)", () => {
    const file = join(app, "src", "void-restrict.c");
    const original = readFileSync(file, "utf8");
    const r = eslint("--fix", "src/void-restrict.c");
    assert.equal(r.status, 1, describeRun(r));
    assert.equal(readFileSync(file, "utf8"), original);
    assert.match(r.stdout, /unchecked-restrict-result/);
  });
});

