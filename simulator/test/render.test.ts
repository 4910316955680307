// Text, JSON and HTML renderings of traces.

import { test } from "node:test";
import assert from "node:assert/strict";
import { BUILTIN_SCENARIOS } from "../src/builtins/index.js";
import { runScenario } from "../src/runner.js";
import { renderText } from "../src/render/text.js";
import { renderJson } from "../src/render/json.js";
import { renderHtml } from "../src/render/html.js";
import { explainTrace } from "../src/explain.js";

const trace = (name: string, opts = {}) => runScenario(BUILTIN_SCENARIOS[name]!, opts);

test("text: one column per thread, internal events only on request, width respected", () => {
  const t = trace("tsync-spawn-race");
  const brief = renderText(t, { width: 90 });
  const full = renderText(t, { width: 90, internal: true });
  assert.match(brief, /main \(p1\)\s+│ w1 \(p1\)\s+│ w2 \(p1\)\s+│ w3 \(p1\)/);
  assert.doesNotMatch(brief, /prepare_creds/);
  assert.match(full, /prepare_creds/);
  assert.match(full, /found w3 \(not seen before\)/);
  for (const text of [brief, full]) assert.ok(text.split("\n").every((l) => [...l].length <= 90));
  const narrow = renderText(t, { width: 40 });
  assert.ok(narrow.includes("What this means"));
});

test("text: a denial shows its blocking domain; the summary and highlights close the output", () => {
  const t = trace("single-thread-restrict");
  const text = renderText(t);
  assert.match(text, /✗ EACCES/);
  assert.match(text, /blocked by …0001 \(read_file\)/);
  assert.ok(text.includes(t.domains[0]!.id));
  assert.ok(text.indexOf("What this means") < text.indexOf("Look at"));
});

test("json: the trace round-trips", () => {
  const t = trace("psx-per-thread");
  assert.deepEqual(JSON.parse(renderJson(t)), JSON.parse(JSON.stringify(t)));
});

test("html: self-contained page with one SVG lane per thread, domain IDs, denials, legend and summary", () => {
  const t = trace("psx-signal-scope", { errata: [2] });
  const html = renderHtml(t);
  assert.doesNotMatch(html, /<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i);
  for (const th of t.threads) assert.ok(html.includes(`>${th.id}</text>`), `lane ${th.id}`);
  for (const d of t.domains) assert.ok(html.includes(d.id), `domain ${d.id}`);
  assert.match(html, /class="legend"/);
  for (const s of t.summary) assert.ok(html.includes(s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")));
  assert.match(html, /#d0312d/, "denials are drawn in red");
});

test("html escapes text from the scenario", () => {
  const t = runScenario({ name: "<b>x</b>", description: "a & b <script>", steps: [] });
  const html = renderHtml(t);
  assert.ok(html.includes("&lt;b&gt;x&lt;/b&gt;"));
  assert.ok(html.includes("a &amp; b &lt;script&gt;"));
  assert.doesNotMatch(html, /<script>/);
});

test("explainTrace works from the trace alone, e.g. after a JSON round trip", () => {
  const t = trace("single-thread-restrict");
  assert.deepEqual(explainTrace(JSON.parse(renderJson(t))), t.summary);
  assert.deepEqual(explainTrace(runScenario({ name: "empty", steps: [] })), ["No thread entered a Landlock domain and nothing was denied."]);
});
