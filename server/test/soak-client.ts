// The soak's client: the language server as a child process over stdio, spoken to with
// hand-written JSON-RPC framing (not vscode-jsonrpc) so that the soak can also write raw,
// malformed bytes and ids of any type, and so that every write is one whole chunk (a raw
// write can never land between another message's header and body).

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";

export interface ResponseError {
  code: number;
  message: string;
}

export interface Response {
  id: unknown;
  result?: unknown;
  error?: ResponseError;
}

interface Pending {
  resolve: (response: Response) => void;
  method: string;
}

/** Answers the requests the server sends to its client (configuration, registrations, progress). */
export type ServerRequestHandler = (method: string, params: unknown) => unknown;

export interface ServerLog {
  type: number;
  message: string;
}

const HEADER_END = Buffer.from("\r\n\r\n");

export function frame(body: string | Buffer): Buffer {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, "ascii"), bytes]);
}

export class SoakClient {
  private buffer: Buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  /** Responses whose id matches no request we sent (a server answering `id: null`, say). */
  readonly unmatchedResponses: Response[] = [];
  readonly notificationCounts = new Map<string, number>();
  /** window/logMessage and window/showMessage of type Error (1) or Warning (2). */
  readonly serverLogs: ServerLog[] = [];
  /** Bytes from the server's stdout that were not a well-formed message. */
  readonly protocolViolations: string[] = [];
  private stderrTail = "";
  /** Work-done progress the server has begun and not ended (workspace indexing). */
  progressRunning = 0;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exitStatus?: { code: number | null; signal: NodeJS.Signals | null };
  private onExitListeners: (() => void)[] = [];

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    private readonly answerServer: ServerRequestHandler,
  ) {
    this.exited = new Promise((resolve) =>
      child.on("exit", (code, signal) => {
        this.exitStatus = { code, signal };
        for (const f of this.onExitListeners) f();
        resolve(this.exitStatus);
      }),
    );
    child.stdout.on("data", (d: Buffer) => this.onData(d));
    child.stderr.on("data", (d: Buffer) => (this.stderrTail = (this.stderrTail + d.toString()).slice(-4000)));
    // A write after the server died must not take the driver down with EPIPE.
    child.stdin.on("error", () => undefined);
  }

  /** `nodeArgs` go to the server's node (`--trace-gc`, `--max-old-space-size=...`); `stderrFile` keeps all its stderr. */
  static start(serverMain: string, answerServer: ServerRequestHandler, nodeArgs: string[] = [], stderrFile?: string): SoakClient {
    const child = spawn(process.execPath, [...nodeArgs, serverMain, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
    if (stderrFile) child.stderr.on("data", (d: Buffer) => appendFileSync(stderrFile, d));
    return new SoakClient(child, answerServer);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.exitStatus === undefined;
  }

  get stderr(): string {
    return this.stderrTail;
  }

  /** Ids sent that have no answer yet, with their methods. */
  outstanding(): { id: string; method: string }[] {
    return [...this.pending].map(([id, p]) => ({ id, method: p.method }));
  }

  /** Resident memory of the server in bytes (VmRSS), or undefined once it is gone. */
  rssBytes(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
      const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
      return kb === undefined ? undefined : Number(kb) * 1024;
    } catch {
      return undefined;
    }
  }

  writeRaw(bytes: Buffer | string): void {
    if (!this.alive) return;
    this.child.stdin.write(bytes);
  }

  send(message: object): void {
    this.writeRaw(frame(JSON.stringify(message)));
  }

  notify(method: string, params?: unknown): void {
    this.send(params === undefined ? { jsonrpc: "2.0", method } : { jsonrpc: "2.0", method, params });
  }

  /** Sends a request and returns its id and a promise of the answer (never rejected: the driver times out itself). */
  request(method: string, params?: unknown, id: number | string = this.nextId++): { id: number | string; answer: Promise<Response> } {
    const message = params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params };
    return { id, answer: this.expect(id, method, () => this.send(message)) };
  }

  /** Registers `id` as awaiting an answer, then runs `write` (which sends the request in whatever form). */
  expect(id: number | string, method: string, write: () => void): Promise<Response> {
    const key = JSON.stringify(id);
    if (this.pending.has(key)) throw new Error(`soak: request id ${key} is already in flight`);
    const answer = new Promise<Response>((resolve) => this.pending.set(key, { resolve, method }));
    write();
    return answer;
  }

  freshId(): number {
    return this.nextId++;
  }

  onExit(listener: () => void): void {
    this.onExitListeners.push(listener);
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf(HEADER_END);
      if (headerEnd < 0) return;
      const header = this.buffer.toString("ascii", 0, headerEnd);
      const length = Number(/^Content-Length:\s*(\d+)\s*$/im.exec(header)?.[1]);
      if (!Number.isInteger(length)) {
        this.protocolViolations.push(`header without a Content-Length: ${JSON.stringify(header.slice(0, 200))}`);
        this.buffer = this.buffer.subarray(headerEnd + HEADER_END.length);
        continue;
      }
      const bodyStart = headerEnd + HEADER_END.length;
      if (this.buffer.length < bodyStart + length) return;
      const body = this.buffer.toString("utf8", bodyStart, bodyStart + length);
      this.buffer = this.buffer.subarray(bodyStart + length);
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(body) as Record<string, unknown>;
      } catch {
        this.protocolViolations.push(`a body that is not JSON: ${JSON.stringify(body.slice(0, 200))}`);
        continue;
      }
      this.dispatch(message);
    }
  }

  private dispatch(message: Record<string, unknown>): void {
    if (message.jsonrpc !== "2.0") this.protocolViolations.push(`a message without jsonrpc "2.0": ${JSON.stringify(message).slice(0, 200)}`);
    if (typeof message.method === "string") {
      if ("id" in message) {
        let result: unknown;
        try {
          result = this.answerServer(message.method, message.params);
        } catch (e) {
          this.send({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: e instanceof Error ? e.message : String(e) } });
          return;
        }
        this.send({ jsonrpc: "2.0", id: message.id, result: result ?? null });
        return;
      }
      this.notificationCounts.set(message.method, (this.notificationCounts.get(message.method) ?? 0) + 1);
      if (message.method === "$/progress") {
        const kind = (message.params as { value?: { kind?: string } } | undefined)?.value?.kind;
        if (kind === "begin") this.progressRunning++;
        if (kind === "end") this.progressRunning = Math.max(0, this.progressRunning - 1);
      }
      if (message.method === "window/logMessage" || message.method === "window/showMessage") {
        const p = message.params as ServerLog | undefined;
        if (p && p.type <= 2) this.serverLogs.push({ type: p.type, message: String(p.message) });
      }
      return;
    }
    const response = message as unknown as Response;
    const key = JSON.stringify(message.id);
    const waiting = this.pending.get(key);
    if (!waiting) {
      this.unmatchedResponses.push(response);
      return;
    }
    this.pending.delete(key);
    if (!("result" in message) && !(message.error && typeof message.error === "object")) {
      this.protocolViolations.push(`a response with neither result nor error: ${JSON.stringify(message).slice(0, 200)}`);
    }
    waiting.resolve(response);
  }
}
