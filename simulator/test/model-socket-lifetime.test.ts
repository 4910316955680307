// An abstract unix socket belongs to the processes holding its fd, not to the thread that
// bound it: it outlives that thread, forked children hold it too, and exec closes it
// (bound sockets are close-on-exec). Scoping keeps using the binder's domain at bind time.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Step } from "../src/scenario.js";
import { nnp, resultOf, run, stepEvent } from "./sim-helpers.js";

const connect = (thread: string, name = "x"): Step => ({ op: "connect_abstract", thread, name });
const bind = (thread: string, name = "x"): Step => ({ op: "bind_abstract", thread, name });

test("a socket outlives the thread that bound it", () => {
  const t = run([{ op: "spawn_thread", thread: "main", new: "t1" }, bind("t1"), { op: "exit_thread", thread: "t1" }, connect("main"), bind("main")]);
  assert.equal(resultOf(t, 3), "ok");
  assert.equal(resultOf(t, 4), "EADDRINUSE");
  assert.match(stepEvent(t, 4).note ?? "", /t1/);
});

test("exec closes the socket: the name is free again", () => {
  const t = run([nnp, bind("main"), { op: "exec", thread: "main" }, connect("main"), bind("main")]);
  assert.equal(resultOf(t, 3), "ECONNREFUSED");
  assert.equal(resultOf(t, 4), "ok");
});

test("a forked child holds the socket after its parent's exec, until the child execs too", () => {
  const t = run([
    nnp,
    bind("main"),
    { op: "fork", thread: "main", child: "c1" },
    { op: "exec", thread: "main" },
    connect("main"),
    bind("main"),
    { op: "exec", thread: "c1" },
    connect("main"),
  ]);
  assert.equal(resultOf(t, 4), "ok", "c1 still holds the socket");
  assert.equal(resultOf(t, 5), "EADDRINUSE");
  assert.equal(resultOf(t, 7), "ECONNREFUSED", "nobody holds it any more");
});

test("a process whose every thread exited no longer holds the socket", () => {
  const t = run([{ op: "fork", thread: "main", child: "c1" }, bind("c1"), connect("main"), { op: "exit_thread", thread: "c1" }, connect("main"), bind("main")]);
  assert.equal(resultOf(t, 2), "ok");
  assert.equal(resultOf(t, 4), "ECONNREFUSED");
  assert.equal(resultOf(t, 5), "ok");
});

test("scoping checks the binder's domain at bind time, after the binder has exited", () => {
  const t = run([
    nnp,
    { op: "spawn_thread", thread: "main", new: "t1" },
    bind("t1"),
    { op: "exit_thread", thread: "t1" },
    { op: "create_ruleset", thread: "main", as: "rs", scoped: ["abstract_unix_socket"] },
    { op: "restrict_self", thread: "main", ruleset: "rs" },
    connect("main"),
  ], { abi: 6 });
  assert.equal(resultOf(t, 6), "EPERM", "t1 bound @x with no domain, outside main's scoped domain");
  assert.equal(stepEvent(t, 6).blocker?.kind, "scope");
});
