// Browser stand-in for Node's global `process`, which typescript and typescript-estree
// read for the platform, environment variables and the working directory.
export const process = {
  env: {},
  argv: [],
  platform: "browser",
  version: "",
  versions: {},
  cwd: () => "/",
  nextTick: (fn, ...args) => queueMicrotask(() => fn(...args)),
  emitWarning: () => {},
};
