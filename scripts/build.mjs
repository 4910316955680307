// Builds every workspace: code generation steps that must precede the compiler, then `tsc -b`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run(process.execPath, [join(root, "scripts", "link-bins.mjs")]);

// Each workspace may have scripts/prebuild*.mjs (e.g. generating a standalone schema validator).
for (const ws of ["simulator", "analyzer", "rules", "server", "client"]) {
  const dir = join(root, ws, "scripts");
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir).filter((f) => /^prebuild.*\.mjs$/.test(f)).sort()) run(process.execPath, [join(dir, f)]);
}
run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b", "tsconfig.json"]);
