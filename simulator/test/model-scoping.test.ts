// Signal and abstract-socket scoping, erratum 2, F_SETOWN ordering.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Erratum, Step } from "../src/scenario.js";
import { nnp, resultOf, run, stepEvent } from "./sim-helpers.js";

const scoped = (scope: "signal" | "abstract_unix_socket" = "signal", as = "rs", thread = "main"): Step => ({ op: "create_ruleset", thread, as, handledFs: ["write_file"], scoped: [scope] });

test("a signal-scoped sender may signal its own domain and descendants, nothing else", () => {
  const t = run([
    nnp,
    { op: "fork", thread: "main", child: "outside" },
    scoped(),
    { op: "restrict_self", thread: "main", ruleset: "rs" },
    { op: "fork", thread: "main", child: "same" },
    { op: "fork", thread: "main", child: "deeper" },
    { op: "create_ruleset", thread: "deeper", as: "rs2", handledFs: ["read_file"] },
    { op: "restrict_self", thread: "deeper", ruleset: "rs2" },
    { op: "kill", thread: "main", target: "outside" },
    { op: "kill", thread: "main", target: "same" },
    { op: "kill", thread: "main", target: "deeper" },
    { op: "kill", thread: "deeper", target: "main" },
    { op: "kill", thread: "outside", target: "main" },
  ], { abi: 6 });
  assert.equal(resultOf(t, 8), "EPERM");
  assert.deepEqual(stepEvent(t, 8).blocker, { kind: "scope", access: "signal", domain: t.domains[0]!.id });
  assert.equal(resultOf(t, 9), "ok", "same domain");
  assert.equal(resultOf(t, 10), "ok", "a descendant domain");
  assert.equal(resultOf(t, 11), "ok", "deeper's scoped layer is main's domain, an ancestor of the target");
  assert.equal(resultOf(t, 12), "ok", "a sender without a domain is not scoped");
});

test("without a signal scope, domains do not restrict signals", () => {
  const t = run([
    nnp,
    { op: "fork", thread: "main", child: "outside" },
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"] },
    { op: "restrict_self", thread: "main", ruleset: "rs" },
    { op: "kill", thread: "main", target: "outside" },
  ], { abi: 6 });
  assert.equal(resultOf(t, 4), "ok");
});

/** main restricts itself alone with signal scope; w1 stays outside; w1 then forks a child. */
function crossThread(errata: Erratum[]) {
  return run([
    nnp,
    { op: "spawn_thread", thread: "main", new: "w1" },
    scoped(),
    { op: "restrict_self", thread: "main", ruleset: "rs" },
    { op: "tgkill", thread: "main", target: "w1" },
    { op: "kill", thread: "main", target: "p1" },
    { op: "fork", thread: "w1", child: "child" },
    { op: "kill", thread: "main", target: "child" },
    { op: "tgkill", thread: "w1", target: "main" },
  ], { abi: 6, errata });
}

test("signals between threads of one process: denied across domains without erratum 2, allowed with it", () => {
  const without = crossThread([]);
  assert.equal(resultOf(without, 4), "EPERM");
  assert.equal(stepEvent(without, 4).blocker?.access, "signal");
  assert.ok(without.summary.some((s) => /lacks erratum 2/.test(s)));
  const withE2 = crossThread([2]);
  assert.equal(resultOf(withE2, 4), "ok");
  assert.match(stepEvent(withE2, 4).note ?? "", /erratum 2/);
  assert.equal(resultOf(withE2, 5), "ok", "kill() to the own process is a same-process signal too");
  // Erratum 1 and 3 have nothing to do with signals.
  assert.equal(resultOf(crossThread([1, 3]), 4), "EPERM");
});

test("a process forked by another thread is still out of reach, even with erratum 2", () => {
  for (const errata of [[], [2]] as Erratum[][]) {
    const t = crossThread(errata);
    assert.equal(resultOf(t, 7), "EPERM", `errata ${errata.join(",") || "none"}`);
    assert.equal(resultOf(t, 8), "ok", "w1 has no domain: nothing restricts it");
  }
});

test("ordinary permission checks come first for other processes: uid mismatch is EPERM without a blocker", () => {
  const t = run([
    { op: "fork", thread: "main", child: "other" },
    { op: "setuid", thread: "other", uid: 1000, via: "raw" },
    { op: "kill", thread: "other", target: "main" },
  ], { abi: 6, initial: { uid: 0 } });
  const e = stepEvent(t, 2);
  assert.equal(e.result, "EPERM");
  assert.equal(e.blocker, undefined);
});

test("signals to a thread that has exited fail with ESRCH", () => {
  const t = run([{ op: "spawn_thread", thread: "main", new: "w1" }, { op: "exit_thread", thread: "w1" }, { op: "tgkill", thread: "main", target: "w1" }], { abi: 6 });
  assert.equal(resultOf(t, 2), "ESRCH");
});

function sigio(setownBeforeRestrict: boolean, errata: Erratum[] = [], owner = "monitor") {
  const setown: Step = { op: "fcntl_setown", thread: "server", fd: "sock", owner };
  return run([
    { op: "fork", thread: "main", child: "server" },
    { op: "prctl_no_new_privs", thread: "server" },
    ...(setownBeforeRestrict ? [setown] : []),
    scoped("signal", "rs", "server"),
    { op: "restrict_self", thread: "server", ruleset: "rs" },
    ...(setownBeforeRestrict ? [] : [setown]),
    { op: "sigio", fd: "sock" },
  ], { abi: 6, errata, process: "monitor" });
}

test("F_SETOWN records the domain at the time of the call: SIGIO delivered when set before, dropped when set after", () => {
  const before = sigio(true);
  assert.equal(resultOf(before, 5), "delivered");
  const after = sigio(false);
  const e = stepEvent(after, 5);
  assert.equal(e.result, "dropped");
  assert.equal(e.thread, "kernel");
  assert.deepEqual(e.blocker, { kind: "scope", access: "signal", domain: after.domains[0]!.id });
  assert.equal(resultOf(sigio(false, [2]), 5), "dropped", "erratum 2 does not help a different process");
  assert.equal(resultOf(sigio(false, [], "server"), 5), "delivered", "the owner is inside the domain");
});

test("abstract unix sockets: connecting out of a scoped domain is EPERM; inside it works; unbound is ECONNREFUSED", () => {
  const t = run([
    { op: "bind_abstract", thread: "main", name: "bus" },
    { op: "fork", thread: "main", child: "app" },
    { op: "prctl_no_new_privs", thread: "app" },
    scoped("abstract_unix_socket", "rs", "app"),
    { op: "restrict_self", thread: "app", ruleset: "rs" },
    { op: "connect_abstract", thread: "app", name: "bus" },
    { op: "bind_abstract", thread: "app", name: "mine" },
    { op: "connect_abstract", thread: "app", name: "mine" },
    { op: "connect_abstract", thread: "app", name: "nobody" },
    { op: "connect_abstract", thread: "main", name: "mine" },
    { op: "bind_abstract", thread: "main", name: "bus" },
  ], { abi: 6, errata: [2] });
  assert.equal(resultOf(t, 5), "EPERM");
  assert.deepEqual(stepEvent(t, 5).blocker, { kind: "scope", access: "abstract_unix_socket", domain: t.domains[0]!.id });
  assert.equal(resultOf(t, 7), "ok");
  assert.equal(resultOf(t, 8), "ECONNREFUSED");
  assert.equal(resultOf(t, 9), "ok", "an unsandboxed client may connect into the domain");
  assert.equal(resultOf(t, 10), "EADDRINUSE");
});

test("abstract socket scoping separates threads of one process in distinct domains, erratum 2 or not", () => {
  const t = run([
    nnp,
    { op: "spawn_thread", thread: "main", new: "w1" },
    { op: "bind_abstract", thread: "w1", name: "w1sock" },
    scoped("abstract_unix_socket"),
    { op: "restrict_self", thread: "main", ruleset: "rs", via: "libpsx" },
    { op: "connect_abstract", thread: "main", name: "w1sock" },
  ], { abi: 6, errata: [2] });
  assert.equal(resultOf(t, 4), "ok");
  assert.equal(resultOf(t, 5), "EPERM");
});
