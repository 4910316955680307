// Worker thread entry: loads the engine named in workerData once, then lints each request
// the pool sends and posts the response back.

import { parentPort, workerData } from "node:worker_threads";
import { loadEngine, type EngineOptions } from "./engine.js";
import { lintSource, type LintRequest } from "./lint-source.js";

const port = parentPort;
if (!port) throw new Error("worker.js must run in a worker thread");
const { engineModule, engineOptions } = workerData as { engineModule: string; engineOptions: EngineOptions };
const engine = await loadEngine(engineModule, engineOptions);
port.on("message", (request: LintRequest) => port.postMessage(lintSource(engine, request)));
port.postMessage({ ready: true });
