// The static build without a browser: pages, links, examples and the pieces the
// browser bundle relies on (URL state, the path stand-in that locates the grammars).
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { analyzeText } from "@landlock-lint/analyzer";
import { buildSite } from "../build.mjs";
import { GRAMMARS } from "../lib/bundle.mjs";
import { dirname as shimDirname, join as shimJoin } from "../src/shims/node-path.js";
import { decodeState, encodeState } from "../src/playground/url-state.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const EXTENSION = { c: "c", cpp: "cpp", go: "go", rust: "rs", js: "js", ts: "ts" };
let outDir;
let built;

before(async () => {
  outDir = mkdtempSync(join(tmpdir(), "landlock-site-"));
  built = await buildSite({ outDir });
});
after(() => rmSync(outDir, { recursive: true, force: true }));

const findingsOf = ({ code, language, targetAbi, errata, assumeMultithreaded = false }) =>
  analyzeText(code, `/playground/main.${EXTENSION[language]}`, { targetAbi, errata, assumeMultithreaded }).findings.map((f) => f.ruleId);

test("URL state round-trips code with non-ASCII text and every setting", () => {
  const state = { language: "rust", code: "// é ✓ 𝄞\nfn main() {}\n", targetAbi: 8, errata: [1, 3], assumeMultithreaded: true };
  assert.deepEqual(decodeState(`#${encodeState(state)}`), state);
});

test("a malformed hash falls back to the defaults part by part", () => {
  const state = decodeState("#lang=cobol&abi=99&errata=7,2&code=%%%");
  assert.equal(state.language, "c");
  assert.equal(state.targetAbi, 6);
  assert.deepEqual(state.errata, [2]);
  assert.equal(state.code, "");
});

test("the path stand-in keeps URLs intact when locating grammars", () => {
  const resolved = "http://127.0.0.1:8080/assets/wasm/tree-sitter-c/package.json";
  assert.equal(shimJoin(shimDirname(resolved), "tree-sitter-c.wasm"), "http://127.0.0.1:8080/assets/wasm/tree-sitter-c/tree-sitter-c.wasm");
  assert.equal(shimJoin("/a/b", "../c", "./d"), "/a/c/d");
});

test("the runtime and every grammar sit next to the bundle", () => {
  assert.ok(existsSync(join(outDir, "assets", "web-tree-sitter.wasm")));
  for (const pkg of GRAMMARS) assert.ok(existsSync(join(outDir, "assets", "wasm", pkg, `${pkg}.wasm`)), pkg);
});

test("every rule doc has a page whose try-it link opens code with that rule's finding", () => {
  const rules = readdirSync(join(root, "docs", "rules")).filter((f) => f.endsWith(".md"));
  assert.equal(built.rules, rules.length);
  for (const file of rules) {
    const name = basename(file, ".md");
    const html = readFileSync(join(outDir, "rules", `${name}.html`), "utf8");
    const link = /<a href="\.\.\/index\.html(#[^"]+)">Try it in the playground<\/a>/.exec(html);
    assert.ok(link, `${name}: no try-it link`);
    const state = decodeState(link[1].replace(/&amp;/g, "&"));
    assert.ok(findingsOf(state).includes(`landlock/${name}`), `${name}: the try-it code has no ${name} finding`);
  }
});

test("every example reports the rule its title names", () => {
  const examples = JSON.parse(readFileSync(join(outDir, "assets", "examples.json"), "utf8"));
  assert.ok(examples.length >= 10, `only ${examples.length} examples`);
  assert.ok(new Set(examples.map((e) => e.language)).size >= 5, "examples cover the languages");
  for (const example of examples) {
    if (example.language === "js" || example.language === "ts") continue; // loads TypeScript: checked once below
    assert.ok(findingsOf({ ...example, targetAbi: 6, errata: [] }).includes(example.rules[0]), example.id);
  }
  const js = examples.find((e) => e.language === "js" || e.language === "ts");
  assert.ok(js && findingsOf({ ...js, targetAbi: 6, errata: [] }).includes(js.rules[0]), js?.id);
});

test("pages load nothing from the network and link within the site", () => {
  const pages = ["index.html", "usage.html", "simulator.html", "rules/index.html", ...readdirSync(join(outDir, "rules")).map((f) => `rules/${f}`)];
  for (const page of pages) {
    const html = readFileSync(join(outDir, page), "utf8");
    assert.doesNotMatch(html, /<(script|link|img|iframe)[^>]+(src|href)="(https?:)?\/\//, `${page} loads a remote resource`);
    for (const [, href] of html.matchAll(/href="([^"#:]+\.html)(#[^"]*)?"/g)) {
      assert.ok(existsSync(join(outDir, dirname(page), href)), `${page} links to missing ${href}`);
    }
  }
  assert.match(readFileSync(join(outDir, "usage.html"), "utf8"), /<h2[^>]*>Lint from the command line<\/h2>/);
});
