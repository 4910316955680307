// The client's `landlock` configuration section -> settings layered over each project's
// `.landlock-lint.json`. Keys the client leaves unset (null, or absent) do not override
// the config file. A bad value is reported and dropped (the default or the config file's
// value is used for that key); it never stops the server.

import { validateSettings, type Settings, type SettingsProblem } from "@landlock-lint/analyzer";

export const SETTINGS_KEYS = ["targetAbi", "errata", "threadSpawners", "restrictWrappers", "assumeMultithreaded", "rules"] as const;

export interface ClientSettings {
  /** What overrides the config files. */
  overrides: Partial<Settings>;
  /** Problems found, with the JSON path under `landlock`. */
  problems: SettingsProblem[];
  /** Debounce of diagnostics after a change, in ms (server option, not an analysis setting). */
  debounceMs?: number;
}

const MAX_DEBOUNCE_MS = 2000;

/** Reads the `landlock` section as the client sent it. */
export function readClientSettings(section: unknown): ClientSettings {
  if (section === null || section === undefined) return { overrides: {}, problems: [] };
  if (typeof section !== "object" || Array.isArray(section)) {
    return { overrides: {}, problems: [{ key: "", problem: `the landlock section must be an object (got ${JSON.stringify(section)})` }] };
  }
  const raw = section as Record<string, unknown>;
  const problems: SettingsProblem[] = [];
  const candidate: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === null || value === undefined) continue;
    if (key === "debounceMs" || key === "trace") continue;
    if (!(SETTINGS_KEYS as readonly string[]).includes(key)) {
      problems.push({ key, problem: `unknown setting; known: ${[...SETTINGS_KEYS, "debounceMs"].join(", ")}` });
      continue;
    }
    // Rules with a null level are unset in the editor: drop them before validation.
    candidate[key] = key === "rules" && typeof value === "object" && !Array.isArray(value) ? withoutNulls(value as Record<string, unknown>) : value;
  }
  const overrides: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(candidate)) {
    const keyProblems = validateSettings({ [key]: value });
    if (keyProblems.length === 0) {
      overrides[key] = value;
      continue;
    }
    problems.push(...keyProblems);
    // Keep the valid rule levels when only some are wrong.
    if (key === "rules" && typeof value === "object" && value !== null && !Array.isArray(value)) {
      const good = Object.fromEntries(Object.entries(value).filter(([name, level]) => validateSettings({ rules: { [name]: level } }).length === 0));
      if (Object.keys(good).length > 0) overrides.rules = good;
    }
  }
  const result: ClientSettings = { overrides: overrides as Partial<Settings>, problems };
  const debounce = raw.debounceMs;
  if (debounce !== undefined && debounce !== null) {
    if (typeof debounce === "number" && Number.isFinite(debounce) && debounce >= 0 && debounce <= MAX_DEBOUNCE_MS) result.debounceMs = debounce;
    else problems.push({ key: "debounceMs", problem: `must be a number of milliseconds from 0 to ${MAX_DEBOUNCE_MS} (got ${JSON.stringify(debounce)})` });
  }
  return result;
}

function withoutNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

/** One line per problem, naming the setting as the user writes it (`landlock.targetAbi`). */
export function describeProblems(problems: SettingsProblem[]): string {
  return problems.map((p) => `landlock${p.key ? `.${p.key}` : ""}: ${p.problem}`).join("; ");
}
