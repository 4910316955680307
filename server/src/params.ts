// Checks on what the client sends, before any of it reaches the document store or the
// analysis: a request with bad parameters answers InvalidParams naming the parameter; a
// notification with bad parameters is ignored with a log line naming it (a notification
// has no answer). Positions past the end of a document are valid (they are clamped);
// negative or non-integer ones are not.

import type { Position, Range, TextDocumentContentChangeEvent } from "vscode-languageserver";

export class ParamsError extends Error {}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export function requireDocumentUri(params: unknown): string {
  const uri = isObject(params) && isObject(params.textDocument) ? params.textDocument.uri : undefined;
  if (typeof uri !== "string") throw new ParamsError("params.textDocument.uri must be a string");
  return uri;
}

function position(value: unknown, path: string): Position {
  const p = isObject(value) ? value : undefined;
  if (!p || !Number.isSafeInteger(p.line) || !Number.isSafeInteger(p.character) || (p.line as number) < 0 || (p.character as number) < 0) {
    throw new ParamsError(`${path} must be {line, character} with non-negative integers`);
  }
  return { line: p.line as number, character: p.character as number };
}

export function requirePosition(params: unknown, key = "position"): Position {
  return position(isObject(params) ? params[key] : undefined, `params.${key}`);
}

function range(value: unknown, path: string): Range {
  if (!isObject(value)) throw new ParamsError(`${path} must be {start, end}`);
  return { start: position(value.start, `${path}.start`), end: position(value.end, `${path}.end`) };
}

export function requireRange(params: unknown): Range {
  return range(isObject(params) ? params.range : undefined, "params.range");
}

export interface OpenParams {
  uri: string;
  languageId: string;
  version: number;
  text: string;
}

export function readDidOpen(params: unknown): OpenParams {
  const d = isObject(params) ? params.textDocument : undefined;
  if (!isObject(d)) throw new ParamsError("params.textDocument must be an object");
  if (typeof d.uri !== "string") throw new ParamsError("params.textDocument.uri must be a string");
  if (typeof d.languageId !== "string") throw new ParamsError("params.textDocument.languageId must be a string");
  if (!Number.isSafeInteger(d.version)) throw new ParamsError("params.textDocument.version must be an integer");
  if (typeof d.text !== "string") throw new ParamsError("params.textDocument.text must be a string");
  return { uri: d.uri, languageId: d.languageId, version: d.version as number, text: d.text };
}

export interface ChangeParams {
  uri: string;
  version: number;
  changes: TextDocumentContentChangeEvent[];
}

export function readDidChange(params: unknown): ChangeParams {
  const uri = requireDocumentUri(params);
  const p = params as Json;
  const version = (p.textDocument as Json).version;
  if (version !== undefined && version !== null && !Number.isSafeInteger(version)) throw new ParamsError("params.textDocument.version must be an integer");
  if (!Array.isArray(p.contentChanges)) throw new ParamsError("params.contentChanges must be an array");
  const changes = p.contentChanges.map((c: unknown, i): TextDocumentContentChangeEvent => {
    const path = `params.contentChanges[${i}]`;
    if (!isObject(c) || typeof c.text !== "string") throw new ParamsError(`${path}.text must be a string`);
    return c.range === undefined ? { text: c.text } : { range: range(c.range, `${path}.range`), text: c.text };
  });
  return { uri, version: (version as number | undefined | null) ?? 0, changes };
}

export interface WatchedChange {
  uri: string;
  type: 1 | 2 | 3;
}

/** The well-formed entries of a didChangeWatchedFiles, and a description of the others. */
export function readWatchedChanges(params: unknown): { changes: WatchedChange[]; problems: string[] } {
  const list = isObject(params) ? params.changes : undefined;
  if (!Array.isArray(list)) return { changes: [], problems: ["params.changes must be an array"] };
  const changes: WatchedChange[] = [];
  const problems: string[] = [];
  list.forEach((c: unknown, i) => {
    if (isObject(c) && typeof c.uri === "string" && (c.type === 1 || c.type === 2 || c.type === 3)) changes.push({ uri: c.uri, type: c.type });
    else problems.push(`params.changes[${i}] must be {uri: string, type: 1 | 2 | 3}`);
  });
  return { changes, problems };
}
