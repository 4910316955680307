// The server over stdio, driven by a real JSON-RPC client: lifecycle, diagnostics,
// incremental edits, hover, code actions applied to the text, code lens, landlock/simulate,
// configuration, cross-file re-checks, malformed input.

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { TestClient, makeProject, applyEdits, rawSession, type Diagnostic, type PublishedDiagnostics } from "./lsp-harness.js";
import { CLEAN_C, MAIN_C, RESTRICT_CHAR, RESTRICT_LINE, WORKERS_C } from "./samples.js";

const SINGLE = "landlock/single-thread-restrict";
const has = (rule: string) => (p: PublishedDiagnostics) => p.diagnostics.some((d) => d.code === rule);
const hasNot = (rule: string) => (p: PublishedDiagnostics) => !p.diagnostics.some((d) => d.code === rule);

interface CodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  edit?: { changes: Record<string, { range: Diagnostic["range"]; newText: string }[]> };
  command?: { command: string; arguments?: unknown[] };
}

describe("language server over stdio", () => {
  let dir: string;
  let client: TestClient;
  let mainUri: string;
  let mainText = MAIN_C;
  let version = 1;

  before(async () => {
    dir = makeProject({ "main.c": MAIN_C, "workers.c": WORKERS_C, "clean.c": CLEAN_C });
    client = await TestClient.start({ workspaceFolder: dir });
    mainUri = client.open(join(dir, "main.c"), MAIN_C, "c", version);
  });

  after(async () => {
    if (client) await client.stop().catch(() => undefined);
  });

  it("announces incremental sync, hover, code actions, code lens and the simulate command", () => {
    const caps = client.initResult!.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ["quickfix"] });
    assert.deepEqual(caps.codeLensProvider, { resolveProvider: false });
    assert.deepEqual(caps.executeCommandProvider, { commands: ["landlock.simulate"] });
    assert.equal(client.initResult!.serverInfo?.name, "landlock-language-server");
  });

  it("publishes the cross-file finding with range, related information and the rule's docs", async () => {
    const p = await client.diagnosticsFor(mainUri, has(SINGLE));
    assert.equal(p.version, 1);
    const d = p.diagnostics.find((x) => x.code === SINGLE)!;
    assert.deepEqual(d.range, { start: { line: RESTRICT_LINE, character: RESTRICT_CHAR }, end: { line: RESTRICT_LINE, character: RESTRICT_CHAR + "syscall".length } });
    assert.equal(d.severity, 1);
    assert.equal(d.source, "landlock");
    assert.match(d.message, /workers\.c:7 \(pthread_create\)/);
    assert.match(d.codeDescription!.href, /docs\/rules\/single-thread-restrict\.md$/);
    const spawn = d.relatedInformation!.find((r) => r.message.includes("thread started"));
    assert.ok(spawn, "related information names the spawn");
    assert.equal(spawn.location.uri, pathToFileURL(join(dir, "workers.c")).toString());
    assert.equal(spawn.location.range.start.line, 6);
  });

  it("reports workspace indexing progress (begin, end)", async () => {
    await client.until("progress end", () => client.progress.some((p) => (p as { value?: { kind?: string } }).value?.kind === "end"));
    const kinds = client.progress.map((p) => (p as { value: { kind: string } }).value.kind);
    assert.equal(kinds[0], "begin");
    assert.equal(kinds.at(-1), "end");
  });

  it("follows incremental edits: adding TSYNC clears the finding, removing it brings it back", async () => {
    const line = mainText.split("\n")[RESTRICT_LINE]!;
    const col = line.indexOf("fd, 0)") + "fd, ".length;
    const from = client.published.length;
    client.change(mainUri, ++version, [{ range: { start: { line: RESTRICT_LINE, character: col }, end: { line: RESTRICT_LINE, character: col + 1 } }, text: "LANDLOCK_RESTRICT_SELF_TSYNC" }]);
    const cleared = await client.diagnosticsFor(mainUri, (p) => p.version === version, from);
    assert.ok(hasNot(SINGLE)(cleared), `still reported after adding TSYNC: ${JSON.stringify(cleared.diagnostics.map((d) => d.code))}`);
    const from2 = client.published.length;
    client.change(mainUri, ++version, [{ range: { start: { line: RESTRICT_LINE, character: col }, end: { line: RESTRICT_LINE, character: col + "LANDLOCK_RESTRICT_SELF_TSYNC".length } }, text: "0" }]);
    const back = await client.diagnosticsFor(mainUri, (p) => p.version === version, from2);
    assert.ok(has(SINGLE)(back));
  });

  it("publishes only the newest version after a burst of edits, never an older one after it", async () => {
    const from = client.published.length;
    const blank = mainText.split("\n").length - 1;
    for (let i = 0; i < 5; i++) client.change(mainUri, ++version, [{ range: { start: { line: blank, character: 0 }, end: { line: blank, character: 0 } }, text: `/* ${i} */` }]);
    const last = await client.diagnosticsFor(mainUri, (p) => p.version === version, from);
    assert.ok(has(SINGLE)(last));
    await new Promise((r) => setTimeout(r, 100));
    const versions = client.published.slice(from).filter((p) => p.uri === mainUri).map((p) => p.version ?? 0);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `versions out of order: ${versions}`);
    assert.ok(versions.length < 5, `debounce should merge the burst, published ${versions.length} times`);
    // Undo: remove what was typed (one ranged change covering all of it).
    const typed = Array.from({ length: 5 }, (_, i) => `/* ${i} */`).reverse().join("");
    client.change(mainUri, ++version, [{ range: { start: { line: blank, character: 0 }, end: { line: blank, character: typed.length } }, text: "" }]);
    await client.diagnosticsFor(mainUri, (p) => p.version === version, from);
  });

  it("hovers a flagged call with the simulated consequence (threads, domains, lanes)", async () => {
    const hover = await client.request<{ contents: { kind: string; value: string }; range: Diagnostic["range"] }>("textDocument/hover", {
      textDocument: { uri: mainUri },
      position: { line: RESTRICT_LINE, character: RESTRICT_CHAR + 2 },
    });
    assert.equal(hover.contents.kind, "markdown");
    const md = hover.contents.value;
    assert.match(md, /\*\*landlock\/single-thread-restrict\*\*/);
    assert.match(md, /workers\.c:7: thread started here \(pthread_create\)/);
    assert.match(md, /t7 is not in any domain: it can still open \/etc\/shadow/);
    assert.match(md, /main cannot open \/etc\/shadow/);
    assert.match(md, /```text\n[\s\S]*│ main \(p1\)[\s\S]*│ t7 \(p1\)/);
    assert.equal(hover.range.start.line, RESTRICT_LINE);
  });

  it("hovers a restrict_self call without a finding, and answers null elsewhere", async () => {
    const cleanUri = client.open(join(dir, "clean.c"), CLEAN_C, "c");
    const published = await client.diagnosticsFor(cleanUri);
    assert.deepEqual(published.diagnostics, []);
    const line = CLEAN_C.split("\n").findIndex((l) => l.includes("SYS_landlock_restrict_self"));
    const hover = await client.request<{ contents: { value: string } }>("textDocument/hover", { textDocument: { uri: cleanUri }, position: { line, character: 7 } });
    assert.match(hover.contents.value, /no landlock finding on this call/);
    assert.match(hover.contents.value, /main cannot open \/etc\/shadow/);
    const none = await client.request("textDocument/hover", { textDocument: { uri: cleanUri }, position: { line: 0, character: 2 } });
    assert.equal(none, null);
    const lenses = await client.request<{ command: { title: string } }[]>("textDocument/codeLens", { textDocument: { uri: cleanUri } });
    assert.deepEqual(lenses.map((l) => l.command.title), ["Simulate"]);
    client.close(cleanUri);
    await client.diagnosticsFor(cleanUri, (p) => p.version === undefined && p.diagnostics.length === 0, client.published.indexOf(published) + 1);
  });

  it("offers the analyzer's suggestion; applied to the text, the finding goes away", async () => {
    const diags = (await client.diagnosticsFor(mainUri, (p) => p.version === version)).diagnostics;
    const d = diags.find((x) => x.code === SINGLE)!;
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: mainUri }, range: d.range, context: { diagnostics: [d] } });
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes(`Disable ${SINGLE} for this line`), titles.join(" | "));
    assert.ok(titles.includes(`Show simulation of ${SINGLE}`));
    const fix = actions.find((a) => a.edit && /TSYNC/.test(a.title))!;
    assert.ok(fix, `no TSYNC fix among ${titles.join(" | ")}`);
    const fixed = applyEdits(mainText, fix.edit!.changes[mainUri]!);
    assert.match(fixed, /LANDLOCK_RESTRICT_SELF_TSYNC\)\)/);
    const from = client.published.length;
    client.change(mainUri, ++version, [{ text: fixed }]);
    const after = await client.diagnosticsFor(mainUri, (p) => p.version === version, from);
    assert.ok(hasNot(SINGLE)(after), JSON.stringify(after.diagnostics.map((x) => x.message)));
    const from2 = client.published.length;
    client.change(mainUri, ++version, [{ text: mainText }]);
    await client.diagnosticsFor(mainUri, (p) => p.version === version && has(SINGLE)(p), from2);
  });

  it("'disable for this line' inserts a landlock-lint comment that silences the finding", async () => {
    const d = (await client.diagnosticsFor(mainUri, (p) => p.version === version)).diagnostics.find((x) => x.code === SINGLE)!;
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: mainUri }, range: d.range, context: { diagnostics: [d] } });
    const disable = actions.find((a) => a.title === `Disable ${SINGLE} for this line`)!;
    const edited = applyEdits(mainText, disable.edit!.changes[mainUri]!);
    assert.equal(edited.split("\n")[RESTRICT_LINE], `\t// landlock-lint-disable-next-line ${SINGLE} -- explain why this is safe`);
    const from = client.published.length;
    client.change(mainUri, ++version, [{ text: edited }]);
    const after = await client.diagnosticsFor(mainUri, (p) => p.version === version, from);
    assert.ok(hasNot(SINGLE)(after));
    const from2 = client.published.length;
    client.change(mainUri, ++version, [{ text: mainText }]);
    await client.diagnosticsFor(mainUri, (p) => p.version === version && has(SINGLE)(p), from2);
  });

  it("puts a Simulate lens on the restrict_self call; landlock/simulate returns the trace and the HTML timeline", async () => {
    const lenses = await client.request<{ range: Diagnostic["range"]; command: { title: string; command: string; arguments: unknown[] } }[]>("textDocument/codeLens", { textDocument: { uri: mainUri } });
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0]!.range.start.line, RESTRICT_LINE);
    assert.equal(lenses[0]!.command.command, "landlock.simulate");
    assert.equal(lenses[0]!.command.title, `Simulate (${SINGLE})`);
    const result = await client.request<{ title: string; ruleId: string; trace: { threads: { id: string; domain: string | null }[] }; html: string; text: string; summary: string[] }>(
      "landlock/simulate",
      lenses[0]!.command.arguments[0],
    );
    assert.equal(result.ruleId, SINGLE);
    const threads = result.trace.threads.map((t) => t.id).sort();
    assert.deepEqual(threads, ["main", "t7"]);
    assert.ok(result.trace.threads.find((t) => t.id === "main")!.domain, "main ends in a domain");
    assert.equal(result.trace.threads.find((t) => t.id === "t7")!.domain, null);
    assert.match(result.html, /<svg[\s\S]*main[\s\S]*t7/);
    assert.match(result.text, /What this means/);
    // The same through workspace/executeCommand (generic clients' path for the lens).
    const viaCommand = await client.request<{ ruleId: string }>("workspace/executeCommand", { command: "landlock.simulate", arguments: lenses[0]!.command.arguments });
    assert.equal(viaCommand.ruleId, SINGLE);
  });

  it("re-checks the callers when a helper file is edited", async () => {
    const workersUri = client.open(join(dir, "workers.c"), WORKERS_C, "c");
    await client.diagnosticsFor(workersUri);
    const from = client.published.length;
    const spawnLine = WORKERS_C.split("\n").findIndex((l) => l.includes("pthread_create"));
    client.change(workersUri, 2, [{ range: { start: { line: spawnLine, character: 0 }, end: { line: spawnLine + 1, character: 0 } }, text: "" }]);
    const main = await client.diagnosticsFor(mainUri, hasNot(SINGLE), from);
    assert.equal(main.version, version, "the caller's diagnostics are for its current text");
    const from2 = client.published.length;
    client.change(workersUri, 3, [{ range: { start: { line: spawnLine, character: 0 }, end: { line: spawnLine, character: 0 } }, text: WORKERS_C.split("\n")[spawnLine] + "\n" }]);
    await client.diagnosticsFor(mainUri, has(SINGLE), from2);
    client.close(workersUri);
  });

  it("applies a configuration change, and reports bad settings while keeping the defaults", async () => {
    client.settings = { rules: { [SINGLE]: "off" } };
    let from = client.published.length;
    await client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    await client.diagnosticsFor(mainUri, hasNot(SINGLE), from);
    client.settings = { targetAbi: 99, rules: { "no-such-rule": "error" } };
    from = client.published.length;
    const messages = client.messages.length;
    await client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    await client.diagnosticsFor(mainUri, has(SINGLE), from);
    const warning = await client.until("a settings warning", () => client.messages.slice(messages).find((m) => m.message.includes("landlock.targetAbi")));
    assert.equal(warning.type, 2);
    assert.match(warning.message, /landlock\.targetAbi: must be from 1 to 11 \(got 99\)/);
    assert.match(warning.message, /landlock\.rules\.no-such-rule: unknown rule name/);
    client.settings = {};
    from = client.published.length;
    await client.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
    await client.diagnosticsFor(mainUri, has(SINGLE), from);
  });

  it("answers malformed requests with errors and keeps serving", async () => {
    await assert.rejects(client.request("textDocument/hover", { textDocument: {} }), (e: { code: number; message: string }) => e.code === -32602 && /textDocument\.uri/.test(e.message));
    await assert.rejects(client.request("textDocument/hover", { textDocument: { uri: mainUri }, position: { line: -1, character: "x" } }), (e: { code: number }) => e.code === -32602);
    await assert.rejects(client.request("landlock/nonexistent", {}), (e: { code: number }) => e.code === -32601);
    await assert.rejects(client.request("workspace/executeCommand", { command: "rm -rf", arguments: [] }), (e: { code: number }) => e.code === -32602);
    // A body that is not JSON, written straight to the server's input.
    const body = "{ this is not json";
    client.process.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    // Documents the server does not handle, and unreadable text, are ignored or analysed without a crash.
    client.open(join(dir, "notes.txt"), "hello", "plaintext");
    const binaryUri = client.open(join(dir, "blob.c"), "\u0000\u0001\u0002 int main( { landlock_restrict_self(", "c");
    const blob = await client.diagnosticsFor(binaryUri);
    assert.ok(Array.isArray(blob.diagnostics));
    const hover = await client.request<{ contents: { value: string } }>("textDocument/hover", { textDocument: { uri: mainUri }, position: { line: RESTRICT_LINE, character: RESTRICT_CHAR } });
    assert.match(hover.contents.value, /single-thread-restrict/);
    // A hover on a document that is not open is empty, not an error.
    assert.equal(await client.request("textDocument/hover", { textDocument: { uri: "file:///nowhere.c" }, position: { line: 0, character: 0 } }), null);
  });

  it("keeps an untitled buffer analysed on its own", async () => {
    const uri = "untitled:Untitled-1";
    void client.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "c", version: 1, text: MAIN_C.replace("start_workers();", "pthread_t t; pthread_create(&t, 0, 0, 0);") } });
    const p = await client.diagnosticsFor(uri, has(SINGLE));
    assert.equal(p.diagnostics.find((d) => d.code === SINGLE)!.range.start.line, RESTRICT_LINE);
  });

  it("shuts down and exits with status 0", async () => {
    const code = await client.stop();
    assert.equal(code, 0);
    assert.ok(!client.logs.join("").includes("TypeError"), client.logs.join(""));
  });
});

describe("language server edge cases", () => {
  it("answers RequestCancelled for a request cancelled before it ran", async () => {
    const dir = makeProject({ "main.c": MAIN_C, "workers.c": WORKERS_C });
    const uri = pathToFileURL(join(dir, "main.c")).toString();
    const received = await rawSession(
      [
        { id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {}, initializationOptions: { indexWorkspace: false } } },
        { method: "initialized", params: {} },
        { method: "textDocument/didOpen", params: { textDocument: { uri, languageId: "c", version: 1, text: MAIN_C } } },
        { id: 2, method: "textDocument/hover", params: { textDocument: { uri }, position: { line: RESTRICT_LINE, character: RESTRICT_CHAR } } },
        { method: "$/cancelRequest", params: { id: 2 } },
        { id: 3, method: "textDocument/hover", params: { textDocument: { uri }, position: { line: RESTRICT_LINE, character: RESTRICT_CHAR } } },
      ],
      (r) => r.some((m) => m.id === 3),
    );
    const cancelled = received.find((m) => m.id === 2) as { error?: { code: number } } | undefined;
    assert.equal(cancelled?.error?.code, -32800, JSON.stringify(cancelled));
    const answered = received.find((m) => m.id === 3) as { result?: { contents: { value: string } } };
    assert.match(answered.result!.contents.value, /single-thread-restrict/);
  });

  it("fades a suppression comment that silences nothing (tag Unnecessary)", async () => {
    const dir = makeProject({});
    const text = CLEAN_C.replace("\tif (syscall(SYS_landlock_restrict_self", "\t// landlock-lint-disable-next-line landlock/nesting-limit -- no loop here\n\tif (syscall(SYS_landlock_restrict_self");
    const client = await TestClient.start({ workspaceFolder: dir, initializationOptions: { indexWorkspace: false } });
    try {
      const uri = client.open(join(dir, "clean.c"), text, "c");
      const p = await client.diagnosticsFor(uri);
      const line = text.split("\n").findIndex((l) => l.includes("landlock-lint-disable-next-line"));
      assert.equal(p.diagnostics.length, 1, JSON.stringify(p.diagnostics));
      assert.equal(p.diagnostics[0]!.severity, 4);
      assert.deepEqual(p.diagnostics[0]!.tags, [1]);
      assert.equal(p.diagnostics[0]!.range.start.line, line);
      assert.match(p.diagnostics[0]!.message, /unused landlock-lint-disable-next-line directive/);
    } finally {
      await client.stop();
    }
  });

  it("reports a broken .landlock-lint.json on the first line and keeps serving", async () => {
    const dir = makeProject({ "main.c": MAIN_C, "workers.c": WORKERS_C });
    writeFileSync(join(dir, ".landlock-lint.json"), '{ "targetAbi": "eight" }');
    const client = await TestClient.start({ workspaceFolder: dir, initializationOptions: { indexWorkspace: false } });
    try {
      const uri = client.open(join(dir, "main.c"), MAIN_C, "c");
      const p = await client.diagnosticsFor(uri);
      assert.equal(p.diagnostics.length, 1, JSON.stringify(p.diagnostics));
      const d = p.diagnostics[0]!;
      assert.equal(d.severity, 3);
      assert.deepEqual(d.range.start, { line: 0, character: 0 });
      assert.match(d.message, /\.landlock-lint\.json: targetAbi: must be an integer \(got "eight"\)/);
      // Fixed on disk and announced by the client's file watcher: the finding comes back.
      writeFileSync(join(dir, ".landlock-lint.json"), "{}");
      const from = client.published.length;
      await client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: pathToFileURL(join(dir, ".landlock-lint.json")).toString(), type: 2 }] });
      await client.diagnosticsFor(uri, has(SINGLE), from);
    } finally {
      await client.stop();
    }
  });
});
