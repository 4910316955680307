// A "Simulate" code lens above every restrict_self call (the title names the finding when
// the call has one).

import type { CodeLens } from "vscode-languageserver";
import { toLspRange } from "./convert.js";
import type { OpenDocument } from "./documents.js";
import type { DocumentStates } from "./state.js";
import { SIMULATE_COMMAND } from "./actions.js";

export function codeLensesFor(states: DocumentStates, doc: OpenDocument): CodeLens[] {
  const findings = states.analysis(doc).report.findings;
  return states.sites(doc).map((site) => {
    const range = toLspRange(site.op.calleeRange);
    const onCall = findings.filter((f) => f.range.start.offset >= site.op.range.start.offset && f.range.end.offset <= site.op.range.end.offset);
    const title = onCall.length > 0 ? `Simulate (${onCall.map((f) => f.ruleId).join(", ")})` : "Simulate";
    return { range, command: { title, command: SIMULATE_COMMAND, arguments: [{ textDocument: { uri: doc.uri }, position: range.start }] } };
  });
}
