// Rust expressions as the C front-end's small expression tree (c/expr.ts), so that one
// evaluator (flag words, ABI tests) and one condition reader serve both languages.
// Rust specifics: `!` is bitwise on integers, `as` casts vanish, `if c { a } else { b }`
// is the conditional operator, `r.is_err()` reads as "r failed", paths keep `::`.

import type { Node } from "../treesitter.js";
import type { Expr } from "../c/expr.js";
import { codeChildren, lastSegment, parseRustInteger, pathOf, stringValue } from "./syntax.js";

const MAX_DEPTH = 64;
const UNKNOWN_CAP = 80;

function unknown(text: string): Expr {
  return { k: "unknown", text: text.length > UNKNOWN_CAP ? text.slice(0, UNKNOWN_CAP) : text };
}

/** A name for a path: UPPER_CASE constants by their last segment (`libc::SYS_x` -> `SYS_x`), `ABI::V8` as 8. */
export function pathExpr(path: string): Expr {
  const abi = /(?:^|::)ABI::V(\d+)$/.exec(path);
  if (abi) return { k: "num", v: BigInt(abi[1]!) };
  const last = lastSegment(path);
  if (/^[A-Z][A-Z0-9_]*$/.test(last) && last.length > 1) return { k: "id", name: last };
  return { k: "id", name: path };
}

/** The tail expression of a block (`{ a; b }` -> `b`), when it has one. */
export function blockTail(block: Node): Node | undefined {
  const kids = codeChildren(block);
  const last = kids[kids.length - 1];
  if (!last || last.type.endsWith("_statement") || last.type === "let_declaration" || last.type.endsWith("_item")) return undefined;
  return last;
}

function bitwiseContext(node: Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === "binary_expression" || parent.type === "compound_assignment_expr") {
    const op = parent.childForFieldName("operator")?.text ?? "";
    return op === "&" || op === "|" || op === "^" || op === "&=" || op === "|=" || op === "^=";
  }
  return false;
}

/** Converts a tree-sitter-rust expression node to an Expr (anything unfamiliar becomes "unknown"). */
export function rustExprOf(node: Node, depth = 0): Expr {
  if (depth > MAX_DEPTH) return unknown(node.text);
  const d = depth + 1;
  switch (node.type) {
    case "integer_literal": {
      const v = parseRustInteger(node.text);
      return v === undefined ? unknown(node.text) : { k: "num", v };
    }
    case "boolean_literal":
      return { k: "num", v: node.text === "true" ? 1n : 0n };
    case "char_literal": {
      const m = /^b?'(.)'$/.exec(node.text);
      return m ? { k: "num", v: BigInt(m[1]!.charCodeAt(0)) } : unknown(node.text);
    }
    case "string_literal":
    case "raw_string_literal": {
      const v = stringValue(node);
      return v === undefined ? unknown(node.text) : { k: "str", value: v };
    }
    case "identifier":
    case "self":
      return { k: "id", name: node.text };
    case "scoped_identifier":
    case "generic_function": {
      const path = pathOf(node);
      return path ? pathExpr(path) : unknown(node.text);
    }
    case "parenthesized_expression":
    case "reference_expression": {
      const inner = node.childForFieldName("value") ?? codeChildren(node).filter((c) => c.type !== "mutable_specifier").pop();
      return inner ? rustExprOf(inner, d) : unknown(node.text);
    }
    case "type_cast_expression": {
      const value = node.childForFieldName("value");
      return value ? rustExprOf(value, d) : unknown(node.text);
    }
    case "unary_expression": {
      const arg = codeChildren(node)[0];
      const raw = node.child(0)?.text ?? "?";
      if (!arg) return unknown(node.text);
      if (raw === "*") return rustExprOf(arg, d);
      // `!` is logical on bool and bitwise on integers: bitwise next to `&`/`|`, or on a literal.
      const op = raw === "!" && (bitwiseContext(node) || arg.type === "integer_literal") ? "~" : raw;
      return { k: "un", op, e: rustExprOf(arg, d) };
    }
    case "binary_expression": {
      const l = node.childForFieldName("left");
      const r = node.childForFieldName("right");
      const op = node.childForFieldName("operator")?.text;
      if (!l || !r || !op) return unknown(node.text);
      return { k: "bin", op, l: rustExprOf(l, d), r: rustExprOf(r, d) };
    }
    case "if_expression": {
      const c = node.childForFieldName("condition");
      const t = node.childForFieldName("consequence");
      const alt = node.childForFieldName("alternative");
      const f = alt ? (alt.type === "else_clause" ? codeChildren(alt)[0] : alt) : undefined;
      if (!c || !t || !f || c.type === "let_condition" || c.type === "let_chain") return unknown(node.text);
      const tv = blockTail(t);
      const fv = f.type === "block" ? blockTail(f) : f;
      if (!tv || !fv) return unknown(node.text);
      return { k: "cond", c: rustExprOf(c, d), t: rustExprOf(tv, d), f: rustExprOf(fv, d) };
    }
    case "block": {
      const tail = codeChildren(node).length === 1 ? blockTail(node) : undefined;
      return tail ? rustExprOf(tail, d) : unknown(node.text);
    }
    case "unsafe_block": {
      const block = codeChildren(node).find((c) => c.type === "block");
      return block ? rustExprOf(block, d) : unknown(node.text);
    }
    case "field_expression": {
      const obj = node.childForFieldName("value");
      const field = node.childForFieldName("field");
      return obj && field ? { k: "field", obj: rustExprOf(obj, d), field: field.text } : unknown(node.text);
    }
    case "index_expression": {
      const kids = codeChildren(node);
      return kids.length === 2 ? { k: "index", obj: rustExprOf(kids[0]!, d), index: rustExprOf(kids[1]!, d) } : unknown(node.text);
    }
    case "call_expression": {
      const fn = node.childForFieldName("function");
      const argsNode = node.childForFieldName("arguments");
      const args = argsNode ? codeChildren(argsNode).map((a) => rustExprOf(a, d)) : [];
      if (!fn) return unknown(node.text);
      if (fn.type === "field_expression") {
        const receiver = fn.childForFieldName("value");
        const method = fn.childForFieldName("field")?.text ?? "";
        if (receiver && (method === "is_err" || method === "is_ok") && args.length === 0) {
          // `r.is_err()` reads as "r failed": the same shape as `rc != 0` on a C result.
          return { k: "bin", op: method === "is_err" ? "!=" : "==", l: rustExprOf(receiver, d), r: { k: "num", v: 0n } };
        }
        if (receiver && /^(?:unwrap|expect|unwrap_or_default|get)$/.test(method)) return rustExprOf(receiver, d);
        const recv = receiver ? (pathOf(receiver) ?? receiver.text.replace(/\s+/g, "")) : "";
        return { k: "call", callee: `${recv}.${method}`, args };
      }
      const path = pathOf(fn);
      if (!path) return unknown(node.text);
      return { k: "call", callee: path, args };
    }
    case "try_expression": {
      const inner = codeChildren(node)[0];
      return inner ? rustExprOf(inner, d) : unknown(node.text);
    }
    case "await_expression": {
      const inner = codeChildren(node)[0];
      return inner ? rustExprOf(inner, d) : unknown(node.text);
    }
    default:
      return unknown(node.text);
  }
}
