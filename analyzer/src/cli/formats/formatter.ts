// The contract of an output format. Each format is one module in this folder exporting
// `formatter`; the registry finds them, so adding a format is adding a file.

import type { LintRun } from "../result.js";

export interface FormatContext {
  /** Colour is allowed (a terminal, or --color). */
  color: boolean;
  /** Version of landlock-lint, for formats that name the tool. */
  toolVersion: string;
  /** --max-warnings was exceeded (formats may say so). */
  tooManyWarnings: boolean;
  maxWarnings: number;
  /** --sarif-absolute-paths: SARIF gives %SRCROOT% its file: URI. */
  sarifAbsolutePaths?: boolean;
}

export interface Formatter {
  /** The --format value. */
  name: string;
  /** One line for --help and the docs. */
  description: string;
  format(run: LintRun, context: FormatContext): string | Promise<string>;
}
