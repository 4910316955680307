// The two ways this code base counts columns meet here. The IR counts them from 0 (UTF-16
// code units); a scenario step's `source` counts them from 1, as editors and the simulator's
// renderers show them. Every conversion between the two goes through this pair, so a step
// placed at a call and a finding at that call land on the same column everywhere they are
// shown (SARIF thread flows and results, hovers, timelines).

import type { SourceLocation } from "@landlock-lint/simulator";
import type { Location, Range } from "../ir.js";

/** A step's `source` for the start of `range` in `file`. */
export function sourceLocationOf(file: string, range: Range): SourceLocation {
  return { file, line: range.start.line, column: range.start.column + 1 };
}

/**
 * The place a step's `source` names, as an (empty) IR range at that point. The offset is not
 * recorded in a `source`, so it is 0: consumers of these places use line and column only.
 */
export function locationOfSource(source: SourceLocation): Location {
  const start = { line: Math.max(1, source.line), column: Math.max(0, source.column - 1), offset: 0 };
  return { file: source.file, range: { start, end: start } };
}
