// landlock/unsafe-tsync-fallback: reports the analyzer's unsafe-tsync-fallback findings (docs/rules/unsafe-tsync-fallback.md).
import { createLandlockRule } from "./create-rule.js";

export default createLandlockRule("unsafe-tsync-fallback");
