// How each FFI names the C function a JS function is bound to: koffi prototypes
// (`"long syscall(long, ...)"`) and `(name, ret, params)` triples, ffi-napi `Library`
// specs, Deno.dlopen and bun:ffi symbol tables (Deno's `name:` renames a symbol), ffi-rs
// `define` tables. The JS name a program calls may differ from the C symbol; the symbol is
// what decides what a call does.

import type { TSESTree } from "@typescript-eslint/typescript-estree";
import { keyName, T, unwrap, type Node } from "./ast.js";
import type { NativeFn } from "./facts.js";

export type StringOf = (node: Node | undefined) => string | undefined;

const CALLING_CONVENTIONS = /^__(?:cdecl|stdcall|fastcall|thiscall)$/;
const C_WORDS = new Set(["const", "unsigned", "signed", "long", "int", "short", "char", "void", "struct", "union", "enum", "volatile", "size_t", "ssize_t"]);

/** The function name in a C prototype: `long syscall(long, ...)` -> `syscall`. */
export function prototypeName(prototype: string): string | undefined {
  const m = /([A-Za-z_]\w*)\s*\(/.exec(prototype);
  if (!m || C_WORDS.has(m[1]!)) return undefined;
  return m[1];
}

/** `lib.func(...)`, `lib.cdecl(...)`, `lib.stdcall(...)`: the C symbol bound, or undefined. */
export function koffiFuncSymbol(args: TSESTree.CallExpressionArgument[], stringOf: StringOf): string | undefined {
  const first = args[0] && args[0].type !== T.SpreadElement ? stringOf(args[0]) : undefined;
  if (first === undefined) return undefined;
  if (CALLING_CONVENTIONS.test(first)) {
    const second = args[1] && args[1].type !== T.SpreadElement ? stringOf(args[1]) : undefined;
    return second === undefined ? undefined : args.length <= 2 ? prototypeName(second) : second.trim();
  }
  if (args.length === 1 || first.includes("(")) return prototypeName(first);
  return /^[A-Za-z_]\w*$/.test(first.trim()) ? first.trim() : undefined;
}

function objectOf(node: Node | undefined): TSESTree.ObjectExpression | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  return n.type === T.ObjectExpression ? n : undefined;
}

function propertyValue(object: TSESTree.ObjectExpression, name: string): Node | undefined {
  for (const p of object.properties) {
    if (p.type === T.Property && keyName(p.key, p.computed) === name) return p.value;
  }
  return undefined;
}

/**
 * A symbol table given to an FFI: `{ jsName: spec }`. `cSymbol` reads the C name out of a
 * spec (Deno's `name:`), defaulting to the key; `nonblocking` tells Deno's thread-pool calls.
 */
export function symbolTable(node: Node | undefined, via: string, stringOf: StringOf, options: { argsInArray?: boolean } = {}): Map<string, NativeFn> {
  const out = new Map<string, NativeFn>();
  const object = objectOf(node);
  if (!object) return out;
  for (const p of object.properties) {
    if (p.type !== T.Property) continue;
    const jsName = keyName(p.key, p.computed);
    if (!jsName) continue;
    const spec = objectOf(p.value);
    const renamed = spec ? stringOf(propertyValue(spec, "name")) : undefined;
    const symbol = renamed ?? jsName;
    const nonblocking = spec ? propertyValue(spec, "nonblocking") : undefined;
    const fn: NativeFn = { symbol, via };
    if (symbol !== jsName) fn.boundAs = jsName;
    if (nonblocking && nonblocking.type === T.Literal && nonblocking.value === true) fn.onPool = `${via} nonblocking call: it runs on a separate runtime thread`;
    if (options.argsInArray) fn.argsInArray = true;
    out.set(jsName, fn);
  }
  return out;
}

/** ffi-rs `load({ library, funcName, paramsValue, ... })`: the symbol and the argument nodes. */
export function ffiRsLoad(node: Node | undefined, stringOf: StringOf): { symbol: string; args: Node[] } | undefined {
  const object = objectOf(node);
  if (!object) return undefined;
  const symbol = stringOf(propertyValue(object, "funcName"));
  if (!symbol) return undefined;
  const values = propertyValue(object, "paramsValue");
  const array = values ? unwrap(values) : undefined;
  const args = array?.type === T.ArrayExpression ? array.elements.filter((e): e is TSESTree.Expression => !!e && e.type !== T.SpreadElement) : [];
  return { symbol, args };
}

/** A C type name as koffi wants it before each variadic argument: `"int"`, `"uint32_t"`, `"landlock_ruleset_attr *"`. */
const C_TYPE = /^(?:const\s+)?(?:(?:unsigned|signed)\s+)?(?:u?int(?:8|16|32|64)?(?:_t)?|long(?:\s+long)?|short|char|void|size_t|ssize_t|bool|float|double|pid_t|uid_t|gid_t|str|string|[A-Za-z_]\w*\s*\*+)\s*\*?$/;

/**
 * The argument nodes of a native call: ffi-rs functions take one array; koffi's variadic
 * functions take a type before each variadic value (`syscall(446, "int", fd, "uint32_t", 0)`).
 */
export function nativeArgs(fn: NativeFn, args: TSESTree.CallExpressionArgument[]): Node[] {
  const plain = args.filter((a): a is TSESTree.Expression => a.type !== T.SpreadElement);
  if (fn.via === "koffi" && plain.length >= 3) {
    const isType = (n: Node) => {
      const u = unwrap(n);
      return u.type === T.Literal && typeof u.value === "string" && C_TYPE.test(u.value.trim());
    };
    if (plain.slice(1).some(isType)) {
      const out: Node[] = [plain[0]!];
      for (let i = 1; i < plain.length; i++) {
        if (isType(plain[i]!) && i + 1 < plain.length) {
          out.push(plain[i + 1]!);
          i++;
        } else out.push(plain[i]!);
      }
      return out;
    }
  }
  if (!fn.argsInArray) return plain;
  const first = plain[0] ? unwrap(plain[0]) : undefined;
  return first?.type === T.ArrayExpression ? first.elements.filter((e): e is TSESTree.Expression => !!e && e.type !== T.SpreadElement) : [];
}
