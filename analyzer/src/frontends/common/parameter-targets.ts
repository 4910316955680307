// One pass shared by the C/C++ and Go file walkers: signals and F_SETOWN aimed at a
// parameter get the target the callers in the same file pass.

import type { IrFunction, IrNode, IrOp } from "../../ir.js";

type Target = "parent" | "process-group" | "other-process" | "own-thread" | "own-process" | "unknown";

/**
 * A signal or F_SETOWN aimed at a parameter keeps `targetParam` for the checks, and gets
 * the best target this file alone can tell: what every caller in the file passes when
 * they agree, "other-process" when no caller is in this file (the pid comes from
 * elsewhere), "unknown" when callers here disagree (`sigio_to(fd, pid)` used for another
 * process before enforcement and for itself after).
 */
export function resolveParameterTargets(functions: IrFunction[]): void {
  const callsTo = new Map<string, { index: number; target: Target }[][]>();
  const visit = (block: IrNode[], onOp: (op: IrOp) => void): void => {
    for (const n of block) {
      if (n.kind === "op") onOp(n.op);
      else if (n.kind === "branch") for (const arm of n.arms) visit(arm.body, onOp);
      else if (n.kind === "loop" || n.kind === "child" || n.kind === "thread") visit(n.body, onOp);
    }
  };
  for (const fn of functions) {
    visit(fn.body, (op) => {
      if (op.type !== "call") return;
      for (const name of [op.callee, ...(op.calleeCandidates ?? [])]) {
        const list = callsTo.get(name) ?? [];
        list.push(op.argTargets ?? []);
        callsTo.set(name, list);
      }
    });
  }
  for (const fn of functions) {
    visit(fn.body, (op) => {
      if ((op.type !== "signal" && op.type !== "setown") || op.targetParam === undefined) return;
      const calls = callsTo.get(fn.name) ?? [];
      const passed = new Set<Target>(calls.map((args) => args.find((a) => a.index === op.targetParam)?.target ?? "unknown"));
      let target: Target = calls.length === 0 ? "other-process" : passed.size === 1 ? [...passed][0]! : "unknown";
      if (op.type === "setown") target = target === "process-group" ? "other-process" : target === "own-thread" ? "own-process" : target;
      op.target = target as typeof op.target;
    });
  }
}
