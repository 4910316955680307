// Go expressions as the shared expression tree (../c/expr.ts), so one evaluator
// (../c/evaluate.ts) serves both languages. Package selectors become dotted identifiers
// (`unix.LANDLOCK_RESTRICT_SELF_TSYNC`), numeric conversions (`uintptr(x)`, `uint32(x)`)
// and `unsafe.Pointer(x)` are transparent, `^x` is bitwise not and `a &^ b` is `a & ~b`.

import type { Expr } from "../c/expr.js";
import type { Node } from "../treesitter.js";
import { typeOf } from "./node-type.js";

export type { Expr } from "../c/expr.js";

const UNKNOWN_CAP = 80;

function unknown(text: string): Expr {
  return { k: "unknown", text: text.length > UNKNOWN_CAP ? text.slice(0, UNKNOWN_CAP) : text };
}

/** Go's numeric types: a call of one with a single argument is a conversion. */
export const NUMERIC_TYPES = new Set([
  "uintptr", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "byte", "rune",
]);

/** A Go integer literal (`0x8`, `0o17`, `017`, `0b101`, `1_000`); undefined if it is not one. */
export function parseGoInt(text: string): bigint | undefined {
  const t = text.replace(/_/g, "");
  try {
    if (/^0[xX][0-9a-fA-F]+$/.test(t)) return BigInt(t);
    if (/^0[bB][01]+$/.test(t)) return BigInt(t);
    if (/^0[oO][0-7]+$/.test(t)) return BigInt("0o" + t.slice(2));
    if (/^0[0-7]*$/.test(t)) return t.length > 1 ? BigInt("0o" + t.slice(1)) : 0n;
    if (/^[1-9][0-9]*$/.test(t)) return BigInt(t);
  } catch {
    return undefined;
  }
  return undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", v: "\v" };

/** Decodes the body of a Go interpreted string literal (`\x00`, `\000`, `\u00e9`, `\n`). */
export function decodeGoString(body: string): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\" || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const next = body[i + 1]!;
    const hex = (n: number) => {
      const digits = body.slice(i + 2, i + 2 + n);
      if (/^[0-9a-fA-F]+$/.test(digits) && digits.length === n) {
        out += String.fromCodePoint(parseInt(digits, 16));
        i += 1 + n;
        return true;
      }
      return false;
    };
    if (/[0-7]/.test(next) && /^[0-7]{3}/.test(body.slice(i + 1))) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else if (next === "x" && hex(2)) continue;
    else if (next === "u" && hex(4)) continue;
    else if (next === "U" && hex(8)) continue;
    else {
      out += SIMPLE_ESCAPES[next] ?? next;
      i += 1;
    }
  }
  return out;
}

/** The value of a string literal node (interpreted or raw), or undefined for anything else. */
export function goStringValue(node: Node | null | undefined, depth = 0): string | undefined {
  if (!node || depth > MAX_STRING_DEPTH) return undefined;
  if (typeOf(node) === "interpreted_string_literal") return decodeGoString(node.text.slice(1, -1));
  if (typeOf(node) === "raw_string_literal") return node.text.slice(1, -1).replace(/\r/g, "");
  if (typeOf(node) === "parenthesized_expression") return goStringValue(node.namedChildren.find((c) => typeOf(c) !== "comment"), depth + 1);
  if (typeOf(node) === "binary_expression" && node.childForFieldName("operator")?.text === "+") {
    const l = goStringValue(node.childForFieldName("left"), depth + 1);
    const r = goStringValue(node.childForFieldName("right"), depth + 1);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  return undefined;
}

/** Parentheses and `+` a string constant is read through; deeper, its value is unknown. */
const MAX_STRING_DEPTH = 64;

/** Strips parentheses, numeric conversions, `unsafe.Pointer(...)` and `&`/`*`: what value the argument carries. */
export function unwrapValue(node: Node): Node {
  let n = node;
  for (let i = 0; i < 12; i++) {
    if (typeOf(n) === "parenthesized_expression") {
      const inner = n.namedChildren.find((c) => typeOf(c) !== "comment");
      if (!inner) return n;
      n = inner;
      continue;
    }
    if (typeOf(n) === "call_expression") {
      const fn = n.childForFieldName("function");
      const args = n.childForFieldName("arguments")?.namedChildren.filter((c) => typeOf(c) !== "comment") ?? [];
      if (fn && args.length === 1 && (NUMERIC_TYPES.has(fn.text) || fn.text === "unsafe.Pointer")) {
        n = args[0]!;
        continue;
      }
    }
    if (typeOf(n) === "unary_expression") {
      const op = n.childForFieldName("operator")?.text;
      const operand = n.childForFieldName("operand");
      if ((op === "&" || op === "*") && operand) {
        n = operand;
        continue;
      }
    }
    return n;
  }
  return n;
}

/**
 * Converts a Go expression node. `packageOf(name)` says whether an identifier names an
 * imported package, and as what (`unix`, `syscall`, `llsyscall`, ...).
 */
export function goExprOf(node: Node | null | undefined, packageOf: (name: string) => string | undefined, depth = 0): Expr {
  if (!node) return unknown("");
  if (depth > 64) return unknown(node.text);
  const d = depth + 1;
  switch (typeOf(node)) {
    case "int_literal": {
      const v = parseGoInt(node.text);
      return v === undefined ? unknown(node.text) : { k: "num", v };
    }
    case "rune_literal": {
      const body = decodeGoString(node.text.slice(1, -1));
      return body.length ? { k: "num", v: BigInt(body.codePointAt(0)!) } : unknown(node.text);
    }
    case "true":
      return { k: "num", v: 1n };
    case "false":
      return { k: "num", v: 0n };
    case "nil":
      return { k: "id", name: "nil" };
    case "iota":
      return { k: "id", name: "iota" };
    case "identifier":
      return { k: "id", name: node.text };
    case "interpreted_string_literal":
    case "raw_string_literal":
      return { k: "str", value: goStringValue(node) ?? "" };
    case "parenthesized_expression":
      return goExprOf(node.namedChildren.find((c) => typeOf(c) !== "comment"), packageOf, d);
    case "selector_expression": {
      const operand = node.childForFieldName("operand");
      const field = node.childForFieldName("field")?.text ?? "";
      if (operand?.type === "identifier") {
        const pkg = packageOf(operand.text);
        if (pkg) return { k: "id", name: `${pkg}.${field}` };
      }
      return { k: "field", obj: goExprOf(operand, packageOf, d), field };
    }
    case "index_expression":
      return { k: "index", obj: goExprOf(node.childForFieldName("operand"), packageOf, d), index: goExprOf(node.childForFieldName("index"), packageOf, d) };
    case "unary_expression": {
      const op = node.childForFieldName("operator")?.text ?? "";
      const e = goExprOf(node.childForFieldName("operand"), packageOf, d);
      if (op === "^") return { k: "un", op: "~", e };
      if (op === "-" || op === "+" || op === "!" || op === "&" || op === "*") return { k: "un", op, e };
      return unknown(node.text);
    }
    case "binary_expression": {
      const op = node.childForFieldName("operator")?.text ?? "";
      const l = goExprOf(node.childForFieldName("left"), packageOf, d);
      const r = goExprOf(node.childForFieldName("right"), packageOf, d);
      if (op === "&^") return { k: "bin", op: "&", l, r: { k: "un", op: "~", e: r } };
      return { k: "bin", op, l, r };
    }
    case "call_expression": {
      const fn = node.childForFieldName("function");
      const args = (node.childForFieldName("arguments")?.namedChildren ?? []).filter((c) => typeOf(c) !== "comment");
      if (fn && args.length === 1 && (NUMERIC_TYPES.has(fn.text) || fn.text === "unsafe.Pointer")) return goExprOf(args[0], packageOf, d);
      const callee = fn ? calleeText(fn, packageOf) : "";
      return { k: "call", callee, args: args.map((a) => goExprOf(a, packageOf, d)) };
    }
    default:
      return unknown(node.text);
  }
}

/** `unix.Syscall`, `cfg.RestrictPaths`, `f`: a callee's text with package aliases resolved. */
export function calleeText(fn: Node, packageOf: (name: string) => string | undefined): string {
  if (typeOf(fn) === "selector_expression") {
    const operand = fn.childForFieldName("operand");
    const field = fn.childForFieldName("field")?.text ?? "";
    if (operand?.type === "identifier") return `${packageOf(operand.text) ?? operand.text}.${field}`;
    return `${operand ? compact(operand.text) : ""}.${field}`;
  }
  return compact(fn.text);
}

function compact(text: string): string {
  const t = text.replace(/\s+/g, "");
  return t.length > 120 ? t.slice(0, 120) : t;
}
