// The presets. Each is a flat-config array: one block per language family with its
// `files`, the language (C/C++/Go/Rust) or parser (JS/TS), the plugin and the rules, so
// `export default [...landlock.configs.recommended];` is a whole working config.

import type { ConfigObject, Plugin } from "@eslint/core";
import tsParser from "@typescript-eslint/parser";
import { RULE_NAMES } from "@landlock-lint/analyzer";
import { RECOMMENDED_SEVERITY, type PresetSeverity } from "./severities.js";

export const FILES = {
  c: ["**/*.c", "**/*.h"],
  cpp: ["**/*.cc", "**/*.cpp", "**/*.cxx", "**/*.hh", "**/*.hpp", "**/*.hxx"],
  go: ["**/*.go"],
  rust: ["**/*.rs"],
  js: ["**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}"],
} as const;

export type PresetBlock = ConfigObject & {
  name: string;
  files: string[];
  plugins: Record<string, Plugin>;
  rules: Record<string, PresetSeverity>;
};

export function presetRules(severityOf: (rule: (typeof RULE_NAMES)[number]) => PresetSeverity): Record<string, PresetSeverity> {
  return Object.fromEntries(RULE_NAMES.map((rule) => [`landlock/${rule}`, severityOf(rule)]));
}

/** One preset: the blocks for every language family, with these rule severities. */
export function preset(name: string, plugin: Plugin, rules: Record<string, PresetSeverity>): PresetBlock[] {
  const plugins = { landlock: plugin };
  const block = (family: string, files: readonly string[], extra: Partial<PresetBlock>): PresetBlock => ({
    name: `landlock/${name}/${family}`,
    files: [...files],
    plugins,
    ...extra,
    rules: { ...rules },
  });
  return [
    block("c", FILES.c, { language: "landlock/c" }),
    block("cpp", FILES.cpp, { language: "landlock/cpp" }),
    block("go", FILES.go, { language: "landlock/go" }),
    block("rust", FILES.rust, { language: "landlock/rust" }),
    // typescript-eslint's parser reads JS and TS alike; no type information is needed, so no `project`.
    block("js", FILES.js, { languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } } } }),
  ];
}

export function createConfigs(plugin: Plugin): { recommended: PresetBlock[]; strict: PresetBlock[] } {
  return {
    recommended: preset("recommended", plugin, presetRules((rule) => RECOMMENDED_SEVERITY[rule])),
    strict: preset("strict", plugin, presetRules(() => "error")),
  };
}
