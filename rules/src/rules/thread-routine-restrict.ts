// landlock/thread-routine-restrict: reports the analyzer's thread-routine-restrict findings (docs/rules/thread-routine-restrict.md).
import { createLandlockRule } from "./create-rule.js";

export default createLandlockRule("thread-routine-restrict");
