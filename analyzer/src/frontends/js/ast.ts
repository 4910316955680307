// Small helpers over the ESTree that typescript-estree produces: positions through the
// shared LineIndex (so every surface agrees on lines and UTF-16 columns), TypeScript-only
// wrappers peeled off expressions, static names and strings, and a generic child walk for
// node types the walker has no case for.

import type { AST_NODE_TYPES, TSESTree } from "@typescript-eslint/typescript-estree";
import type { Range } from "../../ir.js";
import type { LineIndex } from "../../text/positions.js";

export type Node = TSESTree.Node;

/**
 * ESTree node type names (the enum's values equal its keys). Filled when typescript-estree
 * is loaded (estree.ts), which happens before any tree exists to compare against.
 */
export const T = {} as typeof AST_NODE_TYPES;

export function setNodeTypes(types: Record<string, string>): void {
  Object.assign(T, types);
}

/** The IR range of a node. */
export function rangeOf(lines: LineIndex, node: { range: [number, number] }): Range {
  return lines.range(node.range[0], node.range[1]);
}

/** Peels `x as T`, `x!`, `<T>x`, `x satisfies T`, `f<T>` and optional chains off an expression. */
export function unwrap(node: Node): Node {
  let n = node;
  for (let i = 0; i < 32; i++) {
    switch (n.type) {
      case T.TSAsExpression:
      case T.TSSatisfiesExpression:
      case T.TSNonNullExpression:
      case T.TSTypeAssertion:
      case T.TSInstantiationExpression:
      case T.ChainExpression:
        n = n.expression;
        continue;
      default:
        return n;
    }
  }
  return n;
}

/** The name of a property key written statically: `a`, `"a"`, `["a"]`, `0`. */
export function keyName(key: Node, computed: boolean): string | undefined {
  if (!computed && key.type === T.Identifier) return key.name;
  if (key.type === T.PrivateIdentifier) return `#${key.name}`;
  const s = staticString(key);
  if (s !== undefined) return s;
  if (key.type === T.Literal && typeof key.value === "number") return String(key.value);
  return undefined;
}

/** The property name of a member expression when it is static (`a.b`, `a["b"]`). */
export function memberName(node: TSESTree.MemberExpression): string | undefined {
  return keyName(node.property, node.computed);
}

/** The value of a string literal or a template literal without substitutions. */
export function staticString(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  const n = unwrap(node);
  if (n.type === T.Literal && typeof n.value === "string") return n.value;
  if (n.type === T.TemplateLiteral && n.expressions.length === 0) return n.quasis.map((q) => q.value.cooked ?? q.value.raw).join("");
  return undefined;
}

/** `a.b.c` for identifiers, `this` and static members; undefined for anything else. */
export function dottedName(node: Node, depth = 0): string | undefined {
  if (depth > 16) return undefined;
  const n = unwrap(node);
  if (n.type === T.Identifier) return n.name;
  if (n.type === T.ThisExpression) return "this";
  if (n.type === T.Super) return "super";
  if (n.type === T.MemberExpression) {
    const object = dottedName(n.object, depth + 1);
    const name = memberName(n);
    return object !== undefined && name !== undefined ? `${object}.${name}` : undefined;
  }
  return undefined;
}

const SKIPPED_KEYS = new Set(["parent", "loc", "range", "typeAnnotation", "typeArguments", "typeParameters", "returnType", "superTypeArguments", "implements", "decorators"]);

/** Child nodes in source order (generic: for nodes the walker has no case for). */
export function childrenOf(node: Node): Node[] {
  const out: Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (SKIPPED_KEYS.has(key) || !value || typeof value !== "object") continue;
    if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) out.push(v);
    } else if (isNode(value)) out.push(value);
  }
  return out.sort((a, b) => a.range[0] - b.range[0]);
}

function isNode(v: unknown): v is Node {
  return !!v && typeof v === "object" && typeof (v as { type?: unknown }).type === "string" && Array.isArray((v as { range?: unknown }).range);
}

export function isFunctionNode(node: Node): node is TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression {
  return node.type === T.FunctionDeclaration || node.type === T.FunctionExpression || node.type === T.ArrowFunctionExpression;
}

/** A short one-line text of a node, for conditions and API names in messages. */
export function shortText(text: string, node: { range: [number, number] }, max = 120): string {
  const raw = text.slice(node.range[0], node.range[1]).replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, " ").replace(/\s+/g, " ").trim();
  return raw.length > max ? `${raw.slice(0, max)}...` : raw;
}
