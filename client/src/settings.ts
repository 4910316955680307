// VS Code settings -> the server's `landlock` configuration section. Only values the user
// set (user, workspace or folder level) are passed, so a `.landlock-lint.json` in the
// project is not overridden by VS Code's defaults.

/** The analysis settings the extension contributes (same names as `.landlock-lint.json`). */
export const ANALYSIS_KEYS = ["targetAbi", "errata", "threadSpawners", "restrictWrappers", "assumeMultithreaded", "rules"] as const;
/** Editor-only settings. */
export const EDITOR_KEYS = ["debounceMs"] as const;

/** What `WorkspaceConfiguration.inspect(key)` returns, reduced to what matters here. */
export interface Inspected<T = unknown> {
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
  globalLanguageValue?: T;
  workspaceLanguageValue?: T;
  workspaceFolderLanguageValue?: T;
}

/** The most specific value the user set, or undefined when only the default applies. */
export function explicitValue<T>(inspected: Inspected<T> | undefined): T | undefined {
  if (!inspected) return undefined;
  return (
    inspected.workspaceFolderLanguageValue ??
    inspected.workspaceFolderValue ??
    inspected.workspaceLanguageValue ??
    inspected.workspaceValue ??
    inspected.globalLanguageValue ??
    inspected.globalValue
  );
}

/** The `landlock` section sent to the server: set keys only, nulls meaning "unset". */
export function landlockSection(inspect: (key: string) => Inspected | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [...ANALYSIS_KEYS, ...EDITOR_KEYS]) {
    const value = explicitValue(inspect(key));
    if (value === undefined || value === null) continue;
    if (key === "rules" && typeof value === "object" && !Array.isArray(value)) {
      const rules = Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, level]) => level !== null && level !== undefined && level !== "default"));
      if (Object.keys(rules).length > 0) out.rules = rules;
      continue;
    }
    out[key] = value;
  }
  return out;
}
