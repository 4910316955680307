// The one go.mod reader: what a go.mod says about go-landlock, and which go.mod a Go file
// belongs to. Go's rule is the nearest go.mod at or above the file's folder, whatever the
// project root is (a `.landlock-lint.json`, `package.json` or `compile_commands.json` can
// sit between a file and its module, and a repository can hold several modules, each on
// its own go-landlock release). `replace` directives can pin another release or a fork.
// Read as text, never run.

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

/** A module path or version as go.mod may write it: bare, "interpreted" or `raw`. */
function unquote(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const m = /^"(.*)"$|^`(.*)`$/.exec(token);
  return m ? (m[1] ?? m[2]!) : token;
}

/** The directives of a go.mod: `require`/`replace` lines, in blocks or not. */
function directives(text: string, verb: "require" | "replace"): string[] {
  const out: string[] = [];
  const opensBlock = new RegExp(`^${verb}\\s*\\($`);
  let inBlock = false;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = stripComment(raw);
    if (inBlock) {
      if (line === ")") inBlock = false;
      else if (line) out.push(line);
      continue;
    }
    if (opensBlock.test(line)) inBlock = true;
    else if (line.startsWith(`${verb} `) || line.startsWith(`${verb}\t`)) out.push(line.slice(verb.length + 1).trim());
  }
  return out;
}

/** Reads go.mod text: the module path and go-landlock's effective version. */
export function parseGoMod(text: string, file = "go.mod"): GoModFacts {
  const facts: GoModFacts = { file };
  const module = unquote(/^\s*module\s+(\S+)/m.exec(text)?.[1]);
  if (module) facts.module = module;
  for (const r of directives(text, "require")) {
    const [path, version] = r.split(/\s+/).map(unquote);
    if (path === GO_LANDLOCK_MODULE && version) facts.goLandlockVersion = version;
  }
  for (const r of directives(text, "replace")) {
    const m = /^(\S+)(?:\s+(\S+))?\s*=>\s*(\S+)(?:\s+(\S+))?$/.exec(r);
    if (!m || unquote(m[1]) !== GO_LANDLOCK_MODULE) continue;
    const [from, target, release] = [unquote(m[2]), unquote(m[3])!, unquote(m[4])];
    if (from && facts.goLandlockVersion && from !== facts.goLandlockVersion) continue;
    if (release) {
      facts.goLandlockVersion = release;
      facts.note = `replaced by ${target} ${release}`;
    } else {
      // A local directory: the release cannot be known from go.mod.
      delete facts.goLandlockVersion;
      facts.note = `replaced by the local directory ${target}`;
    }
  }
  return facts;
}

/** go-landlock's effective release in go.mod text (after `replace`), or undefined. */
export function goLandlockVersion(goMod: string): string | undefined {
  return parseGoMod(goMod).goLandlockVersion;
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

/** Reads and parses one go.mod; undefined when it cannot be read. */
export function readGoMod(path: string): GoModFacts | undefined {
  try {
    return parseGoMod(readFileSync(path, "utf8"), path);
  } catch {
    return undefined;
  }
}

/** go-landlock facts for a Go file: from the nearest go.mod above it, or undefined (unreadable files included). */
export function goModFactsFor(file: string, stopAt?: string): GoModFacts | undefined {
  const path = nearestGoMod(dirname(resolve(file)), stopAt);
  return path ? readGoMod(path) : undefined;
}

/**
 * `goModFactsFor` for the many files of one project: each folder's go.mod lookup and each
 * go.mod's text are read once, until `forget()` (a go.mod was added, edited or removed).
 */
export class GoModIndex {
  private readonly byDir = new Map<string, string | undefined>();
  private readonly byPath = new Map<string, GoModFacts | undefined>();

  /** The go.mod a Go file belongs to. */
  factsFor(file: string): GoModFacts | undefined {
    const path = this.goModOf(dirname(resolve(file)));
    if (path === undefined) return undefined;
    if (!this.byPath.has(path)) this.byPath.set(path, readGoMod(path));
    return this.byPath.get(path);
  }

  forget(): void {
    this.byDir.clear();
    this.byPath.clear();
  }

  private goModOf(dir: string): string | undefined {
    if (this.byDir.has(dir)) return this.byDir.get(dir);
    const here = join(dir, "go.mod");
    const parent = dirname(dir);
    const found = existsSync(here) ? here : parent === dir ? undefined : this.goModOf(parent);
    this.byDir.set(dir, found);
    return found;
  }
}
