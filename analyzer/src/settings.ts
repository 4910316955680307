// One settings shape for every surface: `.landlock-lint.json`, CLI flags, ESLint
// `settings.landlock`, LSP `workspace/configuration` section `landlock`.
// `schema/settings.schema.json` is its JSON Schema; keep the two in step.

import type { RuleName } from "./findings.js";

export type RuleLevel = "off" | "warn" | "error";

export interface Settings {
  /** Lowest Landlock ABI the code must run on. Default 6. */
  targetAbi: number;
  /** Errata assumed present on every target kernel. Default none. */
  errata: number[];
  /** Extra functions that start threads (names as called, e.g. "spawn_workers", "ThreadPool::new"). */
  threadSpawners: string[];
  /** Extra functions that call restrict_self on the calling thread (names as called). */
  restrictWrappers: string[];
  /** Treat every restriction as happening in a multithreaded process. Default false. */
  assumeMultithreaded: boolean;
  /** Per-rule level overriding the preset. */
  rules: Partial<Record<RuleName, RuleLevel>>;
}

export const DEFAULT_SETTINGS: Settings = {
  targetAbi: 6,
  errata: [],
  threadSpawners: [],
  restrictWrappers: [],
  assumeMultithreaded: false,
  rules: {},
};
