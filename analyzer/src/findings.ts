// What the analysis reports. The CLI, the ESLint rules, the language server, SARIF and
// the playground all render exactly these objects, which is how they agree.

import type { Scenario } from "@landlock-lint/simulator";
import type { Range } from "./ir.js";

export const RULE_NAMES = [
  "single-thread-restrict",
  "thread-routine-restrict",
  "per-thread-scope-conflict",
  "scope-signal-conflict",
  "scope-abstract-unix-conflict",
  "missing-no-new-privs",
  "unchecked-restrict-result",
  "abi-compat",
  "nesting-limit",
  "unsafe-tsync-fallback",
] as const;

export type RuleName = (typeof RULE_NAMES)[number];
/** Rule ids as users write them: `landlock/<name>`. */
export type RuleId = `landlock/${RuleName}`;
export type Severity = "error" | "warning";

export interface TextEdit {
  file: string;
  range: Range;
  text: string;
}

export interface Fix {
  /** "fix" is applied by --fix (never weakens the sandbox); "suggestion" only when a person picks it. */
  kind: "fix" | "suggestion";
  description: string;
  edits: TextEdit[];
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

export interface Finding {
  ruleId: RuleId;
  severity: Severity;
  file: string;
  range: Range;
  message: string;
  related: RelatedLocation[];
  fixes: Fix[];
  /** The simulator scenario that reproduces the consequence; explained lazily on request. */
  scenario?: Scenario;
  /** Stable identity across unrelated edits (rule, function, normalised call text, occurrence). */
  fingerprint: string;
}

export interface FileReport {
  file: string;
  language: string;
  findings: Finding[];
  /** Number of ERROR/MISSING regions the parser left (analysis covered the rest). */
  parseErrors: number;
  /** Problems that kept part of the analysis from running (front-end failure, budget exceeded). */
  errors?: AnalysisError[];
  /** Suppression directives in the file: which silenced a finding, which silenced nothing, which are malformed. */
  suppressions?: SuppressionReport;
  /** Every file (absolute path) whose content the analysis read to produce this report, this file included. */
  dependencies?: string[];
}

export interface SuppressionReport {
  used: DirectiveInfo[];
  unused: DirectiveInfo[];
  problems: { message: string; range: Range }[];
  /** Findings a directive silenced (not in `findings`). */
  suppressed: Finding[];
}

export interface DirectiveInfo {
  kind: "disable-next-line" | "disable-line" | "disable" | "enable";
  family: "landlock-lint" | "eslint";
  rules: RuleName[] | "all";
  reason?: string;
  range: Range;
}

export interface AnalysisError {
  file: string;
  message: string;
}
