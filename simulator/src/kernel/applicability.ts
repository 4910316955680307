// Whether the running kernel can show what a scenario is about.

import type { Scenario } from "../scenario.js";
import type { KernelInfo } from "./run.js";

export type Applicability = { runnable: true } | { runnable: false; reason: string };

/**
 * A scenario written for a newer ABI tells a story this kernel cannot show (TSYNC
 * succeeding needs ABI 8); injected faults cannot be reproduced on a real kernel.
 * A scenario written for an older or equal ABI runs: newer kernels must behave the
 * same way for what it uses, and the simulator is asked about the running ABI anyway.
 */
export function kernelCanShow(scenario: Scenario, info: KernelInfo): Applicability {
  if (!info.available || info.abi === undefined) return { runnable: false, reason: info.reason ?? "no usable kernel" };
  if (scenario.abi !== undefined && scenario.abi > info.abi) {
    return { runnable: false, reason: `written for ABI ${scenario.abi}; this kernel has ABI ${info.abi}` };
  }
  const faults = Object.keys(scenario.faults ?? {}).filter((k) => (scenario.faults as Record<string, unknown>)[k] !== undefined);
  if (faults.length > 0) return { runnable: false, reason: `injects ${faults.join(", ")}, which a real kernel cannot reproduce` };
  return { runnable: true };
}
