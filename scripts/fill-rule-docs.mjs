// Regenerates the "What the simulator shows" blocks of docs/rules/*.md from the built
// simulator (run `npm run build` first). `simulator/test/rule-docs.test.ts` checks them.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fillRuleDoc } from "../simulator/dist/src/docs/rule-doc-output.js";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "rules");
for (const name of readdirSync(dir).filter((f) => f.endsWith(".md"))) {
  const path = join(dir, name);
  const before = readFileSync(path, "utf8");
  const after = fillRuleDoc(before);
  if (after !== before) {
    writeFileSync(path, after);
    console.log(`updated docs/rules/${name}`);
  }
}
