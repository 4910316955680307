// Scenario validation: schema errors and semantic errors name the JSON path and the problem.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { validateScenario, jsonPath } from "../src/validate.js";
import { ALL_FS_ACCESS, ALL_NET_ACCESS, ALL_RESTRICT_FLAGS, ALL_SCOPES } from "../src/model/abi.js";

const errorsOf = (value: unknown) => {
  const r = validateScenario(value);
  assert.equal(r.ok, false, "expected validation to fail");
  return r.ok ? [] : r.errors;
};
const scenario = (steps: unknown[], extra: object = {}) => ({ name: "t", steps, ...extra });

test("JSON pointers become JSON paths", () => {
  assert.equal(jsonPath(""), "$");
  assert.equal(jsonPath("/steps/3/thread"), "$.steps[3].thread");
  assert.equal(jsonPath("/a~1b/x y"), '$["a/b"]["x y"]');
});

test("a minimal scenario is valid and comes back unchanged", () => {
  const value = scenario([{ op: "get_abi", thread: "main" }]);
  const r = validateScenario(value);
  assert.ok(r.ok);
  assert.equal(r.ok && r.scenario, value);
});

test("schema errors: wrong types, unknown ops and properties, missing fields, out-of-range values", () => {
  assert.deepEqual(errorsOf("text"), [{ path: "$", message: "must be an object, not a string" }]);
  assert.deepEqual(errorsOf({ steps: [] }), [{ path: "$", message: 'missing required property "name"' }]);
  assert.deepEqual(errorsOf(scenario([], { abi: 12 })), [{ path: "$.abi", message: "12 is out of range: must be <= 11" }]);
  const unknownOp = errorsOf(scenario([{ op: "spwn_thread", thread: "main", new: "w1" }]));
  assert.equal(unknownOp.length, 1);
  assert.equal(unknownOp[0]!.path, "$.steps[0].op");
  assert.match(unknownOp[0]!.message, /did you mean "spawn_thread"/);
  const extra = errorsOf(scenario([{ op: "exec", thread: "main", when: 3 }]));
  assert.deepEqual(extra.map((e) => e.path), ["$.steps[0].when"]);
  assert.match(extra[0]!.message, /unknown property "when" \(allowed here: op, thread, expect, source\)/);
  const missing = errorsOf(scenario([{ op: "spawn_thread", thread: "main" }]));
  assert.deepEqual(missing, [{ path: "$.steps[0]", message: 'missing required property "new"' }]);
  const rs = errorsOf(scenario([{ op: "restrict_self", thread: "main", ruleset: 3 }]));
  assert.deepEqual(rs, [{ path: "$.steps[0].ruleset", message: "must be a ruleset name or -1, not 3" }]);
  const port = errorsOf(scenario([{ op: "connect_tcp", thread: "main", port: 70000 }]));
  assert.deepEqual(port.map((e) => e.path), ["$.steps[0].port"]);
  const path = errorsOf(scenario([{ op: "open", thread: "main", path: "etc/passwd", access: "read" }]));
  assert.match(path[0]!.message, /absolute path/);
  const flag = errorsOf(scenario([{ op: "restrict_self", thread: "main", ruleset: "rs", flags: ["tsnc"] }]));
  assert.equal(flag[0]!.path, "$.steps[0].flags[0]");
  assert.match(flag[0]!.message, /did you mean "tsync"/);
});

test("a step may say where the program performs it: file, 1-based line and column, nothing else", () => {
  const source = { file: "/src/main.c", line: 12, column: 5 };
  const steps = [
    { op: "spawn_thread", thread: "main", new: "w1", source },
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"], source },
    { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/usr", access: ["read_file"], source },
    { op: "add_rule", thread: "main", ruleset: "rs", type: "net_port", port: 80, access: ["connect_tcp"], source },
    { op: "restrict_self", thread: "main", ruleset: "rs", source },
    { op: "fcntl_setown", thread: "main", fd: "sock", owner: "p1", source },
    { op: "sigio", fd: "sock", source },
  ];
  const valid = validateScenario(scenario(steps));
  assert.ok(valid.ok, JSON.stringify(valid));
  assert.deepEqual(errorsOf(scenario([{ op: "exec", thread: "main", source: { ...source, line: 0 } }])), [
    { path: "$.steps[0].source.line", message: "0 is out of range: must be >= 1" },
  ]);
  assert.deepEqual(errorsOf(scenario([{ op: "exec", thread: "main", source: { ...source, column: 0 } }])), [
    { path: "$.steps[0].source.column", message: "0 is out of range: must be >= 1" },
  ]);
  assert.deepEqual(errorsOf(scenario([{ op: "exec", thread: "main", source: { file: "", line: 1, column: 1 } }])), [
    { path: "$.steps[0].source.file", message: '"": must not be empty' },
  ]);
  assert.deepEqual(errorsOf(scenario([{ op: "exec", thread: "main", source: { file: "a.c", line: 1 } }])), [
    { path: "$.steps[0].source", message: 'missing required property "column"' },
  ]);
  const extra = errorsOf(scenario([{ op: "exec", thread: "main", source: { ...source, offset: 3 } }]));
  assert.deepEqual(extra.map((e) => e.path), ["$.steps[0].source.offset"]);
  assert.match(extra[0]!.message, /unknown property "offset" \(allowed here: file, line, column\)/);
});

test("add_rule variants are checked by rule type", () => {
  const errors = errorsOf(scenario([
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"] },
    { op: "add_rule", thread: "main", ruleset: "rs", type: "net_port", path: "/usr", access: ["read_file"] },
  ]));
  const paths = errors.map((e) => e.path).sort();
  assert.ok(paths.includes("$.steps[1].path"), JSON.stringify(errors));
  assert.ok(paths.includes("$.steps[1].access[0]"));
  assert.ok(errors.some((e) => e.message === 'missing required property "port"'));
});

test("semantic errors: names used before they exist, names taken twice, impossible combinations", () => {
  const errors = errorsOf(scenario([
    { op: "open", thread: "w1", path: "/a", access: "read" },
    { op: "spawn_thread", thread: "main", new: "w1" },
    { op: "spawn_thread", thread: "main", new: "w1" },
    { op: "restrict_self", thread: "main", ruleset: "rs" },
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"] },
    { op: "restrict_self", thread: "main", ruleset: "rs", via: "libpsx", flags: ["tsync"] },
    { op: "tgkill", thread: "main", target: "ghost" },
    { op: "sigio", fd: "sock" },
    { op: "restrict_self", thread: "main", ruleset: "rs", flags: ["tsync"], concurrent: [{ op: "spawn_thread", thread: "main", new: "w9" }] },
    { op: "add_rule", thread: "main", ruleset: "nothing", type: "path_beneath", path: "/", access: ["read_file"] },
  ], { faults: { enomemAtPrepare: "nobody" } }));
  assert.deepEqual(errors, [
    { path: "$.steps[0].thread", message: 'thread "w1" is used before it is created (at $.steps[1])' },
    { path: "$.steps[2].new", message: 'the name "w1" is already taken by an existing thread or process; a new thread needs a new name' },
    { path: "$.steps[3].ruleset", message: 'ruleset "rs" is used before it is created (at $.steps[4])' },
    { path: "$.steps[5].flags", message: 'tsync cannot be combined with via "libpsx": the broadcast already makes every thread call restrict_self' },
    { path: "$.steps[6].target", message: 'unknown thread "ghost": no step creates it' },
    { path: "$.steps[7].fd", message: 'no earlier fcntl_setown step sets an owner for "sock"' },
    { path: "$.steps[8].concurrent[0].thread", message: '"main" is the thread making the call: it cannot do anything else meanwhile' },
    { path: "$.steps[9].ruleset", message: 'unknown ruleset "nothing": no create_ruleset step names it' },
    { path: "$.faults.enomemAtPrepare", message: 'unknown thread "nobody"' },
  ]);
});

test("the schema's lists of rights, scopes and flags match the model's ABI tables", () => {
  const schema = JSON.parse(readFileSync(fileURLToPath(new URL("../../schema/scenario.schema.json", import.meta.url)), "utf8"));
  assert.deepEqual([...schema.definitions.fsAccess.enum].sort(), [...ALL_FS_ACCESS].sort());
  assert.deepEqual([...schema.definitions.netAccess.enum].sort(), [...ALL_NET_ACCESS].sort());
  assert.deepEqual([...schema.definitions.scope.enum].sort(), [...ALL_SCOPES].sort());
  assert.deepEqual([...schema.definitions.restrictFlag.enum].sort(), [...ALL_RESTRICT_FLAGS].sort());
});

test("the generated validator is up to date with the schema", () => {
  const generated = readFileSync(fileURLToPath(new URL("../../src/generated/validate-scenario.ts", import.meta.url)), "utf8");
  const schema = JSON.parse(readFileSync(fileURLToPath(new URL("../../schema/scenario.schema.json", import.meta.url)), "utf8"));
  assert.ok(generated.includes(JSON.stringify(schema.definitions.fsAccess.enum)), "fs rights of the schema appear in the generated code");
  assert.ok(generated.includes(JSON.stringify(schema.definitions.expectation.enum)), "expectations appear in the generated code");
});
