// Builds the VS Code extension package: esbuild bundles the extension (CommonJS, `vscode`
// external) and the language server (ESM: the analyzer initialises tree-sitter with
// top-level await) into client/out/, the tree-sitter .wasm files are copied next to the
// server bundle (the bundle's banner points the analyzer at them), then `vsce package --no-dependencies` writes client/landlock-lint-vscode-<version>.vsix.
// Needs the workspaces built first (`npm run build`): the server is bundled from its dist/.
//
// Usage: node client/scripts/package-vsix.mjs [--out FILE]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleExtension, bundleServer } from "./bundle.mjs";

const clientDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(clientDir, "..");
const outDir = join(clientDir, "out");
const require = createRequire(join(root, "package.json"));
const manifest = JSON.parse(readFileSync(join(clientDir, "package.json"), "utf8"));
const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
const vsixPath = outIndex >= 0 && args[outIndex + 1] ? resolve(args[outIndex + 1]) : join(clientDir, `${manifest.name}-${manifest.version}.vsix`);

function fail(message) {
  console.error(`package-vsix: ${message}`);
  process.exit(1);
}

const serverEntry = join(root, "server", "dist", "src", "main.js");
if (!existsSync(serverEntry) || readFileSync(serverEntry, "utf8").includes("is not built yet")) fail(`${relative(root, serverEntry)} is not built: run npm run build first`);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

await bundleExtension(outDir);
await bundleServer(outDir, serverEntry);

const vsce = join(dirname(require.resolve("@vscode/vsce/package.json")), "vsce");
const r = spawnSync(process.execPath, [vsce, "package", "--no-dependencies", "--skip-license", "--out", vsixPath], { cwd: clientDir, stdio: "inherit" });
if (r.status !== 0) fail(`vsce package failed with status ${r.status}`);
const size = statSync(vsixPath).size;
console.log(`package-vsix: ${relative(process.cwd(), vsixPath)} (${(size / 1024 / 1024).toFixed(2)} MB)`);
