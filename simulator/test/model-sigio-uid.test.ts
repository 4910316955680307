// SIGIO delivery also depends on uids (the kernel's sigio_perm): the euid F_SETOWN recorded
// must be root or match the owner's uid; Landlock's scope check comes on top.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { Step } from "../src/scenario.js";
import { resultOf, run, stepEvent } from "./sim-helpers.js";

const fork: Step = { op: "fork", thread: "main", child: "c1" };
const setown: Step = { op: "fcntl_setown", thread: "main", fd: "io", owner: "c1" };
const sigio: Step = { op: "sigio", fd: "io" };
const setuid = (thread: string, uid: number): Step => ({ op: "setuid", thread, uid });

test("SIGIO is dropped when the uid recorded by F_SETOWN is neither root nor the owner's", () => {
  const t = run([fork, setuid("main", 1000), setown, sigio]);
  assert.equal(resultOf(t, 3), "dropped");
  assert.equal(stepEvent(t, 3).blocker, undefined, "an ordinary permission check, not Landlock");
  assert.match(stepEvent(t, 3).note ?? "", /uid 1000/);
});

test("SIGIO is delivered when the recorded uid is root or the owner's uid", () => {
  assert.equal(resultOf(run([setuid("main", 1000), fork, setown, sigio]), 3), "delivered", "same uid");
  assert.equal(resultOf(run([fork, setuid("c1", 1000), setown, sigio]), 3), "delivered", "root may signal anyone");
});

test("the uid is recorded at F_SETOWN: later uid changes of the setter do not matter, the owner's do", () => {
  assert.equal(resultOf(run([fork, setown, setuid("main", 1000), sigio]), 3), "delivered", "recorded as root");
  assert.equal(resultOf(run([fork, setuid("main", 1000), setown, setuid("c1", 1000), sigio]), 4), "delivered", "the owner now has the recorded uid");
});
