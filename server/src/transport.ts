// The stdio transport. vscode-jsonrpc's stream reader, on a malformed header block (no
// Content-Length, a non-numeric one, a line without a colon), consumes the block, reports
// the error and stops reading until the next chunk arrives: messages already buffered
// behind the bad block would wait for the client's next keystroke. This reader re-runs the
// read loop on what is buffered after every error, so they are handled at once.
//
// Passing our own reader and writer turns off what vscode-languageserver does for a plain
// `--stdio`; both are redone here: console output goes to the client's log (stdout carries
// the protocol), and the process exits when stdin ends. Input is also what tells the
// server it is idle, when it gives unused heap back (idle-collect.ts).

import { inspect } from "node:util";
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter, type Connection } from "vscode-languageserver/node";
import { collectWhenIdle } from "./idle-collect.js";

/** A writer that reports each message it writes (the server is busy while it sends: progress, diagnostics). */
class ObservedMessageWriter extends StreamMessageWriter {
  constructor(
    writable: NodeJS.WritableStream,
    private readonly onWrite: () => void,
  ) {
    super(writable);
  }

  override write(message: Parameters<StreamMessageWriter["write"]>[0]): Promise<void> {
    this.onWrite();
    return super.write(message);
  }
}

export class ResynchronisingMessageReader extends StreamMessageReader {
  constructor(readable: NodeJS.ReadableStream) {
    super(readable);
    this.onError(() => setImmediate(() => this.readBuffered()));
  }

  private readBuffered(): void {
    // `onData` is the reader's own loop (private in its typings); an empty chunk runs it over the buffer.
    (this as unknown as { onData(data: Uint8Array): void }).onData(new Uint8Array(0));
  }
}

function routeConsole(connection: Connection): void {
  const text = (args: unknown[]) => args.map((a) => (typeof a === "string" ? a : inspect(a))).join(" ");
  console.log = console.info = console.debug = (...args: unknown[]) => connection.console.log(text(args));
  console.warn = (...args: unknown[]) => connection.console.warn(text(args));
  console.error = (...args: unknown[]) => connection.console.error(text(args));
}

/** The connection over stdin/stdout; `shutDown` says whether the client asked for shutdown (exit status 0 then). */
export function createStdioConnection(shutDown: () => boolean): Connection {
  const activity: (() => void)[] = [];
  const active = () => activity.forEach((f) => f());
  const connection = createConnection(ProposedFeatures.all, new ResynchronisingMessageReader(process.stdin), new ObservedMessageWriter(process.stdout, active));
  routeConsole(connection);
  const exit = () => process.exit(shutDown() ? 0 : 1);
  process.stdin.on("end", exit);
  process.stdin.on("close", exit);
  process.stdin.on("data", active);
  // Idle: nothing read and nothing written (indexing reports progress as it goes).
  collectWhenIdle((listener) => activity.push(listener));
  return connection;
}
