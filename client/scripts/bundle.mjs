// esbuild bundles of the extension and of the language server, with the tree-sitter
// .wasm files next to the server bundle (used by package-vsix.mjs and the benchmark).
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const clientDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(clientDir, "..");
const require = createRequire(join(root, "package.json"));

// The workspaces load some CommonJS packages through a local createRequire (lazily, or
// from generated code); esbuild only bundles calls of the module-level `require`, so
// the local one is dropped and those calls bundle (and stay lazy: esbuild wraps CommonJS
// modules in initialisers that run on first require).
const LOCAL_REQUIRE = "const require = createRequire(import.meta.url);";
const bundledRequires = {
  name: "bundle-local-requires",
  setup(b) {
    b.onLoad({ filter: /[\\/](analyzer|simulator)[\\/]dist[\\/]src[\\/].*\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes(LOCAL_REQUIRE) || source.includes("require.resolve(")) return undefined;
      return { contents: source.replace(LOCAL_REQUIRE, ""), loader: "js", resolveDir: dirname(args.path) };
    });
  },
};

/** The extension (CommonJS, `vscode` left to the editor) as `<outDir>/extension.js`. */
export async function bundleExtension(outDir) {
  await build({
    entryPoints: [join(clientDir, "src", "extension.ts")],
    outfile: join(outDir, "extension.js"),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node18",
    external: ["vscode"],
    minify: true,
    sourcemap: false,
    logLevel: "warning",
  });
}

/** The server (built `entry`, default server/dist/src/main.js) as `<outDir>/<name>`, with the grammars beside it. */
export async function bundleServer(outDir, entry = join(root, "server", "dist", "src", "main.js"), name = "server.mjs", minify = true) {
  await build({
    entryPoints: [entry],
    outfile: join(outDir, name),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node18",
    minify,
    sourcemap: false,
    // CommonJS dependencies (vscode-languageserver, ajv, TypeScript) call require() and
    // read __filename/__dirname, which ES modules lack.
    banner: {
      js: [
        `import { createRequire as __llCreateRequire } from "node:module";`,
        `import { fileURLToPath as __llFileURLToPath } from "node:url";`,
        `import { dirname as __llDirname } from "node:path";`,
        `const require = __llCreateRequire(import.meta.url);`,
        `const __filename = __llFileURLToPath(import.meta.url);`,
        `const __dirname = __llDirname(__filename);`,
        // The analyzer finds each grammar through its npm package; inside the extension there
        // are no packages: the grammars lie next to the bundle.
        `globalThis.LANDLOCK_LINT_GRAMMAR_DIR ??= __dirname;`,
      ].join(" "),
    },
    plugins: [bundledRequires],
    logLevel: "warning",
  });
  const wasm = [
    join(dirname(require.resolve("web-tree-sitter")), "web-tree-sitter.wasm"),
    ...["tree-sitter-c", "tree-sitter-cpp", "tree-sitter-go", "tree-sitter-rust"].map((pkg) => join(dirname(require.resolve(`${pkg}/package.json`)), `${pkg}.wasm`)),
  ];
  for (const file of wasm) {
    if (!existsSync(file)) throw new Error(`missing ${file}`);
    copyFileSync(file, join(outDir, file.split(/[\\/]/).pop()));
  }
}
