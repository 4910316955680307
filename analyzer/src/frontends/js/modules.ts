// What an import specifier names (a module this front-end understands, a native addon, a
// module of the project, or some other package), which runtime a file targets (Node, Deno,
// Bun: each has threads of its own before user code runs), and the IR name of a module's
// top level, which is how a `new Worker(file)` elsewhere names the code the worker runs.

import type { VarFact } from "./facts.js";

const FFI_NAPI = /^(?:@[\w.-]+\/)?(?:ffi-napi|ffi|node-ffi|ffi-cross)$/;

/** What `require(spec)` / `import ... from spec` gives, or undefined for a package we know nothing of. */
export function moduleFact(spec: string): VarFact | undefined {
  const s = spec.replace(/^node:/, "");
  if (s === "koffi") return { kind: "mod", module: "koffi", path: [] };
  if (FFI_NAPI.test(s)) return { kind: "mod", module: "ffi-napi", path: [] };
  if (s === "ffi-rs") return { kind: "mod", module: "ffi-rs", path: [] };
  if (s === "bun:ffi") return { kind: "mod", module: "bun:ffi", path: [] };
  if (/^(?:worker_threads|child_process|cluster|net|http|https|module|process|path|url)$/.test(s)) return { kind: "mod", module: s, path: [] };
  // Worker-thread pools: each runs a module on threads of this process.
  if (s === "piscina" || s === "tinypool" || s === "workerpool") return { kind: "mod", module: "thread-pool", path: [] };
  if (s === "bindings" || s === "node-gyp-build" || s === "node-gyp-build-optional-packages") return { kind: "mod", module: "bindings", path: [] };
  if (/\.node$/.test(s)) return { kind: "addon", name: baseName(s) };
  if (/^\.{0,2}\//.test(s)) return { kind: "js-module", spec: s, path: [] };
  // A package for Landlock itself (a binding published on npm): its functions are the API.
  if (/landlock/i.test(s)) return { kind: "addon", name: s };
  return undefined;
}

/** The runtime a file is written for, and what it runs before user code. */
export interface RuntimeInfo {
  mechanism: string;
  note: string;
}

export const NODE_RUNTIME: RuntimeInfo = {
  mechanism: "node",
  note: "libuv's thread pool (4 threads by default) and V8 platform threads exist before any user code; fs and crypto work runs on them",
};

const DENO_RUNTIME: RuntimeInfo = {
  mechanism: "deno",
  note: "Deno's tokio runtime threads and V8 platform threads exist before any user code; async ops and nonblocking FFI calls run on them",
};

const BUN_RUNTIME: RuntimeInfo = {
  mechanism: "bun",
  note: "Bun's JavaScriptCore helper threads and its I/O thread pool exist before any user code",
};

export function runtimeOf(text: string): RuntimeInfo {
  const head = text.length > 2_000_000 ? text.slice(0, 2_000_000) : text;
  if (/\bDeno\s*\.\s*\w/.test(head) || /from\s+["'](?:jsr:|npm:|https:\/\/deno\.land)/.test(head)) return DENO_RUNTIME;
  if (/["']bun:\w+["']|\bBun\s*\.\s*\w/.test(head)) return BUN_RUNTIME;
  return NODE_RUNTIME;
}

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? path;
}

/** The file name without folder and without its last extension (`src/worker.mts` -> `worker`). */
export function stem(path: string): string {
  const base = baseName(path.replace(/[?#].*$/, ""));
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * The IR name of a module's top level. A Worker started with `./workers/scan.js` runs the
 * module named `<module:scan>`; the extension is dropped because TypeScript sources name
 * the compiled `.js` file, and the folder because the project resolves a name to the
 * definition nearest to the caller.
 */
export function moduleFunctionName(file: string): string {
  return `<module:${stem(file)}>`;
}
