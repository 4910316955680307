// Runs a command as a child process under /usr/bin/time and returns its wall time, CPU
// time (user + system, children included) and peak resident memory. Every benchmark figure
// is a child process: start-up is counted the same way for the linter and its anchors.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const scratch = mkdtempSync(join(tmpdir(), "landlock-bench-time-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

/** { wallMs, cpuMs, maxRssKb, status, stdout, stderr }; throws when the command died of a signal. */
export function measure(command, args, { cwd, timeoutMs = 600_000, okStatus = [0] } = {}) {
  const out = join(scratch, `t${counter++}`);
  const r = spawnSync("/usr/bin/time", ["-f", "%e %U %S %M", "-o", out, command, ...args], { cwd, encoding: "utf8", timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`${command} ${args.join(" ")}: ${r.error.message}`);
  const [wall, user, sys, rss] = readFileSync(out, "utf8").trim().split("\n").pop().split(/\s+/).map(Number);
  if (!okStatus.includes(r.status)) throw new Error(`${[command, ...args].join(" ").slice(0, 300)} exited with ${r.status ?? r.signal}: ${r.stderr.slice(0, 2000)}`);
  return { wallMs: wall * 1000, cpuMs: (user + sys) * 1000, maxRssKb: rss, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** min, median and max of numbers. */
export function spread(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { min: s[0], median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, max: s[s.length - 1], n: s.length };
}
