// typescript-estree (and the TypeScript compiler under it) loaded on first use: loading
// them costs seconds on a busy machine, and a project without JS/TS files must not pay it.

import { createRequire } from "node:module";
import type * as Estree from "@typescript-eslint/typescript-estree";
import type TypeScript from "typescript";
import { setNodeTypes } from "./ast.js";

const require = createRequire(import.meta.url);

let estree: typeof Estree | undefined;
let typescript: typeof TypeScript | undefined;

export function loadEstree(): typeof Estree {
  if (!estree) {
    estree = require("@typescript-eslint/typescript-estree") as typeof Estree;
    setNodeTypes(estree.AST_NODE_TYPES);
  }
  return estree;
}

export function loadTypeScript(): typeof TypeScript {
  typescript ??= require("typescript") as typeof TypeScript;
  return typescript;
}
