// Linux/glibc constants (x86_64 values; the ones used here are the same on every Linux
// architecture) that decide what a call does: clone flags, fcntl commands.

export interface LibcConstant {
  value: bigint;
}

const table = new Map<string, bigint>([
  ["CLONE_VM", 0x00000100n],
  ["CLONE_FS", 0x00000200n],
  ["CLONE_FILES", 0x00000400n],
  ["CLONE_SIGHAND", 0x00000800n],
  ["CLONE_PIDFD", 0x00001000n],
  ["CLONE_PTRACE", 0x00002000n],
  ["CLONE_VFORK", 0x00004000n],
  ["CLONE_PARENT", 0x00008000n],
  ["CLONE_THREAD", 0x00010000n],
  ["CLONE_NEWNS", 0x00020000n],
  ["CLONE_SYSVSEM", 0x00040000n],
  ["CLONE_SETTLS", 0x00080000n],
  ["CLONE_PARENT_SETTID", 0x00100000n],
  ["CLONE_CHILD_CLEARTID", 0x00200000n],
  ["CLONE_DETACHED", 0x00400000n],
  ["CLONE_UNTRACED", 0x00800000n],
  ["CLONE_CHILD_SETTID", 0x01000000n],
  ["CLONE_NEWCGROUP", 0x02000000n],
  ["CLONE_NEWUTS", 0x04000000n],
  ["CLONE_NEWIPC", 0x08000000n],
  ["CLONE_NEWUSER", 0x10000000n],
  ["CLONE_NEWPID", 0x20000000n],
  ["CLONE_NEWNET", 0x40000000n],
  ["CLONE_IO", 0x80000000n],
  ["SIGCHLD", 17n],
  ["F_SETOWN", 8n],
  ["F_GETOWN", 9n],
  ["F_SETSIG", 10n],
  ["F_SETOWN_EX", 15n],
  ["F_OWNER_TID", 0n],
  ["F_OWNER_PID", 1n],
  ["F_OWNER_PGRP", 2n],
  ["AF_UNIX", 1n],
  ["AF_LOCAL", 1n],
  ["PF_UNIX", 1n],
  ["PF_LOCAL", 1n],
  ["CAP_SYS_ADMIN", 21n],
  ["SYS_kill", 62n],
  ["__NR_kill", 62n],
  ["SYS_tgkill", 234n],
  ["__NR_tgkill", 234n],
  ["SYS_tkill", 200n],
  ["__NR_tkill", 200n],
  ["SYS_clone", 56n],
  ["__NR_clone", 56n],
  ["SYS_clone3", 435n],
  ["__NR_clone3", 435n],
  ["SYS_fork", 57n],
  ["__NR_fork", 57n],
  ["SYS_vfork", 58n],
  ["__NR_vfork", 58n],
  ["SYS_execve", 59n],
  ["__NR_execve", 59n],
  ["SYS_execveat", 322n],
  ["__NR_execveat", 322n],
  ["SYS_setuid", 105n],
  ["__NR_setuid", 105n],
  ["SYS_setgid", 106n],
  ["__NR_setgid", 106n],
  ["SYS_setresuid", 117n],
  ["__NR_setresuid", 117n],
  ["SYS_setresgid", 119n],
  ["__NR_setresgid", 119n],
  ["SYS_setgroups", 116n],
  ["__NR_setgroups", 116n],
  ["SYS_prctl", 157n],
  ["__NR_prctl", 157n],
  ["SYS_capset", 126n],
  ["__NR_capset", 126n],
  ["SYS_gettid", 186n],
  ["__NR_gettid", 186n],
]);

export function libcConstant(name: string): LibcConstant | undefined {
  const value = table.get(name);
  return value === undefined ? undefined : { value };
}

export const CLONE_THREAD = 0x00010000n;
export const CLONE_VM = 0x00000100n;
export const F_SETOWN = 8n;
export const F_SETOWN_EX = 15n;

/** x86_64 syscall numbers of calls classified through `syscall(nr, ...)`. */
export const SYSCALL_NAMES = new Map<bigint, string>([
  [62n, "kill"],
  [234n, "tgkill"],
  [200n, "tkill"],
  [56n, "clone"],
  [435n, "clone3"],
  [57n, "fork"],
  [58n, "vfork"],
  [59n, "execve"],
  [322n, "execveat"],
  [105n, "setuid"],
  [106n, "setgid"],
  [117n, "setresuid"],
  [119n, "setresgid"],
  [116n, "setgroups"],
  [157n, "prctl"],
  [126n, "capset"],
]);
