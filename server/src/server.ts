// The language server: wires LSP messages to the document store, the analysis host and the
// feature modules. Every handler is guarded: bad parameters answer InvalidParams, an
// exception answers InternalError and is logged, a cancelled request answers
// RequestCancelled; the server keeps serving.

import { fileURLToPath } from "node:url";
import {
  CodeActionKind,
  CodeActionRequest,
  CodeLensRequest,
  ExecuteCommandRequest,
  HoverRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  LSPErrorCodes,
  MessageType,
  ShowMessageNotification,
  RequestType,
  ResponseError,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from "vscode-languageserver";
import { fileUri, reportDiagnostics } from "./convert.js";
import { DocumentStore, type OpenDocument } from "./documents.js";
import { documentLanguage } from "./languages.js";
import { AnalysisHost } from "./analysis.js";
import { DocumentStates } from "./state.js";
import { DiagnosticsScheduler } from "./scheduler.js";
import { hoverAt } from "./hover.js";
import { codeActionsFor, SIMULATE_COMMAND } from "./actions.js";
import { codeLensesFor } from "./lenses.js";
import { simulateAt, type SimulateParams, type SimulationResult } from "./simulate.js";
import { describeProblems, readClientSettings } from "./settings.js";
import { WorkspaceIndexer } from "./indexer.js";
import { ParamsError, readDidChange, readDidOpen, readWatchedChanges, requireDocumentUri, requirePosition, requireRange } from "./params.js";
import { findProjectRoot } from "@landlock-lint/analyzer";

export const SIMULATE_REQUEST = new RequestType<SimulateParams, SimulationResult | null, void>("landlock/simulate");

/** Options a client passes in `initializationOptions`. */
export interface InitializationOptions {
  /** Debounce between a change and its diagnostics, in ms. Default 5. */
  debounceMs?: number;
  /** The client runs `landlock.simulate` itself (the VS Code extension opens a webview). */
  clientSimulateCommand?: boolean;
  /** Index the workspace in the background on start. Default true. */
  indexWorkspace?: boolean;
  /** Most files the index analyses. Default 20000. */
  indexMaxFiles?: number;
}

export const DEFAULT_DEBOUNCE_MS = 5;

/** Files whose change alters how other files are analysed (config, build facts). */
const PROJECT_FILES = /(^|[\\/])(\.landlock-lint\.json|compile_commands\.json|go\.mod|Cargo\.toml|Cargo\.lock|package\.json)$/;

function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith("file:")) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export interface RunningServer {
  /** Whether the client has sent shutdown (an exit afterwards is a clean one). */
  shutDown(): boolean;
}

export function startServer(connection: Connection): RunningServer {
  const store = new DocumentStore();
  const host = new AnalysisHost(() => store.all());
  const states = new DocumentStates(host);
  const log = (m: string) => connection.console.log(m);
  const logError = (m: string) => connection.console.error(m);
  const indexer = new WorkspaceIndexer(host, log);
  let options: InitializationOptions = {};
  let configurationPull = false;
  let dynamicConfiguration = false;
  let dynamicWatchers = false;
  let folders: string[] = [];
  let shuttingDown = false;
  /** Documents whose next analysis must re-check the files linked to them (their text changed). */
  const propagate = new Set<string>();
  let debounceOverride: number | undefined;

  const uriOfPath = (path: string): string => store.all().find((d) => d.path === path)?.uri ?? fileUri(path);
  const uriMapper = (doc: OpenDocument, analysedFile: string) => (file: string) => (file === analysedFile ? doc.uri : uriOfPath(file));

  const publish = (uri: string): void => {
    if (shuttingDown) return;
    const doc = store.get(uri);
    if (!doc) return;
    let analysis;
    try {
      analysis = states.analysis(doc);
    } catch (e) {
      logError(`landlock: analysing ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return;
    }
    // A newer change or a close arrived: its own run publishes.
    if (store.get(uri) !== doc || doc.document.version !== analysis.version) return;
    connection.sendDiagnostics({ uri, version: analysis.version, diagnostics: reportDiagnostics(analysis.report, uriMapper(doc, analysis.file)) });
    if (propagate.delete(uri) && doc.path) recheckDependents(doc.path, uri);
  };
  const scheduler = new DiagnosticsScheduler(publish, DEFAULT_DEBOUNCE_MS);

  /** Re-lints the open documents linked to `path` by calls or thread spawns. */
  const recheckDependents = (path: string, except?: string): void => {
    const deps = new Set(host.dependentsOf(path));
    for (const doc of store.all()) {
      if (doc.uri === except || !doc.path || !deps.has(doc.path)) continue;
      states.invalidate(doc.uri);
      scheduler.schedule(doc.uri, 0);
    }
  };

  const relintAll = (): void => {
    states.invalidateAll();
    for (const doc of store.all()) scheduler.schedule(doc.uri, 0);
  };

  const guard =
    <P, R>(name: string, handler: (params: P, token?: CancellationToken) => R) =>
    (params: P, token?: CancellationToken): R | ResponseError<void> => {
      if (token?.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, `${name} cancelled`);
      try {
        return handler(params, token);
      } catch (e) {
        if (e instanceof ParamsError) return new ResponseError(ErrorCodes.InvalidParams, `${name}: ${e.message}`);
        logError(`landlock: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return new ResponseError(ErrorCodes.InternalError, `landlock: ${name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    };

  /** A notification handler that ignores, with a log line, parameters it cannot use. */
  const guardNotification =
    <P>(name: string, handler: (params: P) => void) =>
    (params: P): void => {
      try {
        handler(params);
      } catch (e) {
        if (e instanceof ParamsError) logError(`landlock: ignored ${name}: ${e.message}`);
        else logError(`landlock: ${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    };

  const documentFor = (params: unknown): OpenDocument | undefined => store.get(requireDocumentUri(params));

  const cancelled = (token?: CancellationToken) => token?.isCancellationRequested === true;

  /**
   * The `landlock` section last applied, as JSON. Clients announce a change to any setting
   * (an editor's font size) with didChangeConfiguration: when ours is unchanged, nothing is
   * re-linted or re-indexed.
   */
  let appliedSettings: string | undefined;

  /** Applies the client's section; false when it is the one already applied. */
  const applySettings = (section: unknown): boolean => {
    const key = JSON.stringify(section ?? null);
    if (key === appliedSettings) return false;
    appliedSettings = key;
    const read = readClientSettings(section);
    if (read.problems.length > 0) {
      const text = `Landlock settings: ${describeProblems(read.problems)}. Using the defaults (or .landlock-lint.json) for these.`;
      logError(text);
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: text });
    }
    scheduler.debounceMs = read.debounceMs ?? debounceOverride ?? DEFAULT_DEBOUNCE_MS;
    host.setOverrides(read.overrides);
    relintAll();
    return true;
  };

  /** Pulls and applies the section; true when it changed. */
  const pullSettings = async (): Promise<boolean> => {
    if (!configurationPull) return false;
    try {
      return applySettings(await connection.workspace.getConfiguration({ section: "landlock" }));
    } catch (e) {
      logError(`landlock: reading the configuration failed: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
  };

  const startIndex = async (): Promise<void> => {
    if (options.indexWorkspace === false || folders.length === 0) return;
    const progress = await connection.window.createWorkDoneProgress();
    const outcome = await indexer.index(folders, progress, options.indexMaxFiles ?? 20_000);
    log(`landlock: indexed ${outcome.files} files in ${Math.round(outcome.elapsedMs)} ms${outcome.cancelled ? " (stopped)" : ""}`);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    options = typeof init === "object" && init !== null ? init : {};
    if (typeof options.debounceMs === "number" && options.debounceMs >= 0) {
      debounceOverride = options.debounceMs;
      scheduler.debounceMs = options.debounceMs;
    }
    const caps = params.capabilities;
    configurationPull = caps.workspace?.configuration === true;
    dynamicConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    dynamicWatchers = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
    if (folders.length === 0 && params.rootUri) {
      const root = uriToPath(params.rootUri);
      if (root) folders = [root];
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
        ...(options.clientSimulateCommand ? {} : { executeCommandProvider: { commands: [SIMULATE_COMMAND] } }),
      },
      serverInfo: { name: "landlock-language-server", version: "0.1.0" },
    };
  });

  let initialized = false;
  connection.onInitialized(() => {
    // A second `initialized` (a confused client) must not register twice or re-index the workspace.
    if (initialized) return logError("landlock: ignored a second initialized notification");
    initialized = true;
    if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: "landlock" });
    if (dynamicWatchers) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: "**/*.{c,h,cc,cpp,cxx,c++,hh,hpp,hxx,h++,ipp,tcc,inl,go,rs,js,mjs,cjs,jsx,ts,mts,cts,tsx}" },
          { globPattern: "**/{.landlock-lint.json,compile_commands.json,go.mod,Cargo.toml,Cargo.lock,package.json}" },
        ],
      });
    }
    void pullSettings().then(() => startIndex().catch((e) => logError(`landlock: indexing failed: ${e instanceof Error ? e.message : String(e)}`)));
  });

  connection.onDidChangeConfiguration(
    guardNotification("workspace/didChangeConfiguration", (change) => {
      if (configurationPull) void pullSettings().then((changed) => (changed ? startIndex().catch((e) => logError(`landlock: indexing failed: ${e instanceof Error ? e.message : String(e)}`)) : undefined));
      else applySettings((change as { settings?: { landlock?: unknown } | null } | null)?.settings?.landlock);
    }),
  );

  connection.onDidOpenTextDocument(
    guardNotification("textDocument/didOpen", (params) => {
      const opened = readDidOpen(params);
      const path = uriToPath(opened.uri);
      const language = documentLanguage(opened.languageId, path ?? opened.uri);
      if (!language) return;
      store.openDocument(opened.uri, path, language, opened.version, opened.text);
      states.drop(opened.uri);
      scheduler.schedule(opened.uri, 0);
    }),
  );

  connection.onDidChangeTextDocument(
    guardNotification("textDocument/didChange", (params) => {
      const { uri, version, changes } = readDidChange(params);
      const doc = store.change(uri, version, changes);
      if (!doc) return;
      propagate.add(doc.uri);
      scheduler.schedule(doc.uri);
    }),
  );

  connection.onDidCloseTextDocument(
    guardNotification("textDocument/didClose", (params) => {
      const uri = requireDocumentUri(params);
      scheduler.cancel(uri);
      propagate.delete(uri);
      states.drop(uri);
      const doc = store.close(uri);
      if (!doc) return;
      host.closed(doc);
      connection.sendDiagnostics({ uri, diagnostics: [] });
      // The disk text replaces an unsaved buffer: files linked to it may change.
      if (doc.path) recheckDependents(doc.path);
      const needed = new Set(indexer.roots);
      for (const d of store.all()) if (d.path) needed.add(findProjectRoot(d.path));
      host.trimProjects(needed);
    }),
  );

  connection.onDidChangeWatchedFiles(
    guardNotification("workspace/didChangeWatchedFiles", (params) => {
      const { changes, problems } = readWatchedChanges(params);
      if (problems.length > 0) logError(`landlock: ignored part of workspace/didChangeWatchedFiles: ${problems.join("; ")}`);
      let projectFilesChanged = false;
      const changed: string[] = [];
      for (const change of changes) {
        const path = uriToPath(change.uri);
        if (!path) continue;
        if (PROJECT_FILES.test(path)) {
          projectFilesChanged = true;
          host.diskChanged(path, "created");
          continue;
        }
        host.diskChanged(path, change.type === FileChangeType.Created ? "created" : change.type === FileChangeType.Deleted ? "deleted" : "changed");
        changed.push(path);
      }
      if (projectFilesChanged) return relintAll();
      for (const path of changed) recheckDependents(path, store.all().find((d) => d.path === path)?.uri);
    }),
  );

  // Registered with onRequest, not onHover & co: those read params.workDoneToken before the
  // handler runs and throw on null params (no progress or partial results are used here).
  connection.onRequest(
    HoverRequest.type,
    guard("hover", (params, token) => {
      const doc = documentFor(params);
      const position = requirePosition(params);
      if (!doc || cancelled(token)) return null;
      return hoverAt(states, doc, position, () => host.settingsOf(doc));
    }),
  );

  connection.onRequest(
    CodeActionRequest.type,
    guard("codeAction", (params) => {
      const doc = documentFor(params);
      const range = requireRange(params);
      if (!doc) return [];
      const analysis = states.analysis(doc);
      return codeActionsFor(states, doc, range, uriMapper(doc, analysis.file));
    }),
  );

  connection.onRequest(
    CodeLensRequest.type,
    guard("codeLens", (params) => {
      const doc = documentFor(params);
      return doc ? codeLensesFor(states, doc) : [];
    }),
  );

  const simulate = (params: unknown): SimulationResult | null => {
    const doc = documentFor(params);
    const position = requirePosition(params);
    if (!doc) throw new ParamsError(`document ${requireDocumentUri(params)} is not open`);
    return simulateAt(states, doc, position, () => host.settingsOf(doc)) ?? null;
  };

  connection.onRequest(SIMULATE_REQUEST, guard("landlock/simulate", (params) => simulate(params)));

  connection.onRequest(
    ExecuteCommandRequest.type,
    guard("executeCommand", (params) => {
      const command = (params as { command?: unknown } | null)?.command;
      if (command !== SIMULATE_COMMAND) throw new ParamsError(`unknown command ${JSON.stringify(command)}`);
      const args = (params as { arguments?: unknown }).arguments;
      const result = simulate(Array.isArray(args) ? args[0] : undefined);
      if (result) void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `${result.title}\n${result.summary.map((s) => `• ${s}`).join("\n")}` });
      return result;
    }),
  );

  connection.onShutdown(() => {
    shuttingDown = true;
    indexer.cancel();
    scheduler.cancelAll();
    store.closeAll();
  });

  connection.listen();
  return { shutDown: () => shuttingDown };
}
