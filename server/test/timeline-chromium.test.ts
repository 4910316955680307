// The HTML timeline the server returns for landlock/simulate, rendered by headless
// Chromium: the DOM has one lane per thread coloured by its domain, and the screenshot is
// not blank and shows both lane colours. Skips, saying why, only where Chromium is missing
// (CI installs it). LANDLOCK_UPDATE_SCREENSHOT=1 copies the PNG to docs/timeline.png.

import { it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { TestClient, makeProject } from "./lsp-harness.js";
import { MAIN_C, RESTRICT_CHAR, RESTRICT_LINE, WORKERS_C } from "./samples.js";
import { countColour, decodePng, inkRatio } from "./png.js";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
const chromium = CANDIDATES.find((p) => existsSync(p));
if (!chromium) console.log(`# skipping the Chromium test: none of ${CANDIDATES.join(", ")} exists (apt-get install chromium)`);

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const WIDTH = 1100;
const HEIGHT = 1150;
/** The simulator's colours: the first domain, and a thread in no domain. */
const DOMAIN_COLOUR = "#2f6fde";
const NO_DOMAIN_COLOUR = "#9aa3ad";

function runChromium(args: string[]): ReturnType<typeof spawnSync> {
  const profile = mkdtempSync(join(tmpdir(), "landlock-chromium-"));
  return spawnSync(
    chromium!,
    ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars", `--user-data-dir=${profile}`, ...args],
    { encoding: "utf8", timeout: 90_000 },
  );
}

it("Chromium renders the simulate timeline with a lane per thread", { skip: chromium ? false : "chromium is not installed" }, async () => {
  const dir = makeProject({ "main.c": MAIN_C, "workers.c": WORKERS_C });
  const client = await TestClient.start({ workspaceFolder: dir, initializationOptions: { indexWorkspace: false } });
  let html: string;
  try {
    const uri = client.open(join(dir, "main.c"), MAIN_C, "c");
    await client.diagnosticsFor(uri);
    const result = await client.request<{ html: string }>("landlock/simulate", { textDocument: { uri }, position: { line: RESTRICT_LINE, character: RESTRICT_CHAR } });
    html = result.html;
  } finally {
    await client.stop();
  }
  const page = join(dir, "timeline.html");
  writeFileSync(page, html);
  const url = pathToFileURL(page).toString();

  const dom = runChromium(["--dump-dom", url]);
  assert.equal(dom.status, 0, `chromium --dump-dom failed: ${dom.stderr}`);
  const text = String(dom.stdout);
  assert.match(text, /<svg[^>]*aria-label="timeline of/);
  assert.match(text, /<title>main: domain [0-9a-f]+<\/title>/, "main's lane is coloured by its domain");
  assert.match(text, /<title>t7: no domain<\/title>/, "the thread started in workers.c stays in no domain");
  assert.match(text, /t7 is not in any domain: it can still open \/etc\/shadow/);

  const png = join(dir, "timeline.png");
  const shot = runChromium([`--screenshot=${png}`, `--window-size=${WIDTH},${HEIGHT}`, url]);
  assert.ok(existsSync(png), `chromium wrote no screenshot: ${shot.stderr}`);
  const image = decodePng(readFileSync(png));
  assert.deepEqual([image.width, image.height], [WIDTH, HEIGHT]);
  const ink = inkRatio(image);
  assert.ok(ink > 0.03, `the screenshot is (nearly) blank: ${(ink * 100).toFixed(2)}% of pixels differ from the background`);
  assert.ok(countColour(image, DOMAIN_COLOUR) > 200, "main's domain colour is visible");
  assert.ok(countColour(image, NO_DOMAIN_COLOUR) > 100, "the no-domain lane is visible");
  if (process.env.LANDLOCK_UPDATE_SCREENSHOT === "1") copyFileSync(png, join(REPO, "docs", "timeline.png"));
});
