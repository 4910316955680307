// What a long-lived caller (the language server's project) keeps between two builds of the
// same file: the last text and tree-sitter tree, so the next text reparses incrementally
// from one edit (the common prefix and suffix of old and new text), and whatever per-file
// state a front-end wants to reuse (the C/C++ front-end keeps the IR of each function).
//
// Trees live in the WebAssembly heap, not the JS one: the cache holds a bounded number of
// files (least recently used dropped first) and deletes a tree when it lets it go. One-shot
// callers (CLI, ESLint) pass no cache and hold nothing.

import { makeEdit, parse, type Edit, type GrammarName, type Tree } from "./treesitter.js";

/** Files whose tree and front-end state are kept (each a few MB of WebAssembly memory at most). */
export const DEFAULT_CACHED_FILES = 8;

export interface ParseStats {
  /** Parses that reused the file's previous tree. */
  incremental: number;
  /** Parses from scratch (first time, other grammar, evicted, or after a fallback). */
  full: number;
  /** Incremental parses thrown away because the tree had syntax errors (then parsed from scratch). */
  fallback: number;
  /** Texts identical to the last one: the tree was handed out again. */
  unchanged: number;
}

/** The one edit turning `before` into `after`: offsets in UTF-16 code units of `before`. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** What the last parse of a file changed, for front-ends that update results of the previous one. */
export interface ParseChange extends TextChange {
  /** Numbers the file's parses: this change turns parse `serial - 1` into parse `serial`. */
  serial: number;
  /**
   * Where the syntax changed (new-text offsets; tree-sitter's changed ranges): outside them
   * and outside [start, newEnd], every character has the same ancestors as before.
   */
  ranges: { start: number; end: number }[];
}

interface FileEntry {
  grammar: GrammarName;
  text: string;
  tree: Tree;
  serial: number;
  /** The change from the previous text to this one (undefined after a full parse). */
  change?: ParseChange;
  state: Map<string, unknown>;
}

/**
 * A cache its owner dropped without clear() (a project the server let go) still holds trees
 * in the WebAssembly heap, which the JS garbage collector cannot see: free them when the
 * cache itself is collected.
 */
const unreleased = new FinalizationRegistry<Map<string, FileEntry>>((files) => {
  for (const entry of files.values()) entry.tree.delete();
  files.clear();
});

export class FrontEndCache {
  private readonly files = new Map<string, FileEntry>();
  readonly stats: ParseStats = { incremental: 0, full: 0, unchanged: 0, fallback: 0 };

  constructor(private readonly maxFiles = DEFAULT_CACHED_FILES) {
    if (!(maxFiles >= 1)) throw new Error(`FrontEndCache: maxFiles must be at least 1, got ${maxFiles}`);
    unreleased.register(this, this.files);
  }

  /**
   * The tree of `text`, reparsed from the file's previous tree when there is one. The cache
   * owns the tree: use it until the next call on this cache, never `delete()` it.
   */
  parse(file: string, grammar: GrammarName, text: string): Tree {
    const entry = this.files.get(file);
    if (entry) this.files.delete(file);
    if (entry && entry.grammar === grammar) {
      if (entry.text === text) {
        this.stats.unchanged++;
        entry.serial++;
        entry.change = { start: text.length, oldEnd: text.length, newEnd: text.length, serial: entry.serial, ranges: [] };
        this.files.set(file, entry);
        return entry.tree;
      }
      const change = textChange(entry.text, text);
      const edit: Edit = makeEdit(entry.text, change.start, change.oldEnd, text.slice(change.start, change.newEnd));
      let tree: Tree;
      try {
        tree = parse(grammar, text, entry.tree, [edit]);
      } catch (error) {
        entry.tree.delete();
        throw error;
      }
      if (tree.rootNode.hasError) {
        // Error recovery depends on the parse history: an incremental tree with ERROR or
        // MISSING nodes may differ from a fresh parse of the same text. Analyses must not
        // depend on how the text was reached, so such texts are parsed from scratch.
        tree.delete();
        entry.tree.delete();
        this.stats.fallback++;
        return this.fullParse(file, grammar, text, entry.serial, entry.state);
      }
      let ranges: ParseChange["ranges"];
      try {
        ranges = entry.tree.getChangedRanges(tree).map((r) => ({ start: r.startIndex, end: r.endIndex }));
      } finally {
        entry.tree.delete();
      }
      this.stats.incremental++;
      const serial = entry.serial + 1;
      this.files.set(file, { grammar, text, tree, serial, change: { ...change, serial, ranges }, state: entry.state });
      this.evict();
      return tree;
    }
    if (entry) entry.tree.delete();
    return this.fullParse(file, grammar, text, entry?.serial ?? 0, entry && entry.grammar === grammar ? entry.state : new Map());
  }

  private fullParse(file: string, grammar: GrammarName, text: string, serial: number, state: Map<string, unknown>): Tree {
    const tree = parse(grammar, text);
    this.stats.full++;
    this.files.set(file, { grammar, text, tree, serial: serial + 1, state });
    this.evict();
    return tree;
  }

  /** The change the last `parse` of the file applied (undefined after a full parse). */
  lastChange(file: string): ParseChange | undefined {
    return this.files.get(file)?.change;
  }

  /** Numbers the file's parses (1 for the first): results of parse n can be updated with the change of parse n + 1. */
  serialOf(file: string): number | undefined {
    return this.files.get(file)?.serial;
  }

  /**
   * Per-file state of a front-end (`key` names its kind), created on first use; dropped
   * with the file's tree. Only files that went through `parse` have state.
   */
  state<T>(file: string, key: string, create: () => T): T | undefined {
    const entry = this.files.get(file);
    if (!entry) return undefined;
    let value = entry.state.get(key) as T | undefined;
    if (value === undefined) {
      value = create();
      entry.state.set(key, value);
    }
    return value;
  }

  /** Drops everything kept for the file (closed or removed). */
  forget(file: string): void {
    const entry = this.files.get(file);
    if (!entry) return;
    entry.tree.delete();
    this.files.delete(file);
  }

  /** Drops everything. */
  clear(): void {
    for (const file of [...this.files.keys()]) this.forget(file);
  }

  /** Files held now. */
  get size(): number {
    return this.files.size;
  }

  private evict(): void {
    while (this.files.size > this.maxFiles) {
      const oldest = this.files.keys().next().value as string;
      this.forget(oldest);
    }
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The smallest single replacement turning `before` into `after`: common prefix and suffix
 * kept, never splitting a surrogate pair (the parser reads UTF-16 code points).
 */
export function textChange(before: string, after: string): TextChange {
  const max = Math.min(before.length, after.length);
  let start = 0;
  // Whole chunks first (string comparison is native), then code unit by code unit.
  for (let chunk = 4096; chunk >= 64; chunk >>= 4) {
    while (start + chunk <= max && before.slice(start, start + chunk) === after.slice(start, start + chunk)) start += chunk;
  }
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  if (start > 0 && start < max && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let suffix = 0;
  const maxSuffix = max - start;
  for (let chunk = 4096; chunk >= 64; chunk >>= 4) {
    while (suffix + chunk <= maxSuffix && before.slice(before.length - suffix - chunk, before.length - suffix) === after.slice(after.length - suffix - chunk, after.length - suffix)) suffix += chunk;
  }
  while (suffix < maxSuffix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return { start, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}
