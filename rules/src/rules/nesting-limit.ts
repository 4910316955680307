// landlock/nesting-limit: reports the analyzer's nesting-limit findings (docs/rules/nesting-limit.md).
import { createLandlockRule } from "./create-rule.js";

export default createLandlockRule("nesting-limit");
