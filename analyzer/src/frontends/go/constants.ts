// The constants a Go program names when it sandboxes itself: golang.org/x/sys/unix and
// syscall names (Landlock UAPI, syscall numbers, prctl, fcntl), go-landlock's
// `landlock/syscall` names, and the x86_64 syscall numbers of the calls that matter when
// they go through Syscall/AllThreadsSyscall/psx. Looked up by the name after the package
// selector (`unix.LANDLOCK_RESTRICT_SELF_TSYNC` -> `LANDLOCK_RESTRICT_SELF_TSYNC`).

import { landlockConstant } from "../c/landlock-constants.js";

const SYSCALL_NUMBERS: Record<string, bigint> = {
  SYS_LANDLOCK_CREATE_RULESET: 444n,
  SYS_LANDLOCK_ADD_RULE: 445n,
  SYS_LANDLOCK_RESTRICT_SELF: 446n,
  SYS_PRCTL: 157n,
  SYS_KILL: 62n,
  SYS_TGKILL: 234n,
  SYS_TKILL: 200n,
  SYS_FCNTL: 72n,
  SYS_EXECVE: 59n,
  SYS_EXECVEAT: 322n,
  SYS_SETUID: 105n,
  SYS_SETGID: 106n,
  SYS_SETREUID: 113n,
  SYS_SETREGID: 114n,
  SYS_SETGROUPS: 116n,
  SYS_SETRESUID: 117n,
  SYS_SETRESGID: 119n,
  SYS_SETFSUID: 122n,
  SYS_SETFSGID: 123n,
  SYS_CAPSET: 126n,
  SYS_GETTID: 186n,
};

export { SYSCALL_KIND } from "../syscall-numbers.js";

const OTHER: Record<string, bigint> = {
  PR_SET_NO_NEW_PRIVS: 38n,
  PR_GET_NO_NEW_PRIVS: 39n,
  F_SETOWN: 8n,
  F_GETOWN: 9n,
  F_SETSIG: 10n,
  F_SETOWN_EX: 15n,
  AF_UNIX: 1n,
  AF_LOCAL: 1n,
};

/**
 * go-landlock's `landlock/syscall` names (x/sys/unix had no Landlock support when it was
 * written). The TSYNC flag's Go name is not settled; any name with TSYNC in it means it.
 */
const GO_LANDLOCK: Record<string, bigint> = {
  AccessFSExecute: 1n << 0n,
  AccessFSWriteFile: 1n << 1n,
  AccessFSReadFile: 1n << 2n,
  AccessFSReadDir: 1n << 3n,
  AccessFSRemoveDir: 1n << 4n,
  AccessFSRemoveFile: 1n << 5n,
  AccessFSMakeChar: 1n << 6n,
  AccessFSMakeDir: 1n << 7n,
  AccessFSMakeReg: 1n << 8n,
  AccessFSMakeSock: 1n << 9n,
  AccessFSMakeFifo: 1n << 10n,
  AccessFSMakeBlock: 1n << 11n,
  AccessFSMakeSym: 1n << 12n,
  AccessFSRefer: 1n << 13n,
  AccessFSTruncate: 1n << 14n,
  AccessFSIoctlDev: 1n << 15n,
  AccessFSResolveUnix: 1n << 16n,
  AccessNetBindTCP: 1n << 0n,
  AccessNetConnectTCP: 1n << 1n,
  ScopeAbstractUnixSocket: 1n << 0n,
  ScopeSignal: 1n << 1n,
  RuleTypePathBeneath: 1n,
  RuleTypeNetPort: 2n,
};

/** Which word of the UAPI a go-landlock name belongs to (its bits mean different things per word). */
export function goLandlockWord(name: string): "access-fs" | "access-net" | "scope" | undefined {
  if (name.startsWith("AccessFS")) return "access-fs";
  if (name.startsWith("AccessNet")) return "access-net";
  if (name.startsWith("Scope")) return "scope";
  return undefined;
}

/** The ABI that introduced a go-landlock access/scope name. */
export function goLandlockAbi(name: string): number {
  switch (name) {
    case "AccessFSRefer":
      return 2;
    case "AccessFSTruncate":
      return 3;
    case "AccessNetBindTCP":
    case "AccessNetConnectTCP":
      return 4;
    case "AccessFSIoctlDev":
      return 5;
    case "ScopeAbstractUnixSocket":
    case "ScopeSignal":
      return 6;
    case "AccessFSResolveUnix":
      return 9;
    default:
      return 1;
  }
}

/** Value of a constant named after a package selector (`LANDLOCK_SCOPE_SIGNAL`, `SYS_PRCTL`, `ScopeSignal`). */
export function goConstant(member: string): bigint | undefined {
  const landlock = landlockConstant(member);
  if (landlock) return landlock.value;
  if (member in SYSCALL_NUMBERS) return SYSCALL_NUMBERS[member];
  if (member in OTHER) return OTHER[member];
  if (member in GO_LANDLOCK) return GO_LANDLOCK[member];
  if (/^Flag\w*T[Ss][Yy][Nn][Cc]$|^\w*RESTRICT_SELF_TSYNC$/.test(member)) return 1n << 3n;
  return undefined;
}

export const SYSCALL_CREATE_RULESET = 444n;
export const SYSCALL_ADD_RULE = 445n;
export const SYSCALL_RESTRICT_SELF = 446n;
export const PR_SET_NO_NEW_PRIVS = 38n;
export const F_SETOWN = 8n;
export const F_SETOWN_EX = 15n;
