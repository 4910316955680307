// The built-in scenarios by name: realistic stories for `landlock-sim run <name>`, the
// documentation and the tests.

import type { Scenario } from "../scenario.js";
import { nodeLibuvPool, singleThreadRestrict, tsync, tsyncEnomem, tsyncOnOldAbi, tsyncSpawnRace } from "./thread-coverage.js";
import { psxPerThread, psxSignalScope, setuidAfterPerThreadScope } from "./per-thread.js";
import { abstractUnixScope, scopeSignalParent, sigioOutsideOwner } from "./scoping.js";
import { missingNnp, nestingLimit } from "./preconditions.js";

const all: Scenario[] = [
  singleThreadRestrict, tsync, tsyncEnomem, tsyncSpawnRace, psxPerThread, psxSignalScope, setuidAfterPerThreadScope,
  scopeSignalParent, sigioOutsideOwner, abstractUnixScope, missingNnp, nestingLimit, tsyncOnOldAbi, nodeLibuvPool,
];

export const BUILTIN_SCENARIOS: Record<string, Scenario> = Object.freeze(Object.fromEntries(all.map((s) => [s.name, s])));
