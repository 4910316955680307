// What the CLI needs from the analysis, in one interface. `analysis-engine.ts` implements
// it over the analyzer's public API; worker threads load the same module by URL, so the
// serial and the parallel runs use one implementation.

import type { FileReport, Finding, TextEdit } from "../findings.js";
import type { Settings } from "../settings.js";

export interface AnalysedFile extends FileReport {
  /** Other files whose contents the result depends on (absolute paths), for the cache. */
  dependencies: string[];
}

export interface Engine {
  /** Lower-case extensions (with the dot) of the registered front-ends. */
  readonly extensions: readonly string[];
  /**
   * Settings from `configFile`, else the nearest `.landlock-lint.json` upward from `file`,
   * else the defaults. Throws ConfigError (file, key, problem) for an invalid file.
   */
  settingsFor(file: string, configFile?: string): { settings: Settings; configFile?: string };
  analyze(file: string, text: string, settings: Settings): AnalysedFile;
  /** The simulated consequence of a finding as text lanes. */
  explain(finding: Finding, budgetMs: number): string;
  applyFixes(text: string, edits: readonly TextEdit[]): string;
  /** The project root of a path (where the cache lives for the cwd). */
  projectRoot(path: string): string;
}

/** The module shape an engine URL must point to. */
export interface EngineModule {
  createEngine(): Promise<Engine>;
}

export async function loadEngine(moduleUrl: string): Promise<Engine> {
  const module = (await import(moduleUrl)) as EngineModule;
  return module.createEngine();
}
