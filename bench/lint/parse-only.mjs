// The anchor: parse the same files with the same parsers the front-ends use, and nothing
// else (no IR, no checks, no project index). C, C++, Go and Rust through web-tree-sitter;
// JavaScript and TypeScript through TypeScript's own parser (ts.createSourceFile), which
// the JS/TS front-end's parser (typescript-estree) is built on.
//
//   node bench/lint/parse-only.mjs LIST_FILE      (one path per line)
// Prints one JSON line: files parsed, bytes, errors (unreadable or not UTF-8), CPU ms.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Language, Parser } from "web-tree-sitter";

const require = createRequire(import.meta.url);
const GRAMMARS = { ".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".cxx": "cpp", ".hh": "cpp", ".hpp": "cpp", ".hxx": "cpp", ".go": "go", ".rs": "rust" };
const TS_KINDS = { ".ts": "TS", ".mts": "TS", ".cts": "TS", ".tsx": "TSX", ".js": "JS", ".mjs": "JS", ".cjs": "JS", ".jsx": "JSX" };

// Loaded on the first JS/TS file only, like each grammar: a run over C files must not pay
// for loading TypeScript (about half a second), or the anchor's start-up would flatter the linter.
let ts;
async function typescript() {
  ts ??= (await import("typescript")).default;
  return ts;
}

await Parser.init();
const parsers = new Map();
async function parserFor(grammar) {
  let parser = parsers.get(grammar);
  if (!parser) {
    const pkg = `tree-sitter-${grammar}`;
    parser = new Parser();
    parser.setLanguage(await Language.load(join(dirname(require.resolve(`${pkg}/package.json`)), `${pkg}.wasm`)));
    parsers.set(grammar, parser);
  }
  return parser;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
const files = readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean);
let parsed = 0;
let bytes = 0;
let errors = 0;
for (const file of files) {
  const ext = file.slice(file.lastIndexOf(".")).toLowerCase();
  let text;
  try {
    const raw = readFileSync(file);
    if (raw.length > 5 * 1024 * 1024 || raw.subarray(0, 8192).includes(0)) continue;
    text = decoder.decode(raw);
    bytes += raw.length;
  } catch {
    errors++;
    continue;
  }
  if (GRAMMARS[ext]) {
    const tree = (await parserFor(GRAMMARS[ext])).parse(text);
    tree?.delete();
  } else if (TS_KINDS[ext] !== undefined) {
    const t = await typescript();
    t.createSourceFile(file, text, t.ScriptTarget.Latest, true, t.ScriptKind[TS_KINDS[ext]]);
  } else continue;
  parsed++;
}
const ru = process.resourceUsage();
console.log(JSON.stringify({ parsed, bytes, errors, cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000 }));
