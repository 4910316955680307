// What each Landlock ABI version accepts: access rights, scopes and restrict_self flags.
// A right, scope or flag newer than the running ABI makes the syscall fail with EINVAL.

import type { Abi, FsAccess, NetAccess, RestrictFlag, Scope } from "../scenario.js";

export const MIN_ABI = 1;
export const MAX_ABI = 11;
export const MAX_LAYERS = 16;

/** ABI version that introduced each filesystem right. */
export const FS_ACCESS_ABI: Record<FsAccess, Abi> = {
  execute: 1, write_file: 1, read_file: 1, read_dir: 1, remove_dir: 1, remove_file: 1,
  make_char: 1, make_dir: 1, make_reg: 1, make_sock: 1, make_fifo: 1, make_block: 1, make_sym: 1,
  refer: 2,
  truncate: 3,
  ioctl_dev: 5,
  resolve_unix: 9,
};

/** The rights that make sense on a regular file (the kernel's ACCESS_FILE); the others are for directories only. */
export const FILE_ACCESS: readonly FsAccess[] = ["execute", "write_file", "read_file", "truncate", "ioctl_dev"];

export const NET_ACCESS_ABI: Record<NetAccess, Abi> = {
  bind_tcp: 4, connect_tcp: 4,
  bind_udp: 10, connect_udp: 10, send_udp: 10,
};

export const SCOPE_ABI: Record<Scope, Abi> = { abstract_unix_socket: 6, signal: 6 };

export const RESTRICT_FLAG_ABI: Record<RestrictFlag, Abi> = {
  log_same_exec_off: 7, log_new_exec_on: 7, log_subdomains_off: 7,
  tsync: 8,
  no_new_privs: 11,
};

/** The kernel's spelling of each flag, used in call descriptions. */
export const RESTRICT_FLAG_NAME: Record<RestrictFlag, string> = {
  log_same_exec_off: "LOG_SAME_EXEC_OFF",
  log_new_exec_on: "LOG_NEW_EXEC_ON",
  log_subdomains_off: "LOG_SUBDOMAINS_OFF",
  tsync: "TSYNC",
  no_new_privs: "NO_NEW_PRIVS",
};

/** The errata query (LANDLOCK_CREATE_RULESET_ERRATA) exists from ABI 7. */
export const ERRATA_QUERY_ABI: Abi = 7;
/** ABI from which restrict_self validates its flags before checking privileges. */
export const FLAGS_BEFORE_PRIVILEGE_ABI: Abi = 11;
/** ABI from which TSYNC accepts ruleset fd -1 (with LOG_SUBDOMAINS_OFF). */
export const TSYNC_FD_MINUS_ONE_ABI: Abi = 9;

export const ALL_FS_ACCESS = Object.keys(FS_ACCESS_ABI) as FsAccess[];
export const ALL_NET_ACCESS = Object.keys(NET_ACCESS_ABI) as NetAccess[];
export const ALL_SCOPES = Object.keys(SCOPE_ABI) as Scope[];
export const ALL_RESTRICT_FLAGS = Object.keys(RESTRICT_FLAG_ABI) as RestrictFlag[];

/** The first item of `wanted` that `table` says is newer than `abi`, if any. */
export function firstBeyondAbi<K extends string>(wanted: readonly K[], table: Record<K, Abi>, abi: Abi): K | undefined {
  return wanted.find((k) => table[k] > abi);
}

export function isAbi(n: number): n is Abi {
  return Number.isInteger(n) && n >= MIN_ABI && n <= MAX_ABI;
}
