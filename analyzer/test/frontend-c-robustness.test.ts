// The C/C++ front-end never throws: macro-heavy code, truncated files, binary garbage,
// NUL bytes, invalid UTF-8, megabyte lines, deep nesting, random bytes and random
// mutations of a realistic file. Parse problems are reported and what parsed is analysed.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { IrFile } from "../src/ir.js";
import { cFrontEnd, INTERNAL_ERROR } from "../src/frontends/c/index.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { fn, irOf, onlyOp, ops, opsOfType, textAt } from "./frontend-c-helpers.js";

const SEED = Number(process.env.LANDLOCK_FUZZ_SEED ?? 20251001);

/** A fixture-like program: threads, a ruleset, NNP, restrict, a signal, a fork. */
const REALISTIC = `/*
 * logrotated-lite: rotates logs on SIGHUP. Workers start before the sandbox.
 */
#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NWORKERS 4
#define RESTRICT_FLAGS (LANDLOCK_RESTRICT_SELF_TSYNC)

static void *worker(void *arg)
{
	for (;;)
		pause();
	return arg;
}

static int sandbox(const char *dir)
{
	struct landlock_ruleset_attr attr = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_MAKE_REG,
		.scoped = LANDLOCK_SCOPE_SIGNAL,
	};
	int abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 8)
		return -1;
	int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		goto err;
	if (syscall(SYS_landlock_restrict_self, fd, RESTRICT_FLAGS))
		goto err;
	close(fd);
	return 0;
err:
	close(fd);
	return -1;
}

int main(int argc, char **argv)
{
	pthread_t t[NWORKERS];
	for (int i = 0; i < NWORKERS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	if (sandbox(argc > 1 ? argv[1] : "/var/log") != 0)
		return 1;
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/gzip", "gzip", "old.log", (char *)NULL);
		_exit(127);
	}
	kill(getppid(), SIGUSR1);
	return 0;
}
`;

function analyse(text: string, file = "input.c"): IrFile {
  return cFrontEnd.toIr(text, file, cFrontEnd.languageOf(file), { settings: DEFAULT_SETTINGS, facts: {} });
}

/** Structural sanity of any IrFile: positions inside the text and consistent with each other. */
function assertWellFormed(ir: IrFile, text: string): void {
  const positions: { line: number; column: number; offset: number }[] = [];
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(visit);
    else if (x && typeof x === "object") {
      const o = x as Record<string, unknown>;
      if (typeof o.line === "number" && typeof o.column === "number" && typeof o.offset === "number") positions.push(o as never);
      else Object.values(o).forEach(visit);
    }
  };
  visit(ir);
  for (const p of ir.parseProblems) assert.ok(!p.message.includes(INTERNAL_ERROR), p.message);
  for (const p of positions) {
    assert.ok(p.offset >= 0 && p.offset <= text.length, `offset ${p.offset} within ${text.length}`);
    assert.ok(p.line >= 1 && p.column >= 0);
  }
  JSON.stringify(ir);
}

test("the realistic program itself parses cleanly and yields the expected ops", () => {
  const ir = analyse(REALISTIC);
  assert.deepEqual(ir.parseProblems, []);
  const main = fn(ir, "main").body;
  assert.deepEqual(opsOfType(main, "spawn").map((s) => [s.routine, s.count]), [["worker", "many"]]);
  const restrict = onlyOp(fn(ir, "sandbox").body, "restrict");
  assert.equal(restrict.flags.tsync, "yes");
  assert.deepEqual(restrict.ruleset?.scopes, ["signal"]);
});

test("macro-heavy code: ERROR nodes become parse problems, recognisable calls are still used", () => {
  const code = `
#define FOR_EACH_WORKER(w) for (w = workers; w; w = w->next)
SEC("lsm/file_open")
DECLARE_HANDLER(on_open) BEGIN_BLOCK
int main(int argc, char **argv) __attribute__((nonnull)) {
	struct worker *w;
	FOR_EACH_WORKER(w) {
		pthread_create(&w->tid, NULL, work, w);
	}
	WITH_LOCK(&lock) {
		if (landlock_restrict_self(fd, 0) ARG_CHECK) FATAL("x");
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ?: die();
	return 0;
}
END_BLOCK
`;
  const ir = analyse(code);
  assert.ok(ir.parseProblems.length > 0, "macro soup leaves ERROR nodes");
  for (const p of ir.parseProblems) assert.match(p.message, /syntax error/);
  const all = ir.functions.flatMap((f) => ops(f.body));
  const spawn = all.find((o) => o.type === "spawn");
  assert.ok(spawn && spawn.type === "spawn" && spawn.count === "many", JSON.stringify(all.map((o) => o.type)));
  assert.ok(all.some((o) => o.type === "restrict"), JSON.stringify(all.map((o) => o.type)));
  assertWellFormed(ir, code);
});

test("a truncated file: problems reported, the part before the cut analysed", () => {
  const cut = REALISTIC.slice(0, REALISTIC.indexOf("if (pid == 0)") + 8);
  const ir = analyse(cut);
  assert.ok(ir.parseProblems.length > 0);
  assert.equal(onlyOp(fn(ir, "sandbox").body, "restrict").flags.tsync, "yes");
  const main = ir.functions.find((f) => f.name === "main");
  assert.ok(main, "main is still found");
  assert.deepEqual(opsOfType(main.body, "spawn").map((s) => s.routine), ["worker"]);
  assertWellFormed(ir, cut);
});

test("binary garbage, NUL bytes and invalid UTF-8 decoded text do not throw", () => {
  const bytes = Buffer.alloc(64 * 1024);
  let x = 0x1234567;
  for (let i = 0; i < bytes.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  for (const text of [bytes.toString("latin1"), bytes.toString("utf8"), bytes.toString("utf16le")]) {
    const ir = analyse(text, "blob.c");
    // tree-sitter's error recovery on 64 KB of garbage can take seconds: stopping at the
    // parse budget, with the reason, is a right answer too.
    if (ir.failed) {
      assert.match(ir.failed, /^blob\.c: the tree-sitter parse stopped after \d+ ms of CPU time \(parse budget \d+ ms\)/);
      continue;
    }
    assert.ok(ir.parseProblems.length > 0);
    assert.ok(ir.parseProblems.length <= 51, "problems are capped with a summary entry");
    assertWellFormed(ir, text);
  }
  const withNul = "int main(void) {\0\0 landlock_restrict_self(3, 0);\0 return 0; }\n";
  const nul = analyse(withNul);
  assert.ok(nul.parseProblems.length > 0);
  assert.equal(onlyOp(fn(nul, "main").body, "restrict").fd, "unknown");
  // Invalid UTF-8 (a lone continuation byte, a truncated sequence) before a call.
  const invalid = Buffer.concat([Buffer.from("/* caf"), Buffer.from([0xc3, 0x28, 0x80, 0xe2, 0x82]), Buffer.from(" */\nint main(void) { return landlock_restrict_self(3, 0); }\n")]).toString("utf8");
  const inv = analyse(invalid);
  const r = onlyOp(fn(inv, "main").body, "restrict");
  assert.equal(textAt(invalid, r.range), "landlock_restrict_self(3, 0)");
  // Lone surrogates in a JS string.
  const surrogates = `/* \ud800 \udc00 */ int main(void) { return landlock_restrict_self(3, 0); }`;
  const sur = analyse(surrogates);
  assert.equal(textAt(surrogates, onlyOp(fn(sur, "main").body, "restrict").range), "landlock_restrict_self(3, 0)");
});

test("a 1 MB line before a call keeps positions right", () => {
  const long = "static const char blob[] = \"" + "A".repeat(1 << 20) + "\";";
  const code = `${long} int main(void) { return landlock_restrict_self(3, 0); }\n`;
  const ir = analyse(code);
  const r = onlyOp(fn(ir, "main").body, "restrict");
  assert.equal(r.range.start.line, 1);
  assert.equal(r.range.start.offset, code.indexOf("landlock_restrict_self"));
  assert.equal(r.range.start.column, r.range.start.offset);
  // And a megabyte of code on one line.
  const calls = "void f(void) { " + "g(); ".repeat(200_000) + "landlock_restrict_self(3, 0); }";
  const many = analyse(calls);
  assert.equal(opsOfType(fn(many, "f").body, "restrict").length, 1);
});

test("deep nesting does not overflow the stack", () => {
  const depth = 20_000;
  const parens = `int f(void) { return ${"(".repeat(depth)}1${")".repeat(depth)}; }\nint g(void) { return landlock_restrict_self(3, 0); }\n`;
  const ir = analyse(parens);
  assert.equal(opsOfType(fn(ir, "g").body, "restrict").length, 1);
  const braces = `void f(void) { ${"if (x) {".repeat(5_000)} landlock_restrict_self(3, 0); ${"}".repeat(5_000)} }`;
  assertWellFormed(analyse(braces), braces);
  const unbalanced = "{".repeat(50_000);
  assertWellFormed(analyse(unbalanced), unbalanced);
});

test("C++ garbage and unusual files through the C++ grammar do not throw", () => {
  for (const text of ["template <<<", "class { public: private: };;;", "auto x = [&](auto... y) mutable -> decltype(auto) { return (y + ...); };", "#include <", ""]) {
    const ir = cFrontEnd.toIr(text, "x.cpp", "cpp", { settings: DEFAULT_SETTINGS, facts: {} });
    assertWellFormed(ir, text);
  }
  const empty = irOf("");
  assert.deepEqual([empty.functions, empty.parseProblems, empty.comments], [[], [], []]);
});

test("property: random byte strings never make the front-end throw", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 4096 }), fc.constantFrom("latin1", "utf8") as fc.Arbitrary<BufferEncoding>, fc.constantFrom("x.c", "x.cpp", "x.h"), (raw, encoding, file) => {
      const text = Buffer.from(raw).toString(encoding);
      const ir = analyse(text, file);
      assertWellFormed(ir, text);
    }),
    { seed: SEED, numRuns: 300 },
  );
});

test("property: byte flips, truncation, insertions and deletions of a realistic file never throw", () => {
  const source = Buffer.from(REALISTIC, "utf8");
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant("flip" as const), at: fc.nat(source.length - 1), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant("truncate" as const), at: fc.nat(source.length) }),
    fc.record({ kind: fc.constant("delete" as const), at: fc.nat(source.length - 1), length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant("insert" as const), at: fc.nat(source.length), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
    fc.record({ kind: fc.constant("token" as const), at: fc.nat(source.length), token: fc.constantFrom("{", "}", "(", ")", ";", "#if X\n", "#endif\n", "/*", "*/", "\"", "'", "\\\n", "\0", "case 0:", "else", "goto err;") }),
  );
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), fc.constantFrom("x.c", "x.cpp"), (mutations, file) => {
      let bytes = Buffer.from(source);
      for (const m of mutations) {
        const at = Math.min(m.kind === "truncate" ? m.at : m.at, bytes.length);
        if (m.kind === "flip" && at < bytes.length) bytes[at] = m.byte;
        else if (m.kind === "truncate") bytes = bytes.subarray(0, at);
        else if (m.kind === "delete") bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
        else if (m.kind === "insert") bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes), bytes.subarray(at)]);
        else if (m.kind === "token") bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.token), bytes.subarray(at)]);
      }
      const text = bytes.toString("utf8");
      const ir = analyse(text, file);
      assertWellFormed(ir, text);
    }),
    { seed: SEED, numRuns: 400 },
  );
});
