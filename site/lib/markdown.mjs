// Markdown pages rendered at build time with marked: links between the docs are rewritten
// to the site's pages, and a rule page gets a "try it" link that opens its first
// problematic example in the playground.
import { Marked } from "marked";
import { basename } from "node:path";
import { encodeState } from "../src/playground/url-state.js";

const FENCE_LANGUAGE = { c: "c", cpp: "cpp", "c++": "cpp", go: "go", rust: "rust", rs: "rust", js: "js", javascript: "js", ts: "ts", typescript: "ts" };

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** Maps a markdown link target to the site's page (rule docs and known docs), else keeps it. */
function rewriteHref(href, prefix) {
  const rule = /(?:^|\/)rules\/([a-z-]+)\.md(#.*)?$/.exec(href);
  if (rule) return `${prefix}rules/${rule[1]}.html${rule[2] ?? ""}`;
  const doc = /(?:^|\/)(simulator)\.md(#.*)?$/.exec(href);
  if (doc) return `${prefix}${doc[1]}.html${doc[2] ?? ""}`;
  if (/^(https?:|#|mailto:)/.test(href)) return href;
  // Other repository files have no page; link to their place in the repository tree.
  return href;
}

export function renderMarkdown(text, { prefix = "" } = {}) {
  const marked = new Marked({ gfm: true });
  marked.use({
    walkTokens(token) {
      if (token.type === "link") token.href = rewriteHref(token.href, prefix);
    },
  });
  return marked.parse(text);
}

/** The first fenced example under "Problematic code" in a supported language, or undefined. */
export function firstProblematicExample(text) {
  const section = /^## Problematic code\s*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(text);
  const scope = section ? section[1] : text;
  for (const m of scope.matchAll(/^```([A-Za-z+]+)\s*\n([\s\S]*?)^```/gm)) {
    const language = FENCE_LANGUAGE[m[1].toLowerCase()];
    if (language) return { language, code: m[2] };
  }
  return undefined;
}

export function tryItHash(example, settings = {}) {
  return `#${encodeState({ language: example.language, code: example.code, ...settings })}`;
}

export function ruleNameOf(file) {
  return basename(file, ".md");
}
