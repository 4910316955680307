// The analyzer's findings for one file version, computed once and shared by all ten rules.
// Cross-file facts come from the analyzer's Project (one per project root and settings,
// kept for the whole ESLint run, so a wrapper or a thread spawn in another file counts).
// Which files need an analysis at all is the Project's question too, answered as for the
// CLI and the language server (the files that mention Landlock and their call-graph
// neighbourhood): a file outside that set costs a lookup and is never parsed by the analyzer.
//
// The findings handed to the rules are those before suppression by directive comments:
// ESLint applies the directives itself (it needs to see a finding to count a directive
// as used for --report-unused-disable-directives). Only `landlock-lint-*` comments in
// JS/TS files are applied here, because ESLint's JavaScript language does not read them.

import { dirname, resolve } from "node:path";
import {
  applySuppressions,
  findProjectRoot,
  frontEndFor,
  parseDirectives,
  Project,
  type AnalysisError,
  type Finding,
  type Range,
} from "@landlock-lint/analyzer";
import type { EslintLandlockSettings } from "./settings.js";

export interface FileFindings {
  /** Every finding in the file, directive comments not applied (except as said above). */
  findings: readonly Finding[];
  /** Why part of the analysis did not run (budget, unreadable config...). */
  errors: readonly AnalysisError[];
  /** Set by the first rule of the pass, which reports `errors` (once, not ten times). */
  errorsReported: boolean;
}

/** A comment as ESLint's JavaScript SourceCode gives it. */
export interface EstreeComment {
  value: string;
  range: [number, number];
  loc: { start: { line: number; column: number }; end: { line: number; column: number } };
}

export interface FindingsRequest {
  /** ESLint's filename (a processor's code block has its virtual name, e.g. `README.md/0.c`). */
  file: string;
  text: string;
  settings: EslintLandlockSettings;
  /** JS/TS only: the file's comments, for `landlock-lint-*` directives. */
  jsComments?: () => readonly EstreeComment[];
}

const passes = new WeakMap<object, { text: string; settingsKey: string; result: FileFindings }>();
const projects = new Map<string, Project>();
const roots = new Map<string, string>();

function projectFor(file: string, settings: EslintLandlockSettings): Project {
  const dir = dirname(file);
  let root = roots.get(dir);
  if (root === undefined) {
    root = findProjectRoot(file);
    roots.set(dir, root);
  }
  const key = `${root}\u0000${settings.key}`;
  let project = projects.get(key);
  if (!project) {
    project = new Project(root, { settings: settings.partial });
    projects.set(key, project);
  }
  return project;
}

const EMPTY: Omit<FileFindings, "errorsReported"> = { findings: [], errors: [] };

function compute(request: FindingsRequest): Omit<FileFindings, "errorsReported"> {
  const { file, text, settings } = request;
  // No analyzer front-end reads this kind of file: nothing to say about it.
  if (!frontEndFor(file)) return EMPTY;
  const report = projectFor(file, settings).analyzeFile(file, text);
  let findings = [...report.findings, ...(report.suppressions?.suppressed ?? [])].filter((f) => f.file === report.file);
  if (request.jsComments && findings.length > 0) findings = withoutLandlockSuppressed(findings, request.jsComments());
  findings.sort((a, b) => a.range.start.offset - b.range.start.offset || a.ruleId.localeCompare(b.ruleId));
  return { findings, errors: report.errors ?? [] };
}

function withoutLandlockSuppressed(findings: Finding[], comments: readonly EstreeComment[]): Finding[] {
  const irComments = comments.map((c) => ({ text: c.value, range: toIrRange(c) }));
  const ours = parseDirectives(irComments).directives.filter((d) => d.family === "landlock-lint");
  return ours.length === 0 ? findings : applySuppressions(findings, ours).kept;
}

function toIrRange(comment: EstreeComment): Range {
  return {
    start: { line: comment.loc.start.line, column: comment.loc.start.column, offset: comment.range[0] },
    end: { line: comment.loc.end.line, column: comment.loc.end.column, offset: comment.range[1] },
  };
}

/**
 * The file's findings for one lint pass. ESLint creates one SourceCode per pass over a
 * file version and hands it to every rule, so keying on it computes the analysis once per
 * file version and settings (the text and the config cannot differ within a pass) and
 * never serves a stale result to a host that keeps ESLint alive while other files change
 * (editor integrations): a new pass asks the Project again, whose own caches (IR by
 * content hash, checks by the hashes of every file involved) keep that cheap.
 */
export function fileFindings(pass: object, request: FindingsRequest): FileFindings {
  const cached = passes.get(pass);
  if (cached && cached.text === request.text && cached.settingsKey === request.settings.key) return cached.result;
  const result: FileFindings = { ...compute({ ...request, file: resolve(request.file) }), errorsReported: false };
  passes.set(pass, { text: request.text, settingsKey: request.settings.key, result });
  return result;
}

/** Forgets every project (tests; hosts that know files were added or removed on disk). */
export function clearProjects(): void {
  projects.clear();
  roots.clear();
}
