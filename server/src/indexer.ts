// Background indexing of the workspace folders on start (and after settings change): every
// source file is analysed once with its project, which fills the per-file summary caches
// the cross-file analysis of an open document then reuses (wrappers defined elsewhere,
// threads spawned in another file). One file per macrotask, so requests are served in
// between; progress goes to the client through window/workDoneProgress.

import type { WorkDoneProgressServerReporter } from "vscode-languageserver";
import { Project, findProjectRoot } from "@landlock-lint/analyzer";
import type { AnalysisHost } from "./analysis.js";

export interface IndexOutcome {
  files: number;
  roots: string[];
  cancelled: boolean;
  elapsedMs: number;
}

const REPORT_EVERY_MS = 100;

export class WorkspaceIndexer {
  private generation = 0;
  /** Project roots the index found (kept alive while the workspace is open). */
  readonly roots = new Set<string>();

  constructor(
    private readonly host: AnalysisHost,
    private readonly log: (message: string) => void,
  ) {}

  /** Stops a running index (a newer one supersedes it). */
  cancel(): void {
    this.generation++;
  }

  async index(folders: string[], progress: WorkDoneProgressServerReporter, maxFiles: number): Promise<IndexOutcome> {
    const generation = ++this.generation;
    const started = performance.now();
    const stale = () => generation !== this.generation || progress.token.isCancellationRequested;
    progress.begin("Landlock: indexing", 0, "listing source files", true);
    const files: string[] = [];
    for (const folder of folders) {
      try {
        files.push(...new Project(folder).sourceFiles());
      } catch (e) {
        this.log(`landlock: cannot list ${folder}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const unique = [...new Set(files)].slice(0, maxFiles);
    if (files.length > maxFiles) this.log(`landlock: indexing the first ${maxFiles} of ${files.length} source files`);
    let lastReport = 0;
    let done = 0;
    for (const file of unique) {
      await new Promise((resolve) => setImmediate(resolve));
      if (stale()) break;
      try {
        this.roots.add(findProjectRoot(file));
        this.host.projectFor(file).analyzeFile(file);
      } catch (e) {
        this.log(`landlock: indexing ${file} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      done++;
      const now = performance.now();
      if (now - lastReport > REPORT_EVERY_MS) {
        lastReport = now;
        progress.report(Math.round((done / unique.length) * 100), `${done}/${unique.length} files`);
      }
    }
    const cancelled = stale();
    progress.done();
    return { files: done, roots: [...this.roots], cancelled, elapsedMs: performance.now() - started };
  }
}
