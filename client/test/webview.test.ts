import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { webviewHtml, contentSecurityPolicy } from "../src/webview";

async function timelineHtml(): Promise<string> {
  const sim = await import("@landlock-lint/simulator");
  const scenario = Object.values(sim.BUILTIN_SCENARIOS).find((s) => s.steps.some((st) => st.op === "spawn_thread"));
  assert.ok(scenario, "a built-in scenario with a thread");
  return sim.renderHtml(sim.runScenario(scenario));
}

describe("simulation webview", () => {
  it("puts a content security policy first in the head, allowing no scripts or remote loads", async () => {
    const html = webviewHtml({ title: "t", ruleId: "landlock/single-thread-restrict", message: "1 thread <keeps> access", html: await timelineHtml() }, "vscode-webview://abc");
    const head = html.slice(html.indexOf("<head>"), html.indexOf("</head>"));
    assert.match(head, /^<head>\n<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src vscode-webview:\/\/abc data:; font-src vscode-webview:\/\/abc">/);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /\b(?:src|href)="(?:https?:)?\/\//i, "no remote resource");
    assert.match(html, /<body>\n<p [^>]*><strong>landlock\/single-thread-restrict<\/strong>: 1 thread &lt;keeps&gt; access<\/p>/);
    assert.match(html, /<svg/);
  });

  it("shows the title for a call without a finding", async () => {
    const html = webviewHtml({ title: "landlock_restrict_self: no finding", html: await timelineHtml() }, "x");
    assert.match(html, /<body>\n<p [^>]*>landlock_restrict_self: no finding<\/p>/);
  });

  it("refuses a result that is not an HTML page", () => {
    assert.throws(() => webviewHtml({ title: "t", html: "just text" }, "x"), /not an HTML page/);
    assert.equal(contentSecurityPolicy("s").includes("script-src"), false);
  });
});
