// What the CLI needs from the analysis, in one interface. `analysis-engine.ts` implements
// it over the analyzer's public API; worker threads load the same module by URL with the
// same options, so the serial and the parallel runs use one implementation.

import type { FileReport, Finding, TextEdit } from "../findings.js";
import type { Settings } from "../settings.js";

/** Everything an engine needs to be built the same way in the main thread and in workers (structured-cloneable). */
export interface EngineOptions {
  /** Settings from the command line, layered over each file's configuration. */
  flags: Partial<Settings>;
  /** --config: this file instead of the nearest `.landlock-lint.json`. */
  configFile?: string;
  /** --go-tags: build tags every Go file is built with. */
  goBuildTags?: string[];
  maxFileBytes: number;
}

export interface Engine {
  /** Lower-case extensions (with the dot) of the registered front-ends. */
  readonly extensions: readonly string[];
  /**
   * A file's settings: defaults < `configFile` or the nearest `.landlock-lint.json` <
   * flags. Throws ConfigError (file, key, problem) for an invalid configuration.
   */
  settingsFor(file: string): Settings;
  /** One file's report, analysed with its whole project; `text` replaces the file's content on disk. */
  analyze(file: string, text: string): FileReport;
  /** The simulated consequence of a finding as text lanes. */
  explain(finding: Finding, budgetMs: number): string;
  applyFixes(text: string, edits: readonly TextEdit[]): string;
  /** The project root of a path. */
  projectRoot(path: string): string;
  /** Every source file the analysis of a file in this project may read (for the cache). */
  projectFiles(root: string): string[];
}

/** The module shape an engine URL must point to. */
export interface EngineModule {
  createEngine(options: EngineOptions): Promise<Engine>;
}

export async function loadEngine(moduleUrl: string, options: EngineOptions): Promise<Engine> {
  const module = (await import(moduleUrl)) as EngineModule;
  return module.createEngine(options);
}
