// A project: the unit one analysis sees, shared by the CLI, the ESLint rules and the
// language server. It lists the project's source files, keeps editor texts, builds the IR
// of every file that may matter (cached by content hash), runs the checks over all of them
// together (so a wrapper or a thread spawn in another file counts) and hands out one
// file's report at a time (cached per project version and settings).

import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { AnalysisError, FileReport, Finding } from "./findings.js";
import type { IrFile, ProjectFacts } from "./ir.js";
import type { FrontEnd } from "./frontends/frontend.js";
import { frontEndFor, sourceExtensions } from "./frontends/registry.js";
import type { Settings } from "./settings.js";
import { loadConfigFor, mergeSettings } from "./config.js";
import { buildIr, DEFAULT_BUDGET_MS, errorText, fileReport, safeRunChecks, type IrResult } from "./analyze.js";
import { findProjectRoot } from "./project-root.js";
import { FileFacts, readCompileDefines } from "./project-facts.js";
import { listSourceFiles } from "./project-files.js";
import { relevantProjectFiles } from "./project-relevance.js";
import { checkText, DEFAULT_MAX_FILE_BYTES, readSource } from "./source-text.js";
import { createHash } from "node:crypto";
import { Program } from "./checks/program.js";
import { FrontEndCache } from "./frontends/parse-cache.js";

export interface ProjectOptions {
  /** Settings layered over the config file (CLI flags, ESLint settings, LSP configuration). */
  settings?: Partial<Settings>;
  /** Use this config file instead of the nearest `.landlock-lint.json`. */
  configFile?: string;
  /** Time budget per analysed file, in ms (the whole-project walk gets the sum, capped). */
  budgetMs?: number;
  maxFileBytes?: number;
  /** Front-ends tried before the registered ones. */
  frontEnds?: readonly FrontEnd[];
  /**
   * Keep each file's syntax tree and per-function IR between analyses, so an edit reparses
   * incrementally and re-walks only the functions it touched (editors). Off for one-shot runs.
   */
  incremental?: boolean;
  /** Build tags the Go files are built with (`go build -tags`; `--go-tags`). */
  goBuildTags?: readonly string[];
}

type TextEntry = { ok: true; text: string; hash: string } | { ok: false; reason: string };

interface ProjectRun {
  key: string;
  files: IrFile[];
  program: Program;
  findings: Finding[];
  errors: AnalysisError[];
}

/** How long a file read from disk is trusted without looking at its size and mtime again. */
const DISK_RECHECK_MS = 2000;
const MAX_RUN_BUDGET_MS = 60_000;
/** Characters of project text the prefilter keeps in memory; beyond, texts of files that do not matter are dropped. */
const KEEP_ALL_TEXTS_BELOW = 16 * 1024 * 1024;

export class Project {
  readonly root: string;
  private readonly options: ProjectOptions;
  private readonly editorTexts = new Map<string, string>();
  private readonly removed = new Set<string>();
  private readonly diskTexts = new Map<string, { mtimeMs: number; size: number; checkedAt: number; entry: TextEntry }>();
  /** Files read once and found not to matter: what identifies their content, without their text (dropText). */
  private readonly droppedTexts = new Map<string, { mtimeMs: number; size: number; checkedAt: number }>();
  private readonly irCache = new Map<string, { key: string; result: IrResult }>();
  private listing?: string[];
  private readonly fileFacts: FileFacts;
  private definesCache?: ReturnType<typeof readCompileDefines>;
  private lastRun?: ProjectRun;
  private relevantCache?: { key: string; files: Set<string>; candidates: Set<string>; generation: number; quickKey: string; computedAt: number };
  /** Bumped whenever a text the analysis reads may have changed (editor, disk, listing). */
  private generation = 0;
  /** The run before the last: links an edit removed still make the other side change. */
  private previousRun?: ProjectRun;
  private readonly reportCache = new Map<string, { key: string; report: FileReport }>();

  /** Trees and per-function IR kept between builds (only with `incremental`). */
  private readonly frontEndCache?: FrontEndCache;

  constructor(root: string, options: ProjectOptions = {}) {
    this.root = resolve(root);
    this.options = options;
    this.fileFacts = new FileFacts(this.root, options.goBuildTags ? { goBuildTags: options.goBuildTags } : {});
    if (options.incremental) this.frontEndCache = new FrontEndCache();
  }

  /** The project of a file: rooted at the nearest folder upward with a project marker. */
  static forFile(file: string, options: ProjectOptions = {}): Project {
    return new Project(findProjectRoot(file), options);
  }

  /** Source files of the project on disk plus files only open in an editor. */
  sourceFiles(): string[] {
    this.listing ??= listSourceFiles(this.root, sourceExtensions(this.options.frontEnds));
    const all = new Set(this.listing.filter((f) => !this.removed.has(f)));
    for (const f of this.editorTexts.keys()) if (frontEndFor(f, this.options.frontEnds)) all.add(f);
    return [...all].sort();
  }

  /** Forgets the file listing and disk facts (files were added or removed on disk). */
  refresh(): void {
    this.listing = undefined;
    this.fileFacts.forget();
    this.definesCache = undefined;
    this.invalidate();
  }

  /** A file (or every file) may have changed on disk: read it again at the next analysis. */
  invalidate(file?: string): void {
    if (file === undefined) {
      this.diskTexts.clear();
      this.droppedTexts.clear();
    } else {
      this.diskTexts.delete(resolve(file));
      this.droppedTexts.delete(resolve(file));
    }
    this.generation++;
  }

  /** An editor's text for a file; it wins over the disk until closeFile/removeFile. */
  setFileText(file: string, text: string): void {
    const abs = resolve(file);
    if (this.editorTexts.get(abs) === text && !this.removed.has(abs)) return;
    this.editorTexts.set(abs, text);
    this.removed.delete(abs);
    this.generation++;
  }

  /** The editor closed the file: read it from disk again. */
  closeFile(file: string): void {
    const abs = resolve(file);
    this.frontEndCache?.forget(abs);
    if (this.editorTexts.delete(abs)) this.generation++;
  }

  /** The file no longer exists (deleted or renamed away). */
  removeFile(file: string): void {
    const abs = resolve(file);
    this.editorTexts.delete(abs);
    this.removed.add(abs);
    this.irCache.delete(abs);
    this.reportCache.delete(abs);
    this.frontEndCache?.forget(abs);
    this.generation++;
  }

  get facts(): ProjectFacts {
    return this.fileFacts.project;
  }

  private defines(file: string): Record<string, string> | undefined {
    this.definesCache ??= readCompileDefines(this.root);
    return this.definesCache.defines.get(file);
  }

  /** Settings of a file: defaults < config file (nearest or given) < the project's overrides. Throws ConfigError on a bad config. */
  settingsFor(file: string): Settings {
    const loaded = loadConfigFor(resolve(file), { configFile: this.options.configFile });
    return mergeSettings(loaded.settings, this.options.settings);
  }

  private textOf(file: string, given?: { file: string; text: string }): TextEntry {
    if (given && given.file === file) return textEntry(given.text);
    const editor = this.editorTexts.get(file);
    if (editor !== undefined) return textEntry(editor);
    if (this.removed.has(file)) return { ok: false, reason: "file was removed" };
    const max = this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const cached = this.diskTexts.get(file);
    if (cached) {
      // Every analysis looks at every project file; re-checking each on disk every time would
      // cost a stat per file per analysis. A file checked moments ago is taken as unchanged
      // (invalidate() forces a look, e.g. on a file watcher's event).
      const checkedAt = Date.now();
      if (checkedAt - cached.checkedAt < DISK_RECHECK_MS) return cached.entry;
      const now = statOf(file);
      if (now && now.mtimeMs === cached.mtimeMs && now.size === cached.size) {
        cached.checkedAt = checkedAt;
        return cached.entry;
      }
    }
    const read = readSource(file, max);
    if (!read.ok) return read;
    const entry = textEntry(read.text);
    if (!cached || !cached.entry.ok || cached.entry.text !== read.text) this.generation++;
    this.diskTexts.set(file, { mtimeMs: read.mtimeMs, size: read.size, checkedAt: Date.now(), entry });
    return entry;
  }

  private irOf(file: string, text: TextEntry & { ok: true }, settings: Settings): IrResult {
    const defines = this.defines(file);
    const facts = this.fileFacts.factsFor(file);
    const key = stableHash(
      JSON.stringify([text.hash, settings.threadSpawners, settings.restrictWrappers, settings.targetAbi, facts, defines ?? null]),
    );
    const cached = this.irCache.get(file);
    if (cached && cached.key === key) return cached.result;
    // Only files open in an editor change keystroke by keystroke: only they keep a tree (closeFile frees it).
    const cache = this.editorTexts.has(file) ? this.frontEndCache : undefined;
    const result = buildIr(text.text, file, settings, { facts, defines, frontEnds: this.options.frontEnds, ...(cache ? { cache } : {}) });
    this.irCache.set(file, { key, result });
    return result;
  }

  /**
   * The project files that may matter: those that mention Landlock, then (round after
   * round) the files linked to them by the call graph either way, found by a text test
   * and confirmed by their IR (project-relevance.ts). A file linked to none is read but
   * never parsed. Cached until some file's content or the settings change.
   */
  private relevantSet(file: string, settings: Settings, given?: { file: string; text: string }): Set<string> {
    // Within the disk re-check window, nothing the set depends on has changed unless the generation moved.
    const quickKey = JSON.stringify([settings.threadSpawners, settings.restrictWrappers, given ? [given.file, stableHash(given.text)] : ""]);
    const c = this.relevantCache;
    if (c && c.generation === this.generation && c.quickKey === quickKey && c.candidates.has(file) && Date.now() - c.computedAt < DISK_RECHECK_MS) return c.files;
    const candidates = new Set(this.sourceFiles());
    candidates.add(file);
    const key = stableHash(
      JSON.stringify([settings.threadSpawners, settings.restrictWrappers, [...candidates].map((f) => [f, this.fingerprintOf(f, given)])]),
    );
    if (this.relevantCache?.key === key) {
      this.relevantCache = { ...this.relevantCache, candidates, generation: this.generation, quickKey, computedAt: Date.now() };
      return this.relevantCache.files;
    }
    // Texts are read as the prefilter asks for them; past KEEP_ALL_TEXTS_BELOW characters, a
    // disk file's text is not kept once looked at (a later round reads it again), so memory
    // stays bounded in a folder of any size.
    let readChars = 0;
    const counted = new Set<string>();
    const textFor = (f: string): TextEntry => {
      const t = this.textOf(f, given);
      if (t.ok && !counted.has(f)) {
        counted.add(f);
        readChars += t.text.length;
      }
      if (readChars > KEEP_ALL_TEXTS_BELOW) this.dropText(f);
      return t;
    };
    const chosen = relevantProjectFiles({
      files: candidates,
      textOf: (f) => {
        const t = textFor(f);
        return t.ok ? t.text : undefined;
      },
      irOf: (f) => {
        const t = textFor(f);
        const ir = t.ok ? this.irOf(f, t, settings) : undefined;
        return ir?.ok ? ir.ir : undefined;
      },
      wrapperNames: settings.restrictWrappers,
    });
    this.relevantCache = { key, files: chosen, candidates, generation: this.generation, quickKey, computedAt: Date.now() };
    if (readChars > KEEP_ALL_TEXTS_BELOW) for (const f of candidates) if (!chosen.has(f)) this.dropText(f);
    return chosen;
  }

  /**
   * What identifies a file's content without reading it: the hash of an editor's text; for
   * a file on disk, its size and mtime, which is what textOf trusts too (hashing every
   * file of a large project on every change would cost more than the prefilter).
   */
  private fingerprintOf(file: string, given?: { file: string; text: string }): string {
    if (given?.file === file || this.editorTexts.has(file) || this.removed.has(file)) {
      const t = this.textOf(file, given);
      return t.ok ? t.hash : "";
    }
    const known = this.diskTexts.get(file) ?? this.droppedTexts.get(file);
    const now = Date.now();
    if (known && now - known.checkedAt < DISK_RECHECK_MS) return `${known.size}:${known.mtimeMs}`;
    const st = statOf(file);
    if (!st) return "";
    if (known && st.mtimeMs === known.mtimeMs && st.size === known.size) known.checkedAt = now;
    else this.droppedTexts.delete(file);
    return `${st.size}:${st.mtimeMs}`;
  }

  /**
   * Forgets a disk file's text but keeps what identifies it (size, mtime): in a large
   * project (a whole /usr/include, a package under node_modules) most files are read only
   * to learn that they do not matter, and memory should follow the files that do. Small
   * projects keep every text (an editor's next analysis then reads nothing again).
   */
  private dropText(file: string): void {
    const cached = this.diskTexts.get(file);
    if (!cached || !cached.entry.ok) return;
    this.droppedTexts.set(file, { mtimeMs: cached.mtimeMs, size: cached.size, checkedAt: cached.checkedAt });
    this.diskTexts.delete(file);
  }

  /** The IR of the files the analysis of `file` takes into account (problems only for `file` itself). */
  private relevantFiles(file: string, settings: Settings, given?: { file: string; text: string }): { files: IrFile[]; errors: AnalysisError[]; skipped: boolean } {
    const errors: AnalysisError[] = [];
    const own = this.textOf(file, given);
    if (!own.ok) return { files: [], errors: [{ file, message: own.reason }], skipped: false };
    const set = this.relevantSet(file, settings, given);
    // Nothing in this file can carry a finding: it does not mention Landlock and no call links it to a file that does.
    if (!set.has(file)) return { files: [], errors, skipped: true };
    const files: IrFile[] = [];
    for (const f of set) {
      const t = this.textOf(f, given);
      if (!t.ok) continue;
      const ir = this.irOf(f, t, settings);
      if (ir.ok) files.push(ir.ir);
      else if (f === file) errors.push(ir.error);
    }
    return { files: files.sort((a, b) => a.file.localeCompare(b.file)), errors, skipped: false };
  }


  /**
   * The report of one file, analysed with the whole project. `text` (e.g. from ESLint or an
   * unsaved editor buffer) replaces the file's content for this analysis.
   */
  analyzeFile(file: string, text?: string): FileReport {
    const abs = resolve(file);
    let settings: Settings;
    try {
      settings = this.settingsFor(abs);
    } catch (e) {
      return { file: abs, language: this.languageOf(abs), findings: [], parseErrors: 0, errors: [{ file: abs, message: errorText(e) }] };
    }
    if (text !== undefined) {
      const checked = checkText(new TextEncoder().encode(text), this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
      if (!checked.ok) return { file: abs, language: this.languageOf(abs), findings: [], parseErrors: 0, errors: [{ file: abs, message: checked.reason }] };
    }
    // A text equal to the one the project reads anyway (the CLI passes what it read from
    // disk) is no override: the cached set of relevant files and the last run still hold.
    const given = text !== undefined && !this.isProjectText(abs, text) ? { file: abs, text } : undefined;
    const { files, errors, skipped } = this.relevantFiles(abs, settings, given);
    if (skipped) {
      if (!frontEndFor(abs, this.options.frontEnds)) errors.push({ file: abs, message: "no front-end reads this kind of file" });
      return { file: abs, language: this.languageOf(abs), findings: [], parseErrors: 0, ...(errors.length ? { errors } : {}), dependencies: [abs] };
    }
    const own = files.find((f) => f.file === abs);
    if (!own) return { file: abs, language: this.languageOf(abs), findings: [], parseErrors: 0, errors };
    const run = this.run(files, settings, given);
    const key = `${run.key}|${abs}`;
    const cached = this.reportCache.get(abs);
    if (cached && cached.key === key) return cached.report;
    const report: FileReport = {
      ...fileReport(own, run.findings, [...errors, ...run.errors.filter((e) => e.file === abs)]),
      dependencies: files.map((f) => f.file),
    };
    this.reportCache.set(abs, { key, report });
    return report;
  }

  /** Whether `text` is what the project holds for `file` already (editor text, else disk). */
  private isProjectText(file: string, text: string): boolean {
    const t = this.textOf(file);
    return t.ok && t.text === text;
  }

  private languageOf(file: string): string {
    const fe = frontEndFor(file, this.options.frontEnds);
    try {
      return fe ? fe.languageOf(file) : "unknown";
    } catch {
      return "unknown";
    }
  }

  private run(files: IrFile[], settings: Settings, given?: { file: string; text: string }): ProjectRun {
    const key = stableHash(
      JSON.stringify([
        settings,
        files.map((f) => {
          const t = this.textOf(f.file, given);
          return [f.file, t.ok ? t.hash : ""];
        }),
      ]),
    );
    if (this.lastRun && this.lastRun.key === key) return this.lastRun;
    const budgetMs = Math.min(MAX_RUN_BUDGET_MS, (this.options.budgetMs ?? DEFAULT_BUDGET_MS) * Math.max(1, files.length));
    const started = Date.now();
    const texts = new Map(files.map((f) => [f.file, this.textOf(f.file, given)]));
    const result = safeRunChecks(files, settings, {
      textOf: (f) => {
        const t = texts.get(f);
        return t?.ok ? t.text : undefined;
      },
      deadline: started + budgetMs,
      budgetMs,
      fingerprintPath: (f) => relativePath(this.root, f),
    });
    const errors: AnalysisError[] = [];
    const message = result.incomplete ?? result.error;
    if (message) for (const f of files) errors.push({ file: f.file, message });
    const program = result.program ?? new Program(files, settings);
    this.previousRun = this.lastRun;
    this.lastRun = { key, files, program, findings: result.findings, errors };
    return this.lastRun;
  }

  /**
   * Files whose findings may change when `file` changes: everything linked to it by calls
   * or thread spawns, both ways, in the current analysis or in the one before it (a call
   * an edit just removed changes its former callee's findings too).
   */
  dependents(file: string): string[] {
    const abs = resolve(file);
    let run = this.lastRun;
    if (!run || !run.files.some((f) => f.file === abs)) {
      this.analyzeFile(abs);
      run = this.lastRun;
    }
    if (!run) return [];
    const links = new Map<string, Set<string>>();
    const link = (a: string, b: string) => {
      if (a === b) return;
      (links.get(a) ?? links.set(a, new Set()).get(a)!).add(b);
      (links.get(b) ?? links.set(b, new Set()).get(b)!).add(a);
    };
    for (const r of [run, this.previousRun]) {
      if (!r) continue;
      for (const pf of r.program.functions) {
        for (const id of [...r.program.calleesOf(pf.id), ...r.program.routinesOf(pf.id)]) {
          const target = r.program.get(id);
          if (target) link(pf.file.file, target.file.file);
        }
      }
    }
    const seen = new Set([abs]);
    const queue = [abs];
    while (queue.length > 0) {
      for (const next of links.get(queue.shift()!) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    seen.delete(abs);
    return [...seen].sort();
  }
}

/** A text's entry; its hash is computed when first asked for (most files of a large project never need one). */
function textEntry(text: string): TextEntry {
  let hash: string | undefined;
  return {
    ok: true,
    text,
    get hash() {
      hash ??= stableHash(text);
      return hash;
    },
  };
}

/** Content hashes of whole files and keys: native, since project files are hashed. */
function stableHash(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

function statOf(file: string): { mtimeMs: number; size: number } | undefined {
  try {
    const st = statSync(file);
    return { mtimeMs: st.mtimeMs, size: st.size };
  } catch {
    return undefined;
  }
}

function relativePath(root: string, file: string): string {
  const r = file.startsWith(root + "/") ? file.slice(root.length + 1) : file.startsWith(root + "\\") ? file.slice(root.length + 1) : file;
  return r.replace(/\\/g, "/");
}
