// Properties over random IR: the checks never throw, whatever the shape; giving every
// restriction TSYNC never creates a single-thread-restrict finding.

import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { IrBlock, IrCond, IrFile, IrFunction, IrNode, IrOp, Range, Tri } from "../src/ir.js";
import { runChecks } from "../src/checks/index.js";
import { resolveSettings } from "../src/config.js";

const NAMES = ["main", "sandbox", "worker", "helper", "spawn_all", "notify"];

let counter = 0;
function range(): Range {
  const line = ++counter;
  return { start: { line, column: 0, offset: line * 10 }, end: { line, column: 5, offset: line * 10 + 5 } };
}

const tri: fc.Arbitrary<Tri> = fc.constantFrom("yes", "no", "maybe");

const opArb: fc.Arbitrary<() => IrOp> = fc.oneof(
  fc.record({ mechanism: fc.constantFrom("pthread_create", "std::thread"), routine: fc.option(fc.constantFrom(...NAMES), { nil: undefined }), count: fc.constantFrom("one", "many") as fc.Arbitrary<"one" | "many"> }).map((o) => () => ({ type: "spawn", ...o, range: range() }) as IrOp),
  fc
    .record({
      mechanism: fc.constantFrom("syscall", "libpsx", "all-threads-syscall", "per-thread-user", "library") as fc.Arbitrary<Extract<IrOp, { type: "restrict" }>["mechanism"]>,
      tsync: tri,
      log: tri,
      nnpFlag: tri,
      cond: fc.option(fc.integer({ min: 1, max: 11 }), { nil: undefined }),
      fd: fc.constantFrom("ruleset", "minus-one", "unknown") as fc.Arbitrary<"ruleset" | "minus-one" | "unknown">,
      scopes: fc.subarray(["signal", "abstract_unix_socket"]),
      scopesKnown: fc.boolean(),
      checked: tri,
      returned: fc.option(fc.boolean(), { nil: undefined }),
      library: fc.option(
        fc.record({
          name: fc.constantFrom("go-landlock", "rust-landlock", "landlock-sys", "other") as fc.Arbitrary<"go-landlock" | "rust-landlock" | "landlock-sys" | "other">,
          tsyncWhenAvailable: fc.boolean(),
          fallbackBelowTsync: fc.constantFrom("per-thread", "single-thread", "error", "none") as fc.Arbitrary<"per-thread" | "single-thread" | "error" | "none">,
          bestEffort: fc.boolean(),
          description: fc.constant("lib"),
        }),
        { nil: undefined },
      ),
    })
    .map((o) => () => {
      const r = range();
      return {
        type: "restrict",
        mechanism: o.mechanism,
        flags: { tsync: o.tsync, logSameExecOff: o.log, logNewExecOn: "no", logSubdomainsOff: o.log, noNewPrivs: o.nnpFlag, ...(o.cond ? { tsyncIfAbiAtLeast: o.cond } : {}), text: "0", range: r },
        fd: o.fd,
        ruleset: { scopes: o.scopes, scopesKnown: o.scopesKnown, neededAbi: o.scopes.length ? 6 : 1, neededFor: o.scopes, maskedByAbi: false },
        resultChecked: o.checked,
        ...(o.returned !== undefined ? { resultReturned: o.returned } : {}),
        ...(o.library ? { library: o.library } : {}),
        api: "landlock_restrict_self",
        range: r,
        calleeRange: r,
      } as IrOp;
    }),
  fc.record({ abi: fc.integer({ min: 1, max: 11 }), checked: tri, masked: fc.boolean() }).map((o) => () => ({ type: "create-ruleset", ruleset: { scopes: [], scopesKnown: true, neededAbi: o.abi, neededFor: ["X"], maskedByAbi: o.masked }, resultChecked: o.checked, api: "create", range: range() }) as IrOp),
  tri.map((t) => () => ({ type: "add-rule", resultChecked: t, api: "add", range: range() }) as IrOp),
  fc.constantFrom("no-new-privs", "cap-sys-admin", "abi-query", "setuid", "exec").map((type) => () => ({ type, api: type, range: range() }) as IrOp),
  fc.constantFrom("parent", "process-group", "other-process", "own-thread", "own-process", "unknown").map((target) => () => ({ type: "signal", target, api: "kill", range: range() }) as IrOp),
  fc.constantFrom("parent", "other-process", "own-process", "unknown").map((target) => () => ({ type: "setown", target, api: "fcntl", range: range() }) as IrOp),
  fc.constant(() => ({ type: "abstract-connect", name: "\0x", api: "connect", range: range() }) as IrOp),
  fc.record({ callee: fc.constantFrom(...NAMES, "unknown_fn"), checked: tri, returned: fc.boolean() }).map((o) => () => {
    const r = range();
    return { type: "call", callee: o.callee, resultChecked: o.checked, resultReturned: o.returned, range: r, calleeRange: r } as IrOp;
  }),
);

const condArb: fc.Arbitrary<IrCond | undefined> = fc.option(
  fc.oneof(
    fc.record({ abi: fc.integer({ min: 1, max: 11 }), negated: fc.boolean() }).map((c) => ({ kind: "abi-at-least", ...c }) as IrCond),
    fc.constant({ kind: "error-path" } as IrCond),
    fc.constant({ kind: "other", text: "x" } as IrCond),
  ),
  { nil: undefined },
);

type NodeMaker = () => IrNode;

const nodeArb: fc.Arbitrary<NodeMaker> = fc.letrec<{ node: NodeMaker; block: () => IrBlock }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    opArb.map((make) => () => ({ kind: "op", op: make() }) as IrNode),
    fc.record({ arms: fc.array(fc.tuple(condArb, tie("block")), { minLength: 1, maxLength: 3 }), exhaustive: fc.boolean(), pp: fc.boolean() }).map((b) => () => ({
      kind: "branch",
      arms: b.arms.map(([cond, body]) => (cond ? { cond, body: body() } : { body: body() })),
      exhaustive: b.exhaustive,
      preprocessor: b.pp,
      range: range(),
    }) as IrNode),
    fc.record({ body: tie("block"), max: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }), retry: fc.boolean() }).map((l) => () => ({
      kind: "loop",
      body: l.body(),
      range: range(),
      ...(l.max !== undefined ? { maxIterations: l.max } : {}),
      ...(l.retry ? { repeatCond: { kind: "error-path" } } : {}),
    }) as IrNode),
    tie("block").map((body) => () => ({ kind: "child", how: "fork", body: body(), range: range() }) as IrNode),
    tie("block").map((body) => () => ({ kind: "thread", how: "std::thread", body: body(), range: range() }) as IrNode),
    fc.constantFrom(undefined, "function", "process").map((leaves) => () => ({ kind: "exit", range: range(), ...(leaves ? { leaves } : {}) }) as IrNode),
  ) as fc.Arbitrary<NodeMaker>,
  block: fc.array(tie("node"), { maxLength: 5 }).map((nodes) => () => (nodes as NodeMaker[]).map((n) => n())),
})).node;

const fnArb = fc
  .record({
    name: fc.constantFrom(...NAMES),
    body: fc.array(nodeArb, { maxLength: 6 }),
    runtime: fc.boolean(),
    child: fc.boolean(),
    documented: fc.boolean(),
    repeated: fc.boolean(),
  })
  .map((f) => (): IrFunction => ({
    name: f.name,
    range: range(),
    nameRange: range(),
    isEntry: f.name === "main",
    body: f.body.map((n) => n()),
    ...(f.runtime ? { runtimeThreads: { mechanism: "runtime" } } : {}),
    ...(f.child ? { childContext: { how: "pre_exec" } } : {}),
    ...(f.documented ? { documentedPerThread: true } : {}),
    ...(f.repeated ? { runsRepeatedly: { how: "signal" } } : {}),
  }));

const programArb = fc.array(fc.array(fnArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }).map((files) => (): IrFile[] => {
  counter = 0;
  return files.map((fns, i) => ({ file: `/p/f${i}.c`, language: "c", functions: fns.map((f) => f()), parseProblems: [], comments: [] }));
});

const settingsArb = fc.record({
  targetAbi: fc.integer({ min: 1, max: 11 }),
  errata: fc.subarray([1, 2, 3]),
  assumeMultithreaded: fc.boolean(),
  threadSpawners: fc.subarray(["spawn_all", "unknown_fn"]),
  restrictWrappers: fc.subarray(["notify"]),
});

function withTsync(files: IrFile[]): IrFile[] {
  const visit = (block: IrBlock): IrBlock =>
    block.map((n): IrNode => {
      switch (n.kind) {
        case "op": {
          if (n.op.type !== "restrict") return n;
          const { tsyncIfAbiAtLeast: _dropped, ...flags } = n.op.flags;
          return { kind: "op", op: { ...n.op, flags: { ...flags, tsync: "yes" } } };
        }
        case "branch":
          return { ...n, arms: n.arms.map((a) => ({ ...a, body: visit(a.body) })) };
        case "loop":
        case "child":
        case "thread":
          return { ...n, body: visit(n.body) };
        default:
          return n;
      }
    });
  return files.map((f) => ({ ...f, functions: f.functions.map((fn) => ({ ...fn, body: visit(fn.body) })) }));
}

test("random IR never makes the checks throw, and every finding points into an analysed file", () => {
  fc.assert(
    fc.property(programArb, settingsArb, (makeFiles, partial) => {
      const files = makeFiles();
      const result = runChecks(files, resolveSettings(partial));
      const names = new Set(files.map((f) => f.file));
      for (const f of result.findings) {
        assert.ok(names.has(f.file));
        assert.ok(f.message.length > 0);
        assert.ok(f.fingerprint.length === 32);
      }
    }),
    { numRuns: 250 },
  );
});

test("adding TSYNC to every restriction never adds a single-thread-restrict finding", () => {
  fc.assert(
    fc.property(programArb, settingsArb, (makeFiles, partial) => {
      const settings = resolveSettings(partial);
      const files = makeFiles();
      const count = (fs: IrFile[]) => runChecks(fs, settings).findings.filter((f) => f.ruleId === "landlock/single-thread-restrict").length;
      const before = count(files);
      const after = count(withTsync(files));
      assert.ok(after <= before, `single-thread-restrict findings went from ${before} to ${after}`);
      assert.equal(after, settings.restrictWrappers.length > 0 ? after : 0);
    }),
    { numRuns: 250 },
  );
});
