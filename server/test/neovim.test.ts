// End to end with a real editor: headless Neovim attaches the server with its built-in
// LSP client (vim.lsp.start_client + buf_attach_client, available since 0.5; Debian has
// 0.7.2), reads the diagnostics it received and applies a code action. Skips, saying why,
// only where Neovim is not installed (CI installs it).

import { it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SERVER_MAIN, makeProject } from "./lsp-harness.js";
import { MAIN_C, RESTRICT_CHAR, RESTRICT_LINE, WORKERS_C } from "./samples.js";

const LUA = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "test", "neovim.lua");

function neovimVersion(): string | undefined {
  const r = spawnSync("nvim", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n")[0] : undefined;
}

const version = neovimVersion();
if (!version) console.log("# skipping the Neovim test: nvim is not installed (apt-get install neovim)");

it("Neovim receives the diagnostics, shows the hover and applies a code action", { skip: version ? false : "nvim is not installed" }, () => {
  assert.ok(existsSync(LUA), `missing ${LUA}`);
  const dir = makeProject({ "main.c": MAIN_C, "workers.c": WORKERS_C });
  const out = join(dir, "nvim-result.json");
  const r = spawnSync("nvim", ["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", `luafile ${LUA}`], {
    cwd: dir,
    env: { ...process.env, LANDLOCK_NVIM_OUT: out, LANDLOCK_NVIM_FILE: join(dir, "main.c"), LANDLOCK_SERVER_MAIN: SERVER_MAIN, LANDLOCK_NODE: process.execPath, LANDLOCK_NVIM_ROOT: dir },
    encoding: "utf8",
    timeout: 90_000,
  });
  assert.ok(existsSync(out), `Neovim wrote no result (status ${r.status}, signal ${r.signal}): ${r.stderr}${r.stdout}`);
  const result = JSON.parse(readFileSync(out, "utf8")) as {
    steps: string[];
    error?: string;
    diagnostics: { lnum: number; col: number; end_col: number; severity: number; message: string; source: string; code: string }[];
    hover?: string;
    actions: string[];
    after: string[];
  };
  assert.equal(result.error, undefined, result.error);
  assert.deepEqual(result.steps, ["attached", "diagnostics", "applied", "cleared"], `${version}: ${JSON.stringify(result)}`);
  assert.equal(result.diagnostics.length, 1, JSON.stringify(result.diagnostics));
  const d = result.diagnostics[0]!;
  assert.equal(d.code, "landlock/single-thread-restrict");
  assert.equal(d.source, "landlock");
  assert.equal(d.severity, 1);
  assert.deepEqual([d.lnum, d.col, d.end_col], [RESTRICT_LINE, RESTRICT_CHAR, RESTRICT_CHAR + "syscall".length]);
  assert.match(d.message, /workers\.c:7 \(pthread_create\)/);
  assert.match(result.hover ?? "", /can still open \/etc\/shadow/);
  assert.ok(result.actions.includes("Show simulation of landlock/single-thread-restrict"), result.actions.join(" | "));
  assert.equal(result.after[RESTRICT_LINE], "\t// landlock-lint-disable-next-line landlock/single-thread-restrict -- explain why this is safe");
  assert.equal(result.after.length, MAIN_C.split("\n").length, "one line inserted (the buffer has no trailing empty line)");
});
