// landlock/single-thread-restrict: reports the analyzer's single-thread-restrict findings (docs/rules/single-thread-restrict.md).
import { createLandlockRule } from "./create-rule.js";

export default createLandlockRule("single-thread-restrict");
