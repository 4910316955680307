// A ruleset name stands for the fd number it holds: a name left holding -1 by a failed
// call behaves exactly like the literal -1 in restrict_self.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { RestrictFlag, Step } from "../src/scenario.js";
import { nnp, resultOf, run, stepEvent, thread } from "./sim-helpers.js";

const failedCreate: Step = { op: "create_ruleset", thread: "main", as: "rs" };
const restrictWith = (ruleset: string | -1, flags: RestrictFlag[]): Step => ({ op: "restrict_self", thread: "main", ruleset, flags });

test("a name holding -1 after a failed create_ruleset is accepted with exactly LOG_SUBDOMAINS_OFF", () => {
  const t = run([nnp, failedCreate, restrictWith("rs", ["log_subdomains_off"])], { abi: 7 });
  assert.equal(resultOf(t, 1), "ENOMSG");
  assert.equal(resultOf(t, 2), "ok");
  assert.equal(thread(t, "main").domain, null, "fd -1 adds no layer");
  assert.match(stepEvent(t, 2).note ?? "", /-1/);
});

test("a name holding -1 gets the literal -1's answer for every flag combination", () => {
  const combos: RestrictFlag[][] = [[], ["log_subdomains_off"], ["log_subdomains_off", "log_same_exec_off"], ["log_new_exec_on"], ["log_subdomains_off", "tsync"]];
  for (const abi of [7, 8, 9, 11] as const) {
    for (const flags of combos) {
      const named = run([nnp, failedCreate, restrictWith("rs", flags)], { abi });
      const literal = run([nnp, failedCreate, restrictWith(-1, flags)], { abi });
      assert.equal(resultOf(named, 2), resultOf(literal, 2), `ABI ${abi}, flags [${flags.join(",")}]`);
      assert.equal(thread(named, "main").domain, thread(literal, "main").domain);
    }
  }
  assert.equal(resultOf(run([nnp, failedCreate, restrictWith("rs", [])], { abi: 7 }), 2), "EBADF");
});

test("a failed open names -1 too; a name that never held an fd stays EBADF", () => {
  const t = run([
    nnp,
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"] },
    { op: "restrict_self", thread: "main", ruleset: "rs" },
    { op: "open", thread: "main", path: "/etc/shadow", access: "read", as: "f" },
    restrictWith("f", ["log_subdomains_off"]),
    restrictWith("never", ["log_subdomains_off"]),
  ], { abi: 7 });
  assert.equal(resultOf(t, 3), "EACCES");
  assert.equal(resultOf(t, 4), "ok");
  assert.equal(resultOf(t, 5), "EBADF");
});

test("libpsx passes the -1 a name holds to every thread", () => {
  const t = run([
    nnp,
    { op: "spawn_thread", thread: "main", new: "w1" },
    failedCreate,
    { op: "restrict_self", thread: "main", ruleset: "rs", flags: ["log_subdomains_off"], via: "libpsx" },
  ], { abi: 7 });
  assert.equal(resultOf(t, 3), "ok");
  assert.equal(thread(t, "w1").domain, null);
});
