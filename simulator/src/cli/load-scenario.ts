// Finds the scenario a command names: a built-in by name, or a JSON file validated
// against the schema and the semantic checks. Problems come back as messages naming the
// file and the JSON path.

import { readFileSync, statSync } from "node:fs";
import type { Scenario } from "../scenario.js";
import { BUILTIN_SCENARIOS } from "../builtins/index.js";
import { validateScenario } from "../validate.js";
import { jsonErrorOffset, lineColumn } from "./json-error.js";

export type Loaded = { ok: true; scenario: Scenario } | { ok: false; messages: string[] };

export function loadScenario(ref: string): Loaded {
  const builtin = BUILTIN_SCENARIOS[ref];
  if (builtin) return { ok: true, scenario: builtin };
  let text: string;
  try {
    if (!statSync(ref).isFile()) return { ok: false, messages: [`${ref}: not a file`] };
    text = readFileSync(ref, "utf8");
  } catch {
    const known = Object.keys(BUILTIN_SCENARIOS).join(", ");
    return { ok: false, messages: [`${ref}: no built-in scenario by that name and no such file (built-ins: ${known})`] };
  }
  if (text.includes("\u0000")) return { ok: false, messages: [`${ref}: binary file, expected a JSON scenario`] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, messages: [`${ref}: invalid JSON: ${jsonErrorWhere(text, err)}`] };
  }
  const result = validateScenario(value);
  if (!result.ok) return { ok: false, messages: result.errors.map((e) => `${ref}: ${e.path}: ${e.message}`) };
  return { ok: true, scenario: result.scenario };
}

/** Where the JSON breaks (line and column) and what the parser said. */
function jsonErrorWhere(text: string, err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err)).split("\n")[0]!;
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return message;
  const found = offset < text.length ? `unexpected ${JSON.stringify(text[offset])}` : "unexpected end of file";
  return `${found} at ${lineColumn(text, offset)}`;
}
