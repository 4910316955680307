// The tool's version (from the analyzer's package.json) and a build stamp for the cache:
// the version alone does not change while the code does, so the stamp also hashes every
// compiled module of the analyzer and the simulator (contents, not times: a rebuild that
// changes nothing keeps the cache).

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageJsonPath = fileURLToPath(new URL("../../../package.json", import.meta.url));

export function toolVersion(): string {
  return (JSON.parse(readFileSync(packageJsonPath, "utf8")) as { version: string }).version;
}

function addTree(hash: ReturnType<typeof createHash>, dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) addTree(hash, path);
    else if (name.endsWith(".js")) hash.update(`${name}\0`).update(readFileSync(path));
  }
}

export function buildStamp(): string {
  const hash = createHash("sha256").update(toolVersion());
  addTree(hash, fileURLToPath(new URL("../", import.meta.url)));
  try {
    const simulatorEntry = createRequire(import.meta.url).resolve("@landlock-lint/simulator");
    addTree(hash, dirname(simulatorEntry));
  } catch {
    // The simulator is a dependency; without it explanations fail loudly elsewhere.
  }
  return `${toolVersion()}+${hash.digest("hex").slice(0, 16)}`;
}
