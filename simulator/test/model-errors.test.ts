// Every errno of create_ruleset, add_rule and restrict_self, at the ABIs where it changes.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Abi, RestrictFlag, Step } from "../src/scenario.js";
import { nnp, readOnlyUsr, resultOf, run, stepEvent, thread } from "./sim-helpers.js";

const create = (extra: Partial<Extract<Step, { op: "create_ruleset" }>>): Step => ({ op: "create_ruleset", thread: "main", as: "rs", ...extra });

test("create_ruleset: a right newer than the ABI is EINVAL, from its ABI it is accepted", () => {
  const cases: [Partial<Extract<Step, { op: "create_ruleset" }>>, Abi][] = [
    [{ handledFs: ["refer"] }, 2],
    [{ handledFs: ["truncate"] }, 3],
    [{ handledNet: ["connect_tcp"] }, 4],
    [{ handledFs: ["ioctl_dev"] }, 5],
    [{ scoped: ["signal"] }, 6],
    [{ scoped: ["abstract_unix_socket"] }, 6],
    [{ handledFs: ["resolve_unix"] }, 9],
    [{ handledNet: ["send_udp"] }, 10],
  ];
  for (const [attr, abi] of cases) {
    const before = run([create(attr)], { abi: (abi - 1) as Abi });
    assert.equal(resultOf(before, 0), "EINVAL", `${JSON.stringify(attr)} on ABI ${abi - 1}`);
    assert.match(stepEvent(before, 0).note ?? "", new RegExp(`needs ABI ${abi}`));
    assert.equal(resultOf(run([create(attr)], { abi }), 0), "ok", `${JSON.stringify(attr)} on ABI ${abi}`);
  }
});

test("create_ruleset: ENOMSG when nothing is handled, EINVAL wins when a right is also too new", () => {
  assert.equal(resultOf(run([create({})], { abi: 6 }), 0), "ENOMSG");
  assert.equal(resultOf(run([create({ handledFs: [], scoped: [] })], { abi: 6 }), 0), "ENOMSG");
  assert.equal(resultOf(run([create({ handledNet: ["bind_tcp"] })], { abi: 3 }), 0), "EINVAL");
});

test("ABI and errata queries", () => {
  const t = run([{ op: "get_abi", thread: "main" }, { op: "get_errata", thread: "main" }], { abi: 7, errata: [1, 2, 3] });
  assert.equal(stepEvent(t, 0).value, 7);
  assert.equal(stepEvent(t, 1).value, 0b111);
  assert.equal(stepEvent(run([{ op: "get_errata", thread: "main" }], { abi: 7, errata: [2] }), 0).value, 0b010);
  assert.equal(resultOf(run([{ op: "get_errata", thread: "main" }], { abi: 6, errata: [1] }), 0), "EINVAL");
});

test("add_rule: EINVAL for a right the ruleset does not handle, ENOMSG for no right, EBADF, EBADFD", () => {
  const t = run([
    create({ handledFs: ["read_file"] }),
    { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/usr", access: ["write_file"] },
    { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/usr", access: [] },
    { op: "open", thread: "main", path: "/etc/hosts", access: "read", as: "hosts" },
    { op: "add_rule", thread: "main", ruleset: "hosts", type: "path_beneath", path: "/usr", access: ["read_file"] },
    { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/usr", access: ["read_file"] },
  ], { abi: 6 });
  assert.deepEqual([1, 2, 4, 5].map((i) => resultOf(t, i)), ["EINVAL", "ENOMSG", "EBADFD", "ok"]);

  const failed = run([create({ handledFs: ["refer"] }), { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/", access: ["refer"] }], { abi: 1 });
  assert.equal(resultOf(failed, 0), "EINVAL");
  assert.equal(resultOf(failed, 1), "EBADF", "the name holds -1 after a failed create_ruleset");
  assert.match(stepEvent(failed, 1).note ?? "", /holds -1/);
});

test("add_rule: a ruleset fd does not exist in a process forked before it was created", () => {
  const t = run([
    { op: "fork", thread: "main", child: "child" },
    create({ handledFs: ["read_file"] }),
    { op: "add_rule", thread: "child", ruleset: "rs", type: "path_beneath", path: "/usr", access: ["read_file"] },
    { op: "fork", thread: "main", child: "child2" },
    { op: "add_rule", thread: "child2", ruleset: "rs", type: "path_beneath", path: "/usr", access: ["read_file"] },
  ], { abi: 6 });
  assert.equal(resultOf(t, 2), "EBADF");
  assert.equal(resultOf(t, 4), "ok", "a child forked after inherits the fd");
});

test("add_rule: net_port needs ABI 4 and a handled network right", () => {
  const steps = (abi: Abi) => run([
    create({ handledFs: ["read_file"], ...(abi >= 4 ? { handledNet: ["bind_tcp"] as const } : {}) } as never),
    { op: "add_rule", thread: "main", ruleset: "rs", type: "net_port", port: 443, access: ["bind_tcp"] },
    { op: "add_rule", thread: "main", ruleset: "rs", type: "net_port", port: 443, access: ["connect_tcp"] },
  ], { abi });
  const old = steps(3);
  assert.equal(resultOf(old, 1), "EINVAL");
  assert.match(stepEvent(old, 1).note ?? "", /ABI 4/);
  const badFd = run([{ op: "add_rule", thread: "main", ruleset: "ghost", type: "net_port", port: 1, access: ["bind_tcp"] }], { abi: 3 });
  assert.equal(resultOf(badFd, 0), "EBADF", "the fd is checked before the rule type");
  const now = steps(4);
  assert.equal(resultOf(now, 1), "ok");
  assert.equal(resultOf(now, 2), "EINVAL", "connect_tcp is not handled");
});

const restrict = (flags: RestrictFlag[] = [], ruleset: string | -1 = "rs"): Step => ({ op: "restrict_self", thread: "main", ruleset, flags });

test("restrict_self: EPERM without no_new_privs or CAP_SYS_ADMIN; either one is enough", () => {
  assert.equal(resultOf(run([...readOnlyUsr, restrict()], { abi: 6 }), 2), "EPERM");
  assert.equal(resultOf(run([nnp, ...readOnlyUsr, restrict()], { abi: 6 }), 3), "ok");
  assert.equal(resultOf(run([...readOnlyUsr, restrict()], { abi: 6, initial: { capSysAdmin: true } }), 2), "ok");
  assert.equal(resultOf(run([...readOnlyUsr, restrict()], { abi: 6, initial: { noNewPrivs: true } }), 2), "ok");
  const dropped = run([{ op: "drop_cap_sys_admin", thread: "main" }, ...readOnlyUsr, restrict()], { abi: 6, initial: { capSysAdmin: true } });
  assert.equal(resultOf(dropped, 3), "EPERM");
});

test("restrict_self: EPERM is checked before the flags up to ABI 10, after them from ABI 11", () => {
  const bogus = ["bogus" as RestrictFlag];
  for (const abi of [6, 7, 8, 9, 10] as Abi[]) {
    assert.equal(resultOf(run([...readOnlyUsr, restrict(["tsync", ...bogus])], { abi }), 2), "EPERM", `ABI ${abi}`);
  }
  assert.equal(resultOf(run([...readOnlyUsr, restrict(bogus)], { abi: 11 }), 2), "EINVAL");
  // With privileges the unknown flag is what fails, on every ABI.
  assert.equal(resultOf(run([nnp, ...readOnlyUsr, restrict(["tsync"])], { abi: 7 }), 3), "EINVAL");
  assert.equal(resultOf(run([nnp, ...readOnlyUsr, restrict(["log_subdomains_off"])], { abi: 6 }), 3), "EINVAL");
  assert.equal(resultOf(run([nnp, ...readOnlyUsr, restrict(["log_subdomains_off"])], { abi: 7 }), 3), "ok");
});

test("restrict_self: the NO_NEW_PRIVS flag (ABI 11) sets no_new_privs itself; before ABI 11 it is EINVAL", () => {
  const t = run([...readOnlyUsr, restrict(["no_new_privs"])], { abi: 11 });
  assert.equal(resultOf(t, 2), "ok");
  assert.equal(thread(t, "main").noNewPrivs, true);
  assert.notEqual(thread(t, "main").domain, null);
  assert.equal(resultOf(run([nnp, ...readOnlyUsr, restrict(["no_new_privs"])], { abi: 10 }), 3), "EINVAL");
  assert.equal(resultOf(run([...readOnlyUsr, restrict(["no_new_privs"])], { abi: 10 }), 2), "EPERM");
  assert.equal(resultOf(run([...readOnlyUsr, restrict([])], { abi: 11 }), 2), "EPERM");
});

test("restrict_self: fd -1 only with LOG_SUBDOMAINS_OFF (ABI 7), and with TSYNC from ABI 9", () => {
  const minusOne = (flags: RestrictFlag[], abi: Abi) => run([nnp, restrict(flags, -1)], { abi });
  const ok = minusOne(["log_subdomains_off"], 7);
  assert.equal(resultOf(ok, 1), "ok");
  assert.equal(thread(ok, "main").domain, null, "no layer is added");
  assert.equal(ok.domains.length, 0);
  assert.equal(resultOf(minusOne([], 7), 1), "EBADF");
  assert.equal(resultOf(minusOne(["log_same_exec_off", "log_subdomains_off"], 7), 1), "EBADF");
  assert.equal(resultOf(minusOne(["log_subdomains_off"], 6), 1), "EINVAL", "the flag itself is unknown on ABI 6");
  assert.equal(resultOf(minusOne(["tsync", "log_subdomains_off"], 8), 1), "EBADF");
  assert.equal(resultOf(minusOne(["tsync", "log_subdomains_off"], 9), 1), "ok");
});

test("restrict_self: EBADF for an unknown or closed fd, EBADFD for a non-ruleset fd", () => {
  const t = run([
    nnp,
    { op: "open", thread: "main", path: "/etc/hosts", access: "read", as: "hosts" },
    restrict([], "hosts"),
    ...readOnlyUsr,
    { op: "exec", thread: "main" },
    restrict(),
  ], { abi: 6 });
  assert.equal(resultOf(t, 2), "EBADFD");
  assert.equal(resultOf(t, 6), "EBADF", "ruleset fds are close-on-exec");
});

test("restrict_self: the 17th layer is E2BIG and leaves the 16 layers in place", () => {
  const steps: Step[] = [nnp, ...readOnlyUsr, ...Array.from({ length: 17 }, () => restrict())];
  const t = run(steps, { abi: 6 });
  for (let i = 3; i < 19; i++) assert.equal(resultOf(t, i), "ok", `call ${i - 2}`);
  assert.equal(resultOf(t, 19), "E2BIG");
  assert.equal(thread(t, "main").layers, 16);
  assert.equal(t.domains.length, 16);
  // Each layer's parent is the previous one.
  for (let i = 1; i < 16; i++) assert.equal(t.domains[i]!.parent, t.domains[i - 1]!.id);
});

test("restrict_self: ENOMEM injected at the caller's prepare_creds changes nothing", () => {
  const t = run([nnp, ...readOnlyUsr, restrict()], { abi: 6, faults: { enomemAtPrepare: "main" } });
  assert.equal(resultOf(t, 3), "ENOMEM");
  assert.equal(thread(t, "main").domain, null);
});

test("domain IDs are 16 hex digits, distinct, and the same on every run", () => {
  const steps: Step[] = [nnp, ...readOnlyUsr, restrict(), restrict()];
  const a = run(steps, { abi: 6 });
  const b = run(steps, { abi: 6 });
  assert.deepEqual(a.domains.map((d) => d.id), b.domains.map((d) => d.id));
  for (const d of a.domains) assert.match(d.id, /^[0-9a-f]{16}$/);
  assert.notEqual(a.domains[0]!.id, a.domains[1]!.id);
});

test("open: every layer that handles the access must allow it on the path or a parent", () => {
  const t = run([
    nnp,
    ...readOnlyUsr,
    restrict(),
    { op: "create_ruleset", thread: "main", as: "rs2", handledFs: ["read_file"] },
    { op: "add_rule", thread: "main", ruleset: "rs2", type: "path_beneath", path: "/usr/share", access: ["read_file"] },
    { op: "restrict_self", thread: "main", ruleset: "rs2" },
    { op: "open", thread: "main", path: "/usr/share/doc/x", access: "read" },
    { op: "open", thread: "main", path: "/usr/lib/y", access: "read" },
    { op: "open", thread: "main", path: "/usr/../etc/passwd", access: "read" },
    { op: "open", thread: "main", path: "/tmp/out", access: "write" },
    { op: "open", thread: "main", path: "/usrx/z", access: "read" },
  ], { abi: 6 });
  assert.equal(resultOf(t, 7), "ok");
  const lib = stepEvent(t, 8);
  assert.equal(lib.result, "EACCES");
  assert.deepEqual(lib.blocker, { kind: "fs", access: "read_file", domain: t.domains[1]!.id }, "the newer layer denies");
  assert.equal(stepEvent(t, 9).blocker?.domain, t.domains[1]!.id);
  assert.equal(stepEvent(t, 9).target, "/etc/passwd");
  assert.equal(resultOf(t, 10), "ok", "write_file is not handled");
  assert.equal(resultOf(t, 11), "EACCES", "/usrx is not beneath /usr");
});

test("TCP bind/connect are checked from ABI 4 with net_port rules", () => {
  const steps: Step[] = [
    nnp,
    { op: "create_ruleset", thread: "main", as: "rs", handledNet: ["connect_tcp"] },
    { op: "add_rule", thread: "main", ruleset: "rs", type: "net_port", port: 443, access: ["connect_tcp"] },
    restrict(),
    { op: "connect_tcp", thread: "main", port: 443 },
    { op: "connect_tcp", thread: "main", port: 80 },
    { op: "bind_tcp", thread: "main", port: 8080 },
  ];
  const t = run(steps, { abi: 4 });
  assert.deepEqual([4, 5, 6].map((i) => resultOf(t, i)), ["ok", "EACCES", "ok"]);
  assert.deepEqual(stepEvent(t, 5).blocker, { kind: "net", access: "connect_tcp", domain: t.domains[0]!.id });
});
