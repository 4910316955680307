// landlock-sim list: the built-in scenarios with their ABI and the first sentence of their story.

import { parseArgs } from "node:util";
import { BUILTIN_SCENARIOS } from "../builtins/index.js";
import { DEFAULT_ABI } from "../runner.js";
import { usageError } from "./args.js";

export const LIST_USAGE = `Usage: landlock-sim list [--json]

Lists the built-in scenarios: name, Landlock ABI, and what each one shows.
  --json   print the scenarios themselves as JSON (a starting point for your own)
`;

export function listCommand(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } }, strict: true }));
  } catch (err) {
    return usageError(err, LIST_USAGE);
  }
  if (values.help) {
    process.stdout.write(LIST_USAGE);
    return 0;
  }
  if (values.json) {
    process.stdout.write(JSON.stringify(Object.values(BUILTIN_SCENARIOS), null, 2) + "\n");
    return 0;
  }
  const names = Object.keys(BUILTIN_SCENARIOS);
  const width = Math.max(...names.map((n) => n.length));
  for (const [name, s] of Object.entries(BUILTIN_SCENARIOS)) {
    const first = (s.description ?? "").split(/(?<=\.)\s/)[0] ?? "";
    process.stdout.write(`${name.padEnd(width)}  ABI ${String(s.abi ?? DEFAULT_ABI).padStart(2)}  ${first}\n`);
  }
  return 0;
}
