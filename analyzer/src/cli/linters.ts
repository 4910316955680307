// Where a project's lint requests run: in this thread, or in a worker thread. The project
// is the unit of work (its files share one Project and its caches), so a worker receives a
// whole project per message and answers file by file; it may hold a second project queued,
// so it never waits for this thread (busy linting its own project) to send the next one.
//
// A worker that dies costs the file it was analysing (an error entry naming it), none if it
// died between projects; it is replaced and the replacement goes on with the rest of its
// projects (at once, or when next given one). A worker that cannot
// start at all is not replaced: its projects are linted in this thread.

import { Worker } from "node:worker_threads";
import type { Engine, EngineOptions } from "./engine.js";
import { lintSource, type LintRequest, type LintResponse } from "./lint-source.js";

/** Receives each file's response, in any order; `index` is the request's place in its project. */
export type OnResponse = (index: number, response: LintResponse) => void;

export interface Lane {
  /** Lints one project's files; resolves once every request has had its response. */
  lintProject(requests: readonly LintRequest[], onResponse: OnResponse): Promise<void>;
  close(): Promise<void>;
}

/** Main thread → worker: requests `offset`, `offset + 1`, ... of project batch `batch`. */
export interface BatchMessage {
  batch: number;
  offset: number;
  requests: LintRequest[];
}

/** Worker → main thread: it begins batch `started` (so a death from now on is that batch's). */
export interface StartedMessage {
  started: number;
}

/** Worker → main thread: the response to request `index` of batch `batch`. */
export interface ResponseMessage {
  batch: number;
  index: number;
  response: LintResponse;
}

export function crashResponse(path: string, reason: string): LintResponse {
  return { ok: false, path, message: `internal error while analysing (please report it): ${reason}` };
}

/** This thread: synchronous, yielding to the event loop between files so workers stay fed. */
export function inProcessLane(engine: Engine): Lane {
  return {
    async lintProject(requests, onResponse) {
      for (let index = 0; index < requests.length; index++) {
        await new Promise((resolve) => setImmediate(resolve));
        onResponse(index, lintSource(engine, requests[index]!));
      }
    },
    close: async () => {},
  };
}

const WORKER_URL = new URL("./worker.js", import.meta.url);

interface Batch {
  id: number;
  requests: readonly LintRequest[];
  /** Requests before this one have had their responses (a worker answers in order). */
  next: number;
  /** The worker has begun it: if the worker dies now, request `next` is to blame. */
  started: boolean;
  onResponse: OnResponse;
  resolve(): void;
}

export class WorkerLane implements Lane {
  private worker: Worker | undefined;
  /** Set when a worker failed to load its engine: not worth replacing, this thread does the work. */
  private retired = false;
  private markReady!: () => void;
  /** True once the worker has loaded its engine (or retired to this thread). */
  isReady = false;
  /** Resolves once the worker can take work at once (loaded, or retired to this thread). */
  readonly ready = new Promise<void>((resolve) => {
    this.markReady = () => {
      this.isReady = true;
      resolve();
    };
  });
  private batches: Batch[] = [];
  private nextBatchId = 0;
  private closed = false;

  constructor(
    private readonly engineModule: string,
    private readonly engineOptions: EngineOptions,
    /** Lints in this thread what a worker that cannot start was given. */
    private readonly fallback: Lane,
  ) {
    this.start();
  }

  private start(): void {
    const worker = new Worker(WORKER_URL, { workerData: { engineModule: this.engineModule, engineOptions: this.engineOptions } });
    this.worker = worker;
    let ready = false;
    let reason: string | undefined;
    // Late events of a dead worker must not touch its replacement's batches.
    worker.on("message", (message: { ready: true } | StartedMessage | ResponseMessage) => {
      if (worker !== this.worker) return;
      if ("ready" in message) {
        ready = true;
        this.markReady();
      } else if ("started" in message) {
        const batch = this.batches.find((b) => b.id === message.started);
        if (batch) batch.started = true;
      } else {
        this.settle(message);
      }
    });
    // An uncaught exception is reported here, then as an exit with code 1: keep its message.
    worker.on("error", (error) => {
      reason ??= error.message;
    });
    worker.on("exit", (code) => {
      if (worker !== this.worker || this.closed) return;
      this.worker = undefined;
      this.died(reason ?? `worker thread exited with code ${code}`, ready);
    });
    for (const batch of this.batches) this.post(batch);
  }

  private post(batch: Batch): void {
    batch.started = false;
    const message: BatchMessage = { batch: batch.id, offset: batch.next, requests: batch.requests.slice(batch.next) };
    this.worker!.postMessage(message);
  }

  private settle({ batch: id, index, response }: ResponseMessage): void {
    const batch = this.batches.find((b) => b.id === id);
    if (!batch || index !== batch.next) return;
    batch.next++;
    batch.onResponse(index, response);
    if (batch.next === batch.requests.length) this.finish(batch);
  }

  private finish(batch: Batch): void {
    this.batches = this.batches.filter((b) => b !== batch);
    batch.resolve();
  }

  private died(reason: string, wasReady: boolean): void {
    if (!wasReady) {
      // It never started, so no request is to blame and a replacement would likely fail too.
      this.retired = true;
      this.markReady();
      const orphans = this.batches;
      this.batches = [];
      for (const batch of orphans) void this.runInThisThread(batch);
      return;
    }
    // The worker answers its batches in order: only the oldest can have been begun.
    const current = this.batches[0];
    if (current?.started) {
      const index = current.next++;
      current.onResponse(index, crashResponse(current.requests[index]!.path, reason));
      if (current.next === current.requests.length) this.finish(current);
    }
    // Replaced at once when it still has work, else when it is next given some.
    if (this.batches.length > 0) this.start();
  }

  private async runInThisThread(batch: Batch): Promise<void> {
    await this.fallback.lintProject(batch.requests.slice(batch.next), (index, response) => batch.onResponse(batch.next + index, response));
    batch.resolve();
  }

  lintProject(requests: readonly LintRequest[], onResponse: OnResponse): Promise<void> {
    if (requests.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const batch: Batch = { id: this.nextBatchId++, requests, next: 0, started: false, onResponse, resolve };
      if (this.retired) {
        void this.runInThisThread(batch);
        return;
      }
      this.batches.push(batch);
      if (this.worker) this.post(batch);
      else this.start();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

export function workerLanes(count: number, engineModule: string, engineOptions: EngineOptions, fallback: Lane): WorkerLane[] {
  return Array.from({ length: count }, () => new WorkerLane(engineModule, engineOptions, fallback));
}
