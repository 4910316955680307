// What every rule of the plugin is: a thin adapter that asks the analyzer for the file's
// findings (computed once per lint pass, shared by the ten rules) and reports those with
// its rule id. The same rule runs on C/C++/Go/Rust through the plugin's languages and on
// JS/TS through typescript-eslint's parser. No analysis happens here.

import { ESLintUtils } from "@typescript-eslint/utils";
import { RULE_META, ruleDocsUrl, parseRuleName, type RuleName } from "@landlock-lint/analyzer";
import { fileFindings, type EstreeComment } from "../analysis/file-findings.js";
import { toReport } from "../analysis/report.js";
import { landlockSettings } from "../analysis/settings.js";
import { TreeSitterSourceCode } from "../languages/source-code.js";
import { RECOMMENDED_SEVERITY, type PresetSeverity } from "../severities.js";

export interface LandlockRuleDocs {
  /** Severity in the `recommended` preset. */
  recommended: PresetSeverity;
}

export type MessageId = "finding" | "suggestion" | "analysisIncomplete";

/** Languages the rules run on: ours, and JavaScript/TypeScript (ESLint's `js/js`, whatever the parser). */
export const RULE_LANGUAGES = ["landlock/c", "landlock/cpp", "landlock/go", "landlock/rust", "js/js"];

/** Root node types: "the whole file" in each language the rules run on. */
const ROOT_TYPES = ["Program", "translation_unit", "source_file"];

const createRule = ESLintUtils.RuleCreator<LandlockRuleDocs>((name) => {
  const rule = parseRuleName(name);
  if (!rule) throw new Error(`eslint-plugin-landlock: "${name}" is not a rule of the analyzer`);
  return ruleDocsUrl(rule);
});

export function createLandlockRule(name: RuleName) {
  const meta = RULE_META[name];
  const ruleId = meta.id;
  return createRule<[], MessageId>({
    name,
    meta: {
      type: "problem",
      docs: { description: meta.description, recommended: RECOMMENDED_SEVERITY[name] },
      messages: {
        finding: "{{message}}",
        suggestion: "{{description}}",
        analysisIncomplete: "landlock-lint could not analyse all of this file: {{message}}",
      },
      schema: [],
      ...(meta.fixable ? { fixable: "code" as const } : {}),
      ...(meta.hasSuggestions ? { hasSuggestions: true } : {}),
      languages: RULE_LANGUAGES,
    },
    defaultOptions: [],
    create(context) {
      const settings = landlockSettings(context.settings);
      const sourceCode = context.sourceCode as unknown as { text: string; getAllComments?: () => EstreeComment[] };
      const ours = sourceCode instanceof TreeSitterSourceCode;
      const reportFindings = (): void => {
        const result = fileFindings(sourceCode, {
          file: context.filename,
          text: sourceCode.text,
          settings,
          ...(ours || !sourceCode.getAllComments ? {} : { jsComments: () => sourceCode.getAllComments!() }),
        });
        if (!result.errorsReported) {
          result.errorsReported = true;
          for (const error of result.errors) {
            context.report({ loc: { line: 1, column: 0 }, messageId: "analysisIncomplete", data: { message: error.message } });
          }
        }
        for (const finding of result.findings) {
          if (finding.ruleId !== ruleId) continue;
          const report = toReport(finding);
          const fix = meta.fixable ? report.fix : undefined;
          const suggestions = meta.hasSuggestions ? report.suggestions : [];
          context.report({
            loc: report.loc,
            messageId: "finding",
            data: { message: report.message },
            ...(fix ? { fix: (fixer) => fix.map((e) => fixer.replaceTextRange(e.range, e.text)) } : {}),
            ...(suggestions.length > 0
              ? {
                  suggest: suggestions.map((s) => ({
                    messageId: "suggestion" as const,
                    data: { description: s.description },
                    fix: (fixer) => s.edits.map((e) => fixer.replaceTextRange(e.range, e.text)),
                  })),
                }
              : {}),
          });
        }
      };
      return Object.fromEntries(ROOT_TYPES.map((type) => [type, reportFindings]));
    },
  });
}
