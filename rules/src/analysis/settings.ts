// `settings.landlock` from the ESLint config, checked against the analyzer's one settings
// schema. A bad value stops the run with an error naming `settings.landlock.<key>`,
// because a silently ignored setting (a misspelt `targetAbi`) would change every finding.

import { validateSettings, type Settings } from "@landlock-lint/analyzer";

export interface EslintLandlockSettings {
  /** The settings as written (validated), layered by the analyzer over `.landlock-lint.json`. */
  partial: Partial<Settings>;
  /** Stable text of `partial`, part of every cache key. */
  key: string;
}

const NO_SETTINGS: EslintLandlockSettings = { partial: {}, key: "{}" };

// ESLint hands every rule of a file the same settings object, and the same object to
// every file a config block covers: validate it once.
const validated = new WeakMap<object, EslintLandlockSettings>();

export class LandlockSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LandlockSettingsError";
  }
}

/** The plugin's settings out of ESLint's `context.settings`. Throws LandlockSettingsError when they do not validate. */
export function landlockSettings(eslintSettings: Readonly<Record<string, unknown>> | undefined): EslintLandlockSettings {
  const raw = eslintSettings?.landlock;
  if (raw === undefined) return NO_SETTINGS;
  if (raw !== null && typeof raw === "object") {
    const cached = validated.get(raw);
    if (cached) return cached;
  }
  const problems = validateSettings(raw);
  if (problems.length > 0) {
    const lines = problems.map((p) => `  settings.landlock${p.key ? (p.key.startsWith("[") ? p.key : `.${p.key}`) : ""}: ${p.problem}`);
    throw new LandlockSettingsError(`eslint-plugin-landlock: invalid settings.landlock in the ESLint config:\n${lines.join("\n")}`);
  }
  const partial = raw as Partial<Settings>;
  const result = { partial, key: stableJson(partial) };
  validated.set(raw as object, result);
  return result;
}

/** JSON with object keys sorted, so equal settings written in another order share caches. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
