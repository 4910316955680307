// The second half of the prefilter, for files with none of the words: such a file can
// still hold a finding when it calls a project function that leads to a Landlock call
// (`sandbox_enter();` with the wrapper's result ignored). The names of those functions
// are collected once per project: the functions of every file with the words, then of
// every file calling those, round after round (wrappers of wrappers).
//
// Collected once per ESLint process: a long-running host sees a wrapper added to the
// project later only after a restart (the same limit as ESLint's --cache, documented).

import { readFileSync } from "node:fs";
import { buildIr, type Project } from "@landlock-lint/analyzer";
import { mayHoldFindings } from "./prefilter.js";

const MAX_CALLER_ROUNDS = 6;

export class ProjectRelevance {
  #calls: ((text: string) => boolean) | undefined | null = null;

  constructor(
    private readonly project: Project,
    private readonly extraNames: readonly string[],
  ) {}

  /** Whether a file without any of the words calls into the project's Landlock code. */
  callsIntoLandlockCode(text: string): boolean {
    if (this.#calls === null) this.#calls = this.#collect();
    return this.#calls !== undefined && this.#calls(text);
  }

  #collect(): ((text: string) => boolean) | undefined {
    const pending = new Map<string, string>();
    const names = new Set<string>();
    const addFunctionsOf = (file: string, text: string): void => {
      const ir = buildIr(text, file, this.project.settingsFor(file));
      if (ir.ok) for (const fn of ir.ir.functions) names.add(fn.name);
    };
    for (const file of this.project.sourceFiles()) {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch {
        continue;
      }
      if (mayHoldFindings(text, this.extraNames)) addFunctionsOf(file, text);
      else pending.set(file, text);
    }
    let newNames = [...names];
    for (let round = 0; round < MAX_CALLER_ROUNDS && newNames.length > 0 && pending.size > 0; round++) {
      const calls = callsAnyOf(newNames);
      if (!calls) break;
      const before = new Set(names);
      for (const [file, text] of pending) {
        if (!calls(text)) continue;
        pending.delete(file);
        addFunctionsOf(file, text);
      }
      newNames = [...names].filter((n) => !before.has(n));
    }
    return callsAnyOf(names);
  }
}

/** A test for "this text calls one of these functions" (by their last name part: `Type::run` -> `run`). */
function callsAnyOf(names: Iterable<string>): ((text: string) => boolean) | undefined {
  const simple = [...new Set([...names].map((n) => n.split(/::|\.|->/).pop() ?? n))].filter((n) => /^[A-Za-z_]\w*$/.test(n) && n !== "main");
  if (simple.length === 0) return undefined;
  const re = new RegExp(`\\b(?:${simple.join("|")})\\s*\\(`);
  return (text) => re.test(text);
}
