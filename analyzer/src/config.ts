// Settings from JSON: validation against the one schema, defaults, and `.landlock-lint.json`
// found upward from a file. JSON only: the linter never executes project code.

import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import AjvModule, { type ErrorObject, type ValidateFunction } from "ajv";
import { DEFAULT_SETTINGS, type RuleLevel, type Settings } from "./settings.js";
import { SETTINGS_SCHEMA } from "./settings-schema.js";
import { parseRuleName } from "./rule-meta.js";
import type { RuleName } from "./findings.js";

export const CONFIG_FILE_NAME = ".landlock-lint.json";

export interface SettingsProblem {
  /** JSON path of the offending key, dotted ("rules.single-thread-restrict", "errata[1]"); "" for the whole object. */
  key: string;
  problem: string;
}

/** Settings that do not validate; `file` is set when they came from a config file. */
export class ConfigError extends Error {
  constructor(
    readonly problems: SettingsProblem[],
    readonly file?: string,
  ) {
    super(
      problems
        .map((p) => `${file ? `${file}: ` : ""}${p.key ? `${p.key}: ` : ""}${p.problem}`)
        .join("\n"),
    );
    this.name = "ConfigError";
  }
}

// ajv is CommonJS: under NodeNext its default import is the module object, whose `default` is the class.
const Ajv = AjvModule.default;
// Compiled on first use: compiling costs a fifth of a second at start-up, and a run
// without a config file or flags never needs it.
let compiled: ValidateFunction | undefined;
function settingsValidator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: true }).compile(SETTINGS_SCHEMA);
  return compiled;
}

function jsonPathToKey(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), "");
}

function describe(error: ErrorObject, value: unknown): SettingsProblem {
  const key = jsonPathToKey(error.instancePath);
  const got = value === undefined ? "" : ` (got ${JSON.stringify(value)})`;
  switch (error.keyword) {
    case "additionalProperties": {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const where = key ? `${key}.${extra}` : extra;
      return { key: where, problem: `unknown key; allowed keys: ${Object.keys(SETTINGS_SCHEMA.properties).filter((k) => k !== "$schema").join(", ")}` };
    }
    case "propertyNames": {
      const name = (error.params as { propertyName: string }).propertyName;
      return { key: key ? `${key}.${name}` : name, problem: "unknown rule name" };
    }
    case "pattern":
      return { key, problem: "unknown rule name" };
    case "type":
      return { key, problem: `must be ${(error.params as { type: string }).type === "integer" ? "an integer" : `a ${(error.params as { type: string }).type}`}${got}` };
    case "minimum":
    case "maximum": {
      const range = key.startsWith("errata") ? "from 1 to 3" : key === "targetAbi" ? "from 1 to 11" : "in range";
      return { key, problem: `must be ${range}${got}` };
    }
    case "enum":
      return { key, problem: `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}${got}` };
    case "uniqueItems":
      return { key, problem: "must not list the same value twice" };
    case "minLength":
      return { key, problem: "must not be empty" };
    default:
      return { key, problem: error.message ?? "is invalid" };
  }
}

function valueAt(root: unknown, instancePath: string): unknown {
  let cur: unknown = root;
  for (const part of instancePath.split("/").slice(1)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return cur;
}

/** Problems with a partial settings object, empty when it is valid. */
export function validateSettings(partial: unknown): SettingsProblem[] {
  if (partial === null || typeof partial !== "object" || Array.isArray(partial)) {
    return [{ key: "", problem: `settings must be a JSON object (got ${Array.isArray(partial) ? "an array" : JSON.stringify(partial)})` }];
  }
  // Every key is optional: nothing to check in an empty object.
  if (Object.keys(partial).length === 0) return [];
  const validate = settingsValidator();
  if (validate(partial)) return [];
  const seen = new Set<string>();
  const problems: SettingsProblem[] = [];
  for (const error of validate.errors ?? []) {
    // propertyNames failures also report the nested pattern failure; one message per key is enough.
    if (error.keyword === "pattern" && error.propertyName !== undefined) continue;
    const problem = describe(error, valueAt(partial, error.instancePath));
    const id = `${problem.key}\u0000${problem.problem}`;
    if (!seen.has(id)) {
      seen.add(id);
      problems.push(problem);
    }
  }
  return problems;
}

/** Complete settings from a partial object (defaults for what is missing). Throws ConfigError naming each bad key. */
export function resolveSettings(partial: unknown = {}, file?: string): Settings {
  const problems = validateSettings(partial);
  if (problems.length > 0) throw new ConfigError(problems, file);
  const p = partial as Partial<Settings> & { rules?: Record<string, RuleLevel> };
  const rules: Partial<Record<RuleName, RuleLevel>> = {};
  for (const [name, level] of Object.entries(p.rules ?? {})) rules[parseRuleName(name)!] = level;
  return {
    targetAbi: p.targetAbi ?? DEFAULT_SETTINGS.targetAbi,
    errata: [...(p.errata ?? DEFAULT_SETTINGS.errata)].sort((a, b) => a - b),
    threadSpawners: [...(p.threadSpawners ?? DEFAULT_SETTINGS.threadSpawners)],
    restrictWrappers: [...(p.restrictWrappers ?? DEFAULT_SETTINGS.restrictWrappers)],
    assumeMultithreaded: p.assumeMultithreaded ?? DEFAULT_SETTINGS.assumeMultithreaded,
    rules,
  };
}

/** Layers partial settings: later ones win key by key; `rules` merge rule by rule. */
export function mergeSettings(base: Settings, ...overrides: (Partial<Settings> | undefined)[]): Settings {
  let out: Settings = { ...base, rules: { ...base.rules } };
  for (const o of overrides) {
    if (!o) continue;
    const checked = resolveSettings({ ...o });
    out = {
      targetAbi: o.targetAbi !== undefined ? checked.targetAbi : out.targetAbi,
      errata: o.errata !== undefined ? checked.errata : out.errata,
      threadSpawners: o.threadSpawners !== undefined ? checked.threadSpawners : out.threadSpawners,
      restrictWrappers: o.restrictWrappers !== undefined ? checked.restrictWrappers : out.restrictWrappers,
      assumeMultithreaded: o.assumeMultithreaded !== undefined ? checked.assumeMultithreaded : out.assumeMultithreaded,
      rules: { ...out.rules, ...checked.rules },
    };
  }
  return out;
}

export interface LoadedConfig {
  settings: Settings;
  /** The config file used, absent when none was found (defaults). */
  configFile?: string;
  /** The settings as written in the file (before defaults). */
  raw?: Record<string, unknown>;
}

/** Nearest `.landlock-lint.json` at or above the folder of `file` (or `file` itself when it is a folder). */
export function findConfigFile(file: string): string | undefined {
  let dir = resolve(file);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const configCache = new Map<string, { mtimeMs: number; size: number; loaded: LoadedConfig }>();

/** Reads and validates one config file. Throws ConfigError naming the file, the key and the problem. */
export function readConfigFile(path: string): LoadedConfig {
  const abs = resolve(path);
  let stat;
  try {
    stat = statSync(abs);
  } catch (e) {
    throw new ConfigError([{ key: "", problem: `cannot read config file: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }], abs);
  }
  const cached = configCache.get(abs);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.loaded;
  let text: string;
  try {
    text = readFileSync(abs, "utf8");
  } catch (e) {
    throw new ConfigError([{ key: "", problem: `cannot read config file: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }], abs);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new ConfigError([{ key: "", problem: `invalid JSON: ${(e as Error).message}` }], abs);
  }
  const settings = resolveSettings(raw, abs);
  const loaded: LoadedConfig = { settings, configFile: abs, raw: raw as Record<string, unknown> };
  configCache.set(abs, { mtimeMs: stat.mtimeMs, size: stat.size, loaded });
  return loaded;
}

/** Settings for a file: `configFile` when given, else the nearest `.landlock-lint.json` upward, else defaults. */
export function loadConfigFor(file: string, options: { configFile?: string } = {}): LoadedConfig {
  const path = options.configFile ?? findConfigFile(file);
  if (!path) return { settings: resolveSettings({}) };
  return readConfigFile(path);
}
