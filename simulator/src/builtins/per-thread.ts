// Built-in stories about per-thread enforcement: libpsx (and Go's AllThreadsSyscall)
// makes each thread call restrict_self itself, so each ends in its own domain.

import type { Scenario, Step } from "../scenario.js";

const threeThreads: Step[] = [
  { op: "prctl_no_new_privs", thread: "main" },
  { op: "spawn_thread", thread: "main", new: "w1", label: "Go runtime thread" },
  { op: "spawn_thread", thread: "main", new: "w2", label: "Go runtime thread" },
];

export const psxPerThread: Scenario = {
  name: "psx-per-thread",
  description:
    "A Go program on a kernel without TSYNC enforces through libpsx: the caller restricts itself, then signals every " +
    "other thread, whose handler calls restrict_self with the same ruleset. Every thread is restricted, but each one " +
    "built its own domain: three domains with three IDs.",
  abi: 6,
  files: ["/etc/shadow"],
  steps: [
    ...threeThreads,
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file", "write_file"] },
    { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/usr", access: ["read_file"] },
    { op: "restrict_self", thread: "main", ruleset: "rs", via: "libpsx" },
    { op: "open", thread: "main", path: "/etc/shadow", access: "read" },
    { op: "open", thread: "w1", path: "/etc/shadow", access: "read" },
    { op: "open", thread: "w2", path: "/etc/shadow", access: "read" },
  ],
  highlights: ["three distinct domain IDs, one per thread", "the filesystem rules hold in every thread"],
};

export const psxSignalScope: Scenario = {
  name: "psx-signal-scope",
  description:
    "The same libpsx enforcement with LANDLOCK_SCOPE_SIGNAL. Without erratum 2, the caller, already in its scoped domain, " +
    "may not signal the other threads: the broadcast is cut short and they stay unrestricted. With erratum 2, threads of " +
    "one process may always signal each other, so the broadcast works and later cross-thread signals too; but a process " +
    "forked by another thread lives in that thread's domain, which is not below the sender's: signalling it stays denied.",
  abi: 6,
  files: ["/etc/shadow"],
  steps: [
    ...threeThreads,
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file", "write_file"], scoped: ["signal"] },
    { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/usr", access: ["read_file"] },
    { op: "restrict_self", thread: "main", ruleset: "rs", via: "libpsx" },
    { op: "tgkill", thread: "main", target: "w1", signal: "SIGUSR1" },
    { op: "fork", thread: "w2", child: "helper", label: "helper process" },
    { op: "kill", thread: "main", target: "helper", signal: "SIGTERM" },
    { op: "open", thread: "w1", path: "/etc/shadow", access: "read" },
  ],
  highlights: [
    "run it twice: --errata 2 changes the libpsx broadcast and main's tgkill to w1",
    "kill(helper) from main is denied either way",
  ],
};

export const setuidAfterPerThreadScope: Scenario = {
  name: "setuid-after-per-thread-scope",
  description:
    "A root daemon enforces a signal-scoped ruleset through libpsx, ignores the broadcast's error, then drops root with " +
    "setuid(1000). glibc's setuid signals every other thread (SIGSETXID) so that each changes its own uid. Without erratum 2 " +
    "those signals are denied across domains; glibc takes a failed tgkill for a thread that already exited and skips it. " +
    "setuid() returns 0 while the other threads keep uid 0.",
  abi: 6,
  initial: { uid: 0, capSysAdmin: true },
  steps: [
    { op: "spawn_thread", thread: "main", new: "w1", label: "worker" },
    { op: "spawn_thread", thread: "main", new: "w2", label: "worker" },
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["write_file"], scoped: ["signal"] },
    { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/var/lib/daemon", access: ["write_file"] },
    { op: "restrict_self", thread: "main", ruleset: "rs", via: "libpsx" },
    { op: "setuid", thread: "main", uid: 1000, via: "glibc" },
  ],
  highlights: [
    "setuid(1000) returns 0",
    "w1 and w2 still run as uid 0 without erratum 2 (compare with --errata 2)",
  ],
};
