// Helpers for the C/C++ front-end tests: run the front-end on a snippet and pick IR apart.

import assert from "node:assert/strict";
import type { IrBlock, IrFile, IrFunction, IrNode, IrOp, Language } from "../src/ir.js";
import { DEFAULT_SETTINGS, type Settings } from "../src/settings.js";
import { cFrontEnd } from "../src/frontends/c/index.js";

export interface SnippetOptions {
  language?: Extract<Language, "c" | "cpp">;
  file?: string;
  settings?: Partial<Settings>;
  defines?: Record<string, string>;
}

export function irOf(code: string, options: SnippetOptions = {}): IrFile {
  const language = options.language ?? "c";
  const file = options.file ?? (language === "cpp" ? "snippet.cpp" : "snippet.c");
  return cFrontEnd.toIr(code, file, language, {
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
    facts: {},
    ...(options.defines ? { defines: options.defines } : {}),
  });
}

export function fn(ir: IrFile, name: string): IrFunction {
  const f = ir.functions.find((x) => x.name === name);
  assert.ok(f, `function ${name} in ${ir.functions.map((x) => x.name).join(", ")}`);
  return f;
}

/** Every op in a block, depth first in source order, with the nodes that enclose it. */
export function opsWithContext(block: IrBlock, enclosing: IrNode[] = []): { op: IrOp; enclosing: IrNode[] }[] {
  const out: { op: IrOp; enclosing: IrNode[] }[] = [];
  for (const node of block) {
    if (node.kind === "op") out.push({ op: node.op, enclosing });
    else if (node.kind === "branch") for (const arm of node.arms) out.push(...opsWithContext(arm.body, [...enclosing, node]));
    else if (node.kind === "loop" || node.kind === "child" || node.kind === "thread") out.push(...opsWithContext(node.body, [...enclosing, node]));
  }
  return out;
}

export function ops(block: IrBlock): IrOp[] {
  return opsWithContext(block).map((x) => x.op);
}

export function opsOfType<T extends IrOp["type"]>(block: IrBlock, type: T): Extract<IrOp, { type: T }>[] {
  return ops(block).filter((o): o is Extract<IrOp, { type: T }> => o.type === type);
}

export function onlyOp<T extends IrOp["type"]>(block: IrBlock, type: T): Extract<IrOp, { type: T }> {
  const found = opsOfType(block, type);
  assert.equal(found.length, 1, `exactly one ${type} op, got ${JSON.stringify(found)}`);
  return found[0]!;
}

/** All nodes of a kind, depth first. */
export function nodesOfKind<K extends IrNode["kind"]>(block: IrBlock, kind: K): Extract<IrNode, { kind: K }>[] {
  const out: Extract<IrNode, { kind: K }>[] = [];
  const visit = (b: IrBlock) => {
    for (const node of b) {
      if (node.kind === kind) out.push(node as Extract<IrNode, { kind: K }>);
      if (node.kind === "branch") for (const arm of node.arms) visit(arm.body);
      else if (node.kind === "loop" || node.kind === "child" || node.kind === "thread") visit(node.body);
    }
  };
  visit(block);
  return out;
}

/** The text a range covers. */
export function textAt(code: string, range: { start: { offset: number }; end: { offset: number } }): string {
  return code.slice(range.start.offset, range.end.offset);
}

/** A compact shape of a block (kinds and op types) for structural assertions. */
export function shape(block: IrBlock): unknown[] {
  return block.map((n) => {
    switch (n.kind) {
      case "op":
        return n.op.type === "call" ? `call:${n.op.callee}` : n.op.type;
      case "exit":
        return "exit";
      case "branch":
        return { branch: n.arms.map((a) => shape(a.body)), exhaustive: n.exhaustive, ...(n.preprocessor ? { preprocessor: true } : {}) };
      case "loop":
        return { loop: shape(n.body) };
      case "child":
        return { child: shape(n.body) };
      case "thread":
        return { thread: shape(n.body) };
    }
  });
}
