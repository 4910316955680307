// The Landlock UAPI constants the C/C++ front-end evaluates, with the ABI that introduced
// each one (landlock.md, "ABI history"). Names are resolved here before any `#define` in
// the analysed file, so a fallback definition in old-header code cannot change what a name
// means.

/** Which word of the UAPI a constant belongs to (bits of different words never mix). */
export type ConstantWord =
  | "restrict-flags"
  | "create-flags"
  | "access-fs"
  | "access-net"
  | "scope"
  | "rule-type"
  | "syscall"
  | "prctl";

export interface LandlockConstant {
  value: bigint;
  word: ConstantWord;
  /** ABI that introduced it (0 for things that are not versioned, like syscall numbers). */
  abi: number;
}

const table = new Map<string, LandlockConstant>();

function define(word: ConstantWord, abi: number, entries: Record<string, bigint>): void {
  for (const [name, value] of Object.entries(entries)) table.set(name, { value, word, abi });
}

define("restrict-flags", 7, {
  LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF: 1n << 0n,
  LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON: 1n << 1n,
  LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF: 1n << 2n,
});
define("restrict-flags", 8, { LANDLOCK_RESTRICT_SELF_TSYNC: 1n << 3n });
define("restrict-flags", 11, { LANDLOCK_RESTRICT_SELF_NO_NEW_PRIVS: 1n << 4n });

define("create-flags", 1, { LANDLOCK_CREATE_RULESET_VERSION: 1n << 0n });
define("create-flags", 7, { LANDLOCK_CREATE_RULESET_ERRATA: 1n << 1n });

define("access-fs", 1, {
  LANDLOCK_ACCESS_FS_EXECUTE: 1n << 0n,
  LANDLOCK_ACCESS_FS_WRITE_FILE: 1n << 1n,
  LANDLOCK_ACCESS_FS_READ_FILE: 1n << 2n,
  LANDLOCK_ACCESS_FS_READ_DIR: 1n << 3n,
  LANDLOCK_ACCESS_FS_REMOVE_DIR: 1n << 4n,
  LANDLOCK_ACCESS_FS_REMOVE_FILE: 1n << 5n,
  LANDLOCK_ACCESS_FS_MAKE_CHAR: 1n << 6n,
  LANDLOCK_ACCESS_FS_MAKE_DIR: 1n << 7n,
  LANDLOCK_ACCESS_FS_MAKE_REG: 1n << 8n,
  LANDLOCK_ACCESS_FS_MAKE_SOCK: 1n << 9n,
  LANDLOCK_ACCESS_FS_MAKE_FIFO: 1n << 10n,
  LANDLOCK_ACCESS_FS_MAKE_BLOCK: 1n << 11n,
  LANDLOCK_ACCESS_FS_MAKE_SYM: 1n << 12n,
});
define("access-fs", 2, { LANDLOCK_ACCESS_FS_REFER: 1n << 13n });
define("access-fs", 3, { LANDLOCK_ACCESS_FS_TRUNCATE: 1n << 14n });
define("access-fs", 5, { LANDLOCK_ACCESS_FS_IOCTL_DEV: 1n << 15n });
define("access-fs", 9, { LANDLOCK_ACCESS_FS_RESOLVE_UNIX: 1n << 16n });

define("access-net", 4, {
  LANDLOCK_ACCESS_NET_BIND_TCP: 1n << 0n,
  LANDLOCK_ACCESS_NET_CONNECT_TCP: 1n << 1n,
});
// UDP rights (ABI 10): the names follow the UDP patch series; any other
// LANDLOCK_ACCESS_NET_*UDP* spelling is caught by `landlockConstant` below.
define("access-net", 10, {
  LANDLOCK_ACCESS_NET_BIND_UDP: 1n << 2n,
  LANDLOCK_ACCESS_NET_CONNECT_UDP: 1n << 3n,
  LANDLOCK_ACCESS_NET_SENDTO_UDP: 1n << 4n,
});

define("scope", 6, {
  LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET: 1n << 0n,
  LANDLOCK_SCOPE_SIGNAL: 1n << 1n,
});

define("rule-type", 1, { LANDLOCK_RULE_PATH_BENEATH: 1n });
define("rule-type", 4, { LANDLOCK_RULE_NET_PORT: 2n });

define("syscall", 0, {
  __NR_landlock_create_ruleset: 444n,
  __NR_landlock_add_rule: 445n,
  __NR_landlock_restrict_self: 446n,
  SYS_landlock_create_ruleset: 444n,
  SYS_landlock_add_rule: 445n,
  SYS_landlock_restrict_self: 446n,
});

define("prctl", 0, { PR_SET_NO_NEW_PRIVS: 38n, PR_GET_NO_NEW_PRIVS: 39n });

/** Looks up a Landlock UAPI name. */
export function landlockConstant(name: string): LandlockConstant | undefined {
  const known = table.get(name);
  if (known) return known;
  if (name.startsWith("LANDLOCK_ACCESS_NET_") && name.includes("UDP")) {
    return { value: 0n, word: "access-net", abi: 10 };
  }
  return undefined;
}

/** Names of the bits of `word` set in `bits`, with the ABI each one needs. */
export function namesOfBits(word: ConstantWord, bits: bigint): { name: string; abi: number }[] {
  const out: { name: string; abi: number }[] = [];
  for (const [name, constant] of table) {
    if (constant.word === word && constant.value !== 0n && (bits & constant.value) === constant.value) {
      out.push({ name, abi: constant.abi });
    }
  }
  return out;
}

export const SYSCALL_CREATE_RULESET = 444n;
export const SYSCALL_ADD_RULE = 445n;
export const SYSCALL_RESTRICT_SELF = 446n;

export const RESTRICT_LOG_SAME_EXEC_OFF = 1n << 0n;
export const RESTRICT_LOG_NEW_EXEC_ON = 1n << 1n;
export const RESTRICT_LOG_SUBDOMAINS_OFF = 1n << 2n;
export const RESTRICT_TSYNC = 1n << 3n;
export const RESTRICT_NO_NEW_PRIVS = 1n << 4n;

export const CREATE_RULESET_VERSION = 1n << 0n;
export const CREATE_RULESET_ERRATA = 1n << 1n;

export const SCOPE_ABSTRACT_UNIX_SOCKET = 1n << 0n;
export const SCOPE_SIGNAL = 1n << 1n;

export const PR_SET_NO_NEW_PRIVS = 38n;

/** Scope bit -> the IR's scope name. */
export const SCOPE_NAMES: [bigint, string][] = [
  [SCOPE_SIGNAL, "signal"],
  [SCOPE_ABSTRACT_UNIX_SOCKET, "abstract_unix_socket"],
];
