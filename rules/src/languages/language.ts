// One ESLint Language over a tree-sitter grammar. `landlock/c`, `landlock/cpp`,
// `landlock/go` and `landlock/rust` are this, parameterised by grammar. The analyzer's
// loader initialises web-tree-sitter at module evaluation (top-level await) and loads a
// grammar synchronously on first use, which is what lets `parse` be synchronous as ESLint
// requires; the grammar's tables are read on first use too, so a run over Go files never
// loads the C++ grammar.

import type { File, FileError, Language, LanguageContext, OkParseResult, ParseResult } from "@eslint/core";
import { languageFor, parse, type GrammarName } from "@landlock-lint/analyzer/treesitter";
import { convertTree, type CommentNode, type GrammarTables, type SyntaxNode } from "./ast.js";
import { TreeSitterSourceCode } from "./source-code.js";

/** These languages take no options; the type exists for ESLint's generics. */
export type GrammarLanguageOptions = Record<string, never>;

export interface TreeSitterParseResult extends OkParseResult<SyntaxNode> {
  comments: CommentNode[];
  parseErrorCount: number;
}

export type TreeSitterLanguage = Language<{
  LangOptions: GrammarLanguageOptions;
  Code: TreeSitterSourceCode;
  RootNode: SyntaxNode;
  Node: SyntaxNode;
}> & {
  /** The tree-sitter grammar this language parses with. */
  readonly grammar: GrammarName;
  /** The root node type (what a rule listens to for "the whole file"). */
  readonly rootType: string;
};

const ROOT_TYPES: Record<GrammarName, string> = {
  c: "translation_unit",
  cpp: "translation_unit",
  go: "source_file",
  rust: "source_file",
};

const DISPLAY_NAMES: Record<GrammarName, string> = { c: "C", cpp: "C++", go: "Go", rust: "Rust" };

function grammarTables(grammar: GrammarName): GrammarTables {
  const language = languageFor(grammar);
  const typeNames: (string | null)[] = [];
  const typeIsNamed: boolean[] = [];
  for (let id = 0; id < language.nodeTypeCount; id++) {
    typeNames.push(language.nodeTypeForId(id));
    typeIsNamed.push(language.nodeTypeIsNamed(id));
  }
  const fieldNames: (string | null)[] = [null];
  for (let id = 1; id <= language.fieldCount; id++) fieldNames.push(language.fieldNameForId(id));
  return { typeNames, typeIsNamed, fieldNames };
}

/** Every named node type of the grammar walks its `children` (selectors such as `call_expression > identifier` work). */
function visitorKeysFor(grammar: GrammarName): Record<string, string[]> {
  const language = languageFor(grammar);
  const keys: Record<string, string[]> = { ERROR: ["children"] };
  for (let id = 0; id < language.nodeTypeCount; id++) {
    const type = language.nodeTypeForId(id);
    if (type && language.nodeTypeIsNamed(id)) keys[type] = ["children"];
  }
  return keys;
}

/** Where a text stops being text: the first NUL (source files never hold one; binaries do early). */
function binaryMarker(text: string): { line: number; column: number } | undefined {
  const nul = text.indexOf("\u0000");
  if (nul === -1) return undefined;
  const before = text.slice(0, nul);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: nul - lineStart + 1 };
}

export function createTreeSitterLanguage(grammar: GrammarName): TreeSitterLanguage {
  const name = `landlock/${grammar}`;
  let tables: GrammarTables | undefined;
  let visitorKeys: Record<string, string[]> | undefined;
  return {
    grammar,
    rootType: ROOT_TYPES[grammar],
    fileType: "text",
    lineStart: 1,
    columnStart: 0,
    nodeTypeKey: "type",
    get visitorKeys() {
      visitorKeys ??= visitorKeysFor(grammar);
      return visitorKeys;
    },
    defaultLanguageOptions: {},

    validateLanguageOptions(options: GrammarLanguageOptions): void {
      if (options === null || typeof options !== "object" || Array.isArray(options)) {
        throw new TypeError(`languageOptions for ${name} must be an object`);
      }
    },

    parse(file: File, _context: LanguageContext<GrammarLanguageOptions>): ParseResult<SyntaxNode> {
      if (typeof file.body !== "string") {
        return { ok: false, errors: [{ message: `${name} reads text files; ${file.path} was given as bytes`, line: 1, column: 1 }] };
      }
      const text = file.body;
      const marker = binaryMarker(text);
      if (marker) {
        const error: FileError = {
          message: `not a ${DISPLAY_NAMES[grammar]} source file: it contains a NUL byte (binary data) at line ${marker.line}, column ${marker.column}`,
          ...marker,
        };
        return { ok: false, errors: [error] };
      }
      let tree;
      try {
        tree = parse(grammar, text);
      } catch (e) {
        return { ok: false, errors: [{ message: `the ${DISPLAY_NAMES[grammar]} parser failed: ${e instanceof Error ? e.message : String(e)}`, line: 1, column: 1 }] };
      }
      try {
        tables ??= grammarTables(grammar);
        const converted = convertTree(tree, text, tables);
        const result: TreeSitterParseResult = {
          ok: true,
          ast: converted.ast,
          comments: converted.comments,
          parseErrorCount: converted.errorCount,
        };
        return result;
      } finally {
        tree.delete();
      }
    },

    createSourceCode(file: File, input: OkParseResult<SyntaxNode>): TreeSitterSourceCode {
      const parsed = input as TreeSitterParseResult;
      return new TreeSitterSourceCode({
        text: file.body as string,
        ast: parsed.ast,
        comments: parsed.comments,
        parseErrorCount: parsed.parseErrorCount,
      });
    },
  };
}
