// Suppression directives in comments. Two families: `landlock-lint-*` (ours, with or
// without a rule list) and `eslint-*` naming `landlock/<rule>` (so one comment serves both
// ESLint and the other surfaces). The front-end collects the comments; the comment syntax
// is its business, so directives are found anywhere inside the comment text.

import type { Range } from "./ir.js";
import type { DirectiveInfo, Finding, RuleName, TextEdit } from "./findings.js";
import { LineIndex } from "./text/positions.js";
import { parseRuleName } from "./rule-meta.js";

export type DirectiveKind = "disable-next-line" | "disable-line" | "disable" | "enable";

/** A directive: the rules named ("all" for a bare landlock-lint one), the reason after `--`, the comment's range. */
export type SuppressionDirective = DirectiveInfo;

export interface DirectiveProblem {
  message: string;
  range: Range;
}

const DIRECTIVE = /\b(landlock-lint|eslint)-(disable-next-line|disable-line|disable|enable)\b([^\n]*)/g;

/** Finds the directives in a file's comments. Unknown `landlock-lint` rule names are problems, not silent no-ops. */
export function parseDirectives(comments: { range: Range; text: string }[]): {
  directives: SuppressionDirective[];
  problems: DirectiveProblem[];
} {
  const directives: SuppressionDirective[] = [];
  const problems: DirectiveProblem[] = [];
  for (const comment of comments) {
    for (const m of comment.text.matchAll(DIRECTIVE)) {
      const family = m[1] as "landlock-lint" | "eslint";
      const kind = m[2] as DirectiveKind;
      let rest = m[3]!.replace(/\*\/\s*$/, "");
      let reason: string | undefined;
      const dash = rest.indexOf("--");
      if (dash >= 0) {
        reason = rest.slice(dash + 2).trim() || undefined;
        rest = rest.slice(0, dash);
      }
      const names = rest
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      if (family === "eslint") {
        // Only rules of this plugin concern us; a bare eslint directive is ESLint's own business.
        const ours = names.filter((n) => n.startsWith("landlock/")).map((n) => ({ n, rule: parseRuleName(n) }));
        for (const { n, rule } of ours) if (!rule) problems.push({ message: `unknown rule "${n}" in ${family}-${kind}`, range: comment.range });
        const rules = ours.flatMap((o) => (o.rule ? [o.rule] : []));
        if (rules.length > 0) directives.push({ kind, family, rules, reason, range: comment.range });
        continue;
      }
      if (names.length === 0) {
        directives.push({ kind, family, rules: "all", reason, range: comment.range });
        continue;
      }
      const rules: RuleName[] = [];
      for (const n of names) {
        const rule = parseRuleName(n);
        if (rule) rules.push(rule);
        else problems.push({ message: `unknown rule "${n}" in ${family}-${kind}`, range: comment.range });
      }
      if (rules.length > 0) directives.push({ kind, family, rules, reason, range: comment.range });
    }
  }
  directives.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return { directives, problems };
}

function covers(d: SuppressionDirective, rule: RuleName): boolean {
  return d.rules === "all" || d.rules.includes(rule);
}

export interface SuppressionResult {
  kept: Finding[];
  suppressed: { finding: Finding; directive: SuppressionDirective }[];
  /** Directives that silenced nothing (for --report-unused-suppressions). */
  unused: SuppressionDirective[];
  used: SuppressionDirective[];
}

/** Drops the findings a directive covers and records which directives were used. */
export function applySuppressions(findings: Finding[], directives: SuppressionDirective[]): SuppressionResult {
  const used = new Set<SuppressionDirective>();
  const kept: Finding[] = [];
  const suppressed: SuppressionResult["suppressed"] = [];
  for (const finding of findings) {
    const rule = finding.ruleId.slice("landlock/".length) as RuleName;
    const by = suppressingDirective(finding, rule, directives);
    if (by) {
      used.add(by);
      suppressed.push({ finding, directive: by });
    } else kept.push(finding);
  }
  return {
    kept,
    suppressed,
    used: directives.filter((d) => used.has(d)),
    unused: directives.filter((d) => !used.has(d) && d.kind !== "enable"),
  };
}

function suppressingDirective(finding: Finding, rule: RuleName, directives: SuppressionDirective[]): SuppressionDirective | undefined {
  const line = finding.range.start.line;
  for (const d of directives) {
    if (!covers(d, rule)) continue;
    if (d.kind === "disable-line" && d.range.start.line === line) return d;
    if (d.kind === "disable-next-line" && d.range.end.line + 1 === line) return d;
  }
  // Block directives: the last disable/enable for this rule before the finding decides.
  let active: SuppressionDirective | undefined;
  for (const d of directives) {
    if (d.range.start.offset > finding.range.start.offset) break;
    if (d.kind === "disable" && covers(d, rule)) active = d;
    else if (d.kind === "enable" && covers(d, rule)) active = undefined;
  }
  return active;
}

/** The comment text a quick fix inserts to silence one finding (always the landlock-lint form). */
export function suppressionComment(rule: RuleName, reason: string, lineComment = "//"): string {
  return `${lineComment} landlock-lint-disable-next-line landlock/${rule} -- ${reason}`;
}

/**
 * The edit a "silence this finding" quick fix makes: a directive comment on its own line
 * above the finding, indented like it. Every language we read has `//` line comments.
 */
export function suppressionEdit(finding: Finding, text: string, reason = "reason"): TextEdit {
  const index = new LineIndex(text);
  const line = finding.range.start.line;
  const at = index.lineStart(line);
  const indent = /^[ \t]*/.exec(index.lineText(line))![0];
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const rule = finding.ruleId.slice("landlock/".length) as RuleName;
  return { file: finding.file, range: index.range(at, at), text: `${indent}${suppressionComment(rule, reason)}${eol}` };
}
