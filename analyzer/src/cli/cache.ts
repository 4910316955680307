// The --cache store: results of files whose inputs have not changed. An entry is reused
// only when the file's content hash, the settings and options that shape the result, the
// tool build, and the hash of every other file the result depended on (cross-file
// summaries) all match. One JSON file, replaced atomically; a damaged cache is ignored.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LintedFile } from "./result.js";

const CACHE_FORMAT = 1;
const CACHE_FILE = "results.json";

export function hashText(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** JSON with object keys sorted, so equal settings hash equally whatever their key order. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

interface CacheEntry {
  /** Hash of the settings and options that shape the result. */
  key: string;
  content: string;
  /** Absolute path -> content hash ("" when the file did not exist). */
  dependencies: Record<string, string>;
  file: LintedFile;
}

interface CacheFile {
  format: number;
  tool: string;
  entries: Record<string, CacheEntry>;
}

export class ResultCache {
  private readonly entries: Record<string, CacheEntry>;
  private readonly dependencyHashes = new Map<string, string>();
  private dirty = false;

  private constructor(
    readonly directory: string,
    private readonly tool: string,
    entries: Record<string, CacheEntry>,
  ) {
    this.entries = entries;
  }

  /** Opens the cache in `directory`; a missing, damaged or other-build cache starts empty. */
  static open(directory: string, tool: string): ResultCache {
    let entries: Record<string, CacheEntry> = {};
    try {
      const data = JSON.parse(readFileSync(join(directory, CACHE_FILE), "utf8")) as CacheFile;
      if (data.format === CACHE_FORMAT && data.tool === tool && data.entries && typeof data.entries === "object") entries = data.entries;
    } catch {
      // No cache yet, or one we cannot use: start afresh.
    }
    return new ResultCache(directory, tool, entries);
  }

  /** Content hash of a dependency as it is now (memoised for the run). */
  private currentHash(path: string): string {
    let hash = this.dependencyHashes.get(path);
    if (hash === undefined) {
      try {
        hash = hashText(readFileSync(path, "utf8"));
      } catch {
        hash = "";
      }
      this.dependencyHashes.set(path, hash);
    }
    return hash;
  }

  /** Records the hash of a file this run has read itself (so dependencies need not re-read it). */
  noteContent(path: string, contentHash: string): void {
    this.dependencyHashes.set(path, contentHash);
  }

  lookup(path: string, contentHash: string, key: string): LintedFile | undefined {
    const entry = this.entries[path];
    if (!entry || entry.key !== key || entry.content !== contentHash) return undefined;
    for (const [dependency, hash] of Object.entries(entry.dependencies)) {
      if (this.currentHash(dependency) !== hash) return undefined;
    }
    return entry.file;
  }

  store(path: string, contentHash: string, key: string, file: LintedFile, dependencies: readonly string[]): void {
    const hashes: Record<string, string> = {};
    for (const dependency of dependencies) if (dependency !== path) hashes[dependency] = this.currentHash(dependency);
    this.entries[path] = { key, content: contentHash, dependencies: hashes, file };
    this.dirty = true;
  }

  /** Writes the cache (atomically: a reader never sees half a file). Throws on I/O errors. */
  save(): void {
    if (!this.dirty) return;
    mkdirSync(this.directory, { recursive: true });
    const data: CacheFile = { format: CACHE_FORMAT, tool: this.tool, entries: this.entries };
    const temporary = join(this.directory, `${CACHE_FILE}.${process.pid}.tmp`);
    writeFileSync(temporary, JSON.stringify(data));
    renameSync(temporary, join(this.directory, CACHE_FILE));
    this.dirty = false;
  }
}
