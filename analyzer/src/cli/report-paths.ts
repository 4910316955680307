// How the CI formats name files: relative to the directory the run started in, with `/`
// separators, so reports are the same on every checkout (no absolute paths unless asked).
// SARIF wants URI references, so it gets each segment percent-encoded as well.

import { isAbsolute, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";

/** `src/a.c` for `/repo/src/a.c` run in `/repo`; `../lib/b.c` for a file beside it. */
export function reportPath(cwd: string, file: string): string {
  if (!isAbsolute(file)) return file.split(sep).join("/");
  const rel = relative(cwd, file) || ".";
  return rel.split(sep).join("/");
}

/** A relative URI reference for a path (each segment percent-encoded, `/` kept). */
export function relativeUri(cwd: string, file: string): string {
  return reportPath(cwd, file)
    .split("/")
    .map((segment) => (segment === ".." || segment === "." ? segment : encodeURIComponent(segment)))
    .join("/");
}

/** The `file:` URI of a directory, ending in `/` as SARIF requires of a base URI. */
export function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith("/") ? href : `${href}/`;
}
