// Reads one source file and refuses what the analysis must not see: files over the size
// limit, binary files (a NUL byte in the first 8 KB, as git decides) and invalid UTF-8.
// Each refusal says what is wrong and where, so the user can act on it.

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { isUtf8 } from "node:buffer";

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
const BINARY_PROBE_BYTES = 8192;
const UTF8_BOM = "\uFEFF";

export type SourceText =
  | { ok: true; text: string; hadBom: boolean }
  | { ok: false; message: string };

export function readSourceFile(path: string, maxBytes: number): SourceText {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    return { ok: false, message: describeReadError(error) };
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) {
      return {
        ok: false,
        message: `file too large: ${formatSize(size)} is over the ${formatSize(maxBytes)} limit (raise it with --max-file-size)`,
      };
    }
    const buffer = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return decodeSource(buffer.subarray(0, read));
  } catch (error) {
    return { ok: false, message: describeReadError(error) };
  } finally {
    closeSync(fd);
  }
}

export function decodeSource(bytes: Buffer): SourceText {
  const nul = bytes.subarray(0, BINARY_PROBE_BYTES).indexOf(0);
  if (nul !== -1) return { ok: false, message: `binary file: NUL byte at byte offset ${nul}` };
  if (!isUtf8(bytes)) {
    const offset = firstInvalidUtf8Offset(bytes);
    const line = countLines(bytes, offset);
    return { ok: false, message: `invalid UTF-8 at byte offset ${offset} (line ${line}); save the file as UTF-8` };
  }
  const text = bytes.toString("utf8");
  return text.startsWith(UTF8_BOM) ? { ok: true, text: text.slice(1), hadBom: true } : { ok: true, text, hadBom: false };
}

/** Puts the byte-order mark back when the original file had one. */
export function encodeSource(text: string, hadBom: boolean): string {
  return hadBom ? UTF8_BOM + text : text;
}

export function describeReadError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case "EACCES":
    case "EPERM":
      return "permission denied: cannot read this file";
    case "ENOENT":
      return "file disappeared before it could be read";
    case "EISDIR":
      return "is a directory, not a file";
    case "ELOOP":
      return "symbolic link loop";
    default:
      return `cannot read this file: ${e.message}`;
  }
}

export function describeWriteError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code === "EACCES" || e.code === "EPERM" || e.code === "EROFS"
    ? "permission denied: cannot write the fixed file"
    : `cannot write the fixed file: ${e.message}`;
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let length: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      length = 2;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + length > bytes.length) return i;
    let codePoint = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
    if (codePoint < min || (codePoint >= 0xd800 && codePoint <= 0xdfff) || codePoint > 0x10ffff) return i;
    i += length;
  }
  return bytes.length;
}

function countLines(bytes: Uint8Array, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
