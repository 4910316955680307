// File-level names the evaluator can resolve: `#define`s (object-like and function-like),
// enum constants and `const`/`constexpr` globals; and which `#if` branches are live.
//
// `#if` branches are alternatives. A branch is only dropped when its condition is known:
// `#if 0`, or compile_commands.json defines were given and every name the condition uses
// is settled by them, by the file itself or by the compiler's predefined macros. Names a
// system header or an included project header may define stay unknown, so both branches
// are kept: dropping a live `prctl(PR_SET_NO_NEW_PRIVS)` would be a false finding.

import type { Node } from "../treesitter.js";
import { exprOfNode, exprOfText, type Expr } from "./expr.js";
import { evaluate, type EvalScope } from "./evaluate.js";
import { landlockConstant } from "./landlock-constants.js";
import { exact, join, valueOf, type Sym } from "./sym.js";
import { libcConstant } from "./libc-constants.js";
import { attrFieldOf, type AttrField } from "./state.js";
import { stringLiteralValue } from "./expr.js";

export type Liveness = "live" | "dead" | "unknown";

export interface FunctionMacro {
  params: string[];
  body: string;
}

/** Compiler-predefined macros on Linux with gcc/clang (true: defined, false: not defined). */
const PREDEFINED: Record<string, boolean> = {
  __linux__: true,
  __linux: true,
  linux: true,
  __gnu_linux__: true,
  __unix__: true,
  __unix: true,
  unix: true,
  __ELF__: true,
  __STDC__: true,
  __GNUC__: true,
  _WIN32: false,
  _WIN64: false,
  __WIN32__: false,
  __CYGWIN__: false,
  __MINGW32__: false,
  __MINGW64__: false,
  _MSC_VER: false,
  __APPLE__: false,
  __MACH__: false,
  __FreeBSD__: false,
  __OpenBSD__: false,
  __NetBSD__: false,
  __DragonFly__: false,
  __sun: false,
  __HAIKU__: false,
  __EMSCRIPTEN__: false,
};

/** Prefixes of macros that system headers define: never assume them undefined. */
const SYSTEM_MACRO = /^(?:LANDLOCK_|__NR_|SYS_|PR_|CLONE_|CAP_|F_[A-Z]|O_[A-Z]|AF_|SIG|SA_|__GLIBC|__GNU_LIBRARY__|_POSIX|__USE_|_GNU_SOURCE|_DEFAULT_SOURCE|_BSD_SOURCE|_XOPEN|__STDC_|__has_|__x86_64__|__i386__|__aarch64__|__arm__|__riscv|__powerpc|__s390|__mips|__clang|__INTEL|__cplusplus|__BYTE_ORDER|__LP64__|_LP64|__SIZEOF_|__OPTIMIZE__|NDEBUG|__SANITIZE|__has_feature|__KERNEL__|__ANDROID__|__BIONIC__|__MUSL__|__UCLIBC__|INT\d+_|UINT\d+_|SIZE_MAX|PATH_MAX|EOF$|NULL$|true$|false$)/;

const MAX_ALTERNATIVES = 8;

export class FileDefinitions {
  /** Object-like macros: their bodies, parsed on first use (most are never read). */
  private readonly macros = new Map<string, (Expr | string)[]>();
  readonly functionMacros = new Map<string, FunctionMacro>();
  /** Enumerators: their value expression, or the node holding it (converted on first use). */
  private readonly enumerators = new Map<string, Expr | Node>();
  private readonly constants = new Map<string, Expr[]>();
  /** Struct types laid out like `struct landlock_ruleset_attr` (home-made for raw syscalls): their field words in order. */
  readonly attrTypes = new Map<string, AttrField[]>();
  /** C++ classes (and structs with a body) declared in this file. */
  readonly classNames = new Set<string>();
  /** C++ class members declared in this file and their types (`std::vector<std::thread> threads_`). */
  readonly memberTypes = new Map<string, string>();
  /** String constants (`constexpr std::string_view kSocket{"\0name", 5}`, `static const char path[] = "..."`). */
  readonly strings = new Map<string, string>();
  private readonly undefinedHere = new Set<string>();
  private includesProjectHeaders = false;
  private readonly predefined: Record<string, boolean>;

  constructor(
    private readonly defines: Record<string, string> | undefined,
    cpp: boolean,
  ) {
    this.predefined = { ...PREDEFINED, __cplusplus: cpp };
  }

  // ---- collection -------------------------------------------------------

  /** Records a top-level (or in-function) preprocessor or declaration node, if it defines something. */
  collect(node: Node): void {
    switch (node.type) {
      case "preproc_def": {
        const name = node.childForFieldName("name")?.text;
        if (!name) return;
        const value = node.childForFieldName("value")?.text.trim() || "1";
        this.undefinedHere.delete(name);
        const list = this.macros.get(name) ?? [];
        if (list.length < MAX_ALTERNATIVES) list.push(value);
        this.macros.set(name, list);
        return;
      }
      case "preproc_function_def": {
        const name = node.childForFieldName("name")?.text;
        const params = node.childForFieldName("parameters")?.namedChildren.filter((p) => p.type === "identifier").map((p) => p.text) ?? [];
        const body = node.childForFieldName("value")?.text ?? "";
        if (name) {
          this.functionMacros.set(name, { params, body });
          this.macroBodies.delete(name);
        }
        return;
      }
      case "preproc_call": {
        const directive = node.childForFieldName("directive")?.text;
        const arg = node.childForFieldName("argument")?.text.trim();
        if (directive === "#undef" && arg && /^\w+$/.test(arg)) {
          this.macros.delete(arg);
          this.undefinedHere.add(arg);
        }
        return;
      }
      case "preproc_include": {
        const path = node.childForFieldName("path");
        if (path?.type === "string_literal") this.includesProjectHeaders = true;
        return;
      }
      default:
        return;
    }
  }

  /** Records the enumerators of an `enum { ... }` body. */
  collectEnum(enumeratorList: Node): void {
    let previous: Expr = { k: "num", v: -1n };
    for (const e of enumeratorList.namedChildren) {
      if (e.type !== "enumerator") continue;
      const name = e.childForFieldName("name")?.text;
      if (!name) continue;
      const valueNode = e.childForFieldName("value");
      this.enumerators.set(name, valueNode ?? { k: "bin", op: "+", l: previous, r: { k: "num", v: 1n } });
      previous = { k: "id", name };
    }
  }

  /** Records the data members of a C++ class body. */
  collectMembers(fieldList: Node): void {
    for (const field of fieldList.namedChildren) {
      if (field.type !== "field_declaration") continue;
      const type = field.childForFieldName("type")?.text.replace(/\s+/g, "");
      if (!type) continue;
      for (const d of field.childrenForFieldName("declarator")) {
        const name = d.type === "field_identifier" ? d.text : d.childForFieldName("declarator")?.type === "field_identifier" ? d.childForFieldName("declarator")!.text : undefined;
        if (name && !this.memberTypes.has(name)) this.memberTypes.set(name, type);
      }
    }
  }

  /** Records a struct type whose fields are all ruleset attr words. */
  collectAttrType(name: string, fieldList: Node): void {
    const words: AttrField[] = [];
    for (const field of fieldList.namedChildren) {
      if (field.type !== "field_declaration") continue;
      for (const d of field.childrenForFieldName("declarator")) {
        const word = attrFieldOf(d.text.replace(/[*&\s]/g, ""));
        if (!word) return;
        words.push(word);
      }
    }
    if (words.length > 0 && words.length <= 3) this.attrTypes.set(name, words);
  }

  /** Records a `const`/`constexpr` global with an initialiser (`static const unsigned kFlags = ...`). */
  collectConstant(name: string, value: Node): void {
    const text = stringValueOfInitializer(value);
    if (text !== undefined) this.strings.set(name, text);
    const list = this.constants.get(name) ?? [];
    if (list.length < MAX_ALTERNATIVES) list.push(exprOfNode(value));
    this.constants.set(name, list);
  }

  // ---- resolution -------------------------------------------------------

  /** Value of a file-level name, joining alternative definitions; undefined when unknown. */
  value(name: string, scope: EvalScope, depth: number): Sym | undefined {
    const builtin = landlockConstant(name) ?? libcConstant(name);
    if (builtin) return exact(builtin.value);
    const alternatives = this.macroExprs(name) ?? this.constants.get(name);
    if (alternatives) {
      let out: Sym | undefined;
      for (const e of alternatives) {
        const v = evaluate(e, scope, depth + 1);
        out = out ? join(out, v) : v;
      }
      return out;
    }
    // Scoped enumerators (`RestrictFlag::LogNewExecOn`) are looked up by their own name.
    let enumerator = this.enumerators.get(name) ?? (name.includes("::") ? this.enumerators.get(name.slice(name.lastIndexOf("::") + 2)) : undefined);
    if (enumerator && !("k" in enumerator)) {
      const node: Node = enumerator;
      enumerator = exprOfNode(node);
      for (const [key, value] of this.enumerators) if (value === node) this.enumerators.set(key, enumerator);
    }
    if (enumerator) return evaluate(enumerator, scope, depth + 1);
    return undefined;
  }

  private readonly macroBodies = new Map<string, Expr | undefined>();

  /** The body of a function-like macro as an expression (parsed once). */
  macroBody(name: string): Expr | undefined {
    if (this.macroBodies.has(name)) return this.macroBodies.get(name);
    const macro = this.functionMacros.get(name);
    const body = macro ? exprOfText(macro.body) : undefined;
    this.macroBodies.set(name, body);
    return body;
  }

  /**
   * The parsed alternatives of an object-like macro; undefined when there is none.
   */
  private macroExprs(name: string): Expr[] | undefined {
    const list = this.macros.get(name);
    if (!list) return undefined;
    const parsed: Expr[] = [];
    for (let i = 0; i < list.length; i++) {
      const item = list[i]!;
      // A body that is not a plain expression (statement macro, attribute) evaluates as unknown.
      const e = typeof item === "string" ? (exprOfText(item) ?? { k: "unknown", text: item.slice(0, 80) }) : item;
      list[i] = e;
      parsed.push(e);
    }
    return parsed;
  }

  /** Whether the file defines `name` as a macro (any branch). */
  hasMacro(name: string): boolean {
    return this.macros.has(name) || this.functionMacros.has(name);
  }

  // ---- #if liveness -----------------------------------------------------

  /** Whether the first branch of `#if`/`#ifdef`/`#ifndef`/`#elif` node is taken. */
  liveness(node: Node): Liveness {
    const condition = this.conditionOf(node);
    if (!condition) return "unknown";
    const scope = this.preprocessorScope();
    const v = valueOf(evaluate(condition, scope));
    if (v === undefined) return "unknown";
    return v !== 0n ? "live" : "dead";
  }

  /** The condition of a conditional directive as an Expr (`#ifdef X` -> `defined(X)`). */
  conditionOf(node: Node): Expr | undefined {
    switch (node.type) {
      case "preproc_if":
      case "preproc_elif": {
        const c = node.childForFieldName("condition");
        return c ? exprOfNode(c) : undefined;
      }
      case "preproc_ifdef":
      case "preproc_elifdef": {
        const name = node.childForFieldName("name")?.text;
        if (!name) return undefined;
        const directive = node.child(0)?.text ?? "";
        const defined: Expr = { k: "call", callee: "defined", args: [{ k: "id", name }] };
        return directive.endsWith("ndef") ? { k: "un", op: "!", e: defined } : defined;
      }
      default:
        return undefined;
    }
  }

  /** How a directive reads in messages (`#ifdef HAVE_X`). */
  static conditionText(node: Node): string {
    const directive = node.child(0)?.text ?? "#if";
    const c = node.childForFieldName("condition") ?? node.childForFieldName("name");
    return `${directive} ${c?.text ?? ""}`.trim().slice(0, 120);
  }

  private preprocessorScope(): EvalScope {
    const self = this;
    return {
      ident(name, depth) {
        const d = self.definedState(name);
        if (d === false) return exact(0n);
        if (d === undefined) return undefined;
        const fromDefines = self.defines?.[name];
        if (fromDefines !== undefined) {
          const e = exprOfText(fromDefines.trim() || "1");
          return e ? evaluate(e, this, depth + 1) : undefined;
        }
        if (name in self.predefined) return self.predefined[name] ? exact(1n) : exact(0n);
        return self.value(name, this, depth);
      },
      isAbiValue: () => false,
      call(callee, args) {
        if (callee !== "defined" || args[0]?.k !== "id") return undefined;
        const d = self.definedState(args[0].name);
        return d === undefined ? undefined : exact(d ? 1n : 0n);
      },
    };
  }

  /** true/false when it is settled whether `name` is a defined macro here; undefined when it is not. */
  private definedState(name: string): boolean | undefined {
    if (this.undefinedHere.has(name) && !this.hasMacro(name)) return this.defines ? false : undefined;
    if (this.hasMacro(name)) return true;
    if (this.defines && name in this.defines) return true;
    if (name in this.predefined && this.defines) return this.predefined[name];
    if (!this.defines) return undefined;
    if (SYSTEM_MACRO.test(name) || landlockConstant(name) || libcConstant(name)) return undefined;
    if (this.includesProjectHeaders) return undefined;
    return false;
  }
}

/** The string an initialiser holds: `"..."`, `{"...", n}`, `("...")`. */
export function stringValueOfInitializer(value: Node): string | undefined {
  if (value.type === "string_literal" || value.type === "concatenated_string") return stringLiteralValue(value);
  if (value.type === "initializer_list" || value.type === "argument_list" || value.type === "parenthesized_expression") {
    const first = value.namedChildren.find((c) => c.type !== "comment");
    const s = first && (first.type === "string_literal" || first.type === "concatenated_string") ? stringLiteralValue(first) : undefined;
    if (s === undefined) return undefined;
    // `{"\0name", 5}`: an explicit length cuts the literal.
    const second = value.namedChildren.filter((c) => c.type !== "comment")[1];
    const n = second?.type === "number_literal" ? Number.parseInt(second.text, 10) : NaN;
    return Number.isFinite(n) && n >= 0 && n <= s.length ? s.slice(0, n) : s;
  }
  return undefined;
}
