// The language front-ends the analyzer knows. A new language is one import and one entry
// here; the checks never change.

import type { FrontEnd } from "./frontend.js";
import { cFrontEnd } from "./c/index.js";
import { goFrontEnd } from "./go/index.js";
import { rustFrontEnd } from "./rust/index.js";
import { jsFrontEnd } from "./js/index.js";

export const FRONT_ENDS: readonly FrontEnd[] = [cFrontEnd, goFrontEnd, rustFrontEnd, jsFrontEnd];

function extensionOf(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot).toLowerCase() : "";
}

/** The front-end reading this file, by extension (extra front-ends first, for tests and embedders). */
export function frontEndFor(file: string, extra: readonly FrontEnd[] = []): FrontEnd | undefined {
  const ext = extensionOf(file);
  if (!ext) return undefined;
  return [...extra, ...FRONT_ENDS].find((fe) => fe.extensions.includes(ext));
}

/** Every extension some front-end reads (with the dot, lower case). */
export function sourceExtensions(extra: readonly FrontEnd[] = []): string[] {
  return [...new Set([...extra, ...FRONT_ENDS].flatMap((fe) => fe.extensions))].sort();
}
