// The C and C++ front-end: tree-sitter-c / tree-sitter-cpp -> sandbox IR.

import type { IrFile, Language } from "../../ir.js";
import type { FrontEnd, FrontEndOptions } from "../frontend.js";
import { parse, noteRuntimeFailure, ParseBudgetExceeded } from "../treesitter.js";
import { buildFileIr } from "./file-walker.js";
import { incrementalInputs } from "./incremental.js";

const C_EXTENSIONS = [".c", ".h"];
const CPP_EXTENSIONS = [".cc", ".cpp", ".cxx", ".c++", ".hh", ".hpp", ".hxx", ".h++", ".ipp", ".tcc", ".inl"];

function extensionOf(file: string): string {
  const slash = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  const dot = file.lastIndexOf(".");
  return dot > slash ? file.slice(dot).toLowerCase() : "";
}

/**
 * C++ syntax in a `.h` file: a declaration that only C++ has, at the start of a line
 * (comments and strings rarely start a line with these).
 */
const CPP_MARKERS =
  /^[ \t]*(?:namespace\s+[\w:]*\s*\{|template\s*<|class\s+\w+[^;()]*\{|(?:public|private|protected)\s*:|using\s+namespace\s|extern\s+"C\+\+"|#\s*include\s*<(?:iostream|string|vector|memory|thread|mutex|map|functional|future|atomic|cstdint|cstdio|cstdlib|cstring)>)|\bstd::\w|\bnullptr\b|\bconstexpr\b/m;

/** Words one of which every C++ marker contains: a cheap test before the regular expression. */
const CPP_WORDS = ["namespace", "template", "class", "public", "private", "protected", "using", "C++", "#include", "std::", "nullptr", "constexpr"];

export function looksLikeCpp(text: string): boolean {
  const sample = text.length > 2_000_000 ? text.slice(0, 2_000_000) : text;
  return CPP_WORDS.some((w) => sample.includes(w)) && CPP_MARKERS.test(sample);
}

/** Marks the parse problem reported when the front-end itself failed on a file (tests look for it). */
export const INTERNAL_ERROR = "internal error in the C/C++ front-end";

function emptyIr(file: string, language: Language, message: string): IrFile {
  const at = { line: 1, column: 0, offset: 0 };
  return { file, language, functions: [], parseProblems: [{ message, range: { start: at, end: at } }], comments: [], failed: message };
}

export const cFrontEnd: FrontEnd = {
  languages: ["c", "cpp"],
  extensions: [...C_EXTENSIONS, ...CPP_EXTENSIONS],
  languageOf(file: string): Language {
    return CPP_EXTENSIONS.includes(extensionOf(file)) ? "cpp" : "c";
  },
  toIr(text: string, file: string, language: Language, options: FrontEndOptions): IrFile {
    let grammar: "c" | "cpp" = language === "cpp" ? "cpp" : "c";
    try {
      if (grammar === "c" && extensionOf(file) === ".h" && looksLikeCpp(text)) grammar = "cpp";
      const cache = options.cache;
      if (cache) {
        // The cache owns the tree; the per-function reuse state lives and dies with it.
        const inputs = incrementalInputs(cache, file, grammar, text);
        return buildFileIr(inputs.tree.rootNode, text, file, grammar, options, inputs);
      }
      const tree = parse(grammar, text);
      try {
        return buildFileIr(tree.rootNode, text, file, grammar, options);
      } finally {
        tree.delete();
      }
    } catch (error) {
      // The contract: never throw. Report the failure as a parse problem of the file.
      noteRuntimeFailure(error);
      const reason = error instanceof Error ? error.message : String(error);
      // A parse stopped by its budget is no internal error: its message says what happened.
      if (error instanceof ParseBudgetExceeded) return emptyIr(file, grammar, `${file}: ${reason}`);
      return emptyIr(file, grammar, `${file}: ${INTERNAL_ERROR} (${reason}); the file was not analysed`);
    }
  },
};
