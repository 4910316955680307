// Turns scenarios into one self-contained C program for the real kernel: the fixed
// interpreter from c-runtime.ts plus one data table per scenario. Several scenarios
// may share one program so a batch costs one compile.

import type { Scenario } from "../scenario.js";
import { C_PRELUDE, C_RUNTIME } from "./c-runtime.js";
import { type LowerOptions, type LoweredScenario, lowerScenario } from "./lower.js";

/** One C program that runs `scenario` and prints its results (see output.ts for the format). */
export function scenarioToC(scenario: Scenario, options: LowerOptions = {}): string {
  return scenariosToC([scenario], options);
}

/** One C program that runs each scenario in turn; `./prog K` runs only the K-th. */
export function scenariosToC(scenarios: readonly Scenario[], options: LowerOptions = {}): string {
  return loweredToC(scenarios.map((s) => lowerScenario(s, options)));
}

export function loweredToC(scenarios: readonly LoweredScenario[]): string {
  if (scenarios.length === 0) throw new Error("scenariosToC: no scenario given");
  const max = (f: (s: LoweredScenario) => number): number => Math.max(1, ...scenarios.map(f));
  const out: string[] = [];
  out.push(`/* Generated real-kernel check for: ${scenarios.map((s) => commentSafe(s.name)).join(", ")} */`);
  out.push(`#define MAX_STEPS ${max((s) => s.steps.length)}`);
  out.push(`#define MAX_THREADS ${max((s) => s.threads.length)}`);
  out.push(`#define MAX_PROCS ${max((s) => s.processes.length)}`);
  out.push(`#define MAX_NAMED ${max((s) => s.namedFds.length)}`);
  out.push(`#define MAX_FDS ${max((s) => s.fds.length)}`);
  out.push(C_PRELUDE);
  scenarios.forEach((s, k) => out.push(scenarioTables(s, k)));
  out.push("static const struct scenario_def SCENARIOS[] = {");
  scenarios.forEach((s, k) => out.push(scenarioDef(s, k)));
  out.push("};");
  out.push(C_RUNTIME);
  return out.join("\n");
}

function scenarioTables(s: LoweredScenario, k: number): string {
  const lines: string[] = [`/* scenario ${k}: ${commentSafe(s.name)} */`];
  lines.push(`static const struct step steps_${k}[] = {`);
  s.steps.forEach((st, i) => {
    const note = st.note ? ` /* ${commentSafe(st.note)} */` : "";
    lines.push(
      `  /* ${i} */ { ${cString(st.opName)}, ${st.index}, ${st.part}, ${st.op}, ${st.thread}, ${st.target}, ${st.object}, ${st.mode}, ${st.sig}, ${st.a}, ${st.b}, ${st.c} },${note}`,
    );
  });
  if (s.steps.length === 0) lines.push("  { 0 }");
  lines.push("};");
  lines.push(`static const struct thread_def threads_${k}[] = {`);
  for (const t of s.threads) lines.push(`  { ${cString(t.name)}, ${t.process} },`);
  lines.push("};");
  lines.push(`static const struct process_def procs_${k}[] = {`);
  for (const p of s.processes) lines.push(`  { ${cString(p.name)}, ${p.mainThread} },`);
  lines.push("};");
  lines.push(`static const struct path_def paths_${k}[] = {`);
  for (const p of s.paths) lines.push(`  { ${cString(p.path)}, ${p.isDir ? 1 : 0} },`);
  if (s.paths.length === 0) lines.push("  { 0 }");
  lines.push("};");
  lines.push(`static const char *const sockets_${k}[] = { ${s.sockets.map(cString).join(", ") || "0"} };`);
  lines.push(`static const int ports_${k}[] = { ${s.connectPorts.join(", ") || "0"} };`);
  return lines.join("\n");
}

function scenarioDef(s: LoweredScenario, k: number): string {
  const counts = [s.steps.length, s.threads.length, s.processes.length, s.paths.length, s.namedFds.length, s.fds.length, s.sockets.length, s.connectPorts.length];
  return (
    `  { ${cString(s.name)}, ${counts.join(", ")}, steps_${k}, threads_${k}, procs_${k}, paths_${k}, sockets_${k}, ports_${k}, ` +
    `${s.initial.uid}, ${s.initial.capSysAdmin ? 1 : 0}, ${s.initial.noNewPrivs ? 1 : 0} },`
  );
}

/** A C string literal: printable ASCII as is, everything else as octal escapes of its UTF-8 bytes. */
export function cString(value: string): string {
  let out = '"';
  for (const byte of Buffer.from(value, "utf8")) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f && byte !== 0x3f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, "0")}`; // "?" escaped too: no trigraphs
  }
  return `${out}"`;
}

function commentSafe(text: string): string {
  return text.replace(/\*\//g, "* /").replace(/[^\x20-\x7e]/g, "?");
}
