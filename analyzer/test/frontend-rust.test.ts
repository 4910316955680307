// IR shape of the Rust front-end, construct by construct, on small realistic snippets:
// rust-landlock builder chains (by Cargo.lock version and compatibility level), raw
// syscalls, Result and RestrictionStatus handling, threads and runtimes, fork and
// pre_exec children, signals, F_SETOWN, abstract sockets, control flow, comments.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { IrFile, IrOp, ProjectFacts } from "../src/ir.js";
import { rustFrontEnd } from "../src/frontends/rust/index.js";
import { frontEndFor } from "../src/frontends/registry.js";
import { DEFAULT_SETTINGS, type Settings } from "../src/settings.js";
import { fn, nodesOfKind, onlyOp, opsOfType, opsWithContext, shape, textAt } from "./frontend-c-helpers.js";

function rustIr(code: string, facts: ProjectFacts = {}, settings: Partial<Settings> = {}): IrFile {
  return rustFrontEnd.toIr(code, "snippet.rs", "rust", { settings: { ...DEFAULT_SETTINGS, ...settings }, facts });
}

type RestrictOp = Extract<IrOp, { type: "restrict" }>;

const LANDLOCK_USE = `use landlock::{path_beneath_rules, Access, AccessFs, CompatLevel, Compatible, Ruleset, RulesetAttr, RulesetCreatedAttr, RestrictSelfAttr, RulesetStatus, Scope, ABI};\n`;

/** The one restrict op of a function. */
function restrictOf(ir: IrFile, name: string): RestrictOp {
  return onlyOp(fn(ir, name).body, "restrict");
}

// ---------------------------------------------------------------------------------------------
// Registration and functions

test("the registry reads .rs files with the Rust front-end", () => {
  assert.equal(frontEndFor("src/main.rs"), rustFrontEnd);
  assert.deepEqual(rustFrontEnd.languages, ["rust"]);
  assert.equal(rustFrontEnd.languageOf("x.rs"), "rust");
});

test("free functions, impl and trait methods as Type::method, nested fns and closures in variables; main is the entry", () => {
  const code = `
struct Sandbox;
impl Sandbox {
    pub fn apply(&self) -> i32 { helper() }
}
trait Confine { fn confine(&self) {} }
impl<T: Send> Confine for Wrapper<T> { fn confine(&self) {} }
fn helper() -> i32 { fn inner() {} inner(); 1 }
mod util { pub fn tool() {} }
fn main() {
    let run = || helper();
    run();
}
`;
  const ir = rustIr(code);
  assert.equal(ir.language, "rust");
  const names = ir.functions.map((f) => f.name);
  for (const n of ["Sandbox::apply", "Confine::confine", "Wrapper::confine", "helper", "inner", "tool", "main", "run"]) assert.ok(names.includes(n), `${n} in ${names.join(", ")}`);
  assert.deepEqual(ir.functions.filter((f) => f.isEntry).map((f) => f.name), ["main"]);
  assert.equal(textAt(code, fn(ir, "Sandbox::apply").nameRange), "apply");
  assert.ok(textAt(code, fn(ir, "helper").range).startsWith("fn helper"));
  // The tail expression of a function with a return type is handed to the caller.
  const call = onlyOp(fn(ir, "Sandbox::apply").body, "call");
  assert.equal(call.callee, "helper");
  assert.equal(call.resultReturned, true);
});

test("#[test] functions and #[cfg(test)] modules are not analysed", () => {
  const ir = rustIr(`fn main() {}\n#[test]\nfn t() {}\n#[cfg(test)]\nmod tests { fn helper() {} }\n`);
  assert.deepEqual(ir.functions.map((f) => f.name), ["main"]);
});

// ---------------------------------------------------------------------------------------------
// rust-landlock builder chains

test("a builder chain gives create-ruleset, add-rule and a library restrict with the chain's scopes", () => {
  const code = `${LANDLOCK_USE}
fn sandbox(abi: ABI) -> anyhow::Result<()> {
    let status = Ruleset::default()
        .handle_access(AccessFs::from_all(abi))?
        .scope(Scope::Signal | Scope::AbstractUnixSocket)?
        .create()?
        .add_rules(path_beneath_rules(&["/usr"], AccessFs::from_read(abi)))?
        .restrict_self()?;
    if status.ruleset == RulesetStatus::NotEnforced { anyhow::bail!("no"); }
    Ok(())
}`;
  const ir = rustIr(code, { rustLandlockVersion: "0.4.5" });
  const body = fn(ir, "sandbox").body;
  const kinds = opsOfType(body, "create-ruleset").length + opsOfType(body, "add-rule").length;
  assert.equal(kinds, 2);
  const r = restrictOf(ir, "sandbox");
  assert.equal(r.mechanism, "library");
  assert.equal(r.fd, "ruleset");
  assert.deepEqual(r.ruleset?.scopes, ["abstract_unix_socket", "signal"]);
  assert.equal(r.ruleset?.scopesKnown, true);
  assert.equal(r.ruleset?.maskedByAbi, true);
  assert.equal(r.library?.name, "rust-landlock");
  assert.equal(r.library?.version, "0.4.5");
  assert.equal(r.library?.tsyncWhenAvailable, false);
  assert.equal(r.library?.fallbackBelowTsync, "single-thread");
  assert.match(r.library!.description, /rust-landlock 0\.4\.5 \(Cargo\.lock\/Cargo\.toml\).*without all_threads\(\)/);
  assert.equal(r.flags.tsync, "no");
  assert.equal(r.resultChecked, "yes");
  assert.equal(r.resultReturned, true, "`?` hands the error to the caller");
  assert.equal(r.statusIgnored, undefined, "the status is compared with NotEnforced");
  // The diagnostic underlines the method name, on its own line of the chain.
  assert.equal(textAt(code, r.calleeRange), "restrict_self");
});

test("all_threads(): TSYNC when the kernel has it; what happens below ABI 8 follows the compatibility level in force", () => {
  const chain = (prefix: string) => `${LANDLOCK_USE}
fn s() -> anyhow::Result<()> {
    let status = Ruleset::default()${prefix}.handle_access(AccessFs::from_all(ABI::V8))?.create()?.all_threads(true)?.restrict_self()?;
    println!("{:?}", status.ruleset);
    Ok(())
}`;
  const best = restrictOf(rustIr(chain(""), { rustLandlockVersion: "0.4.6" }), "s");
  assert.deepEqual([best.library?.tsyncWhenAvailable, best.library?.fallbackBelowTsync, best.library?.bestEffort], [true, "single-thread", true]);
  assert.match(best.library!.description, /0\.4\.6 \(Cargo\.lock\/Cargo\.toml\) with all_threads\(\) under CompatLevel::BestEffort/);
  const hard = restrictOf(rustIr(chain(".set_compatibility(CompatLevel::HardRequirement)"), { rustLandlockVersion: "0.4.6" }), "s");
  assert.deepEqual([hard.library?.tsyncWhenAvailable, hard.library?.fallbackBelowTsync, hard.library?.bestEffort], [true, "error", false]);
  const soft = restrictOf(rustIr(chain(".set_compatibility(CompatLevel::SoftRequirement)"), { rustLandlockVersion: "0.4.6" }), "s");
  assert.deepEqual([soft.library?.tsyncWhenAvailable, soft.library?.fallbackBelowTsync], [true, "none"]);
  // A release without all_threads() restricts one thread, and the description says why.
  const old = restrictOf(rustIr(chain(""), { rustLandlockVersion: "0.4.5" }), "s");
  assert.equal(old.library?.tsyncWhenAvailable, false);
  assert.match(old.library!.description, /all_threads\(\) needs 0\.4\.6/);
  // A Cargo.toml requirement like "0.4" may resolve to 0.4.6: the call builds only then.
  const requirement = restrictOf(rustIr(chain(""), { rustLandlockVersion: "0.4" }), "s");
  assert.equal(requirement.library?.tsyncWhenAvailable, true);
  // The level in force when all_threads() is asked counts, not a later change.
  const late = restrictOf(
    rustIr(`${LANDLOCK_USE}\nfn s() -> anyhow::Result<()> { let st = Ruleset::default().handle_access(AccessFs::from_all(ABI::V8))?.create()?.all_threads(true)?.set_compatibility(CompatLevel::HardRequirement).restrict_self()?; drop(st); Ok(()) }`),
    "s",
  );
  assert.equal(late.library?.fallbackBelowTsync, "single-thread");
});

test("a builder kept in variables and reassigned in a loop is still the same chain", () => {
  const ir = rustIr(`${LANDLOCK_USE}
fn s(paths: &[&str]) -> Result<(), landlock::RulesetError> {
    let mut ruleset = Ruleset::default().handle_access(AccessFs::from_all(ABI::V2))?.scope(Scope::Signal)?.create()?;
    for p in paths {
        ruleset = ruleset.add_rules(path_beneath_rules(&[p], AccessFs::from_read(ABI::V2)))?;
    }
    let status = ruleset.restrict_self()?;
    assert!(status.ruleset != RulesetStatus::NotEnforced);
    Ok(())
}`);
  const body = fn(ir, "s").body;
  assert.equal(opsWithContext(body).filter((x) => x.op.type === "add-rule" && x.enclosing.some((n) => n.kind === "loop")).length, 1);
  const r = restrictOf(ir, "s");
  assert.deepEqual(r.ruleset?.scopes, ["signal"]);
  assert.equal(r.statusIgnored, undefined);
});

test("a helper returning RulesetCreated hands its chain to the caller's restrict_self()", () => {
  const ir = rustIr(`${LANDLOCK_USE}
fn build() -> Result<landlock::RulesetCreated, landlock::RulesetError> {
    Ruleset::default().handle_access(AccessFs::from_all(ABI::V8))?.scope(Scope::Signal)?.create()?.all_threads(true)
}
fn main() {
    let status = build().unwrap().restrict_self().expect("sandbox");
    println!("{:?}", status.ruleset);
}`);
  const r = restrictOf(ir, "main");
  assert.deepEqual(r.ruleset?.scopes, ["signal"]);
  assert.equal(r.library?.tsyncWhenAvailable, true);
  assert.equal(r.resultChecked, "yes");
});

test("restrict_self() on a ruleset built out of sight (a parameter): the file's own all_threads() mention decides", () => {
  const without = restrictOf(rustIr(`${LANDLOCK_USE}\nfn enforce(r: landlock::RulesetCreated) { r.restrict_self().unwrap(); }`), "enforce");
  assert.equal(without.library?.tsyncWhenAvailable, false);
  assert.match(without.library!.description, /built out of sight/);
  assert.equal(without.ruleset?.scopesKnown, false);
  const withAll = restrictOf(rustIr(`${LANDLOCK_USE}\nfn enforce(r: landlock::RulesetCreated) { r.all_threads(true).unwrap().restrict_self().unwrap(); }\nfn other(r: landlock::RulesetCreated) {}`), "enforce");
  assert.equal(withAll.library?.tsyncWhenAvailable, true);
  // Without the landlock crate, a `restrict_self` method is just a project call.
  const plain = rustIr(`struct S; impl S { fn restrict_self(&self) {} }\nfn main() { let s = S; s.restrict_self(); }`);
  assert.equal(opsOfType(fn(plain, "main").body, "restrict").length, 0);
  assert.equal(onlyOp(fn(plain, "main").body, "call").callee, "restrict_self");
});

test("RestrictSelf::default().log_subdomains(false)?.apply() is a restrict without a domain (fd -1)", () => {
  const ir = rustIr(`${LANDLOCK_USE}\nfn quiet() -> anyhow::Result<()> { landlock::RestrictSelf::default().log_subdomains(false)?.apply()?; Ok(()) }`);
  const r = restrictOf(ir, "quiet");
  assert.equal(r.fd, "minus-one");
  assert.equal(r.flags.logSubdomainsOff, "yes");
});

// ---------------------------------------------------------------------------------------------
// Results and the RestrictionStatus

test("result handling: ?, expect, unwrap, match, if let Err are checked; let _ =, .ok(); and a bare statement are not", () => {
  const forms: [string, "yes" | "no" | "maybe"][] = [
    ["r.restrict_self()?;", "yes"],
    ['r.restrict_self().expect("sandbox");', "yes"],
    ["r.restrict_self().unwrap();", "yes"],
    ["match r.restrict_self() { Ok(s) => drop(s), Err(e) => panic!(\"{e}\") }", "yes"],
    ["if let Err(e) = r.restrict_self() { eprintln!(\"{e}\"); }", "yes"],
    ["if r.restrict_self().is_err() { std::process::exit(1); }", "yes"],
    ["let _ = r.restrict_self();", "no"],
    ["r.restrict_self().ok();", "no"],
    ["r.restrict_self();", "no"],
    ["let res = r.restrict_self(); if res.is_err() { return Err(()); }", "yes"],
    ["let res = r.restrict_self();", "no"],
  ];
  for (const [stmt, expected] of forms) {
    const ir = rustIr(`${LANDLOCK_USE}\nfn s(r: landlock::RulesetCreated) -> Result<(), ()> { ${stmt} Ok(()) }`);
    assert.equal(restrictOf(ir, "s").resultChecked, expected, stmt);
  }
});

test("statusIgnored: set when the RestrictionStatus is dropped in best-effort mode, absent when it is examined, handed on, or under HardRequirement", () => {
  const cases: [string, boolean][] = [
    ["r.restrict_self()?;", true],
    ["let _ = r.restrict_self()?;", true],
    ["let _status = r.restrict_self()?;", true],
    ["let status = r.restrict_self()?; if status.ruleset == RulesetStatus::NotEnforced { return Err(()); }", false],
    ["let status = r.restrict_self()?; eprintln!(\"sandbox: {:?}\", status.ruleset);", false],
    ["let status = r.restrict_self()?; eprintln!(\"sandbox: {status:?}\");", false],
    ["match r.restrict_self()?.ruleset { RulesetStatus::NotEnforced => return Err(()), _ => {} }", false],
    ["if let Ok(_) = r.restrict_self() {}", true],
    ["report(r.restrict_self()?);", false],
  ];
  for (const [stmt, ignored] of cases) {
    const ir = rustIr(`${LANDLOCK_USE}\nfn s(r: landlock::RulesetCreated) -> Result<(), ()> { ${stmt} Ok(()) }\nfn report(_s: landlock::RestrictionStatus) {}`);
    assert.equal(restrictOf(ir, "s").statusIgnored === true, ignored, stmt);
  }
  const returned = rustIr(`${LANDLOCK_USE}\nfn s(r: landlock::RulesetCreated) -> Result<landlock::RestrictionStatus, landlock::RulesetError> { r.restrict_self() }`);
  assert.equal(restrictOf(returned, "s").statusIgnored, undefined);
  assert.equal(restrictOf(returned, "s").resultReturned, true);
  const hard = rustIr(`${LANDLOCK_USE}\nfn s() -> anyhow::Result<()> { Ruleset::default().set_compatibility(CompatLevel::HardRequirement).handle_access(AccessFs::from_all(ABI::V1))?.create()?.restrict_self()?; Ok(()) }`);
  assert.equal(restrictOf(hard, "s").statusIgnored, undefined);
});

test("`?` is an error path that leaves the function (the process, in main)", () => {
  const ir = rustIr(`${LANDLOCK_USE}
fn helper(r: landlock::RulesetCreated) -> Result<(), landlock::RulesetError> { let st = r.restrict_self()?; drop(st); Ok(()) }
fn main() -> anyhow::Result<()> { setup()?; Ok(()) }`);
  const [branch] = nodesOfKind(fn(ir, "helper").body, "branch");
  assert.deepEqual(branch?.arms[0]?.cond, { kind: "error-path" });
  assert.deepEqual(branch?.arms[0]?.body.map((n) => (n.kind === "exit" ? n.leaves : n.kind)), ["function"]);
  const [mainBranch] = nodesOfKind(fn(ir, "main").body, "branch");
  // A project call is not a Landlock result: its failure arm is not an error path of its own.
  assert.equal(mainBranch?.arms[0]?.cond?.kind, "other");
  assert.deepEqual(mainBranch?.arms[0]?.body.map((n) => (n.kind === "exit" ? n.leaves : n.kind)), ["process"]);
});

// ---------------------------------------------------------------------------------------------
// Raw system calls

test("raw restrict_self through libc::syscall, a number, extern \"C\" syscall and a landlock_restrict_self binding", () => {
  const ir = rustIr(`
extern "C" { fn syscall(n: i64, ...) -> i64; }
fn a(fd: i32) { unsafe { libc::syscall(libc::SYS_landlock_restrict_self, fd, 0) }; }
fn b(fd: i32) { unsafe { libc::syscall(446, fd, 0u32) }; }
fn c(fd: i32) { unsafe { syscall(446, fd, 0) }; }
fn d(fd: i32) { unsafe { landlock_sys::landlock_restrict_self(fd, 0) }; }
`);
  for (const name of ["a", "b", "c", "d"]) {
    const r = restrictOf(ir, name);
    assert.equal(r.mechanism, "syscall", name);
    assert.equal(r.flags.tsync, "no", name);
    assert.equal(r.resultChecked, "no", name);
  }
  assert.equal(restrictOf(ir, "a").api, "libc::syscall(libc::SYS_landlock_restrict_self)");
});

test("raw flags: constants, shifts, casts and `if abi >= 8 { TSYNC } else { 0 }` (TSYNC only from ABI 8)", () => {
  const code = `
const LANDLOCK_RESTRICT_SELF_TSYNC: u32 = 1 << 3;
fn abi() -> i64 { unsafe { libc::syscall(libc::SYS_landlock_create_ruleset, std::ptr::null::<u8>(), 0usize, 1u32) } }
fn always(fd: i32) { let rc = unsafe { libc::syscall(libc::SYS_landlock_restrict_self, fd, LANDLOCK_RESTRICT_SELF_TSYNC as u64) }; assert_eq!(rc, 0); }
fn chosen(fd: i32) {
    let abi = abi();
    let flags = if abi >= 8 { LANDLOCK_RESTRICT_SELF_TSYNC } else { 0 };
    if unsafe { libc::syscall(libc::SYS_landlock_restrict_self, fd, flags) } != 0 { std::process::exit(1); }
}
fn masked(fd: i32) { let mut f = 0x8u32 | 4; f &= !LANDLOCK_RESTRICT_SELF_TSYNC; unsafe { libc::syscall(446, fd, f) }; }
`;
  const ir = rustIr(code);
  assert.equal(onlyOp(fn(ir, "abi").body, "abi-query").type, "abi-query");
  const always = restrictOf(ir, "always");
  assert.equal(always.flags.tsync, "yes");
  assert.equal(always.flags.value, 8);
  assert.equal(textAt(code, always.flags.range!), "LANDLOCK_RESTRICT_SELF_TSYNC as u64");
  assert.equal(always.resultChecked, "yes", "assert_eq! tests the variable");
  const chosen = restrictOf(ir, "chosen");
  assert.equal(chosen.flags.tsync, "maybe");
  assert.equal(chosen.flags.tsyncIfAbiAtLeast, 8);
  assert.equal(chosen.resultChecked, "yes");
  const masked = restrictOf(ir, "masked");
  assert.deepEqual([masked.flags.tsync, masked.flags.logSubdomainsOff, masked.flags.value], ["no", "yes", 4]);
});

test("a raw ruleset: attr struct -> create_ruleset -> fd -> restrict_self carries the scopes; failure tests are error paths", () => {
  const code = `
const LANDLOCK_SCOPE_SIGNAL: u64 = 1 << 1;
#[repr(C)] struct RulesetAttr { handled_access_fs: u64, handled_access_net: u64, scoped: u64 }
fn s() -> std::io::Result<()> {
    let attr = RulesetAttr { handled_access_fs: 1 << 1, handled_access_net: 0, scoped: LANDLOCK_SCOPE_SIGNAL };
    let fd = unsafe { libc::syscall(libc::SYS_landlock_create_ruleset, &attr as *const RulesetAttr, std::mem::size_of::<RulesetAttr>(), 0) };
    if fd < 0 { return Err(std::io::Error::last_os_error()); }
    if unsafe { libc::syscall(libc::SYS_landlock_restrict_self, fd, 0) } != 0 { return Err(std::io::Error::last_os_error()); }
    Ok(())
}`;
  const ir = rustIr(code);
  const create = onlyOp(fn(ir, "s").body, "create-ruleset");
  assert.deepEqual(create.ruleset.scopes, ["signal"]);
  assert.equal(create.ruleset.neededAbi, 6);
  assert.equal(create.resultChecked, "yes");
  const r = restrictOf(ir, "s");
  assert.equal(r.fd, "ruleset");
  assert.deepEqual(r.ruleset?.scopes, ["signal"]);
  const branches = nodesOfKind(fn(ir, "s").body, "branch");
  assert.deepEqual(branches.map((b) => b.arms[0]?.cond?.kind), ["error-path", "error-path"]);
});

test("no_new_privs: libc::prctl, prctl(38, 1, ...), nix set_no_new_privs; PR_GET and a zero value do not count", () => {
  const ir = rustIr(`
use nix::sys::prctl;
fn a() { unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) }; }
fn b() { unsafe { libc::prctl(38, 1u64, 0u64, 0u64, 0u64) }; }
fn c() { prctl::set_no_new_privs().unwrap(); }
fn d() { unsafe { libc::prctl(libc::PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) }; }
fn e() { unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0) }; }
`);
  for (const name of ["a", "b", "c"]) assert.equal(opsOfType(fn(ir, name).body, "no-new-privs").length, 1, name);
  for (const name of ["d", "e"]) assert.equal(opsOfType(fn(ir, name).body, "no-new-privs").length, 0, name);
});

// ---------------------------------------------------------------------------------------------
// Signals, F_SETOWN, abstract sockets, setuid, exec

test("signal targets: parent, own process, own thread, process group, children and other pids", () => {
  const ir = rustIr(`
use nix::sys::signal::{kill, killpg, raise, Signal};
use nix::unistd::{getppid, Pid};
fn f(child: &mut std::process::Child) {
    let pid: i32 = std::fs::read_to_string("/run/daemon.pid").unwrap().trim().parse().unwrap();
    unsafe { libc::kill(libc::getppid(), libc::SIGUSR1) };
    kill(getppid(), Signal::SIGHUP).unwrap();
    kill(Pid::parent(), Signal::SIGHUP).unwrap();
    kill(Pid::this(), Signal::SIGUSR2).unwrap();
    raise(Signal::SIGALRM).unwrap();
    killpg(Pid::from_raw(pid), Signal::SIGTERM).unwrap();
    unsafe { libc::kill(0, libc::SIGTERM) };
    kill(Pid::from_raw(pid), Signal::SIGTERM).unwrap();
    child.kill().unwrap();
}`);
  assert.deepEqual(
    opsOfType(fn(ir, "f").body, "signal").map((s) => s.target),
    ["parent", "parent", "parent", "own-process", "own-thread", "process-group", "process-group", "other-process"],
  );
  const spawned = rustIr(`fn g() { let mut c = std::process::Command::new("x").spawn().unwrap(); c.kill().unwrap(); }`);
  assert.deepEqual(shape(fn(spawned, "g").body), [{ child: [] }, "signal"]);
  assert.equal(onlyOp(fn(spawned, "g").body, "signal").target, "other-process");
});

test("a pid parameter: the signal names the parameter, and each call says whom it passes", () => {
  const ir = rustIr(`
use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
fn report(to: Pid, signal: Signal) { kill(to, signal).ok(); }
fn poke(fd: i32, pid: i32) { unsafe { libc::kill(pid, libc::SIGUSR1); libc::fcntl(fd, libc::F_SETOWN, pid); } }
fn main() {
    report(Pid::parent(), Signal::SIGUSR1);
    report(Pid::this(), Signal::SIGUSR2);
    poke(3, std::process::id() as i32);
    let child = std::process::Command::new("x").spawn().unwrap();
    poke(3, child.id() as i32);
}`);
  const signal = onlyOp(fn(ir, "report").body, "signal");
  assert.deepEqual([signal.target, signal.targetParam], ["unknown", 0]);
  const pokeSignal = onlyOp(fn(ir, "poke").body, "signal");
  const setown = onlyOp(fn(ir, "poke").body, "setown");
  assert.deepEqual([pokeSignal.targetParam, setown.targetParam], [1, 1]);
  assert.deepEqual(
    opsOfType(fn(ir, "main").body, "call").map((c) => c.argTargets),
    [[{ index: 0, target: "parent" }], [{ index: 0, target: "own-process" }], [{ index: 1, target: "own-process" }], [{ index: 1, target: "other-process" }]],
  );
});

test("F_SETOWN names who gets SIGIO", () => {
  const ir = rustIr(`fn f(fd: i32) { unsafe { libc::fcntl(fd, libc::F_SETOWN, libc::getppid()); libc::fcntl(fd, libc::F_SETOWN, libc::getpid()); libc::fcntl(fd, libc::F_SETFL, 0); } }`);
  assert.deepEqual(opsOfType(fn(ir, "f").body, "setown").map((s) => s.target), ["parent", "own-process"]);
});

test("abstract sockets: from_abstract_name + connect_addr, and a NUL-prefixed path; pathname sockets are not abstract", () => {
  const ir = rustIr(`
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixStream};
fn f() -> std::io::Result<()> {
    let addr = SocketAddr::from_abstract_name(b"/tmp/.X11-unix/X0")?;
    let _x = UnixStream::connect_addr(&addr)?;
    let _bus = tokio::net::UnixStream::connect("\\0dbus-session");
    let _journal = UnixStream::connect("/run/systemd/journal/stdout")?;
    Ok(())
}`);
  assert.deepEqual(opsOfType(fn(ir, "f").body, "abstract-connect").map((c) => c.name), ["@/tmp/.X11-unix/X0", "@dbus-session"]);
});

test("setuid family (libc and nix) and exec (Command::exec, execv)", () => {
  const ir = rustIr(`
use std::os::unix::process::CommandExt;
use nix::unistd::{setgid, setuid, Gid, Uid};
fn f() {
    setgid(Gid::from_raw(100)).unwrap();
    setuid(Uid::from_raw(100)).unwrap();
    unsafe { libc::setgroups(0, std::ptr::null()) };
    let _ = std::process::Command::new("/bin/sh").exec();
    nix::unistd::execv(&c, &[&c]).unwrap();
}`);
  assert.deepEqual(opsOfType(fn(ir, "f").body, "setuid").map((s) => s.api), ["setgid", "setuid", "libc::setgroups"]);
  assert.deepEqual(opsOfType(fn(ir, "f").body, "exec").map((s) => s.api), ["Command::exec", "nix::unistd::execv"]);
});

// ---------------------------------------------------------------------------------------------
// Threads and runtimes

test("std::thread::spawn with a closure: spawn op then a thread node holding the closure; a named routine; many in a loop", () => {
  const ir = rustIr(`
use std::thread;
fn worker() {}
fn main() {
    let h = thread::spawn(move || { sandbox(); });
    thread::spawn(worker);
    for _ in 0..n() { std::thread::spawn(|| worker()); }
    thread::Builder::new().name("io".into()).spawn(move || worker()).unwrap();
    h.join().unwrap();
}`);
  const main = fn(ir, "main").body;
  const spawns = opsOfType(main, "spawn");
  assert.deepEqual(spawns.map((s) => [s.mechanism, s.count, s.routine]), [
    ["std::thread::spawn", "one", undefined],
    ["std::thread::spawn", "one", "worker"],
    ["std::thread::spawn", "many", undefined],
    ["std::thread::Builder::spawn", "one", undefined],
  ]);
  const threads = nodesOfKind(main, "thread");
  assert.equal(threads.length, 3);
  assert.deepEqual(shape(threads[0]!.body), ["call:sandbox"]);
});

test("scoped threads (std, crossbeam): the scope closure runs here, its handle's spawn starts a thread", () => {
  const ir = rustIr(`
fn main() {
    setup();
    std::thread::scope(|s| { s.spawn(|| work()); });
    crossbeam::scope(|scope| { scope.spawn(|_| work()); }).unwrap();
}`);
  const body = fn(ir, "main").body;
  assert.deepEqual(opsOfType(body, "spawn").map((s) => s.mechanism), ["std::thread::scope spawn", "crossbeam::scope spawn"]);
  assert.deepEqual(shape(body).slice(0, 3), ["call:setup", "spawn", { thread: ["call:work"] }]);
});

test("rayon: par_iter, rayon::spawn, ThreadPoolBuilder::build and install run closures on pool threads", () => {
  const ir = rustIr(`
use rayon::prelude::*;
fn main() {
    let v: Vec<u32> = items.par_iter().map(|x| sandbox(x)).collect();
    rayon::spawn(move || work());
    let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
    pool.install(|| work());
}`);
  const body = fn(ir, "main").body;
  assert.deepEqual(opsOfType(body, "spawn").map((s) => [s.mechanism, s.count]), [
    ["rayon parallel iterator (par_iter)", "many"],
    ["rayon::spawn (rayon global pool)", "many"],
    ["rayon ThreadPoolBuilder::build", "many"],
  ]);
  assert.deepEqual(nodesOfKind(body, "thread").map((t) => shape(t.body)), [["call:sandbox"], ["call:work"], ["call:work"]]);
  // The par_iter closure is evidence of the same pool threads, not of another spawn.
  const [spawn] = opsOfType(body, "spawn");
  assert.equal(nodesOfKind(body, "thread")[0]!.range.start.offset, spawn!.range.start.offset);
});

test("#[tokio::main] is a multi-thread runtime; flavor = \"current_thread\" is not, and its tasks run on the same thread", () => {
  const multi = rustIr(`#[tokio::main]\nasync fn main() { tokio::spawn(async move { sandbox(); }); }`);
  const main = fn(multi, "main");
  assert.equal(main.runtimeThreads?.mechanism, "tokio multi-thread runtime (#[tokio::main])");
  assert.match(main.runtimeThreads?.note ?? "", /before the function.s async body runs/);
  assert.ok(fn(rustIr(`#[tokio::main]\nasync fn serve() {}\nfn main() { serve(); }`), "serve").runtimeThreads, "a #[tokio::main] helper builds its runtime when called");
  assert.deepEqual(shape(main.body), [{ thread: ["call:sandbox"] }]);
  const current = rustIr(`#[tokio::main(flavor = "current_thread")]\nasync fn main() { tokio::spawn(async move { sandbox(); }); }`);
  assert.equal(fn(current, "main").runtimeThreads, undefined);
  assert.deepEqual(shape(fn(current, "main").body), [{ branch: [["call:sandbox"]], exhaustive: false }]);
  const asyncStd = rustIr(`#[async_std::main]\nasync fn main() {}`);
  assert.match(fn(asyncStd, "main").runtimeThreads?.mechanism ?? "", /async-std/);
});

test("blocking-pool threads: spawn_blocking on any runtime, block_in_place, tokio::fs; runtime builders start workers when built", () => {
  const ir = rustIr(`
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let text = tokio::task::spawn_blocking(move || read()).await.unwrap();
    tokio::task::block_in_place(|| read());
    let conf = tokio::fs::read_to_string("/etc/app.conf").await.unwrap();
}
fn sync_main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async { serve().await });
    let single = tokio::runtime::Builder::new_current_thread().build().unwrap();
    single.block_on(serve());
    let rt2 = tokio::runtime::Runtime::new().unwrap();
    drop(rt2);
}`);
  assert.deepEqual(opsOfType(fn(ir, "main").body, "spawn").map((s) => s.mechanism), [
    "tokio::task::spawn_blocking (a blocking-pool thread, even on a current_thread runtime)",
    "tokio::task::block_in_place (needs a multi-thread runtime)",
    "tokio::fs::read_to_string (runs on tokio's blocking pool)",
  ]);
  assert.deepEqual(shape(fn(ir, "sync_main").body), ["spawn", "call:serve", "call:serve", "spawn"]);
});

// ---------------------------------------------------------------------------------------------
// Children: pre_exec, fork

test("Command::pre_exec: the closure runs in the forked child; spawn forks", () => {
  const ir = rustIr(`
use std::os::unix::process::CommandExt;
fn run(fd: i32) -> std::io::Result<()> {
    let mut cmd = std::process::Command::new("/bin/true");
    unsafe {
        cmd.pre_exec(move || {
            libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            if libc::syscall(libc::SYS_landlock_restrict_self, fd, 0) != 0 { return Err(std::io::Error::last_os_error()); }
            Ok(())
        });
    }
    cmd.status()?;
    Ok(())
}`);
  const children = nodesOfKind(fn(ir, "run").body, "child");
  assert.equal(children.length, 2);
  assert.match(children[0]!.how, /pre_exec/);
  assert.deepEqual(shape(children[0]!.body).slice(0, 2), ["no-new-privs", "restrict"]);
  assert.deepEqual(children[1]!.body, []);
});

test("fork: nix ForkResult::Child arms, libc `pid == 0`, `match pid { 0 => .. }`, and a parent that exits", () => {
  const ir = rustIr(`
use nix::unistd::{fork, ForkResult};
fn a() {
    match unsafe { fork() } {
        Ok(ForkResult::Child) => { sandbox(); }
        Ok(ForkResult::Parent { child }) => { wait(child); }
        Err(_) => std::process::exit(1),
    }
}
fn b() { let pid = unsafe { libc::fork() }; if pid == 0 { sandbox(); } else { parent(); } }
fn c() { let pid = unsafe { libc::fork() }; match pid { 0 => sandbox(), -1 => fail(), _ => parent() } }
fn d() -> nix::Result<()> {
    if let ForkResult::Parent { .. } = unsafe { fork() }? { std::process::exit(0); }
    sandbox();
    Ok(())
}
fn e() { if let Ok(ForkResult::Child) = unsafe { fork() } { sandbox(); } }
`);
  for (const name of ["a", "b", "c", "d", "e"]) {
    const withContext = opsWithContext(fn(ir, name).body).find((x) => x.op.type === "call" && x.op.callee === "sandbox");
    assert.ok(withContext?.enclosing.some((n) => n.kind === "child"), `${name}: sandbox() runs in the child`);
  }
  const parentCall = opsWithContext(fn(ir, "b").body).find((x) => x.op.type === "call" && x.op.callee === "parent");
  assert.ok(!parentCall?.enclosing.some((n) => n.kind === "child"));
});

// ---------------------------------------------------------------------------------------------
// Control flow

test("if/else, match, loops with bounds, return, process::exit, panic!, bail!", () => {
  const ir = rustIr(`
fn f(x: bool) -> anyhow::Result<()> {
    if x { a(); } else { b(); }
    match x { true => a(), false => b() }
    for _ in 0..3 { a(); }
    for p in ["/usr", "/etc"] { a(); }
    while x { b(); }
    loop { a(); break; }
    if x { return Ok(()); }
    if x { std::process::exit(2); }
    if x { panic!("boom"); }
    if x { anyhow::bail!("no"); }
    Ok(())
}`);
  const body = fn(ir, "f").body;
  const branches = nodesOfKind(body, "branch");
  assert.equal(branches[0]!.exhaustive, true);
  assert.equal(branches[1]!.exhaustive, true);
  assert.equal(branches[1]!.arms.length, 2);
  assert.deepEqual(nodesOfKind(body, "loop").map((l) => l.maxIterations), [3, 2, undefined, undefined]);
  assert.deepEqual(nodesOfKind(body, "exit").map((e) => e.leaves), ["function", "process", "process", "function"]);
});

test("assert!(abi >= 8) refuses to run below ABI 8: the failing side exits the process", () => {
  const ir = rustIr(`
fn abi() -> i64 { unsafe { libc::syscall(444, std::ptr::null::<u8>(), 0, 1) } }
fn f() { let abi = abi(); assert!(abi >= 8, "needs TSYNC"); }`);
  const [branch] = nodesOfKind(fn(ir, "f").body, "branch");
  assert.deepEqual(branch?.arms[0]?.cond, { kind: "abi-at-least", abi: 8, negated: true });
  assert.deepEqual(branch?.arms[0]?.body.map((n) => n.kind === "exit" && n.leaves), ["process"]);
});

test("a retry loop that breaks when restrict_self succeeds repeats only failures", () => {
  const ir = rustIr(`
fn f(fd: i32) {
    loop {
        let rc = unsafe { libc::syscall(446, fd, 0) };
        if rc == 0 { break; }
        if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) { std::process::exit(1); }
    }
    loop { let rc = unsafe { libc::syscall(446, fd, 0) }; if rc != 0 { std::process::exit(1); } }
}`);
  const loops = nodesOfKind(fn(ir, "f").body, "loop");
  assert.deepEqual(loops.map((l) => l.repeatCond?.kind), ["error-path", undefined]);
});

test("signal handlers registered with nix or libc run repeatedly", () => {
  const ir = rustIr(`
use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};
extern "C" fn on_hup(_: i32) { reload(); }
extern "C" fn on_usr1(_: i32) { reload(); }
fn main() {
    let action = SigAction::new(SigHandler::Handler(on_hup), SaFlags::empty(), SigSet::empty());
    unsafe { sigaction(Signal::SIGHUP, &action).unwrap() };
    unsafe { libc::signal(libc::SIGUSR1, on_usr1 as libc::sighandler_t) };
}`);
  assert.equal(fn(ir, "on_hup").runsRepeatedly?.how, "signal handler");
  assert.equal(fn(ir, "on_usr1").runsRepeatedly?.how, "signal handler");
  assert.equal(fn(ir, "main").runsRepeatedly, undefined);
});

// ---------------------------------------------------------------------------------------------
// Macros, comments, positions

test("calls and reads inside macro arguments are seen at their real positions", () => {
  const code = `fn f(fd: i32) {\n    assert_eq!(unsafe { libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) }, 0, "prctl");\n    println!("{}", unsafe { libc::syscall(446, fd, 0) });\n}`;
  const ir = rustIr(code);
  const nnp = onlyOp(fn(ir, "f").body, "no-new-privs");
  assert.equal(textAt(code, nnp.range), "libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)");
  assert.equal(nnp.range.start.line, 2);
  const r = restrictOf(ir, "f");
  assert.equal(textAt(code, r.calleeRange), "libc::syscall");
  assert.equal(r.range.start.line, 3);
});

test("comments (line, block, doc) are collected as written; a documented per-thread design is marked", () => {
  const code = `//! crate doc\n/// Each worker sandboxes itself, by design (per-thread domains).\nfn w() {}\n/* block */\nfn main() {\n    // landlock-lint-disable-next-line landlock/single-thread-restrict -- reason\n    w();\n}\n`;
  const ir = rustIr(code);
  assert.deepEqual(ir.comments.map((c) => c.text), [
    "//! crate doc",
    "/// Each worker sandboxes itself, by design (per-thread domains).",
    "/* block */",
    "// landlock-lint-disable-next-line landlock/single-thread-restrict -- reason",
  ]);
  for (const c of ir.comments) assert.equal(textAt(code, c.range), c.text);
  assert.equal(fn(ir, "w").documentedPerThread, true);
  assert.equal(fn(ir, "main").documentedPerThread, undefined);
});

test("positions are UTF-16 columns: non-ASCII text before a call does not shift ranges", () => {
  const code = `fn f(fd: i32) { let _é = "日本語 😀"; unsafe { libc::syscall(446, fd, 0) }; }`;
  const r = restrictOf(rustIr(code), "f");
  assert.equal(textAt(code, r.calleeRange), "libc::syscall");
  assert.equal(r.calleeRange.start.column, code.indexOf("libc::syscall"));
});
