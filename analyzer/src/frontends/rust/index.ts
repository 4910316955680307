// The Rust front-end: tree-sitter-rust -> sandbox IR.

import type { IrFile, Language } from "../../ir.js";
import type { FrontEnd, FrontEndOptions } from "../frontend.js";
import { parse, noteRuntimeFailure } from "../treesitter.js";
import { buildRustFileIr } from "./file-walker.js";

/** Marks the parse problem reported when the front-end itself failed on a file (tests look for it). */
export const RUST_INTERNAL_ERROR = "the Rust front-end could not analyse this file";

function emptyIr(file: string, message: string): IrFile {
  const at = { line: 1, column: 0, offset: 0 };
  return { file, language: "rust", functions: [], parseProblems: [{ message, range: { start: at, end: at } }], comments: [], failed: message };
}

export const rustFrontEnd: FrontEnd = {
  languages: ["rust"],
  extensions: [".rs"],
  languageOf(): Language {
    return "rust";
  },
  toIr(text: string, file: string, _language: Language, options: FrontEndOptions): IrFile {
    try {
      // With a cache (language server) the tree is reparsed from the file's last one and stays with the cache.
      const cache = options.cache;
      const tree = cache ? cache.parse(file, "rust", text) : parse("rust", text);
      try {
        return buildRustFileIr(tree.rootNode, text, file, options);
      } finally {
        if (!cache) tree.delete();
      }
    } catch (error) {
      // The contract: never throw. Report the failure as a parse problem of the file.
      noteRuntimeFailure(error);
      const reason = error instanceof Error ? error.message : String(error);
      return emptyIr(file, `${file}: ${RUST_INTERNAL_ERROR} (${reason})`);
    }
  },
};
