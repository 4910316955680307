// The --cache store: results of files whose inputs have not changed. An entry is reused
// only when the file's content hash, the settings and options that shape the result, the
// tool build, and the project fingerprint all match. The fingerprint hashes every source
// file of the project, because the analysis reads them all (a wrapper or a thread spawn in
// another file changes a result, and any file can become one); so an edit anywhere in a
// project re-lints that project, never less. One JSON file, replaced atomically; a damaged
// cache is ignored.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LintedFile } from "./result.js";

const CACHE_FORMAT = 2;
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
  /** Fingerprint of the project's source files when the entry was made. */
  project: string;
  file: LintedFile;
}

interface CacheFile {
  format: number;
  tool: string;
  entries: Record<string, CacheEntry>;
}

export class ResultCache {
  private readonly entries: Record<string, CacheEntry>;
  private readonly fileHashes = new Map<string, string>();
  private readonly projectFingerprints = new Map<string, string>();
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

  /** Content hash of a file as it is now ("" when unreadable), memoised for the run. */
  private currentHash(path: string): string {
    let hash = this.fileHashes.get(path);
    if (hash === undefined) {
      try {
        hash = hashText(readFileSync(path, "utf8"));
      } catch {
        hash = "";
      }
      this.fileHashes.set(path, hash);
    }
    return hash;
  }

  /** Records the hash of a file this run has read itself, so the fingerprint need not read it again. */
  noteContent(path: string, contentHash: string): void {
    this.fileHashes.set(path, contentHash);
  }

  /** Fingerprint of a project's source files (computed once per run and project). */
  projectFingerprint(root: string, listFiles: () => readonly string[]): string {
    let fingerprint = this.projectFingerprints.get(root);
    if (fingerprint === undefined) {
      const files = [...listFiles()].sort();
      fingerprint = hashText(files.map((f) => `${f}\0${this.currentHash(f)}`).join("\n"));
      this.projectFingerprints.set(root, fingerprint);
    }
    return fingerprint;
  }

  lookup(path: string, contentHash: string, key: string, project: string): LintedFile | undefined {
    const entry = this.entries[path];
    if (!entry || entry.key !== key || entry.content !== contentHash || entry.project !== project) return undefined;
    return entry.file;
  }

  store(path: string, contentHash: string, key: string, project: string, file: LintedFile): void {
    this.entries[path] = { key, content: contentHash, project, file };
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
