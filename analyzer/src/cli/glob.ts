// Glob patterns (the subset shared by .gitignore files and command-line globs) compiled
// to regular expressions over forward-slash paths: `*` and `?` never cross `/`, `[...]`
// classes, `\` escapes, and `**` as a whole segment matching zero or more directories.

const GLOB_CHARS = /[*?[{]/;

/** True when `text` contains glob syntax (so it is a pattern, not a path). */
export function hasGlobSyntax(text: string): boolean {
  return GLOB_CHARS.test(text);
}

/**
 * The regular expression source (without anchors) for a slash-separated glob.
 * `**` only has its "any number of directories" meaning as a whole segment; elsewhere
 * it behaves like `*`, as in git.
 */
export function globToRegexSource(pattern: string): string {
  const segments = pattern.split("/");
  let out = "";
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === "**") {
      // `a/**` matches everything inside a; `**/b` and `a/**/b` match zero or more directories.
      out += last ? ".*" : "(?:.*/)?";
      continue;
    }
    out += segmentToRegexSource(segment);
    if (!last) out += "/";
  }
  return out;
}

function segmentToRegexSource(segment: string): string {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "\\" && i + 1 < segment.length) {
      out += escapeRegex(segment[++i]!);
    } else if (c === "*") {
      while (segment[i + 1] === "*") i++;
      out += "[^/]*";
    } else if (c === "?") {
      out += "[^/]";
    } else if (c === "[") {
      const end = classEnd(segment, i);
      if (end === -1) {
        out += "\\[";
      } else {
        out += classToRegexSource(segment.slice(i + 1, end));
        i = end;
      }
    } else {
      out += escapeRegex(c);
    }
  }
  return out;
}

/** Index of the `]` closing the class opened at `start`, or -1 when it is not a class. */
function classEnd(segment: string, start: number): number {
  let i = start + 1;
  if (segment[i] === "!" || segment[i] === "^") i++;
  if (segment[i] === "]") i++; // a leading `]` is a literal member
  for (; i < segment.length; i++) {
    if (segment[i] === "\\") i++;
    else if (segment[i] === "]") return i;
  }
  return -1;
}

function classToRegexSource(body: string): string {
  let negated = false;
  if (body.startsWith("!") || body.startsWith("^")) {
    negated = true;
    body = body.slice(1);
  }
  let members = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === "\\" && i + 1 < body.length) members += "\\" + body[++i]!;
    else if (c === "-" && members !== "" && i + 1 < body.length) members += "-";
    else members += c === "]" || c === "^" || c === "\\" || c === "-" ? "\\" + c : c;
  }
  // A class never matches the separator, negated or not.
  return negated ? `[^/${members}]` : `(?!/)[${members}]`;
}

function escapeRegex(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? "\\" + c : c;
}

/** Expands `{a,b}` alternatives (nested allowed); a brace without a comma stays literal. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let open = -1;
  const commas: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
    } else if (c === "{") {
      if (depth === 0) {
        open = i;
        commas.length = 0;
      }
      depth++;
    } else if (c === "," && depth === 1) {
      commas.push(i);
    } else if (c === "}" && depth > 0) {
      depth--;
      if (depth === 0 && commas.length > 0) {
        const before = pattern.slice(0, open);
        const after = pattern.slice(i + 1);
        const bounds = [open, ...commas, i];
        const results: string[] = [];
        for (let k = 0; k + 1 < bounds.length; k++) {
          const alternative = pattern.slice(bounds[k]! + 1, bounds[k + 1]);
          results.push(...expandBraces(before + alternative + after));
        }
        return results;
      }
    }
  }
  return [pattern];
}

/** A matcher for a command-line glob, anchored at the start of a cwd-relative path. */
export function compileGlob(pattern: string): (relPath: string) => boolean {
  const regexes = expandBraces(pattern).map((p) => new RegExp(`^${globToRegexSource(p)}$`));
  return (relPath) => regexes.some((r) => r.test(relPath));
}
