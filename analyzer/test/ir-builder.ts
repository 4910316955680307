// Builds sandbox IR by hand for unit tests of the checks: every node gets its own line, so
// findings can be asserted by line number, and ranges never collide.

import type { IrArm, IrBlock, IrCond, IrFile, IrFunction, IrNode, IrOp, Language, Range, RestrictFlags, RulesetInfo, Tri } from "../src/ir.js";
import type { Finding } from "../src/findings.js";
import type { Settings } from "../src/settings.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { resolveSettings } from "../src/config.js";
import { runChecks } from "../src/checks/index.js";

type RestrictOp = Extract<IrOp, { type: "restrict" }>;

export class IrBuilder {
  private line = 1;

  constructor(readonly file = "/project/main.c") {}

  /** A fresh one-line range; the line number is what tests assert on. */
  range(): Range {
    const line = this.line++;
    return { start: { line, column: 4, offset: line * 100 + 4 }, end: { line, column: 40, offset: line * 100 + 40 } };
  }

  get nextLine(): number {
    return this.line;
  }

  op(op: IrOp): IrNode {
    return { kind: "op", op };
  }

  restrict(options: {
    tsync?: Tri;
    tsyncIfAbiAtLeast?: number;
    logSubdomainsOff?: Tri;
    logSameExecOff?: Tri;
    noNewPrivsFlag?: Tri;
    scopes?: string[];
    scopesKnown?: boolean;
    mechanism?: RestrictOp["mechanism"];
    fd?: RestrictOp["fd"];
    resultChecked?: Tri;
    resultReturned?: boolean;
    library?: RestrictOp["library"];
    api?: string;
  } = {}): IrNode {
    const range = this.range();
    const flags: RestrictFlags = {
      tsync: options.tsync ?? "no",
      logSameExecOff: options.logSameExecOff ?? "no",
      logNewExecOn: "no",
      logSubdomainsOff: options.logSubdomainsOff ?? "no",
      noNewPrivs: options.noNewPrivsFlag ?? "no",
      ...(options.tsyncIfAbiAtLeast !== undefined ? { tsyncIfAbiAtLeast: options.tsyncIfAbiAtLeast } : {}),
      text: options.tsync === "yes" ? "LANDLOCK_RESTRICT_SELF_TSYNC" : "0",
      range: { start: { ...range.start, column: 30, offset: range.start.offset + 26 }, end: { ...range.start, column: 31, offset: range.start.offset + 27 } },
    };
    const ruleset: RulesetInfo | undefined =
      options.scopes || options.scopesKnown !== undefined
        ? { scopes: options.scopes ?? [], scopesKnown: options.scopesKnown ?? true, neededAbi: options.scopes?.length ? 6 : 1, neededFor: options.scopes ?? [], maskedByAbi: false }
        : { scopes: [], scopesKnown: true, neededAbi: 1, neededFor: [], maskedByAbi: false };
    return this.op({
      type: "restrict",
      mechanism: options.mechanism ?? "syscall",
      flags,
      fd: options.fd ?? "ruleset",
      ruleset,
      resultChecked: options.resultChecked ?? "yes",
      ...(options.resultReturned ? { resultReturned: true } : {}),
      ...(options.library ? { library: options.library } : {}),
      api: options.api ?? "landlock_restrict_self",
      range,
      calleeRange: range,
    });
  }

  createRuleset(options: { scopes?: string[]; neededAbi?: number; neededFor?: string[]; maskedByAbi?: boolean; resultChecked?: Tri } = {}): IrNode {
    return this.op({
      type: "create-ruleset",
      ruleset: {
        scopes: options.scopes ?? [],
        scopesKnown: true,
        neededAbi: options.neededAbi ?? (options.scopes?.length ? 6 : 1),
        neededFor: options.neededFor ?? options.scopes ?? [],
        maskedByAbi: options.maskedByAbi ?? false,
      },
      resultChecked: options.resultChecked ?? "yes",
      api: "landlock_create_ruleset",
      range: this.range(),
    });
  }

  addRule(resultChecked: Tri = "yes"): IrNode {
    return this.op({ type: "add-rule", resultChecked, api: "landlock_add_rule", range: this.range() });
  }

  spawn(mechanism = "pthread_create", options: { routine?: string; count?: "one" | "many" } = {}): IrNode {
    return this.op({ type: "spawn", mechanism, routine: options.routine, count: options.count ?? "one", range: this.range() });
  }

  nnp(): IrNode {
    return this.op({ type: "no-new-privs", api: "prctl", range: this.range() });
  }

  cap(): IrNode {
    return this.op({ type: "cap-sys-admin", api: "capget", range: this.range() });
  }

  abiQuery(): IrNode {
    return this.op({ type: "abi-query", api: "landlock_create_ruleset", range: this.range() });
  }

  signal(target: Extract<IrOp, { type: "signal" }>["target"], api = "kill"): IrNode {
    return this.op({ type: "signal", target, api, range: this.range() });
  }

  setown(target: Extract<IrOp, { type: "setown" }>["target"]): IrNode {
    return this.op({ type: "setown", target, api: "fcntl(F_SETOWN)", range: this.range() });
  }

  abstractConnect(name = "\0bus"): IrNode {
    return this.op({ type: "abstract-connect", name, api: "connect", range: this.range() });
  }

  setuid(): IrNode {
    return this.op({ type: "setuid", api: "setuid", range: this.range() });
  }

  exec(): IrNode {
    return this.op({ type: "exec", api: "execv", range: this.range() });
  }

  call(callee: string, options: { resultChecked?: Tri; resultReturned?: boolean } = {}): IrNode {
    const range = this.range();
    return this.op({ type: "call", callee, resultChecked: options.resultChecked ?? "maybe", ...(options.resultReturned ? { resultReturned: true } : {}), range, calleeRange: range });
  }

  branch(arms: [IrCond | undefined, IrBlock][], options: { exhaustive?: boolean; preprocessor?: boolean } = {}): IrNode {
    const range = this.range();
    const irArms: IrArm[] = arms.map(([cond, body]) => (cond ? { cond, body } : { body }));
    return { kind: "branch", arms: irArms, exhaustive: options.exhaustive ?? arms.length > 1, preprocessor: options.preprocessor ?? false, range };
  }

  loop(body: IrBlock): IrNode {
    return { kind: "loop", body, range: this.range() };
  }

  child(body: IrBlock, how = "fork"): IrNode {
    return { kind: "child", how, body, range: this.range() };
  }

  thread(body: IrBlock, how = "std::thread"): IrNode {
    return { kind: "thread", how, body, range: this.range() };
  }

  exit(leaves?: "function" | "process"): IrNode {
    return { kind: "exit", range: this.range(), ...(leaves ? { leaves } : {}) };
  }

  fn(name: string, body: IrBlock, options: Partial<Omit<IrFunction, "name" | "body">> = {}): IrFunction {
    const range = this.range();
    return { name, range, nameRange: range, isEntry: name === "main", ...options, body };
  }

  build(functions: IrFunction[], language: Language = "c", comments: IrFile["comments"] = []): IrFile {
    return { file: this.file, language, functions, parseProblems: [], comments };
  }
}

export const abiAtLeast = (abi: number, negated = false): IrCond => ({ kind: "abi-at-least", abi, negated });
export const errorPath: IrCond = { kind: "error-path" };
export const other = (text = "cond"): IrCond => ({ kind: "other", text });

export function check(files: IrFile | IrFile[], settings: Partial<Settings> = {}): Finding[] {
  const resolved = resolveSettings({ ...settings });
  return runChecks(Array.isArray(files) ? files : [files], resolved).findings;
}

/** "rule@line" strings, sorted: compact to assert. */
export function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${f.ruleId.replace("landlock/", "")}@${f.range.start.line}`).sort();
}

export { DEFAULT_SETTINGS };
