// Makes `npx landlock-sim` work from the repository root after `npm run build`.
// npm links a workspace's bin only if the file exists at install time, and a fresh clone
// has no dist/ yet; tsc also writes files without the executable bit. So: give the bin
// file a placeholder with mode 0755 (tsc keeps the mode when it overwrites the file) and
// add the node_modules/.bin link npm would have made.
import { chmodSync, existsSync, lstatSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const simulator = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(simulator, "dist/src/cli/main.js");
if (!existsSync(bin)) {
  mkdirSync(dirname(bin), { recursive: true });
  writeFileSync(bin, '#!/usr/bin/env node\nconsole.error("landlock-sim is not built yet: run npm run build");\nprocess.exit(2);\n');
}
chmodSync(bin, 0o755);

const binDir = join(simulator, "..", "node_modules", ".bin");
const link = join(binDir, "landlock-sim");
const linked = (() => {
  try {
    lstatSync(link);
    return true;
  } catch {
    return false;
  }
})();
if (existsSync(join(simulator, "..", "node_modules")) && !linked) {
  mkdirSync(binDir, { recursive: true });
  symlinkSync(relative(binDir, bin), link);
}
