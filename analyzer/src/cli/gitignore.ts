// The common subset of .gitignore semantics: `#` comments, `!` negation, trailing `/` for
// directories only, patterns with a `/` anchored to the .gitignore's directory, `**`, and
// deeper files overriding shallower ones (the last matching rule wins). Excluded
// directories are never entered, so, as in git, a file inside one cannot be re-included.

import { readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { globToRegexSource } from "./glob.js";

export interface IgnoreRule {
  negated: boolean;
  dirOnly: boolean;
  regex: RegExp;
}

/** The rules of one .gitignore file and the directory its patterns are relative to. */
export interface IgnoreLayer {
  dir: string;
  rules: IgnoreRule[];
}

export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const rawLine of text.split("\n")) {
    let line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    line = stripUnescapedTrailingSpaces(line);
    if (line === "" || line.startsWith("#")) continue;
    let negated = false;
    if (line.startsWith("!")) {
      negated = true;
      line = line.slice(1);
    } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
      line = line.slice(1);
    }
    let dirOnly = false;
    if (line.endsWith("/")) {
      dirOnly = true;
      line = line.replace(/\/+$/, "");
    }
    const anchored = line.includes("/");
    line = line.replace(/^\/+/, "");
    if (line === "") continue;
    const body = globToRegexSource(line);
    rules.push({ negated, dirOnly, regex: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`) });
  }
  return rules;
}

function stripUnescapedTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === " " && line[end - 2] !== "\\") end--;
  // An escaped trailing space stays as `\ `, which the glob compiler reads as a literal space.
  return line.slice(0, end);
}

/** Reads `<dir>/.gitignore`; null when there is none. Throws for any other read error. */
export function loadIgnoreLayer(dir: string): IgnoreLayer | null {
  let text: string;
  try {
    text = readFileSync(join(dir, ".gitignore"), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw error;
  }
  const rules = parseGitignore(text);
  return rules.length > 0 ? { dir, rules } : null;
}

/** Whether `absPath` is excluded by the layers (ordered from the outermost directory inward). */
export function isIgnored(layers: readonly IgnoreLayer[], absPath: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const layer of layers) {
    const rel = relative(layer.dir, absPath);
    if (rel === "" || rel.startsWith("..")) continue;
    const path = sep === "/" ? rel : rel.split(sep).join("/");
    for (const rule of layer.rules) {
      if (rule.dirOnly && !isDirectory) continue;
      if (rule.regex.test(path)) ignored = !rule.negated;
    }
  }
  return ignored;
}
