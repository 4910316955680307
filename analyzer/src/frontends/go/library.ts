// What go-landlock does with a Restrict* call, by release and build tags (landlock.md,
// "What the libraries do"): releases from v0.9.0 on pass LANDLOCK_RESTRICT_SELF_TSYNC on
// ABI 8 kernels and fall back to per-thread enforcement through libpsx below ABI 8
// (`restrict.go`: `useTsync := abi.version >= 8`); older releases enforce through libpsx on
// every kernel; the `landlocktsync` build tag removes the psx fallback (the library then
// requires ABI 8). Releases with scopes turn scoping off on kernels without erratum 2.

import type { LibraryInfo, Tri } from "../../ir.js";

/** The first release known to use TSYNC. */
export const FIRST_TSYNC_RELEASE = "v0.9.0";

export const TSYNC_BUILD_TAG = "landlocktsync";

interface SemVer {
  major: number;
  minor: number;
  patch: number;
}

/** `v0.9.1`, `v0.10.0-rc1`, and pseudo-versions (`v0.0.0-20250303204525-1544bccde3a3`, read as their base). */
export function parseGoVersion(version: string): SemVer | undefined {
  const m = /^v(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

function atLeast(v: SemVer, min: SemVer): boolean {
  if (v.major !== min.major) return v.major > min.major;
  if (v.minor !== min.minor) return v.minor > min.minor;
  return v.patch >= min.patch;
}

/** Whether a go-landlock release uses TSYNC when the kernel has it (unknown versions: the current behaviour). */
export function releaseUsesTsync(version: string | undefined): boolean {
  if (!version) return true;
  const v = parseGoVersion(version);
  return !v || atLeast(v, parseGoVersion(FIRST_TSYNC_RELEASE)!);
}

export interface LibraryCall {
  version?: string;
  /** Whether the build has the landlocktsync tag ("maybe": nothing says either way). */
  tsyncTag: Tri;
  bestEffort: boolean;
  /** The call enforces scopes (signal / abstract unix socket). */
  scoped: boolean;
}

export function goLandlockLibrary(call: LibraryCall): LibraryInfo {
  const which = call.version ? `go-landlock ${call.version} (go.mod)` : "go-landlock (version unknown: no go.mod requirement found)";
  const scopeNote = call.scoped ? " (it keeps the scopes only on kernels with erratum 2: without it BestEffort drops them and a strict config fails)" : "";
  if (!releaseUsesTsync(call.version)) {
    return {
      name: "go-landlock",
      ...(call.version ? { version: call.version } : {}),
      tsyncWhenAvailable: false,
      fallbackBelowTsync: "per-thread",
      bestEffort: call.bestEffort,
      description: `${which} enforces through libpsx on every kernel (TSYNC support starts with ${FIRST_TSYNC_RELEASE}), so each thread gets its own domain${scopeNote}`,
    };
  }
  if (call.tsyncTag === "yes") {
    return {
      name: "go-landlock",
      ...(call.version ? { version: call.version } : {}),
      tsyncWhenAvailable: true,
      fallbackBelowTsync: "error",
      bestEffort: call.bestEffort,
      description:
        `${which}, built with the ${TSYNC_BUILD_TAG} tag, uses TSYNC and has no psx fallback: below ABI 8 ` +
        (call.bestEffort ? "BestEffort enforces nothing" : "the call fails") +
        scopeNote,
    };
  }
  const tag = call.tsyncTag === "no" ? ` (this file is built without the ${TSYNC_BUILD_TAG} tag)` : "";
  return {
    name: "go-landlock",
    ...(call.version ? { version: call.version } : {}),
    tsyncWhenAvailable: true,
    fallbackBelowTsync: "per-thread",
    bestEffort: call.bestEffort,
    description: `${which}${tag} uses TSYNC on ABI 8 kernels and falls back to per-thread enforcement through libpsx below ABI 8${scopeNote}`,
  };
}

/**
 * What a `//go:build` expression says about a tag: "yes" when the file only builds with
 * it, "no" when it only builds without it, "maybe" otherwise (or when unreadable).
 */
export function buildTagRequirement(expression: string, tag: string): Tri {
  const tokens = expression.match(/&&|\|\||!|\(|\)|[\w.]+/g);
  if (!tokens || !tokens.includes(tag)) return "maybe";
  const names = [...new Set(tokens.filter((t) => /^[\w.]+$/.test(t)))];
  if (names.length > 12) return "maybe";
  const evaluate = (assignment: Map<string, boolean>): boolean | undefined => {
    let i = 0;
    const or = (): boolean | undefined => {
      let v = and();
      while (tokens[i] === "||") {
        i++;
        const r = and();
        v = v === undefined || r === undefined ? undefined : v || r;
      }
      return v;
    };
    const and = (): boolean | undefined => {
      let v = not();
      while (tokens[i] === "&&") {
        i++;
        const r = not();
        v = v === undefined || r === undefined ? undefined : v && r;
      }
      return v;
    };
    const not = (): boolean | undefined => {
      if (tokens[i] === "!") {
        i++;
        const v = not();
        return v === undefined ? undefined : !v;
      }
      if (tokens[i] === "(") {
        i++;
        const v = or();
        if (tokens[i] !== ")") return undefined;
        i++;
        return v;
      }
      const t = tokens[i++];
      return t !== undefined && /^[\w.]+$/.test(t) ? assignment.get(t) : undefined;
    };
    const v = or();
    return i === tokens.length ? v : undefined;
  };
  let buildsWith = false;
  let buildsWithout = false;
  const others = names.filter((n) => n !== tag);
  for (let mask = 0; mask < 1 << others.length; mask++) {
    const a = new Map<string, boolean>(others.map((n, j) => [n, (mask & (1 << j)) !== 0]));
    for (const value of [true, false]) {
      a.set(tag, value);
      const r = evaluate(a);
      if (r === undefined) return "maybe";
      if (r && value) buildsWith = true;
      if (r && !value) buildsWithout = true;
    }
  }
  if (buildsWith && !buildsWithout) return "yes";
  if (buildsWithout && !buildsWith) return "no";
  return "maybe";
}
