// eslint-plugin-landlock: languages for C, C++, Go and Rust, the ten rules (which also run
// on JS/TS through typescript-eslint's parser) and the `recommended` and `strict` presets.
//
//   import landlock from "eslint-plugin-landlock";
//   export default [...landlock.configs.recommended];

import { readFileSync } from "node:fs";
import type { Plugin } from "@eslint/core";
import { languages } from "./languages/index.js";
import { rules } from "./rules/index.js";
import { createConfigs, type PresetBlock } from "./configs.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name: string; version: string };

export interface LandlockPlugin extends Omit<Plugin, "meta" | "languages" | "rules" | "configs"> {
  meta: { name: string; version: string; namespace: string };
  languages: typeof languages;
  rules: typeof rules;
  configs: { recommended: PresetBlock[]; strict: PresetBlock[] };
}

const plugin: LandlockPlugin = {
  meta: { name: pkg.name, version: pkg.version, namespace: "landlock" },
  languages,
  rules,
  configs: { recommended: [], strict: [] },
};
// ESLint's Plugin type knows rules as @eslint/core RuleDefinitions; ours are typed by
// typescript-eslint's RuleCreator, the same runtime shape.
Object.assign(plugin.configs, createConfigs(plugin as unknown as Plugin));

export default plugin;
export { languages, rules };
export { RECOMMENDED_SEVERITY } from "./severities.js";
export { FILES } from "./configs.js";
export { clearProjects } from "./analysis/file-findings.js";
export { LandlockSettingsError } from "./analysis/settings.js";
export type { SyntaxNode, CommentNode, TreeSitterLanguage } from "./languages/index.js";
export { TreeSitterSourceCode } from "./languages/index.js";
