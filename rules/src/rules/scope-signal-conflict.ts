// landlock/scope-signal-conflict: reports the analyzer's scope-signal-conflict findings (docs/rules/scope-signal-conflict.md).
import { createLandlockRule } from "./create-rule.js";

export default createLandlockRule("scope-signal-conflict");
