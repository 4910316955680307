// The statements and expressions fixes insert, per language. A language without a form
// for some fix simply gets no such fix (never a guess that may not parse).

import type { IrFile, IrOp, Language, Range } from "../ir.js";
import type { TextEdit } from "../findings.js";
import { LineIndex } from "../text/positions.js";

const C_LIKE: Language[] = ["c", "cpp"];

export function isCLike(language: Language): boolean {
  return C_LIKE.includes(language);
}

export function tsyncFlag(language: Language): string {
  return isCLike(language) ? "LANDLOCK_RESTRICT_SELF_TSYNC" : "8 /* LANDLOCK_RESTRICT_SELF_TSYNC */";
}

/** The flags expression with TSYNC added: `0` becomes the flag, `a | b` gains `| TSYNC`, anything else is parenthesised. */
export function flagsWithTsync(flagsText: string, language: Language, dropCondition: boolean): string {
  const t = flagsText.trim();
  // JS refuses to mix BigInt and Number (`0n | 8` throws), and FFIs such as Deno.dlopen
  // take 64-bit arguments as BigInt: keep the flag the same kind as the expression.
  const bigint = !isCLike(language) && /\b\d+n\b|\bBigInt\(/.test(t);
  const flag = bigint ? "8n /* LANDLOCK_RESTRICT_SELF_TSYNC */" : tsyncFlag(language);
  if (/^(0[uUlL]*|0x0+[uUlL]*|0n)$/.test(t)) return flag;
  if (dropCondition && t.includes("?")) return flag;
  if (/^[\w\s|()<>]+$/.test(t) && !/\|\|/.test(t)) return `${t} | ${flag}`;
  return `(${t}) | ${flag}`;
}

export function addTsyncEdit(file: string, op: Extract<IrOp, { type: "restrict" }>, language: Language, text: string): TextEdit | undefined {
  const range = op.flags.range;
  if (!range || op.flags.fromParam !== undefined) return undefined;
  const current = op.flags.text ?? text.slice(range.start.offset, range.end.offset);
  if (/TSYNC/.test(current) && op.flags.tsyncIfAbiAtLeast === undefined) return undefined;
  return { file, range, text: flagsWithTsync(current, language, op.flags.tsyncIfAbiAtLeast !== undefined) };
}

/** How this file asks the kernel for its ABI, so the inserted check reads like the rest of the file. */
function abiQueryExpression(irFile: IrFile | undefined, text: string): string {
  const version = /LANDLOCK_CREATE_RULESET_VERSION|linux\/landlock\.h/.test(text) ? "LANDLOCK_CREATE_RULESET_VERSION" : "1";
  const calls: string[] = [];
  const visit = (nodes: IrFile["functions"][number]["body"]): void => {
    for (const n of nodes) {
      if (n.kind === "op" && (n.op.type === "create-ruleset" || n.op.type === "abi-query" || n.op.type === "restrict")) {
        calls.push(text.slice(n.op.range.start.offset, n.op.range.end.offset));
      } else if (n.kind === "branch") n.arms.forEach((a) => visit(a.body));
      else if (n.kind === "loop" || n.kind === "child" || n.kind === "thread") visit(n.body);
    }
  };
  irFile?.functions.forEach((f) => visit(f.body));
  for (const call of calls) {
    const m = /^\s*syscall\s*\(\s*([\w]+)/.exec(call);
    if (!m) continue;
    const nr = m[1]!;
    const createNr = nr === "446" || nr === "445" ? "444" : nr.replace(/restrict_self|add_rule/i, (s) => (s === s.toUpperCase() ? "CREATE_RULESET" : "create_ruleset"));
    return `syscall(${createNr}, NULL, 0, ${version})`;
  }
  return `landlock_create_ruleset(NULL, 0, ${version})`;
}

/** Statements that stop the program when the running ABI is below `abi`. */
export function refuseBelowAbiLines(language: Language, abi: number, reason: string, irFile: IrFile | undefined, text: string): string[] | undefined {
  if (language === "go") {
    const version = /LANDLOCK_CREATE_RULESET_VERSION/.test(text) ? "unix.LANDLOCK_CREATE_RULESET_VERSION" : "1";
    return [
      `if landlockABI, _, _ := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, 0, 0, ${version}); landlockABI < ${abi} {`,
      `	panic(${JSON.stringify(reason)})`,
      "}",
    ];
  }
  if (!isCLike(language)) return undefined;
  const message = reason.replace(/["\\]/g, "\\$&");
  return [
    "{",
    `\tconst int landlock_abi = ${abiQueryExpression(irFile, text)};`,
    "",
    `\tif (landlock_abi < ${abi}) {`,
    `\t\tfprintf(stderr, "${message}\\n");`,
    "\t\texit(EXIT_FAILURE);",
    "\t}",
    "}",
  ];
}

export function noNewPrivsLines(language: Language): { lines: string[]; include?: string } | undefined {
  switch (language) {
    case "c":
    case "cpp":
      return { lines: ["prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);"], include: "sys/prctl.h" };
    case "go":
      return { lines: ["unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)"] };
    case "rust":
      return { lines: ["unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) };"] };
    default:
      return undefined;
  }
}

/** The name perror() should print: the Landlock call, not the syscall() wrapper. */
function callName(api: string): string {
  const m = /landlock_(restrict_self|create_ruleset|add_rule)/i.exec(api);
  return m ? `landlock_${m[1]!.toLowerCase()}` : api.replace(/\(.*$/, "").trim() || "landlock";
}

/**
 * Turns an ignored result into a checked one (C/C++): `call;` becomes `if (call) { perror; exit; }`,
 * `x = call;` gains a test of `x` after it. `failsWhenNegative` is for calls returning an fd.
 */
export function checkResultEdits(
  file: string,
  text: string,
  language: Language,
  callRange: Range,
  api: string,
  failsWhenNegative: boolean,
): TextEdit[] | undefined {
  if (!isCLike(language)) return undefined;
  const index = new LineIndex(text);
  const lineStart = index.lineStart(callRange.start.line);
  const prefix = text.slice(lineStart, callRange.start.offset);
  const after = /^\s*;/.exec(text.slice(callRange.end.offset));
  if (!after) return undefined;
  const semicolonEnd = callRange.end.offset + after[0].length;
  const indent = /^[ \t]*/.exec(prefix)![0];
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const name = callName(api);
  const body = (cond: string) =>
    [`if (${cond}) {`, `\tperror("${name}");`, "\texit(EXIT_FAILURE);", "}"].map((l, i) => (i === 0 ? l : indent + l)).join(eol);
  const call = text.slice(callRange.start.offset, callRange.end.offset);
  const bare = /^\s*(\(\s*void\s*\)\s*)?$/.exec(prefix);
  if (bare) {
    const start = lineStart + indent.length;
    return [{ file, range: index.range(start, semicolonEnd), text: body(failsWhenNegative ? `${call} < 0` : call) }];
  }
  const assigned = /(?:^|[\s(])([A-Za-z_]\w*)\s*=\s*$/.exec(prefix);
  if (assigned && !/[=!<>]=\s*$/.test(prefix) && /^\s*(?:[\w\s*]+\s+)?[A-Za-z_]\w*\s*=\s*$/.test(prefix)) {
    const v = assigned[1]!;
    return [{ file, range: index.range(semicolonEnd, semicolonEnd), text: eol + indent + body(failsWhenNegative ? `${v} < 0` : v) }];
  }
  return undefined;
}
