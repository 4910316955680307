// The TSYNC fix must produce an expression of the same kind as the flags it edits: in JS,
// BigInt and Number do not mix (`0n | 8` throws a TypeError at run time).
import { test } from "node:test";
import assert from "node:assert/strict";
import { flagsWithTsync } from "../src/fixes/syntax.js";

test("BigInt flags in JS/TS gain a BigInt TSYNC flag", () => {
  assert.equal(flagsWithTsync("0n", "typescript", false), "8n /* LANDLOCK_RESTRICT_SELF_TSYNC */");
  assert.equal(flagsWithTsync("LOG_OFF | 4n", "javascript", false), "LOG_OFF | 4n | 8n /* LANDLOCK_RESTRICT_SELF_TSYNC */");
  assert.equal(flagsWithTsync("BigInt(flags)", "javascript", false), "BigInt(flags) | 8n /* LANDLOCK_RESTRICT_SELF_TSYNC */");
  const evaluated = eval(flagsWithTsync("0n", "javascript", false).replace(/\/\*.*\*\//, "")) as bigint;
  assert.equal(evaluated, 8n);
});

test("Number flags in JS and macros in C are unchanged by the BigInt rule", () => {
  assert.equal(flagsWithTsync("0", "javascript", false), "8 /* LANDLOCK_RESTRICT_SELF_TSYNC */");
  assert.equal(flagsWithTsync("0", "c", false), "LANDLOCK_RESTRICT_SELF_TSYNC");
  assert.equal(flagsWithTsync("LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF", "c", false), "LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF | LANDLOCK_RESTRICT_SELF_TSYNC");
});
