// Compiles generated programs with gcc and runs them on this machine's kernel.
// Binaries are cached by source hash for the life of the process. Programs are linked
// statically so an `exec` step can re-execute them under any filesystem sandbox (the
// dynamic loader and libc would be denied like any other file).

import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { Scenario } from "../scenario.js";
import { loweredToC } from "./c-program.js";
import { type LowerOptions, lowerScenario } from "./lower.js";
import { type KernelRun, parseKernelOutput } from "./output.js";

export interface KernelInfo {
  available: boolean;
  reason?: string;
  abi?: number;
  errata?: number[];
}

export interface KernelRunOptions extends LowerOptions {
  /** Wall-clock limit for one program (default 60 s). */
  timeoutMs?: number;
  /** Programs compiled and run at the same time (default: CPU count, at most 4). */
  parallel?: number;
}

const GCC_FLAGS = ["-O1", "-pthread", "-static", "-w"];
const DEFAULT_TIMEOUT_MS = 60_000;

let workDir: string | undefined;
const compiled = new Map<string, Promise<string>>();

function binaryDir(): string {
  if (!workDir) {
    workDir = mkdtempSync(join(tmpdir(), "landlock-kernel-bin-"));
    const dir = workDir;
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return workDir;
}

function run(file: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, killSignal: "SIGKILL" }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
      resolve({
        code: e ? (typeof e.code === "number" ? e.code : null) : 0,
        stdout: String(stdout),
        stderr: String(stderr) || (e && typeof e.code === "string" ? `${file}: ${e.message}` : ""),
        timedOut: Boolean(e?.killed),
      });
    });
  });
}

/** Compiles C source to a static binary (once per distinct source); resolves to its path. */
export function compileProgram(source: string): Promise<string> {
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 24);
  let pending = compiled.get(hash);
  if (!pending) {
    pending = (async () => {
      const dir = binaryDir();
      const src = join(dir, `${hash}.c`);
      const bin = join(dir, hash);
      writeFileSync(src, source);
      const r = await run("gcc", [...GCC_FLAGS, "-o", bin, src], 120_000);
      if (r.code !== 0) throw new Error(`gcc failed on ${src}: ${r.stderr.trim().split("\n").slice(0, 20).join("\n")}`);
      return bin;
    })();
    compiled.set(hash, pending);
    pending.catch(() => compiled.delete(hash));
  }
  return pending;
}

const PROBE = String.raw`
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void) {
  long abi = syscall(444, NULL, 0, 1UL);
  int abi_errno = abi < 0 ? errno : 0;
  long errata = syscall(444, NULL, 0, 2UL);
  printf("abi %ld %d\nerrata %ld\n", abi, abi_errno, errata);
  return 0;
}
`;

let cachedInfo: KernelInfo | undefined;

/** Whether this machine can run the real-kernel checks, and its Landlock ABI and errata. */
export function kernelInfo(): KernelInfo {
  cachedInfo ??= probeKernel();
  return cachedInfo;
}

function probeKernel(): KernelInfo {
  if (process.platform !== "linux") return { available: false, reason: `Landlock needs Linux (this is ${process.platform})` };
  const gcc = spawnSync("gcc", ["--version"], { encoding: "utf8" });
  if (gcc.error || gcc.status !== 0) return { available: false, reason: "gcc is not installed (needed to compile the kernel checks)" };
  const dir = binaryDir();
  const src = join(dir, "probe.c");
  const bin = join(dir, "probe");
  writeFileSync(src, PROBE);
  const cc = spawnSync("gcc", [...GCC_FLAGS, "-o", bin, src], { encoding: "utf8" });
  if (cc.status !== 0) {
    return { available: false, reason: `gcc cannot build static programs (is the static C library installed?): ${cc.stderr.trim().split("\n")[0] ?? ""}` };
  }
  const out = spawnSync(bin, [], { encoding: "utf8", timeout: 10_000 });
  const m = /abi (-?\d+) (\d+)\nerrata (-?\d+)/.exec(out.stdout ?? "");
  if (!m) return { available: false, reason: `the probe program failed: ${out.stderr || out.error?.message || "no output"}` };
  const abi = Number(m[1]);
  const errno = Number(m[2]);
  if (abi < 0) {
    // ENOSYS 38: not built in; EOPNOTSUPP 95: built in but not enabled at boot.
    const why = errno === 38 ? "this kernel has no Landlock (ENOSYS)" : errno === 95 ? "Landlock is disabled at boot (EOPNOTSUPP; see the lsm= parameter)" : `the ABI query failed with errno ${errno}`;
    return { available: false, reason: why };
  }
  const mask = Number(m[3]);
  const errata: number[] = [];
  for (let bit = 0; bit < 31; bit++) if (mask > 0 && (mask >> bit) & 1) errata.push(bit + 1);
  return { available: true, abi, errata };
}

/** Runs one scenario on the kernel. */
export async function runScenarioOnKernel(scenario: Scenario, options: KernelRunOptions = {}): Promise<KernelRun> {
  const [r] = await runScenariosOnKernel([scenario], options);
  return r!;
}

/**
 * Runs scenarios on the kernel: they are split into `parallel` programs, each compiled
 * once and running its scenarios one after another. Results come back in input order.
 * A scenario that cannot be turned into a program throws (ScenarioLoweringError).
 */
export async function runScenariosOnKernel(scenarios: readonly Scenario[], options: KernelRunOptions = {}): Promise<KernelRun[]> {
  if (scenarios.length === 0) return [];
  const lowered = scenarios.map((s) => lowerScenario(s, options));
  const parallel = Math.max(1, Math.min(options.parallel ?? Math.min(4, availableParallelism()), scenarios.length));
  const chunkSize = Math.ceil(scenarios.length / parallel);
  const chunks: number[][] = [];
  for (let i = 0; i < scenarios.length; i += chunkSize) chunks.push([...Array(Math.min(chunkSize, scenarios.length - i)).keys()].map((j) => i + j));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const results = await Promise.all(
    chunks.map(async (indices) => {
      const bin = await compileProgram(loweredToC(indices.map((i) => lowered[i]!)));
      const r = await run(bin, [], timeoutMs);
      const runs = parseKernelOutput(r.stdout);
      return indices.map((scenarioIndex, k): KernelRun => {
        const got = runs[k];
        if (got) return got;
        const why = r.timedOut ? `the program exceeded ${timeoutMs} ms` : `the program stopped early (exit ${r.code}) ${r.stderr.trim()}`;
        return { scenario: scenarios[scenarioIndex]!.name, steps: [], threads: [], error: `not run: ${why}` };
      });
    }),
  );
  return results.flat();
}
