// Small readers over tree-sitter-rust nodes shared by the Rust front-end's modules: paths
// as written (`std::thread::spawn`, `Foo::<u8>::new` -> `Foo::new`), literals, comments.

import type { Node } from "../treesitter.js";

const COMMENT_TYPES = new Set(["line_comment", "block_comment"]);

export function isComment(node: Node): boolean {
  return COMMENT_TYPES.has(node.type);
}

/** Named children without comments (and without attributes, which never hold code we walk). */
export function codeChildren(node: Node): Node[] {
  return node.namedChildren.filter((c) => !COMMENT_TYPES.has(c.type) && c.type !== "attribute_item" && c.type !== "inner_attribute_item");
}

const MAX_PATH_DEPTH = 32;

/**
 * The path a node names, without generic arguments or whitespace: `thread::Builder::new`,
 * `Foo::new` for `Foo::<u8>::new`, `Foo::baz` for `<Foo as Bar>::baz`. Undefined when the
 * node is not a path (a closure, a call result, ...).
 */
export function pathOf(node: Node | null | undefined, depth = 0): string | undefined {
  if (!node || depth > MAX_PATH_DEPTH) return undefined;
  switch (node.type) {
    case "identifier":
    case "type_identifier":
    case "primitive_type":
    case "field_identifier":
    case "self":
    case "super":
    case "crate":
    case "metavariable":
      return node.text;
    case "scoped_identifier":
    case "scoped_type_identifier": {
      const name = node.childForFieldName("name");
      const path = node.childForFieldName("path");
      if (!name) return undefined;
      if (!path) return node.text.trimStart().startsWith("::") ? `::${name.text}` : name.text;
      const head = pathOf(path, depth + 1);
      return head === undefined ? undefined : `${head}::${name.text}`;
    }
    case "generic_type":
    case "generic_function":
      return pathOf(node.childForFieldName("type") ?? node.childForFieldName("function"), depth + 1);
    case "bracketed_type": {
      const inner = node.namedChild(0);
      if (inner?.type === "qualified_type") return pathOf(inner.childForFieldName("type"), depth + 1);
      return pathOf(inner, depth + 1);
    }
    default:
      return undefined;
  }
}

export function lastSegment(path: string): string {
  const i = path.lastIndexOf("::");
  return i >= 0 ? path.slice(i + 2) : path;
}

/** `path` is `name` or ends in `::name` (`std::thread::spawn` matches `thread::spawn`). */
export function pathEndsWith(path: string, name: string): boolean {
  return path === name || path.endsWith(`::${name}`);
}

/** Parses a Rust integer literal (`0x8u32`, `1_000`, `0b1000`, `0o10`, `3usize`); undefined if it is not one. */
export function parseRustInteger(text: string): bigint | undefined {
  const t = text.replace(/_/g, "").replace(/(?:[iu](?:8|16|32|64|128|size))$/, "");
  try {
    if (/^0x[0-9a-fA-F]+$/.test(t)) return BigInt(t);
    if (/^0o[0-7]+$/.test(t)) return BigInt(t);
    if (/^0b[01]+$/.test(t)) return BigInt(t);
    if (/^[0-9]+$/.test(t)) return BigInt(t);
  } catch {
    return undefined;
  }
  return undefined;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"' };

/** The decoded content of a (byte) string literal, raw strings included; undefined for anything else. */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "raw_string_literal") {
    const m = /^b?r(#*)"([\s\S]*)"\1$/.exec(node.text);
    return m ? m[2] : undefined;
  }
  if (node.type !== "string_literal") return undefined;
  const m = /^b?"([\s\S]*)"$/.exec(node.text);
  if (!m) return undefined;
  const body = m[1]!;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\" || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const next = body[i + 1]!;
    if (next === "x") {
      out += String.fromCharCode(parseInt(body.slice(i + 2, i + 4), 16) || 0);
      i += 3;
    } else if (next === "u") {
      const u = /^\{([0-9a-fA-F]+)\}/.exec(body.slice(i + 2));
      if (u) {
        out += String.fromCodePoint(Math.min(parseInt(u[1]!, 16), 0x10ffff));
        i += 1 + u[0].length;
      } else i += 1;
    } else if (next === "\n") {
      // A line continuation skips the newline and the next line's leading whitespace.
      i += 1;
      while (i + 1 < body.length && /\s/.test(body[i + 1]!)) i++;
    } else {
      out += ESCAPES[next] ?? next;
      i += 1;
    }
  }
  return out;
}

/** The value inside `Some(x)` / `Ok(x)` / `&x` / `&mut x` / `(x)` / `x as T` / `unsafe { x }` / `{ x }`. */
export function unwrapValue(node: Node): Node {
  let n = node;
  for (let i = 0; i < 16; i++) {
    switch (n.type) {
      case "parenthesized_expression":
      case "reference_expression": {
        const inner = n.childForFieldName("value") ?? codeChildren(n).filter((c) => c.type !== "mutable_specifier").pop();
        if (!inner) return n;
        n = inner;
        continue;
      }
      case "type_cast_expression": {
        const inner = n.childForFieldName("value");
        if (!inner) return n;
        n = inner;
        continue;
      }
      case "unsafe_block":
      case "block": {
        const block = n.type === "unsafe_block" ? codeChildren(n).find((c) => c.type === "block") : n;
        const kids = block ? codeChildren(block) : [];
        const tail = kids[kids.length - 1];
        if (!tail || kids.length !== 1 || tail.type.endsWith("statement") || tail.type === "let_declaration") return n;
        n = tail;
        continue;
      }
      default:
        return n;
    }
  }
  return n;
}
