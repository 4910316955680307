// landlock_restrict_self for one thread: the checks in the kernel's order, then the new
// domain stacked on the thread's current one.

import type { Errno, RestrictFlag } from "../scenario.js";
import {
  ALL_RESTRICT_FLAGS, FLAGS_BEFORE_PRIVILEGE_ABI, MAX_LAYERS, RESTRICT_FLAG_ABI, RESTRICT_FLAG_NAME, TSYNC_FD_MINUS_ONE_ABI,
} from "./abi.js";
import type { Domain, Kernel, Ruleset, Thread } from "./state.js";
import { lookupRuleset } from "./ruleset-syscalls.js";

export interface RestrictRequest {
  ruleset: string | -1;
  flags: RestrictFlag[];
}

export type Preflight =
  | { ok: true; ruleset: Ruleset | null }
  | { ok: false; errno: Errno; note: string };

function privileged(thread: Thread): boolean {
  return thread.noNewPrivs || thread.cred.capSysAdmin;
}

const EPERM_NOTE = "no_new_privs is not set and the thread lacks CAP_SYS_ADMIN";

/**
 * Everything restrict_self checks before it changes anything, in the kernel's order:
 * privileges and flags (flags first from ABI 11), the ruleset fd, prepare_creds, and the
 * layer limit.
 */
export function preflight(k: Kernel, thread: Thread, req: RestrictRequest): Preflight {
  const unknown = req.flags.find((f) => !ALL_RESTRICT_FLAGS.includes(f) || RESTRICT_FLAG_ABI[f] > k.abi);
  const unknownNote = unknown
    ? `flag ${RESTRICT_FLAG_NAME[unknown] ?? unknown} needs ABI ${RESTRICT_FLAG_ABI[unknown] ?? "?"} (running ABI ${k.abi})`
    : "";
  if (k.abi >= FLAGS_BEFORE_PRIVILEGE_ABI) {
    if (unknown) return { ok: false, errno: "EINVAL", note: unknownNote };
    if (!privileged(thread) && !req.flags.includes("no_new_privs")) return { ok: false, errno: "EPERM", note: `${EPERM_NOTE} (and the NO_NEW_PRIVS flag was not passed)` };
  } else {
    if (!privileged(thread)) return { ok: false, errno: "EPERM", note: `${EPERM_NOTE}${unknown ? ` (checked before the flags on ABI <= 10)` : ""}` };
    if (unknown) return { ok: false, errno: "EINVAL", note: unknownNote };
  }
  let ruleset: Ruleset | null = null;
  const minusOne = minusOneSource(thread, req.ruleset);
  if (minusOne !== undefined) {
    const allowedWithoutFd = new Set<RestrictFlag>(["log_subdomains_off", "no_new_privs"]);
    if (k.abi >= TSYNC_FD_MINUS_ONE_ABI) allowedWithoutFd.add("tsync");
    const ok = req.flags.includes("log_subdomains_off") && req.flags.every((f) => allowedWithoutFd.has(f));
    if (!ok) {
      const tsyncHint = req.flags.includes("tsync") && k.abi < TSYNC_FD_MINUS_ONE_ABI ? `; TSYNC accepts -1 only from ABI ${TSYNC_FD_MINUS_ONE_ABI}` : "";
      const source = req.ruleset === -1 ? "" : `${minusOne}; `;
      return { ok: false, errno: "EBADF", note: `${source}fd -1 is only accepted with LOG_SUBDOMAINS_OFF${tsyncHint}` };
    }
  } else if (req.ruleset !== -1) {
    const found = lookupRuleset(thread, req.ruleset);
    if ("errno" in found) return { ok: false, errno: found.errno, note: found.note };
    ruleset = found.ruleset;
  }
  if (k.enomemAtPrepare === thread.name) return { ok: false, errno: "ENOMEM", note: `prepare_creds failed in ${thread.name} (injected fault)` };
  const layers = thread.cred.domain?.layers ?? 0;
  if (ruleset && layers >= MAX_LAYERS) return { ok: false, errno: "E2BIG", note: `${thread.name} already has ${layers} layers (the limit is ${MAX_LAYERS})` };
  return { ok: true, ruleset };
}

/**
 * What the kernel sees is the fd number: the literal -1, or a name that holds -1 because
 * the call that made it failed. Says which, or undefined for any other name.
 */
export function minusOneSource(thread: Thread, ruleset: string | -1): string | undefined {
  if (ruleset === -1) return "fd -1";
  const entry = thread.process.fds.get(ruleset);
  return entry && entry.num < 0 ? `${ruleset} holds -1 (${entry.failure ?? "the call that made it failed"})` : undefined;
}

/** The domain the call builds: the ruleset stacked on `base`, or null when fd -1 adds no layer. */
export function buildDomain(k: Kernel, thread: Thread, req: RestrictRequest, ruleset: Ruleset | null, base: Domain | null): Domain | null {
  if (!ruleset || req.ruleset === -1) return null;
  return k.createDomain(base, ruleset, thread.name, req.ruleset);
}

/** Commits the caller's new credentials (the new domain, or only the logging flag for fd -1). */
export function commitSelf(k: Kernel, thread: Thread, req: RestrictRequest, domain: Domain | null): void {
  thread.cred = k.changeCred(thread.cred, {
    domain: domain ?? thread.cred.domain,
    logSubdomainsOff: thread.cred.logSubdomainsOff || req.flags.includes("log_subdomains_off"),
  });
  if (req.flags.includes("no_new_privs")) thread.noNewPrivs = true;
}

export function successNote(thread: Thread, domain: Domain | null, ruleset: string | -1 = -1): string {
  if (!domain) {
    const named = ruleset === -1 ? "" : `${minusOneSource(thread, ruleset) ?? ruleset}, taken as fd -1: `;
    return `${named}no new layer (fd -1): sub-domain logging turned off`;
  }
  return `${thread.name} enters domain ${domain.id} (${domain.layers} layer${domain.layers === 1 ? "" : "s"})`;
}

export interface RestrictOutcome {
  result: "ok" | Errno;
  domainBefore: string | null;
  domainAfter: string | null;
  note: string;
}

/** restrict_self for the calling thread alone (no TSYNC). Does not emit. */
export function restrictOne(k: Kernel, thread: Thread, req: RestrictRequest): RestrictOutcome {
  const before = thread.cred.domain?.id ?? null;
  const pre = preflight(k, thread, req);
  if (!pre.ok) return { result: pre.errno, domainBefore: before, domainAfter: before, note: pre.note };
  const domain = buildDomain(k, thread, req, pre.ruleset, thread.cred.domain);
  commitSelf(k, thread, req, domain);
  return { result: "ok", domainBefore: before, domainAfter: thread.cred.domain?.id ?? null, note: successNote(thread, domain, req.ruleset) };
}
