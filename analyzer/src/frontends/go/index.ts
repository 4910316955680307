// The Go front-end: tree-sitter-go -> sandbox IR.

import type { IrFile, Language } from "../../ir.js";
import type { FrontEnd, FrontEndOptions } from "../frontend.js";
import { parse, noteRuntimeFailure } from "../treesitter.js";
import { buildGoFileIr } from "./file-walker.js";
import { resetNodeTypes } from "./node-type.js";

function emptyIr(file: string, message: string): IrFile {
  const at = { line: 1, column: 0, offset: 0 };
  return { file, language: "go", functions: [], parseProblems: [{ message, range: { start: at, end: at } }], comments: [], failed: message };
}

export const goFrontEnd: FrontEnd = {
  languages: ["go"],
  extensions: [".go"],
  languageOf(): Language {
    return "go";
  },
  toIr(text: string, file: string, _language: Language, options: FrontEndOptions): IrFile {
    try {
      // With a cache (language server) the tree is reparsed from the file's last one and stays with the cache.
      const cache = options.cache;
      const tree = cache ? cache.parse(file, "go", text) : parse("go", text);
      try {
        return buildGoFileIr(tree.rootNode, text, file, options);
      } finally {
        // The caches refer to this tree's nodes: drop them with it.
        resetNodeTypes();
        if (!cache) tree.delete();
      }
    } catch (error) {
      // The contract: never throw. Report the failure as a parse problem of the file.
      noteRuntimeFailure(error);
      const reason = error instanceof Error ? error.message : String(error);
      return emptyIr(file, `${file}: the Go front-end could not analyse this file (${reason})`);
    }
  },
};
