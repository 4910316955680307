// Public API of @landlock-lint/analyzer.
export type * from "./ir.js";
export * from "./findings.js";
export * from "./settings.js";
export type * from "./frontends/frontend.js";
export { FRONT_ENDS, frontEndFor, sourceExtensions } from "./frontends/registry.js";
export { RULE_META, DOCS_BASE_URL, ruleDocsUrl, parseRuleName, type RuleMeta } from "./rule-meta.js";
export {
  resolveSettings,
  validateSettings,
  mergeSettings,
  loadConfigFor,
  findConfigFile,
  readConfigFile,
  ConfigError,
  CONFIG_FILE_NAME,
  type LoadedConfig,
  type SettingsProblem,
} from "./config.js";
export { SETTINGS_SCHEMA } from "./settings-schema.js";
export { parseDirectives, applySuppressions, suppressionComment, suppressionEdit, type SuppressionDirective } from "./suppressions.js";
export { applyFixes, applyFixesDetailed, type AppliedFixes } from "./apply-fixes.js";
export { analyzeText, buildIr, DEFAULT_BUDGET_MS, type AnalyzeOptions } from "./analyze.js";
export { runChecks, type CheckOptions, type CheckResult } from "./checks/index.js";
export { LineIndex } from "./text/positions.js";
export { Project, type ProjectOptions } from "./project.js";
export { findProjectRoot, PROJECT_MARKERS } from "./project-root.js";
export { readProjectFacts, readCompileDefines } from "./project-facts.js";
export { explainFinding, type ExplainOptions, type Explanation } from "./explain.js";
