// The plugin's languages: `landlock/c`, `landlock/cpp`, `landlock/go`, `landlock/rust`.

import { createTreeSitterLanguage, type TreeSitterLanguage } from "./language.js";

export const languages = {
  c: createTreeSitterLanguage("c"),
  cpp: createTreeSitterLanguage("cpp"),
  go: createTreeSitterLanguage("go"),
  rust: createTreeSitterLanguage("rust"),
} satisfies Record<string, TreeSitterLanguage>;

export type LanguageName = keyof typeof languages;

export { createTreeSitterLanguage, type TreeSitterLanguage } from "./language.js";
export { TreeSitterSourceCode } from "./source-code.js";
export type { SyntaxNode, CommentNode, SourceLocation, Position } from "./ast.js";
