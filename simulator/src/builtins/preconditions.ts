// Built-in stories about restrict_self's preconditions and limits.

import type { Scenario, Step } from "../scenario.js";

export const missingNnp: Scenario = {
  name: "missing-nnp",
  description:
    "An unprivileged program forgets prctl(PR_SET_NO_NEW_PRIVS) and has no CAP_SYS_ADMIN. restrict_self fails with EPERM; " +
    "the program goes on without checking and is not sandboxed at all.",
  abi: 6,
  initial: { uid: 1000, capSysAdmin: false, noNewPrivs: false },
  files: ["/home/user/.ssh/id_ed25519"],
  steps: [
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file", "write_file"] },
    { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/usr", access: ["read_file"] },
    { op: "restrict_self", thread: "main", ruleset: "rs" },
    { op: "open", thread: "main", path: "/home/user/.ssh/id_ed25519", access: "read" },
  ],
  highlights: ["restrict_self: EPERM (no no_new_privs, no CAP_SYS_ADMIN)", "the private key is still readable"],
};

const restrictEachRequest: Step[] = Array.from({ length: 17 }, () => ({ op: "restrict_self", thread: "main", ruleset: "rs" }) as Step);

export const nestingLimit: Scenario = {
  name: "nesting-limit",
  description:
    "A request handler enforces a ruleset each time it runs instead of once at startup. Every call stacks a new layer; " +
    "the 17th call fails with E2BIG because a domain holds at most 16 layers.",
  abi: 6,
  steps: [
    { op: "prctl_no_new_privs", thread: "main" },
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["write_file"] },
    ...restrictEachRequest,
  ],
  highlights: ["calls 1 to 16 succeed and stack layers", "call 17: E2BIG"],
};
