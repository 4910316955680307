// The documents the client has open: text kept in step with incremental changes. Syntax
// trees are the analyzer's business: its project keeps each open file's last tree and
// reparses it incrementally (a second tree here would double the parse work and memory).

import { TextDocument, type TextDocumentContentChangeEvent } from "vscode-languageserver-textdocument";
import type { DocumentLanguage } from "./languages.js";

export interface OpenDocument {
  uri: string;
  /** Absolute file path for file: URIs; undefined for untitled and other schemes. */
  path?: string;
  language: DocumentLanguage;
  document: TextDocument;
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
    this.open.set(uri, doc);
    return doc;
  }

  /** Applies the client's changes in order (ranged or full-text). */
  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): OpenDocument | undefined {
    const doc = this.open.get(uri);
    if (!doc) return undefined;
    doc.document = TextDocument.update(doc.document, [...changes], version);
    return doc;
  }

  close(uri: string): OpenDocument | undefined {
    const doc = this.open.get(uri);
    if (!doc) return undefined;
    this.open.delete(uri);
    return doc;
  }

  closeAll(): void {
    for (const uri of [...this.open.keys()]) this.close(uri);
  }
}
