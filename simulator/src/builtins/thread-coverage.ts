// Built-in stories about which threads a restrict_self call covers.

import type { Scenario, Step } from "../scenario.js";

/** main sets no_new_privs, two workers start, main builds a ruleset that only allows reading under /usr. */
const setup: Step[] = [
  { op: "prctl_no_new_privs", thread: "main" },
  { op: "spawn_thread", thread: "main", new: "w1", label: "worker" },
  { op: "spawn_thread", thread: "main", new: "w2", label: "worker" },
  { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file", "write_file"] },
  { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/usr", access: ["read_file"] },
];

const probes: Step[] = [
  { op: "open", thread: "main", path: "/etc/shadow", access: "read" },
  { op: "open", thread: "w1", path: "/etc/shadow", access: "read" },
  { op: "open", thread: "w2", path: "/etc/shadow", access: "read" },
  { op: "open", thread: "w1", path: "/usr/share/zoneinfo/UTC", access: "read" },
];

const files = ["/etc/shadow", "/usr/share/zoneinfo/UTC"];

export const singleThreadRestrict: Scenario = {
  name: "single-thread-restrict",
  description:
    "A server starts its worker threads, then sandboxes itself with landlock_restrict_self() without TSYNC. " +
    "Only the calling thread enters the domain: the workers, which share its memory, keep full filesystem access.",
  abi: 6,
  files,
  steps: [...setup, { op: "restrict_self", thread: "main", ruleset: "rs" }, ...probes],
  highlights: [
    "restrict_self succeeds, but only main changes domain",
    "w1 and w2 still open /etc/shadow; main cannot",
  ],
};

export const tsync: Scenario = {
  name: "tsync",
  description:
    "The same server on a kernel with Landlock ABI 8 passes LANDLOCK_RESTRICT_SELF_TSYNC: one call puts every thread " +
    "of the process in the same new domain, all or nothing.",
  abi: 8,
  files,
  steps: [...setup, { op: "restrict_self", thread: "main", ruleset: "rs", flags: ["tsync"] }, ...probes],
  highlights: [
    "the TSYNC protocol: discovery rounds, prepare_creds in every sibling, ready_to_commit, commit",
    "main, w1 and w2 end in one domain: nobody opens /etc/shadow",
  ],
};

export const tsyncEnomem: Scenario = {
  name: "tsync-enomem",
  description:
    "A root daemon's network worker w2 dropped CAP_SYS_ADMIN for itself, so it no longer shares main's struct cred. " +
    "When main enforces with TSYNC, w2 must allocate its own new cred in prepare_creds; the allocation fails (injected). " +
    "The error goes to the shared slot, every thread aborts, and restrict_self returns ENOMEM with no thread changed.",
  abi: 8,
  initial: { uid: 0, capSysAdmin: true },
  files,
  steps: [
    { op: "spawn_thread", thread: "main", new: "w1", label: "worker" },
    { op: "spawn_thread", thread: "main", new: "w2", label: "network worker" },
    { op: "drop_cap_sys_admin", thread: "w2" },
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file", "write_file"] },
    { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/usr", access: ["read_file"] },
    { op: "restrict_self", thread: "main", ruleset: "rs", flags: ["tsync"] },
    ...probes,
  ],
  faults: { enomemAtPrepare: "w2" },
  highlights: [
    "w2's prepare_creds fails with ENOMEM; w1 shares main's cred and needs no allocation",
    "every sibling aborts: restrict_self returns ENOMEM and no thread changed domain",
    "a caller that ignores the error runs unsandboxed",
  ],
};

export const tsyncSpawnRace: Scenario = {
  name: "tsync-spawn-race",
  description:
    "While main's TSYNC call runs, worker w1 is still inside pthread_create(): its new thread w3 appears after the first " +
    "discovery round. The protocol repeats discovery until a round finds no new thread, so w3 is found in round 2 and " +
    "enters the same domain.",
  abi: 8,
  files,
  steps: [
    ...setup,
    { op: "restrict_self", thread: "main", ruleset: "rs", flags: ["tsync"], concurrent: [{ op: "spawn_thread", thread: "w1", new: "w3" }] },
    { op: "open", thread: "w3", path: "/etc/shadow", access: "read" },
    ...probes,
  ],
  highlights: [
    "w3 is spawned after discovery round 1 with w1's old credentials",
    "round 2 finds w3; round 3 finds nobody new; everyone commits the same domain",
  ],
};

export const tsyncOnOldAbi: Scenario = {
  name: "tsync-on-old-abi",
  description:
    "Code written for TSYNC runs on a kernel with Landlock ABI 7, which does not know the flag. restrict_self fails with " +
    "EINVAL and nothing is sandboxed: not even the calling thread.",
  abi: 7,
  files,
  steps: [...setup, { op: "restrict_self", thread: "main", ruleset: "rs", flags: ["tsync"] }, ...probes],
  highlights: ["restrict_self returns EINVAL: TSYNC needs ABI 8", "every thread, main included, still opens /etc/shadow"],
};

export const nodeLibuvPool: Scenario = {
  name: "node-libuv-pool",
  description:
    "A Node.js native addon calls landlock_restrict_self() on the JavaScript main thread. fs.readFile() runs on libuv's " +
    "thread pool, whose four threads started earlier and are not in the domain: the asynchronous read succeeds while " +
    "fs.readFileSync() on the main thread is denied.",
  abi: 6,
  files: ["/home/app/.ssh/id_ed25519", "/srv/app/public/index.html"],
  steps: [
    { op: "spawn_thread", thread: "main", new: "uv1", label: "libuv pool" },
    { op: "spawn_thread", thread: "main", new: "uv2", label: "libuv pool" },
    { op: "spawn_thread", thread: "main", new: "uv3", label: "libuv pool" },
    { op: "spawn_thread", thread: "main", new: "uv4", label: "libuv pool" },
    { op: "prctl_no_new_privs", thread: "main" },
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file", "write_file", "read_dir"] },
    { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/srv/app", access: ["read_file", "read_dir"] },
    { op: "restrict_self", thread: "main", ruleset: "rs" },
    { op: "open", thread: "main", path: "/home/app/.ssh/id_ed25519", access: "read" },
    { op: "open", thread: "uv1", path: "/home/app/.ssh/id_ed25519", access: "read" },
    { op: "open", thread: "uv2", path: "/srv/app/public/index.html", access: "read" },
  ],
  highlights: [
    "fs.readFileSync on main: EACCES",
    "fs.readFile runs on pool thread uv1, outside the domain: the private key is read",
  ],
};
