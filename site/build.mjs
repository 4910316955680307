// Builds the static site into site/out: the playground (analyzer, simulator and editor
// bundled with esbuild, wasm grammars next to the bundle), the rule pages, the README's
// usage sections and the simulator page. Usage: node site/build.mjs [--out DIR] [--no-minify]
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bundle } from "./lib/bundle.mjs";
import { analyzeText } from "@landlock-lint/analyzer";
import { annotatedFixtures, pickExamples } from "./lib/examples.mjs";
import { page } from "./lib/layout.mjs";
import { escapeHtml, firstProblematicExample, renderMarkdown, ruleNameOf, tryItHash } from "./lib/markdown.mjs";
import { playgroundBody } from "./lib/playground-page.mjs";

const siteDir = dirname(fileURLToPath(import.meta.url));
const root = join(siteDir, "..");
const EXTENSION = { c: "c", cpp: "cpp", go: "go", rust: "rs", js: "js", ts: "ts" };

/** Whether the analyzer (default settings, as the playground starts) reports `rule` on `example`. */
function reports(example, rule) {
  // The playground names its buffer main.<ext>; analyse under the same name.
  const file = `/playground/main.${EXTENSION[example.language]}`;
  return analyzeText(example.code, file, {}).findings.some((f) => f.ruleId === rule);
}

/**
 * What a rule page's "try it" opens: its first problematic example when the analyzer
 * reports the rule on it as it stands; otherwise (the docs' snippets often leave out the
 * surrounding code) an annotated fixture for the rule, in the same language if there is one.
 */
function tryItTarget(text, rule, fixtures) {
  const first = firstProblematicExample(text);
  if (first && reports(first, rule)) return { example: first, label: "the page's first problematic example" };
  const candidates = fixtures.filter((f) => f.rules.includes(rule));
  const ordered = [...candidates.filter((f) => f.language === first?.language), ...candidates.filter((f) => f.language !== first?.language)];
  const fixture = ordered.find((f) => reports(f, rule));
  if (fixture) return { example: fixture, label: `the fixture <code>${escapeHtml(fixture.id)}</code>` };
  return first ? { example: first, label: "the page's first problematic example (a fragment: complete it to see the finding)" } : undefined;
}

const USAGE_SECTIONS = ["Lint from the command line", "Configuration and suppressions", "Use with ESLint", "In CI and code review"];

/** The README sections named in USAGE_SECTIONS, in order. */
function usageMarkdown(readme) {
  const sections = readme.split(/^(?=## )/m);
  const picked = USAGE_SECTIONS.map((title) => {
    const section = sections.find((s) => s.startsWith(`## ${title}\n`));
    if (!section) throw new Error(`README.md: no "## ${title}" section for the usage page`);
    return section;
  });
  return ["# Usage\n", ...picked].join("\n");
}

export async function buildSite({ outDir = join(siteDir, "out"), minify = true } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, "rules"), { recursive: true });
  const sizes = await bundle(outDir, { minify });
  copyFileSync(join(siteDir, "src", "site.css"), join(outDir, "assets", "site.css"));

  const fixtures = annotatedFixtures(join(root, "fixtures"));
  const examples = pickExamples(fixtures, reports);
  writeFileSync(join(outDir, "assets", "examples.json"), JSON.stringify(examples));
  writeFileSync(
    join(outDir, "index.html"),
    page({
      title: "Playground",
      current: "index.html",
      body: playgroundBody(),
      scripts: ["assets/playground.js"],
      // The runtime is needed before the first analysis, and so is the grammar of the starter
      // example (C); fetching them while the bundle is parsed takes that wait off. Other
      // grammars are fetched when their language is first shown.
      preload: ["assets/web-tree-sitter.wasm", "assets/wasm/tree-sitter-c/tree-sitter-c.wasm"],
    }),
  );

  const rulesDir = join(root, "docs", "rules");
  const rules = [];
  for (const file of readdirSync(rulesDir).filter((f) => f.endsWith(".md")).sort()) {
    const name = ruleNameOf(file);
    const text = readFileSync(join(rulesDir, file), "utf8");
    const target = tryItTarget(text, `landlock/${name}`, fixtures);
    const tryIt = target
      ? `<p class="try-it"><a href="../index.html${tryItHash(target.example)}">Try it in the playground</a> <span class="hint">opens ${target.label} (${escapeHtml(target.example.language)})</span></p>`
      : "";
    const rendered = renderMarkdown(text, { prefix: "../" });
    // The link goes right under the title.
    const body = `<article class="doc">${rendered.includes("</h1>") ? rendered.replace("</h1>", `</h1>\n${tryIt}`) : tryIt + rendered}</article>`;
    writeFileSync(join(outDir, "rules", `${name}.html`), page({ title: `landlock/${name}`, prefix: "../", current: "rules/index.html", body }));
    const summary = /^\s*\n?([^#|\n][^\n]*(?:\n[^\n]+)*)/m.exec(text.replace(/^# .*\n/, ""))?.[1] ?? "";
    rules.push({ name, summary });
  }
  const list = rules.map((r) => `<li><a href="${r.name}.html"><code>landlock/${r.name}</code></a>: ${renderMarkdown(r.summary).replace(/^<p>|<\/p>\s*$/g, "")}</li>`).join("\n");
  writeFileSync(join(outDir, "rules", "index.html"), page({ title: "Rules", prefix: "../", current: "rules/index.html", body: `<article class="doc"><h1>Rules</h1><ul class="rule-list">${list}</ul></article>` }));

  const readme = readFileSync(join(root, "README.md"), "utf8");
  writeFileSync(join(outDir, "usage.html"), page({ title: "Usage", current: "usage.html", body: `<article class="doc">${renderMarkdown(usageMarkdown(readme))}</article>` }));
  const simulator = readFileSync(join(root, "docs", "simulator.md"), "utf8");
  writeFileSync(join(outDir, "simulator.html"), page({ title: "Simulator", current: "simulator.html", body: `<article class="doc">${renderMarkdown(simulator)}</article>` }));
  return { outDir, sizes, examples: examples.length, rules: rules.length };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf("--out");
  const outDir = outIndex >= 0 ? args[outIndex + 1] : undefined;
  const result = await buildSite({ ...(outDir ? { outDir } : {}), minify: !args.includes("--no-minify") });
  const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`site built in ${result.outDir}: ${result.rules} rule pages, ${result.examples} examples`);
  for (const [file, bytes] of Object.entries(result.sizes)) console.log(`  ${file} ${kb(bytes)}`);
}
