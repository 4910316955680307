// Deterministic generator of benchmark trees: realistic C, C++, Go, Rust and TypeScript
// services that mix Landlock sandboxing code with ordinary code. The same options give the
// same bytes. Files are grouped into projects (one folder with a marker: go.mod,
// Cargo.toml, package.json or .landlock-lint.json), as in a monorepo.
//
//   node bench/gen/generate.mjs --out DIR [--files 1000] [--seed 1] [--landlock-share 0.03]
//                               [--languages c,cpp,go,rust,ts] [--lines 200] [--project-size 40]

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createRandom } from "./random.mjs";
import { LANGUAGES } from "./languages.mjs";

export const ALL_LANGUAGES = Object.keys(LANGUAGES);

/**
 * Writes a tree under `out` and returns what it holds. `landlockShare` is the fraction of
 * files that sandbox themselves (1: every file mentions Landlock; 0.03: 3 % do).
 */
export function generateTree({ out, files = 1000, seed = 1, landlockShare = 0.03, languages = ALL_LANGUAGES, lines = 200, projectSize = 40 }) {
  for (const l of languages) if (!LANGUAGES[l]) throw new Error(`unknown language "${l}" (known: ${ALL_LANGUAGES.join(", ")})`);
  const r = createRandom(seed);
  const written = [];
  let totalLines = 0;
  let totalBytes = 0;
  let landlockFiles = 0;
  const byLanguage = Object.fromEntries(languages.map((l) => [l, 0]));
  // Files are dealt to languages in turn, then to projects of `projectSize` files each.
  const perLanguage = languages.map((_, i) => Math.floor(files / languages.length) + (i < files % languages.length ? 1 : 0));
  // Exactly round(share * files) sandboxed files (at least one when the share is positive),
  // at positions chosen by the seed, so the share is what was asked even for small trees.
  const sandboxedCount = landlockShare > 0 ? Math.max(1, Math.round(landlockShare * files)) : 0;
  const order = Array.from({ length: files }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const sandboxedIndex = new Set(order.slice(0, sandboxedCount));
  let index = 0;
  languages.forEach((language, li) => {
    const spec = LANGUAGES[language];
    for (let n = 0; n < perLanguage[li]; n++, index++) {
      const project = Math.floor(n / projectSize);
      const dir = join(out, `${language}-svc-${project}`);
      if (n % projectSize === 0) {
        mkdirSync(join(dir, "src"), { recursive: true });
        writeFileSync(join(dir, spec.marker), spec.markerText);
      }
      const sandboxed = sandboxedIndex.has(index);
      const fileLines = Math.max(30, Math.round(lines * (0.5 + r.next())));
      const text = spec.write(r, fileLines, sandboxed, `svc${project}`);
      const path = join(dir, "src", `${sandboxed ? "main" : "part"}_${n}${spec.ext}`);
      writeFileSync(path, text);
      written.push(path);
      totalLines += text.split("\n").length - 1;
      totalBytes += Buffer.byteLength(text);
      if (sandboxed) landlockFiles++;
      byLanguage[language]++;
    }
  });
  return { out, files: written, lines: totalLines, bytes: totalBytes, landlockFiles, byLanguage };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      out: { type: "string" },
      files: { type: "string", default: "1000" },
      seed: { type: "string", default: "1" },
      "landlock-share": { type: "string", default: "0.03" },
      languages: { type: "string", default: ALL_LANGUAGES.join(",") },
      lines: { type: "string", default: "200" },
      "project-size": { type: "string", default: "40" },
    },
  });
  if (!values.out) {
    console.error("generate: --out DIR is required");
    process.exit(2);
  }
  const numbers = { files: Number(values.files), seed: Number(values.seed), lines: Number(values.lines), projectSize: Number(values["project-size"]) };
  for (const [k, v] of Object.entries(numbers)) {
    if (!Number.isInteger(v) || v < 0) {
      console.error(`generate: --${k} expects a non-negative integer`);
      process.exit(2);
    }
  }
  const share = Number(values["landlock-share"]);
  if (!(share >= 0 && share <= 1)) {
    console.error("generate: --landlock-share expects a number from 0 to 1");
    process.exit(2);
  }
  try {
    const tree = generateTree({ out: values.out, ...numbers, landlockShare: share, languages: values.languages.split(",") });
    console.log(`${tree.files.length} files, ${tree.lines} lines, ${tree.bytes} bytes, ${tree.landlockFiles} mention Landlock -> ${tree.out}`);
  } catch (e) {
    console.error(`generate: ${e.message}`);
    process.exit(2);
  }
}
