// Runs every compiled test file (`<workspace>/dist/test/**/*.test.js`, plus `site/test/**/*.test.mjs`) with Node's test runner.
// Extra arguments filter test files by substring: `node scripts/run-tests.mjs simulator`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const filters = process.argv.slice(2);
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith(".test.js") || name.endsWith(".test.mjs")) files.push(p);
  }
};
for (const ws of ["simulator", "analyzer", "rules", "server", "client"]) {
  const dir = join(root, ws, "dist", "test");
  if (existsSync(dir)) walk(dir);
}
// Plain-JS tests outside the workspaces (the static site is built by esbuild, not tsc).
if (existsSync(join(root, "site", "test"))) walk(join(root, "site", "test"));
const selected = files.filter((f) => filters.length === 0 || filters.some((s) => relative(root, f).includes(s))).sort();
if (selected.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=2", ...selected], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
