// Path handling for path-beneath rules: a rule on a directory covers the directory and
// everything under it.

/** Absolute path with "." and ".." resolved and no trailing slash (except "/"). */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return "/" + parts.join("/");
}

/** True when `path` is `ancestor` or lies beneath it. */
export function isBeneath(path: string, ancestor: string): boolean {
  const p = normalizePath(path);
  const a = normalizePath(ancestor);
  return a === "/" || p === a || p.startsWith(a + "/");
}
