// Facts about a project that change what library calls do or how C is preprocessed:
// go-landlock's version from the go.mod each Go file belongs to (frontends/go/go-mod.ts,
// the one go.mod reader), the Go build tags the project is built with, rust-landlock's
// version from Cargo.lock (or Cargo.toml), and the `-D` defines compile_commands.json
// gives each C/C++ file. Read as text, never run.

import { existsSync, readFileSync } from "node:fs";
import { extname, isAbsolute, join, resolve } from "node:path";
import type { ProjectFacts } from "./ir.js";
import { GoModIndex, readGoMod } from "./frontends/go/go-mod.js";

function readText(path: string): string | undefined {
  try {
    return existsSync(path) ? readFileSync(path, "utf8") : undefined;
  } catch {
    return undefined;
  }
}

/** The `landlock` package's version in Cargo.lock, or the requirement in Cargo.toml. */
export function rustLandlockVersion(cargoLock: string | undefined, cargoToml: string | undefined): string | undefined {
  if (cargoLock) {
    const m = /\[\[package\]\]\s*\nname\s*=\s*"landlock"\s*\nversion\s*=\s*"([^"]+)"/.exec(cargoLock);
    if (m) return m[1];
  }
  if (cargoToml) {
    const m = /^\s*landlock\s*=\s*(?:"([^"]+)"|\{[^}]*version\s*=\s*"([^"]+)")/m.exec(cargoToml);
    if (m) return m[1] ?? m[2];
  }
  return undefined;
}

/** Facts of the project root itself: its go.mod and its Cargo files. */
export function readProjectFacts(root: string): ProjectFacts {
  const facts: ProjectFacts = {};
  const goMod = existsSync(join(root, "go.mod")) ? readGoMod(join(root, "go.mod")) : undefined;
  if (goMod?.goLandlockVersion) facts.goLandlockVersion = goMod.goLandlockVersion;
  const rust = rustLandlockVersion(readText(join(root, "Cargo.lock")), readText(join(root, "Cargo.toml")));
  if (rust) facts.rustLandlockVersion = rust;
  return facts;
}

export interface FileFactsOptions {
  /** Build tags every Go file is built with (`go build -tags`), e.g. `landlocktsync`. */
  goBuildTags?: readonly string[];
}

/**
 * The facts each file of one project is analysed with. A Go file gets the go-landlock
 * release of its own module (the nearest go.mod above it: a repository can hold several
 * modules on different releases) and the build tags; other files get the root's facts.
 * Files are read once, until `forget()`.
 */
export class FileFacts {
  private readonly goMods = new GoModIndex();
  private rootFacts?: ProjectFacts;

  constructor(
    readonly root: string,
    private readonly options: FileFactsOptions = {},
  ) {}

  /** The root's facts (rust-landlock, and go-landlock when the root is a Go module). */
  get project(): ProjectFacts {
    this.rootFacts ??= readProjectFacts(this.root);
    return this.rootFacts;
  }

  factsFor(file: string): ProjectFacts {
    if (extname(file).toLowerCase() !== ".go") return this.project;
    // The release is the file's own module's, never the root's when the file is in another module.
    const facts: ProjectFacts = { ...this.project };
    delete facts.goLandlockVersion;
    const version = this.goMods.factsFor(file)?.goLandlockVersion;
    if (version) facts.goLandlockVersion = version;
    if (this.options.goBuildTags?.length) facts.goBuildTags = [...this.options.goBuildTags];
    return facts;
  }

  /** A go.mod, Cargo file or compile_commands.json may have changed. */
  forget(): void {
    this.goMods.forget();
    this.rootFacts = undefined;
  }
}

interface CompileCommand {
  directory?: string;
  file?: string;
  command?: string;
  arguments?: string[];
}

function splitCommand(command: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of command.matchAll(re)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3]!));
  return out;
}

/** `-DNAME` / `-DNAME=VALUE` / `-D NAME` per absolute file path. Malformed files give an error message instead. */
export function readCompileDefines(root: string): { defines: Map<string, Record<string, string>>; error?: string } {
  const path = join(root, "compile_commands.json");
  const text = readText(path);
  const defines = new Map<string, Record<string, string>>();
  if (text === undefined) return { defines };
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch (e) {
    return { defines, error: `${path}: invalid JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(entries)) return { defines, error: `${path}: must be a JSON array of compile commands` };
  for (const entry of entries as CompileCommand[]) {
    if (!entry || typeof entry.file !== "string") continue;
    const dir = typeof entry.directory === "string" ? entry.directory : root;
    const file = isAbsolute(entry.file) ? entry.file : resolve(dir, entry.file);
    const args = Array.isArray(entry.arguments) ? entry.arguments.filter((a): a is string => typeof a === "string") : typeof entry.command === "string" ? splitCommand(entry.command) : [];
    const d: Record<string, string> = {};
    for (let i = 0; i < args.length; i++) {
      let def: string | undefined;
      if (args[i] === "-D" && i + 1 < args.length) def = args[++i];
      else if (args[i]!.startsWith("-D")) def = args[i]!.slice(2);
      if (!def) continue;
      const eq = def.indexOf("=");
      if (eq < 0) d[def] = "1";
      else d[def.slice(0, eq)] = def.slice(eq + 1);
    }
    defines.set(file, d);
  }
  return { defines };
}
