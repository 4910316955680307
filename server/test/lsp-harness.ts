// A real LSP client for the tests: spawns the built server over stdio and talks to it with
// vscode-jsonrpc, answering the requests a client answers (configuration, progress
// creation, registrations) and recording what the server sends.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";

export const SERVER_MAIN = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "main.js");

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
  codeDescription?: { href: string };
  relatedInformation?: { location: { uri: string; range: Diagnostic["range"] }; message: string }[];
  tags?: number[];
  data?: unknown;
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export interface ClientOptions {
  workspaceFolder?: string;
  /** The `landlock` section returned to workspace/configuration. */
  settings?: unknown;
  initializationOptions?: Record<string, unknown>;
  /** Client capabilities beyond the defaults (configuration pull, progress). */
  capabilities?: Record<string, unknown>;
}

export class TestClient {
  readonly published: PublishedDiagnostics[] = [];
  readonly messages: { type: number; message: string }[] = [];
  readonly logs: string[] = [];
  readonly progress: unknown[] = [];
  settings: unknown;
  /** The server's answer to initialize. */
  initResult?: { capabilities: Record<string, unknown>; serverInfo?: { name: string } };
  private waiters: (() => void)[] = [];
  private exited?: Promise<number | null>;

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: MessageConnection,
  ) {}

  static async start(options: ClientOptions = {}): Promise<TestClient> {
    const child = spawn(process.execPath, [SERVER_MAIN, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new TestClient(child, connection);
    client.settings = options.settings ?? {};
    client.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
    child.stderr.on("data", (d: Buffer) => client.logs.push(d.toString()));
    connection.onNotification("textDocument/publishDiagnostics", (p: PublishedDiagnostics) => {
      client.published.push(p);
      client.wake();
    });
    connection.onNotification("window/showMessage", (p: { type: number; message: string }) => {
      client.messages.push(p);
      client.wake();
    });
    connection.onNotification("window/logMessage", (p: { message: string }) => {
      client.logs.push(p.message);
      client.wake();
    });
    connection.onNotification("$/progress", (p: unknown) => {
      client.progress.push(p);
      client.wake();
    });
    connection.onRequest("workspace/configuration", (p: { items: { section?: string }[] }) => p.items.map(() => client.settings));
    connection.onRequest("window/workDoneProgress/create", () => null);
    connection.onRequest("client/registerCapability", () => null);
    connection.onRequest("window/showMessageRequest", () => null);
    connection.listen();
    const folder = options.workspaceFolder;
    client.initResult = await connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: folder ? pathToFileURL(folder).toString() : null,
      workspaceFolders: folder ? [{ uri: pathToFileURL(folder).toString(), name: "ws" }] : null,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, tagSupport: { valueSet: [1, 2] } } },
        ...options.capabilities,
      },
      initializationOptions: { debounceMs: 5, ...options.initializationOptions },
    });
    await connection.sendNotification("initialized", {});
    return client;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Waits until `test` holds (checked on every message), or fails after `timeoutMs` with `what`. */
  async until<T>(what: string, test: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = test();
      if (v) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; server log:\n${this.logs.join("").slice(-3000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The first diagnostics for `uri` published after index `from` that satisfy `test`. */
  diagnosticsFor(uri: string, test: (p: PublishedDiagnostics) => boolean = () => true, from = 0, timeoutMs?: number): Promise<PublishedDiagnostics> {
    return this.until(`diagnostics for ${uri}`, () => this.published.slice(from).find((p) => p.uri === uri && test(p)), timeoutMs);
  }

  open(path: string, text: string, languageId: string, version = 1): string {
    const uri = pathToFileURL(path).toString();
    void this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId, version, text } });
    return uri;
  }

  change(uri: string, version: number, contentChanges: unknown[]): void {
    void this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): void {
    void this.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** shutdown + exit; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.process.exitCode !== null) return this.process.exitCode;
    try {
      await this.connection.sendRequest("shutdown");
      await this.connection.sendNotification("exit");
    } catch {
      this.process.kill();
    }
    const code = await Promise.race([this.exited!, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 5000))]);
    if (code === "timeout") {
      this.process.kill();
      throw new Error("the server did not exit after shutdown/exit");
    }
    this.connection.dispose();
    return code;
  }
}

/** A temporary project folder with the given files (a `.landlock-lint.json` marks its root). */
export function makeProject(files: Record<string, string>, config: unknown = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "landlock-lsp-"));
  writeFileSync(join(dir, ".landlock-lint.json"), JSON.stringify(config));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Applies LSP text edits (one document) to a text, last first. */
export function applyEdits(text: string, edits: { range: Diagnostic["range"]; newText: string }[]): string {
  const lines = text.split("\n");
  const offset = (p: { line: number; character: number }) => {
    let o = 0;
    for (let i = 0; i < p.line; i++) o += lines[i]!.length + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/**
 * Writes raw JSON-RPC messages to a fresh server in one chunk (so they are all queued before
 * the server handles the first) and collects its messages until `done` says so.
 */
export function rawSession(messages: object[], done: (received: Record<string, unknown>[]) => boolean, timeoutMs = 30_000): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER_MAIN, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
    const received: Record<string, unknown>[] = [];
    let stderr = "";
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`raw session timed out; received ${JSON.stringify(received).slice(0, 2000)}; stderr ${stderr}`));
    }, timeoutMs);
    const frame = (m: object) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...m }));
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
    };
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      buffer = Buffer.concat([buffer, d]);
      for (;;) {
        const header = buffer.indexOf("\r\n\r\n");
        if (header < 0) break;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.toString("latin1", 0, header))?.[1]);
        if (buffer.length < header + 4 + length) break;
        received.push(JSON.parse(buffer.toString("utf8", header + 4, header + 4 + length)));
        buffer = buffer.subarray(header + 4 + length);
      }
      if (done(received)) {
        clearTimeout(timer);
        child.stdin.write(Buffer.concat([frame({ id: "shutdown", method: "shutdown" }), frame({ method: "exit" })]));
        child.on("exit", () => resolve(received));
      }
    });
    child.stdin.write(Buffer.concat(messages.map(frame)));
  });
}
