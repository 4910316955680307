// Directive comments in C, C++, Go and Rust files, for ESLint: the `eslint-*` family read
// exactly as ESLint reads it (label at the start of the comment), and our
// `landlock-lint-*` family read as the analyzer reads it (anywhere in a comment, rule
// names with or without `landlock/`, reason after `--`), translated to ESLint directives
// on `landlock/<rule>` so `--report-unused-disable-directives` and ESLint's bookkeeping
// treat both families alike.

import { ConfigCommentParser, Directive } from "@eslint/plugin-kit";
import type { FileProblem, RulesConfig } from "@eslint/core";
import { parseRuleName, type RuleName } from "@landlock-lint/analyzer";
import type { CommentNode, SourceLocation } from "./ast.js";

export type DirectiveType = "disable" | "enable" | "disable-line" | "disable-next-line";

const commentParser = new ConfigCommentParser();

/** ESLint's own labels, at the start of a comment. */
const ESLINT_LABEL = /^\s*eslint(?:-enable|-disable(?:(?:-next)?-line)?)?(?:\s|$)/u;
/** Our family, anywhere in a comment (the analyzer's convention, so every surface agrees). */
const LANDLOCK_DIRECTIVE = /\blandlock-lint-(disable-next-line|disable-line|disable|enable)\b([^\n]*)/gu;

/**
 * Stands for one rule name inside a `landlock-lint-*` comment that lists several names
 * without the `landlock/` prefix. ESLint removes an unused rule from a list by finding
 * the directive's value in the source text; a translated list is not in the source, so
 * each such name becomes its own directive whose range is the name as written (the
 * location stays the comment's, which is what the line semantics use).
 */
export interface DirectiveRuleName {
  type: "LandlockDirectiveRuleName";
  range: [number, number];
  loc: SourceLocation;
}

export function isInlineConfigComment(comment: CommentNode): boolean {
  if (ESLINT_LABEL.test(comment.value)) return true;
  LANDLOCK_DIRECTIVE.lastIndex = 0;
  return LANDLOCK_DIRECTIVE.test(comment.value);
}

export interface DirectivesResult {
  directives: Directive[];
  problems: FileProblem[];
}

/** Offset of the comment's value inside the file text (after `//` or `/*`). */
function valueOffset(comment: CommentNode, text: string): number {
  const raw = text.slice(comment.range[0], comment.range[1]);
  return comment.range[0] + raw.indexOf(comment.value);
}

export function disableDirectives(comments: readonly CommentNode[], text: string): DirectivesResult {
  const directives: Directive[] = [];
  const problems: FileProblem[] = [];
  for (const comment of comments) {
    if (ESLINT_LABEL.test(comment.value)) eslintDirective(comment, directives, problems);
    LANDLOCK_DIRECTIVE.lastIndex = 0;
    for (const match of comment.value.matchAll(LANDLOCK_DIRECTIVE)) {
      landlockDirective(comment, match, valueOffset(comment, text), directives, problems);
    }
  }
  return { directives, problems };
}

function eslintDirective(comment: CommentNode, directives: Directive[], problems: FileProblem[]): void {
  const parsed = commentParser.parseDirective(comment.value);
  if (!parsed) return;
  const { label, value, justification } = parsed;
  if (label !== "eslint-disable" && label !== "eslint-enable" && label !== "eslint-disable-next-line" && label !== "eslint-disable-line") return;
  if (label === "eslint-disable-line" && comment.loc.start.line !== comment.loc.end.line) {
    problems.push({ ruleId: null, message: `${label} comment should not span multiple lines.`, loc: comment.loc });
    return;
  }
  directives.push(new Directive({ type: label.slice("eslint-".length) as DirectiveType, node: comment, value, justification }));
}

function landlockDirective(
  comment: CommentNode,
  match: RegExpMatchArray,
  valueStart: number,
  directives: Directive[],
  problems: FileProblem[],
): void {
  const type = match[1] as DirectiveType;
  const label = `landlock-lint-${type}`;
  if (type === "disable-line" && comment.loc.start.line !== comment.loc.end.line) {
    problems.push({ ruleId: null, message: `${label} comment should not span multiple lines.`, loc: comment.loc });
    return;
  }
  // Same split as the analyzer: names, then an optional reason after the first "--".
  const rest = match[2]!;
  const dash = rest.indexOf("--");
  const listText = dash >= 0 ? rest.slice(0, dash) : rest;
  const justification = dash >= 0 ? rest.slice(dash + 2).trim() : "";
  const listStart = valueStart + match.index! + match[0].length - rest.length;

  const names: { text: string; start: number; rule: RuleName | undefined }[] = [];
  for (const m of listText.matchAll(/[^\s,]+/gu)) {
    names.push({ text: m[0], start: listStart + m.index!, rule: parseRuleName(m[0]) });
  }
  for (const name of names) {
    if (!name.rule) problems.push({ ruleId: null, message: `unknown rule "${name.text}" in ${label}`, loc: comment.loc });
  }
  const known = names.filter((n): n is typeof n & { rule: RuleName } => n.rule !== undefined);
  if (names.length === 0) {
    // A bare directive covers every rule; ESLint's `null` rule id is that.
    directives.push(new Directive({ type, node: comment, value: "", justification }));
    return;
  }
  if (known.length === 0) return;
  const asWritten = known.every((n) => n.text.startsWith("landlock/")) && known.length === names.length;
  if (asWritten || known.length === 1) {
    // The value is either the list exactly as written (so ESLint can remove one name
    // from it) or a single rule (ESLint then only ever removes the whole comment).
    const value = asWritten ? listText.trim() : `landlock/${known[0]!.rule}`;
    directives.push(new Directive({ type, node: comment, value, justification }));
    return;
  }
  for (const name of known) {
    const node: DirectiveRuleName = {
      type: "LandlockDirectiveRuleName",
      range: [name.start, name.start + name.text.length],
      loc: comment.loc,
    };
    directives.push(new Directive({ type, node, value: `landlock/${name.rule}`, justification }));
  }
}

/** `/* eslint landlock/x: "off" *\/` rule configuration comments, as ESLint reads them. */
export function inlineRuleConfigs(comments: readonly CommentNode[]): {
  configs: { config: { rules: RulesConfig }; loc: SourceLocation }[];
  problems: FileProblem[];
} {
  const configs: { config: { rules: RulesConfig }; loc: SourceLocation }[] = [];
  const problems: FileProblem[] = [];
  for (const comment of comments) {
    if (!ESLINT_LABEL.test(comment.value)) continue;
    const parsed = commentParser.parseDirective(comment.value);
    if (!parsed || parsed.label !== "eslint") continue;
    const result = commentParser.parseJSONLikeConfig(parsed.value);
    if (result.ok) configs.push({ config: { rules: result.config }, loc: comment.loc });
    else problems.push({ ruleId: null, message: result.error.message, loc: comment.loc });
  }
  return { configs, problems };
}
