// Debounced diagnostics: a change (re)starts the document's timer; when it fires the
// document is analysed. Analyses run one per macrotask, so messages that arrive meanwhile
// (a newer change, a cancellation, a close) are handled before the next one starts.

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly run: (uri: string) => void,
    public debounceMs: number,
  ) {}

  /** Analyses `uri` after the debounce (or `delayMs`); an earlier pending run is replaced. */
  schedule(uri: string, delayMs = this.debounceMs): void {
    this.cancel(uri);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.run(uri);
      }, delayMs),
    );
  }

  /** Whether a run is waiting for `uri`. */
  pending(uri: string): boolean {
    return this.timers.has(uri);
  }

  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  cancelAll(): void {
    for (const uri of [...this.timers.keys()]) this.cancel(uri);
  }
}
