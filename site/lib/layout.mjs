// The page frame shared by the playground and the docs pages.
import { escapeHtml } from "./markdown.mjs";

const NAV = [
  ["index.html", "Playground"],
  ["rules/index.html", "Rules"],
  ["usage.html", "Usage"],
  ["simulator.html", "Simulator"],
];

export function page({ title, prefix = "", current, body, scripts = [], preload = [] }) {
  const nav = NAV.map(([href, label]) => `<a href="${prefix}${href}"${href === current ? ' aria-current="page"' : ""}>${label}</a>`).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · landlock-lint</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${prefix}assets/site.css">
${preload.map((href) => `<link rel="preload" href="${prefix}${href}" as="fetch" crossorigin="anonymous">`).join("\n")}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header"><span class="brand">landlock-lint</span><nav aria-label="Site">${nav}</nav></header>
<main id="main">
${body}
</main>
${scripts.map((s) => `<script type="module" src="${prefix}${s}"></script>`).join("\n")}
</body>
</html>
`;
}
