// Public API of @landlock-lint/analyzer.
export type * from "./ir.js";
export * from "./findings.js";
export * from "./settings.js";
export type * from "./frontends/frontend.js";
