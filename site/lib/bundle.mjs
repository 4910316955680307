// esbuild bundles of the playground (analyzer + simulator + editor) and of the lazily
// loaded JS/TS parser, plus the wasm files they load at run time, copied next to them.
import * as esbuild from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const siteDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const shims = join(siteDir, "src", "shims");
const require = createRequire(import.meta.url);
export const GRAMMARS = ["tree-sitter-c", "tree-sitter-cpp", "tree-sitter-go", "tree-sitter-rust"];

/** Node built-ins the analyzer and simulator import are answered by browser stand-ins. */
const nodeShims = {
  name: "node-shims",
  setup(build) {
    build.onResolve({ filter: /^(node:)?module$/ }, () => ({ path: join(shims, "node-module.js") }));
    build.onResolve({ filter: /^(node:)?path$/ }, () => ({ path: join(shims, "node-path.js") }));
    build.onResolve({ filter: /^(node:)?(fs|fs\/promises|crypto|child_process|os|url|util|perf_hooks|worker_threads)$/ }, () => ({
      path: join(shims, "node-unavailable.js"),
    }));
  },
};

/** Builds both bundles into `outDir/assets`; returns the size of each output file in bytes. */
export async function bundle(outDir, { minify = true } = {}) {
  const assets = join(outDir, "assets");
  mkdirSync(join(assets, "wasm"), { recursive: true });
  const result = await esbuild.build({
    entryPoints: {
      playground: join(siteDir, "src", "playground", "main.js"),
      estree: join(siteDir, "src", "estree-entry.js"),
    },
    outdir: assets,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify,
    sourcemap: false,
    metafile: true,
    legalComments: "none",
    plugins: [nodeShims],
    inject: [join(shims, "process.js")],
    // typescript's CommonJS code reads these at load time (for its own location).
    define: { __filename: '"/typescript.js"', __dirname: '"/"' },
    logLevel: "error",
  });
  copyFileSync(require.resolve("web-tree-sitter/web-tree-sitter.wasm"), join(assets, "web-tree-sitter.wasm"));
  for (const pkg of GRAMMARS) {
    mkdirSync(join(assets, "wasm", pkg), { recursive: true });
    copyFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), `${pkg}.wasm`), join(assets, "wasm", pkg, `${pkg}.wasm`));
  }
  const sizes = {};
  for (const [file, info] of Object.entries(result.metafile.outputs)) sizes[file] = info.bytes;
  return sizes;
}
