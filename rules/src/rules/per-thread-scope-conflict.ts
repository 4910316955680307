// landlock/per-thread-scope-conflict: reports the analyzer's per-thread-scope-conflict findings (docs/rules/per-thread-scope-conflict.md).
import { createLandlockRule } from "./create-rule.js";

export default createLandlockRule("per-thread-scope-conflict");
