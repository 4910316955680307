// `landlock-sim explore` through the built binary: exit codes, text lanes, JSON.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { exploreCommand } from "../src/cli/explore.js";

const bin = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));

function explore(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, "explore", ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("the landlock-sim binary is built", () => {
  assert.ok(existsSync(bin), `${bin} missing: run npm run build`);
});

test("explore tsync: the correct model exits 0 and says the whole space was explored", () => {
  const r = explore("tsync", "--threads", "3", "--spawn", "--enomem");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /whole space explored: [\d,]+ states, [\d,]+ transitions, depth \d+/);
  assert.match(r.out, /every invariant holds/);
});

test("explore tsync --variant: a mutant exits 1 with a lane-per-thread counterexample", () => {
  const r = explore("tsync", "--threads", "3", "--enomem", "--variant", "ignore-error-slot");
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /INVARIANT VIOLATED: all-or-nothing/);
  assert.match(r.out, /counterexample: \d+ steps, minimal/);
  const header = r.out.split("\n").find((l) => l.startsWith("step"))!;
  assert.match(header, /T0 \(caller\)\s+T1 \(sibling.*\)\s+T2 \(sibling/);
  assert.match(r.out, /prepare_creds\(\) \[ENOMEM\]/);
});

test("explore tsync --format json: TraceEvents that other renderers can read", () => {
  const r = explore("tsync", "--threads", "2", "--spawn", "--variant", "single-pass", "--format", "json");
  assert.equal(r.code, 1, r.err);
  const result = JSON.parse(r.out);
  assert.equal(result.status, "violation");
  assert.equal(result.model, "tsync");
  assert.equal(result.variant, "single-pass");
  assert.equal(result.violation.invariant, "no-thread-left-behind");
  for (const e of result.violation.trace) {
    assert.equal(typeof e.seq, "number");
    assert.match(e.thread, /^T\d$/);
    assert.equal(e.process, "P");
    assert.equal(typeof e.op, "string");
    assert.equal(typeof e.call, "string");
    assert.ok(["ok", "delivered", "dropped", "skipped"].includes(e.result) || /^E[A-Z0-9]+$/.test(e.result), e.result);
  }
});

test("explore: a budget stop exits 3, never 0, and reports how far it got", () => {
  const r = explore("tsync", "--threads", "4", "--spawn", "--exit", "--enomem", "--max-states", "500");
  assert.equal(r.code, 3, r.err);
  assert.match(r.out, /budget reached \(state limit 500\)/);
  assert.match(r.out, /reached: [\d,]+ states, [\d,]+ transitions, depth \d+/);
});

test("explore psx: distinct domains reported as same-domain-everywhere failing, exit 1", () => {
  const r = explore("psx", "--threads", "3", "--erratum2");
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /INVARIANT VIOLATED: same-domain-everywhere/);
  assert.match(r.out, /each is in its own sibling domain/);
  const scoped = explore("psx", "--threads", "2");
  assert.equal(scoped.code, 1);
  assert.match(scoped.out, /pthread_kill\(T1, psx signal\)[\s|]+\[EPERM\]/);
});

test("explore: bad usage exits 2 with a message naming the problem", () => {
  const cases: [string[], RegExp][] = [
    [[], /give tsync or psx/],
    [["tcp"], /unknown protocol "tcp"/],
    [["tsync", "--threads", "x"], /--threads needs a non-negative integer, got "x"/],
    [["tsync", "--threads", "12"], /threads must be an integer from 1 to 8, got 12/],
    [["tsync", "--variant", "nope"], /unknown variant "nope"/],
    [["psx", "--enomem"], /--enomem does not apply to psx/],
    [["tsync", "--erratum2"], /--erratum2 does not apply to tsync/],
    [["tsync", "--format", "xml"], /--format must be text or json/],
    [["tsync", "--bogus"], /unknown option --bogus/],
    [["tsync", "--threads"], /--threads needs a value/],
  ];
  for (const [args, message] of cases) {
    const r = explore(...args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.out}`);
    assert.match(r.err, message, args.join(" "));
  }
});

test("explore --help and --list-variants exit 0", () => {
  const help = explore("--help");
  assert.equal(help.code, 0);
  assert.match(help.out, /usage: landlock-sim explore tsync\|psx/);
  assert.match(help.out, /--max-spawns N/);
  const list = explore("--list-variants");
  assert.equal(list.code, 0);
  for (const name of ["correct", "single-pass", "commit-without-wait", "no-wait-all-prepared", "no-serialization"]) assert.match(list.out, new RegExp(`^${name}\\s`, "m"));
});

test("exploreCommand returns the exit code without a subprocess", async () => {
  const writes: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    writes.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  let code: number;
  try {
    code = await exploreCommand(["tsync", "--threads", "2", "--variant", "no-wait-all-finished", "--format", "json"]);
  } finally {
    process.stdout.write = write;
  }
  assert.equal(code, 1);
  assert.equal(JSON.parse(writes.join("")).violation.invariant, "all-or-nothing");
});
