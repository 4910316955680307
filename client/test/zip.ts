// Reads a .zip (a .vsix is one) with the central directory: names, sizes, and the
// content of stored or deflated entries. Enough to inspect a package, nothing more.

import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";

export interface ZipEntry {
  name: string;
  size: number;
  read(): Buffer;
}

export function readZip(path: string): ZipEntry[] {
  const data = readFileSync(path);
  const eocd = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${path}: not a zip file (no end of central directory)`);
  const count = data.readUInt16LE(eocd + 10);
  let pos = data.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (data.readUInt32LE(pos) !== 0x02014b50) throw new Error(`${path}: bad central directory entry ${i}`);
    const method = data.readUInt16LE(pos + 10);
    const compressed = data.readUInt32LE(pos + 20);
    const size = data.readUInt32LE(pos + 24);
    const nameLength = data.readUInt16LE(pos + 28);
    const extraLength = data.readUInt16LE(pos + 30);
    const commentLength = data.readUInt16LE(pos + 32);
    const local = data.readUInt32LE(pos + 42);
    const name = data.toString("utf8", pos + 46, pos + 46 + nameLength);
    entries.push({
      name,
      size,
      read() {
        const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
        const raw = data.subarray(start, start + compressed);
        if (method === 0) return Buffer.from(raw);
        if (method === 8) return inflateRawSync(raw);
        throw new Error(`${path}: ${name} uses compression method ${method}`);
      },
    });
    pos += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
