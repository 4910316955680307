// A small expression tree shared by the two places constant expressions come from:
// tree-sitter nodes (flags arguments, initialisers, conditions) and `#define` / `#if`
// text, which tree-sitter leaves as opaque `preproc_arg` strings. One evaluator
// (evaluate.ts) then serves both.

import type { Node } from "../treesitter.js";

export type Expr =
  | { k: "num"; v: bigint }
  | { k: "id"; name: string }
  | { k: "str"; value: string }
  | { k: "un"; op: string; e: Expr }
  | { k: "bin"; op: string; l: Expr; r: Expr }
  | { k: "cond"; c: Expr; t: Expr; f: Expr }
  | { k: "call"; callee: string; args: Expr[] }
  | { k: "field"; obj: Expr; field: string }
  | { k: "index"; obj: Expr; index: Expr }
  | { k: "unknown"; text: string };

const UNKNOWN_CAP = 80;

function unknown(text: string): Expr {
  return { k: "unknown", text: text.length > UNKNOWN_CAP ? text.slice(0, UNKNOWN_CAP) : text };
}

/** Parses a C integer literal (`0x8`, `010`, `1U`, `1ULL`, `0b101`, `1'000`); undefined if it is not one. */
export function parseIntegerLiteral(text: string): bigint | undefined {
  if (text.startsWith("-")) {
    const v = parseIntegerLiteral(text.slice(1).trimStart());
    return v === undefined ? undefined : -v;
  }
  const t = text.replace(/'/g, "").replace(/[uUlLzZ]+$/, "");
  try {
    if (/^0[xX][0-9a-fA-F]+$/.test(t)) return BigInt(t);
    if (/^0[bB][01]+$/.test(t)) return BigInt(t);
    if (/^0[0-7]*$/.test(t)) return t.length > 1 ? BigInt("0o" + t.slice(1)) : 0n;
    if (/^[1-9][0-9]*$/.test(t)) return BigInt(t);
  } catch {
    return undefined;
  }
  return undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", v: "\v" };

/** Decodes the body of a C string or character literal (without quotes or prefix). */
export function decodeCString(body: string): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\" || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const next = body[i + 1]!;
    if (/[0-7]/.test(next)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i + 1))!;
      out += String.fromCharCode(parseInt(m[0], 8));
      i += m[0].length;
    } else if (next === "x") {
      const m = /^[0-9a-fA-F]+/.exec(body.slice(i + 2));
      if (m) {
        out += String.fromCharCode(parseInt(m[0].slice(-4), 16));
        i += 1 + m[0].length;
      } else {
        out += "x";
        i += 1;
      }
    } else {
      out += SIMPLE_ESCAPES[next] ?? next;
      i += 1;
    }
  }
  return out;
}

/** The decoded content of a string literal node (concatenated literals too). */
export function stringLiteralValue(node: Node): string | undefined {
  if (node.type === "concatenated_string") {
    let out = "";
    for (const part of node.namedChildren) {
      const v = part.type === "string_literal" || part.type === "raw_string_literal" ? stringLiteralValue(part) : undefined;
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (node.type !== "string_literal") return undefined;
  const m = /^[A-Za-z0-9]*"([\s\S]*)"$/.exec(node.text);
  return m ? decodeCString(m[1]!) : undefined;
}

// ---------------------------------------------------------------------------
// tree-sitter node -> Expr

const MAX_CONVERT_DEPTH = 64;

/** Converts a tree-sitter C/C++ expression node to an Expr (anything unfamiliar becomes "unknown"). */
export function exprOfNode(node: Node, depth = 0): Expr {
  if (depth > MAX_CONVERT_DEPTH) return unknown(node.text);
  const d = depth + 1;
  switch (node.type) {
    case "number_literal": {
      const v = parseIntegerLiteral(node.text);
      return v === undefined ? unknown(node.text) : { k: "num", v };
    }
    case "char_literal": {
      const m = /^[A-Za-z0-9]*'([\s\S]*)'$/.exec(node.text);
      const s = m ? decodeCString(m[1]!) : "";
      return s.length === 1 ? { k: "num", v: BigInt(s.charCodeAt(0)) } : unknown(node.text);
    }
    case "true":
      return { k: "num", v: 1n };
    case "false":
    case "null":
    case "nullptr":
      return { k: "num", v: 0n };
    case "identifier":
    case "field_identifier":
    case "namespace_identifier":
    case "type_identifier":
      return { k: "id", name: node.text };
    case "qualified_identifier":
      return { k: "id", name: node.text.replace(/\s+/g, "").replace(/^::/, "") };
    case "string_literal":
    case "concatenated_string": {
      const v = stringLiteralValue(node);
      return v === undefined ? unknown(node.text) : { k: "str", value: v };
    }
    case "parenthesized_expression": {
      const inner = lastNamed(node);
      return inner ? exprOfNode(inner, d) : unknown(node.text);
    }
    case "cast_expression": {
      const value = node.childForFieldName("value");
      return value ? exprOfNode(value, d) : unknown(node.text);
    }
    case "unary_expression":
    case "pointer_expression": {
      const arg = node.childForFieldName("argument");
      const op = node.childForFieldName("operator")?.text ?? node.child(0)?.text ?? "?";
      return arg ? { k: "un", op, e: exprOfNode(arg, d) } : unknown(node.text);
    }
    case "binary_expression": {
      const l = node.childForFieldName("left");
      const r = node.childForFieldName("right");
      const op = node.childForFieldName("operator")?.text;
      if (!l || !r || !op) return unknown(node.text);
      return { k: "bin", op, l: exprOfNode(l, d), r: exprOfNode(r, d) };
    }
    case "conditional_expression": {
      const c = node.childForFieldName("condition");
      const t = node.childForFieldName("consequence");
      const f = node.childForFieldName("alternative");
      if (!c || !f) return unknown(node.text);
      const ce = exprOfNode(c, d);
      return { k: "cond", c: ce, t: t ? exprOfNode(t, d) : ce, f: exprOfNode(f, d) };
    }
    case "field_expression": {
      const obj = node.childForFieldName("argument");
      const field = node.childForFieldName("field");
      return obj && field ? { k: "field", obj: exprOfNode(obj, d), field: field.text } : unknown(node.text);
    }
    case "subscript_expression": {
      const obj = node.childForFieldName("argument");
      const index = node.childForFieldName("index") ?? node.childForFieldName("indices")?.namedChild(0) ?? null;
      return obj && index ? { k: "index", obj: exprOfNode(obj, d), index: exprOfNode(index, d) } : unknown(node.text);
    }
    case "call_expression": {
      const fn = node.childForFieldName("function");
      const args = node.childForFieldName("arguments");
      if (!fn) return unknown(node.text);
      // C++ casts (`static_cast<int>(x)`) and `TEMP_FAILURE_RETRY(x)` pass their argument through.
      if (fn.type === "template_function" && /_cast$/.test(fn.childForFieldName("name")?.text ?? "")) {
        const inner = args?.namedChildren.find(isExpressionNode);
        return inner ? exprOfNode(inner, d) : unknown(node.text);
      }
      return { k: "call", callee: fn.text.replace(/\s+/g, "").replace(/^::/, ""), args: args ? args.namedChildren.filter(isExpressionNode).map((a) => exprOfNode(a, d)) : [] };
    }
    case "comma_expression": {
      const right = node.childForFieldName("right");
      return right ? exprOfNode(right, d) : unknown(node.text);
    }
    case "assignment_expression": {
      const right = node.childForFieldName("right");
      return right ? exprOfNode(right, d) : unknown(node.text);
    }
    case "preproc_defined": {
      const name = node.namedChildren.find((c) => c.type === "identifier");
      return name ? { k: "call", callee: "defined", args: [{ k: "id", name: name.text }] } : unknown(node.text);
    }
    case "sizeof_expression":
    case "alignof_expression":
      return unknown(node.text);
    default:
      return unknown(node.text);
  }
}

function lastNamed(node: Node): Node | null {
  for (let i = node.namedChildCount - 1; i >= 0; i--) {
    const c = node.namedChild(i);
    if (c && c.type !== "comment") return c;
  }
  return null;
}

export function isExpressionNode(node: Node): boolean {
  return node.type !== "comment";
}

// ---------------------------------------------------------------------------
// Text (macro bodies, #if conditions) -> Expr

type Token = { t: "num"; v: bigint } | { t: "id"; v: string } | { t: "str"; v: string } | { t: "op"; v: string };

const OPERATORS = ["<<=", ">>=", "...", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "->", "::", "##", "++", "--", "+", "-", "*", "/", "%", "<", ">", "&", "|", "^", "~", "!", "?", ":", "(", ")", ",", "[", "]", ".", "#", "{", "}", ";", "="];

function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\" && (text[i + 1] === "\n" || text[i + 1] === "\r")) {
      i += 2;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") break;
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    const num = /^(?:0[xX][0-9a-fA-F']+|0[bB][01']+|[0-9][0-9']*)[uUlLzZ]*/.exec(text.slice(i, i + 40));
    if (num) {
      const v = parseIntegerLiteral(num[0]);
      if (v === undefined) return undefined;
      tokens.push({ t: "num", v });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(text.slice(i, i + 256));
    if (id) {
      tokens.push({ t: "id", v: id[0] });
      i += id[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
      const body = decodeCString(text.slice(i + 1, j));
      if (c === "'") tokens.push({ t: "num", v: BigInt(body.length ? body.charCodeAt(0) : 0) });
      else tokens.push({ t: "str", v: body });
      i = j + 1;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) return undefined;
    tokens.push({ t: "op", v: op });
    i += op.length;
  }
  return tokens;
}

const BINARY_PRECEDENCE: Record<string, number> = {
  "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6, "<": 7, ">": 7, "<=": 7, ">=": 7, "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10,
};

const TYPE_WORDS = /^(?:unsigned|signed|int|long|short|char|void|const|volatile|bool|_Bool|float|double|size_t|ssize_t|u?int(?:8|16|32|64|ptr|max)_t|__[us](?:8|16|32|64)|__kernel_\w+|[a-z_][a-z0-9_]*_t|struct|enum|union)$/;

class TextParser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): Expr | undefined {
    const e = this.ternary();
    // Allow a trailing comma expression: keep the last element, like C.
    while (this.peekOp(",")) {
      this.pos++;
      const next = this.ternary();
      if (!next) return undefined;
      return this.pos === this.tokens.length ? next : undefined;
    }
    return e && this.pos === this.tokens.length ? e : undefined;
  }

  private peekOp(v: string): boolean {
    const t = this.tokens[this.pos];
    return !!t && t.t === "op" && t.v === v;
  }

  private ternary(): Expr | undefined {
    const c = this.binary(1);
    if (!c) return undefined;
    if (!this.peekOp("?")) return c;
    this.pos++;
    const t = this.ternary();
    if (!t || !this.peekOp(":")) return undefined;
    this.pos++;
    const f = this.ternary();
    return f ? { k: "cond", c, t, f } : undefined;
  }

  private binary(minPrec: number): Expr | undefined {
    let left = this.unary();
    if (!left) return undefined;
    for (;;) {
      const t = this.tokens[this.pos];
      if (!t || t.t !== "op") return left;
      const prec = BINARY_PRECEDENCE[t.v];
      if (prec === undefined || prec < minPrec) return left;
      this.pos++;
      const right = this.binary(prec + 1);
      if (!right) return undefined;
      left = { k: "bin", op: t.v, l: left, r: right };
    }
  }

  private isCastAhead(): boolean {
    // `(` type-words `*`* `)` followed by an operand start.
    let j = this.pos + 1;
    let sawWord = false;
    while (j < this.tokens.length) {
      const t = this.tokens[j]!;
      if (t.t === "id" && TYPE_WORDS.test(t.v)) {
        sawWord = true;
        j++;
        continue;
      }
      if (t.t === "op" && t.v === "*") {
        j++;
        continue;
      }
      break;
    }
    const close = this.tokens[j];
    if (!sawWord || !close || close.t !== "op" || close.v !== ")") return false;
    const after = this.tokens[j + 1];
    return !!after && (after.t !== "op" || ["(", "~", "-", "!", "+"].includes(after.v));
  }

  private unary(): Expr | undefined {
    const t = this.tokens[this.pos];
    if (!t) return undefined;
    if (t.t === "op") {
      if (["-", "+", "~", "!"].includes(t.v)) {
        this.pos++;
        const e = this.unary();
        return e ? { k: "un", op: t.v, e } : undefined;
      }
      if (t.v === "(") {
        if (this.isCastAhead()) {
          while (!this.peekOp(")")) this.pos++;
          this.pos++;
          return this.unary();
        }
        this.pos++;
        const e = this.ternary();
        let inner = e;
        while (inner && this.peekOp(",")) {
          this.pos++;
          inner = this.ternary();
        }
        if (!inner || !this.peekOp(")")) return undefined;
        this.pos++;
        return inner;
      }
      return undefined;
    }
    this.pos++;
    if (t.t === "num") return { k: "num", v: t.v };
    if (t.t === "str") return { k: "str", value: t.v };
    if (t.v === "defined") {
      const paren = this.peekOp("(");
      if (paren) this.pos++;
      const name = this.tokens[this.pos];
      if (!name || name.t !== "id") return undefined;
      this.pos++;
      if (paren) {
        if (!this.peekOp(")")) return undefined;
        this.pos++;
      }
      return { k: "call", callee: "defined", args: [{ k: "id", name: name.v }] };
    }
    if (this.peekOp("(")) {
      // Function-like macro or builtin: parse the arguments, the evaluator decides.
      this.pos++;
      const args: Expr[] = [];
      if (!this.peekOp(")")) {
        for (;;) {
          const a = this.ternary();
          if (!a) return undefined;
          args.push(a);
          if (this.peekOp(",")) {
            this.pos++;
            continue;
          }
          break;
        }
      }
      if (!this.peekOp(")")) return undefined;
      this.pos++;
      return { k: "call", callee: t.v, args };
    }
    return { k: "id", name: t.v };
  }
}

const MAX_TEXT_EXPR = 4000;

/** Parses a macro body or `#if` condition; undefined when it is not a plain expression. */
export function exprOfText(text: string): Expr | undefined {
  if (text.length > MAX_TEXT_EXPR) return undefined;
  const tokens = tokenize(text);
  if (!tokens || tokens.length === 0) return undefined;
  return new TextParser(tokens).parseAll();
}

/** Identifiers mentioned anywhere in an expression (for "does it mention X" tests). */
export function identifiersOf(e: Expr, out: Set<string> = new Set(), depth = 0): Set<string> {
  if (depth > MAX_CONVERT_DEPTH) return out;
  const d = depth + 1;
  switch (e.k) {
    case "id":
      out.add(e.name);
      break;
    case "un":
      identifiersOf(e.e, out, d);
      break;
    case "bin":
      identifiersOf(e.l, out, d);
      identifiersOf(e.r, out, d);
      break;
    case "cond":
      identifiersOf(e.c, out, d);
      identifiersOf(e.t, out, d);
      identifiersOf(e.f, out, d);
      break;
    case "call":
      out.add(e.callee);
      for (const a of e.args) identifiersOf(a, out, d);
      break;
    case "field":
      identifiersOf(e.obj, out, d);
      break;
    case "index":
      identifiersOf(e.obj, out, d);
      identifiersOf(e.index, out, d);
      break;
    default:
      break;
  }
  return out;
}
