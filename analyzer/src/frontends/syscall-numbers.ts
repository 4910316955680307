// What a raw syscall number means, for front-ends whose programs call syscall(2) by
// number through a generic entry point (Go's Syscall/AllThreadsSyscall/psx, JS FFIs).
// x86_64 numbering; the Landlock numbers are the same on every architecture.

export const SYSCALL_KIND: ReadonlyMap<bigint, string> = new Map<bigint, string>([
  [444n, "landlock_create_ruleset"],
  [445n, "landlock_add_rule"],
  [446n, "landlock_restrict_self"],
  [157n, "prctl"],
  [62n, "kill"],
  [234n, "tgkill"],
  [200n, "tkill"],
  [72n, "fcntl"],
  [59n, "execve"],
  [322n, "execveat"],
  [105n, "setuid"],
  [106n, "setgid"],
  [113n, "setreuid"],
  [114n, "setregid"],
  [116n, "setgroups"],
  [117n, "setresuid"],
  [119n, "setresgid"],
  [122n, "setfsuid"],
  [123n, "setfsgid"],
]);
