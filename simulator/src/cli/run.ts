// landlock-sim run: one scenario through the kernel model, rendered as text, JSON or HTML.

import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runScenario } from "../runner.js";
import { renderText } from "../render/text.js";
import { renderJson } from "../render/json.js";
import { renderHtml } from "../render/html.js";
import type { Trace } from "../trace.js";
import { parseAbi, parseErrata, parseWidth, usageError, UsageError } from "./args.js";
import { loadScenario } from "./load-scenario.js";

export const RUN_USAGE = `Usage: landlock-sim run <builtin-name | scenario.json> [options]

Runs a scenario on the Landlock kernel model and shows what each thread did, which
domain it ended in, and what was denied.

Options:
  --abi N              Landlock ABI of the simulated kernel (1-11); overrides the scenario's
  --errata LIST        errata the kernel has, e.g. 1,2,3 or none; overrides the scenario's
  --format FMT         text (default), json or html
  --out FILE           write the output to FILE instead of standard output
  --width N            text width in columns (default: the terminal's, else 100)
  --brief              text: hide protocol-internal events (TSYNC, libpsx, setxid steps)
  -h, --help           this help

Exit status: 0 the run completed, 1 a step's "expect" did not hold, 2 bad input or usage.
`;

const FORMATS = ["text", "json", "html"] as const;

export function runCommand(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        abi: { type: "string" },
        errata: { type: "string" },
        format: { type: "string", default: "text" },
        out: { type: "string" },
        width: { type: "string" },
        brief: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    return usageError(err, RUN_USAGE);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(RUN_USAGE);
    return 0;
  }
  if (positionals.length !== 1) return usageError(new Error(positionals.length ? "run takes one scenario" : "which scenario? give a built-in name or a JSON file"), RUN_USAGE);
  const format = values.format as (typeof FORMATS)[number];
  let options;
  let width: number | undefined;
  try {
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, not "${values.format}"`);
    options = {
      ...(values.abi !== undefined ? { abi: parseAbi(values.abi) } : {}),
      ...(values.errata !== undefined ? { errata: parseErrata(values.errata) } : {}),
    };
    width = values.width !== undefined ? parseWidth(values.width) : undefined;
  } catch (err) {
    if (err instanceof UsageError) return usageError(err, RUN_USAGE);
    throw err;
  }
  const loaded = loadScenario(positionals[0]!);
  if (!loaded.ok) {
    for (const m of loaded.messages) process.stderr.write(`landlock-sim: ${m}\n`);
    return 2;
  }
  const trace = runScenario(loaded.scenario, options);
  const output = render(trace, format, {
    width: width ?? (values.out === undefined && process.stdout.isTTY ? process.stdout.columns : 100),
    internal: !values.brief,
  });
  if (values.out !== undefined) {
    try {
      writeFileSync(values.out, output);
    } catch (err) {
      process.stderr.write(`landlock-sim: cannot write ${values.out}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
  } else process.stdout.write(output);
  const failed = trace.failedExpectations ?? [];
  for (const f of failed) process.stderr.write(`landlock-sim: step ${f.step + 1} (${f.op} in ${f.thread}): expected ${f.expected}, got ${f.actual}\n`);
  return failed.length ? 1 : 0;
}

function render(trace: Trace, format: (typeof FORMATS)[number], opts: { width: number; internal: boolean }): string {
  if (format === "json") return renderJson(trace);
  if (format === "html") return renderHtml(trace);
  return renderText(trace, opts);
}
