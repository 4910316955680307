#!/usr/bin/env node
// The `landlock-lint` command.

import { runCli } from "./run.js";

// A reader that stops early (`landlock-lint | head`) closes the pipe: end quietly with the
// run's exit code instead of a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
