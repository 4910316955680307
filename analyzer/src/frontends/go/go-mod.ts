// What a go.mod says about go-landlock, for the project index (ProjectFacts). The index
// reads go.mod at the project root only; a Go module below the root (a repository whose
// `.landlock-lint.json` sits above several modules, or a root marked by `package.json`)
// needs the nearest go.mod above each file, and `replace` directives can pin another
// release or a fork. Read as text, never run.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

export const GO_LANDLOCK_MODULE = "github.com/landlock-lsm/go-landlock";

export interface GoModFacts {
  /** The go.mod these facts come from. */
  file: string;
  module?: string;
  /** go-landlock's release after `replace` directives; undefined when not required or replaced by a local path. */
  goLandlockVersion?: string;
  /** Why the version is what it is, for messages ("replaced by github.com/acme/go-landlock v0.9.2"). */
  note?: string;
}

function stripComment(line: string): string {
  const i = line.indexOf("//");
  return (i >= 0 ? line.slice(0, i) : line).trim();
}

/** The directives of a go.mod: `require`/`replace` lines, in blocks or not. */
function directives(text: string, verb: "require" | "replace"): string[] {
  const out: string[] = [];
  let inBlock = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = stripComment(raw);
    if (inBlock) {
      if (line === ")") inBlock = false;
      else if (line) out.push(line);
      continue;
    }
    if (line === `${verb} (`) inBlock = true;
    else if (line.startsWith(`${verb} `)) out.push(line.slice(verb.length + 1).trim());
  }
  return out;
}

/** Reads go.mod text: the module path and go-landlock's effective version. */
export function parseGoMod(text: string, file = "go.mod"): GoModFacts {
  const facts: GoModFacts = { file };
  const module = /^\s*module\s+(\S+)/m.exec(text)?.[1];
  if (module) facts.module = module.replace(/^"|"$/g, "");
  for (const r of directives(text, "require")) {
    const [path, version] = r.split(/\s+/);
    if (path === GO_LANDLOCK_MODULE && version) facts.goLandlockVersion = version;
  }
  for (const r of directives(text, "replace")) {
    const m = /^(\S+)(?:\s+(\S+))?\s*=>\s*(\S+)(?:\s+(\S+))?$/.exec(r);
    if (!m || m[1] !== GO_LANDLOCK_MODULE) continue;
    if (m[2] && facts.goLandlockVersion && m[2] !== facts.goLandlockVersion) continue;
    if (m[4]) {
      facts.goLandlockVersion = m[4];
      facts.note = `replaced by ${m[3]} ${m[4]}`;
    } else {
      // A local directory: the release cannot be known from go.mod.
      delete facts.goLandlockVersion;
      facts.note = `replaced by the local directory ${m[3]}`;
    }
  }
  return facts;
}

/** The nearest go.mod at or above `fromDir` (up to `stopAt`, inclusive, when given). */
export function nearestGoMod(fromDir: string, stopAt?: string): string | undefined {
  let dir = resolve(fromDir);
  const stop = stopAt ? resolve(stopAt) : undefined;
  for (let i = 0; i < 256; i++) {
    const candidate = join(dir, "go.mod");
    if (existsSync(candidate)) return candidate;
    if (dir === stop) return undefined;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/** go-landlock facts for a Go file: from the nearest go.mod above it, or undefined (unreadable files included). */
export function goModFactsFor(file: string, stopAt?: string): GoModFacts | undefined {
  const path = nearestGoMod(dirname(file), stopAt);
  if (!path) return undefined;
  try {
    return parseGoMod(readFileSync(path, "utf8"), path);
  } catch {
    return undefined;
  }
}
