// Which documents the server analyses: by LSP languageId first, then by file extension.
// Each supported language maps to the extension the analyzer's front-ends read (so a
// `c` document named `foo.inc` is still analysed as C), the tree-sitter grammar kept for
// incremental reparsing (JS/TS have none: their front-end is not tree-sitter) and the
// line-comment syntax suppression comments are written in.

import type { GrammarName } from "@landlock-lint/analyzer/treesitter";

export interface DocumentLanguage {
  id: "c" | "cpp" | "go" | "rust" | "javascript" | "typescript";
  /** Extension (with dot) the analyzer reads this language from. */
  extension: string;
  grammar?: GrammarName;
  lineComment: string;
}

const LANGUAGES: Record<DocumentLanguage["id"], DocumentLanguage> = {
  c: { id: "c", extension: ".c", grammar: "c", lineComment: "//" },
  cpp: { id: "cpp", extension: ".cpp", grammar: "cpp", lineComment: "//" },
  go: { id: "go", extension: ".go", grammar: "go", lineComment: "//" },
  rust: { id: "rust", extension: ".rs", grammar: "rust", lineComment: "//" },
  javascript: { id: "javascript", extension: ".js", lineComment: "//" },
  typescript: { id: "typescript", extension: ".ts", lineComment: "//" },
};

/** LSP languageIds editors use for these languages (VS Code, Neovim filetypes, Helix, Emacs modes). */
const LANGUAGE_IDS: Record<string, DocumentLanguage["id"]> = {
  c: "c",
  cpp: "cpp",
  "c++": "cpp",
  cuda: "cpp",
  objc: "c",
  go: "go",
  rust: "rust",
  javascript: "javascript",
  javascriptreact: "javascript",
  typescript: "typescript",
  typescriptreact: "typescript",
};

const EXTENSIONS: Record<string, DocumentLanguage["id"]> = {
  ".c": "c",
  ".h": "c",
  ".cc": "cpp",
  ".cpp": "cpp",
  ".cxx": "cpp",
  ".c++": "cpp",
  ".hh": "cpp",
  ".hpp": "cpp",
  ".hxx": "cpp",
  ".h++": "cpp",
  ".ipp": "cpp",
  ".tcc": "cpp",
  ".inl": "cpp",
  ".go": "go",
  ".rs": "rust",
  ".js": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".jsx": "javascript",
  ".ts": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
  ".tsx": "typescript",
};

export function extensionOf(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot).toLowerCase() : "";
}

/** The language of a document, or undefined when the server does not analyse it. */
export function documentLanguage(languageId: string | undefined, path: string): DocumentLanguage | undefined {
  const byExtension = EXTENSIONS[extensionOf(path)];
  const byId = languageId ? LANGUAGE_IDS[languageId.toLowerCase()] : undefined;
  // A `.h` file opened as C++ is C++; otherwise the editor's languageId decides, then the extension.
  const id = byId ?? byExtension;
  return id ? LANGUAGES[id] : undefined;
}

/** Whether the analyzer reads `path` as `language` by its extension alone. */
export function extensionMatches(language: DocumentLanguage, path: string): boolean {
  const ext = extensionOf(path);
  const own = EXTENSIONS[ext];
  if (own === language.id) return true;
  // `.h` is read as C and switched to C++ by content; that is the analyzer's call.
  return ext === ".h" && language.id === "cpp";
}

/** The languageIds the server registers for (document selectors, tests). */
export const SUPPORTED_LANGUAGE_IDS = Object.keys(LANGUAGE_IDS);
