// What the JS walker knows about names at one point of a function: flag words, the ABI,
// ruleset attributes and fds, pids, and above all what a value is bound to: a module
// (koffi, ffi-napi, worker_threads...), a loaded library, a native symbol reached through
// an FFI (whatever the JS name it was bound under), a native addon, a function of the
// project. Keys are names or dotted paths (`lib`, `this.restrict`, `LL.TSYNC`), so facts
// stored on objects and on `this` are found again. Facts merge where control flow joins.

import type { Range, RulesetInfo } from "../../ir.js";
import { UNKNOWN, type Sym } from "../c/sym.js";
import { mergeFactsOfPaths, mergeSymsOfTwoArms, type Incoming as FlowIncoming } from "../common/flow-env.js";
import { mergeAttrs, type AttrState } from "../common/ruleset-attr.js";

// `handled_access_fs`, `handledAccessFs`, `fs`, `scoped`, `scopes`...
export { attrFieldOfAnySpelling as attrFieldOf, freshAttr, rulesetInfoOf, type AttrField, type AttrState } from "../common/ruleset-attr.js";

/** How a native function was reached, for messages and for where the call runs. */
export interface NativeFn {
  /** The C symbol: `syscall`, `landlock_restrict_self`, `prctl`... */
  symbol: string;
  /** The FFI: koffi, ffi-napi, ffi-rs, Deno.dlopen, bun:ffi. */
  via: string;
  /** The JS name it is called by, when it differs from the symbol (`ll`, `sc`). */
  boundAs?: string;
  /** The call runs on another thread (koffi/ffi-napi `.async`, Deno `nonblocking`): how. */
  onPool?: string;
  /** ffi-rs functions take their arguments as one array. */
  argsInArray?: boolean;
}

export type PidOrigin = "self" | "parent" | "child" | "group" | "other";

export type VarFact =
  | { kind: "sym"; sym: Sym }
  /** Holds the running Landlock ABI version. */
  | { kind: "abi" }
  | { kind: "attr"; attr: AttrState }
  | { kind: "ruleset"; info: RulesetInfo; range: Range }
  | { kind: "str"; value: string }
  | { kind: "pid"; origin: PidOrigin }
  /** A well-known module or global, or a member path inside it (`worker_threads` `Worker`). */
  | { kind: "mod"; module: string; path: string[] }
  /** `require`, or what `createRequire(...)` returned. */
  | { kind: "require" }
  /** koffi.load(...): functions are bound with `.func(...)`. */
  | { kind: "koffi-lib" }
  /** ffi-napi `DynamicLibrary`, and a symbol pointer got from it. */
  | { kind: "dynlib" }
  | { kind: "symbol-pointer"; symbol: string }
  /** Deno.dlopen / bun:ffi dlopen result: native functions under `.symbols`. */
  | { kind: "dl-lib"; symbols: Map<string, NativeFn> }
  /** An object whose properties are native functions (`lib.symbols`, an ffi-napi Library, an ffi-rs `define`). */
  | { kind: "symtab"; symbols: Map<string, NativeFn> }
  | { kind: "native"; fn: NativeFn }
  /** A native addon (`require("./build/Release/x.node")`, `bindings("x")`, a package named like Landlock). */
  | { kind: "addon"; name: string }
  | { kind: "addon-fn"; addon: string; method: string }
  /** A module of the project (`require("./sandbox")`), or a member of it. */
  | { kind: "js-module"; spec: string; path: string[] }
  /** A function of this file (its IR name). */
  | { kind: "function"; name: string }
  | { kind: "class"; name: string }
  | { kind: "instance"; className: string }
  /** A child process, a worker, a socket. */
  | { kind: "child-process" }
  | { kind: "worker" }
  | { kind: "socket" }
  /** An object literal: its fields live under dotted keys. */
  | { kind: "object" }
  /** A parameter, a local or an import of an unknown package: bound here, to nothing the analysis knows. */
  | { kind: "local" };

const GONE = Symbol("gone");
type Slot = VarFact | typeof GONE;
const MAX_LAYERS = 24;

/**
 * Names -> facts, in layers: `clone()` freezes what is known so far into a shared layer and
 * gives each copy an empty layer of its own, so branching costs nothing in the size of a
 * module's bindings, and a join only looks at the names an arm changed. Facts are never
 * mutated in place.
 */
export class Env {
  private own = new Map<string, Slot>();
  /** Dotted keys (`x.field`) set in this layer, to forget them when `x` changes. */
  private dotted = new Set<string>();
  private depth: number;

  constructor(
    private parent: Env | undefined = undefined,
    initial?: Map<string, VarFact>,
  ) {
    this.depth = parent ? parent.depth + 1 : 0;
    if (initial) for (const [k, v] of initial) this.put(k, v);
  }

  get(name: string): VarFact | undefined {
    for (let e: Env | undefined = this; e; e = e.parent) {
      const slot = e.own.get(name);
      if (slot !== undefined) return slot === GONE ? undefined : slot;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  set(name: string, fact: VarFact | undefined): void {
    // A new value for `x` forgets what was known about `x.field`.
    const prefix = `${name}.`;
    for (let e: Env | undefined = this; e; e = e.parent) {
      for (const key of e.dotted) if (key.startsWith(prefix) && this.get(key) !== undefined) this.put(key, GONE);
    }
    this.put(name, fact ?? GONE);
  }

  /** A parameter or local shadows an outer binding (and any global of that name). */
  shadow(name: string): void {
    this.set(name, { kind: "local" });
  }

  /** Sets one key without touching the keys under it. */
  put(name: string, slot: Slot): void {
    this.own.set(name, slot);
    if (name.includes(".")) this.dotted.add(name);
  }

  clone(): Env {
    if (this.depth >= MAX_LAYERS) this.flatten();
    const base = new Env(this.parent);
    base.own = this.own;
    base.dotted = this.dotted;
    this.parent = base;
    this.own = new Map();
    this.dotted = new Set();
    this.depth = base.depth + 1;
    return new Env(base);
  }

  /** Every live binding. */
  entries(): Map<string, VarFact> {
    const layers: Env[] = [];
    for (let e: Env | undefined = this; e; e = e.parent) layers.push(e);
    const out = new Map<string, VarFact>();
    for (const layer of layers.reverse()) {
      for (const [k, v] of layer.own) {
        if (v === GONE) out.delete(k);
        else out.set(k, v);
      }
    }
    return out;
  }

  private flatten(): void {
    const all = this.entries();
    this.parent = undefined;
    this.own = new Map();
    this.dotted = new Set();
    this.depth = 0;
    for (const [k, v] of all) this.put(k, v);
  }

  /** The layers above `base` (the names this env changed since then). */
  changedSince(base: Env | undefined): Set<string> {
    const names = new Set<string>();
    for (let e: Env | undefined = this; e && e !== base; e = e.parent) for (const k of e.own.keys()) names.add(k);
    return names;
  }

  ancestors(): Env[] {
    const out: Env[] = [];
    for (let e: Env | undefined = this; e; e = e.parent) out.push(e);
    return out;
  }
}

export type Incoming = FlowIncoming<Env>;

export function joinEnvs(incoming: Incoming[]): Env {
  if (incoming.length === 0) return new Env();
  if (incoming.length === 1) return incoming[0]!.env;
  // The deepest layer every incoming env shares: only names changed above it can differ.
  let shared = new Set(incoming[0]!.env.ancestors());
  for (const i of incoming.slice(1)) {
    const mine = new Set(i.env.ancestors());
    shared = new Set([...shared].filter((e) => mine.has(e)));
  }
  const base = incoming[0]!.env.ancestors().find((e) => shared.has(e));
  const names = new Set<string>();
  for (const i of incoming) for (const k of i.env.changedSince(base)) names.add(k);
  const out = new Env(base);
  for (const name of names) {
    const facts = incoming.map((i) => i.env.get(name));
    const merged = mergeFacts(facts, incoming);
    if (merged !== out.get(name)) out.put(name, merged ?? GONE);
  }
  return out;
}

function mergeFacts(facts: (VarFact | undefined)[], incoming: Incoming[]): VarFact | undefined {
  const mergeSyms = (syms: Sym[]) => mergeSymsOfTwoArms(syms, incoming);
  return mergeFactsOfPaths(facts, (same) => {
    const first = same[0]!;
    // The same fact object on every path: keep it, so the join leaves the name untouched.
    if (same.every((f) => f === first)) return first;
    if (first.kind === "sym") return { kind: "sym", sym: mergeSyms(same.map((f) => (f as { sym: Sym }).sym)) };
    if (first.kind === "attr") return { kind: "attr", attr: mergeAttrs(same.map((f) => (f as { attr: AttrState }).attr), mergeSyms) };
    if (first.kind === "str") return same.every((f) => (f as { value: string }).value === first.value) ? first : undefined;
    return first;
  });
}

export { UNKNOWN };
