// The JavaScript/TypeScript front-end: typescript-estree (no type information) -> sandbox IR.
// Finds Node.js, Deno and Bun programs calling Landlock through an FFI (koffi, ffi-napi,
// ffi-rs, Deno.dlopen, bun:ffi) or a native addon, with the runtime's own threads, worker
// threads, child processes, signals, abstract sockets and privilege changes around them.

import type { IrFile, Language } from "../../ir.js";
import { LineIndex } from "../../text/positions.js";
import type { FrontEnd, FrontEndOptions } from "../frontend.js";
import { buildJsFileIr } from "./file-walker.js";
import { boundNesting } from "./nesting.js";
import { parseTolerant } from "./parse.js";

const TS_EXTENSIONS = [".ts", ".mts", ".cts", ".tsx"];
const JS_EXTENSIONS = [".js", ".mjs", ".cjs", ".jsx"];
const JSX_EXTENSIONS = [".jsx", ".tsx"];

function extensionOf(file: string): string {
  const slash = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  const dot = file.lastIndexOf(".");
  return dot > slash ? file.slice(dot).toLowerCase() : "";
}

/** Marks the parse problem reported when the front-end itself failed on a file (tests look for it). */
export const JS_INTERNAL_ERROR = "internal error in the JS/TS front-end";

function emptyIr(file: string, language: Language, message: string): IrFile {
  const at = { line: 1, column: 0, offset: 0 };
  return { file, language, functions: [], parseProblems: [{ message, range: { start: at, end: at } }], comments: [], failed: message };
}

export const jsFrontEnd: FrontEnd = {
  languages: ["javascript", "typescript"],
  extensions: [...JS_EXTENSIONS, ...TS_EXTENSIONS],
  languageOf(file: string): Language {
    return TS_EXTENSIONS.includes(extensionOf(file)) ? "typescript" : "javascript";
  },
  toIr(text: string, file: string, language: Language, options: FrontEndOptions): IrFile {
    try {
      const lines = new LineIndex(text);
      const jsx = JSX_EXTENSIONS.includes(extensionOf(file));
      // typescript-estree's parser and converter recurse: deep nesting or a very long
      // expression chain runs out of stack. Then the deep parts are blanked and the rest of
      // the file is analysed, each time with a lower limit.
      for (const limit of [undefined, ...NESTING_LIMITS]) {
        const bounded = limit === undefined ? { text, flattened: [] } : boundNesting(text, limit, limit);
        const flattened = bounded.flattened.slice(0, MAX_LISTED_FLATTENED).map((f) => ({ message: f.message, range: lines.range(f.offset, f.offset + f.length) }));
        try {
          const parsed = parseTolerant(bounded.text, jsx, lines);
          const problems = [...flattened, ...parsed.problems];
          if (!parsed.program) return { file, language, functions: [], parseProblems: problems, comments: [] };
          return buildJsFileIr(parsed.program, bounded.text, file, language, options, lines, problems);
        } catch (error) {
          if (!isStackOverflow(error)) throw error;
        }
      }
      return emptyIr(file, language, `${file}: nesting too deep to parse even with the deep parts blanked; the file was not analysed`);
    } catch (error) {
      // The contract: never throw. Report the failure as a parse problem of the file.
      const reason = error instanceof Error ? error.message : String(error);
      return emptyIr(file, language, `${file}: ${JS_INTERNAL_ERROR} (${reason}); the file was not analysed`);
    }
  },
};

/** Bracket depth and chain length kept after a parse ran out of stack, tried in order. */
const NESTING_LIMITS = [120, 30];
const MAX_LISTED_FLATTENED = 20;

function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}
