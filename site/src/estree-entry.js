// The JS/TS parser (typescript-estree and the TypeScript compiler under it) as its own
// bundle: it is most of the site's weight, and only JS/TS analysis needs it.
import * as estree from "@typescript-eslint/typescript-estree";
import typescript from "typescript";

const registered = (globalThis.__landlockModules ??= new Map());
registered.set("@typescript-eslint/typescript-estree", estree);
registered.set("typescript", typescript);
