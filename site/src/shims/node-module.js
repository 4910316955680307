// Browser stand-in for `node:module`. The analyzer finds its wasm grammars with
// `createRequire(...).resolve("<pkg>/package.json")` and loads typescript-estree with a
// synchronous `require`; here `resolve` answers URLs under the site's wasm folder and
// `require` answers modules the page registered beforehand (the JS/TS parser is a
// separate, lazily loaded bundle).
// Shared through globalThis because the parser bundle is a separate script.
const registered = (globalThis.__landlockModules ??= new Map());

/** Makes `require(name)` answer `exports` (called by the lazily loaded parser bundle). */
export function registerModule(name, exports) {
  registered.set(name, exports);
}

function wasmBase() {
  // The grammars are copied next to the bundle, under wasm/.
  return globalThis.LANDLOCK_WASM_BASE ?? new URL("wasm/", import.meta.url).href;
}

export function createRequire() {
  const require = (name) => {
    if (registered.has(name)) return registered.get(name);
    throw new Error(`module "${name}" is not loaded in the browser yet`);
  };
  require.resolve = (name) => {
    // "tree-sitter-c/package.json" -> "<base>/tree-sitter-c/package.json"; the loader
    // then takes its dirname and appends the grammar's wasm name.
    return `${wasmBase()}${name}`;
  };
  return require;
}

export default { createRequire };
