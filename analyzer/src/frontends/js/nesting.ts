// Makes a JS/TS text shallow enough for typescript-estree. Its parser and its ESTree
// converter are recursive: a few hundred levels of brackets, or a few hundred links of one
// expression chain (`a + a + ...`, `a.b().c()...`, `() => () => ...`, `else if ...`), exhaust
// Node's stack. Used only after a parse ran out of stack: brackets deeper than the limit
// have their contents blanked (a `0` keeps `(...)` and `[...]` an expression), and a
// statement or list item with a chain longer than the limit is blanked whole. Blanking
// keeps every offset and line break, so positions still point into the real text; each
// blanked place is reported as a parse problem.

/** One place made opaque. */
export interface Flattened {
  offset: number;
  length: number;
  message: string;
}

export interface Bounded {
  text: string;
  flattened: Flattened[];
}

const CLOSER: Record<string, string> = { "(": ")", "[": "]", "{": "}", "${": "}" };
/** Words that continue an expression chain (each adds a level to the parse). */
const CHAIN_WORDS = new Set(["if", "else", "new", "await", "typeof", "void", "delete", "yield", "instanceof", "in", "as", "satisfies"]);
/** Words after which a line break does not end the statement. */
const CONTINUATION_WORDS = new Set(["else", "instanceof", "in", "as", "satisfies"]);
const OPERATOR = /[-+*/%&|^!~?:<>=.]/;
const ELSE_AHEAD = /\s*else\b/y;
const REGEX_AFTER = "(,=:[!&|?{};+-*%<>~^";

interface Level {
  open: string;
  /** Offset just past the opener. */
  start: number;
  /** Chain links since the statement or list item began, and where it began. */
  chain: number;
  segment: number;
  /** The segment has too long a chain: blanked from `segment` when it ends. */
  overlong: boolean;
}

/**
 * Blanks what is nested deeper than `maxDepth` brackets and every statement or list item
 * whose expression chain has more than `maxChain` links. Linear in the text.
 */
export function boundNesting(text: string, maxDepth: number, maxChain: number): Bounded {
  const blanks: { start: number; end: number; fill: "0" | " " }[] = [];
  const flattened: Flattened[] = [];
  const levels: Level[] = [{ open: "", start: 0, chain: 0, segment: 0, overlong: false }];
  /** Index in `levels` of the first level past the depth limit, while inside one. */
  let deepFrom = -1;
  let lastSignificant = "";
  let lastWord = "";
  let sawBreak = false;
  const n = text.length;

  const endSegment = (level: Level, end: number): void => {
    if (level.overlong && deepFrom < 0) {
      blanks.push({ start: level.segment, end, fill: level.open === "(" || level.open === "[" ? "0" : " " });
      flattened.push({ offset: level.segment, length: end - level.segment, message: `expression chain longer than ${maxChain}: not analysed` });
    }
    level.chain = 0;
    level.segment = end;
    level.overlong = false;
  };
  const link = (): void => {
    const level = levels[levels.length - 1]!;
    if (++level.chain > maxChain) level.overlong = true;
  };
  const open = (kind: string, at: number, width: number): void => {
    levels.push({ open: kind, start: at + width, chain: 0, segment: at + width, overlong: false });
    if (deepFrom < 0 && levels.length - 1 > maxDepth) {
      deepFrom = levels.length - 1;
      flattened.push({ offset: at, length: 1, message: `nesting deeper than ${maxDepth}: not analysed` });
    }
  };
  const close = (at: number): void => {
    const level = levels.pop()!;
    if (deepFrom >= 0 && levels.length === deepFrom) {
      deepFrom = -1;
      if (/\S/.test(text.slice(level.start, at))) blanks.push({ start: level.start, end: at, fill: level.open === "(" || level.open === "[" || level.open === "${" ? "0" : " " });
    } else endSegment(level, at);
  };

  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === "\n") sawBreak = true;
    if (c === "/" && text[i + 1] === "/") {
      const nl = text.indexOf("\n", i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (text.lastIndexOf("\n", end < 0 ? n : end) > i) sawBreak = true;
      i = end < 0 ? n : end + 2;
      continue;
    }
    const top = levels[levels.length - 1]!;
    if (c === "'" || c === '"') {
      statementBoundary(i);
      i = skipString(text, i, c);
      lastSignificant = "a";
      lastWord = "";
      continue;
    }
    if (c === "`" || (c === "}" && top.open === "${")) {
      if (c === "}") close(i);
      else statementBoundary(i);
      const { at: j, opened } = templateTextEnd(text, i + 1);
      if (opened) {
        open("${", j, 2);
        i = j + 2;
        lastSignificant = "(";
      } else {
        i = j + 1;
        lastSignificant = "a";
      }
      lastWord = "";
      continue;
    }
    if (c === "/" && (lastSignificant === "" || REGEX_AFTER.includes(lastSignificant))) {
      let j = i + 1;
      let inClass = false;
      while (j < n && text[j] !== "\n") {
        if (text[j] === "\\") j += 2;
        else if (text[j] === "[") (inClass = true), j++;
        else if (text[j] === "]") (inClass = false), j++;
        else if (text[j] === "/" && !inClass) break;
        else j++;
      }
      i = j + 1;
      lastSignificant = "a";
      lastWord = "";
      continue;
    }
    if (isWordChar(c)) {
      let j = i + 1;
      while (j < n && isWordChar(text[j]!)) j++;
      const word = text.slice(i, j);
      if (!CONTINUATION_WORDS.has(word)) statementBoundary(i);
      if (CHAIN_WORDS.has(word)) link();
      lastSignificant = "a";
      lastWord = word;
      sawBreak = false;
      i = j;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") {
      if (c === "{") statementBoundary(i);
      open(c, i, 1);
      lastSignificant = c;
    } else if (c === ")" || c === "]" || c === "}") {
      if (levels.length > 1 && CLOSER[top.open] === c) close(i);
      lastSignificant = c === "}" ? "}" : "a";
    } else if (c === ";" || c === ",") {
      // `if (x) a(); else ...` is still one statement.
      ELSE_AHEAD.lastIndex = i + 1;
      if (c === "," || !ELSE_AHEAD.test(text)) endSegment(top, i + 1);
      lastSignificant = c;
    } else if (OPERATOR.test(c)) {
      // Each character of an operator run is a link: `!!!!x` nests as deep as `a+a+a+a`.
      let j = i + 1;
      while (j < n && OPERATOR.test(text[j]!) && text[j] !== "/") j++;
      for (let k = i; k < j; k++) link();
      lastSignificant = text[j - 1]!;
      sawBreak = false;
      i = j;
      continue;
    } else if (!/\s/.test(c)) lastSignificant = c;
    if (!/\s/.test(c)) {
      lastWord = "";
      sawBreak = false;
    }
    i++;
  }
  // What the end of the file left open.
  if (deepFrom >= 0) {
    const level = levels[deepFrom]!;
    blanks.push({ start: level.start, end: n, fill: " " });
  }
  for (let k = levels.length - 1; k >= 0; k--) if (deepFrom < 0 || k < deepFrom) endSegment(levels[k]!, n);
  return { text: applyBlanks(text, blanks), flattened };

  /**
   * A word, string or block after a line break (or after a block) starts a new statement
   * when what came before cannot continue an expression: ASI's common case.
   */
  function statementBoundary(at: number): void {
    const ended = lastSignificant === "a" || lastSignificant === ")" || lastSignificant === "]" || lastSignificant === "}";
    if (!ended) return;
    if (sawBreak || lastSignificant === "}") {
      if (lastWord && CHAIN_WORDS.has(lastWord)) return;
      endSegment(levels[levels.length - 1]!, at);
    }
  }
}

function isWordChar(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c === "_" || c === "$" || c > "\x7f";
}

function skipString(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\") i += 2;
    else if (c === quote || c === "\n") return i + 1;
    else i++;
  }
  return i;
}

/** Replaces each range by its fill and spaces, line breaks kept; an outer range wins over what it contains. */
function applyBlanks(text: string, blanks: { start: number; end: number; fill: "0" | " " }[]): string {
  if (blanks.length === 0) return text;
  blanks.sort((a, b) => a.start - b.start || b.end - a.end);
  const parts: string[] = [];
  let at = 0;
  for (const b of blanks) {
    if (b.end <= at) continue;
    const start = Math.max(b.start, at);
    parts.push(text.slice(at, start));
    const blanked = text.slice(start, b.end).replace(/[^\r\n]/g, " ");
    const space = blanked.indexOf(" ");
    parts.push(b.fill === "0" && start === b.start && space >= 0 ? `${blanked.slice(0, space)}0${blanked.slice(space + 1)}` : blanked);
    at = b.end;
  }
  parts.push(text.slice(at));
  return parts.join("");
}

/**
 * Inside a template literal, from `from` (just after its backtick or a `${...}`'s closing
 * brace): where its text ends, at the closing backtick or at the next `${` (`opened`).
 */
export function templateTextEnd(text: string, from: number): { at: number; opened: boolean } {
  let j = from;
  while (j < text.length) {
    if (text[j] === "\\") j += 2;
    else if (text[j] === "`") return { at: j, opened: false };
    else if (text[j] === "$" && text[j + 1] === "{") return { at: j, opened: true };
    else j++;
  }
  return { at: j, opened: false };
}
