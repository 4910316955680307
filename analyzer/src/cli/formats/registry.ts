// Finds the output formats: every module in this folder (other than this one and the
// contract) that exports `formatter`. Adding a format is adding a file here.

import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Formatter } from "./formatter.js";

const here = fileURLToPath(import.meta.url);
const NOT_FORMATS = new Set(["registry.js", "formatter.js"]);

let loaded: Promise<Map<string, Formatter>> | undefined;

/** Formatters by name, in name order. */
export function loadFormatters(): Promise<Map<string, Formatter>> {
  loaded ??= discover();
  return loaded;
}

async function discover(): Promise<Map<string, Formatter>> {
  const dir = dirname(here);
  const modules = readdirSync(dir)
    .filter((name) => name.endsWith(".js") && !NOT_FORMATS.has(name))
    .sort();
  const formatters = new Map<string, Formatter>();
  for (const name of modules) {
    const module = (await import(pathToFileURL(join(dir, name)).href)) as { formatter?: Formatter };
    const formatter = module.formatter;
    if (!formatter || typeof formatter.name !== "string" || typeof formatter.format !== "function") {
      throw new Error(`output format module ${name} must export \`formatter\` with a name and a format function`);
    }
    if (formatters.has(formatter.name)) throw new Error(`two output format modules are named "${formatter.name}"`);
    formatters.set(formatter.name, formatter);
  }
  return new Map([...formatters].sort(([a], [b]) => (a < b ? -1 : 1)));
}
