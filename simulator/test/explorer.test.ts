// The interleaving explorer through its API: the correct TSYNC model holds under every
// fault combination, every naive variant and mutant is caught with a replayable and
// minimal counterexample, budgets stop with status "budget", and libpsx shows distinct
// domains and denied signals.

import { test } from "node:test";
import assert from "node:assert/strict";
import { exploreTsync, explorePsx, listVariants, ExploreOptionsError, type ExploreResult } from "../src/explorer/index.js";
import { TsyncModel, CB, C_PC, FIELDS, GB, G_NT, PC_DONE_ERR, PC_DONE_OK, TF, T_DM, T_ST, ST_RUN, DM_NEW0 } from "../src/explorer/tsync-model.js";
import { variantFlaws } from "../src/explorer/variants.js";

function flagsOf(o: { spawn?: boolean; exit?: boolean; enomem?: boolean }): string {
  return [o.spawn ? "spawn" : "", o.exit ? "exit" : "", o.enomem ? "enomem" : ""].filter(Boolean).join("+") || "no faults";
}

for (const threads of [2, 3, 4]) {
  test(`correct TSYNC model, ${threads} threads: every invariant holds under each combination of spawn/exit/enomem`, () => {
    for (let mask = 0; mask < 8; mask++) {
      const o = { threads, spawn: (mask & 1) !== 0, exit: (mask & 2) !== 0, enomem: (mask & 4) !== 0 };
      const r = exploreTsync(o);
      assert.equal(r.status, "ok", `${threads} threads, ${flagsOf(o)}: ${r.violation?.invariant} ${r.violation?.message}`);
      assert.equal(r.violation, undefined);
      assert.ok(r.states > 1 && r.transitions >= r.states - 1 && r.maxDepth > 1, `${flagsOf(o)}: ${r.states} states`);
    }
  });
}

test("correct TSYNC model: concurrent callers and interrupted waits also keep every invariant", () => {
  for (const o of [
    { threads: 2, concurrent: true },
    { threads: 3, concurrent: true, enomem: true, interrupts: 1 },
    { threads: 3, concurrent: true, spawn: true, exit: true, maxSpawns: 1 },
    { threads: 3, interrupts: 2, spawn: true, enomem: true },
  ]) {
    const r = exploreTsync(o);
    assert.equal(r.status, "ok", `${JSON.stringify(o)}: ${r.violation?.invariant} ${r.violation?.message}`);
  }
});

/** Every state reachable from the initial ones, found with a plain Map-keyed BFS over model.successors(). */
function reachable(model: TsyncModel): Uint32Array[] {
  const seen = new Map<string, Uint32Array>();
  const queue: Uint32Array[] = [];
  for (const s of model.initialStates()) {
    seen.set(s.join(","), s);
    queue.push(s);
  }
  while (queue.length > 0) {
    const s = queue.shift()!;
    for (const next of model.successors(s)) {
      const key = next.state.join(",");
      if (!seen.has(key)) {
        seen.set(key, next.state);
        queue.push(next.state);
      }
    }
  }
  return [...seen.values()];
}

test("the correct model's space is not vacuous: success with a thread spawned mid-call, and ENOMEM failures, are both reachable", () => {
  const model = new TsyncModel({ threads: 2, maxSpawns: 1, maxExits: 0, enomem: true, interrupts: 0, concurrent: false, diverged: true, flaws: variantFlaws("correct")! });
  const u = new Int32Array(FIELDS);
  let successWithSpawned = false;
  let failure = false;
  for (const s of reachable(model)) {
    model.unpack(s, 0, u);
    const pc = u[CB + C_PC];
    if (pc === PC_DONE_ERR) failure = true;
    if (pc === PC_DONE_OK && u[GB + G_NT] === 3 && u[2 * TF + T_ST] === ST_RUN && u[2 * TF + T_DM] === DM_NEW0) successWithSpawned = true;
  }
  assert.ok(successWithSpawned, "a run where T1 spawns T2 during the call and T2 ends in the new domain");
  assert.ok(failure, "a run where the call fails with ENOMEM");
});

const variants = listVariants();

test("listVariants names the correct model, two naive designs and at least five mutants", () => {
  assert.equal(variants.filter((v) => v.kind === "correct").length, 1);
  assert.deepEqual(variants.filter((v) => v.kind === "naive").map((v) => v.name).sort(), ["commit-without-wait", "single-pass"]);
  assert.ok(variants.filter((v) => v.kind === "mutant").length >= 5);
  assert.equal(new Set(variants.map((v) => v.name)).size, variants.length);
});

function runExposed(name: string, extra: object = {}): ExploreResult {
  const v = variants.find((x) => x.name === name)!;
  return exploreTsync({ variant: name, ...v.exposedBy, ...extra });
}

for (const v of variants.filter((x) => x.kind !== "correct")) {
  test(`${v.kind} ${v.name} is caught with a counterexample`, () => {
    const r = runExposed(v.name);
    assert.equal(r.status, "violation", `${v.name} under ${JSON.stringify(v.exposedBy)} was not caught`);
    const viol = r.violation!;
    assert.ok(viol.steps > 0);
    assert.ok(viol.trace.length >= viol.steps, "at least one event per step");
    assert.ok(viol.trace.every((e, i) => e.seq === i + 1 && typeof e.thread === "string" && typeof e.op === "string"));
    assert.ok(viol.message.length > 0);
    if (v.name === "no-serialization") {
      assert.equal(viol.invariant, "termination");
      assert.equal(viol.kind, "livelock");
      assert.ok(viol.loopStartEvent !== undefined && viol.loopStartEvent < viol.trace.length);
    } else if (v.name === "exit-drops-task-work") {
      assert.equal(viol.invariant, "termination");
      assert.equal(viol.kind, "deadlock");
      assert.ok(viol.minimal);
    } else {
      assert.ok(["all-or-nothing", "no-thread-left-behind"].includes(viol.invariant), viol.invariant);
      assert.ok(viol.minimal);
    }
    // The same options leave the correct model clean: the flaw, not the configuration, is what fails.
    assert.equal(exploreTsync({ ...v.exposedBy }).status, "ok");
  });
}

test("the naive variants fail the way their design predicts", () => {
  const single = runExposed("single-pass").violation!;
  assert.equal(single.invariant, "no-thread-left-behind");
  assert.ok(single.trace.some((e) => e.op === "spawn_thread"), "a thread is spawned during the call");
  assert.ok(single.lanes.some((l) => l.role.startsWith("spawned by")));
  const eager = runExposed("commit-without-wait").violation!;
  assert.equal(eager.invariant, "all-or-nothing");
  assert.ok(eager.trace.some((e) => e.op === "tsync.prepare_creds" && e.result === "ENOMEM"));
  assert.ok(eager.trace.some((e) => e.op === "tsync.commit_creds"));
  const ret = eager.trace.filter((e) => e.op === "restrict_self").at(-1)!;
  assert.equal(ret.result, "ENOMEM");
});

/**
 * Brute force, independent of the explorer's hashing and search: follows every run of
 * at most `depth` steps through model.successors() and reports whether one violates.
 */
function violatesWithin(model: TsyncModel, depth: number): boolean {
  const go = (s: Uint32Array, left: number): boolean => {
    const next = model.successors(s);
    if (next.length === 0) return model.terminalViolation(s, 0) !== 0;
    if (left === 0) return false;
    for (const n of next) {
      if (n.violation !== 0) return true;
      if (go(n.state, left - 1)) return true;
    }
    return false;
  };
  return model.initialStates().some((s) => go(s, depth));
}

test("counterexamples are minimal: no run one step shorter violates (brute force)", () => {
  for (const name of ["skip-last-thread", "no-wait-all-finished", "commit-before-prepare", "exit-drops-task-work", "single-pass"]) {
    const v = variants.find((x) => x.name === name)!;
    const r = runExposed(name);
    const steps = r.violation!.steps;
    const e = v.exposedBy;
    const model = new TsyncModel({
      threads: e.threads,
      maxSpawns: e.spawn ? 2 : 0,
      maxExits: e.exit ? 8 : 0,
      enomem: e.enomem ?? false,
      interrupts: 0,
      concurrent: e.concurrent ?? false,
      diverged: e.enomem ?? false,
      flaws: variantFlaws(name)!,
    });
    // A violating transition counts as the last step; a terminal violation is reached after `steps` steps.
    assert.equal(violatesWithin(model, steps - 1), false, `${name}: a violation within ${steps - 1} steps exists, the reported trace has ${steps}`);
    assert.equal(violatesWithin(model, steps), true, `${name}: brute force finds the violation within ${steps} steps`);
  }
});

test("a state budget stops the exploration with status budget and says how far it got", () => {
  const r = exploreTsync({ threads: 4, spawn: true, exit: true, enomem: true, maxStates: 1000 });
  assert.equal(r.status, "budget");
  assert.deepEqual(r.budget, { reason: "states", limit: 1000 });
  assert.ok(r.states > 1000 && r.states < 2000, `${r.states}`);
  assert.ok(r.maxDepth > 0);
  assert.equal(r.violation, undefined);
});

test("a time budget stops the exploration with status budget", () => {
  const r = exploreTsync({ threads: 4, spawn: true, exit: true, enomem: true, timeoutMs: 1 });
  assert.equal(r.status, "budget");
  assert.equal(r.budget?.reason, "time");
  assert.ok(r.states > 0);
});

test("options that cannot be explored raise ExploreOptionsError naming the option", () => {
  assert.throws(() => exploreTsync({ threads: 0 }), (e: unknown) => e instanceof ExploreOptionsError && /threads/.test(e.message));
  assert.throws(() => exploreTsync({ threads: 9 }), /threads must be an integer from 1 to 8/);
  assert.throws(() => exploreTsync({ variant: "nope" }), /unknown variant "nope"; known: correct, single-pass/);
  assert.throws(() => exploreTsync({ threads: 7, spawn: true, maxSpawns: 2 }), /maxSpawns must be an integer from 1 to 1/);
  assert.throws(() => exploreTsync({ maxSpawns: 1 }), /maxSpawns needs spawn/);
  assert.throws(() => exploreTsync({ threads: 1, concurrent: true }), /threads must be an integer from 2/);
  assert.throws(() => exploreTsync({ maxStates: -1 }), /maxStates/);
  assert.throws(() => explorePsx({ threads: 1.5 }), /threads/);
});

test("libpsx without erratum 2: the scoped caller's signal is denied and the sibling is never restricted", () => {
  const r = explorePsx({ threads: 2 });
  assert.equal(r.status, "violation");
  const v = r.violation!;
  assert.equal(v.invariant, "same-domain-everywhere");
  const denied = v.trace.find((e) => e.result === "EPERM");
  assert.ok(denied, "a pthread_kill denied by scoping");
  assert.equal(denied.blocker?.kind, "scope");
  assert.equal(denied.blocker?.access, "signal");
  assert.deepEqual(v.final.map((t) => t.domain === null), [false, true]);
  assert.match(v.message, /never restricted/);
});

test("libpsx with erratum 2: every thread restricts itself into a distinct domain", () => {
  const r = explorePsx({ threads: 3, erratum2: true });
  assert.equal(r.status, "violation");
  const v = r.violation!;
  assert.equal(v.invariant, "same-domain-everywhere");
  const domains = v.final.filter((t) => t.status === "running").map((t) => t.domain);
  assert.equal(domains.length, 3);
  assert.ok(domains.every((d) => d !== null));
  assert.equal(new Set(domains).size, 3, "three distinct sibling domains");
  assert.ok(!v.trace.some((e) => e.result === "EPERM"));
  assert.equal(v.trace.filter((e) => e.op === "restrict_self").length, 3);
});

test("libpsx: a single thread is trivially consistent, and spawns/exits never hide the distinct domains", () => {
  assert.equal(explorePsx({ threads: 1 }).status, "ok");
  const r = explorePsx({ threads: 3, spawn: true, exit: true, erratum2: true });
  assert.equal(r.status, "violation");
  assert.equal(r.violation!.invariant, "same-domain-everywhere");
});

test("a counterexample is a complete Trace the simulator's renderers can draw", async () => {
  const { renderText, renderHtml } = await import("../src/index.js");
  const r = exploreTsync({ threads: 2, spawn: true, variant: "single-pass" });
  const doc = r.violation!.document;
  assert.equal(doc.scenario, "landlock-sim explore tsync --threads 2 --spawn --max-spawns 2 --variant single-pass");
  assert.equal(doc.abi, 8);
  assert.deepEqual(doc.events, r.violation!.trace);
  assert.deepEqual(doc.threads.map((t) => t.id), r.violation!.final.map((t) => t.thread));
  assert.ok(doc.domains.length >= 1 && doc.domains.every((d) => /^[0-9a-f]{16}$/.test(d.id)));
  const spawned = doc.events.find((e) => e.op === "spawn_thread")!;
  assert.match(spawned.target!, /^T\d$/);
  const text = renderText(doc, { internal: true });
  assert.match(text, /landlock-sim explore tsync/);
  for (const t of doc.threads) assert.ok(text.includes(t.id), `${t.id} has a lane`);
  assert.match(renderHtml(doc), /<svg/);
});
