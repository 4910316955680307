// What a rule reports before it becomes a Finding: the op, where, and every context in
// which the flow reached it (a wrapper reached from several callers is reported once).

import type { IrOp, Language, Range } from "../ir.js";
import type { Fix, RelatedLocation, RuleName, Severity } from "../findings.js";
import type { Scenario } from "@landlock-lint/simulator";
import type { Settings } from "../settings.js";
import type { OpEvent } from "./engine.js";
import type { Program } from "./program.js";

export interface Hit {
  rule: RuleName;
  file: string;
  range: Range;
  /** File and offset of the op: one finding per rule and op. */
  opKey: string;
  op: IrOp;
  events: OpEvent[];
  severity?: Severity;
}

export interface RuleEnv {
  settings: Settings;
  program: Program;
}

export interface BuildEnv extends RuleEnv {
  textOf(file: string): string | undefined;
  languageOf(file: string): Language;
  /** How a file is named in messages written about `from` ("line 40" in the same file, "workers.c:40" elsewhere). */
  where(file: string, range: Range, from: string): string;
}

export interface RuleModule {
  name: RuleName;
  /** The finding's range when the event breaks the rule; undefined otherwise. */
  check(event: OpEvent, env: RuleEnv): { range: Range; severity?: Severity } | undefined;
  describe(hit: Hit, env: BuildEnv): { message: string; related: RelatedLocation[]; fixes: Fix[]; scenario?: Scenario; severity?: Severity };
}
