// Code actions for the findings under the cursor: the analyzer's fixes and suggestions as
// quick fixes, a comment that disables the rule for the line (in the language's comment
// syntax), and "show simulation".

import { CodeActionKind, type CodeAction, type Range as LspRange, type TextEdit as LspTextEdit } from "vscode-languageserver";
import { parseRuleName, suppressionComment, type Finding } from "@landlock-lint/analyzer";
import { findingToDiagnostic, rangesTouch, toLspRange } from "./convert.js";
import type { OpenDocument } from "./documents.js";
import type { DocumentStates } from "./state.js";

export const SIMULATE_COMMAND = "landlock.simulate";
const DISABLE_REASON = "explain why this is safe";

export function codeActionsFor(states: DocumentStates, doc: OpenDocument, range: LspRange, uriOf: (file: string) => string): CodeAction[] {
  const analysis = states.analysis(doc);
  const findings = analysis.report.findings.filter((f) => rangesTouch(f.range, range));
  const actions: CodeAction[] = [];
  for (const finding of findings) {
    const diagnostic = findingToDiagnostic(finding, uriOf);
    for (const fix of finding.fixes) {
      const changes: Record<string, LspTextEdit[]> = {};
      for (const edit of fix.edits) (changes[uriOf(edit.file)] ??= []).push({ range: toLspRange(edit.range), newText: edit.text });
      actions.push({
        title: fix.description,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.kind === "fix",
        edit: { changes },
      });
    }
    actions.push(disableAction(doc, finding, diagnostic));
    actions.push({
      title: `Show simulation of ${finding.ruleId}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: "Simulate", command: SIMULATE_COMMAND, arguments: [{ textDocument: { uri: doc.uri }, position: toLspRange(finding.range).start }] },
    });
  }
  return actions;
}

function disableAction(doc: OpenDocument, finding: Finding, diagnostic: ReturnType<typeof findingToDiagnostic>): CodeAction {
  const rule = parseRuleName(finding.ruleId)!;
  const line = finding.range.start.line - 1;
  const text = doc.document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(text)?.[0] ?? "";
  const eol = doc.document.getText().includes("\r\n") ? "\r\n" : "\n";
  const comment = `${indent}${suppressionComment(rule, DISABLE_REASON, doc.language.lineComment)}${eol}`;
  return {
    title: `Disable ${finding.ruleId} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { changes: { [doc.uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: comment }] } },
  };
}
