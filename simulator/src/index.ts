// Public API of @landlock-lint/simulator.
export type * from "./scenario.js";
export type * from "./trace.js";
