// Web playground benchmark: bundle sizes, time from navigation to the first finding
// (cold load: scripts, wasm runtime and grammars, first analysis), and the re-lint time
// of a 1,000-line C file after a keystroke, in headless /usr/bin/chromium.
//
//   npm run build && node bench/site/run.mjs [--runs N]
//
// Targets (issue 10): first finding under 1 s after load, re-lint under 50 ms.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { buildSite } from "../../site/build.mjs";
import { serve } from "../../site/serve.mjs";
import { encodeState } from "../../site/src/playground/url-state.js";

const CHROMIUM = "/usr/bin/chromium";
const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs: expected a positive integer, got "${values.runs}"`);
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing (apt-get install -y chromium)`);
  process.exit(1);
}

const SMALL = `#include <pthread.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
void *worker(void *arg);
int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0)
        return 1;
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (syscall(SYS_landlock_restrict_self, fd, 0))
        return 1;
    return 0;
}
`;

/** About 1,000 lines: the small program after many ordinary functions. */
function thousandLines() {
  const parts = [];
  for (let i = 0; parts.join("\n").split("\n").length < 1000 - 20; i++) {
    parts.push(`static int helper_${i}(int x, const char *name)\n{\n    int total = 0;\n    for (int k = 0; k < x; k++)\n        total += name[k % 8] * ${i};\n    return total;\n}\n`);
  }
  return `${parts.join("\n")}\n${SMALL}`;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (xs) => `min ${Math.min(...xs).toFixed(0)}, median ${median(xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)} ms`;
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;

function sizes(dir) {
  const out = {};
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[p.slice(dir.length + 1)] = statSync(p).size;
    }
  };
  walk(join(dir, "assets"));
  return out;
}

const outDir = mkdtempSync(join(tmpdir(), "landlock-site-bench-"));
await buildSite({ outDir });
const { server, url } = await serve(outDir, 0);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const files = sizes(outDir);
  const js = Object.entries(files).filter(([f]) => f.endsWith(".js"));
  const wasm = Object.entries(files).filter(([f]) => f.endsWith(".wasm"));
  console.log("Bundle (minified, uncompressed):");
  for (const [file, bytes] of [...js, ...wasm]) console.log(`  ${file.padEnd(52)} ${kib(bytes).padStart(9)}`);
  const initial = files["assets/playground.js"] + wasm.reduce((n, [, b]) => n + b, 0);
  console.log(`  loaded for C/C++/Go/Rust: ${kib(initial)}; JS/TS adds estree.js (${kib(files["assets/estree.js"])}) on first use`);

  const first = [];
  for (let i = 0; i < runs; i++) {
    // A fresh context each time: nothing cached.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}#${encodeState({ language: "c", code: SMALL })}`);
    await page.waitForSelector("body[data-first-finding-ms]", { timeout: 30_000 });
    first.push(Number(await page.getAttribute("body", "data-first-finding-ms")));
    await context.close();
  }
  console.log(`Time from navigation to the first finding (cold, ${runs} runs): ${summary(first)}`);

  const context = await browser.newContext();
  const page = await context.newPage();
  const big = thousandLines();
  await page.goto(`${url}#${encodeState({ language: "c", code: big })}`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  await page.click("#editor .cm-content");
  const relint = [];
  for (let i = 0; i < runs * 2; i++) {
    const count = Number(await page.getAttribute("body", "data-lint-count"));
    await page.keyboard.type(i % 2 ? "\b" : " ");
    await page.waitForFunction((n) => Number(document.body.dataset.lintCount) > n, count, { timeout: 10_000 });
    relint.push(Number(await page.getAttribute("body", "data-last-lint-ms")));
  }
  console.log(`Re-lint of a ${big.split("\n").length}-line C file after a keystroke (${relint.length} edits): ${summary(relint)}`);
  await context.close();
} finally {
  await browser.close();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
}
