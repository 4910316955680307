// `--format json`: the published shape (schema/output.schema.json), for programs.

import { toJsonOutput } from "../result.js";
import type { Formatter } from "./formatter.js";

export const formatter: Formatter = {
  name: "json",
  description: "findings, files and errors as JSON (schema/output.schema.json)",
  format: (run) => JSON.stringify(toJsonOutput(run), null, 2) + "\n",
};
