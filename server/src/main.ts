#!/usr/bin/env -S node --max-semi-space-size=4
// landlock-language-server: the LSP server over stdio (also --node-ipc / --socket=<port>,
// which vscode-languageserver reads from the command line).
// The young generation is capped (the shebang's flag; the VS Code client passes the same
// flag): with V8's default it grows to 32 MB during a burst of opens and stays resident,
// which was most of the server's memory growth over 500 opened and closed documents.
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { startServer, type RunningServer } from "./server.js";
import { createStdioConnection } from "./transport.js";

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  process.stdout.write("usage: landlock-language-server --stdio\n\nLanguage server for landlock-lint: diagnostics, hovers with the simulated consequence,\nquick fixes, a Simulate code lens and the landlock/simulate request.\n");
  process.exit(0);
}
if (args.includes("--version")) {
  process.stdout.write("0.1.0\n");
  process.exit(0);
}
if (!args.some((a) => a === "--stdio" || a === "--node-ipc" || a.startsWith("--socket=") || a.startsWith("--pipe="))) {
  process.stderr.write("landlock-language-server: give a transport, e.g. --stdio (see --help)\n");
  process.exit(2);
}
let server: RunningServer | undefined;
const connection = args.includes("--stdio") ? createStdioConnection(() => server?.shutDown() ?? false) : createConnection(ProposedFeatures.all);
server = startServer(connection);
