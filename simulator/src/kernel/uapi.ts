// Landlock and signal numbers as the kernel's UAPI defines them, keyed by the names the
// scenario format uses.

import type { FsAccess, NetAccess, RestrictFlag, Scope } from "../scenario.js";

export const FS_ACCESS_BIT: Record<FsAccess, number> = {
  execute: 0,
  write_file: 1,
  read_file: 2,
  read_dir: 3,
  remove_dir: 4,
  remove_file: 5,
  make_char: 6,
  make_dir: 7,
  make_reg: 8,
  make_sock: 9,
  make_fifo: 10,
  make_block: 11,
  make_sym: 12,
  refer: 13,
  truncate: 14,
  ioctl_dev: 15,
  resolve_unix: 16,
};

// The UDP rights belong to ABI 10, which no released header defines yet; they take the
// next free bits so that asking for them on an older kernel gives the EINVAL it should.
export const NET_ACCESS_BIT: Record<NetAccess, number> = {
  bind_tcp: 0,
  connect_tcp: 1,
  bind_udp: 2,
  connect_udp: 3,
  send_udp: 4,
};

export const SCOPE_BIT: Record<Scope, number> = {
  abstract_unix_socket: 0,
  signal: 1,
};

export const RESTRICT_FLAG_BIT: Record<RestrictFlag, number> = {
  log_same_exec_off: 0,
  log_new_exec_on: 1,
  log_subdomains_off: 2,
  tsync: 3,
  no_new_privs: 4,
};

/**
 * A 64-bit mask written as a C literal (bits beyond 31 overflow JS bit operators), or
 * the first name the table does not know.
 */
export function maskLiteral<K extends string>(
  names: readonly K[] | undefined,
  bits: Record<K, number>,
): { literal: string } | { unknown: string } {
  let mask = 0n;
  for (const name of names ?? []) {
    const bit = Object.hasOwn(bits, name) ? bits[name] : undefined;
    if (bit === undefined) return { unknown: String(name) };
    mask |= 1n << BigInt(bit);
  }
  return { literal: `0x${mask.toString(16)}ULL` };
}

const SIGNAL_NUMBER: Record<string, number> = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8,
  SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
  SIGSTKFLT: 16, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22,
  SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29,
  SIGPWR: 30, SIGSYS: 31,
};

/** Signal sent when a scenario names none. */
export const DEFAULT_SIGNAL = "SIGUSR1";

/**
 * Signal number to send for a scenario's signal name. SIGKILL and SIGSTOP cannot be
 * caught and would end or freeze the target before later steps run; Landlock's
 * permission check does not depend on the signal number, so SIGUSR2 stands in for them.
 */
export function signalNumber(name: string | undefined): { number: number; standIn?: string } | undefined {
  const raw = (name ?? DEFAULT_SIGNAL).trim().toUpperCase();
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    return n >= 0 && n < 32 ? { number: n === 9 || n === 19 ? SIGNAL_NUMBER.SIGUSR2! : n } : undefined;
  }
  const key = raw.startsWith("SIG") ? raw : `SIG${raw}`;
  const n = SIGNAL_NUMBER[key];
  if (n === undefined) return undefined;
  if (key === "SIGKILL" || key === "SIGSTOP") return { number: SIGNAL_NUMBER.SIGUSR2!, standIn: key };
  return { number: n };
}
