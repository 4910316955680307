// Shared command-line helpers: usage errors and option values that need checking.

import type { Abi, Erratum } from "../scenario.js";
import { isAbi } from "../model/abi.js";

export class UsageError extends Error {}

export function usageError(err: unknown, usage: string): number {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`landlock-sim: ${message}\n\n${usage}`);
  return 2;
}

export function parseAbi(text: string): Abi {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !isAbi(n)) throw new UsageError(`--abi must be a Landlock ABI version from 1 to 11, not "${text}"`);
  return n;
}

/** "1,2,3", "2", "none" or "" -> errata list. */
export function parseErrata(text: string): Erratum[] {
  if (text === "" || text === "none") return [];
  return text.split(",").map((part) => {
    const n = Number(part.trim());
    if (n !== 1 && n !== 2 && n !== 3) throw new UsageError(`--errata takes a comma-separated list of 1, 2 and 3 (or "none"), not "${text}"`);
    return n;
  });
}

export function parseWidth(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 40 || n > 1000) throw new UsageError(`--width must be a number of columns from 40 to 1000, not "${text}"`);
  return n;
}
