// Predicates several rules share: what kind of restriction an op is, in its context.

import type { IrOp, Range } from "../../ir.js";
import type { Settings } from "../../settings.js";
import { effectiveTsync, type OpEvent, type RestrictWithFlagSource } from "../engine.js";
import type { TextEdit } from "../../findings.js";
import type { BuildEnv, Hit, RuleEnv } from "../hit.js";
import { addTsyncEdit } from "../../fixes/syntax.js";

export type RestrictOp = Extract<IrOp, { type: "restrict" }>;

export function restrictOf(event: OpEvent): RestrictOp | undefined {
  return event.op.type === "restrict" ? event.op : undefined;
}

/** The call restricts only the calling thread unless TSYNC is given. */
export function restrictsCallingThread(op: RestrictOp): boolean {
  if (op.mechanism === "syscall") return true;
  if (op.mechanism !== "library" || !op.library) return false;
  return !op.library.tsyncWhenAvailable && op.library.fallbackBelowTsync !== "per-thread";
}

/** It creates a domain (fd = -1 with LOG_SUBDOMAINS_OFF only changes logging). */
export function createsDomain(op: RestrictOp): boolean {
  return op.fd !== "minus-one";
}

/** "TSYNC if the kernel has it, else one thread (or per-thread)": the op is that fallback on this path. */
export function isTsyncFallback(event: OpEvent, settings: Settings): boolean {
  const op = restrictOf(event);
  if (!op) return false;
  const tsync = effectiveTsync(op, event.state);
  if (tsync === "yes") return false;
  if (op.flags.tsyncIfAbiAtLeast !== undefined) return true;
  if (event.ctx.fallbackArm || event.state.tsyncAttempt) return true;
  if (op.flags.tsync === "maybe" && event.state.abiQueried && op.mechanism === "syscall") return true;
  if (op.mechanism === "library" && op.library?.tsyncWhenAvailable) {
    const f = op.library.fallbackBelowTsync;
    return (f === "single-thread" || f === "per-thread") && settings.targetAbi < 8 && event.state.abiMin < 8;
  }
  return false;
}

export function hasErratum(settings: Settings, n: number): boolean {
  return settings.errata.includes(n);
}

/** The TSYNC call this op falls back from, when there is one (its key as hits use it). */
export function fallbackSource(event: OpEvent): { file: string; range: Range } | undefined {
  return event.state.tsyncAttempt ?? event.ctx.fallbackArm;
}

/** The edit adding TSYNC to a restriction's flags, where they are written (a wrapper's caller passes them). */
export function tsyncEditFor(file: string, op: RestrictOp, env: BuildEnv): TextEdit | undefined {
  const flagsFile = (op as RestrictWithFlagSource).flagsFile ?? file;
  const text = env.textOf(flagsFile);
  return text ? addTsyncEdit(flagsFile, op, env.languageOf(flagsFile), text) : undefined;
}

/** A scenario's name: rule, file name and line, e.g. `single-thread-restrict-main.c-40`. */
export function scenarioName(rule: string, file: string, line: number): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return `${rule}-${base.replace(/[^\w.-]/g, "_")}-${line}`;
}

/**
 * What every rule's scenario starts from. `file` is the op's file (a hit is keyed by its op),
 * which the builder needs to place the steps taken from the op: without it, a scenario for
 * a project of several files could only guess which file a line number belongs to.
 */
export function scenarioBasis(hit: Hit, env: RuleEnv): { name: string; settings: Settings; file: string } {
  return { name: scenarioName(hit.rule, hit.file, hit.range.start.line), settings: env.settings, file: hit.file };
}
