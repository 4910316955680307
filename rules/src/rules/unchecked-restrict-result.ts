// landlock/unchecked-restrict-result: reports the analyzer's unchecked-restrict-result findings (docs/rules/unchecked-restrict-result.md).
import { createLandlockRule } from "./create-rule.js";

export default createLandlockRule("unchecked-restrict-result");
