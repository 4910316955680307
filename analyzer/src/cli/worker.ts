// Worker thread entry: loads the engine named in workerData once, then lints each request
// the pool sends and posts the response back.

import { parentPort, workerData } from "node:worker_threads";
import { loadEngine } from "./engine.js";
import { lintSource, type LintRequest } from "./lint-source.js";

const port = parentPort;
if (!port) throw new Error("worker.js must run in a worker thread");
const engine = await loadEngine((workerData as { engineModule: string }).engineModule);
port.on("message", (request: LintRequest) => port.postMessage(lintSource(engine, request)));
port.postMessage({ ready: true });
