// The three handled-access words of a ruleset attribute (`struct landlock_ruleset_attr`, its
// Go/JS/Rust counterparts) as a walker tracks them, and what the IR records of a ruleset
// built from them.

import type { RulesetInfo } from "../../ir.js";
import { namesOfBits, SCOPE_NAMES } from "../c/landlock-constants.js";
import { exact, UNKNOWN, type Sym } from "../c/sym.js";

export interface AttrState {
  fs: Sym;
  net: Sym;
  scoped: Sym;
  /** Some word was reduced according to the running ABI ("best effort"). */
  masked: boolean;
}

export type AttrField = "fs" | "net" | "scoped";

/**
 * A field name as bindings spell it in any case, with or without underscores: x/sys/unix
 * `Access_fs`, go-landlock `HandledAccessFS`, JS `handledAccessFs`, `fs`, `scoped`, `scopes`.
 */
export function attrFieldOfAnySpelling(name: string): AttrField | undefined {
  const n = name.toLowerCase().replace(/_/g, "");
  if (/^(?:handled)?(?:access)?fs$/.test(n)) return "fs";
  if (/^(?:handled)?(?:access)?net$/.test(n)) return "net";
  if (/^scope[ds]?$/.test(n)) return "scoped";
  return undefined;
}

export function freshAttr(): AttrState {
  return { fs: exact(0n), net: exact(0n), scoped: exact(0n), masked: false };
}

export function unknownAttr(): AttrState {
  return { fs: UNKNOWN, net: UNKNOWN, scoped: UNKNOWN, masked: false };
}

/** The attr words of every path into a join, each word merged by `mergeWord`. */
export function mergeAttrs(attrs: AttrState[], mergeWord: (words: Sym[]) => Sym): AttrState {
  return {
    fs: mergeWord(attrs.map((a) => a.fs)),
    net: mergeWord(attrs.map((a) => a.net)),
    scoped: mergeWord(attrs.map((a) => a.scoped)),
    masked: attrs.some((a) => a.masked),
  };
}

/** The IR's view of a ruleset built from an attr state (undefined: nothing known). */
export function rulesetInfoOf(attr: AttrState | undefined): RulesetInfo {
  if (!attr) return { scopes: [], scopesKnown: false, neededAbi: 1, neededFor: [], maskedByAbi: false };
  const bits = (s: Sym) => s.yes | (s.unknown ? 0n : s.maybe);
  const scopeBits = bits(attr.scoped);
  const scopes = SCOPE_NAMES.filter(([bit]) => (scopeBits & bit) !== 0n).map(([, name]) => name);
  const requested = [...namesOfBits("access-fs", bits(attr.fs)), ...namesOfBits("access-net", bits(attr.net)), ...namesOfBits("scope", scopeBits)];
  const neededAbi = requested.reduce((m, r) => Math.max(m, r.abi), 1);
  return {
    scopes,
    scopesKnown: !attr.scoped.unknown,
    neededAbi,
    neededFor: requested.filter((r) => r.abi === neededAbi && neededAbi > 1).map((r) => r.name),
    maskedByAbi: attr.masked,
  };
}
