// The language server soak: a seeded random mix of editor traffic and hostile input over
// stdio against a workspace copied from fixtures/, with the server's resident memory
// sampled throughout. After every step a hover on a sentinel document must be answered
// within a bound. Used by `npm run soak` (scripts/soak.mjs, 30 minutes) and by
// server/test/soak.test.ts (10,000 requests, about 2 minutes).

import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, extname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { TextDocument, type TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import { SoakClient, frame, type Response } from "./soak-client.js";
import { renderMarkdown, median, summaryLine, type KindStats, type SoakOutcome } from "./soak-report.js";
import { MAIN_C, RESTRICT_CHAR, RESTRICT_LINE, WORKERS_C } from "./samples.js";

export const SERVER_MAIN = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "main.js");
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "fixtures");

export interface SoakOptions {
  durationMs: number;
  /** Stop after this many requests (the step that crosses it finishes). */
  maxRequests?: number;
  seed: number;
  /** Requests per second to aim at; 0 sends as fast as the server answers. */
  rate: number;
  /** Bound on the sentinel hover after each step. Default 30 s: a project's first analysis on a loaded machine takes seconds. */
  livenessBoundMs?: number;
  sampleEveryMs?: number;
  /** Memory growth is measured from the end of warm-up: this long (default 10 % of the duration, at most 60 s) and every pool document opened once. */
  warmupMs?: number;
  /**
   * Idle time before each of the two memory measurements (end of warm-up, end of run).
   * Under load V8's heap runs well ahead of what is live, by an amount that depends on the
   * moment; idle, its memory reducer collects. Measuring both points after the same idle
   * time compares what the server keeps, not where the collector happened to be. Default 15 s.
   */
  quietMs?: number;
  /** Documents kept in the pool the soak opens and edits. */
  poolSize?: number;
  rssLimitBytes?: number;
  /** Extra arguments for the server's node, for diagnosis (`--max-old-space-size=100`; not flags that print to stdout). */
  serverNodeArgs?: string[];
  /** Appends the server's stderr here. */
  serverStderrFile?: string;
  /** Progress lines (about every 10 s); silent when absent. */
  log?: (line: string) => void;
}

export interface SoakRun {
  outcome: SoakOutcome;
  markdown: string;
  summary: string;
  ok: boolean;
}

// ---------------------------------------------------------------------------------------
// Deterministic randomness

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------------------------------
// The workspace

const LANGUAGE_IDS: Record<string, string> = { ".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".hpp": "cpp", ".go": "go", ".rs": "rust", ".ts": "typescript", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript" };

interface PoolDocument {
  path: string;
  uri: string;
  languageId: string;
  diskText: string;
  open?: TextDocument;
  version: number;
}

interface Workspace {
  root: string;
  pool: PoolDocument[];
  sentinel: PoolDocument;
  rootConfig: string;
  scratch: string;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

function makeWorkspace(random: Random, poolSize: number): Workspace {
  const root = mkdtempSync(join(tmpdir(), "landlock-soak-"));
  cpSync(FIXTURES, join(root, "fixtures"), { recursive: true });
  const rootConfig = join(root, ".landlock-lint.json");
  writeFileSync(rootConfig, "{}");
  const sentinelDir = join(root, "sentinel");
  mkdirSync(sentinelDir);
  writeFileSync(join(sentinelDir, ".landlock-lint.json"), "{}");
  writeFileSync(join(sentinelDir, "main.c"), MAIN_C);
  writeFileSync(join(sentinelDir, "workers.c"), WORKERS_C);
  const scratch = join(root, "scratch");
  mkdirSync(scratch);
  const byLanguage = new Map<string, string[]>();
  for (const file of listFiles(join(root, "fixtures"))) {
    const languageId = LANGUAGE_IDS[extname(file)];
    if (!languageId || relative(root, file).includes("holdout")) continue;
    if (statSync(file).size > 64 * 1024) continue;
    byLanguage.set(languageId, [...(byLanguage.get(languageId) ?? []), file]);
  }
  // Round-robin over the languages so that each is in the pool.
  const pool: PoolDocument[] = [];
  const languages = [...byLanguage.keys()].sort();
  const remaining = new Map(languages.map((l) => [l, [...byLanguage.get(l)!]]));
  while (pool.length < poolSize && [...remaining.values()].some((files) => files.length > 0)) {
    for (const language of languages) {
      const files = remaining.get(language)!;
      if (files.length === 0 || pool.length >= poolSize) continue;
      const path = files.splice(random.int(files.length), 1)[0]!;
      pool.push({ path, uri: pathToFileURL(path).toString(), languageId: language, diskText: readFileSync(path, "utf8"), version: 0 });
    }
  }
  const sentinelPath = join(sentinelDir, "main.c");
  const sentinel: PoolDocument = { path: sentinelPath, uri: pathToFileURL(sentinelPath).toString(), languageId: "c", diskText: MAIN_C, version: 0 };
  return { root, pool, sentinel, rootConfig, scratch };
}

// ---------------------------------------------------------------------------------------
// Hostile input

const GOOD_SETTINGS: unknown[] = [{}, { targetAbi: 6 }, { targetAbi: 7, errata: [1, 2, 3] }, { assumeMultithreaded: true }, { debounceMs: 20 }, { rules: { "landlock/nesting-limit": "warn" } }, { targetAbi: null, rules: { "landlock/abi-compat": null } }];
const BAD_SETTINGS: unknown[] = [{ targetAbi: "eight" }, { targetAbi: -3 }, { errata: "all" }, { rules: { "landlock/no-such-rule": "error" } }, { rules: { "landlock/nesting-limit": "loud" } }, { debounceMs: -1 }, { debounceMs: 1e12 }, { colour: "blue" }, "landlock", [1, 2, 3], 42, { threadSpawners: [{}] }];
const BAD_CONFIG_FILES = ['{ "targetAbi": "eight" }', "{ not json", "[]", '{ "rules": { "landlock/nope": "error" } }', ""];

/**
 * Raw byte sequences vscode-jsonrpc's StreamMessageReader recovers from: each is consumed
 * whole and the next well-formed message is read normally. Framing errors that cannot be
 * recovered by any length-prefixed reader (a Content-Length larger than the body that
 * follows swallows the next message; a smaller one splits a body and makes its tail a
 * header) are not sent: they desynchronise the stream by construction.
 */
export const MALFORMED_NOTES = [
  "a body that is not JSON (correct Content-Length): the reader reports a parse error and reads on.",
  "JSON that is not a JSON-RPC message (`null`, `42`, `\"text\"`, `[]`, a batch array, an object with neither method nor result): logged and ignored.",
  "a header block with no Content-Length, a non-numeric Content-Length, or a header line without a colon, each with no body: the header block is consumed and reading goes on. vscode-jsonrpc's reader then stopped until more bytes arrived, leaving messages already buffered behind the block unread; the server's reader now re-reads its buffer after an error (server/src/transport.ts).",
  "requests without the `jsonrpc` member, with ids of unusual value (negative, fractional, 2^53, empty string, non-ASCII string): answered like any request (vscode-jsonrpc accepts them).",
  "ids of types JSON-RPC forbids (object, array, boolean, null): not requests, so no answer is expected; they must not disturb anything else.",
  "a body padded with trailing whitespace inside its Content-Length, extra headers (Content-Type), header names in lower case: valid framing, answered.",
  "a request dribbled in many small writes: reassembled and answered.",
  "huge messages (0.5 to 1.5 MB: a string parameter of an unknown request, the URI of a hover): answered.",
  "responses for ids the server never sent, and `$/cancelRequest` without params or with ids that are not in flight.",
  "not sent: a Content-Length larger or smaller than the body that follows it (no length-prefixed reader can recover), a negative Content-Length (vscode-jsonrpc's buffer then reads from the wrong offset), and a header block followed by a body when the header has no valid Content-Length (the body is then read as the next header).",
];

// ---------------------------------------------------------------------------------------
// The soak

const mib = (bytes: number | undefined) => (bytes === undefined ? "?" : (bytes / 1048576).toFixed(1));

interface Step {
  kind: string;
  weight: number;
  run: () => void | Promise<void>;
}

export async function runSoak(options: SoakOptions): Promise<SoakRun> {
  const random = new Random(options.seed);
  const livenessBoundMs = options.livenessBoundMs ?? 30_000;
  const sampleEveryMs = options.sampleEveryMs ?? 5_000;
  const rssLimitBytes = options.rssLimitBytes ?? 30 * 1024 * 1024;
  const log = options.log ?? (() => undefined);
  const workspace = makeWorkspace(random, options.poolSize ?? 36);
  const perKind = new Map<string, KindStats>();
  const errorCodes = new Map<number, number>();
  const inputs = new Map<string, number>();
  const failures: string[] = [];
  const inFlight = new Set<Promise<void>>();
  let requests = 0;
  let clientSettings: unknown = {};

  const client = SoakClient.start(SERVER_MAIN, (method, params) => {
    if (method === "workspace/configuration") return ((params as { items?: unknown[] })?.items ?? []).map(() => clientSettings);
    if (method === "window/workDoneProgress/create" || method === "client/registerCapability" || method === "client/unregisterCapability") return null;
    if (method === "window/showMessageRequest" || method === "workspace/codeLens/refresh" || method === "workspace/diagnostic/refresh") return null;
    throw new Error(`the soak client does not handle ${method}`);
  }, options.serverNodeArgs, options.serverStderrFile);

  const stats = (kind: string): KindStats => {
    let s = perKind.get(kind);
    if (!s) perKind.set(kind, (s = { sent: 0, results: 0, errors: 0, latenciesMs: [] }));
    return s;
  };
  const countInput = (kind: string) => inputs.set(kind, (inputs.get(kind) ?? 0) + 1);
  const record = (kind: string, started: number, response: Response): Response => {
    const s = stats(kind);
    s.latenciesMs.push(performance.now() - started);
    if (response.error) {
      s.errors++;
      errorCodes.set(response.error.code, (errorCodes.get(response.error.code) ?? 0) + 1);
      if (response.error.code === -32603) failures.push(`${kind}: InternalError answer (a handler threw): ${response.error.message.slice(0, 300)}`);
    } else s.results++;
    return response;
  };
  /** Sends a request, tracks it until answered. */
  const request = (kind: string, method: string, params?: unknown): { id: number | string; answer: Promise<Response> } => {
    stats(kind).sent++;
    requests++;
    const started = performance.now();
    const sent = client.request(method, params);
    const answer = sent.answer.then((r) => record(kind, started, r));
    track(answer);
    return { id: sent.id, answer };
  };
  /** A request written by `write` (raw bytes, odd framing) under the id `id`. */
  const rawRequest = (kind: string, id: number | string, method: string, write: () => void): Promise<Response> => {
    stats(kind).sent++;
    requests++;
    const started = performance.now();
    const answer = client.expect(id, method, write).then((r) => record(kind, started, r));
    track(answer);
    return answer;
  };
  const track = (p: Promise<unknown>) => {
    const done = p.then(() => undefined);
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const notify = (kind: string, method: string, params?: unknown) => {
    countInput(kind);
    client.notify(method, params);
  };

  // --- documents --------------------------------------------------------------------
  const openDocs = () => workspace.pool.filter((d) => d.open);
  const closedDocs = () => workspace.pool.filter((d) => !d.open);
  const openedOnce = new Set<string>();
  const openDoc = (d: PoolDocument) => {
    openedOnce.add(d.uri);
    d.version = 1;
    d.open = TextDocument.create(d.uri, d.languageId, d.version, d.diskText);
    notify("didOpen", "textDocument/didOpen", { textDocument: { uri: d.uri, languageId: d.languageId, version: d.version, text: d.diskText } });
  };
  const closeDoc = (d: PoolDocument) => {
    d.open = undefined;
    notify("didClose", "textDocument/didClose", { textDocument: { uri: d.uri } });
  };
  const change = (kind: string, d: PoolDocument, changes: TextDocumentContentChangeEvent[]) => {
    d.version++;
    d.open = TextDocument.update(d.open!, changes, d.version);
    notify(kind, "textDocument/didChange", { textDocument: { uri: d.uri, version: d.version }, contentChanges: changes });
  };
  const someOpen = (): PoolDocument => {
    const docs = openDocs();
    if (docs.length > 0) return random.pick(docs);
    const d = random.pick(workspace.pool);
    openDoc(d);
    return d;
  };
  const validPosition = (doc: TextDocument) => {
    const line = random.int(doc.lineCount);
    const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
    return { line, character: random.int(text.replace(/\r?\n$/, "").length + 1) };
  };
  /** A position the document does not have, or one that is not a position at all. */
  const badPosition = (doc: TextDocument): unknown =>
    random.pick<() => unknown>([
      () => ({ line: doc.lineCount + random.int(5), character: 0 }),
      () => ({ line: random.int(doc.lineCount), character: 10_000 + random.int(1e6) }),
      () => ({ line: 2 ** 31 - 1, character: 2 ** 31 - 1 }),
      () => ({ line: Number.MAX_SAFE_INTEGER, character: 0 }),
      () => ({ line: -1, character: 0 }),
      () => ({ line: 0, character: -5 }),
      () => ({ line: 1.5, character: 0 }),
      () => ({ line: "3", character: "4" }),
      () => ({ line: null, character: null }),
      () => ({}),
      () => undefined,
      () => "here",
    ])();
  const randomRange = (doc: TextDocument) => {
    const a = doc.offsetAt(validPosition(doc));
    const b = Math.min(doc.getText().length, a + random.int(200));
    return { start: doc.positionAt(a), end: doc.positionAt(b) };
  };

  const BREAK_MARK = "@@(({{";
  const INSERTS = ["x", "_", " ", "\n", "\t", ";", "é", "😀", "// note\n", "0", "(", ")", "{", "}", "\"", "'", "/*", "*/", "landlock_restrict_self(fd, 0);\n", "LANDLOCK_RESTRICT_SELF_TSYNC", "pthread_create(&t, NULL, f, NULL);\n", "go func() {}()\n", "std::thread t(f);\n", "thread::spawn(|| {});\n"];

  const editOnce = (d: PoolDocument): TextDocumentContentChangeEvent => {
    const doc = d.open!;
    const length = doc.getText().length;
    if (length > 3 * d.diskText.length + 4000) return { text: d.diskText };
    const at = doc.offsetAt(validPosition(doc));
    const r = random.float();
    if (r < 0.45) return { range: { start: doc.positionAt(at), end: doc.positionAt(at) }, text: random.pick(INSERTS) };
    if (r < 0.75) return { range: { start: doc.positionAt(at), end: doc.positionAt(Math.min(length, at + 1 + random.int(30))) }, text: "" };
    if (r < 0.95) return { range: { start: doc.positionAt(at), end: doc.positionAt(Math.min(length, at + random.int(10))) }, text: random.pick(INSERTS) + random.pick(INSERTS) };
    // Outside the document: clients should not, the server must clamp like TextDocument does.
    return { range: { start: { line: doc.lineCount + 3, character: 0 }, end: { line: doc.lineCount + 9, character: 4 } }, text: "\n" };
  };

  // --- the mix ------------------------------------------------------------------------
  const uriNotOpen = () => pathToFileURL(join(workspace.root, "nowhere", `missing-${random.int(1000)}.c`)).toString();

  const wrongParams = () => {
    const d = someOpen();
    const [method, params] = random.pick<[string, unknown]>([
      ["textDocument/hover", "a string"],
      ["textDocument/hover", 42],
      ["textDocument/hover", [1, 2]],
      ["textDocument/hover", null],
      ["textDocument/hover", { textDocument: 5, position: { line: 0, character: 0 } }],
      ["textDocument/hover", { textDocument: { uri: 7 }, position: { line: 0, character: 0 } }],
      ["textDocument/codeAction", { textDocument: { uri: d.uri }, range: "all" }],
      ["textDocument/codeAction", { textDocument: { uri: d.uri } }],
      ["textDocument/codeLens", { textDocument: null }],
      ["textDocument/codeLens", { textDocument: { uri: d.uri, extra: [1] } }],
      ["landlock/simulate", { textDocument: { uri: d.uri } }],
      ["landlock/simulate", { textDocument: { uri: uriNotOpen() }, position: { line: 0, character: 0 } }],
      ["workspace/executeCommand", null],
      ["workspace/executeCommand", { command: 5 }],
      ["workspace/executeCommand", { command: "landlock.simulate", arguments: "x" }],
      ["workspace/executeCommand", { command: "landlock.simulate", arguments: [null] }],
      ["workspace/executeCommand", { command: "landlock.other" }],
    ]);
    void request(`wrong params (${method})`, method, params);
  };
  const cancelInFlight = () => {
    const d = someOpen();
    const method = random.pick(["textDocument/hover", "landlock/simulate", "textDocument/codeLens", "textDocument/codeAction"]);
    const params = method === "textDocument/codeAction" ? { textDocument: { uri: d.uri }, range: randomRange(d.open!), context: { diagnostics: [] } } : { textDocument: { uri: d.uri }, position: validPosition(d.open!) };
    const { id } = request(`${method} (cancelled)`, method, params);
    notify("$/cancelRequest", "$/cancelRequest", { id });
  };
  const steps: Step[] = [
    { kind: "open", weight: 6, run: () => void (closedDocs().length > 0 ? openDoc(random.pick(closedDocs())) : undefined) },
    { kind: "reopen an open document", weight: 0.5, run: () => openDoc(someOpen()) },
    { kind: "close", weight: 3, run: () => void (openDocs().length > 4 ? closeDoc(random.pick(openDocs())) : undefined) },
    { kind: "save", weight: 1, run: () => notify("didSave", "textDocument/didSave", { textDocument: { uri: someOpen().uri } }) },
    { kind: "edit", weight: 10, run: () => { const d = someOpen(); change("didChange", d, [editOnce(d)]); } },
    {
      kind: "edit burst",
      weight: 4,
      run: () => {
        const d = someOpen();
        const n = 5 + random.int(25);
        for (let i = 0; i < n; i++) change("didChange (burst)", d, random.chance(0.2) ? [editOnce(d), editOnce(d)] : [editOnce(d)]);
      },
    },
    {
      kind: "break syntax",
      weight: 2,
      run: () => {
        const d = someOpen();
        if (d.open!.getText().includes(BREAK_MARK)) return;
        const p = validPosition(d.open!);
        change("didChange (break syntax)", d, [{ range: { start: p, end: p }, text: BREAK_MARK }]);
      },
    },
    {
      kind: "fix syntax",
      weight: 2,
      run: () => {
        const d = openDocs().find((x) => x.open!.getText().includes(BREAK_MARK));
        if (!d) return;
        const at = d.open!.getText().indexOf(BREAK_MARK);
        change("didChange (fix syntax)", d, [{ range: { start: d.open!.positionAt(at), end: d.open!.positionAt(at + BREAK_MARK.length) }, text: "" }]);
      },
    },
    { kind: "full-text change", weight: 0.5, run: () => { const d = someOpen(); change("didChange (full text)", d, [{ text: d.diskText }]); } },
    { kind: "change of a closed document", weight: 0.5, run: () => notify("didChange (not open)", "textDocument/didChange", { textDocument: { uri: uriNotOpen(), version: 3 }, contentChanges: [{ text: "int x;" }] }) },
    {
      kind: "hover",
      weight: 10,
      run: () => {
        const d = someOpen();
        for (let i = 1 + random.int(6); i > 0; i--) void request("hover", "textDocument/hover", { textDocument: { uri: d.uri }, position: validPosition(d.open!) });
      },
    },
    { kind: "hover out of range", weight: 3, run: () => { const d = someOpen(); void request("hover (bad position)", "textDocument/hover", { textDocument: { uri: d.uri }, position: badPosition(d.open!) }); } },
    { kind: "hover on a closed document", weight: 1, run: () => void request("hover (not open)", "textDocument/hover", { textDocument: { uri: uriNotOpen() }, position: { line: 0, character: 0 } }) },
    {
      kind: "codeAction",
      weight: 5,
      run: () => {
        const d = someOpen();
        for (let i = 1 + random.int(3); i > 0; i--) void request("codeAction", "textDocument/codeAction", { textDocument: { uri: d.uri }, range: randomRange(d.open!), context: { diagnostics: [] } });
      },
    },
    {
      kind: "codeAction out of range",
      weight: 2,
      run: () => {
        const d = someOpen();
        void request("codeAction (bad range)", "textDocument/codeAction", { textDocument: { uri: d.uri }, range: { start: badPosition(d.open!), end: badPosition(d.open!) }, context: { diagnostics: [] } });
      },
    },
    { kind: "codeLens", weight: 4, run: () => { for (let i = 1 + random.int(3); i > 0; i--) void request("codeLens", "textDocument/codeLens", { textDocument: { uri: someOpen().uri } }); } },
    { kind: "simulate", weight: 4, run: () => { const d = someOpen(); void request("landlock/simulate", "landlock/simulate", { textDocument: { uri: d.uri }, position: validPosition(d.open!) }); } },
    { kind: "simulate out of range", weight: 2, run: () => { const d = someOpen(); void request("landlock/simulate (bad position)", "landlock/simulate", { textDocument: { uri: d.uri }, position: badPosition(d.open!) }); } },
    {
      kind: "executeCommand",
      weight: 1,
      run: () => {
        const d = someOpen();
        void request("executeCommand", "workspace/executeCommand", { command: "landlock.simulate", arguments: [{ textDocument: { uri: d.uri }, position: validPosition(d.open!) }] });
      },
    },
    {
      kind: "cancel not in flight",
      weight: 1,
      run: () =>
        notify(
          "$/cancelRequest (bad)",
          "$/cancelRequest",
          random.pick<unknown>([{ id: 987_654_321 + random.int(1000) }, { id: "never-sent" }, {}, undefined, { id: null }, { id: { nested: true } }, "x"]),
        ),
    },
    { kind: "unknown request", weight: 2, run: () => { for (let i = 1 + random.int(3); i > 0; i--) void request("unknown method (request)", random.pick(["landlock/notAThing", "textDocument/definition", "workspace/symbol", "$/unknownRequest", ""]), { x: 1 }); } },
    { kind: "unknown notification", weight: 2, run: () => notify("unknown method (notification)", random.pick(["landlock/notAThing", "$/unknownNotification", "textDocument/didFrob", "$/setTrace"]), { value: random.pick(["off", "verbose", 3]) }) },
    {
      kind: "wrong params",
      weight: 4,
      run: () => {
        for (let i = 1 + random.int(3); i > 0; i--) wrongParams();
      },
    },
    {
      kind: "cancel in flight",
      weight: 5,
      run: () => {
        for (let i = 1 + random.int(3); i > 0; i--) cancelInFlight();
      },
    },
    {
      kind: "wrong notification params",
      weight: 2,
      run: () => {
        const d = someOpen();
        const [method, params] = random.pick<[string, unknown]>([
          ["textDocument/didOpen", { textDocument: null }],
          ["textDocument/didOpen", { textDocument: { uri: 5, languageId: "c", version: 1, text: "" } }],
          ["textDocument/didOpen", { textDocument: { uri: uriNotOpen(), languageId: "c", version: "one", text: 12 } }],
          ["textDocument/didOpen", { textDocument: { uri: uriNotOpen(), languageId: "cobol", version: 1, text: "MOVE A TO B." } }],
          ["textDocument/didChange", { textDocument: { uri: d.uri, version: d.version }, contentChanges: "everything" }],
          ["textDocument/didChange", { textDocument: { uri: d.uri, version: d.version }, contentChanges: [{ range: "x", text: 5 }] }],
          ["textDocument/didChange", { textDocument: null, contentChanges: [] }],
          ["textDocument/didClose", null],
          ["textDocument/didClose", { textDocument: { uri: 3 } }],
          ["workspace/didChangeWatchedFiles", { changes: "all" }],
          ["workspace/didChangeWatchedFiles", null],
          ["workspace/didChangeConfiguration", "x"],
          ["initialized", { again: true }],
        ]);
        // A didChange with bad params changes nothing the server should apply; keep our copy as is.
        notify(`wrong params (${method})`, method, params);
      },
    },
    {
      kind: "configuration",
      weight: 0.6,
      run: () => {
        // Half the time another section changed (clients announce any change) and ours is as it was.
        const unchanged = random.chance(0.5);
        if (!unchanged) clientSettings = random.chance(0.5) ? random.pick(GOOD_SETTINGS) : random.pick(BAD_SETTINGS);
        notify(`didChangeConfiguration${unchanged ? " (landlock unchanged)" : ""}`, "workspace/didChangeConfiguration", { settings: random.chance(0.5) ? null : { landlock: clientSettings } });
      },
    },
    {
      kind: "watched files",
      weight: 2,
      run: () => {
        const r = random.float();
        if (r < 0.3) {
          // A closed source file changed on disk.
          const d = random.pick(closedDocs().length > 0 ? closedDocs() : workspace.pool);
          writeFileSync(d.path, d.diskText + (random.chance(0.5) ? `\n// touched ${random.int(1e6)}\n` : ""));
          notify("didChangeWatchedFiles (source)", "workspace/didChangeWatchedFiles", { changes: [{ uri: d.uri, type: 2 }] });
        } else if (r < 0.5) {
          const file = join(workspace.scratch, `scratch-${random.int(8)}.c`);
          const create = random.chance(0.6);
          if (create) writeFileSync(file, "#include <pthread.h>\nvoid spawn(void) { pthread_t t; pthread_create(&t, 0, 0, 0); }\n");
          else rmSync(file, { force: true });
          notify("didChangeWatchedFiles (create/delete)", "workspace/didChangeWatchedFiles", { changes: [{ uri: pathToFileURL(file).toString(), type: create ? 1 : 3 }] });
        } else if (r < 0.65) {
          writeFileSync(workspace.rootConfig, random.chance(0.5) ? "{}" : random.pick(BAD_CONFIG_FILES));
          notify("didChangeWatchedFiles (config)", "workspace/didChangeWatchedFiles", { changes: [{ uri: pathToFileURL(workspace.rootConfig).toString(), type: 2 }] });
        } else {
          notify("didChangeWatchedFiles (bogus)", "workspace/didChangeWatchedFiles", {
            changes: [random.pick<unknown>([{ uri: "not a uri", type: 2 }, { uri: "https://example.invalid/a.c", type: 1 }, { uri: pathToFileURL(join(workspace.root, "gone.c")).toString(), type: 99 }, { uri: 5, type: "x" }, null])],
          });
        }
      },
    },
    {
      kind: "malformed",
      weight: 3,
      run: async () => {
        const variant = random.int(13);
        const okId = () => client.freshId();
        switch (variant) {
          case 0:
            countInput("raw: body not JSON");
            return client.writeRaw(frame(random.pick(["{ this is not json", '{"jsonrpc":"2.0","id":', "\u00ff\u00fe", "{}}"])));
          case 1:
            countInput("raw: JSON that is not a message");
            return client.writeRaw(frame(random.pick(["null", "42", '"text"', "[]", '[{"jsonrpc":"2.0","id":1,"method":"x"}]', '{"jsonrpc":"2.0"}', '{"jsonrpc":"2.0","result":null}'])));
          case 2:
            countInput("raw: header without Content-Length");
            return client.writeRaw("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n");
          case 3:
            countInput("raw: non-numeric Content-Length");
            return client.writeRaw(random.pick(["Content-Length: twelve\r\n\r\n", "Content-Length: \r\n\r\n"]));
          case 4:
            countInput("raw: header line without a colon");
            return client.writeRaw(random.pick(["garbage\r\n\r\n", "\r\n\r\n", "Content-Length 12\r\n\r\n"]));
          case 5: {
            const id = okId();
            void rawRequest("raw: request without jsonrpc", id, "textDocument/hover", () => client.writeRaw(frame(JSON.stringify({ id, method: "textDocument/hover", params: { textDocument: { uri: someOpen().uri }, position: { line: 0, character: 0 } } }))));
            return;
          }
          case 6: {
            const id = random.pick<number | string>([-1 - random.int(1000), 0.5 + random.int(1000), 2 ** 53, "", `id-ü-${okId()}`, `${okId()}`]);
            if (client.outstanding().some((o) => o.id === JSON.stringify(id))) return;
            void rawRequest("raw: unusual id value", id, "textDocument/codeLens", () => client.send({ jsonrpc: "2.0", id, method: "textDocument/codeLens", params: { textDocument: { uri: someOpen().uri } } }));
            return;
          }
          case 7:
            countInput("raw: id of a forbidden type");
            return client.send({ jsonrpc: "2.0", id: random.pick<unknown>([{ a: 1 }, [1], true, null]), method: "textDocument/hover", params: { textDocument: { uri: someOpen().uri }, position: { line: 0, character: 0 } } });
          case 8: {
            const id = okId();
            const body = JSON.stringify({ jsonrpc: "2.0", id, method: "textDocument/codeLens", params: { textDocument: { uri: someOpen().uri } } });
            void rawRequest("raw: padded body, extra headers", id, "textDocument/codeLens", () =>
              client.writeRaw(Buffer.from(`content-length: ${Buffer.byteLength(body) + 3}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${body} \r\n`)),
            );
            return;
          }
          case 9: {
            const id = okId();
            const bytes = frame(JSON.stringify({ jsonrpc: "2.0", id, method: "textDocument/hover", params: { textDocument: { uri: someOpen().uri }, position: { line: 0, character: 0 } } }));
            void rawRequest("raw: dribbled in small writes", id, "textDocument/hover", () => undefined);
            for (let at = 0; at < bytes.length; ) {
              const next = Math.min(bytes.length, at + 1 + random.int(24));
              client.writeRaw(bytes.subarray(at, next));
              at = next;
              await new Promise((r) => setImmediate(r));
            }
            return;
          }
          case 10: {
            const size = 500_000 + random.int(1_000_000);
            if (random.chance(0.5)) void request("huge: unknown request with a big string", "landlock/notAThing", { blob: "x".repeat(size) });
            else void request("huge: hover with a big URI", "textDocument/hover", { textDocument: { uri: `file:///${"a".repeat(size)}.c` }, position: { line: 0, character: 0 } });
            return;
          }
          case 11:
            countInput("raw: response to an id never sent");
            return client.send({ jsonrpc: "2.0", id: 900_000_000 + random.int(1000), result: { nothing: true } });
          default:
            countInput("raw: invalid UTF-8 in a string");
            return client.writeRaw(frame(Buffer.concat([Buffer.from('{"jsonrpc":"2.0","method":"landlock/notAThing","params":{"s":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}}')])));
        }
      },
    },
  ];
  const totalWeight = steps.reduce((s, x) => s + x.weight, 0);
  const pickStep = (): Step => {
    let r = random.float() * totalWeight;
    for (const s of steps) if ((r -= s.weight) < 0) return s;
    return steps.at(-1)!;
  };

  // --- run ----------------------------------------------------------------------------
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const rss: { atMs: number; bytes: number }[] = [];
  const sample = () => {
    const bytes = client.rssBytes();
    if (bytes !== undefined) rss.push({ atMs: performance.now() - started, bytes });
  };
  const sampler = setInterval(sample, sampleEveryMs);
  const warmupEndMs = options.warmupMs ?? Math.min(60_000, options.durationMs * 0.1);
  const quietMs = options.quietMs ?? 15_000;
  let rssBaseline: number | undefined;
  let rssEnd: number | undefined;
  let warmupDoneMs: number | undefined;
  const stepTimes = new Map<string, { count: number; totalMs: number }>();
  let died = false;
  client.onExit(() => (died = true));

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /**
   * Waits (bounded) for every answer and for workspace indexing to end, idles `quietMs`,
   * then returns the median of three samples 1 s apart.
   */
  const settledRss = async (): Promise<number | undefined> => {
    const drainUntil = performance.now() + Math.max(livenessBoundMs, 15_000);
    while (inFlight.size > 0 && performance.now() < drainUntil && !died) await sleep(50);
    const indexedUntil = performance.now() + 120_000;
    while (client.progressRunning > 0 && performance.now() < indexedUntil && !died) await sleep(100);
    await sleep(quietMs);
    const values: number[] = [];
    for (let i = 0; i < 3; i++) {
      if (i > 0) await sleep(1000);
      sample();
      const v = client.rssBytes();
      if (v !== undefined) values.push(v);
    }
    return values.length > 0 ? median(values) : undefined;
  };

  const liveness = async (after: string): Promise<boolean> => {
    const { answer } = request("hover (liveness)", "textDocument/hover", { textDocument: { uri: workspace.sentinel.uri }, position: { line: RESTRICT_LINE, character: RESTRICT_CHAR } });
    let timer: NodeJS.Timeout | undefined;
    const bounded = await Promise.race([answer, new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), livenessBoundMs)))]);
    clearTimeout(timer);
    if (bounded === "timeout") {
      failures.push(`no answer to the sentinel hover within ${livenessBoundMs} ms after a "${after}" step${died ? " (the server exited)" : ""}`);
      return false;
    }
    if (bounded.error) {
      failures.push(`the sentinel hover after a "${after}" step answered an error: ${bounded.error.code} ${bounded.error.message}`);
      return false;
    }
    return true;
  };

  try {
    const init = client.request("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(workspace.root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(workspace.root).toString(), name: "soak" }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
      },
      initializationOptions: { debounceMs: 5 },
    });
    const initAnswer = await Promise.race([init.answer, client.exited.then(() => undefined)]);
    if (!initAnswer || initAnswer.error) throw new Error(`the server did not initialize: ${JSON.stringify(initAnswer?.error)}; stderr: ${client.stderr}`);
    client.notify("initialized", {});
    client.notify("textDocument/didOpen", { textDocument: { uri: workspace.sentinel.uri, languageId: "c", version: 1, text: MAIN_C } });
    sample();

    let lastLog = performance.now();
    let stepCount = 0;
    while (!died) {
      const elapsed = performance.now() - started;
      if (elapsed >= options.durationMs) break;
      if (options.maxRequests !== undefined && requests >= options.maxRequests) break;
      const step = pickStep();
      const stepStarted = performance.now();
      await step.run();
      stepCount++;
      if (!(await liveness(step.kind))) break;
      const t = stepTimes.get(step.kind) ?? { count: 0, totalMs: 0 };
      t.count++;
      t.totalMs += performance.now() - stepStarted;
      stepTimes.set(step.kind, t);
      // Warm-up lasts its time and until every pool document has been opened once (the working set).
      if (rssBaseline === undefined && performance.now() - started >= warmupEndMs && openedOnce.size === workspace.pool.length) {
        warmupDoneMs = performance.now() - started;
        rssBaseline = await settledRss();
        log(`soak: end of warm-up, ${requests} requests, RSS ${mib(rssBaseline)} MB after ${quietMs / 1000} s idle`);
      }
      if (options.rate > 0) {
        const due = started + (requests / options.rate) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        const last = rss.at(-1);
        log(`soak: ${((performance.now() - started) / 1000).toFixed(0)} s, ${stepCount} steps, ${requests} requests, RSS ${last ? (last.bytes / 1048576).toFixed(1) : "?"} MB, ${openDocs().length} documents open`);
      }
    }

    if (!died) rssEnd = await settledRss();
  } catch (e) {
    failures.push(`the soak stopped: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    clearInterval(sampler);
  }

  const elapsedMs = performance.now() - started;
  if (died) failures.push(`the server exited during the soak (${JSON.stringify(client.exitStatus)}); stderr: ${client.stderr.slice(-1500)}`);
  const unanswered = client.outstanding();
  if (unanswered.length > 0) {
    const methods = new Map<string, number>();
    for (const u of unanswered) methods.set(u.method, (methods.get(u.method) ?? 0) + 1);
    failures.push(`${unanswered.length} requests never answered (${[...methods].map(([m, n]) => `${m} x${n}`).join(", ")}; ids ${unanswered.slice(0, 10).map((u) => u.id).join(", ")})`);
  }
  for (const v of client.protocolViolations.slice(0, 5)) failures.push(`the server wrote ${v}`);

  if (rssBaseline === undefined || rssEnd === undefined) failures.push(`no memory measurement ${rssBaseline === undefined ? "at the end of warm-up" : "at the end"} (warm-up ${warmupEndMs} ms; the run ended first or the server was gone)`);
  else if (rssEnd - rssBaseline >= rssLimitBytes) failures.push(`resident memory grew by ${((rssEnd - rssBaseline) / 1048576).toFixed(1)} MB after warm-up (limit ${(rssLimitBytes / 1048576).toFixed(0)} MB)`);

  if (!died) {
    const shutdown = client.request("shutdown");
    await Promise.race([shutdown.answer, new Promise((r) => setTimeout(r, 5000))]);
    client.notify("exit");
    const exit = await Promise.race([client.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000))]);
    if (!exit) {
      client.child.kill();
      failures.push("the server did not exit after shutdown and exit");
    } else if (exit.code !== 0) failures.push(`the server exited with ${JSON.stringify(exit)} after shutdown and exit`);
  }
  rmSync(workspace.root, { recursive: true, force: true });

  const serverLogs = new Map<string, number>();
  for (const l of client.serverLogs) {
    const key = (l.message.split("\n")[0] ?? "").replace(/\/tmp\/landlock-soak-[^\s/]+/g, "<ws>").replace(/\d+/g, "N").slice(0, 160);
    serverLogs.set(key, (serverLogs.get(key) ?? 0) + 1);
  }
  const outcome: SoakOutcome = {
    seed: options.seed,
    startedAt,
    plannedDurationMs: options.durationMs,
    elapsedMs,
    requestLimit: options.maxRequests,
    rate: options.rate,
    requests,
    perKind,
    errorCodes,
    inputs,
    rss,
    warmupEndMs: warmupDoneMs ?? warmupEndMs,
    quietMs,
    stepTimes,
    rssBaseline,
    rssEnd,
    rssLimitBytes,
    serverLogs,
    unmatchedResponses: client.unmatchedResponses.length,
    failures: dedupe(failures),
    machine: `${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} at the end, Node ${process.version}`,
  };
  return { outcome, markdown: renderMarkdown(outcome, MALFORMED_NOTES), summary: summaryLine(outcome), ok: outcome.failures.length === 0 };
}

/** The same failure repeated (an error answer every step) is listed once with its count. */
function dedupe(failures: string[]): string[] {
  const counts = new Map<string, number>();
  for (const f of failures) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts].map(([f, n]) => (n > 1 ? `${f} (x${n})` : f));
}

