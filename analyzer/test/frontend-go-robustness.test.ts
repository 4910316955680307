// The Go front-end never throws (truncated files, garbage, NUL bytes, deep nesting,
// random mutations of a realistic program), reports what the parser could not read as
// parse problems, and the Go fixtures are all valid Go for tree-sitter-go (no ERROR or
// MISSING node), so that what they test is the analysis, not error recovery.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import type { IrBlock, IrFile, IrOp } from "../src/ir.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { goFrontEnd } from "../src/frontends/go/index.js";
import { parse, type Node } from "../src/frontends/treesitter.js";
import { FIXTURES, REPO_ROOT } from "./fixture-harness.js";

const SEED = Number(process.env.LANDLOCK_FUZZ_SEED ?? 20260601);

function irOf(code: string): IrFile {
  return goFrontEnd.toIr(code, "fuzz.go", "go", { settings: DEFAULT_SETTINGS, facts: { goLandlockVersion: "v0.9.0" } });
}

function ops(block: IrBlock): IrOp[] {
  const out: IrOp[] = [];
  for (const node of block) {
    if (node.kind === "op") out.push(node.op);
    else if (node.kind === "branch") for (const arm of node.arms) out.push(...ops(arm.body));
    else if (node.kind === "loop" || node.kind === "child" || node.kind === "thread") out.push(...ops(node.body));
  }
  return out;
}

const REALISTIC = `// notifier: sandboxes itself, then notifies its parent.
package main

import (
	"log"
	"net"
	"os"
	"unsafe"

	"github.com/landlock-lsm/go-landlock/landlock"
	"golang.org/x/sys/unix"
)

const tsync = 1 << 3

func sandbox() error {
	abi, _, errno := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, 0, 0, unix.LANDLOCK_CREATE_RULESET_VERSION)
	if errno != 0 || abi < 8 {
		return errno
	}
	attr := unix.LandlockRulesetAttr{Access_fs: unix.LANDLOCK_ACCESS_FS_WRITE_FILE, Scoped: unix.LANDLOCK_SCOPE_SIGNAL}
	fd, _, errno := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr), 0)
	if errno != 0 {
		return errno
	}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return err
	}
	if _, _, errno := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, fd, tsync, 0); errno != 0 {
		return errno
	}
	return nil
}

func main() {
	if err := sandbox(); err != nil {
		log.Fatal(err)
	}
	go func() {
		for i := 0; i < 3; i++ {
			net.Dial("unix", "@notify")
		}
	}()
	switch os.Args[1] {
	case "x":
		_ = landlock.V6.BestEffort().Restrict()
	}
	unix.Kill(os.Getppid(), unix.SIGUSR1)
}
`;

function assertWellFormed(ir: IrFile, what: string): void {
  assert.equal(ir.language, "go", what);
  assert.ok(Array.isArray(ir.functions) && Array.isArray(ir.parseProblems) && Array.isArray(ir.comments), what);
  for (const f of ir.functions) {
    assert.ok(f.range.start.offset <= f.range.end.offset, `${what}: ${f.name} range`);
    for (const op of ops(f.body)) assert.ok(op.range.start.offset <= op.range.end.offset, `${what}: ${op.type} range`);
  }
}

test("the realistic program yields its ops and no parse problem", () => {
  const ir = irOf(REALISTIC);
  assert.deepEqual(ir.parseProblems, []);
  const types = ir.functions.flatMap((f) => ops(f.body).map((o) => o.type));
  for (const t of ["abi-query", "create-ruleset", "no-new-privs", "restrict", "spawn", "abstract-connect", "signal", "call"]) assert.ok(types.includes(t as IrOp["type"]), `${t} in ${types.join(",")}`);
});

test("every prefix of the realistic program is analysed without throwing; broken ones report parse problems", () => {
  let withProblems = 0;
  for (let end = 0; end <= REALISTIC.length; end += 7) {
    const ir = irOf(REALISTIC.slice(0, end));
    assertWellFormed(ir, `prefix ${end}`);
    if (ir.parseProblems.length) withProblems++;
  }
  assert.ok(withProblems > 10, `truncated programs report parse problems (${withProblems})`);
});

test("garbage, NUL bytes, binary data, invalid surrogates and deep nesting do not throw", () => {
  const inputs = [
    "",
    "\0\0\0\0",
    "package",
    "package main\nfunc main() {",
    "func (",
    "package main\nfunc main() { go }",
    "package main\nfunc main() { unix.Syscall( }",
    "package main\nfunc main() { syscall.Syscall(446, 3, ^uintptr(0), 0) }",
    String.fromCharCode(...Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256)),
    "\ud800\udc00\ud800 package main",
    `package main\nfunc main() {${"if x {".repeat(3000)}${"}".repeat(3000)}}`,
    `package main\nfunc main() { x := ${"(".repeat(5000)}1${")".repeat(5000)} }`,
    `package main\nfunc main() { ${"f(".repeat(2000)}${")".repeat(2000)} }`,
    `package main\nfunc main() { s := "${"a".repeat(1_000_000)}" }`,
  ];
  for (const input of inputs) assertWellFormed(irOf(input), `input of ${input.length} chars`);
});

test("random mutations of the realistic program never throw (fast-check)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(REALISTIC.length), fc.nat(40), fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 6 }),
      (edits) => {
        let text = REALISTIC;
        for (const [at, del, ins] of edits) {
          const p = at % (text.length + 1);
          text = text.slice(0, p) + ins + text.slice(p + del);
        }
        assertWellFormed(irOf(text), "mutant");
      },
    ),
    { seed: SEED, numRuns: 300 },
  );
});

test("random text never throws (fast-check)", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 400, unit: "binary" }), (text) => {
      assertWellFormed(irOf(text), "random");
    }),
    { seed: SEED, numRuns: 300 },
  );
});

function goFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...goFiles(p));
    else if (name.endsWith(".go")) out.push(p);
  }
  return out;
}

function errorNodes(root: Node): string[] {
  if (!root.hasError) return [];
  const out: string[] = [];
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.isError || n.isMissing) out.push(`line ${n.startPosition.row + 1}: ${n.isMissing ? `missing ${n.type}` : JSON.stringify(n.text.slice(0, 40))}`);
    for (const c of n.children) if (c.hasError || c.isMissing || c.isError) stack.push(c);
  }
  return out;
}

test("every Go fixture parses without ERROR or MISSING nodes, and the front-end reports no parse problem", () => {
  const files = goFiles(join(FIXTURES, "go"));
  assert.ok(files.length >= 30, `at least 30 Go fixtures (${files.length})`);
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const tree = parse("go", text);
    try {
      for (const e of errorNodes(tree.rootNode)) problems.push(`${relative(REPO_ROOT, file)} ${e}`);
    } finally {
      tree.delete();
    }
    const ir = goFrontEnd.toIr(text, file, "go", { settings: DEFAULT_SETTINGS, facts: {} });
    for (const p of ir.parseProblems) problems.push(`${relative(REPO_ROOT, file)}: ${p.message}`);
    assert.ok(/^\/\/(?!\s*expect:)/.test(text.replace(/^\/\/go:build[^\n]*\n\n?/, "")), `${relative(REPO_ROOT, file)} starts with a comment saying what the program does`);
  }
  assert.deepEqual(problems, []);
});
