// validateScenario: the JSON Schema (compiled ahead of time by scripts/prebuild-validator.mjs)
// checks shapes and spellings; then the semantic pass checks names across steps (a thread
// or ruleset used before it exists, a name taken twice, ...). Both report
// { path: "$.steps[3].thread", message } so a reader can find the problem.

import type { Scenario } from "./scenario.js";
import { validate as schemaValidate } from "./generated/validate-scenario.js";
import { checkSemantics } from "./validate-semantics.js";

export interface ValidationError {
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; scenario: Scenario } | { ok: false; errors: ValidationError[] };

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  schema?: unknown;
  parentSchema?: { properties?: Record<string, unknown>; description?: string };
  data?: unknown;
}

type CompiledValidator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

export function validateScenario(value: unknown): ValidationResult {
  const validator = schemaValidate as CompiledValidator;
  if (!validator(value)) return { ok: false, errors: schemaErrors(validator.errors ?? []) };
  const scenario = value as Scenario;
  const errors = checkSemantics(scenario);
  return errors.length ? { ok: false, errors } : { ok: true, scenario };
}

/** "/steps/3/thread" -> "$.steps[3].thread" */
export function jsonPath(pointer: string): string {
  let out = "$";
  for (const raw of pointer.split("/").slice(1)) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(part) ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`;
  }
  return out;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function schemaErrors(raw: AjvError[]): ValidationError[] {
  // "if" failures only say which branch applied; oneOf reports each failed branch too.
  const oneOfPaths = new Set(raw.filter((e) => e.keyword === "oneOf").map((e) => e.instancePath));
  const errors = raw.filter((e) => e.keyword !== "if" && !(oneOfPaths.has(e.instancePath) && e.keyword !== "oneOf"));
  const seen = new Set<string>();
  const out: ValidationError[] = [];
  for (const e of errors) {
    const error = describe(e);
    const key = `${error.path}\u0000${error.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(error);
  }
  return out;
}

const PATTERN_MEANING: Record<string, string> = {
  "^/": "must be an absolute path (starting with /)",
  "^[A-Za-z_][A-Za-z0-9_.-]*$": "must be a name made of letters, digits, _ . - that does not start with a digit",
  "\\S": "must not be empty",
  "^[^\\u0000]+$": "must be a non-empty name without NUL characters",
};

function describe(e: AjvError): ValidationError {
  const path = jsonPath(e.instancePath);
  switch (e.keyword) {
    case "required":
      return { path, message: `missing required property "${String(e.params["missingProperty"])}"` };
    case "additionalProperties": {
      const extra = String(e.params["additionalProperty"]);
      const allowed = Object.keys(e.parentSchema?.properties ?? {});
      return { path: jsonPath(`${e.instancePath}/${extra}`), message: `unknown property "${extra}"${allowed.length ? ` (allowed here: ${allowed.join(", ")})` : ""}` };
    }
    case "enum": {
      const values = e.params["allowedValues"] as unknown[];
      const guess = typeof e.data === "string" ? closest(e.data, values.filter((v): v is string => typeof v === "string")) : undefined;
      const allowed = values.map((v) => JSON.stringify(v)).join(", ");
      return { path, message: `${show(e.data)} is not one of ${allowed}${guess ? ` (did you mean "${guess}"?)` : ""}` };
    }
    case "const":
      return { path, message: `must be ${JSON.stringify(e.params["allowedValue"])}, not ${show(e.data)}` };
    case "type":
      return { path, message: `must be ${article(String(e.params["type"]))}, not ${typeName(e.data)}` };
    case "pattern":
      return { path, message: `${show(e.data)}: ${PATTERN_MEANING[String(e.params["pattern"])] ?? `must match ${String(e.params["pattern"])}`}` };
    case "minimum":
    case "maximum":
      return { path, message: `${show(e.data)} is out of range: must be ${e.keyword === "minimum" ? ">=" : "<="} ${String(e.params["limit"])}` };
    case "oneOf":
      return { path, message: path.endsWith(".ruleset") ? `must be a ruleset name or -1, not ${show(e.data)}` : `${show(e.data)} matches none of the allowed forms` };
    default:
      return { path, message: e.message ?? `fails ${e.keyword}` };
  }
}

/** The allowed value nearest to a misspelling, when it is near enough to be a likely typo. */
function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number") return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
  return article(typeof value);
}
