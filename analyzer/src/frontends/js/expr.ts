// ESTree expressions -> the shared constant-expression tree (c/expr.ts), so the one
// evaluator (c/evaluate.ts) reads JS flag words, syscall numbers and ABI tests too.
// BigInt literals are plain integers here; `BigInt(x)`, `Number(x)`, `parseInt(x)` are
// transparent; static member chains become dotted names (`LL.TSYNC`) that the walker's
// scope resolves.

import type { Expr } from "../c/expr.js";
import { dottedName, staticString, T, unwrap, type Node } from "./ast.js";

const NUMERIC_WRAPPERS = /^(?:BigInt|Number|parseInt|Number\.parseInt|Math\.trunc|Math\.floor|BigInt\.asIntN|BigInt\.asUintN)$/;

const BINARY_OPS: Record<string, string> = {
  "|": "|", "&": "&", "^": "^", "<<": "<<", ">>": ">>", ">>>": ">>", "+": "+", "-": "-", "*": "*", "/": "/", "%": "%",
  "==": "==", "===": "==", "!=": "!=", "!==": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">=",
};

function unknown(text: string): Expr {
  return { k: "unknown", text: text.slice(0, 80) };
}

/** Integer value of a numeric or BigInt literal. */
export function integerLiteral(node: Node): bigint | undefined {
  const n = unwrap(node);
  if (n.type !== T.Literal) return undefined;
  if (typeof n.value === "bigint") return n.value;
  if ("bigint" in n && typeof n.bigint === "string") {
    try {
      return BigInt(n.bigint);
    } catch {
      return undefined;
    }
  }
  if (typeof n.value === "number" && Number.isInteger(n.value)) return BigInt(n.value);
  if (typeof n.value === "boolean") return n.value ? 1n : 0n;
  if (n.value === null && n.raw === "null") return 0n;
  return undefined;
}

export function jsExprOf(node: Node | null | undefined, depth = 0): Expr {
  if (!node) return unknown("");
  if (depth > 64) return unknown("deep");
  const d = depth + 1;
  const n = unwrap(node);
  const literal = integerLiteral(n);
  if (literal !== undefined) return { k: "num", v: literal };
  const s = staticString(n);
  if (s !== undefined) return { k: "str", value: s };
  switch (n.type) {
    case T.Identifier:
      return n.name === "undefined" ? { k: "num", v: 0n } : { k: "id", name: n.name };
    case T.MemberExpression: {
      const name = dottedName(n);
      if (name !== undefined) return { k: "id", name };
      return unknown("member");
    }
    case T.UnaryExpression: {
      if (n.operator === "-" || n.operator === "~" || n.operator === "!" || n.operator === "+") return { k: "un", op: n.operator, e: jsExprOf(n.argument, d) };
      return unknown(n.operator);
    }
    case T.BinaryExpression: {
      const op = BINARY_OPS[n.operator];
      if (!op || n.left.type === T.PrivateIdentifier) return unknown(n.operator);
      return { k: "bin", op, l: jsExprOf(n.left, d), r: jsExprOf(n.right, d) };
    }
    case T.LogicalExpression: {
      if (n.operator === "??") return { k: "cond", c: { k: "unknown", text: "??" }, t: jsExprOf(n.left, d), f: jsExprOf(n.right, d) };
      return { k: "bin", op: n.operator, l: jsExprOf(n.left, d), r: jsExprOf(n.right, d) };
    }
    case T.ConditionalExpression:
      return { k: "cond", c: jsExprOf(n.test, d), t: jsExprOf(n.consequent, d), f: jsExprOf(n.alternate, d) };
    case T.SequenceExpression:
      return jsExprOf(n.expressions[n.expressions.length - 1], d);
    case T.AwaitExpression:
      return jsExprOf(n.argument, d);
    case T.CallExpression: {
      const callee = dottedName(n.callee);
      if (callee === undefined) return unknown("call");
      if (NUMERIC_WRAPPERS.test(callee) && n.arguments.length >= 1) {
        const arg = callee.startsWith("BigInt.as") ? n.arguments[1] : n.arguments[0];
        return arg && arg.type !== T.SpreadElement ? jsExprOf(arg, d) : unknown(callee);
      }
      return { k: "call", callee, args: n.arguments.map((a) => (a.type === T.SpreadElement ? unknown("...") : jsExprOf(a, d))) };
    }
    default:
      return unknown(n.type);
  }
}

/** Identifiers (and dotted names) an expression mentions. */
export function namesIn(e: Expr, depth = 0): string[] {
  if (depth > 48) return [];
  switch (e.k) {
    case "id":
      return [e.name];
    case "un":
      return namesIn(e.e, depth + 1);
    case "bin":
      return [...namesIn(e.l, depth + 1), ...namesIn(e.r, depth + 1)];
    case "cond":
      return [...namesIn(e.c, depth + 1), ...namesIn(e.t, depth + 1), ...namesIn(e.f, depth + 1)];
    case "call":
      return e.args.flatMap((a) => namesIn(a, depth + 1));
    default:
      return [];
  }
}
