// What each rule is, for every surface: ESLint `meta.docs`, LSP `codeDescription`, SARIF
// `helpUri`, the CLI's rule list. The docs base URL lives here and nowhere else.

import { RULE_NAMES, type RuleName, type Severity } from "./findings.js";

export const DOCS_BASE_URL = "https://github.com/landlock-lint/landlock-lint/blob/main/docs/rules/";

export function ruleDocsUrl(rule: RuleName): string {
  return `${DOCS_BASE_URL}${rule}.md`;
}

export interface RuleMeta {
  name: RuleName;
  id: `landlock/${RuleName}`;
  description: string;
  /** Severity in the `recommended` preset (`strict` makes every rule an error). */
  recommended: Severity;
  /** Some findings carry an automatic fix (kind "fix"). */
  fixable: boolean;
  /** Some findings carry suggestions (kind "suggestion"). */
  hasSuggestions: boolean;
  docsUrl: string;
}

const DESCRIPTIONS: Record<RuleName, Omit<RuleMeta, "name" | "id" | "docsUrl">> = {
  "single-thread-restrict": {
    description: "landlock_restrict_self without TSYNC where other threads may already exist: only the calling thread is sandboxed",
    recommended: "error",
    fixable: true,
    hasSuggestions: true,
  },
  "thread-routine-restrict": {
    description: "landlock_restrict_self inside a thread start routine or worker: only that thread is sandboxed",
    recommended: "error",
    fixable: false,
    hasSuggestions: false,
  },
  "per-thread-scope-conflict": {
    description: "per-thread enforcement (libpsx, AllThreadsSyscall, per-thread loops) combined with signal or abstract-socket scoping, or followed by setuid",
    recommended: "error",
    fixable: false,
    hasSuggestions: true,
  },
  "scope-signal-conflict": {
    description: "signal scoping, then a signal or F_SETOWN aimed at a process outside the domain",
    recommended: "error",
    fixable: false,
    hasSuggestions: false,
  },
  "scope-abstract-unix-conflict": {
    description: "abstract unix socket scoping, then a connect to an abstract socket bound outside the domain",
    recommended: "error",
    fixable: false,
    hasSuggestions: false,
  },
  "missing-no-new-privs": {
    description: "landlock_restrict_self without no_new_privs and without CAP_SYS_ADMIN fails with EPERM",
    recommended: "error",
    fixable: false,
    hasSuggestions: true,
  },
  "unchecked-restrict-result": {
    description: "the result of landlock_restrict_self (or of the ruleset calls) is ignored: on failure the program runs unsandboxed",
    recommended: "error",
    fixable: false,
    hasSuggestions: true,
  },
  "abi-compat": {
    description: "TSYNC, scopes, access rights or flags used beyond the target ABI without asking the kernel's ABI",
    recommended: "error",
    fixable: false,
    hasSuggestions: true,
  },
  "nesting-limit": {
    description: "enforcement that can stack past the 16-layer limit (loops, repeated calls, recursion)",
    recommended: "warning",
    fixable: false,
    hasSuggestions: false,
  },
  "unsafe-tsync-fallback": {
    description: "\"TSYNC if the kernel has it, else restrict one thread\" in a multithreaded process",
    recommended: "warning",
    fixable: false,
    hasSuggestions: true,
  },
};

export const RULE_META: Readonly<Record<RuleName, RuleMeta>> = Object.fromEntries(
  RULE_NAMES.map((name) => [name, { name, id: `landlock/${name}`, docsUrl: ruleDocsUrl(name), ...DESCRIPTIONS[name] }]),
) as Record<RuleName, RuleMeta>;

/** Accepts `name` or `landlock/name`; undefined when it is not one of ours. */
export function parseRuleName(text: string): RuleName | undefined {
  const bare = text.trim().replace(/^landlock\//, "");
  return (RULE_NAMES as readonly string[]).includes(bare) ? (bare as RuleName) : undefined;
}
