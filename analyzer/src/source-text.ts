// Reading source files for analysis: bad input (binary, oversized, invalid UTF-8,
// unreadable) becomes a reason, never an exception.

import { readFileSync, statSync } from "node:fs";

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

export type SourceRead = { ok: true; text: string; mtimeMs: number; size: number } | { ok: false; reason: string };

const decoder = new TextDecoder("utf-8", { fatal: true });

export function checkText(bytes: Uint8Array, maxBytes: number): { ok: true; text: string } | { ok: false; reason: string } {
  if (bytes.length > maxBytes) return { ok: false, reason: `file is too large (${bytes.length} bytes; the limit is ${maxBytes})` };
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return { ok: false, reason: "binary file (NUL bytes in the first 8 KB)" };
  try {
    return { ok: true, text: decoder.decode(bytes).replace(/^\uFEFF/, "") };
  } catch {
    return { ok: false, reason: "not valid UTF-8" };
  }
}

export function readSource(path: string, maxBytes = DEFAULT_MAX_FILE_BYTES): SourceRead {
  let stat;
  try {
    stat = statSync(path);
  } catch (e) {
    return { ok: false, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  if (!stat.isFile()) return { ok: false, reason: "not a regular file" };
  if (stat.size > maxBytes) return { ok: false, reason: `file is too large (${stat.size} bytes; the limit is ${maxBytes})` };
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return { ok: false, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  const checked = checkText(bytes, maxBytes);
  return checked.ok ? { ok: true, text: checked.text, mtimeMs: stat.mtimeMs, size: stat.size } : checked;
}
