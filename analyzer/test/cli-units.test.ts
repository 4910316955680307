// Small pieces of the CLI on their own: argument parsing, the UTF-8 check (against Node's
// own validator), source decoding, fix selection and the progress line.

import { test } from "node:test";
import assert from "node:assert/strict";
import { isUtf8 } from "node:buffer";
import fc from "fast-check";
import { parseArguments, parseSize, UsageError } from "../src/cli/options.js";
import { decodeSource, encodeSource, firstInvalidUtf8Offset } from "../src/cli/source.js";
import { selectFixes } from "../src/cli/lint-source.js";
import { createProgress, progressEnabled } from "../src/cli/progress.js";
import { RULE_NAMES, type Fix } from "../src/findings.js";

const context = { ruleNames: RULE_NAMES, formats: ["json", "stylish"] };

test("arguments: values inline or separate, repeatable --rule, -- ends options, defaults", () => {
  const o = parseArguments(["--format=json", "-o", "out.json", "--rule", "nesting-limit:off,landlock/abi-compat:warn", "--rule=single-thread-restrict:error", "src", "--", "--odd-name.c"], context);
  assert.equal(o.format, "json");
  assert.equal(o.outputFile, "out.json");
  assert.deepEqual(o.rules, { "nesting-limit": "off", "abi-compat": "warn", "single-thread-restrict": "error" });
  assert.deepEqual(o.patterns, ["src", "--odd-name.c"]);
  const d = parseArguments([], context);
  assert.deepEqual([d.patterns, d.format, d.maxWarnings, d.maxFileSize, d.concurrency], [["."], "stylish", -1, 5 * 1024 * 1024, "auto"]);
  assert.deepEqual(parseArguments(["--errata", "3,1,1"], context).errata, [1, 3]);
  assert.deepEqual(parseArguments(["--errata", "none"], context).errata, []);
  assert.equal(parseArguments(["--cache-location", "c"], context).cache, true);
  assert.equal(parseArguments(["--color", "--no-color"], context).color, false);
});

test("arguments: every misuse is a UsageError naming the option", () => {
  const cases: [string[], RegExp][] = [
    [["--format"], /--format needs a value \(NAME\)/],
    [["--explain=yes"], /--explain takes no value/],
    [["--max-warnings", "many"], /--max-warnings expects an integer, got "many"/],
    [["--max-warnings", "-2"], /--max-warnings must be at least -1/],
    [["--target-abi", "0"], /--target-abi must be at least 1/],
    [["--errata", "1,x"], /--errata expects an integer, got "x"/],
    [["--rule", "nesting-limit"], /--rule expects name:off\|warn\|error, got "nesting-limit"/],
    [["--concurrency", "lots"], /--concurrency expects an integer, got "lots"/],
    [["--max-file-size", "big"], /--max-file-size expects a size such as 5MB/],
    [["-x"], /unknown option "-x"/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(() => parseArguments(argv, context), (e: unknown) => e instanceof UsageError && message.test(e.message), argv.join(" "));
  }
});

test("sizes: plain bytes and binary K/M/G suffixes", () => {
  assert.equal(parseSize("--max-file-size", "1048576"), 1048576);
  assert.equal(parseSize("--max-file-size", "512KB"), 512 * 1024);
  assert.equal(parseSize("--max-file-size", "1.5m"), 1.5 * 1024 * 1024);
  assert.equal(parseSize("--max-file-size", "2 GiB"), 2 * 1024 ** 3);
});

test("the UTF-8 check agrees with Node's validator and points at the first bad byte", () => {
  // Bytes biased towards the interesting ranges: ASCII, continuation bytes and lead bytes.
  const byte = fc.oneof(fc.integer({ min: 0x20, max: 0x7f }), fc.integer({ min: 0x80, max: 0xbf }), fc.integer({ min: 0xc0, max: 0xff }));
  fc.assert(
    fc.property(fc.array(byte, { maxLength: 24 }), (bytes) => {
      const buffer = Buffer.from(bytes);
      const offset = firstInvalidUtf8Offset(buffer);
      assert.equal(offset === buffer.length, isUtf8(buffer));
      // Everything before the reported offset is valid on its own.
      assert.ok(isUtf8(buffer.subarray(0, offset)));
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.string({ unit: "grapheme" }), (text) => assert.equal(firstInvalidUtf8Offset(Buffer.from(text, "utf8")), Buffer.byteLength(text))),
  );
});

test("decoding: NUL means binary, a BOM is removed and put back", () => {
  assert.deepEqual(decodeSource(Buffer.from("int x;\0")), { ok: false, message: "binary file: NUL byte at byte offset 6" });
  const withBom = decodeSource(Buffer.from("\uFEFFint x;\n"));
  assert.deepEqual(withBom, { ok: true, text: "int x;\n", hadBom: true });
  assert.equal(encodeSource("int y;\n", true), "\uFEFFint y;\n");
  const nulLate = Buffer.concat([Buffer.from("a".repeat(9000)), Buffer.from([0])]);
  assert.equal(decodeSource(nulLate).ok, true, "only the first 8 KB decide");
  assert.deepEqual(decodeSource(Buffer.from([0x61, 0x0a, 0x62, 0xff])), {
    ok: false,
    message: "invalid UTF-8 at byte offset 3 (line 2); save the file as UTF-8",
  });
});

test("fix selection: whole fixes of kind fix, in this file, not touching each other", () => {
  const at = (start: number, end: number) => ({ start: { line: 1, column: start, offset: start }, end: { line: 1, column: end, offset: end } });
  const fix = (kind: Fix["kind"], file: string, ...ranges: [number, number][]): Fix => ({
    kind,
    description: "d",
    edits: ranges.map(([s, e]) => ({ file, range: at(s, e), text: "x" })),
  });
  const chosen = selectFixes("/p/a.c", [
    fix("fix", "/p/a.c", [0, 2], [10, 12]),
    fix("suggestion", "/p/a.c", [20, 22]),
    fix("fix", "/p/b.c", [30, 32]),
    fix("fix", "/p/a.c", [12, 14]), // touches the first fix: left for the next pass
    fix("fix", "/p/a.c", [40, 41], [5, 6]),
  ]);
  assert.deepEqual(chosen.map((e) => e.range.start.offset), [0, 10, 40, 5]);
});

test("progress: only on a terminal outside CI, only after a while, erased at the end", () => {
  assert.equal(progressEnabled(true, { isTTY: true, write() {} }, {}), true);
  assert.equal(progressEnabled(true, { isTTY: true, write() {} }, { CI: "true" }), false);
  assert.equal(progressEnabled(true, { isTTY: false, write() {} }, {}), false);
  assert.equal(progressEnabled(false, { isTTY: true, write() {} }, {}), false);
  let now = 0;
  const written: string[] = [];
  const progress = createProgress(3, { isTTY: true, write: (t: string) => written.push(t) }, true, () => now);
  progress.tick(); // at 0 ms: too early to show
  now = 500;
  progress.tick();
  now = 550;
  progress.tick(); // within the redraw interval
  progress.done();
  assert.deepEqual(written, ["\r\u001b[2Klinting 2/3 files", "\r\u001b[2K"]);
});
