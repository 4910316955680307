// Path helpers that work on forward- and back-slash paths without node:path, so the checks
// also run in the browser playground.

export function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

function parts(file: string): string[] {
  return file.split(/[\\/]/).filter((p, i) => p !== "" || i === 0);
}

/** `to` relative to the folder of `from` ("workers.c", "../lib/sandbox.c"). */
export function relativeToFileOf(from: string, to: string): string {
  const a = parts(from).slice(0, -1);
  const b = parts(to);
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  if (i === 0 && a.length > 0 && b.length > 0 && a[0] !== b[0]) return to;
  return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
}
