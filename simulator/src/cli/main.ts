#!/usr/bin/env node
// landlock-sim: run Landlock scenarios on the kernel model (list, run) and explore the
// TSYNC protocol's interleavings (explore). Exit codes: 0 done, 1 an expectation or
// invariant failed, 2 bad input or usage.

import { runCommand } from "./run.js";
import { listCommand } from "./list.js";
import { exploreCommand } from "./explore.js";

const USAGE = `landlock-sim: simulate Linux Landlock and its multithreaded enforcement

Usage:
  landlock-sim list                      built-in scenarios
  landlock-sim run <name|file.json> ...  run a scenario and show the timeline
  landlock-sim explore ...               check the TSYNC protocol under every interleaving

Run "landlock-sim <command> --help" for the options of a command.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case "-h":
    case "--help":
    case "help":
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    case "list":
      return listCommand(rest);
    case "run":
      return runCommand(rest);
    case "explore":
      return exploreCommand(rest);
    default:
      process.stderr.write(`landlock-sim: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`landlock-sim: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
