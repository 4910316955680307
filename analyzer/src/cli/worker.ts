// Worker thread entry: loads the engine named in workerData once, then lints each project
// batch it is sent, posting one response per file as soon as it has it (so a crash later
// in the batch is pinned on the file being analysed, and the others are kept).

import { parentPort, workerData } from "node:worker_threads";
import { loadEngine, type EngineOptions } from "./engine.js";
import { lintSource } from "./lint-source.js";
import type { BatchMessage, ResponseMessage, StartedMessage } from "./linters.js";

const port = parentPort;
if (!port) throw new Error("worker.js must run in a worker thread");
const { engineModule, engineOptions } = workerData as { engineModule: string; engineOptions: EngineOptions };
const engine = await loadEngine(engineModule, engineOptions);
port.on("message", ({ batch, offset, requests }: BatchMessage) => {
  port.postMessage({ started: batch } satisfies StartedMessage);
  requests.forEach((request, i) => {
    const message: ResponseMessage = { batch, index: offset + i, response: lintSource(engine, request) };
    port.postMessage(message);
  });
});
port.postMessage({ ready: true });
