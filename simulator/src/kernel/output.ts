// Parses what a generated program prints. One block per embedded scenario:
//   BEGIN <k> <name>
//   INIT uid=<n> capSysAdmin=<0|1> nnp=<0|1> abi=<n> errata=<mask> netns=<0|1> setup=<ok|errno>
//   STEP <index> <thread> <op> <result> [value=<n>] [detail=<text>]
//   CONCURRENT <index> <part> <thread> <op> <result> [detail=<text>]
//   THREAD <name> process=<name> alive=<0|1> [uid=<n> nnp=<0|1> capSysAdmin=<0|1>]
//   ERROR <what> [...]
//   END <k> <ok|error>
// Names are percent-encoded so every field is one token.

export interface KernelInitialState {
  uid: number;
  capSysAdmin: boolean;
  noNewPrivs: boolean;
  /** Landlock ABI, or a negative errno when the query failed. */
  abi: number;
  errata: number[];
  /** Whether the run had its own network namespace (abstract names and ports isolated). */
  isolatedNetwork: boolean;
  /** "ok", or the errno with which dropping to the initial credentials failed. */
  setup: string;
}

export interface KernelStepResult {
  index: number;
  /** 0: the step; 1..: its `concurrent` operations. */
  part: number;
  thread: string;
  op: string;
  /** "ok", an errno name, "delivered"/"dropped" (SIGIO), "skipped" (the thread is gone). */
  result: string;
  value?: number;
  /** Per-thread outcomes of a broadcast, uids after setuid, why a call was not made. */
  detail?: string;
}

export interface KernelThreadState {
  thread: string;
  process: string;
  alive: boolean;
  uid?: number;
  noNewPrivs?: boolean;
  capSysAdmin?: boolean;
}

export interface KernelRun {
  scenario: string;
  initial?: KernelInitialState;
  steps: KernelStepResult[];
  threads: KernelThreadState[];
  /** Set when the program could not finish the scenario (timeout, setup failure). */
  error?: string;
}

export class KernelOutputError extends Error {
  constructor(
    readonly line: number,
    readonly text: string,
    problem: string,
  ) {
    super(`kernel program output line ${line}: ${problem}: ${JSON.stringify(text.slice(0, 200))}`);
    this.name = "KernelOutputError";
  }
}

export function decodeName(token: string): string {
  return decodeURIComponent(token);
}

function keyValues(tokens: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of tokens) {
    const eq = t.indexOf("=");
    if (eq > 0) out.set(t.slice(0, eq), t.slice(eq + 1));
  }
  return out;
}

function errataList(mask: number): number[] {
  const out: number[] = [];
  for (let bit = 0; bit < 31; bit++) if (mask > 0 && (mask >> bit) & 1) out.push(bit + 1);
  return out;
}

/** Splits a program's stdout into one KernelRun per BEGIN..END block, in order. */
export function parseKernelOutput(stdout: string): KernelRun[] {
  const runs: KernelRun[] = [];
  let current: KernelRun | undefined;
  const lines = stdout.split("\n");
  // A program killed while printing leaves a partial last line: it is not evidence.
  const partial = lines.pop() ?? "";
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trimEnd();
    if (line === "") return;
    const tokens = line.split(" ");
    const kind = tokens[0];
    const need = (n: number) => {
      if (tokens.length < n) throw new KernelOutputError(lineNo, line, `expected at least ${n} fields`);
    };
    const int = (s: string | undefined, what: string): number => {
      const n = Number(s);
      if (s === undefined || !Number.isInteger(n)) throw new KernelOutputError(lineNo, line, `${what} is not an integer`);
      return n;
    };
    if (kind === "BEGIN") {
      need(3);
      current = { scenario: decodeName(tokens[2]!), steps: [], threads: [] };
      runs.push(current);
      return;
    }
    if (!current) throw new KernelOutputError(lineNo, line, "output before the first BEGIN");
    switch (kind) {
      case "INIT": {
        const kv = keyValues(tokens.slice(1));
        current.initial = {
          uid: int(kv.get("uid"), "uid"),
          capSysAdmin: kv.get("capSysAdmin") === "1",
          noNewPrivs: kv.get("nnp") === "1",
          abi: int(kv.get("abi"), "abi"),
          errata: errataList(int(kv.get("errata"), "errata")),
          isolatedNetwork: kv.get("netns") === "1",
          setup: kv.get("setup") ?? "ok",
        };
        return;
      }
      case "STEP":
      case "CONCURRENT": {
        const concurrent = kind === "CONCURRENT";
        need(concurrent ? 6 : 5);
        const at = concurrent ? 3 : 2;
        const kv = keyValues(tokens.slice(at + 3));
        const value = kv.get("value");
        const detail = kv.get("detail");
        current.steps.push({
          index: int(tokens[1], "step index"),
          part: concurrent ? int(tokens[2], "part") : 0,
          thread: decodeName(tokens[at]!),
          op: tokens[at + 1]!,
          result: tokens[at + 2]!,
          ...(value !== undefined ? { value: int(value, "value") } : {}),
          ...(detail !== undefined ? { detail } : {}),
        });
        return;
      }
      case "THREAD": {
        need(3);
        const kv = keyValues(tokens.slice(2));
        const alive = kv.get("alive") === "1";
        const state: KernelThreadState = { thread: decodeName(tokens[1]!), process: decodeName(kv.get("process") ?? ""), alive };
        if (alive) {
          const uid = Number(kv.get("uid"));
          if (Number.isInteger(uid) && uid >= 0) state.uid = uid;
          if (kv.has("nnp") && kv.get("nnp") !== "?") state.noNewPrivs = kv.get("nnp") === "1";
          if (kv.has("capSysAdmin")) state.capSysAdmin = kv.get("capSysAdmin") === "1";
        }
        current.threads.push(state);
        return;
      }
      case "ERROR":
        current.error = current.error ? `${current.error}; ${tokens.slice(1).join(" ")}` : tokens.slice(1).join(" ");
        return;
      case "END":
        if (tokens[2] !== "ok" && !current.error) current.error = "the scenario launcher failed";
        current = undefined;
        return;
      default:
        throw new KernelOutputError(lineNo, line, `unknown line kind "${kind}"`);
    }
  });
  if (current) {
    const cut = partial ? ` (last line cut: ${JSON.stringify(partial.slice(0, 80))})` : "";
    current.error = current.error ?? `output ended before END (program killed or timed out)${cut}`;
  }
  return runs;
}
