// Re-executed helper processes: a Go program that starts itself again
// (`exec.Command(os.Args[0], "sandbox-helper")`, `/proc/self/exe`, `os.Executable()`) and
// dispatches on `os.Args[1]`, an environment variable or a flag in main. The helper side
// runs in a new process, but that process is a Go program too, whose runtime starts OS
// threads before main: the helper side gets that thread evidence, named, so a restriction
// there without TSYNC is reported as the helper's (not silently accepted as a fresh,
// single-threaded child). A helper that pins its goroutine and execs is handled like any
// LockOSThread + exec sequence.

import type { IrBlock, IrNode, Range } from "../../ir.js";

/** How the file runs itself again, and the strings it passes (mode names, `NAME=value` environment entries). */
export interface Reexec {
  api: string;
  strings: Set<string>;
}

/** What the walker learnt about one helper side: how it is selected, for messages. */
export interface HelperSide {
  how: string;
}

/** Whether a condition or switch subject reads the command line or the environment (a mode dispatch). */
export function readsModeSelector(text: string): boolean {
  return /\bos\.Args\s*\[|\bos\.(?:Getenv|LookupEnv)\s*\(|\bflag\.Arg\s*\(/.test(text);
}

/** `*sandboxHelper`, `!childMode`: a flag named like a helper mode. */
export function helperFlag(text: string): { negated: boolean } | undefined {
  const m = /^(!?)\*?\w*(?:[Hh]elper|[Cc]hild|[Ss]andbox|[Jj]ail)\w*$/.exec(text.trim());
  return m ? { negated: m[1] === "!" } : undefined;
}

/**
 * The helper a dispatch selects, from the strings it compares with: one the program passes
 * when it re-executes itself (certain), or a name that says so (presumed).
 */
export function helperFromStrings(strings: string[], how: string, reexec: Reexec | undefined): HelperSide | undefined {
  const known = reexec ? strings.some((s) => s && (reexec.strings.has(s) || [...reexec.strings].some((r) => r.startsWith(`${s}=`)))) : false;
  if (known) return { how: `re-exec'd helper selected by ${how} and started by ${reexec!.api}` };
  if (strings.some((s) => /helper|child|sandbox|jail|re-?exec|^-?-?inner|^__/i.test(s))) return { how: `presumed re-exec'd helper selected by ${how}` };
  return undefined;
}

/** The helper side of a dispatch: the helper runtime's threads, then the helper's code. */
export function helperSide(helper: HelperSide, body: IrBlock, range: Range): IrNode {
  const runtime: IrNode = {
    kind: "op",
    op: {
      type: "spawn",
      mechanism: `the Go runtime of the ${helper.how}, a new Go program with OS threads of its own before main`,
      count: "many",
      range,
    },
  };
  // Not a `child` node: the checks treat a child as single-threaded even after it starts threads.
  return { kind: "branch", arms: [{ cond: { kind: "other", text: helper.how }, body: [runtime, ...body] }], exhaustive: true, preprocessor: false, range };
}

/**
 * `exec.Command(os.Args[0], ...)`, `exec.Command("/proc/self/exe", ...)`, `os.Executable()`:
 * the program runs itself again. `stringConstant` resolves mode names given as constants.
 */
export function reexecOf(text: string, stringConstant: (name: string) => string | undefined): Reexec | undefined {
  if (text.length > 4_000_000) return undefined;
  const self = /exec\.Command(?:Context)?\(\s*(?:\w+\s*,\s*)?(os\.Args\[0\]|"\/proc\/self\/exe"|\w*(?:self|exe|Exe|executable|Executable)\w*)\s*[,)]/.exec(text);
  if (!self && !/os\.Executable\(\)/.test(text)) return undefined;
  const strings = new Set<string>();
  if (self) {
    // The arguments of the re-executing call: mode names and flags.
    let depth = 0;
    let end = self.index;
    for (let i = text.indexOf("(", self.index); i >= 0 && i < text.length && i < self.index + 2000; i++) {
      if (text[i] === "(") depth++;
      else if (text[i] === ")" && --depth === 0) {
        end = i;
        break;
      }
    }
    const call = text.slice(self.index, end);
    for (const m of call.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) if (m[1] && m[1] !== "/proc/self/exe") strings.add(m[1]);
    for (const m of call.slice(call.indexOf("(") + 1).matchAll(/\b([A-Za-z_]\w*)\b(?!\s*[.(\[])/g)) {
      const value = stringConstant(m[1]!);
      if (value) strings.add(value);
    }
  }
  // The environment handed to the helper.
  for (const m of text.matchAll(/"([A-Za-z_][A-Za-z0-9_]*=[^"\n]*)"/g)) strings.add(m[1]!);
  return { api: self ? `exec.Command(${self[1]})` : "os.Executable()", strings };
}
