// The documents the client has open: text kept in step with incremental changes, and for
// tree-sitter languages the syntax tree kept in step too (each change is applied to the
// previous tree as an edit, then the parser reuses everything the edit did not touch).
// Trees live in the WebAssembly heap: closing a document frees its tree.

import { TextDocument, type TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import { makeEdit, parse, type Tree } from "@landlock-lint/analyzer/treesitter";
import type { DocumentLanguage } from "./languages.js";

export interface OpenDocument {
  uri: string;
  /** Absolute file path for file: URIs; undefined for untitled and other schemes. */
  path?: string;
  language: DocumentLanguage;
  document: TextDocument;
  tree?: Tree;
  /** Time the last incremental reparse took, in ms (the benchmark reads it). */
  lastReparseMs?: number;
  /** Why the tree could not be kept (the parser failed); analysis goes on without it. */
  treeError?: string;
}

export class DocumentStore {
  private readonly open = new Map<string, OpenDocument>();

  get(uri: string): OpenDocument | undefined {
    return this.open.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.open.values()];
  }

  get size(): number {
    return this.open.size;
  }

  /** Opens (or reopens) a document; replaces any previous state for the URI. */
  openDocument(uri: string, path: string | undefined, language: DocumentLanguage, version: number, text: string): OpenDocument {
    this.close(uri);
    const doc: OpenDocument = { uri, path, language, document: TextDocument.create(uri, language.id, version, text) };
    this.reparse(doc, []);
    this.open.set(uri, doc);
    return doc;
  }

  /** Applies the client's changes in order (ranged ones as tree edits; a full-text one drops the tree). */
  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const doc = this.open.get(uri);
    if (!doc) return undefined;
    const edits = [];
    let full = false;
    let document = doc.document;
    for (const change of changes) {
      if ("range" in change && change.range) {
        const before = document.getText();
        const start = document.offsetAt(change.range.start);
        const end = document.offsetAt(change.range.end);
        if (doc.tree && !full) edits.push(makeEdit(before, start, end, change.text));
      } else full = true;
      document = TextDocument.update(document, [change], version);
    }
    doc.document = document;
    if (full) {
      doc.tree?.delete();
      doc.tree = undefined;
    }
    this.reparse(doc, edits);
    return doc;
  }

  close(uri: string): OpenDocument | undefined {
    const doc = this.open.get(uri);
    if (!doc) return undefined;
    doc.tree?.delete();
    doc.tree = undefined;
    this.open.delete(uri);
    return doc;
  }

  closeAll(): void {
    for (const uri of [...this.open.keys()]) this.close(uri);
  }

  private reparse(doc: OpenDocument, edits: ReturnType<typeof makeEdit>[]): void {
    const grammar = doc.language.grammar;
    if (!grammar) return;
    const started = performance.now();
    try {
      const previous = doc.tree;
      const tree = parse(grammar, doc.document.getText(), previous ?? null, previous ? edits : []);
      previous?.delete();
      doc.tree = tree;
      doc.treeError = undefined;
    } catch (e) {
      doc.tree?.delete();
      doc.tree = undefined;
      doc.treeError = e instanceof Error ? e.message : String(e);
    }
    doc.lastReparseMs = performance.now() - started;
  }
}
