// Public API of @landlock-lint/simulator.
export type * from "./scenario.js";
export type * from "./trace.js";
export { runScenario, DEFAULT_ABI, type RunOptions } from "./runner.js";
export { explainTrace } from "./explain.js";
export { BUILTIN_SCENARIOS } from "./builtins/index.js";
export { validateScenario, type ValidationError, type ValidationResult } from "./validate.js";
export { renderText, type TextOptions } from "./render/text.js";
export { renderJson } from "./render/json.js";
export { renderHtml } from "./render/html.js";
export * from "./explorer/index.js";
export * from "./kernel/index.js";
