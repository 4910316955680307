// The page the "Landlock: Simulate" webview shows: the simulator's HTML timeline (a
// self-contained page: inline styles and SVG, no scripts, no remote resources) under a
// content security policy that allows nothing else, with the finding above it.

export interface SimulationView {
  title: string;
  ruleId?: string;
  message?: string;
  html: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The policy: no scripts, no network, no frames; inline styles only (the timeline uses them). */
export function contentSecurityPolicy(cspSource: string): string {
  return [`default-src 'none'`, `style-src 'unsafe-inline'`, `img-src ${cspSource} data:`, `font-src ${cspSource}`].join("; ");
}

/** The full webview document. Throws when the simulator's page is not an HTML document. */
export function webviewHtml(view: SimulationView, cspSource: string): string {
  const head = /<head>/i.exec(view.html);
  const body = /<body>/i.exec(view.html);
  if (!head || !body) throw new Error("the simulation result is not an HTML page (no <head> or <body>)");
  const meta = `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(cspSource))}">`;
  const banner = view.ruleId
    ? `<p style="margin:0 0 16px;padding:8px 12px;border-left:4px solid #d0312d;background:#fdf1f0"><strong>${escapeHtml(view.ruleId)}</strong>: ${escapeHtml(view.message ?? "")}</p>`
    : `<p style="margin:0 0 16px;padding:8px 12px;border-left:4px solid #1a9c6b;background:#eff8f3">${escapeHtml(view.title)}</p>`;
  let html = view.html.slice(0, head.index + head[0].length) + `\n${meta}` + view.html.slice(head.index + head[0].length);
  const at = html.search(/<body>/i) + "<body>".length;
  html = html.slice(0, at) + `\n${banner}` + html.slice(at);
  return html;
}
