// landlock/missing-no-new-privs: reports the analyzer's missing-no-new-privs findings (docs/rules/missing-no-new-privs.md).
import { createLandlockRule } from "./create-rule.js";

export default createLandlockRule("missing-no-new-privs");
