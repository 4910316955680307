// `--format sarif`: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps, IDE
// viewers), with the simulated per-thread lanes as thread flows (see ../sarif-log.ts).

import { buildSarifLog } from "../sarif-log.js";
import type { Formatter } from "./formatter.js";

export const formatter: Formatter = {
  name: "sarif",
  description: "SARIF 2.1.0 for code scanning, with the simulated threads as thread flows",
  format(run, context) {
    const log = buildSarifLog({
      cwd: run.cwd,
      toolVersion: context.toolVersion,
      findings: run.files.flatMap((file) => file.findings),
      errors: run.errors,
      parseErrors: run.files.map((file) => ({ path: file.path, regions: file.parseErrors })),
      absolutePaths: context.sarifAbsolutePaths === true,
    });
    return JSON.stringify(log, null, 2) + "\n";
  },
};
