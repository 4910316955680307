// Shared web-tree-sitter loader for every tree-sitter front-end (C, C++, Go, Rust) and the
// ESLint languages. The WebAssembly runtime is initialised at module evaluation (top-level
// await); each grammar is loaded when first needed, so a run over Go files never loads the
// C++ grammar. `loadGrammars` loads grammars ahead (the browser must: it fetches them);
// in Node a grammar asked for before that is compiled synchronously from its file, so
// `parse` stays synchronous as ESLint's `Language.parse` requires.
//
// Positions: web-tree-sitter hands the text to the parser as UTF-16, so `startIndex` and
// `startPosition.column` count UTF-16 code units (not UTF-8 bytes). That is exactly the
// IR's unit, so a node's range converts without looking at the text (tested with
// non-ASCII text, including astral characters that take two code units).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Edit, Language, Parser, type Node, type Point, type Tree } from "web-tree-sitter";
import type { Position, Range } from "../ir.js";

export type { Node, Tree, Point } from "web-tree-sitter";
export { Edit } from "web-tree-sitter";

export type GrammarName = "c" | "cpp" | "go" | "rust";

export const GRAMMAR_NAMES: readonly GrammarName[] = ["c", "cpp", "go", "rust"];

const GRAMMAR_PACKAGES: Record<GrammarName, string> = {
  c: "tree-sitter-c",
  cpp: "tree-sitter-cpp",
  go: "tree-sitter-go",
  rust: "tree-sitter-rust",
};

const require = createRequire(import.meta.url);

/**
 * A folder holding the grammars' `.wasm` files (`tree-sitter-c.wasm`, ...), for bundles
 * that ship them next to themselves instead of as npm packages. Also read from
 * `globalThis.LANDLOCK_LINT_GRAMMAR_DIR`, which a bundle's banner can set before any module runs.
 */
let grammarFolder: string | undefined;

export function setGrammarFolder(folder: string | undefined): void {
  grammarFolder = folder;
}

function grammarWasmPath(grammar: GrammarName): string {
  const pkg = GRAMMAR_PACKAGES[grammar];
  const folder = grammarFolder ?? (globalThis as { LANDLOCK_LINT_GRAMMAR_DIR?: string }).LANDLOCK_LINT_GRAMMAR_DIR;
  if (folder) return join(folder, `${pkg}.wasm`);
  return join(dirname(require.resolve(`${pkg}/package.json`)), `${pkg}.wasm`);
}

await Parser.init();

type WasmModule = Parameters<typeof Language.loadSync>[0];

const languages = new Map<GrammarName, Language>();
const loading = new Map<GrammarName, Promise<void>>();

function checkGrammarName(grammar: string): asserts grammar is GrammarName {
  if (!Object.hasOwn(GRAMMAR_PACKAGES, grammar)) throw new Error(`unknown tree-sitter grammar "${grammar}" (known: ${GRAMMAR_NAMES.join(", ")})`);
}

/** Loads these grammars (all four when none are named); a grammar already loaded costs nothing. */
export async function loadGrammars(names: Iterable<GrammarName> = GRAMMAR_NAMES): Promise<void> {
  const wanted = [...new Set(names)];
  for (const g of wanted) checkGrammarName(g);
  await Promise.all(
    wanted.map((grammar) => {
      if (languages.has(grammar)) return undefined;
      let pending = loading.get(grammar);
      if (!pending) {
        pending = Language.load(grammarWasmPath(grammar)).then(
          (language) => {
            if (!languages.has(grammar)) languages.set(grammar, language);
          },
          (error: unknown) => {
            loading.delete(grammar);
            throw new Error(`cannot load the tree-sitter grammar "${grammar}" from ${grammarWasmPath(grammar)}: ${error instanceof Error ? error.message : String(error)}`);
          },
        );
        loading.set(grammar, pending);
      }
      return pending;
    }),
  );
}

/** Whether a grammar is ready for a synchronous `parse` without a file read. */
export function isGrammarLoaded(grammar: GrammarName): boolean {
  return languages.has(grammar);
}

/** Node only: compiles the grammar's wasm file synchronously (where there is no file system, the error says to await loadGrammars). */
function loadGrammarSync(grammar: GrammarName): Language {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(grammarWasmPath(grammar));
  } catch (error) {
    throw new Error(
      `tree-sitter grammar "${grammar}" is not loaded: await loadGrammars(["${grammar}"]) before parsing (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  // A synchronous compile, which Node allows for any size (browsers do not: they await loadGrammars).
  const wasm = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => WasmModule } }).WebAssembly;
  const language = Language.loadSync(new wasm.Module(bytes));
  languages.set(grammar, language);
  return language;
}

const parsers = new Map<GrammarName, Parser>();

function parserFor(grammar: GrammarName): Parser {
  let parser = parsers.get(grammar);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(languageFor(grammar));
    parsers.set(grammar, parser);
  }
  return parser;
}

/** The tree-sitter grammar (for queries), loaded now if it was not yet. */
export function languageFor(grammar: GrammarName): Language {
  const language = languages.get(grammar);
  if (language) return language;
  checkGrammarName(grammar);
  return loadGrammarSync(grammar);
}

/**
 * Parses `text` synchronously. For an incremental reparse pass the previous tree and the
 * edits that turned its text into `text` (in order, each from `makeEdit` on the text as it
 * was before that edit), or a tree already updated with `editTree`.
 * The caller owns the returned tree and must `delete()` it when done (it lives in the
 * WebAssembly heap, not the JS one).
 */
export function parse(grammar: GrammarName, text: string, oldTree?: Tree | null, edits: readonly Edit[] = []): Tree {
  if (runtimeFailure) throw new Error(`tree-sitter is not used again in this process: its WebAssembly runtime failed on an earlier file (${runtimeFailure})`);
  if (oldTree) for (const edit of edits) oldTree.edit(edit);
  let tree: Tree | null;
  const clock = new ParseClock();
  const parser = parserFor(grammar);
  try {
    // The progress callback cancels a parse that runs past its budget (it returns true;
    // web-tree-sitter's type says void).
    tree = parser.parse(text, oldTree ?? null, { progressCallback: (() => clock.overBudget()) as unknown as () => void });
  } catch (error) {
    if (noteRuntimeFailure(error, `a ${grammar} text of ${text.length} characters`)) throw new Error(`tree-sitter's WebAssembly runtime failed on this file (${errorMessage(error)})`);
    throw error;
  }
  if (!tree && clock.cancelled) {
    // A cancelled parse would otherwise resume at the next call.
    parser.reset();
    throw new ParseBudgetExceeded(`the tree-sitter parse stopped after ${Math.round(clock.usedMs())} ms of CPU time (parse budget ${PARSE_BUDGET_MS} ms): the file was not analysed`);
  }
  if (!tree) throw new Error(`tree-sitter returned no tree for a ${grammar} text of ${text.length} characters`);
  return tree;
}

/**
 * CPU time one tree-sitter parse may take. A parse is linear on real code (about 0.3 s per
 * MB, and files over 5 MB are refused), pathological error recovery is not; with the
 * walk's 3 s this keeps a file's front-end work within 1.5x the 5 s analysis budget.
 */
export const PARSE_BUDGET_MS = 4_000;

/** A parse cancelled at its budget (not a failure of tree-sitter: the text is pathological). */
export class ParseBudgetExceeded extends Error {}

/** The CPU clock of one parse, read at most every 10 ms of wall time (reading it is a system call). */
class ParseClock {
  private readonly started = cpuMs();
  private lastRead = performance.now();
  cancelled = false;

  overBudget(): boolean {
    const wall = performance.now();
    if (wall - this.lastRead < 10) return false;
    this.lastRead = wall;
    if (this.usedMs() > PARSE_BUDGET_MS) this.cancelled = true;
    return this.cancelled;
  }

  usedMs(): number {
    return cpuMs() - this.started;
  }
}

function cpuMs(): number {
  const proc = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  if (proc?.cpuUsage) {
    const used = proc.cpuUsage();
    return (used.user + used.system) / 1000;
  }
  return performance.now();
}

/**
 * Why tree-sitter's WebAssembly runtime is no longer used, once it failed. A trap inside it
 * (e.g. "memory access out of bounds" when error recovery on a pathological text runs past
 * its fixed stack) leaves its memory corrupt: every later parse would fail or, worse, return
 * garbage. So every later parse throws a clear error instead, and the files get an error
 * entry rather than a silently empty report.
 */
let runtimeFailure: string | undefined;

/** Records a WebAssembly trap (returns whether `error` was one); other errors are not the runtime's. */
export function noteRuntimeFailure(error: unknown, what = "a file"): boolean {
  const RuntimeError = (globalThis as { WebAssembly?: { RuntimeError?: new () => Error } }).WebAssembly?.RuntimeError;
  if (!RuntimeError || !(error instanceof RuntimeError)) return false;
  runtimeFailure ??= `${errorMessage(error)}, on ${what}`;
  return true;
}

/** Set once the runtime failed (see noteRuntimeFailure): why. */
export function treeSitterFailure(): string | undefined {
  return runtimeFailure;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The tree-sitter point (0-based row, column in UTF-16 code units) of a UTF-16 offset. */
export function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: end - lineStart };
}

/**
 * Records on `tree` that `oldText[start, oldEnd)` was replaced by `inserted` (offsets in
 * UTF-16 code units), so that `parse(grammar, newText, tree)` can reuse unchanged parts.
 */
export function editTree(tree: Tree, oldText: string, start: number, oldEnd: number, inserted: string): void {
  tree.edit(makeEdit(oldText, start, oldEnd, inserted));
}

/** The tree-sitter edit for replacing `oldText[start, oldEnd)` by `inserted` (UTF-16 offsets). */
export function makeEdit(oldText: string, start: number, oldEnd: number, inserted: string): Edit {
  const startPosition = pointAt(oldText, start);
  const oldEndPosition = pointAt(oldText, oldEnd);
  const lines = inserted.split("\n");
  const newEndPosition: Point =
    lines.length === 1
      ? { row: startPosition.row, column: startPosition.column + inserted.length }
      : { row: startPosition.row + lines.length - 1, column: lines[lines.length - 1]!.length };
  return new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: start + inserted.length,
    startPosition,
    oldEndPosition,
    newEndPosition,
  });
}

/** IR position of a tree-sitter point + index (both already in UTF-16 code units). */
export function toPosition(point: Point, index: number): Position {
  return { line: point.row + 1, column: point.column, offset: index };
}

/** IR range of a node. */
export function nodeRange(node: Node): Range {
  return {
    start: toPosition(node.startPosition, node.startIndex),
    end: toPosition(node.endPosition, node.endIndex),
  };
}

/** IR range from the start of `first` to the end of `last`. */
export function spanRange(first: Node, last: Node): Range {
  return {
    start: toPosition(first.startPosition, first.startIndex),
    end: toPosition(last.endPosition, last.endIndex),
  };
}
