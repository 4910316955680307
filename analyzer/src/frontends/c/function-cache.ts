// Reuse of a C/C++ function's IR from the previous build of the same file. Walking a
// function costs thousands of calls into the WebAssembly parser; an edit usually touches
// one function, so the others are taken from the last build, moved to where they are now.
//
// A function's IR depends on its own text and on what the file around it says. What the
// walk reads besides the function's own nodes:
//   - file-level facts: language, settings, compile_commands defines, the top-level text
//     (defines, enums, constants, classes, namespaces: everything outside the reusable
//     function definitions), signal handlers and capability checkers of the file;
//   - what functions walked before it left behind: ABI helpers found so far, and
//     definitions a body adds (`#define` inside a function, local enums and constants);
//   - whether comments above the function state a privileged or per-thread design.
// The first group makes the context key (a change drops every entry); the second and third
// go into each function's key. A walk that added definitions is never reused (replaying
// it would need its nodes), and later functions see a new "definitions epoch".
// What a walk does to the file besides its own IR (lambdas emitted as functions, callbacks
// registered, being an ABI helper) is recorded with the entry and replayed on a hit.

import type { IrBlock, IrFunction, Range } from "../../ir.js";
import { FileDefinitions } from "./definitions.js";
import type { Node } from "../treesitter.js";

/** FileDefinitions that count the additions made after the top-level pass. */
export class RecordingDefinitions extends FileDefinitions {
  additions = 0;

  override collect(node: Node): void {
    this.additions++;
    super.collect(node);
  }

  override collectEnum(enumeratorList: Node): void {
    this.additions++;
    super.collectEnum(enumeratorList);
  }

  override collectConstant(name: string, value: Node): void {
    this.additions++;
    super.collectConstant(name, value);
  }
}

export interface RecordedCallback {
  name: string;
  how: string;
  range: Range;
}

/** What one walk produced besides its own IR. */
interface Walked {
  fn: IrFunction | undefined;
  extras: IrFunction[];
  callbacks: RecordedCallback[];
  returnsAbi: boolean;
}

/**
 * A recorded walk, positions as they were then. A hit at the same place hands out the
 * recorded IR itself, deep-frozen (nothing may change it: a consumer that tried would fail
 * loudly instead of corrupting later builds), under fresh function objects, which the
 * file-level passes annotate. A hit elsewhere, or IR a file-level pass changes (a signal
 * aimed at a parameter gets its target from the callers), gets a copy: parsed from JSON
 * (the cheapest deep copy), or copied by hand when the IR does not survive JSON.
 */
interface Entry {
  offset: number;
  line: number;
  frozen: Walked;
  /** The file-level passes write into this IR: never hand out the frozen objects. */
  written: boolean;
  /** The frozen IR as JSON, made on the first hit that needs a copy (null: it does not survive JSON). */
  json?: string | null;
}

export interface ReuseStats {
  reused: number;
  walked: number;
}

/** Entries kept across builds of one file (held in the front-end cache's per-file state). */
export class FunctionReuse {
  private contextKey: string | undefined;
  private entries = new Map<string, Entry>();
  private epochs = new Map<string, number>();
  private nextEpoch = 1;
  readonly stats: ReuseStats = { reused: 0, walked: 0 };

  /** Starts a build; entries recorded under another context are dropped. */
  begin(contextKey: string): FunctionBuild {
    if (contextKey !== this.contextKey) {
      this.contextKey = contextKey;
      this.entries = new Map();
      this.epochs = new Map();
    }
    return new FunctionBuild(this, this.entries, this.epochs);
  }

  /** Keeps only what the finished build used or recorded (bounds memory to one version). */
  finish(entries: Map<string, Entry>, epochs: Map<string, number>): void {
    this.entries = entries;
    this.epochs = epochs;
  }

  newEpoch(): number {
    return this.nextEpoch++;
  }
}

/** One build's view: looks up the previous build's entries, records this build's. */
export class FunctionBuild {
  private readonly entries = new Map<string, Entry>();
  private readonly epochs = new Map<string, number>();
  /** Identifies the definitions added by the functions walked so far (0: none). */
  private epoch = 0;

  constructor(
    private readonly owner: FunctionReuse,
    private readonly previous: Map<string, Entry>,
    private readonly previousEpochs: Map<string, number>,
  ) {}

  /** The key of a function in this build's state (call just before walking or reusing it). */
  keyOf(ownKey: string, abiHelpers: ReadonlySet<string>): string {
    return `${this.epoch}\u0000${[...abiHelpers].sort().join(",")}\u0000${ownKey}`;
  }

  /** The previous build's entry for this key, moved to `offset`/`line`; undefined on a miss. */
  reuse(key: string, offset: number, line: number): Walked | undefined {
    const entry = this.previous.get(key) ?? this.entries.get(key);
    if (!entry) return undefined;
    this.entries.set(key, entry);
    this.owner.stats.reused++;
    const dOffset = offset - entry.offset;
    const dLine = line - entry.line;
    if (dOffset === 0 && dLine === 0 && !entry.written) {
      const { fn, extras, callbacks, returnsAbi } = entry.frozen;
      return { fn: fn && { ...fn }, extras: extras.map((f) => ({ ...f })), callbacks, returnsAbi };
    }
    if (entry.json === undefined) entry.json = survivesJson(entry.frozen) ? JSON.stringify(entry.frozen) : null;
    if (entry.json !== null) {
      const walked = JSON.parse(entry.json) as Walked;
      if (dOffset !== 0 || dLine !== 0) shiftInPlace(walked, dOffset, dLine);
      return walked;
    }
    return shifted(entry.frozen, dOffset, dLine);
  }

  /**
   * Records a fresh walk. A walk that added definitions is not kept (later functions move
   * to a new epoch instead); otherwise its results are snapshotted before the file-level
   * passes change them.
   */
  record(key: string | undefined, offset: number, line: number, walked: Walked, addedDefinitions: boolean, fullKey: string): void {
    this.owner.stats.walked++;
    if (addedDefinitions) {
      const chain = `${this.epoch}\u0000${fullKey}`;
      let next = this.previousEpochs.get(chain) ?? this.epochs.get(chain);
      if (next === undefined) next = this.owner.newEpoch();
      this.epochs.set(chain, next);
      this.epoch = next;
      return;
    }
    if (key === undefined) return;
    this.entries.set(key, snapshot(walked, offset, line));
  }

  finish(): void {
    this.owner.finish(this.entries, this.epochs);
  }
}

/**
 * The entry of a fresh walk. Its IR below the function objects is frozen in place and
 * shared with this build (no copy); the function objects are copied, since the file-level
 * passes annotate the ones this build hands out. IR those passes write into is copied whole.
 */
function snapshot(walked: Walked, offset: number, line: number): Entry {
  const written = [walked.fn, ...walked.extras].some((f) => f !== undefined && hasParameterTarget(f.body));
  if (written) return { offset, line, frozen: deepFreeze(shifted(walked, 0, 0)), written };
  const frozen: Walked = { fn: walked.fn && { ...walked.fn }, extras: walked.extras.map((f) => ({ ...f })), callbacks: walked.callbacks, returnsAbi: walked.returnsAbi };
  return { offset, line, frozen: deepFreeze(frozen), written };
}

/** A signal or F_SETOWN aimed at a parameter: resolveParameterTargets sets its target after the walk. */
function hasParameterTarget(block: IrBlock): boolean {
  for (const node of block) {
    if (node.kind === "op" && (node.op.type === "signal" || node.op.type === "setown") && node.op.targetParam !== undefined) return true;
    if (node.kind === "branch" && node.arms.some((a) => hasParameterTarget(a.body))) return true;
    if ((node.kind === "loop" || node.kind === "child" || node.kind === "thread") && hasParameterTarget(node.body)) return true;
  }
  return false;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Plain data JSON gives back as it was: no undefined members, no bigint, no non-finite number. */
function survivesJson(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object":
      if (value === null) return true;
      if (Array.isArray(value)) return value.every((v) => v !== undefined && survivesJson(v));
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      return Object.values(value).every((v) => v !== undefined && survivesJson(v));
    default:
      return false;
  }
}

/**
 * A deep copy of IR data with every position moved by `dOffset` code units and `dLine`
 * lines (the function's text is unchanged and starts at the same column, so columns stay).
 */
export function shifted<T>(value: T, dOffset: number, dLine: number): T {
  return copy(value, dOffset, dLine) as T;
}

function copy(value: unknown, dOffset: number, dLine: number): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => copy(v, dOffset, dLine));
  const source = value as Record<string, unknown>;
  if (isPosition(source)) return { ...source, line: source.line + dLine, offset: source.offset + dOffset };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) out[key] = copy(source[key], dOffset, dLine);
  return out;
}

/** Moves every position inside freshly parsed IR data (nothing else refers to it yet). */
function shiftInPlace(value: unknown, dOffset: number, dLine: number): void {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const v of value) shiftInPlace(v, dOffset, dLine);
    return;
  }
  const target = value as Record<string, unknown>;
  if (isPosition(target)) {
    target.line += dLine;
    target.offset += dOffset;
    return;
  }
  for (const key in target) shiftInPlace(target[key], dOffset, dLine);
}

function isPosition(v: Record<string, unknown>): v is { line: number; column: number; offset: number } {
  return typeof v.offset === "number" && typeof v.line === "number" && typeof v.column === "number";
}
