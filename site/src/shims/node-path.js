// Browser stand-in for `node:path` (POSIX only): enough for the analyzer's and simulator's
// path arithmetic on URLs and virtual file names.
function normalizeParts(path) {
  const absolute = path.startsWith("/");
  const out = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
    } else out.push(part);
  }
  return (absolute ? "/" : "") + out.join("/");
}

export function join(...parts) {
  // URLs keep their "scheme://" intact.
  const joined = parts.filter((p) => p !== "").join("/");
  const scheme = /^[a-z]+:\/\//i.exec(joined);
  if (scheme) return scheme[0] + normalizeParts(joined.slice(scheme[0].length)).replace(/^\//, "");
  return normalizeParts(joined) || ".";
}
export function dirname(path) {
  const i = path.replace(/\/+$/, "").lastIndexOf("/");
  if (i < 0) return ".";
  return i === 0 ? "/" : path.slice(0, i);
}
export function basename(path, ext) {
  const base = path.replace(/\/+$/, "").split("/").pop() ?? "";
  return ext && base.endsWith(ext) ? base.slice(0, -ext.length) : base;
}
export function extname(path) {
  const base = basename(path);
  const i = base.lastIndexOf(".");
  return i > 0 ? base.slice(i) : "";
}
export function isAbsolute(path) {
  return path.startsWith("/");
}
export function resolve(...parts) {
  let path = "";
  for (const part of parts) path = part.startsWith("/") ? part : path ? `${path}/${part}` : part;
  return normalizeParts(path.startsWith("/") ? path : `/${path}`);
}
export function relative(from, to) {
  const a = resolve(from).split("/").filter(Boolean);
  const b = resolve(to).split("/").filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}
export const sep = "/";
export const delimiter = ":";
export const posix = { join, dirname, basename, extname, isAbsolute, resolve, relative, sep, delimiter };
export default posix;
