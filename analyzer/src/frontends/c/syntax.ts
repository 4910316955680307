// Small readers of tree-sitter C/C++ syntax used by the walker: declarators, casts,
// lambdas, case labels, socket address expressions, macro parameter substitution.

import type { Range } from "../../ir.js";
import { nodeRange, type Node } from "../treesitter.js";
import { stringLiteralValue, type Expr } from "./expr.js";
import { attrFieldOf, type VarFact } from "./state.js";

export function caseStatements(c: Node): Node[] {
  const value = c.childForFieldName("value");
  return c.namedChildren.filter((s) => s.type !== "comment" && (!value || s.id !== value.id));
}

const STATEMENT_TYPES = new Set([
  "compound_statement", "expression_statement", "declaration", "if_statement", "switch_statement", "for_statement", "while_statement",
  "do_statement", "for_range_loop", "return_statement", "throw_statement", "goto_statement", "labeled_statement", "break_statement",
  "continue_statement", "try_statement", "case_statement", "preproc_if", "preproc_ifdef", "preproc_def", "preproc_function_def", "preproc_call",
]);

export function isStatementType(type: string): boolean {
  return STATEMENT_TYPES.has(type);
}

export function unwrapParens(node: Node): Node {
  let n = node;
  for (let i = 0; i < 16 && n.type === "parenthesized_expression"; i++) {
    const inner = n.namedChildren.filter((c) => c.type !== "comment");
    if (inner.length !== 1) break;
    n = inner[0]!;
  }
  return n;
}

export function unwrapLambda(node: Node): Node | undefined {
  let n: Node | null = node;
  for (let i = 0; n && i < 4; i++) {
    if (n.type === "lambda_expression") return n;
    if (n.type === "parenthesized_expression") n = n.namedChild(0);
    else if (n.type === "call_expression" && /(?:^|::)move$/.test(n.childForFieldName("function")?.text ?? "")) n = n.childForFieldName("arguments")?.namedChild(0) ?? null;
    else return undefined;
  }
  return undefined;
}

/** `&Worker::run` given with an object: names `Worker::run`. */
export function memberFunctionRef(node: Node): string | undefined {
  if (node.type === "pointer_expression") {
    const arg = node.childForFieldName("argument");
    if (arg?.type === "qualified_identifier") return arg.text.replace(/\s+/g, "");
  }
  return undefined;
}

export function templateArgument(fnNode: Node): string | undefined {
  const args = fnNode.descendantsOfType("template_argument_list")[0];
  const first = args?.namedChild(0);
  return first ? first.text.replace(/\s+/g, "") : undefined;
}

export function spanRangeOf(first: Node, last: Node): Range {
  const a = nodeRange(first);
  const b = nodeRange(last);
  return { start: a.start, end: b.end };
}

/** Splits a declarator into the declared name and its initial value. */
export function declaratorParts(d: Node): { name?: string; value?: Node } {
  let n: Node | null = d;
  let value: Node | undefined;
  for (let i = 0; n && i < 10; i++) {
    switch (n.type) {
      case "identifier":
      case "field_identifier":
        return value ? { name: n.text, value } : { name: n.text };
      case "init_declarator":
        value = n.childForFieldName("value") ?? undefined;
        n = n.childForFieldName("declarator");
        continue;
      case "pointer_declarator":
      case "reference_declarator":
      case "array_declarator":
      case "parenthesized_declarator":
      case "attributed_declarator":
        n = n.childForFieldName("declarator") ?? n.namedChildren.find((c) => c.type !== "comment") ?? null;
        continue;
      default:
        return value ? { value } : {};
    }
  }
  return value ? { value } : {};
}


/** A function reference or a lambda (`&Pool::run`, `worker`, `[this] { ... }`). */
export function isCallableRef(node: Node): boolean {
  if (node.type === "lambda_expression") return true;
  if (node.type === "pointer_expression") return node.childForFieldName("argument")?.type === "qualified_identifier";
  return false;
}

const NOT_A_CLASS = /^(?:const)?(?:struct|enum|union)\b|^(?:const)?(?:std|boost|absl|grpc|google)::|^(?:auto|void|bool|char|short|int|long|float|double|signed|unsigned|size_t|ssize_t|pid_t|uid_t|gid_t|off_t|mode_t|socklen_t|u?int\d+_t|__[us]\d+|FILE|DIR|va_list|pthread_\w+|sigset_t)\b/;

/** The class a declaration constructs (`farm::RenderPool`), or undefined for scalars and library types. */
export function classTypeName(typeNode: Node): string | undefined {
  if (typeNode.type !== "type_identifier" && typeNode.type !== "qualified_identifier" && typeNode.type !== "template_type") return undefined;
  return classTypeText(typeNode.text.replace(/\s+/g, ""));
}

export function classTypeText(text: string): string | undefined {
  const plain = text.replace(/^::/, "").replace(/<.*$/, "");
  if (!plain || NOT_A_CLASS.test(plain) || /[*&]/.test(plain) || !/^[A-Za-z_][\w:]*$/.test(plain)) return undefined;
  return plain;
}

/** `static_cast<T>(x)`, `reinterpret_cast<T>(x)`: C++ casts parse as calls. */
export function isCppCast(call: Node): boolean {
  const fn = call.childForFieldName("function");
  return fn?.type === "template_function" && /_cast$/.test(fn.childForFieldName("name")?.text ?? "");
}

/** `addr.sun_path` (or `addr->sun_path`) -> `addr`. */
export function sunPathOwner(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== "field_expression") return undefined;
  if (node.childForFieldName("field")?.text !== "sun_path") return undefined;
  const obj = node.childForFieldName("argument");
  return obj?.type === "identifier" ? obj.text : undefined;
}

/** `addr.sun_path` (offset 0), `addr.sun_path + 1` / `&addr.sun_path[1]` (offset 1). */
export function sunPathDestination(node: Node): { owner: string; offset: number } | undefined {
  let n = node;
  if (n.type === "cast_expression") n = n.childForFieldName("value") ?? n;
  else if (n.type === "call_expression" && isCppCast(n)) n = n.childForFieldName("arguments")?.namedChild(0) ?? n;
  const direct = sunPathOwner(n);
  if (direct) return { owner: direct, offset: 0 };
  if (n.type === "binary_expression" && n.childForFieldName("operator")?.text === "+") {
    const owner = sunPathOwner(n.childForFieldName("left"));
    if (owner && n.childForFieldName("right")?.text === "1") return { owner, offset: 1 };
  }
  if (n.type === "pointer_expression") {
    const sub = n.childForFieldName("argument");
    if (sub?.type === "subscript_expression") {
      const owner = sunPathOwner(sub.childForFieldName("argument"));
      const index = sub.childForFieldName("index") ?? sub.childForFieldName("indices")?.namedChild(0);
      if (owner && index?.text === "1") return { owner, offset: 1 };
    }
  }
  return undefined;
}

/** `{ .sun_family = AF_UNIX, .sun_path = "\0name" }`. */
export function sockaddrFromInitializer(init: Node): VarFact {
  for (const item of init.namedChildren) {
    if (item.type !== "initializer_pair") continue;
    if (!/sun_path/.test(item.childForFieldName("designator")?.text ?? "")) continue;
    const value = item.childForFieldName("value");
    const s = value ? stringLiteralValue(value) : undefined;
    if (s !== undefined && (s.startsWith("\0") || s.startsWith("@"))) return { kind: "sockaddr", abstract: true, name: "@" + s.slice(1).split("\0")[0] };
  }
  return { kind: "sockaddr", abstract: false };
}

/** A designated initialiser whose fields are all attr words (`{ .fs = ..., .scoped = ... }`). */
export function looksLikeAttrInitializer(init: Node): boolean {
  const pairs = init.namedChildren.filter((c) => c.type === "initializer_pair");
  return (
    pairs.length > 0 &&
    pairs.every((p) => {
      const designator = p.childForFieldName("designator");
      const name = designator?.namedChildren.find((c) => c.type === "field_identifier")?.text;
      return !!name && !!attrFieldOf(name);
    })
  );
}

/** Replaces macro parameters by the argument expressions. */
export function substitute(e: Expr, bound: Map<string, Expr>, depth = 0): Expr {
  if (depth > 32) return e;
  const d = depth + 1;
  switch (e.k) {
    case "id":
      return bound.get(e.name) ?? e;
    case "un":
      return { ...e, e: substitute(e.e, bound, d) };
    case "bin":
      return { ...e, l: substitute(e.l, bound, d), r: substitute(e.r, bound, d) };
    case "cond":
      return { ...e, c: substitute(e.c, bound, d), t: substitute(e.t, bound, d), f: substitute(e.f, bound, d) };
    case "call":
      return { ...e, args: e.args.map((a) => substitute(a, bound, d)) };
    case "field":
      return { ...e, obj: substitute(e.obj, bound, d) };
    case "index":
      return { ...e, obj: substitute(e.obj, bound, d), index: substitute(e.index, bound, d) };
    default:
      return e;
  }
}
