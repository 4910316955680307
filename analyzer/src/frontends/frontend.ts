// The contract between a language front-end and the rest of the analyzer. A front-end
// turns source text into the sandbox IR and nothing else: no checks, no findings.

import type { IrFile, Language, ProjectFacts } from "../ir.js";
import type { Settings } from "../settings.js";
import type { FrontEndCache } from "./parse-cache.js";

export interface FrontEndOptions {
  settings: Settings;
  facts: ProjectFacts;
  /** Preprocessor defines from compile_commands.json (`-DNAME=VALUE`), C/C++ only. */
  defines?: Record<string, string>;
  /**
   * Kept between builds by a long-lived caller (the language server): the file's last
   * tree for an incremental reparse, and per-function results a front-end can reuse.
   * Without it a build holds nothing afterwards.
   */
  cache?: FrontEndCache;
  /** Wall-clock ms the walk from syntax tree to IR may take (default FRONT_END_BUDGET_MS); past it the rest of the file is reported as not analysed. */
  walkBudgetMs?: number;
}

export interface FrontEnd {
  languages: Language[];
  /** File extensions (with dot, lower case) this front-end reads. */
  extensions: string[];
  /** Picks the language of a file by extension (e.g. `.h` -> c, `.hpp` -> cpp). */
  languageOf(file: string): Language;
  /**
   * Builds the IR. Must never throw on any input: parse problems go into
   * `IrFile.parseProblems` and the rest of the file is still analysed.
   */
  toIr(text: string, file: string, language: Language, options: FrontEndOptions): IrFile;
}
