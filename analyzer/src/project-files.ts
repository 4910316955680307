// Which files make up a project: source files by extension, skipping dependency and build
// folders, nested projects and (cheaply) what the root .gitignore names. Which of them the
// analysis parses is project-relevance.ts's question.

import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { PROJECT_MARKERS } from "./project-root.js";

const SKIPPED_DIRS = new Set(["node_modules", ".git", "dist", "build", "out", "target", ".cache", ".landlock-lint-cache", "bower_components"]);
const MAX_LISTED_FILES = 50_000;

interface IgnoreRule {
  pattern: RegExp;
  dirOnly: boolean;
  anchored: boolean;
}

function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        re += ".*";
        i++;
        if (glob[i + 1] === "/") i++;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** The simple part of a root .gitignore: negations are ignored (a file is then looked at, which is the safe side). */
export function readIgnoreRules(root: string): IgnoreRule[] {
  let text: string;
  try {
    text = readFileSync(join(root, ".gitignore"), "utf8");
  } catch {
    return [];
  }
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith("!")) continue;
    const dirOnly = line.endsWith("/");
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.startsWith("/") || line.includes("/");
    if (line.startsWith("/")) line = line.slice(1);
    if (!line) continue;
    rules.push({ pattern: globToRegExp(line), dirOnly, anchored });
  }
  return rules;
}

function ignored(rules: IgnoreRule[], relPath: string, isDir: boolean): boolean {
  const name = relPath.split("/").pop()!;
  return rules.some((r) => (!r.dirOnly || isDir) && (r.anchored ? r.pattern.test(relPath) : r.pattern.test(name)));
}

export function listSourceFiles(root: string, extensions: readonly string[]): string[] {
  const exts = new Set(extensions);
  const rules = readIgnoreRules(root);
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (out.length >= MAX_LISTED_FILES || depth > 40) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    if (dir !== root && entries.some((e) => (PROJECT_MARKERS as readonly string[]).includes(e.name))) return; // a nested project
    for (const e of entries) {
      const full = join(dir, e.name);
      const rel = relative(root, full).split(sep).join("/");
      if (e.isDirectory()) {
        if (SKIPPED_DIRS.has(e.name) || ignored(rules, rel, true)) continue;
        walk(full, depth + 1);
      } else if (e.isFile()) {
        const dot = e.name.lastIndexOf(".");
        if (dot <= 0 || !exts.has(e.name.slice(dot).toLowerCase())) continue;
        if (ignored(rules, rel, false)) continue;
        out.push(full);
      }
    }
  };
  walk(root, 0);
  return out.sort();
}
