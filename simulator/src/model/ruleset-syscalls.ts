// landlock_create_ruleset and landlock_add_rule, with the kernel's error order.

import type { FsAccess, NetAccess, Scope } from "../scenario.js";
import { FILE_ACCESS, FS_ACCESS_ABI, NET_ACCESS_ABI, SCOPE_ABI, ERRATA_QUERY_ABI, firstBeyondAbi } from "./abi.js";
import type { Kernel, Ruleset, Thread } from "./state.js";
import { normalizePath } from "./paths.js";

export function getAbi(k: Kernel, thread: Thread): void {
  k.emit({
    thread: thread.name, process: thread.process.name, op: "get_abi",
    call: "create_ruleset(NULL, 0, VERSION)", result: "ok", value: k.abi,
    note: `Landlock ABI ${k.abi}`,
  });
}

export function getErrata(k: Kernel, thread: Thread): void {
  const base = { thread: thread.name, process: thread.process.name, op: "get_errata", call: "create_ruleset(NULL, 0, ERRATA)" };
  if (k.abi < ERRATA_QUERY_ABI) {
    k.emit({ ...base, result: "EINVAL", note: `the errata query needs ABI ${ERRATA_QUERY_ABI} (running ABI ${k.abi})` });
    return;
  }
  const mask = [...k.errata].reduce((m, e) => m | (1 << (e - 1)), 0);
  const list = [...k.errata].sort().join(", ");
  k.emit({ ...base, result: "ok", value: mask, note: list ? `errata ${list} fixed` : "no errata fixed" });
}

export interface CreateRulesetArgs {
  as: string;
  handledFs: FsAccess[];
  handledNet: NetAccess[];
  scoped: Scope[];
}

export function createRuleset(k: Kernel, thread: Thread, args: CreateRulesetArgs): void {
  const parts = [
    args.handledFs.length ? `fs: ${args.handledFs.join("|")}` : "",
    args.handledNet.length ? `net: ${args.handledNet.join("|")}` : "",
    args.scoped.length ? `scoped: ${args.scoped.join("|")}` : "",
  ].filter(Boolean);
  const base = {
    thread: thread.name, process: thread.process.name, op: "create_ruleset",
    call: `${args.as} = create_ruleset({${parts.join("; ")}})`, target: args.as,
  };
  const fail = (errno: "EINVAL" | "ENOMSG", note: string) => {
    thread.process.fds.set(args.as, { num: -1, object: null, failure: `create_ruleset failed with ${errno}` });
    k.emit({ ...base, result: errno, value: -1, note });
  };
  const fs = firstBeyondAbi(args.handledFs, FS_ACCESS_ABI, k.abi);
  if (fs) return fail("EINVAL", `filesystem right ${fs} needs ABI ${FS_ACCESS_ABI[fs]} (running ABI ${k.abi})`);
  const net = firstBeyondAbi(args.handledNet, NET_ACCESS_ABI, k.abi);
  if (net) return fail("EINVAL", `network right ${net} needs ABI ${NET_ACCESS_ABI[net]} (running ABI ${k.abi})`);
  const scope = firstBeyondAbi(args.scoped, SCOPE_ABI, k.abi);
  if (scope) return fail("EINVAL", `scope ${scope} needs ABI ${SCOPE_ABI[scope]} (running ABI ${k.abi})`);
  if (!args.handledFs.length && !args.handledNet.length && !args.scoped.length) {
    return fail("ENOMSG", "the ruleset handles nothing: no right and no scope");
  }
  const ruleset: Ruleset = {
    handledFs: [...new Set(args.handledFs)],
    handledNet: [...new Set(args.handledNet)],
    scoped: [...new Set(args.scoped)],
    fsRules: [],
    netRules: [],
  };
  const num = thread.process.nextFd++;
  thread.process.fds.set(args.as, { num, object: { kind: "ruleset", ruleset } });
  k.emit({ ...base, result: "ok", value: num, note: `ruleset fd ${num}` });
}

export type AddRuleArgs =
  | { ruleset: string; type: "path_beneath"; path: string; access: FsAccess[] }
  | { ruleset: string; type: "net_port"; port: number; access: NetAccess[] };

/** Resolves a ruleset name in the thread's process: the ruleset, or the errno and why. */
export function lookupRuleset(thread: Thread, name: string): { ruleset: Ruleset } | { errno: "EBADF" | "EBADFD"; note: string } {
  const entry = thread.process.fds.get(name);
  if (!entry) return { errno: "EBADF", note: `${name} is not an open fd in process ${thread.process.name}` };
  if (entry.num < 0 || !entry.object) return { errno: "EBADF", note: `${name} holds -1 (${entry.failure ?? "the call that made it failed"})` };
  if (entry.object.kind !== "ruleset") return { errno: "EBADFD", note: `${name} is fd ${entry.num}, which is not a ruleset fd` };
  return { ruleset: entry.object.ruleset };
}

export function addRule(k: Kernel, thread: Thread, args: AddRuleArgs): void {
  const what = args.type === "path_beneath" ? `path_beneath ${args.path}` : `net_port ${args.port}`;
  const base = {
    thread: thread.name, process: thread.process.name, op: "add_rule",
    call: `add_rule(${args.ruleset}, ${what}, ${args.access.join("|") || "0"})`,
    target: args.type === "path_beneath" ? args.path : String(args.port),
  };
  const found = lookupRuleset(thread, args.ruleset);
  if ("errno" in found) return void k.emit({ ...base, result: found.errno, note: found.note });
  if (args.type === "net_port" && k.abi < 4) {
    return void k.emit({ ...base, result: "EINVAL", note: `rule type net_port needs ABI 4 (running ABI ${k.abi})` });
  }
  const { ruleset } = found;
  if (args.access.length === 0) return void k.emit({ ...base, result: "ENOMSG", note: "the rule allows nothing" });
  if (args.type === "path_beneath") {
    const unhandled = args.access.find((a) => !ruleset.handledFs.includes(a));
    if (unhandled) {
      const why = FS_ACCESS_ABI[unhandled] > k.abi ? ` (and it needs ABI ${FS_ACCESS_ABI[unhandled]})` : "";
      return void k.emit({ ...base, result: "EINVAL", note: `${unhandled} is not handled by ${args.ruleset}${why}` });
    }
    const path = normalizePath(args.path);
    const dirOnly = k.isRegularFile(path) ? args.access.find((a) => !FILE_ACCESS.includes(a)) : undefined;
    if (dirOnly) {
      return void k.emit({ ...base, result: "EINVAL", note: `${path} is a regular file: ${dirOnly} applies to directories only (a file takes ${FILE_ACCESS.join(", ")})` });
    }
    ruleset.fsRules.push({ path, access: [...new Set(args.access)] });
  } else {
    const unhandled = args.access.find((a) => !ruleset.handledNet.includes(a));
    if (unhandled) {
      const why = NET_ACCESS_ABI[unhandled] > k.abi ? ` (and it needs ABI ${NET_ACCESS_ABI[unhandled]})` : "";
      return void k.emit({ ...base, result: "EINVAL", note: `${unhandled} is not handled by ${args.ruleset}${why}` });
    }
    if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
      return void k.emit({ ...base, result: "EINVAL", note: `port ${args.port} is out of range` });
    }
    ruleset.netRules.push({ port: args.port, access: [...new Set(args.access)] });
  }
  k.emit({ ...base, result: "ok" });
}
