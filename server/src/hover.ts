// Hover on a flagged call or any restrict_self call: what the simulator says happens there.
// Markdown: the finding, the places involved (thread spawns, the ruleset, signal targets,
// the call chain), the simulator's conclusions, then the short lane trace.

import { basename } from "node:path";
import type { Hover, Position as LspPosition } from "vscode-languageserver";
import { RULE_META, parseRuleName, type Finding, type Settings } from "@landlock-lint/analyzer";
import { renderText, runScenario, validateScenario } from "@landlock-lint/simulator";
import { toLspRange } from "./convert.js";
import type { OpenDocument } from "./documents.js";
import type { DocumentStates } from "./state.js";
import { targetsAt } from "./simulate.js";
import { cleanCallScenario, type RestrictSite } from "./sites.js";

function findingMarkdown(states: DocumentStates, doc: OpenDocument, finding: Finding): string {
  const rule = parseRuleName(finding.ruleId);
  const docs = rule ? ` · [docs](${RULE_META[rule].docsUrl})` : "";
  const lines = [`**${finding.ruleId}** (${finding.severity})${docs}`, "", finding.message];
  if (finding.related.length > 0) {
    lines.push("", "**Involved**");
    for (const r of finding.related) {
      const at = r.file === finding.file ? `line ${r.range.start.line}` : `${basename(r.file)}:${r.range.start.line}`;
      lines.push(`- ${at}: ${r.message}`);
    }
  }
  const x = states.explain(doc, finding);
  if (x.trace) {
    lines.push("", `**Simulated** (Landlock ABI ${x.trace.abi}, errata ${x.trace.errata.length ? x.trace.errata.join(", ") : "none"})`);
    for (const s of x.summary) lines.push(`- ${s}`);
    lines.push("", "```text", renderText(x.trace, { width: 78 }).trimEnd(), "```");
  } else if (x.error) {
    lines.push("", `_No simulation: ${x.error}_`);
  }
  return lines.join("\n");
}

function siteMarkdown(site: RestrictSite, settings: Settings, doc: OpenDocument): string {
  const lines = [`**${site.op.api}**: no landlock finding on this call`];
  const scenario = cleanCallScenario(site, settings, basename(doc.path ?? doc.uri));
  const checked = validateScenario(scenario);
  if (!checked.ok) return lines.join("\n");
  const trace = runScenario(checked.scenario);
  lines.push("", `**Simulated** as written on the calling thread (Landlock ABI ${trace.abi})`);
  for (const s of trace.summary) lines.push(`- ${s}`);
  lines.push("", "```text", renderText(trace, { width: 78 }).trimEnd(), "```");
  return lines.join("\n");
}

export function hoverAt(states: DocumentStates, doc: OpenDocument, position: LspPosition, settings: () => Settings): Hover | null {
  const { findings, site } = targetsAt(states, doc, position);
  if (findings.length > 0) {
    return {
      contents: { kind: "markdown", value: findings.map((f) => findingMarkdown(states, doc, f)).join("\n\n---\n\n") },
      range: toLspRange(findings[0]!.range),
    };
  }
  if (!site) return null;
  return { contents: { kind: "markdown", value: siteMarkdown(site, settings(), doc) }, range: toLspRange(site.op.calleeRange) };
}
