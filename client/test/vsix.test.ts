// `package-vsix.mjs` builds the extension package; the .vsix must hold the bundled
// extension and server with the grammars next to it, stay small, and the server taken out
// of it (no node_modules around) must analyse C and TypeScript.

import { it } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readZip } from "./zip";

const CLIENT = join(__dirname, "..", "..");
const ROOT = join(CLIENT, "..");
const MAX_VSIX_BYTES = 4 * 1024 * 1024;

interface Published {
  uri: string;
  diagnostics: { code?: string; range: { start: { line: number } } }[];
}

/** Opens documents in a server and collects the first diagnostics of each (raw LSP over stdio). */
function diagnosticsFrom(serverPath: string, documents: { uri: string; languageId: string; text: string }[], cwd: string): Promise<Map<string, Published>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverPath, "--stdio"], { cwd });
    const got = new Map<string, Published>();
    let stderr = "";
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no diagnostics for every document within 60 s; stderr: ${stderr}`));
    }, 60_000);
    const send = (message: object) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }));
      child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
      child.stdin.write(body);
    };
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", () => {
      clearTimeout(timer);
      if (got.size === documents.length) resolve(got);
      else reject(new Error(`the server exited early; stderr: ${stderr}`));
    });
    child.stdout.on("data", (d: Buffer) => {
      buffer = Buffer.concat([buffer, d]);
      for (;;) {
        const header = buffer.indexOf("\r\n\r\n");
        if (header < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.toString("latin1", 0, header))?.[1]);
        if (buffer.length < header + 4 + length) return;
        const message = JSON.parse(buffer.toString("utf8", header + 4, header + 4 + length));
        buffer = buffer.subarray(header + 4 + length);
        if (message.method === "textDocument/publishDiagnostics" && !got.has(message.params.uri)) {
          got.set(message.params.uri, message.params);
          if (got.size === documents.length) {
            send({ id: 2, method: "shutdown" });
            send({ method: "exit" });
          }
        }
      }
    });
    send({ id: 1, method: "initialize", params: { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { indexWorkspace: false } } });
    send({ method: "initialized", params: {} });
    for (const d of documents) send({ method: "textDocument/didOpen", params: { textDocument: { ...d, version: 1 } } });
  });
}

it("packages a small .vsix holding the bundled server, which runs on its own", async () => {
  const serverBuilt = join(ROOT, "server", "dist", "src", "main.js");
  assert.ok(existsSync(serverBuilt), "build the workspaces first (npm run build)");
  const work = mkdtempSync(join(tmpdir(), "landlock-vsix-"));
  const vsix = join(work, "landlock.vsix");
  const r = spawnSync(process.execPath, [join(CLIENT, "scripts", "package-vsix.mjs"), "--out", vsix], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
  assert.equal(r.status, 0, `package-vsix failed:\n${r.stdout}\n${r.stderr}`);

  const entries = readZip(vsix);
  const names = entries.map((e) => e.name).sort();
  for (const name of ["extension/package.json", "extension/out/extension.js", "extension/out/server.mjs", "extension/out/web-tree-sitter.wasm", ...["c", "cpp", "go", "rust"].map((g) => `extension/out/tree-sitter-${g}.wasm`)]) {
    assert.ok(names.includes(name), `${name} missing from the .vsix: ${names.join(", ")}`);
  }
  assert.ok(!names.some((n) => n.includes("node_modules/") || n.includes("/src/") || n.includes("/test/") || n.endsWith(".map")), `dev files in the .vsix: ${names.join(", ")}`);
  const { size } = await import("node:fs").then((fs) => fs.statSync(vsix));
  assert.ok(size < MAX_VSIX_BYTES, `the .vsix is ${(size / 1048576).toFixed(2)} MB`);
  const manifest = JSON.parse(entries.find((e) => e.name === "extension/package.json")!.read().toString("utf8"));
  assert.equal(manifest.main, "./out/extension.js");
  assert.equal(manifest.engines.vscode, "^1.91.0");
  assert.ok(manifest.activationEvents.includes("onLanguage:c"));

  // The server out of the package, away from the repository's node_modules.
  const extracted = join(work, "extracted");
  for (const e of entries.filter((x) => x.name.startsWith("extension/out/"))) {
    const target = join(extracted, e.name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, e.read());
  }
  const cText = "#include <pthread.h>\nint main(void) {\n\tpthread_t t;\n\tpthread_create(&t, 0, 0, 0);\n\tprctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);\n\tif (landlock_restrict_self(3, 0))\n\t\treturn 1;\n\treturn 0;\n}\n";
  const tsText = "import koffi from 'koffi';\nconst lib = koffi.load('libc.so.6');\nconst syscall = lib.func('long syscall(long, long, long)');\nexport function sandbox(fd: number): void {\n\tif (syscall(446, fd, 0) !== 0) throw new Error('landlock');\n}\nsandbox(3);\n";
  const got = await diagnosticsFrom(join(extracted, "extension", "out", "server.mjs"), [
    { uri: "untitled:check.c", languageId: "c", text: cText },
    { uri: "untitled:check.ts", languageId: "typescript", text: tsText },
  ], work);
  const c = got.get("untitled:check.c")!;
  assert.deepEqual(c.diagnostics.map((d) => [d.code, d.range.start.line]), [["landlock/single-thread-restrict", 5]]);
  const ts = got.get("untitled:check.ts")!;
  assert.ok(ts.diagnostics.some((d) => d.code === "landlock/single-thread-restrict" && d.range.start.line === 4), `TypeScript: ${JSON.stringify(ts.diagnostics)}`);
});
