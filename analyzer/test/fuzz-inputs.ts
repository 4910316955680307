// The fuzzing inputs and the checks applied to each, shared by the CI-sized
// analyzer/test/fuzz.test.ts and the long run's worker processes (fuzz-worker.ts, started
// by scripts/fuzz.mjs). Everything goes through the public API.
//
// Source inputs come in two classes, counted separately: ordinary ones (fixture programs
// mutated at their own size, token soup, random text and bytes: milliseconds each) and
// pathological ones (one big shape: nesting thousands deep, lines of tens of thousands of
// characters, argument lists by the ten thousand: up to seconds each).

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { BUILTIN_SCENARIOS, runScenario, validateScenario } from "@landlock-lint/simulator";
import { analyzeText, ConfigError, DEFAULT_BUDGET_MS, Project, RULE_META, resolveSettings, validateSettings, type FileReport } from "../src/index.js";
import { REPO_ROOT } from "./fixture-harness.js";

/**
 * CPU time an analysis may take: 1.5x the per-file budget. CPU time of this process, so
 * that other work on a loaded machine does not count against the analysis.
 */
export const TIME_LIMIT_MS = Number(process.env.LANDLOCK_FUZZ_TIME_LIMIT_MS ?? DEFAULT_BUDGET_MS * 1.5);
/** Inputs slower than this (CPU ms) are kept and listed, even when within the limit. */
export const SLOW_MS = Number(process.env.LANDLOCK_FUZZ_SLOW_MS ?? 1000);

/** A seed per property name, derived from the base seed (so one base seed replays a whole run). */
export function seedFor(base: number, name: string): number {
  let h = base | 0;
  for (const ch of name) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h >>> 0;
}

export interface Language {
  name: string;
  ext: string;
  fixtureDir: string;
  /** Words that reach the Landlock-specific parts of the front-end. */
  tokens: string[];
}

const COMMON_TOKENS = ["(", ")", "{", "}", "[", "]", ";", ",", "=", "&", "*", ".", "\"", "'", "`", "/*", "*/", "//", "\n", "0", "1", "-1", "x", "fd", "err"];
const C_TOKENS = [
  "#include <linux/landlock.h>", "#define", "#ifdef", "#endif", "int", "void", "struct", "static", "return", "if", "else", "while", "for",
  "syscall", "SYS_landlock_create_ruleset", "SYS_landlock_add_rule", "SYS_landlock_restrict_self", "landlock_create_ruleset",
  "landlock_restrict_self", "landlock_add_rule", "LANDLOCK_CREATE_RULESET_VERSION", "LANDLOCK_RESTRICT_SELF_TSYNC", "prctl",
  "PR_SET_NO_NEW_PRIVS", "pthread_create", "fork", "execve", "setuid", "struct landlock_ruleset_attr", ".handled_access_fs",
  "LANDLOCK_ACCESS_FS_READ_FILE", "LANDLOCK_SCOPE_SIGNAL", "psx_syscall3", "main",
];
const CPP_TOKENS = [...C_TOKENS, "std::thread", "auto", "[&]", "namespace", "class", "template<typename T>", "::", "co_await", "std::async"];
const GO_TOKENS = [
  "package main", "import", "\"golang.org/x/sys/unix\"", "\"github.com/landlock-lsm/go-landlock/landlock\"", "func", "go", "defer", "return",
  "if", "err != nil", ":=", "unix.Syscall", "unix.SYS_LANDLOCK_RESTRICT_SELF", "unix.Prctl", "unix.PR_SET_NO_NEW_PRIVS",
  "landlock.V5.BestEffort()", ".RestrictPaths(", "landlock.RODirs(", "runtime.LockOSThread()", "syscall.AllThreadsSyscall", "main",
];
const RUST_TOKENS = [
  "fn", "let", "mut", "use landlock::*;", "Ruleset::default()", ".handle_access(AccessFs::from_all(abi))", ".create()", ".restrict_self()",
  "?", ".unwrap()", "std::thread::spawn(||", "move", "unsafe", "libc::syscall", "libc::SYS_landlock_restrict_self", "#[tokio::main]",
  "async", ".await", "match", "=>", "macro_rules!", "println!(", "main",
];
const JS_TOKENS = [
  "const", "let", "function", "=>", "async", "await", "import", "from", "require(\"koffi\")", "koffi.load(\"libc.so.6\")",
  ".func(\"long syscall(long, long, long, long)\")", "landlock_restrict_self", "new Worker(", "child_process.fork(", "Deno.dlopen(",
  "process.setuid(", "class", "extends", "interface", "type", ":", "<T>", "as", "?.", "??", "`${", "}`",
];

export const LANGUAGES: Language[] = [
  { name: "C", ext: ".c", fixtureDir: "c", tokens: C_TOKENS },
  { name: "C++", ext: ".cpp", fixtureDir: "cpp", tokens: CPP_TOKENS },
  { name: "Go", ext: ".go", fixtureDir: "go", tokens: GO_TOKENS },
  { name: "Rust", ext: ".rs", fixtureDir: "rust", tokens: RUST_TOKENS },
  { name: "TypeScript", ext: ".ts", fixtureDir: "js", tokens: JS_TOKENS },
  { name: "JavaScript", ext: ".js", fixtureDir: "js", tokens: JS_TOKENS },
];

/** Fixture files of one language (the realistic programs mutations start from), smallest first, at most `limit`. */
export function corpusOf(language: Language, limit = 8): Buffer[] {
  const found: { path: string; size: number }[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (name.endsWith(language.ext) && st.size > 200 && st.size < 40_000) found.push({ path, size: st.size });
    }
  };
  walk(join(REPO_ROOT, "fixtures", language.fixtureDir));
  found.sort((a, b) => a.path.localeCompare(b.path));
  // Spread over the sorted list so the corpus covers several fixture folders.
  const step = Math.max(1, Math.floor(found.length / limit));
  return found.filter((_, i) => i % step === 0).slice(0, limit).map((f) => readFileSync(f.path));
}

export type Mutation =
  | { kind: "flip"; flips: [number, number][] }
  | { kind: "truncate"; at: number }
  | { kind: "nest"; at: number; depth: number; open: string; close: string }
  | { kind: "huge-line"; at: number; length: number; unit: string }
  | { kind: "nul"; at: number; count: number }
  | { kind: "invalid-utf8"; at: number; bytes: number[] }
  | { kind: "splice"; from: number; to: number; at: number }
  | { kind: "tokens"; at: number; tokens: string[] };

const NESTINGS: [string, string][] = [["(", ")"], ["{", "}"], ["[", "]"], ["if (x) {", "}"], ["f(", ")"], ["/*", "*/"], ["\"", "\""], ["<", ">"]];
/** Chains that nest without brackets (closures, else-if, binary operators). */
const DEEP_ONLY: [string, string][] = [["() => ", ""], ["|| ", ""], ["x + ", ""], ["if (x) x(); else ", ""], ["a.b()", ""]];
/** One long token, a long flat expression, a long literal, a long argument list, blanks. */
const LINE_UNITS = ["x", "a+", "\"aaaa", "f(1),", " "];

/** Size limits of the generated shapes. */
export interface ShapeLimits {
  /** Longest generated line (pathological inputs). */
  maxLine: number;
  /** Deepest generated nesting (pathological inputs). */
  maxDepth: number;
}

/** Realistic-sized mutations: each leaves an input of about the fixture's size (milliseconds to analyse). */
function mutationArb(language: Language): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.record({ kind: fc.constant("flip" as const), flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }) }),
    fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
    fc.constantFrom(...NESTINGS).chain(([open, close]) =>
      fc.record({ kind: fc.constant("nest" as const), at: fc.nat(), depth: fc.integer({ min: 2, max: 64 }), open: fc.constant(open), close: fc.constant(close) }),
    ),
    fc.record({ kind: fc.constant("huge-line" as const), at: fc.nat(), length: fc.integer({ min: 100, max: 2000 }), unit: fc.constantFrom(...LINE_UNITS) }),
    fc.record({ kind: fc.constant("nul" as const), at: fc.nat(), count: fc.integer({ min: 1, max: 64 }) }),
    fc.record({
      kind: fc.constant("invalid-utf8" as const),
      at: fc.nat(),
      // Lone continuation bytes, overlong forms, surrogate halves encoded in UTF-8, bytes that never occur.
      bytes: fc.array(fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xe0, 0xed, 0xa0, 0xf4, 0xf5, 0xff, 0xfe), { minLength: 1, maxLength: 8 }),
    }),
    fc.record({ kind: fc.constant("splice" as const), from: fc.nat(), to: fc.nat(), at: fc.nat() }),
    fc.record({ kind: fc.constant("tokens" as const), at: fc.nat(), tokens: fc.array(fc.constantFrom(...language.tokens, ...COMMON_TOKENS), { minLength: 1, maxLength: 40 }) }),
  );
}

/** One big shape: nesting thousands deep, or a line of tens of thousands of characters (one token, a flat expression, a string, an argument list). */
function bigMutationArb(limits: ShapeLimits): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.constantFrom(...NESTINGS, ...DEEP_ONLY).chain(([open, close]) =>
      fc.record({
        kind: fc.constant("nest" as const),
        at: fc.nat(),
        depth: fc.integer({ min: Math.min(1000, limits.maxDepth), max: limits.maxDepth }),
        open: fc.constant(open),
        close: fc.constant(close),
      }),
    ),
    fc.record({
      kind: fc.constant("huge-line" as const),
      at: fc.nat(),
      length: fc.integer({ min: Math.min(20_000, limits.maxLine), max: limits.maxLine }),
      unit: fc.constantFrom(...LINE_UNITS),
    }),
  );
}

export function applyMutation(source: Buffer, m: Mutation): Buffer {
  const pos = (n: number): number => (source.length === 0 ? 0 : n % (source.length + 1));
  switch (m.kind) {
    case "flip": {
      const out = Buffer.from(source);
      for (const [at, value] of m.flips) if (out.length) out[at % out.length] = value;
      return out;
    }
    case "truncate":
      return source.subarray(0, pos(m.at));
    case "nest": {
      const at = pos(m.at);
      return Buffer.concat([source.subarray(0, at), Buffer.from(m.open.repeat(m.depth) + "x" + m.close.repeat(m.depth)), source.subarray(at)]);
    }
    case "huge-line": {
      const at = pos(m.at);
      return Buffer.concat([source.subarray(0, at), Buffer.from(m.unit.repeat(Math.ceil(m.length / m.unit.length))), source.subarray(at)]);
    }
    case "nul": {
      const at = pos(m.at);
      return Buffer.concat([source.subarray(0, at), Buffer.alloc(m.count), source.subarray(at)]);
    }
    case "invalid-utf8": {
      const at = pos(m.at);
      return Buffer.concat([source.subarray(0, at), Buffer.from(m.bytes), source.subarray(at)]);
    }
    case "splice": {
      const [a, b] = [pos(m.from), pos(m.to)].sort((x, y) => x - y);
      const at = pos(m.at);
      return Buffer.concat([source.subarray(0, at), source.subarray(a!, b!), source.subarray(at)]);
    }
    case "tokens": {
      const at = pos(m.at);
      return Buffer.concat([source.subarray(0, at), Buffer.from(" " + m.tokens.join(" ") + " "), source.subarray(at)]);
    }
  }
}


export type SourceInput = { origin: string; bytes: Buffer; mutations?: Mutation[] };

/** Ordinary inputs: fixtures mutated at their own size, token soup, random text and bytes. */
export function ordinaryArb(language: Language, corpus: Buffer[]): fc.Arbitrary<SourceInput> {
  const mutated = fc
    .tuple(fc.integer({ min: 0, max: corpus.length - 1 }), fc.array(mutationArb(language), { minLength: 1, maxLength: 4 }))
    .map(([i, mutations]) => ({ origin: `fixture #${i}`, mutations, bytes: mutations.reduce((b, m) => applyMutation(b, m), corpus[i]!) }));
  const randomText = fc.string({ unit: "binary", maxLength: 3000 }).map((s) => ({ origin: "random text", bytes: Buffer.from(s) }));
  const randomBytes = fc.uint8Array({ maxLength: 3000 }).map((a) => ({ origin: "random bytes", bytes: Buffer.from(a) }));
  const tokenSoup = fc
    .array(fc.constantFrom(...language.tokens, ...COMMON_TOKENS), { maxLength: 400 })
    .map((t) => ({ origin: "token soup", bytes: Buffer.from(t.join(" ")) }));
  return fc.oneof({ arbitrary: mutated, weight: 5 }, { arbitrary: tokenSoup, weight: 3 }, { arbitrary: randomText, weight: 1 }, { arbitrary: randomBytes, weight: 1 });
}

/** Pathological inputs: a fixture with up to two ordinary mutations and one big shape, somewhere. */
export function pathologicalArb(language: Language, corpus: Buffer[], limits: ShapeLimits): fc.Arbitrary<SourceInput> {
  return fc
    .tuple(fc.integer({ min: 0, max: corpus.length - 1 }), fc.array(mutationArb(language), { maxLength: 2 }), bigMutationArb(limits))
    .map(([i, small, big]) => {
      const mutations = [...small, big];
      return { origin: `fixture #${i}`, mutations, bytes: mutations.reduce((b, m) => applyMutation(b, m), corpus[i]!) };
    });
}

export const lenientUtf8 = new TextDecoder("utf-8", { fatal: false });

/** Runs `work`, returning its result with the CPU time (user + system) and wall time it took, in ms. */
export function timed<T>(work: () => T): { result: T; cpuMs: number; wallMs: number } {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const result = work();
  const used = process.cpuUsage(cpu);
  return { result, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall };
}

/** What a batch of analyses saw: counts, the worst case, the slow inputs kept. */
export class SourceStats {
  inputs = 0;
  worst: { ms: number; what: string; bytes: number } | undefined;
  readonly slow: { ms: number; what: string; path: string }[] = [];

  note(ms: number, input: SourceInput, ext: string): void {
    this.inputs++;
    if (!this.worst || ms > this.worst.ms) this.worst = { ms, what: describe(input), bytes: input.bytes.length };
    if (ms > SLOW_MS && this.slow.length < 20) this.slow.push({ ms, what: describe(input), path: keep(input.bytes, ext) });
  }
}

/** analyzeText on the decoded input: no throw, a well-formed report, within the CPU limit. */
export function checkText(language: Language, input: SourceInput, stats: SourceStats): void {
  const file = `fuzz${language.ext}`;
  const text = lenientUtf8.decode(input.bytes);
  const { result: report, cpuMs: ms } = timed(() => analyzeText(text, file));
  stats.note(ms, input, language.ext);
  assert.equal(report.file, file);
  assertWellFormed(report, file, text);
  // A trap in tree-sitter's WebAssembly runtime is reported, not hidden, but it is a defect
  // all the same: every later tree-sitter file in the process would only get an error.
  const trap = report.errors?.find((e) => /WebAssembly runtime failed/.test(e.message));
  if (trap) assert.fail(`${describe(input)}: ${trap.message}; input kept in ${keep(input.bytes, language.ext)}`);
  if (ms > TIME_LIMIT_MS) assert.fail(`${describe(input)} took ${ms.toFixed(0)} ms CPU (limit ${TIME_LIMIT_MS}); input kept in ${keep(input.bytes, language.ext)}`);
}

/** Project.analyzeFile on the raw bytes written to disk: read, or refused with a reason. */
export class DiskChecker {
  private readonly project: Project;
  private readonly file: string;

  constructor(
    private readonly language: Language,
    root: string,
  ) {
    writeFileSync(join(root, ".landlock-lint.json"), "{}");
    this.project = new Project(root);
    this.file = join(root, `fuzz${language.ext}`);
  }

  check(input: SourceInput, stats: SourceStats): void {
    writeFileSync(this.file, input.bytes);
    this.project.invalidate(this.file);
    const { result: report, cpuMs: ms } = timed(() => this.project.analyzeFile(this.file));
    stats.note(ms, input, this.language.ext);
    assertWellFormed(report, this.file, undefined);
    const trap = report.errors?.find((e) => /WebAssembly runtime failed/.test(e.message));
    if (trap) assert.fail(`${describe(input)}: ${trap.message}; input kept in ${keep(input.bytes, this.language.ext)}`);
    const nulInHead = input.bytes.subarray(0, 8192).includes(0);
    if (nulInHead) assert.ok(report.errors?.some((e) => /binary/.test(e.message)), "a NUL byte near the start marks the file as binary");
    else if (!isValidUtf8(input.bytes)) {
      assert.ok(report.errors?.some((e) => /UTF-8/.test(e.message)), "invalid UTF-8 is refused with a reason");
    }
    if (ms > TIME_LIMIT_MS) assert.fail(`${describe(input)} took ${ms.toFixed(0)} ms CPU (limit ${TIME_LIMIT_MS}); input kept in ${keep(input.bytes, this.language.ext)}`);
  }
}

/** Saves an input (outside any scratch folder, which is removed) and returns its path. */
export function keep(bytes: Buffer, ext: string): string {
  const path = join(tmpdir(), `landlock-fuzz-slow-${seedFor(bytes.length, bytes.subarray(0, 4096).toString("latin1"))}${ext}`);
  writeFileSync(path, bytes);
  return path;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function assertWellFormed(report: FileReport, file: string, text: string | undefined): void {
  assert.equal(typeof report.language, "string");
  assert.ok(Array.isArray(report.findings));
  assert.ok(Number.isInteger(report.parseErrors) && report.parseErrors >= 0);
  for (const e of report.errors ?? []) assert.ok(typeof e.message === "string" && e.message.length > 0, "an error says what went wrong");
  for (const f of report.findings) {
    assert.equal(f.file, report.file, "a file's report only lists its own findings");
    assert.ok(f.message.length > 0 && f.fingerprint.length > 0);
    const { start, end } = f.range;
    assert.ok(start.offset >= 0 && start.offset <= end.offset, `finding range ordered: ${JSON.stringify(f.range)}`);
    if (text !== undefined) assert.ok(end.offset <= text.length, `finding range inside the text (${end.offset} > ${text.length}) in ${file}`);
    assert.ok(start.line >= 0 && start.column >= 0);
  }
}

export function describe(input: { origin: string; mutations?: Mutation[] }): string {
  return input.mutations ? `${input.origin} + ${input.mutations.map((m) => m.kind).join(",")}` : input.origin;
}

// Settings: valid settings, or a ConfigError naming each bad key; never another kind of throw.
const ruleNames = Object.keys(RULE_META);
const settingsValue = fc.oneof(
  fc.constantFrom("off", "warn", "error", "on", "", 0, 1, 2, true, null),
  fc.jsonValue({ maxDepth: 2 }),
);
const nearValidSettings = fc.record(
  {
    targetAbi: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 11 }), weight: 3 }, fc.integer({ min: -2, max: 14 }), fc.constantFrom("6", 6.5, null, [6])),
    errata: fc.oneof({ arbitrary: fc.subarray([1, 2, 3]), weight: 3 }, fc.array(fc.integer({ min: -1, max: 5 }), { maxLength: 5 }), fc.jsonValue({ maxDepth: 1 })),
    threadSpawners: fc.oneof(fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.integer()), { maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })),
    restrictWrappers: fc.oneof(fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }), fc.constant("x")),
    assumeMultithreaded: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 0 })),
    rules: fc.oneof(
      fc.dictionary(fc.oneof(fc.constantFrom(...ruleNames, ...ruleNames.map((r) => `landlock/${r}`)), fc.string({ maxLength: 10 })), settingsValue, { maxKeys: 5 }),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    $schema: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: [] },
);
const validSettings = fc.record(
  {
    targetAbi: fc.integer({ min: 1, max: 11 }),
    errata: fc.subarray([1, 2, 3]),
    threadSpawners: fc.array(fc.constantFrom("spawn_worker", "start_pool", "run_async"), { maxLength: 2 }).map((a) => [...new Set(a)]),
    assumeMultithreaded: fc.boolean(),
    rules: fc.dictionary(fc.constantFrom(...ruleNames), fc.constantFrom("off", "warn", "error"), { maxKeys: 4 }),
  },
  { requiredKeys: [] },
);
export const anySettings = fc.oneof(
  { arbitrary: validSettings, weight: 2 },
  { arbitrary: nearValidSettings, weight: 4 },
  { arbitrary: fc.dictionary(fc.string({ maxLength: 16 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
  { arbitrary: fc.anything({ maxDepth: 2 }), weight: 1 },
);

// Scenarios: well-named random steps (reach the runner), mutated built-ins, and junk.
const threadName = fc.constantFrom("main", "w1", "w2", "c1", "ghost", "");
const rsName = fc.constantFrom("rs", "rs2", "f", 7 as unknown as string);
const looseStep = fc.record(
  {
    op: fc.constantFrom(
      "spawn_thread", "exit_thread", "fork", "exec", "prctl_no_new_privs", "drop_cap_sys_admin", "get_abi", "get_errata", "create_ruleset",
      "add_rule", "restrict_self", "open", "connect_tcp", "bind_tcp", "kill", "tgkill", "fcntl_setown", "sigio", "bind_abstract",
      "connect_abstract", "setuid", "reboot",
    ),
    thread: threadName,
    new: threadName,
    child: threadName,
    as: rsName,
    ruleset: fc.oneof(rsName, fc.constant(-1)),
    type: fc.constantFrom("path_beneath", "net_port", "other"),
    path: fc.constantFrom("/", "/usr", "/etc/passwd", "relative", ""),
    port: fc.oneof(fc.integer({ min: -1, max: 70000 }), fc.constant(80)),
    access: fc.oneof(fc.subarray(["read_file", "write_file", "execute", "bind_tcp", "connect_tcp", "refer", "bogus"]), fc.constant("read_file")),
    handledFs: fc.subarray(["read_file", "write_file", "execute", "refer", "truncate", "ioctl_dev", "resolve_unix"]),
    handledNet: fc.subarray(["bind_tcp", "connect_tcp", "bind_udp"]),
    scoped: fc.subarray(["signal", "abstract_unix_socket"]),
    flags: fc.subarray(["tsync", "no_new_privs", "log_subdomains_off", "log_same_exec_off", "log_new_exec_on"]),
    via: fc.constantFrom("syscall", "libpsx", "all_threads_syscall", "glibc", "raw"),
    target: threadName,
    fd: fc.constantFrom("s1", "rs", "f"),
    owner: threadName,
    name: fc.constantFrom("a", "b"),
    uid: fc.constantFrom(0, 1000, -1),
    expect: fc.constantFrom("ok", "EPERM", "EINVAL", "delivered", "dropped", "EWHAT"),
    concurrent: fc.array(fc.record({ op: fc.constantFrom("spawn_thread", "exit_thread"), thread: threadName, new: threadName }), { maxLength: 2 }),
  },
  { requiredKeys: ["op"] },
);
const randomScenario = fc.record(
  {
    name: fc.constantFrom("fuzz", ""),
    abi: fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant("6")),
    errata: fc.subarray([1, 2, 3, 4]),
    initial: fc.record({ uid: fc.constantFrom(0, 1000), capSysAdmin: fc.boolean(), noNewPrivs: fc.boolean() }, { requiredKeys: [] }),
    files: fc.array(fc.constantFrom("/etc/passwd", "/usr/lib/x", "/tmp/y")),
    steps: fc.array(looseStep, { maxLength: 25 }),
    faults: fc.record({ enomemAtPrepare: threadName }, { requiredKeys: [] }),
  },
  { requiredKeys: ["name", "steps"] },
);
/**
 * Steps over names a prelude creates (threads w1, w2, rulesets rs, rs2), with fresh names
 * for new threads and children: most of these pass validation and reach the runner.
 */
const knownThread = fc.constantFrom("main", "main", "w1", "w2");
const knownRuleset = fc.constantFrom("rs", "rs2");
const fsAccess = fc.subarray(["read_file", "write_file", "execute", "read_dir", "make_reg", "refer", "truncate", "ioctl_dev"], { minLength: 1 });
const netAccess = fc.subarray(["bind_tcp", "connect_tcp"], { minLength: 1 });
const wellNamedStep = fc.oneof(
  fc.record({ op: fc.constant("spawn_thread"), thread: knownThread }),
  fc.record({ op: fc.constant("fork"), thread: knownThread }),
  fc.record({ op: fc.constantFrom("exec", "prctl_no_new_privs", "drop_cap_sys_admin", "get_abi", "get_errata"), thread: knownThread }),
  fc.record({ op: fc.constant("add_rule"), thread: knownThread, ruleset: knownRuleset, type: fc.constant("path_beneath"), path: fc.constantFrom("/usr", "/etc", "/tmp"), access: fsAccess }),
  fc.record({ op: fc.constant("add_rule"), thread: knownThread, ruleset: knownRuleset, type: fc.constant("net_port"), port: fc.integer({ min: 0, max: 65535 }), access: netAccess }),
  fc.record(
    {
      op: fc.constant("restrict_self"),
      thread: knownThread,
      ruleset: fc.oneof(knownRuleset, fc.constant(-1)),
      flags: fc.subarray(["tsync", "no_new_privs", "log_subdomains_off", "log_same_exec_off", "log_new_exec_on"]),
      via: fc.constantFrom("syscall", "libpsx", "all_threads_syscall"),
      concurrent: fc.array(fc.record({ op: fc.constant("exit_thread"), thread: fc.constantFrom("w1", "w2") }), { maxLength: 1 }),
    },
    { requiredKeys: ["op", "thread", "ruleset"] },
  ),
  fc.record({ op: fc.constant("open"), thread: knownThread, path: fc.constantFrom("/usr/lib/x", "/etc/passwd", "/tmp/y"), access: fc.constantFrom("read", "write") }),
  fc.record({ op: fc.constantFrom("connect_tcp", "bind_tcp"), thread: knownThread, port: fc.constantFrom(80, 443, 8080) }),
  fc.record({ op: fc.constantFrom("kill", "tgkill"), thread: knownThread, target: knownThread }),
  fc.record({ op: fc.constantFrom("bind_abstract", "connect_abstract"), thread: knownThread, name: fc.constantFrom("a", "b") }),
  fc.record({ op: fc.constant("setuid"), thread: knownThread, uid: fc.constantFrom(0, 1000), via: fc.constantFrom("glibc", "raw") }),
  fc.record({ op: fc.constant("exit_thread"), thread: fc.constantFrom("w1", "w2") }),
);
const wellNamedScenario = fc
  .record({
    abi: fc.integer({ min: 1, max: 11 }),
    errata: fc.subarray([1, 2, 3]),
    initial: fc.record({ uid: fc.constantFrom(0, 1000), capSysAdmin: fc.boolean(), noNewPrivs: fc.boolean() }),
    steps: fc.array(wellNamedStep, { maxLength: 20 }),
  })
  .map(({ steps, ...rest }) => ({
    name: "fuzz",
    ...rest,
    steps: [
      { op: "spawn_thread", thread: "main", new: "w1" },
      { op: "spawn_thread", thread: "main", new: "w2" },
      { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file", "write_file"], handledNet: ["connect_tcp"], scoped: ["signal"] },
      { op: "create_ruleset", thread: "w1", as: "rs2", handledFs: ["execute"] },
      ...steps.map((step, i) => (step.op === "spawn_thread" ? { ...step, new: `t${i}` } : step.op === "fork" ? { ...step, child: `c${i}` } : step)),
    ],
  }));
const builtins = Object.values(BUILTIN_SCENARIOS);
/** A built-in scenario with one value somewhere replaced (or removed): mostly near-valid. */
const mutatedBuiltin = fc
  .tuple(fc.integer({ min: 0, max: builtins.length - 1 }), fc.nat(), fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 1 })))
  .map(([i, where, replacement]) => {
    const copy = structuredClone(builtins[i]!) as unknown as Record<string, unknown>;
    const slots: [Record<string, unknown> | unknown[], string | number][] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach((item, k) => (slots.push([v, k]), collect(item)));
      else if (v && typeof v === "object") for (const [k, item] of Object.entries(v)) (slots.push([v as Record<string, unknown>, k]), collect(item));
    };
    collect(copy);
    const [holder, key] = slots[where % slots.length]!;
    if (replacement === undefined && !Array.isArray(holder)) delete (holder as Record<string, unknown>)[key as string];
    else (holder as Record<string | number, unknown>)[key] = replacement;
    return copy;
  });
export const anyScenario = fc.oneof(
  { arbitrary: wellNamedScenario as fc.Arbitrary<unknown>, weight: 5 },
  { arbitrary: randomScenario as fc.Arbitrary<unknown>, weight: 2 },
  { arbitrary: mutatedBuiltin as fc.Arbitrary<unknown>, weight: 4 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
);


/** Either valid settings (true) or a ConfigError naming file, key and problem for each problem (false); nothing else thrown. */
export function checkSettings(value: unknown): boolean {
  let settings;
  try {
    settings = resolveSettings(value, "fuzz.json");
  } catch (e) {
    assert.ok(e instanceof ConfigError, `only a ConfigError may be thrown, got ${String(e)}`);
    assert.ok(e.problems.length > 0, "a ConfigError lists its problems");
    for (const p of e.problems) {
      assert.equal(typeof p.key, "string");
      assert.ok(p.problem.length > 0);
      assert.ok(e.message.includes(`fuzz.json: ${p.key ? `${p.key}: ` : ""}${p.problem}`), "the message names file, key and problem");
    }
    assert.deepEqual(validateSettings(value), e.problems);
    return false;
  }
  // `undefined` is "no settings given" (the defaults), not a settings object.
  assert.deepEqual(validateSettings(value ?? {}), [], "resolved settings validate");
  assert.ok(Number.isInteger(settings.targetAbi) && settings.targetAbi >= 1);
  assert.ok(Array.isArray(settings.errata) && Array.isArray(settings.threadSpawners));
  return true;
}

/** Invalid scenarios get errors with a JSON path (undefined); valid ones run without throwing (the run's ms). */
export function checkScenario(value: unknown): number | undefined {
  const result = validateScenario(value);
  if (!result.ok) {
    assert.ok(result.errors.length > 0);
    for (const e of result.errors) {
      assert.match(e.path, /^\$/, "errors carry a JSON path");
      assert.ok(e.message.length > 0);
    }
    return undefined;
  }
  const started = performance.now();
  const trace = runScenario(result.scenario);
  const ms = performance.now() - started;
  trace.events.forEach((e, i) => assert.equal(e.seq, i + 1, "events are numbered in order"));
  assert.ok(trace.summary.length > 0, "a run always says what happened");
  return ms;
}
