// Where lint requests run: in this thread, or in worker threads (one request in flight
// per worker); a parallel run uses this thread as one lane and workers as the others. A worker that dies fails its request with an error entry and is
// replaced, so one crash costs one file, not the run.

import { Worker } from "node:worker_threads";
import type { Engine, EngineOptions } from "./engine.js";
import { lintSource, type LintRequest, type LintResponse } from "./lint-source.js";

/** A lane runs one request at a time; the run uses as many lanes as it has workers. */
export interface Lane {
  lint(request: LintRequest): Promise<LintResponse>;
  close(): Promise<void>;
}

export function inProcessLane(engine: Engine): Lane {
  return {
    async lint(request) {
      // Linting is synchronous: yield to the event loop first, so worker lanes' results are
      // taken in (and their next requests sent) between this lane's files.
      await new Promise((resolve) => setImmediate(resolve));
      return lintSource(engine, request);
    },
    close: async () => {},
  };
}

const WORKER_URL = new URL("./worker.js", import.meta.url);

class WorkerLane implements Lane {
  private worker!: Worker;
  private ready!: Promise<void>;
  private pending: { resolve(r: LintResponse): void; path: string } | undefined;

  constructor(
    private readonly engineModule: string,
    private readonly engineOptions: EngineOptions,
  ) {
    this.start();
  }

  private start(): void {
    const worker = new Worker(WORKER_URL, { workerData: { engineModule: this.engineModule, engineOptions: this.engineOptions } });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (message: { ready?: boolean }) => {
        if (!message.ready) return;
        worker.off("message", onMessage);
        worker.off("error", reject);
        worker.on("message", (response: LintResponse) => this.settle(response));
        resolve();
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
    });
    // A worker that fails to start fails the run when its lane first needs it, not before.
    this.ready.catch(() => {});
    // After a restart, late events of the dead worker must not touch the new one's request.
    worker.on("error", (error) => worker === this.worker && this.fail(error));
    worker.on("exit", (code) => worker === this.worker && this.fail(new Error(`worker thread exited with code ${code}`)));
  }

  private settle(response: LintResponse): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(response);
  }

  private fail(error: Error): void {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    pending.resolve({ ok: false, path: pending.path, message: `internal error while analysing (please report it): ${error.message}` });
    this.start();
  }

  async lint(request: LintRequest): Promise<LintResponse> {
    await this.ready;
    return new Promise((resolve) => {
      this.pending = { resolve, path: request.path };
      this.worker.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.pending = undefined;
    this.worker.removeAllListeners("exit");
    await this.worker.terminate();
  }
}

export function workerLanes(count: number, engineModule: string, engineOptions: EngineOptions): Lane[] {
  return Array.from({ length: count }, () => new WorkerLane(engineModule, engineOptions));
}
