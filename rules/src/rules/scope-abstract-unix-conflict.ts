// landlock/scope-abstract-unix-conflict: reports the analyzer's scope-abstract-unix-conflict findings (docs/rules/scope-abstract-unix-conflict.md).
import { createLandlockRule } from "./create-rule.js";

export default createLandlockRule("scope-abstract-unix-conflict");
