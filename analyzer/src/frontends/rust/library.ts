// What rust-landlock (the `landlock` crate) does with a builder chain, by release and
// compatibility level (landlock.md, "What the libraries do"; the crate's CHANGELOG):
// - `restrict_self()` restricts the calling thread only, unless `all_threads()` (0.4.6+)
//   asked for LANDLOCK_RESTRICT_SELF_TSYNC;
// - the default CompatLevel::BestEffort silently drops what the running kernel lacks, so
//   `all_threads()` below ABI 8 falls back to restricting one thread;
//   SoftRequirement disables the whole sandbox instead (RestrictionStatus::NotEnforced);
//   HardRequirement makes the call fail;
// - `scope()` (0.4.2+) handles signal / abstract-socket scoping (ABI 6);
// - since 0.4.0 the crate sets no_new_privs itself unless told not to.

import type { LibraryInfo, RulesetInfo } from "../../ir.js";

export type CompatLevel = "best-effort" | "soft" | "hard";

/** The state of a `Ruleset` / `RulesetCreated` value as the chain built it. */
export interface RustRuleset {
  /** Compatibility level in force for what is requested next. */
  compat: CompatLevel;
  scopes: Set<string>;
  scopesKnown: boolean;
  neededAbi: number;
  neededFor: string[];
  /** TSYNC asked with `all_threads()`, and the compatibility level in force when it was. */
  allThreads: "yes" | "no" | "maybe";
  allThreadsCompat: CompatLevel;
  /** `no_new_privs(false)` / `set_no_new_privs(false)` was called. */
  noNewPrivsOff: boolean;
  /** The value came from somewhere the front-end did not see (a parameter, another file). */
  builtElsewhere: boolean;
}

export function freshRuleset(): RustRuleset {
  return {
    compat: "best-effort",
    scopes: new Set(),
    scopesKnown: true,
    neededAbi: 1,
    neededFor: [],
    allThreads: "no",
    allThreadsCompat: "best-effort",
    noNewPrivsOff: false,
    builtElsewhere: false,
  };
}

/** A ruleset built out of sight: the file's own mentions decide what is likely. */
export function rulesetBuiltElsewhere(fileText: string): RustRuleset {
  const r = freshRuleset();
  r.builtElsewhere = true;
  r.scopesKnown = false;
  if (/\ball_threads\s*\(\s*(?:true\s*)?\)/.test(fileText)) {
    r.allThreads = "maybe";
    r.allThreadsCompat = /CompatLevel::HardRequirement/.test(fileText) ? "hard" : "best-effort";
  }
  if (/CompatLevel::HardRequirement/.test(fileText) && !/CompatLevel::(?:BestEffort|SoftRequirement)/.test(fileText)) r.compat = "hard";
  return r;
}

export function cloneRuleset(r: RustRuleset): RustRuleset {
  return { ...r, scopes: new Set(r.scopes), neededFor: [...r.neededFor] };
}

/** Rights and scopes by the ABI that introduced them (the crate's enum variant names). */
const RIGHT_ABI: Record<string, number> = {
  Execute: 1, WriteFile: 1, ReadFile: 1, ReadDir: 1, RemoveDir: 1, RemoveFile: 1, MakeChar: 1, MakeDir: 1, MakeReg: 1,
  MakeSock: 1, MakeFifo: 1, MakeBlock: 1, MakeSym: 1, Refer: 2, Truncate: 3, BindTcp: 4, ConnectTcp: 4, IoctlDev: 5,
  ResolveUnix: 9, BindUdp: 10, ConnectUdp: 10, SendtoUdp: 10,
};

/** `ABI::V5` -> 5 (anywhere in an argument's text). */
export function abiVariant(text: string): number | undefined {
  const m = /\bABI::V(\d+)\b/.exec(text);
  return m ? Number(m[1]) : undefined;
}

function need(r: RustRuleset, abi: number, name: string): void {
  if (abi > r.neededAbi) {
    r.neededAbi = abi;
    r.neededFor = [name];
  } else if (abi === r.neededAbi && abi > 1 && !r.neededFor.includes(name)) r.neededFor.push(name);
}

/** `.handle_access(AccessFs::from_all(ABI::V5))`, `.handle_access(AccessNet::BindTcp)`. */
export function handleAccess(r: RustRuleset, argText: string): void {
  const all = /\b(?:AccessFs|AccessNet)::from_(?:all|read|write|file)\s*\(([^)]*)\)/.exec(argText);
  if (all) {
    const abi = abiVariant(all[1]!);
    if (abi !== undefined) need(r, Math.min(abi, 9), `access rights of ABI::V${abi}`);
  }
  for (const m of argText.matchAll(/\b(?:AccessFs|AccessNet)::([A-Z]\w*)/g)) {
    const abi = RIGHT_ABI[m[1]!];
    if (abi !== undefined) need(r, abi, `${argText.includes("AccessNet::" + m[1]) ? "AccessNet" : "AccessFs"}::${m[1]}`);
  }
}

/** `.scope(Scope::Signal)`, `.scope(Scope::AbstractUnixSocket | Scope::Signal)`, `.scope(Scope::from_all(abi))`. */
export function addScopes(r: RustRuleset, argText: string): void {
  const fromAll = /\bScope::from_all\s*\(([^)]*)\)/.exec(argText);
  if (fromAll) {
    const abi = abiVariant(fromAll[1]!);
    if (abi === undefined) r.scopesKnown = false;
    else if (abi >= 6) {
      r.scopes.add("signal");
      r.scopes.add("abstract_unix_socket");
    }
  }
  if (/\bSignal\b/.test(argText)) r.scopes.add("signal");
  if (/\bAbstractUnixSocket\b/.test(argText)) r.scopes.add("abstract_unix_socket");
  if (!fromAll && !/\b(?:Signal|AbstractUnixSocket)\b/.test(argText)) r.scopesKnown = false;
  if (r.scopes.size > 0) need(r, 6, "Scope");
}

export function compatOf(argText: string): CompatLevel | undefined {
  if (/HardRequirement/.test(argText)) return "hard";
  if (/SoftRequirement/.test(argText)) return "soft";
  if (/BestEffort/.test(argText)) return "best-effort";
  return undefined;
}

export function rulesetInfo(r: RustRuleset): RulesetInfo {
  return {
    scopes: [...r.scopes].sort(),
    scopesKnown: r.scopesKnown,
    neededAbi: r.neededAbi,
    neededFor: [...r.neededFor],
    // The crate masks what the kernel lacks (best effort) or refuses (hard requirement):
    // it never passes an unknown right to the kernel.
    maskedByAbi: true,
  };
}

interface SemVer {
  major: number;
  minor: number;
  patch: number;
}

export function parseCrateVersion(version: string): SemVer | undefined {
  const m = /^\s*[=^~>]*\s*v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) } : undefined;
}

function atLeast(v: SemVer, major: number, minor: number, patch: number): boolean {
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

/** The first release with `all_threads()`. */
export const FIRST_ALL_THREADS_RELEASE = "0.4.6";

/**
 * Whether the release in use has `all_threads()`. An exact version (Cargo.lock, `=0.4.5`)
 * decides; a requirement such as `0.4` or `^0.4.2` may resolve to 0.4.6 or later, and code
 * calling all_threads() only builds then, so it (like an unknown version) counts as having it.
 */
export function releaseHasAllThreads(version: string | undefined): boolean {
  if (!version) return true;
  const v = parseCrateVersion(version);
  if (!v) return true;
  const exact = /^\s*=?\s*v?\d+\.\d+\.\d+\s*$/.test(version);
  return atLeast(v, 0, 4, 6) || !exact;
}

function which(version: string | undefined): string {
  return version ? `rust-landlock ${version} (Cargo.lock/Cargo.toml)` : "rust-landlock (version unknown: no Cargo.lock or Cargo.toml entry)";
}

const COMPAT_NAMES: Record<CompatLevel, string> = {
  "best-effort": "CompatLevel::BestEffort",
  soft: "CompatLevel::SoftRequirement",
  hard: "CompatLevel::HardRequirement",
};

/** What a `restrict_self()` on this ruleset does, for the IR and for messages. */
export function rustLandlockLibrary(r: RustRuleset, version: string | undefined): LibraryInfo {
  const base = which(version);
  const elsewhere = r.builtElsewhere ? " (the ruleset is built out of sight of this file)" : "";
  const bestEffort = r.compat !== "hard";
  const common = { name: "rust-landlock" as const, ...(version ? { version } : {}), bestEffort };
  if (r.allThreads === "no" || (r.allThreads === "yes" && !releaseHasAllThreads(version))) {
    const missing = r.allThreads === "yes" ? `; all_threads() needs ${FIRST_ALL_THREADS_RELEASE} or later` : "";
    return {
      ...common,
      tsyncWhenAvailable: false,
      fallbackBelowTsync: "single-thread",
      description: `${base}: restrict_self() without all_threads() restricts only the calling thread${missing}${elsewhere}`,
    };
  }
  const level = r.allThreadsCompat;
  const maybe = r.allThreads === "maybe" ? " (assumed from the file's all_threads() call)" : "";
  switch (level) {
    case "hard":
      return {
        ...common,
        tsyncWhenAvailable: true,
        fallbackBelowTsync: "error",
        description: `${base} with all_threads() under ${COMPAT_NAMES.hard} makes restrict_self() fail below ABI 8${maybe}${elsewhere}`,
      };
    case "soft":
      return {
        ...common,
        tsyncWhenAvailable: true,
        fallbackBelowTsync: "none",
        description: `${base} with all_threads() under ${COMPAT_NAMES.soft} leaves the whole process unsandboxed below ABI 8 (RestrictionStatus::NotEnforced)${maybe}${elsewhere}`,
      };
    default:
      return {
        ...common,
        tsyncWhenAvailable: true,
        fallbackBelowTsync: "single-thread",
        description: `${base} with all_threads() under ${COMPAT_NAMES["best-effort"]} (the default)${maybe}${elsewhere}`,
      };
  }
}

/** The API as messages name it. */
export function restrictApi(r: RustRuleset): string {
  if (r.allThreads === "no") return "rust-landlock restrict_self() without all_threads()";
  return "rust-landlock restrict_self() with all_threads()";
}
