// landlock/abi-compat: reports the analyzer's abi-compat findings (docs/rules/abi-compat.md).
import { createLandlockRule } from "./create-rule.js";

export default createLandlockRule("abi-compat");
