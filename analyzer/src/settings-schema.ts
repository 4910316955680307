// The JSON Schema of Settings (and of `.landlock-lint.json`). `schema/settings.schema.json`
// is the published copy of this object; a unit test keeps the two identical.

import { RULE_NAMES } from "./findings.js";

const ruleNamePattern = `^(landlock/)?(${RULE_NAMES.join("|")})$`;

export const SETTINGS_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://github.com/landlock-lint/landlock-lint/blob/main/analyzer/schema/settings.schema.json",
  title: "landlock-lint settings",
  description:
    "Settings of landlock-lint: `.landlock-lint.json`, CLI flags, ESLint `settings.landlock`, LSP `landlock` section.",
  type: "object",
  additionalProperties: false,
  properties: {
    $schema: { type: "string", description: "URL of this schema, for editors." },
    targetAbi: {
      type: "integer",
      minimum: 1,
      maximum: 11,
      description: "Lowest Landlock ABI the code must run on (default 6).",
    },
    errata: {
      type: "array",
      items: { type: "integer", minimum: 1, maximum: 3 },
      uniqueItems: true,
      description: "Errata assumed fixed on every target kernel (1 TCP family check, 2 same-process signals, 3 disconnected directories). Default none.",
    },
    threadSpawners: {
      type: "array",
      items: { type: "string", minLength: 1 },
      description: "Extra functions that start threads, as they are called (e.g. \"spawn_workers\", \"ThreadPool::new\").",
    },
    restrictWrappers: {
      type: "array",
      items: { type: "string", minLength: 1 },
      description: "Extra functions that call landlock_restrict_self on the calling thread, as they are called.",
    },
    assumeMultithreaded: {
      type: "boolean",
      description: "Treat every restriction as happening in a multithreaded process (default false).",
    },
    rules: {
      type: "object",
      description: "Level of each rule, overriding the recommended preset. Keys: rule names, with or without `landlock/`.",
      propertyNames: { pattern: ruleNamePattern },
      additionalProperties: { enum: ["off", "warn", "error"] },
    },
  },
} as const;
