// The built landlock-sim binary: commands, formats, exit codes, error messages.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "landlock-sim-test-"));

function sim(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

test("the bin file is executable and starts with a node shebang", () => {
  assert.ok(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n"));
  if (statSync(bin).mode & 0o111) return;
  console.log(`# ${bin} is not executable: run npm run build (its prebuild step sets the mode)`);
});

test("list shows the 14 built-ins", () => {
  const r = sim("list");
  assert.equal(r.code, 0);
  assert.equal(r.out.trim().split("\n").length, 14);
  assert.match(r.out, /^tsync-enomem\s+ABI\s+8/m);
  const json = sim("list", "--json");
  assert.equal(JSON.parse(json.out).length, 14);
});

test("run single-thread-restrict: text lanes per thread and the consequence in plain words", () => {
  const r = sim("run", "single-thread-restrict", "--width", "120");
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /│ main \(p1\)\s+│ w1 \(p1\)\s+│ w2 \(p1\)/);
  assert.match(r.out, /w1 and w2 are not in any domain: they can still open \/etc\/shadow\./);
  assert.ok(r.out.split("\n").every((line) => [...line].length <= 120), "respects --width");
});

test("run --format json gives the trace; --abi and --errata override the scenario", () => {
  const r = sim("run", "psx-signal-scope", "--format", "json", "--errata", "2", "--abi", "7");
  assert.equal(r.code, 0, r.err);
  const trace = JSON.parse(r.out);
  assert.equal(trace.abi, 7);
  assert.deepEqual(trace.errata, [2]);
  assert.equal(trace.events.find((e: { op: string; target?: string }) => e.op === "tgkill" && e.target === "w1").result, "ok");
});

test("run --format html --out writes a self-contained page", () => {
  const out = join(dir, "tsync.html");
  const r = sim("run", "tsync", "--format", "html", "--out", out);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, "");
  const html = readFileSync(out, "utf8");
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<svg /);
  assert.doesNotMatch(html, /<script/i);
});

test("a built-in that does not exist, or an unreadable path, is a usage error (exit 2)", () => {
  const r = sim("run", "no-such-scenario");
  assert.equal(r.code, 2);
  assert.match(r.err, /no-such-scenario: no built-in scenario by that name and no such file/);
  assert.equal(sim("run", dir).code, 2);
});

test("a bad scenario file: exit 2 with the file, the JSON path and the problem", () => {
  const p = file("bad.json", JSON.stringify({ name: "bad", steps: [{ op: "open", thread: "w9", path: "/etc/shadow", access: "read" }] }));
  const r = sim("run", p);
  assert.equal(r.code, 2);
  assert.ok(r.err.includes(`${p}: $.steps[0].thread: unknown thread "w9": no step creates it`), r.err);
  const s = file("schema.json", JSON.stringify({ name: "bad", abi: 99, steps: [] }));
  assert.match(sim("run", s).err, /\$\.abi: 99 is out of range: must be <= 11/);
});

test("invalid JSON and binary files are reported with the file name", () => {
  const p = file("broken.json", '{\n  "name": "x",\n  "steps": [,]\n}\n');
  const r = sim("run", p);
  assert.equal(r.code, 2);
  assert.match(r.err, /broken\.json: invalid JSON: unexpected "," at line 3, column 13/);
  const cut = file("cut.json", '{"name": "x", "steps": [');
  assert.match(sim("run", cut).err, /cut\.json: invalid JSON: unexpected end of file at line 1, column 25/);
  const b = file("binary.json", "\u0000\u0001\u0002");
  assert.match(sim("run", b).err, /binary file/);
});

test("bad options are usage errors", () => {
  for (const args of [["--abi", "12"], ["--abi", "x"], ["--errata", "4"], ["--format", "pdf"], ["--width", "5"], ["--bogus"]]) {
    const r = sim("run", "tsync", ...args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, /landlock-sim: /);
  }
  assert.equal(sim("run").code, 2);
  assert.equal(sim("frobnicate").code, 2);
  assert.equal(sim().code, 2);
});

test("a step whose expectation fails makes run exit 1; when it holds, exit 0", () => {
  const scenario = (expect: string) => JSON.stringify({
    name: "expect",
    abi: 6,
    steps: [
      { op: "prctl_no_new_privs", thread: "main" },
      { op: "spawn_thread", thread: "main", new: "w1" },
      { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"] },
      { op: "restrict_self", thread: "main", ruleset: "rs", expect: "ok" },
      { op: "open", thread: "w1", path: "/etc/shadow", access: "read", expect },
    ],
  });
  const failing = sim("run", file("fail.json", scenario("EACCES")));
  assert.equal(failing.code, 1);
  assert.match(failing.err, /step 5 \(open in w1\): expected EACCES, got ok/);
  assert.match(failing.out, /Step 5 \(open in w1\) expected EACCES but the model returned ok/);
  assert.equal(sim("run", file("pass.json", scenario("ok"))).code, 0);
});

test("--help works for every command, and explore is delegated", () => {
  for (const args of [["--help"], ["run", "--help"], ["list", "--help"]]) {
    const r = sim(...args);
    assert.equal(r.code, 0, args.join(" "));
    assert.match(r.out, /Usage:( landlock-sim)?/);
  }
  const explore = sim("explore", "--help");
  assert.doesNotMatch(explore.err, /unknown command/);
  assert.ok(explore.out.length + explore.err.length > 0);
});
