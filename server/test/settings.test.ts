import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { describeProblems, readClientSettings } from "../src/settings.js";
import { documentLanguage, extensionMatches } from "../src/languages.js";

describe("client settings", () => {
  it("passes set keys through and leaves null ones to the config file", () => {
    const r = readClientSettings({ targetAbi: 8, errata: null, threadSpawners: ["spawn_pool"], rules: { "landlock/nesting-limit": "off", "abi-compat": null } });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.overrides, { targetAbi: 8, threadSpawners: ["spawn_pool"], rules: { "landlock/nesting-limit": "off" } });
  });

  it("drops each bad key with a problem naming it, keeping the good ones", () => {
    const r = readClientSettings({ targetAbi: 0, errata: [2], rules: { "abi-compat": "warn", "no-such": "off", "nesting-limit": "loud" }, colour: "red" });
    assert.deepEqual(r.overrides, { errata: [2], rules: { "abi-compat": "warn" } });
    const text = describeProblems(r.problems);
    assert.match(text, /landlock\.targetAbi: must be from 1 to 11 \(got 0\)/);
    assert.match(text, /landlock\.colour: unknown setting/);
    assert.match(text, /landlock\.rules\.no-such: unknown rule name/);
    assert.match(text, /landlock\.rules\.nesting-limit: must be one of "off", "warn", "error" \(got "loud"\)/);
  });

  it("rejects a section that is not an object, and a bad debounce", () => {
    assert.match(describeProblems(readClientSettings([1]).problems), /^landlock: the landlock section must be an object/);
    const r = readClientSettings({ debounceMs: -3 });
    assert.equal(r.debounceMs, undefined);
    assert.match(describeProblems(r.problems), /landlock\.debounceMs: must be a number of milliseconds/);
    assert.equal(readClientSettings({ debounceMs: 20 }).debounceMs, 20);
  });
});

describe("document languages", () => {
  it("follows the languageId, then the extension", () => {
    assert.equal(documentLanguage("cpp", "/p/x.h")?.id, "cpp");
    assert.equal(documentLanguage(undefined, "/p/x.rs")?.id, "rust");
    assert.equal(documentLanguage("typescriptreact", "/p/x.tsx")?.id, "typescript");
    assert.equal(documentLanguage("plaintext", "/p/notes.txt"), undefined);
    assert.equal(documentLanguage("c", "/p/sandbox.inc")?.extension, ".c");
  });

  it("knows when the analyzer reads a path as the document's language", () => {
    assert.equal(extensionMatches(documentLanguage("c", "/p/a.c")!, "/p/a.c"), true);
    assert.equal(extensionMatches(documentLanguage("c", "/p/a.inc")!, "/p/a.inc"), false);
    assert.equal(extensionMatches(documentLanguage("cpp", "/p/a.h")!, "/p/a.h"), true);
  });
});
