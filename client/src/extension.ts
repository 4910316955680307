// The VS Code extension: starts the bundled language server, passes the `landlock`
// settings, and shows the simulation timeline in a webview ("Landlock: Simulate", the
// code lens and the "show simulation" quick fix).

import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { landlockSection } from "./settings";
import { webviewHtml, type SimulationView } from "./webview";

const LANGUAGES = ["c", "cpp", "go", "rust", "javascript", "javascriptreact", "typescript", "typescriptreact"];
let client: LanguageClient | undefined;

interface SimulateArgs {
  textDocument: { uri: string };
  position: { line: number; character: number };
}

/** The server's Node flags, as in the shebang of its bin (server/src/main.ts): a capped young generation keeps resident memory flat. */
const SERVER_NODE_FLAGS = ["--max-semi-space-size=4"];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join("out", "server.mjs"));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.stdio, args: [], options: { execArgv: SERVER_NODE_FLAGS } },
    debug: { module: serverModule, transport: TransportKind.stdio, options: { execArgv: [...SERVER_NODE_FLAGS, "--inspect=6012"] } },
  };
  const config = () => vscode.workspace.getConfiguration("landlock");
  const clientOptions: LanguageClientOptions = {
    documentSelector: LANGUAGES.flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    initializationOptions: { clientSimulateCommand: true, debounceMs: config().get<number>("debounceMs") },
    middleware: {
      workspace: {
        configuration: (params) => params.items.map((item) => (item.section === "landlock" ? landlockSection((key) => config().inspect(key)) : null)),
      },
    },
  };
  client = new LanguageClient("landlock", "Landlock Lint", serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.commands.registerCommand("landlock.simulate", (args?: SimulateArgs) => simulate(context, args)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("landlock")) void client?.sendNotification("workspace/didChangeConfiguration", { settings: null });
    }),
  );
  await client.start();
}

async function simulate(context: vscode.ExtensionContext, args?: SimulateArgs): Promise<void> {
  if (!client) return;
  let params = args;
  if (!params) {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage("Landlock: put the cursor on a landlock_restrict_self call (or a finding) to simulate it.");
      return;
    }
    params = { textDocument: { uri: editor.document.uri.toString() }, position: { line: editor.selection.active.line, character: editor.selection.active.character } };
  }
  let result: SimulationView | null;
  try {
    result = await client.sendRequest<SimulationView | null>("landlock/simulate", params);
  } catch (e) {
    void vscode.window.showErrorMessage(`Landlock: simulation failed: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  if (!result) {
    void vscode.window.showInformationMessage("Landlock: no finding and no landlock_restrict_self call at the cursor.");
    return;
  }
  const panel = vscode.window.createWebviewPanel("landlock.simulation", `Simulation: ${result.ruleId ?? "restrict_self"}`, vscode.ViewColumn.Beside, {
    enableScripts: false,
    localResourceRoots: [],
  });
  panel.webview.html = webviewHtml(result, panel.webview.cspSource);
  context.subscriptions.push(panel);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
