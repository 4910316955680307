// Findings as a SARIF 2.1.0 log: one run, every rule with its help text and help URI,
// results with levels, locations, related locations, partial fingerprints (the analyzer's
// fingerprint, stable across unrelated edits), fixes, and a code flow whose thread flows
// are the simulated per-thread lanes. Paths are relative to %SRCROOT% (the directory the
// run started in) unless absolute paths are asked for; nothing depends on the clock.
// The CLI's `--format sarif` and the ESLint formatter both build their logs here.

import { RULE_NAMES, type Finding, type Fix } from "../findings.js";
import type { Range } from "../ir.js";
import { RULE_META } from "../rule-meta.js";
import { directoryUri, relativeUri } from "./report-paths.js";
import { simulateFlow, type SourcePlace } from "./thread-flows.js";
import { UNUSED_SUPPRESSION_ID } from "./unused-suppressions.js";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
export const SRCROOT = "%SRCROOT%";
/** Key of our fingerprint in `partialFingerprints` (versioned: a new scheme gets a new key). */
export const FINGERPRINT_KEY = "landlockFingerprint/v1";
const INFORMATION_URI = "https://github.com/landlock-lint/landlock-lint";
const UNUSED_SUPPRESSION_HELP = "https://github.com/landlock-lint/landlock-lint/blob/main/docs/ci.md#unused-suppressions";

export interface SarifInput {
  /** Directory the paths are relative to (%SRCROOT%). */
  cwd: string;
  toolVersion: string;
  /** Findings in report order (the caller sorts). */
  findings: readonly Finding[];
  /** Files that could not be analysed (or parts of their analysis). */
  errors?: readonly { path: string; message: string }[];
  /** Files whose parser left regions it could not read: reported as notes. */
  parseErrors?: readonly { path: string; regions: number }[];
  /** Give %SRCROOT% its `file:` URI (an absolute path in the log). Default false. */
  absolutePaths?: boolean;
  /** Simulate each finding for its thread flows. Default true. */
  threadFlows?: boolean;
  /** Name of the driver, e.g. for the ESLint formatter. Default "landlock-lint". */
  toolName?: string;
}

// The subset of the SARIF object model this module writes.
export interface SarifMessage {
  text: string;
  markdown?: string;
}
export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
export interface SarifPhysicalLocation {
  artifactLocation: { uri: string; uriBaseId: string };
  region?: SarifRegion;
}
export interface SarifLocation {
  id?: number;
  physicalLocation: SarifPhysicalLocation;
  message?: SarifMessage;
}
export interface SarifThreadFlowLocation {
  location: SarifLocation;
  executionOrder: number;
  nestingLevel: number;
  importance: "important" | "essential" | "unimportant";
  state?: Record<string, SarifMessage>;
}
export interface SarifThreadFlow {
  id: string;
  message: SarifMessage;
  locations: SarifThreadFlowLocation[];
}
export interface SarifCodeFlow {
  message: SarifMessage;
  threadFlows: SarifThreadFlow[];
}
export interface SarifFix {
  description: SarifMessage;
  artifactChanges: { artifactLocation: { uri: string; uriBaseId: string }; replacements: { deletedRegion: SarifRegion; insertedContent?: { text: string } }[] }[];
  properties: { kind: Fix["kind"] };
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: "error" | "warning";
  message: SarifMessage;
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  partialFingerprints: Record<string, string>;
  codeFlows?: SarifCodeFlow[];
  fixes?: SarifFix[];
  properties?: { simulation?: string };
}
export interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  helpUri: string;
  help: SarifMessage;
  defaultConfiguration: { level: "error" | "warning" };
  properties: { tags: string[]; fixable: boolean; hasSuggestions: boolean };
}
export interface SarifNotification {
  level: "error" | "warning" | "note";
  message: SarifMessage;
  locations?: SarifLocation[];
}
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: [
    {
      tool: { driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: SarifRule[] } };
      invocations: { executionSuccessful: boolean; toolExecutionNotifications: SarifNotification[] }[];
      originalUriBaseIds: Record<string, { uri?: string; description: SarifMessage }>;
      columnKind: "utf16CodeUnits";
      results: SarifResult[];
    },
  ];
}

/** SARIF columns are 1-based; the analyzer's are 0-based. Both count UTF-16 code units. */
export function sarifRegion(range: Range): SarifRegion {
  const startLine = Math.max(1, range.start.line);
  const startColumn = Math.max(1, range.start.column + 1);
  let endLine = Math.max(startLine, range.end.line);
  let endColumn = Math.max(1, range.end.column + 1);
  if (endLine === startLine && endColumn < startColumn) endColumn = startColumn;
  if (endLine < startLine) endLine = startLine;
  return { startLine, startColumn, endLine, endColumn };
}

/** Listed only when --report-unused-suppressions found some, so ordinary logs list the catalogue alone. */
const UNUSED_SUPPRESSION_RULE: SarifRule = {
  id: UNUSED_SUPPRESSION_ID,
  name: "unused-suppression",
  shortDescription: { text: "a suppression comment that silences nothing" },
  fullDescription: { text: "A landlock-lint-disable or eslint-disable comment naming landlock rules that silenced no finding (--report-unused-suppressions)." },
  helpUri: UNUSED_SUPPRESSION_HELP,
  help: {
    text: `A suppression comment that silences nothing: remove it, or it will hide a future finding. ${UNUSED_SUPPRESSION_HELP}`,
    markdown: `A suppression comment that silences nothing: remove it, or it will hide a future finding.\n\n[Unused suppressions](${UNUSED_SUPPRESSION_HELP})`,
  },
  defaultConfiguration: { level: "error" },
  properties: { tags: ["maintainability", "landlock"], fixable: false, hasSuggestions: false },
};

function rules(): SarifRule[] {
  return RULE_NAMES.map((name) => RULE_META[name])
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((meta) => ({
      id: meta.id,
      name: meta.name,
      shortDescription: { text: meta.description },
      fullDescription: { text: meta.description },
      helpUri: meta.docsUrl,
      help: {
        text: `${meta.description}. Every finding comes with a simulation of what the kernel does with the code. Rule documentation: ${meta.docsUrl}`,
        markdown: `${meta.description}.\n\nEvery finding comes with a simulation of what the kernel does with the code (the thread flows).\n\n[Rule documentation](${meta.docsUrl})`,
      },
      defaultConfiguration: { level: meta.recommended },
      properties: { tags: ["security", "landlock", "sandboxing"], fixable: meta.fixable, hasSuggestions: meta.hasSuggestions },
    }));
}

/** Builds the log. Pure except for the simulations it runs (no clock, no file system). */
export function buildSarifLog(input: SarifInput): SarifLog {
  const ruleList = rules();
  if (input.findings.some((f) => f.ruleId === UNUSED_SUPPRESSION_ID)) ruleList.push(UNUSED_SUPPRESSION_RULE);
  const ruleIndex = new Map(ruleList.map((rule, index) => [rule.id, index]));
  const artifact = (file: string) => ({ uri: relativeUri(input.cwd, file), uriBaseId: SRCROOT });
  const location = (place: SourcePlace, message?: string, id?: number): SarifLocation => ({
    ...(id !== undefined ? { id } : {}),
    physicalLocation: { artifactLocation: artifact(place.file), region: sarifRegion(place.range) },
    ...(message !== undefined ? { message: { text: message } } : {}),
  });

  const results = input.findings.map((finding): SarifResult => {
    const result: SarifResult = {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId) ?? -1,
      level: finding.severity,
      message: { text: finding.message },
      locations: [location(finding)],
      partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    };
    if (finding.related.length > 0) result.relatedLocations = finding.related.map((r, i) => location(r, r.message, i + 1));
    if (input.threadFlows !== false) {
      const simulated = simulateFlow(finding);
      if (simulated.flow && simulated.flow.lanes.length > 0) {
        result.codeFlows = [
          {
            message: { text: simulated.flow.summary.join(" ") || "Simulated run of the threads involved." },
            threadFlows: simulated.flow.lanes.map((lane) => ({
              id: lane.id,
              message: { text: lane.label },
              locations: lane.steps.map((step) => ({
                location: location(step.place, step.message),
                executionOrder: step.order,
                nestingLevel: step.internal ? 1 : 0,
                importance: step.atFinding ? "essential" : step.internal ? "unimportant" : "important",
                ...(step.domainAfter !== undefined ? { state: { domain: { text: step.domainAfter ?? "none" } } } : {}),
              })),
            })),
          },
        ];
      } else if (simulated.error !== undefined && finding.scenario) {
        result.properties = { simulation: simulated.error };
      }
    }
    const fixes = finding.fixes.filter((fix) => fix.edits.length > 0).map((fix) => sarifFix(fix, artifact));
    if (fixes.length > 0) result.fixes = fixes;
    return result;
  });

  const notifications: SarifNotification[] = [
    ...(input.errors ?? []).map((e): SarifNotification => ({
      level: "error",
      message: { text: e.message },
      locations: [{ physicalLocation: { artifactLocation: artifact(e.path) } }],
    })),
    ...(input.parseErrors ?? [])
      .filter((p) => p.regions > 0)
      .map((p): SarifNotification => ({
        level: "note",
        message: { text: `${p.regions} region${p.regions === 1 ? "" : "s"} did not parse; the findings cover the rest` },
        locations: [{ physicalLocation: { artifactLocation: artifact(p.path) } }],
      })),
  ];

  const root = input.absolutePaths
    ? { uri: directoryUri(input.cwd), description: { text: "The directory landlock-lint ran in." } }
    : { description: { text: "The directory landlock-lint ran in (the repository root in CI)." } };
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: input.toolName ?? "landlock-lint",
            version: input.toolVersion,
            semanticVersion: input.toolVersion,
            informationUri: INFORMATION_URI,
            rules: ruleList,
          },
        },
        invocations: [{ executionSuccessful: (input.errors ?? []).length === 0, toolExecutionNotifications: notifications }],
        originalUriBaseIds: { [SRCROOT]: root },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
}

function sarifFix(fix: Fix, artifact: (file: string) => { uri: string; uriBaseId: string }): SarifFix {
  const byFile = new Map<string, SarifFix["artifactChanges"][number]>();
  for (const edit of fix.edits) {
    let change = byFile.get(edit.file);
    if (!change) {
      change = { artifactLocation: artifact(edit.file), replacements: [] };
      byFile.set(edit.file, change);
    }
    change.replacements.push({ deletedRegion: sarifRegion(edit.range), ...(edit.text !== "" ? { insertedContent: { text: edit.text } } : {}) });
  }
  return { description: { text: fix.description }, artifactChanges: [...byFile.values()], properties: { kind: fix.kind } };
}
