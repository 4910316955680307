// Every rule, in a stable order.

import type { RuleModule } from "../hit.js";
import { abiCompat } from "./abi-compat.js";
import { missingNoNewPrivs } from "./missing-no-new-privs.js";
import { nestingLimit } from "./nesting-limit.js";
import { perThreadScopeConflict } from "./per-thread-scope-conflict.js";
import { scopeAbstractUnixConflict } from "./scope-abstract-unix-conflict.js";
import { scopeSignalConflict } from "./scope-signal-conflict.js";
import { singleThreadRestrict } from "./single-thread-restrict.js";
import { threadRoutineRestrict } from "./thread-routine-restrict.js";
import { uncheckedRestrictResult } from "./unchecked-restrict-result.js";
import { unsafeTsyncFallback } from "./unsafe-tsync-fallback.js";

export const RULES: readonly RuleModule[] = [
  singleThreadRestrict,
  threadRoutineRestrict,
  perThreadScopeConflict,
  scopeSignalConflict,
  scopeAbstractUnixConflict,
  missingNoNewPrivs,
  uncheckedRestrictResult,
  abiCompat,
  nestingLimit,
  unsafeTsyncFallback,
];
