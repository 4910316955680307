// The ten rules, one module each, keyed by the names in the analyzer's RULE_NAMES.

import type { RuleName } from "@landlock-lint/analyzer";
import abiCompat from "./abi-compat.js";
import missingNoNewPrivs from "./missing-no-new-privs.js";
import nestingLimit from "./nesting-limit.js";
import perThreadScopeConflict from "./per-thread-scope-conflict.js";
import scopeAbstractUnixConflict from "./scope-abstract-unix-conflict.js";
import scopeSignalConflict from "./scope-signal-conflict.js";
import singleThreadRestrict from "./single-thread-restrict.js";
import threadRoutineRestrict from "./thread-routine-restrict.js";
import uncheckedRestrictResult from "./unchecked-restrict-result.js";
import unsafeTsyncFallback from "./unsafe-tsync-fallback.js";

export const rules = {
  "single-thread-restrict": singleThreadRestrict,
  "thread-routine-restrict": threadRoutineRestrict,
  "per-thread-scope-conflict": perThreadScopeConflict,
  "scope-signal-conflict": scopeSignalConflict,
  "scope-abstract-unix-conflict": scopeAbstractUnixConflict,
  "missing-no-new-privs": missingNoNewPrivs,
  "unchecked-restrict-result": uncheckedRestrictResult,
  "abi-compat": abiCompat,
  "nesting-limit": nestingLimit,
  "unsafe-tsync-fallback": unsafeTsyncFallback,
} satisfies Record<RuleName, unknown>;

export type LandlockRule = (typeof rules)[RuleName];
