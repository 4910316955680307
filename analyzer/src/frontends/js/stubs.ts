// Syscall stubs: a function of this file whose body only forwards its parameters to a
// Landlock or prctl call made through an FFI (`const restrictSelf = (fd, flags) =>
// syscall(446, fd, flags)`), like the `landlock_*` shims of C programs. Such a stub is the
// API itself: each call of it is the Landlock call, with the caller's own arguments (its
// flags, its fd), and the stub's body holds nothing to report. A stub other files import
// stays an ordinary helper: their calls cannot be rewritten from here.

import type { TSESTree } from "@typescript-eslint/typescript-estree";
import { dottedName, keyName, T, unwrap, type Node } from "./ast.js";
import type { NativeFn, VarFact } from "./facts.js";
import { nativeArgs } from "./ffi.js";
import type { FunctionLike } from "./walk-types.js";

/** One argument of the wrapped call: the stub's n-th parameter, or a value written in the stub. */
export type StubArgument = { param: number } | { node: Node };

export interface Stub {
  fn: NativeFn;
  args: StubArgument[];
}

const STUB_SYMBOLS = new Set(["syscall", "landlock_restrict_self", "landlock_create_ruleset", "landlock_add_rule", "prctl"]);
const TRANSPARENT_CALLS = /^(?:BigInt|Number|parseInt)$/;

/** The call a function body returns and nothing else: `(a) => f(a)`, `{ return f(a); }`, `{ return await f(a); }`. */
function onlyReturnedCall(fn: FunctionLike): TSESTree.CallExpression | undefined {
  let value: Node | undefined;
  if (fn.body.type !== T.BlockStatement) value = fn.body;
  else {
    const statements = fn.body.body.filter((s) => s.type !== T.EmptyStatement);
    if (statements.length !== 1 || statements[0]!.type !== T.ReturnStatement) return undefined;
    value = statements[0]!.argument ?? undefined;
  }
  let n = value ? unwrap(value) : undefined;
  for (let i = 0; i < 4 && n; i++) {
    if (n.type === T.AwaitExpression) n = unwrap(n.argument);
    else if (n.type === T.CallExpression && TRANSPARENT_CALLS.test(dottedName(n.callee) ?? "") && n.arguments.length === 1 && n.arguments[0]!.type !== T.SpreadElement) n = unwrap(n.arguments[0]!);
    else break;
  }
  return n?.type === T.CallExpression ? n : undefined;
}

/**
 * The stub a function is, given what its callee resolves to (`resolve` peeks at a callee
 * with what the module binds) and whether a value is a constant (`isConstant`).
 */
export function stubOf(fn: FunctionLike, resolve: (callee: Node) => VarFact | undefined, isConstant: (node: Node) => boolean): Stub | undefined {
  const call = onlyReturnedCall(fn);
  if (!call) return undefined;
  const callee = resolve(call.callee);
  if (callee?.kind !== "native" || !STUB_SYMBOLS.has(callee.fn.symbol) || callee.fn.onPool) return undefined;
  const params: string[] = [];
  for (const p of fn.params) {
    if (p.type !== T.Identifier) return undefined;
    params.push(p.name);
  }
  const args: StubArgument[] = [];
  for (const a of nativeArgs(callee.fn, call.arguments)) {
    let n = unwrap(a);
    if (n.type === T.CallExpression && TRANSPARENT_CALLS.test(dottedName(n.callee) ?? "") && n.arguments[0] && n.arguments[0].type !== T.SpreadElement) n = unwrap(n.arguments[0]);
    const index = n.type === T.Identifier ? params.indexOf(n.name) : -1;
    if (index >= 0) args.push({ param: index });
    else if (isConstant(n)) args.push({ node: a });
    else return undefined;
  }
  // A forwarded syscall number would make every call a different syscall: not a stub.
  if (callee.fn.symbol === "syscall" && !(args[0] && "node" in args[0])) return undefined;
  return { fn: callee.fn, args };
}

/** The arguments of a call of the stub: the caller's values where the stub forwards a parameter. */
export function stubArguments(stub: Stub, callArgs: TSESTree.CallExpressionArgument[]): (Node | undefined)[] {
  return stub.args.map((a) => {
    if ("node" in a) return a.node;
    const given = callArgs[a.param];
    return given && given.type !== T.SpreadElement ? given : undefined;
  });
}

/** Names this module exports (ES exports, `module.exports`, `exports.x`). */
export function exportedNames(program: TSESTree.Program): Set<string> {
  const out = new Set<string>();
  const addValue = (n: Node | null | undefined) => {
    if (!n) return;
    const v = unwrap(n);
    if (v.type === T.Identifier) out.add(v.name);
    else if (v.type === T.ObjectExpression) {
      for (const p of v.properties) {
        if (p.type !== T.Property) continue;
        const value = unwrap(p.value);
        if (value.type === T.Identifier) out.add(value.name);
        else {
          const key = keyName(p.key, p.computed);
          if (key) out.add(key);
        }
      }
    }
  };
  for (const s of program.body) {
    if (s.type === T.ExportNamedDeclaration) {
      const d = s.declaration;
      if (d?.type === T.FunctionDeclaration && d.id) out.add(d.id.name);
      else if (d?.type === T.VariableDeclaration) for (const v of d.declarations) if (v.id.type === T.Identifier) out.add(v.id.name);
      for (const spec of s.specifiers) if (spec.local.type === T.Identifier) out.add(spec.local.name);
    } else if (s.type === T.ExportDefaultDeclaration) {
      const d = s.declaration;
      if (d.type === T.FunctionDeclaration && d.id) out.add(d.id.name);
      else if (d.type === T.Identifier) out.add(d.name);
    } else if (s.type === T.ExpressionStatement && s.expression.type === T.AssignmentExpression) {
      const target = dottedName(s.expression.left);
      if (target === "module.exports" || (target !== undefined && /^(?:module\.)?exports\.\w+$/.test(target))) addValue(s.expression.right);
    }
  }
  return out;
}
