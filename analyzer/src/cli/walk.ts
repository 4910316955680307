// Turns the command line's paths and globs into the list of files to lint. Directories are
// walked with .gitignore files honoured and `node_modules`, `.git` and `dist` skipped;
// problems (missing paths, symbolic link loops, directories that cannot be listed) become
// error entries and the walk goes on.

import { existsSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from "node:fs";
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { compileGlob, hasGlobSyntax } from "./glob.js";
import { isIgnored, loadIgnoreLayer, type IgnoreLayer } from "./gitignore.js";

export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(["node_modules", ".git", "dist"]);

export interface PathError {
  /** Absolute path, or the pattern as typed when no file stands behind it. */
  path: string;
  message: string;
}

export interface CollectedFiles {
  /** Absolute paths, each file once (by real path), sorted. */
  files: string[];
  errors: PathError[];
}

export interface CollectOptions {
  cwd: string;
  /** Lower-case extensions with the dot, from the registered front-ends. */
  extensions: ReadonlySet<string>;
}

export function collectFiles(inputs: readonly string[], options: CollectOptions): CollectedFiles {
  const walker = new Walker(options);
  for (const input of inputs) walker.add(input);
  return walker.result();
}

/** `a/b.c` relative to the cwd with forward slashes (absolute when outside the cwd's drive). */
export function displayPath(cwd: string, path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path) || ".";
  return sep === "/" ? rel : rel.split(sep).join("/");
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (rel.split(sep)[0] !== ".." && !isAbsolute(rel));
}

function errorMessage(error: unknown, what: string): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case "EACCES":
    case "EPERM":
      return `permission denied: cannot ${what}`;
    case "ELOOP":
      return "symbolic link loop: the link resolves to itself";
    case "ENOENT":
      return "no such file or directory";
    default:
      return `cannot ${what}: ${e.message}`;
  }
}

interface DirectoryWalk {
  accept: (abs: string) => boolean;
  walked: Set<string>;
  /** Files accepted, counting those an earlier argument already added. */
  matched: number;
}

class Walker {
  private readonly files = new Map<string, string>(); // real path -> path as found
  private readonly errors: PathError[] = [];

  constructor(private readonly options: CollectOptions) {}

  add(input: string): void {
    const path = resolve(this.options.cwd, input);
    let stats: Stats | undefined;
    try {
      stats = statSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && hasGlobSyntax(input)) return this.addGlob(input);
      this.errors.push({ path: code === "ENOENT" ? input : path, message: errorMessage(error, "read this path") });
      return;
    }
    if (stats.isDirectory()) {
      this.walkRoot(path, () => true, Infinity);
    } else if (!this.isLintable(path)) {
      this.errors.push({
        path,
        message: `no language front-end reads "${extname(path) || "(no extension)"}" files (supported: ${[...this.options.extensions].join(", ") || "none registered"})`,
      });
    } else {
      this.addFile(path);
    }
  }

  result(): CollectedFiles {
    return { files: [...this.files.values()].sort(), errors: this.errors };
  }

  private addGlob(pattern: string): void {
    const normalised = pattern.split("\\").join("/").replace(/^(\.\/)+/, "");
    const segments = normalised.split("/");
    const firstGlob = segments.findIndex(hasGlobSyntax);
    const base = resolve(this.options.cwd, segments.slice(0, firstGlob).join("/") || ".");
    const maxDepth = normalised.includes("**") ? Infinity : segments.length - firstGlob;
    const matches = compileGlob(normalised);
    const matchPath = isAbsolute(normalised)
      ? (abs: string) => matches(abs.split(sep).join("/"))
      : (abs: string) => matches(displayPath(this.options.cwd, abs));
    const matched = existsSync(base) ? this.walkRoot(base, matchPath, maxDepth) : 0;
    if (matched === 0) this.errors.push({ path: pattern, message: "no lintable files match this pattern" });
  }

  private isLintable(path: string): boolean {
    return this.options.extensions.has(extname(path).toLowerCase());
  }

  private addFile(path: string): void {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      real = path;
    }
    if (!this.files.has(real)) this.files.set(real, path);
  }

  /**
   * The .gitignore layers of the strict ancestors of `dir`, from the repository root (the
   * nearest folder holding `.git`) down; outside a repository, from the cwd down.
   */
  private ancestorLayers(dir: string): IgnoreLayer[] {
    let top: string | undefined;
    for (let d = dir; ; d = dirname(d)) {
      if (existsSync(join(d, ".git"))) {
        top = d;
        break;
      }
      if (dirname(d) === d) break;
    }
    top ??= isInside(this.options.cwd, dir) ? this.options.cwd : dir;
    const ancestors: string[] = [];
    for (let d = dir; d !== top; d = dirname(d)) ancestors.unshift(dirname(d));
    const layers: IgnoreLayer[] = [];
    for (const d of ancestors) {
      const layer = this.readLayer(d);
      if (layer) layers.push(layer);
    }
    return layers;
  }

  private readLayer(dir: string): IgnoreLayer | null {
    try {
      return loadIgnoreLayer(dir);
    } catch (error) {
      this.errors.push({ path: join(dir, ".gitignore"), message: errorMessage(error, "read this .gitignore") });
      return null;
    }
  }

  /** Walks a folder; returns how many files it accepted. */
  private walkRoot(root: string, accept: (abs: string) => boolean, maxDepth: number): number {
    let real: string;
    try {
      real = realpathSync(root);
    } catch (error) {
      this.errors.push({ path: root, message: errorMessage(error, "resolve this directory") });
      return 0;
    }
    const walk: DirectoryWalk = { accept, walked: new Set(), matched: 0 };
    this.walkDirectory(walk, root, real, this.ancestorLayers(root), new Set([real]), maxDepth);
    return walk.matched;
  }

  private walkDirectory(
    walk: DirectoryWalk,
    dir: string,
    realDir: string,
    outerLayers: readonly IgnoreLayer[],
    realAncestors: ReadonlySet<string>,
    depthLeft: number,
  ): void {
    // Two links to one directory: walk it once.
    if (walk.walked.has(realDir)) return;
    walk.walked.add(realDir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      this.errors.push({ path: dir, message: errorMessage(error, "list this directory") });
      return;
    }
    const own = this.readLayer(dir);
    const layers = own ? [...outerLayers, own] : outerLayers;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      let realPath = join(realDir, entry.name);
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(path);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
          realPath = realpathSync(path);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          // A dangling link only matters when it looks like a source file.
          if (code === "ENOENT" && !this.isLintable(path)) continue;
          if (code === "ENOENT") this.errors.push({ path, message: "broken symbolic link: its target does not exist" });
          else this.errors.push({ path, message: errorMessage(error, "follow this symbolic link") });
          continue;
        }
      }
      if (isDirectory) {
        if (SKIPPED_DIRECTORIES.has(entry.name) || depthLeft <= 1 || isIgnored(layers, path, true)) continue;
        if (realAncestors.has(realPath)) {
          this.errors.push({ path, message: `symbolic link loop: the link leads back to ${displayPath(this.options.cwd, realPath)}` });
          continue;
        }
        this.walkDirectory(walk, path, realPath, layers, new Set([...realAncestors, realPath]), depthLeft - 1);
      } else if (isFile && this.isLintable(path) && !isIgnored(layers, path, false) && walk.accept(path)) {
        walk.matched++;
        if (!this.files.has(realPath)) this.files.set(realPath, path);
      }
    }
  }
}
