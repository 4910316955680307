// The playground in a real browser (headless Debian chromium driven by playwright-core):
// paste and type a single-thread-restrict example, wait for the finding, open its
// timeline and compare the lanes with the simulator's own trace; open a rule page and
// follow its "try it" link. Skips, saying why, where /usr/bin/chromium is missing.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { analyzeText, explainFinding } from "@landlock-lint/analyzer";
import { decodeState, encodeState } from "../src/playground/url-state.js";

const CHROMIUM = "/usr/bin/chromium";
const siteDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const screenshots = join(siteDir, "screenshots");
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing (apt-get install -y chromium)`;
if (skip) console.log(`# browser test skipped: ${skip}`);

const RULE = "landlock/single-thread-restrict";
const EXAMPLE_HEAD = `#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/landlock.h>

void *render_worker(void *arg);

int main(int argc, char **argv)
{
    pthread_t workers[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&workers[i], NULL, render_worker, argv[1]);

    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0)
        return 1;
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
`;
// Typed key by key, so the analysis runs as the text changes.
const EXAMPLE_TYPED = `if (syscall(SYS_landlock_restrict_self, fd, 0)) return 1;
return 0;
}
`;

let browser;
let server;
let url;
let outDir;

before(async () => {
  if (skip) return;
  const { buildSite } = await import("../build.mjs");
  const { serve } = await import("../serve.mjs");
  const { chromium } = await import("playwright-core");
  outDir = mkdtempSync(join(tmpdir(), "landlock-site-"));
  await buildSite({ outDir });
  ({ server, url } = await serve(outDir, 0));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** A page that fails the test on any request leaving the local server or any page error. */
async function openPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith("data:") && r.url() !== "about:srcdoc") problems.push(`request outside the site: ${r.url()}`);
  });
  return { page, problems };
}

test("typing a single-thread-restrict example shows the finding and its timeline lanes", { skip, timeout: 50_000 }, async () => {
  const { page, problems } = await openPage();
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });
  await page.selectOption("#language", "c");
  const content = page.locator("#editor .cm-content");
  await content.click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(EXAMPLE_HEAD);
  await page.keyboard.type(EXAMPLE_TYPED, { delay: 2 });
  const finding = page.locator(`.finding[data-rule="${RULE}"]`);
  await finding.waitFor({ timeout: 10_000 });
  // The underline sits on the restrict_self call's line (once the debounced re-lint has run).
  const underlined = () => page.locator("#editor .cm-lintRange-error").allTextContents();
  await page
    .waitForFunction(() => [...document.querySelectorAll("#editor .cm-lintRange-error")].some((e) => e.closest(".cm-line")?.textContent.includes("SYS_landlock_restrict_self")), null, { timeout: 5_000 })
    .catch(async () => assert.fail(`no underline under the restrict_self call; underlined: ${JSON.stringify(await underlined())}`));

  await finding.click();
  await page.locator("#explanation-summary li").first().waitFor();
  assert.match(await page.textContent("#explanation-summary"), /thread|domain/);
  await page.click("#simulate");
  const frame = page.frameLocator("#timeline");
  await frame.locator("svg").first().waitFor({ timeout: 10_000 });
  const laneLabels = await frame.locator('svg text[font-weight="600"]').allTextContents();

  // The same finding through the analyzer and simulator in Node: the page must show its lanes.
  // The editor text as the URL hash carries it (a shared link reproduces it).
  const editorText = decodeState(new URL(page.url()).hash).code;
  assert.ok(editorText.includes("SYS_landlock_restrict_self, fd, 0"), "the typed text is in the URL hash");
  const report = analyzeText(editorText, "/playground/main.c", { targetAbi: 6, errata: [], assumeMultithreaded: false });
  const nodeFinding = report.findings.find((f) => f.ruleId === RULE);
  assert.ok(nodeFinding, "Node's analysis of the editor text has the finding too");
  const trace = explainFinding(nodeFinding, { abi: 6, errata: [] }).trace;
  const threads = trace.threads.map((t) => t.name ?? t.id ?? t);
  assert.ok(threads.length >= 2, `the scenario has several threads: ${JSON.stringify(threads)}`);
  for (const thread of threads) assert.ok(laneLabels.includes(String(thread)), `lane ${thread} in ${JSON.stringify(laneLabels)}`);

  await page.screenshot({ path: join(screenshots, "playground.png") });
  await page.screenshot({ path: join(screenshots, "playground-full.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("a rule page's try-it link opens its example in the playground with the finding", { skip, timeout: 40_000 }, async () => {
  const { page, problems } = await openPage();
  await page.goto(`${url}rules/single-thread-restrict.html`);
  assert.match(await page.textContent("h1"), /single-thread-restrict/);
  await page.screenshot({ path: join(screenshots, "rule-page.png") });
  await page.click("text=Try it in the playground");
  await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });
  await page.locator(`.finding[data-rule="${RULE}"]`).first().waitFor({ timeout: 10_000 });
  assert.match(await page.textContent("#editor .cm-content"), /landlock_restrict_self/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a shared TypeScript link loads the JS/TS parser on demand and shows the example's finding", { skip, timeout: 40_000 }, async () => {
  const { page, problems } = await openPage();
  const response = await fetch(`${url}assets/examples.json`);
  const example = (await response.json()).find((e) => e.language === "ts");
  assert.ok(example, "the examples include TypeScript");
  await page.goto(`${url}#${encodeState({ language: "ts", code: example.code })}`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  await page.locator(`.finding[data-rule="${example.rules[0]}"]`).first().waitFor({ timeout: 10_000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test("the TSYNC explorer finds a naive variant's counterexample and shows it as a timeline", { skip, timeout: 40_000 }, async () => {
  const { page, problems } = await openPage();
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });
  await page.selectOption("#variant", "single-pass");
  await page.click("#explorer-form button[type=submit]");
  await page.waitForFunction(() => /states explored/.test(document.querySelector("#explorer-result").textContent), null, { timeout: 30_000 });
  assert.match(await page.textContent("#explorer-result"), /Violation of/);
  const lanes = await page.frameLocator("#explorer-timeline").locator('svg text[font-weight="600"]').allTextContents();
  assert.ok(lanes.length >= 2, `lanes: ${JSON.stringify(lanes)}`);
  await page.selectOption("#variant", "correct");
  await page.click("#explorer-form button[type=submit]");
  await page.waitForFunction(() => /Every interleaving keeps every invariant/.test(document.querySelector("#explorer-result").textContent), null, { timeout: 30_000 });
  assert.ok(await page.locator("#explorer-timeline").isHidden());
  assert.deepEqual(problems, []);
  await page.close();
});
