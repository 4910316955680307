// The Rust front-end never throws: truncated files, binary garbage, NUL bytes, invalid
// UTF-8, megabyte lines, deep nesting, random text and random mutations of a realistic
// program. Parse problems are reported and what parsed is analysed. Every Rust fixture
// parses without ERROR or MISSING nodes in tree-sitter-rust.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import type { IrFile } from "../src/ir.js";
import { rustFrontEnd, RUST_INTERNAL_ERROR } from "../src/frontends/rust/index.js";
import { parse, type Node } from "../src/frontends/treesitter.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { FIXTURES, REPO_ROOT } from "./fixture-harness.js";
import { fn, opsOfType } from "./frontend-c-helpers.js";

const SEED = Number(process.env.LANDLOCK_FUZZ_SEED ?? 20251002);

function rustIr(code: string): IrFile {
  return rustFrontEnd.toIr(code, "fuzz.rs", "rust", { settings: DEFAULT_SETTINGS, facts: {} });
}

const REALISTIC = `//! shipper: forwards log files to the collector from a pool of threads.
use std::thread;
use landlock::{path_beneath_rules, Access, AccessFs, Ruleset, RulesetAttr, RulesetCreatedAttr, RulesetStatus, Scope, ABI};
use nix::unistd::{fork, ForkResult};

const LANDLOCK_RESTRICT_SELF_TSYNC: u32 = 1 << 3;

fn sandbox(dir: &str) -> anyhow::Result<()> {
    let abi = ABI::V6;
    let status = Ruleset::default()
        .handle_access(AccessFs::from_all(abi))?
        .scope(Scope::Signal)?
        .create()?
        .add_rules(path_beneath_rules(&[dir], AccessFs::from_read(abi)))?
        .restrict_self()?;
    anyhow::ensure!(status.ruleset != RulesetStatus::NotEnforced, "no sandbox");
    Ok(())
}

fn raw(fd: i32, abi: i64) -> std::io::Result<()> {
    let flags = if abi >= 8 { LANDLOCK_RESTRICT_SELF_TSYNC } else { 0 };
    if unsafe { libc::syscall(libc::SYS_landlock_restrict_self, fd, flags) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let workers: Vec<_> = (0..4).map(|i| thread::spawn(move || println!("{i}"))).collect();
    match unsafe { fork() }? {
        ForkResult::Child => { raw(3, 8)?; std::process::exit(0); }
        ForkResult::Parent { child } => { nix::sys::wait::waitpid(child, None)?; }
    }
    sandbox("/var/log")?;
    unsafe { libc::kill(libc::getppid(), libc::SIGUSR1) };
    for w in workers { w.join().unwrap(); }
    Ok(())
}
`;

function assertWellFormed(ir: IrFile, what: string): void {
  assert.equal(ir.language, "rust", what);
  assert.ok(Array.isArray(ir.functions) && Array.isArray(ir.parseProblems) && Array.isArray(ir.comments), what);
  assert.ok(!ir.parseProblems.some((p) => p.message.includes(RUST_INTERNAL_ERROR)), `${what}: the front-end failed: ${JSON.stringify(ir.parseProblems.slice(0, 2))}`);
  // Ranges stay inside the text they came from.
  for (const f of ir.functions) assert.ok(f.range.start.offset <= f.range.end.offset, what);
}

test("the realistic program parses cleanly and yields what it contains", () => {
  const ir = rustIr(REALISTIC);
  assert.deepEqual(ir.parseProblems, []);
  assert.equal(opsOfType(fn(ir, "sandbox").body, "restrict").length, 1);
  assert.equal(opsOfType(fn(ir, "raw").body, "restrict")[0]?.flags.tsyncIfAbiAtLeast, 8);
  assert.ok(fn(ir, "main").runtimeThreads);
});

test("truncated at every point, the program still gives an IrFile (problems reported where it does not parse)", () => {
  for (let cut = 0; cut <= REALISTIC.length; cut += 7) {
    const text = REALISTIC.slice(0, cut);
    const ir = rustIr(text);
    assertWellFormed(ir, `cut at ${cut}`);
    const tree = parse("rust", text);
    try {
      if (tree.rootNode.hasError) assert.ok(ir.parseProblems.length > 0, `cut at ${cut}: problems reported`);
    } finally {
      tree.delete();
    }
  }
});

test("binary garbage, NUL bytes, replacement characters, a megabyte line and deep nesting", () => {
  const inputs: [string, string][] = [
    ["empty", ""],
    ["NUL bytes", "fn main() {\0\0\0 unsafe { libc::syscall(446, 0, 0) }; }\0"],
    ["invalid UTF-8 decoded", Buffer.from([0x66, 0x6e, 0x20, 0xff, 0xfe, 0x28, 0x29, 0x7b, 0xc3, 0x28, 0x7d]).toString("utf8")],
    ["megabyte line", `fn main() { let x = "${"a".repeat(1_000_000)}"; unsafe { libc::syscall(446, 0, 0) }; }`],
    ["deep parentheses", `fn main() { let x = ${"(".repeat(5000)}1${")".repeat(5000)}; }`],
    ["deep blocks", `fn main() ${"{ ".repeat(3000)}${"} ".repeat(3000)}`],
    ["deep closures", `fn main() { ${"thread::spawn(move || { ".repeat(400)}${"});".repeat(400)} }`],
    ["deep method chain", `fn main() { Ruleset::default()${".handle_access(x)?".repeat(3000)}.create()?.restrict_self()?; }`],
    ["unbalanced", "fn main() { match x { Ok(ForkResult::Child => { restrict_self( } } }}}}"],
    ["only attributes", "#[tokio::main]\n#[tokio::main(flavor = \"current_thread\")]\n"],
    ["macro soup", "fn main() { assert_eq!(,,,); println!(\"{\"); bail!(); matches!(x, ); vec![; 3]; }"],
  ];
  for (const [what, text] of inputs) {
    const started = Date.now();
    const ir = rustIr(text);
    assertWellFormed(ir, what);
    assert.ok(Date.now() - started < 20_000, `${what} took too long`);
  }
});

test("random text never makes the front-end throw (fast-check)", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 400, unit: "binary" }), (text) => {
      assertWellFormed(rustIr(text), JSON.stringify(text.slice(0, 40)));
    }),
    { seed: SEED, numRuns: 300 },
  );
});

test("random mutations of a realistic program never make the front-end throw (fast-check)", () => {
  const tokens = ["{", "}", "(", ")", "?", ";", "=>", "|", "||", "move", "unsafe", "async", "match", "if let", ".await", "::", "!", "#[tokio::main]", "'", "\"", "/*", "//"];
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat({ max: REALISTIC.length }), fc.nat({ max: 12 }), fc.constantFrom(...tokens)), { minLength: 1, maxLength: 8 }),
      (edits) => {
        let text = REALISTIC;
        for (const [at, del, ins] of edits) {
          const i = Math.min(at, text.length);
          text = text.slice(0, i) + ins + text.slice(i + del);
        }
        assertWellFormed(rustIr(text), `mutated (${edits.length} edits)`);
      },
    ),
    { seed: SEED, numRuns: 200 },
  );
});

function rustFixtures(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...rustFixtures(p));
    else if (name.endsWith(".rs")) out.push(p);
  }
  return out;
}

function problemsOf(root: Node): string[] {
  const out: string[] = [];
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.isError || n.isMissing) out.push(`line ${n.startPosition.row + 1}: ${n.isMissing ? `missing ${n.type}` : `ERROR ${JSON.stringify(n.text.slice(0, 40))}`}`);
    if (n.hasError) stack.push(...n.children);
  }
  return out;
}

test("every Rust fixture parses without ERROR or MISSING nodes in tree-sitter-rust", () => {
  const files = rustFixtures(join(FIXTURES, "rust"));
  assert.ok(files.length >= 30, `at least 30 Rust fixtures, found ${files.length}`);
  const bad: string[] = [];
  for (const file of files) {
    const tree = parse("rust", readFileSync(file, "utf8"));
    try {
      for (const p of problemsOf(tree.rootNode)) bad.push(`${relative(REPO_ROOT, file)}: ${p}`);
    } finally {
      tree.delete();
    }
  }
  assert.deepEqual(bad, []);
});
