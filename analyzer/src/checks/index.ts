// Runs the rules over a set of IR files analysed together (one project, or one file) and
// turns what they report into Findings: one per rule and op, the most specific rule when
// several describe the same call, severities from the settings, fixes, scenario and a
// fingerprint that survives unrelated edits.

import type { IrFile, Language, Range } from "../ir.js";
import type { Finding, RuleName, Severity } from "../findings.js";
import type { Settings } from "../settings.js";
import { RULE_META } from "../rule-meta.js";
import { baseName, relativeToFileOf } from "../text/paths.js";
import { stableHash } from "../text/hash.js";
import { BudgetExceeded, Engine, type OpEvent } from "./engine.js";
import type { BuildEnv, Hit } from "./hit.js";
import { Program } from "./program.js";
import { RULES } from "./rules/index.js";
import { unguardedNeeds } from "./rules/abi-compat.js";

function onlyNeedsTsync(event: OpEvent): boolean {
  return unguardedNeeds(event).every((n) => n.feature === "tsync");
}

export interface CheckOptions {
  /** Text of each file, for fixes and fingerprints. */
  textOf?: (file: string) => string | undefined;
  /** Stops the walk at this time (Date.now() scale). */
  deadline?: number;
  budgetMs?: number;
  /** How fingerprints name files (project-relative paths keep them stable across checkouts). */
  fingerprintPath?: (file: string) => string;
}

export interface CheckResult {
  findings: Finding[];
  /** The program the walk ran over (call graph, for dependents). */
  program?: Program;
  /** Set when the walk stopped at its budget: findings may be incomplete. */
  incomplete?: string;
}

const MAX_EVENTS_PER_HIT = 12;

/** One call, one finding: the more specific rule wins. */
const OVERRIDDEN_BY: Partial<Record<RuleName, RuleName[]>> = {
  "single-thread-restrict": ["thread-routine-restrict", "unsafe-tsync-fallback"],
};

export function levelFor(rule: RuleName, settings: Settings, natural: Severity): Severity | undefined {
  const level = settings.rules[rule];
  if (level === "off") return undefined;
  if (level === "warn") return "warning";
  if (level === "error") return "error";
  return natural;
}

export function runChecks(files: IrFile[], settings: Settings, options: CheckOptions = {}): CheckResult {
  const program = new Program(files, settings);
  const languages = new Map<string, Language>(files.map((f) => [f.file, f.language]));
  const hits = new Map<string, Hit>();
  const enabled = RULES.filter((r) => settings.rules[r.name] !== "off");
  const env = { settings, program };
  const sink = (event: OpEvent) => {
    for (const rule of enabled) {
      const r = rule.check(event, env);
      if (!r) continue;
      const opKey = `${event.ctx.file}:${event.op.range.start.offset}:${event.op.range.end.offset}`;
      const id = `${rule.name}|${opKey}`;
      const hit = hits.get(id);
      if (hit) {
        if (hit.events.length < MAX_EVENTS_PER_HIT) hit.events.push(event);
        if (r.severity === "error") hit.severity = "error";
      } else {
        hits.set(id, { rule: rule.name, file: event.ctx.file, range: r.range, opKey, op: event.op, events: [event], severity: r.severity });
      }
    }
  };
  let incomplete: string | undefined;
  try {
    new Engine(program, settings, sink, options.deadline ?? Infinity, options.budgetMs ?? Infinity).run();
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
    incomplete = e.message;
  }

  // Trying TSYNC and falling back when it fails is how that code asks the ABI: the fallback is the finding.
  const triedSources = new Set<string>();
  for (const hit of hits.values()) {
    if (hit.rule !== "unsafe-tsync-fallback") continue;
    for (const e of hit.events) {
      const src = e.state.tsyncAttempt;
      if (src) triedSources.add(`${src.file}:${src.range.start.offset}:${src.range.end.offset}`);
      if (e.ctx.fallbackArm) triedSources.add(`${e.ctx.fallbackArm.file}:${e.ctx.fallbackArm.range.start.offset}:${e.ctx.fallbackArm.range.end.offset}`);
    }
  }
  for (const [id, hit] of hits) {
    if (hit.rule === "abi-compat" && triedSources.has(hit.opKey) && hit.events.every((e) => onlyNeedsTsync(e))) hits.delete(id);
  }

  const rulesAtOp = new Map<string, Set<RuleName>>();
  for (const hit of hits.values()) {
    const set = rulesAtOp.get(hit.opKey) ?? new Set<RuleName>();
    set.add(hit.rule);
    rulesAtOp.set(hit.opKey, set);
  }

  const textOf = options.textOf ?? (() => undefined);
  const buildEnv: BuildEnv = {
    settings,
    program,
    textOf,
    languageOf: (file) => languages.get(file) ?? "c",
    where: (file, range, from) => (file === from ? `line ${range.start.line}` : `${relativeToFileOf(from, file)}:${range.start.line}`),
  };
  const findings: Finding[] = [];
  for (const hit of hits.values()) {
    const overriders = OVERRIDDEN_BY[hit.rule] ?? [];
    if (overriders.some((o) => rulesAtOp.get(hit.opKey)?.has(o))) continue;
    const rule = RULES.find((r) => r.name === hit.rule)!;
    const described = rule.describe(hit, buildEnv);
    const severity = levelFor(hit.rule, settings, described.severity ?? hit.severity ?? RULE_META[hit.rule].recommended);
    if (!severity) continue;
    findings.push({
      ruleId: `landlock/${hit.rule}`,
      severity,
      file: hit.file,
      range: hit.range,
      message: described.message,
      related: described.related,
      fixes: described.fixes,
      ...(described.scenario ? { scenario: described.scenario } : {}),
      fingerprint: "",
    });
    fingerprintInputs.set(findings[findings.length - 1]!, { fn: hit.events[0]!.ctx.fn.fn.name, opRange: hit.op.range });
  }
  sortFindings(findings);
  assignFingerprints(findings, textOf, options.fingerprintPath ?? baseName);
  return incomplete ? { findings, incomplete, program } : { findings, program };
}

const fingerprintInputs = new WeakMap<Finding, { fn: string; opRange: Range }>();

export function sortFindings(findings: Finding[]): void {
  findings.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.column - b.range.start.column ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

function assignFingerprints(findings: Finding[], textOf: (file: string) => string | undefined, pathOf: (file: string) => string): void {
  const seen = new Map<string, number>();
  for (const f of findings) {
    const input = fingerprintInputs.get(f);
    const text = textOf(f.file);
    const range = input?.opRange ?? f.range;
    const call = (text ? text.slice(range.start.offset, range.end.offset) : f.message).replace(/\s+/g, "");
    const base = [f.ruleId, pathOf(f.file).replace(/\\/g, "/"), input?.fn ?? "", call].join("\u0000");
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    f.fingerprint = stableHash(`${base}\u0000${occurrence}`);
  }
}
