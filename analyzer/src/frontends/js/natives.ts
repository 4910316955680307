// What a call of a C function reached through an FFI does, by its C symbol: Landlock calls
// (directly or through syscall(2) with 444/445/446), prctl(PR_SET_NO_NEW_PRIVS), kill and
// F_SETOWN targets, setuid-family calls, execve. The walker hands over the argument nodes
// and the services to evaluate them; this module only builds ops.

import type { IrOp, Range, RestrictFlags, RulesetInfo, Tri } from "../../ir.js";
import { signed, valueOf, type Sym } from "../c/sym.js";
import type { Node } from "./ast.js";
import { F_SETOWN, F_SETOWN_EX, PR_SET_NO_NEW_PRIVS, SYSCALL_KIND } from "./constants.js";
import { rulesetInfoOf, type AttrState, type NativeFn, type PidOrigin, type VarFact } from "./facts.js";

export type SignalTarget = "parent" | "process-group" | "other-process" | "own-thread" | "own-process" | "unknown";

/** What the walker offers for reading arguments and recording how a result is used. */
export interface NativeServices {
  evalNode(node: Node | undefined): Sym;
  textOf(node: Node): string;
  rangeOf(node: Node): Range;
  pidOrigin(node: Node | undefined): PidOrigin;
  attrOf(node: Node | undefined): AttrState | undefined;
  rulesetOfFd(node: Node | undefined): { kind: "ruleset" | "minus-one" | "unknown"; info?: RulesetInfo; range?: Range };
  /** Sets `resultChecked` (and `resultReturned`) from how the call's value is used. */
  settleResult(op: { resultChecked: Tri; resultReturned?: boolean }, failureIsNonZero: boolean): void;
}

export interface NativeCallResult {
  ops: IrOp[];
  /** What the call's value is (the ABI, a ruleset fd), when it matters. */
  value?: VarFact;
}

const SETUID_SYMBOLS = /^(?:setuid|setgid|seteuid|setegid|setreuid|setregid|setresuid|setresgid|setgroups|setfsuid|setfsgid|initgroups)$/;
const EXEC_SYMBOLS = /^(?:execve|execv|execvp|execvpe|execl|execlp|execle|fexecve|execveat)$/;

function nameOf(fn: NativeFn): string {
  return fn.boundAs ? `${fn.symbol} (bound as ${fn.boundAs})` : fn.symbol;
}

/** `prctl` + `PR_SET_NO_NEW_PRIVS` -> `prctl(PR_SET_NO_NEW_PRIVS)`; `syscall(157)` -> `syscall(157, PR_SET_NO_NEW_PRIVS)`. */
function withArgument(api: string, argument: string): string {
  const m = /^(.*?)\)((?: \(bound as [\w$]+\))?)$/.exec(api);
  return m ? `${m[1]}, ${argument})${m[2]}` : `${api}(${argument})`;
}

export function targetOf(origin: PidOrigin): SignalTarget {
  switch (origin) {
    case "self":
      return "own-process";
    case "parent":
      return "parent";
    case "group":
      return "process-group";
    default:
      return "other-process";
  }
}

export function restrictFlags(services: NativeServices, node: Node | undefined): RestrictFlags {
  if (!node) return { tsync: "no", logSameExecOff: "no", logNewExecOn: "no", logSubdomainsOff: "no", noNewPrivs: "no", value: 0 };
  const sym = services.evalNode(node);
  const tri = (bit: bigint): Tri => ((sym.yes & bit) !== 0n ? "yes" : sym.unknown || (sym.maybe & bit) !== 0n ? "maybe" : "no");
  const flags: RestrictFlags = {
    tsync: tri(1n << 3n),
    logSameExecOff: tri(1n << 0n),
    logNewExecOn: tri(1n << 1n),
    logSubdomainsOff: tri(1n << 2n),
    noNewPrivs: tri(1n << 4n),
  };
  const value = valueOf(sym);
  if (value !== undefined && value <= BigInt(Number.MAX_SAFE_INTEGER)) flags.value = Number(value);
  if (sym.abiBits && (sym.abiBits.bits & (1n << 3n)) !== 0n && flags.tsync === "maybe") flags.tsyncIfAbiAtLeast = sym.abiBits.abi;
  const text = services.textOf(node);
  flags.text = text.length > 200 ? text.slice(0, 200) : text;
  flags.range = services.rangeOf(node);
  return flags;
}

/**
 * The ops of one native call. `args` are the C arguments (for `syscall`, the number first);
 * `calleeRange` is what diagnostics underline.
 */
export function nativeCall(services: NativeServices, fn: NativeFn, args: (Node | undefined)[], range: Range, calleeRange: Range): NativeCallResult {
  if (fn.symbol === "syscall") {
    const nrNode = args[0];
    const nr = valueOf(services.evalNode(nrNode));
    const kind = nr === undefined ? undefined : SYSCALL_KIND.get(nr);
    if (!kind) return { ops: [] };
    const api = `syscall(${nrNode ? services.textOf(nrNode).replace(/\s+/g, "") : "?"})${fn.boundAs ? ` (bound as ${fn.boundAs})` : ""}`;
    return landlockOrLibc(services, kind, api, args.slice(1), range, calleeRange, true);
  }
  return landlockOrLibc(services, fn.symbol, nameOf(fn), args, range, calleeRange, false);
}

function landlockOrLibc(services: NativeServices, kind: string, api: string, args: (Node | undefined)[], range: Range, calleeRange: Range, raw: boolean): NativeCallResult {
  switch (kind) {
    case "landlock_restrict_self":
      return { ops: [restrictOp(services, api, args[0], args[1], range, calleeRange)] };
    case "landlock_create_ruleset": {
      const flags = services.evalNode(args[2]);
      if ((flags.yes & 1n) !== 0n) return { ops: [{ type: "abi-query", api, range }], value: { kind: "abi" } };
      if ((flags.yes & 2n) !== 0n) return { ops: [] };
      const info = rulesetInfoOf(services.attrOf(args[0]));
      const op: Extract<IrOp, { type: "create-ruleset" }> = { type: "create-ruleset", ruleset: info, resultChecked: "maybe", api, range };
      services.settleResult(op, false);
      return { ops: [op], value: { kind: "ruleset", info, range } };
    }
    case "landlock_add_rule": {
      const op: Extract<IrOp, { type: "add-rule" }> = { type: "add-rule", resultChecked: "maybe", api, range };
      services.settleResult(op, true);
      return { ops: [op] };
    }
    case "prctl": {
      const option = valueOf(services.evalNode(args[0]));
      const value = valueOf(services.evalNode(args[1]));
      if (option === PR_SET_NO_NEW_PRIVS && value !== 0n) return { ops: [{ type: "no-new-privs", api: withArgument(api, "PR_SET_NO_NEW_PRIVS"), range }] };
      return { ops: [] };
    }
    case "kill":
      return { ops: [{ type: "signal", target: signalTarget(services, args[0]), api, range }] };
    case "tgkill":
    case "tkill":
    case "pthread_kill":
      return { ops: [{ type: "signal", target: "own-thread", api, range }] };
    case "fcntl": {
      const cmd = valueOf(services.evalNode(args[1]));
      if (cmd === F_SETOWN) {
        const target = signalTarget(services, args[2]);
        const setown = target === "process-group" ? "other-process" : target === "own-thread" ? "own-process" : target;
        return { ops: [{ type: "setown", target: setown, api: withArgument(api, "F_SETOWN"), range }] };
      }
      if (cmd === F_SETOWN_EX) return { ops: [{ type: "setown", target: "unknown", api: withArgument(api, "F_SETOWN_EX"), range }] };
      return { ops: [] };
    }
    default:
      break;
  }
  // A raw setuid syscall changes one thread only; glibc's wrappers broadcast to every thread.
  if (SETUID_SYMBOLS.test(kind)) return raw ? { ops: [] } : { ops: [{ type: "setuid", api, range }] };
  if (EXEC_SYMBOLS.test(kind)) return { ops: [{ type: "exec", api, range }] };
  return { ops: [] };
}

export function restrictOp(services: NativeServices, api: string, fdNode: Node | undefined, flagsNode: Node | undefined, range: Range, calleeRange: Range): Extract<IrOp, { type: "restrict" }> {
  const fd = services.rulesetOfFd(fdNode);
  const op: Extract<IrOp, { type: "restrict" }> = {
    type: "restrict",
    mechanism: "syscall",
    flags: restrictFlags(services, flagsNode),
    fd: fd.kind,
    ...(fd.info ? { ruleset: fd.info } : {}),
    ...(fd.range ? { rulesetRange: fd.range } : {}),
    resultChecked: "maybe",
    api,
    range,
    calleeRange,
  };
  services.settleResult(op, true);
  return op;
}

/** Who a pid argument names. */
export function signalTarget(services: NativeServices, node: Node | undefined): SignalTarget {
  if (!node) return "unknown";
  const origin = services.pidOrigin(node);
  if (origin !== "other") return targetOf(origin);
  const value = valueOf(services.evalNode(node));
  if (value !== undefined) {
    const s = signed(value);
    return s === 0n || s < -1n ? "process-group" : "other-process";
  }
  return "other-process";
}
