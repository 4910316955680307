// The numbers a JS/TS program passes through an FFI when it sandboxes itself: Landlock UAPI
// names (however the program spells its own copies of them), x86_64 syscall numbers for
// the calls that matter, prctl and fcntl commands. JS has no headers, so programs declare
// these constants themselves; the UAPI names are only used when the file does not say
// what a name holds.

import { landlockConstant } from "../c/landlock-constants.js";

export { SYSCALL_KIND } from "../syscall-numbers.js";

const OTHER: Record<string, bigint> = {
  PR_SET_NO_NEW_PRIVS: 38n,
  PR_GET_NO_NEW_PRIVS: 39n,
  F_SETOWN: 8n,
  F_GETOWN: 9n,
  F_SETSIG: 10n,
  F_SETOWN_EX: 15n,
  SYS_prctl: 157n,
  SYS_kill: 62n,
  SYS_setuid: 105n,
  SYS_setgid: 106n,
  __NR_prctl: 157n,
  __NR_kill: 62n,
};

export const PR_SET_NO_NEW_PRIVS = 38n;
export const F_SETOWN = 8n;
export const F_SETOWN_EX = 15n;
export const TSYNC_BIT = 1n << 3n;

/**
 * The value a name stands for when the program does not define it: a Landlock UAPI name
 * (`LANDLOCK_RESTRICT_SELF_TSYNC`, `SYS_landlock_restrict_self`), a prctl/fcntl/syscall
 * name, or a short spelling of the TSYNC flag (`TSYNC`, `RESTRICT_SELF_TSYNC`).
 */
export function jsConstant(name: string): bigint | undefined {
  const known = cache.get(name);
  if (known !== undefined || cache.has(name)) return known;
  const value = lookup(name);
  if (cache.size < 50_000) cache.set(name, value);
  return value;
}

const cache = new Map<string, bigint | undefined>();

function lookup(name: string): bigint | undefined {
  const uapi = landlockConstant(name);
  if (uapi && uapi.value !== 0n) return uapi.value;
  if (Object.hasOwn(OTHER, name)) return OTHER[name];
  if (/^(?:LANDLOCK_)?(?:RESTRICT_SELF_)?TSYNC$/i.test(name) || /^(?:landlock)?RestrictSelfTsync$/i.test(name)) return TSYNC_BIT;
  const upper = name.toUpperCase();
  if (/^(?:SYS|NR|__NR)_LANDLOCK_(CREATE_RULESET|ADD_RULE|RESTRICT_SELF)$/.test(upper)) {
    return upper.endsWith("CREATE_RULESET") ? 444n : upper.endsWith("ADD_RULE") ? 445n : 446n;
  }
  return undefined;
}
