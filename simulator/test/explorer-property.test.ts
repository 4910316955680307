// Property: whatever small configuration is drawn, the correct TSYNC model never reports
// a violation, and the whole space is explored.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { exploreTsync } from "../src/explorer/index.js";

test("random small configurations never violate an invariant in the correct model", () => {
  fc.assert(
    fc.property(
      fc.record({
        threads: fc.integer({ min: 1, max: 3 }),
        spawn: fc.boolean(),
        maxSpawns: fc.integer({ min: 1, max: 2 }),
        exit: fc.boolean(),
        enomem: fc.boolean(),
        interrupts: fc.integer({ min: 0, max: 1 }),
        concurrent: fc.boolean(),
        diverged: fc.boolean(),
      }),
      (c) => {
        const threads = c.concurrent ? Math.max(2, c.threads) : c.threads;
        // The largest draws (3 threads, two callers, spawns, exits, ENOMEM, interrupts) stay under a few hundred thousand states.
        const maxSpawns = c.concurrent && threads === 3 ? 1 : c.maxSpawns;
        const exit = c.exit && (threads > (c.concurrent ? 2 : 1) || c.spawn);
        const r = exploreTsync({
          threads,
          spawn: c.spawn,
          ...(c.spawn ? { maxSpawns } : {}),
          exit,
          enomem: c.enomem,
          interrupts: c.interrupts,
          concurrent: c.concurrent,
          diverged: c.diverged,
        });
        assert.equal(r.status, "ok", `${JSON.stringify(c)}: ${r.violation?.invariant}: ${r.violation?.message}`);
      },
    ),
    { numRuns: 40 },
  );
});
