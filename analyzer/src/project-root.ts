// The project a file belongs to: the nearest folder upward holding one of the markers.

import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export const PROJECT_MARKERS = [".landlock-lint.json", "compile_commands.json", "go.mod", "Cargo.toml", "package.json", ".git"] as const;

export function hasProjectMarker(dir: string): boolean {
  return PROJECT_MARKERS.some((m) => existsSync(join(dir, m)));
}

/** Nearest folder at or above the file (or folder) holding a marker; the file's own folder when none does. */
export function findProjectRoot(file: string): string {
  const abs = resolve(file);
  let dir = abs;
  try {
    if (!statSync(abs).isDirectory()) dir = dirname(abs);
  } catch {
    dir = dirname(abs);
  }
  const start = dir;
  for (;;) {
    if (hasProjectMarker(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}
