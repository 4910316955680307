// renderJson: the trace as stable, indented JSON (the format other tools read).

import type { Trace } from "../trace.js";

export function renderJson(trace: Trace): string {
  return JSON.stringify(trace, null, 2) + "\n";
}
