// Generated trees cached in the temporary directory, keyed by the generator's options and
// its own source text: a benchmark run reuses the trees of the previous run (writing 10,000
// files costs seconds of the budget), and any change to the generator makes a new key.
//
// A tree is complete when its tree.json exists: it is written into a private folder that
// is renamed into place last, so a run killed half-way leaves no tree that looks complete.

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateTree } from "./generate.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const TREE_CACHE = join(tmpdir(), "landlock-bench-trees");
const MANIFEST = "tree.json";

let generatorHash;
function generatorFingerprint() {
  generatorHash ??= (() => {
    const h = createHash("sha256");
    for (const name of readdirSync(here).filter((n) => n.endsWith(".mjs") && n !== "cache.mjs").sort()) h.update(name).update(readFileSync(join(here, name)));
    return h.digest("hex");
  })();
  return generatorHash;
}

/**
 * The tree generateTree(options) would write (same fields), from the cache when there;
 * `cached` says which. `options.out` is not taken: the cache chooses the folder.
 */
export function cachedTree(options) {
  const { out: _ignored, ...rest } = options;
  const key = createHash("sha256").update(generatorFingerprint()).update(JSON.stringify(Object.entries(rest).sort())).digest("hex").slice(0, 20);
  const dir = join(TREE_CACHE, key);
  const manifest = join(dir, MANIFEST);
  if (existsSync(manifest)) {
    try {
      return { ...JSON.parse(readFileSync(manifest, "utf8")), cached: true };
    } catch {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  mkdirSync(TREE_CACHE, { recursive: true });
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const tree = generateTree({ ...rest, out: building });
  // Paths as they will be once the folder has its final name.
  const final = { ...tree, out: dir, files: tree.files.map((f) => dir + f.slice(building.length)) };
  writeFileSync(join(building, MANIFEST), JSON.stringify(final));
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  return { ...final, cached: false };
}
