// Makes `npx landlock-sim`, `npx landlock-lint` and `npx landlock-language-server` work
// from the repository root. npm links a workspace's bin only if the file exists at
// install time, and a fresh clone has no dist/ yet; tsc also writes files without the
// executable bit. So before tsc: give each bin file a placeholder with mode 0755 (tsc
// keeps the mode when it overwrites the file) and add the node_modules/.bin link npm
// would have made.
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const binDir = join(root, "node_modules", ".bin");
const isLinked = (p) => {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

for (const ws of JSON.parse(readFileSync(join(root, "package.json"), "utf8")).workspaces) {
  const manifest = JSON.parse(readFileSync(join(root, ws, "package.json"), "utf8"));
  for (const [name, target] of Object.entries(manifest.bin ?? {})) {
    const bin = join(root, ws, target);
    if (!existsSync(bin)) {
      mkdirSync(dirname(bin), { recursive: true });
      writeFileSync(bin, `#!/usr/bin/env node\nconsole.error("${name} is not built yet: run npm run build");\nprocess.exit(2);\n`);
    }
    chmodSync(bin, 0o755);
    const link = join(binDir, name);
    if (existsSync(join(root, "node_modules")) && !isLinked(link)) {
      mkdirSync(binDir, { recursive: true });
      symlinkSync(relative(binDir, bin), link);
    }
  }
}
