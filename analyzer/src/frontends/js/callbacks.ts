// When a function handed to a call runs: many times (event handlers, intervals, array
// iteration, request routes), at most once later (promise reactions, timers), or right
// away exactly once (a Promise executor). Unknown callees: maybe once.

export type CallbackRun = "repeated" | "maybe-once" | "now";

const REPEATED_MEMBERS = new Set([
  "on", "addListener", "prependListener", "addEventListener", "setInterval", "forEach", "map", "flatMap", "filter", "some", "every",
  "reduce", "reduceRight", "find", "findIndex", "findLast", "findLastIndex", "sort", "replace", "replaceAll", "subscribe", "handle",
  "createServer", "serve", "watch", "use",
]);

/** Web framework routes (`app.get("/path", handler)`): the handler runs per request. */
const ROUTE_MEMBERS = new Set(["get", "post", "put", "patch", "delete", "all", "route", "head", "options"]);

const ONCE_MEMBERS = new Set(["once", "then", "catch", "finally", "setTimeout", "setImmediate", "nextTick", "queueMicrotask", "requestIdleCallback", "listen"]);

/** How a callback given to `callee` (its last name segment is `member`) runs; `routeArgument` is a first argument like `"/api"`. */
export function callbackRun(member: string, isNewPromise: boolean, routeArgument = false): CallbackRun {
  if (isNewPromise) return "now";
  if (REPEATED_MEMBERS.has(member)) return "repeated";
  if (ROUTE_MEMBERS.has(member) && routeArgument) return "repeated";
  if (ONCE_MEMBERS.has(member)) return "maybe-once";
  return "maybe-once";
}

/** Globals and namespaces whose methods never reach the project's code, threads or Landlock. */
export const INERT_GLOBALS = new Set([
  "console", "Math", "JSON", "Object", "Array", "String", "Number", "Boolean", "Symbol", "Reflect", "Date", "RegExp", "Error", "TypeError",
  "RangeError", "Buffer", "Map", "Set", "WeakMap", "WeakSet", "Intl", "Atomics", "SharedArrayBuffer", "ArrayBuffer", "DataView", "TextEncoder",
  "TextDecoder", "URLSearchParams", "AbortController", "structuredClone", "encodeURIComponent", "decodeURIComponent", "isNaN",
  "isFinite", "parseFloat", "clearTimeout", "clearInterval", "clearImmediate", "atob", "btoa", "fetch", "performance", "crypto",
]);

/** Node modules (by the name a program usually binds them to) that are inert for the analysis. */
export const INERT_MODULE_NAMES = new Set([
  "fs", "fsp", "path", "os", "util", "crypto", "assert", "events", "stream", "zlib", "readline", "dns", "tls", "url", "querystring",
  "buffer", "v8", "vm", "perf_hooks", "timers", "string_decoder",
]);
