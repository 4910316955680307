// The Go front-end on snippets: the IR each construct becomes (raw syscalls,
// AllThreadsSyscall, psx, go-landlock by release and build tag, x/sys/unix wrappers,
// goroutines, control flow, results, helpers re-executed by the program, LockOSThread
// followed by exec), plus the pieces it is built from (version and build-tag reading).

import { test } from "node:test";
import assert from "node:assert/strict";
import type { IrBlock, IrFile, IrFunction, IrNode, IrOp, ProjectFacts } from "../src/ir.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { goFrontEnd } from "../src/frontends/go/index.js";
import { frontEndFor } from "../src/frontends/registry.js";
import { buildTagRequirement, goLandlockLibrary, parseGoVersion, releaseUsesTsync } from "../src/frontends/go/library.js";
import { decodeGoString, parseGoInt } from "../src/frontends/go/expr.js";

function irOf(code: string, facts: ProjectFacts = {}, file = "snippet.go"): IrFile {
  return goFrontEnd.toIr(code, file, "go", { settings: DEFAULT_SETTINGS, facts });
}

function fn(ir: IrFile, name: string): IrFunction {
  const f = ir.functions.find((x) => x.name === name);
  assert.ok(f, `function ${name} in [${ir.functions.map((x) => x.name).join(", ")}]`);
  return f;
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

function opsOfType<T extends IrOp["type"]>(block: IrBlock, type: T): Extract<IrOp, { type: T }>[] {
  return ops(block).filter((o): o is Extract<IrOp, { type: T }> => o.type === type);
}

function onlyOp<T extends IrOp["type"]>(block: IrBlock, type: T): Extract<IrOp, { type: T }> {
  const found = opsOfType(block, type);
  assert.equal(found.length, 1, `exactly one ${type} op, got ${JSON.stringify(found.map((o) => o.type))}`);
  return found[0]!;
}

function nodesOfKind<K extends IrNode["kind"]>(block: IrBlock, kind: K): Extract<IrNode, { kind: K }>[] {
  const out: Extract<IrNode, { kind: K }>[] = [];
  const visit = (b: IrBlock) => {
    for (const node of b) {
      if (node.kind === kind) out.push(node as Extract<IrNode, { kind: K }>);
      if (node.kind === "branch") node.arms.forEach((a) => visit(a.body));
      else if (node.kind === "loop" || node.kind === "child" || node.kind === "thread") visit(node.body);
    }
  };
  visit(block);
  return out;
}

const HEADER = `package main

import (
	"log"
	"os"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
	"kernel.org/pub/linux/libs/security/libcap/psx"
)
`;

function mainBody(code: string, facts: ProjectFacts = {}): IrBlock {
  return fn(irOf(`${HEADER}\nfunc main() {\n${code}\n}\n`, facts), "main").body;
}

test("registry: .go files go to the Go front-end", () => {
  assert.equal(frontEndFor("cmd/app/main.go")?.languages[0], "go");
  assert.equal(goFrontEnd.languageOf("x.go"), "go");
});

test("every function carries the Go runtime's threads; main of package main is the entry", () => {
  const ir = irOf(`${HEADER}\nfunc helper() {}\nfunc main() { helper() }\n`);
  assert.equal(ir.language, "go");
  for (const f of ir.functions) {
    assert.equal(f.runtimeThreads?.mechanism, "Go runtime");
    assert.match(f.runtimeThreads?.note ?? "", /before main/);
  }
  assert.equal(fn(ir, "main").isEntry, true);
  assert.equal(fn(ir, "helper").isEntry, false);
  const lib = irOf(`package sandbox\n\nfunc main() {}\nfunc Apply() error { return nil }\n`);
  assert.equal(fn(lib, "sandbox.main").isEntry, false, "main outside package main is not an entry point");
  assert.ok(fn(lib, "sandbox.Apply"));
});

test("unix.Syscall(SYS_LANDLOCK_RESTRICT_SELF, fd, 0, 0): a syscall restrict on a ruleset, flags evaluated, errno test checks it", () => {
  const body = mainBody(`
	attr := unix.LandlockRulesetAttr{Access_fs: unix.LANDLOCK_ACCESS_FS_READ_FILE}
	fd, _, errno := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr), 0)
	if errno != 0 {
		log.Fatal(errno)
	}
	if _, _, errno := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, fd, 0, 0); errno != 0 {
		log.Fatal(errno)
	}`);
  const create = onlyOp(body, "create-ruleset");
  assert.equal(create.resultChecked, "yes");
  assert.deepEqual(create.ruleset.scopes, []);
  const r = onlyOp(body, "restrict");
  assert.equal(r.mechanism, "syscall");
  assert.equal(r.fd, "ruleset");
  assert.equal(r.flags.tsync, "no");
  assert.equal(r.flags.value, 0);
  assert.equal(r.resultChecked, "yes");
  assert.equal(r.api, "unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF)");
  const branches = nodesOfKind(body, "branch");
  assert.equal(branches[0]!.arms[0]!.cond?.kind, "error-path");
  assert.ok(nodesOfKind(body, "exit").every((e) => e.leaves === "process"), "log.Fatal ends the process");
});

test("raw numbers, local constants with iota and 1 << 3 are evaluated", () => {
  const ir = irOf(`package main

import "syscall"

const nrRestrict = 446

const (
	flagA = 1 << iota
	flagB
	flagC
	flagTsync
)

const skipped, withIota = 7, iota

func main() {
	syscall.Syscall(nrRestrict, 3, flagTsync, 0)
	syscall.RawSyscall(446, 3, 1 << 3, 0)
	syscall.RawSyscall(446, 3, withIota, 0)
}
`);
  const rs = opsOfType(fn(ir, "main").body, "restrict");
  assert.equal(rs.length, 3);
  assert.equal(rs.pop()!.flags.value, 0, "iota restarts in every const declaration");
  for (const r of rs) {
    assert.equal(r.flags.tsync, "yes", JSON.stringify(r.flags));
    assert.equal(r.flags.value, 8);
    assert.equal(r.resultChecked, "no", "a call statement ignores the result");
  }
});

test("TSYNC set only when the ABI allows it becomes tsyncIfAbiAtLeast; the ABI test becomes abi-at-least", () => {
  const body = mainBody(`
	abi, _, _ := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, 0, 0, unix.LANDLOCK_CREATE_RULESET_VERSION)
	var flags uintptr
	if abi >= 8 {
		flags |= 1 << 3
	}
	_, _, e := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, 3, flags, 0)
	if e != 0 {
		os.Exit(1)
	}`);
  assert.equal(onlyOp(body, "abi-query").api, "unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET)");
  const r = onlyOp(body, "restrict");
  assert.equal(r.flags.tsync, "maybe");
  assert.equal(r.flags.tsyncIfAbiAtLeast, 8);
  assert.equal(r.resultChecked, "yes", "errno tested after the call");
  const cond = nodesOfKind(body, "branch")[0]!.arms[0]!.cond;
  assert.deepEqual(cond, { kind: "abi-at-least", abi: 8, negated: false });
});

test("`if err != nil || abi < 8 { exit }` tells what follows that the ABI is at least 8", () => {
  const ir = irOf(`package main

import (
	"log"
	llsyscall "github.com/landlock-lsm/go-landlock/landlock/syscall"
)

func main() {
	abi, err := llsyscall.LandlockGetABIVersion()
	if err != nil || abi < 8 {
		log.Fatal("need ABI 8")
	}
	llsyscall.LandlockRestrictSelf(3, 8)
}
`);
  const body = fn(ir, "main").body;
  assert.ok(onlyOp(body, "abi-query"));
  const branch = nodesOfKind(body, "branch")[0]!;
  assert.equal(branch.exhaustive, true);
  assert.deepEqual(branch.arms[1]!.cond, { kind: "abi-at-least", abi: 8, negated: false });
  assert.deepEqual(branch.arms[1]!.body, []);
  assert.equal(onlyOp(body, "restrict").flags.tsync, "yes");
});

test("syscall.AllThreadsSyscall and psx.Syscall3 are per-thread mechanisms; their prctl sets no_new_privs", () => {
  const all = mainBody(`
	syscall.AllThreadsSyscall(syscall.SYS_PRCTL, syscall.PR_SET_NO_NEW_PRIVS, 1, 0)
	syscall.AllThreadsSyscall(unix.SYS_LANDLOCK_RESTRICT_SELF, 3, 0, 0)`);
  assert.equal(onlyOp(all, "no-new-privs").api, "syscall.AllThreadsSyscall(syscall.SYS_PRCTL)");
  assert.equal(onlyOp(all, "restrict").mechanism, "all-threads-syscall");
  const p = mainBody(`
	psx.Syscall3(unix.SYS_PRCTL, unix.PR_SET_NO_NEW_PRIVS, 1, 0)
	psx.Syscall3(unix.SYS_LANDLOCK_RESTRICT_SELF, 3, 0, 0)
	psx.Syscall3(unix.SYS_SETUID, 1000, 0, 0)`);
  assert.ok(onlyOp(p, "no-new-privs"));
  assert.equal(onlyOp(p, "restrict").mechanism, "libpsx");
  assert.equal(onlyOp(p, "setuid").api, "psx.Syscall3(unix.SYS_SETUID)");
});

test("scopes in the ruleset attr reach the restrict op; masking below ABI 6 is best effort", () => {
  const body = mainBody(`
	abi, _, _ := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, 0, 0, unix.LANDLOCK_CREATE_RULESET_VERSION)
	attr := unix.LandlockRulesetAttr{Access_fs: unix.LANDLOCK_ACCESS_FS_WRITE_FILE, Scoped: unix.LANDLOCK_SCOPE_SIGNAL | unix.LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET}
	if abi < 6 {
		attr.Scoped = 0
	}
	fd, _, _ := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr), 0)
	psx.Syscall3(unix.SYS_LANDLOCK_RESTRICT_SELF, fd, 0, 0)`);
  const create = onlyOp(body, "create-ruleset");
  assert.equal(create.ruleset.maskedByAbi, true);
  assert.equal(create.resultChecked, "maybe", "the fd is used, never tested");
  const r = onlyOp(body, "restrict");
  assert.equal(r.fd, "ruleset");
  assert.deepEqual([...(r.ruleset?.scopes ?? [])].sort(), ["abstract_unix_socket", "signal"]);
  const homemade = mainBody(`
	type attrT struct{ fs, net, scoped uint64 }
	a := attrT{fs: 1 << 2, scoped: 1 << 1}
	fd, _, _ := syscall.Syscall(444, uintptr(unsafe.Pointer(&a)), 24, 0)
	syscall.Syscall(446, fd, 0, 0)`);
  assert.deepEqual(onlyOp(homemade, "restrict").ruleset?.scopes, ["signal"]);
});

test("go-landlock: the release in go.mod and the landlocktsync tag decide what the library does", () => {
  const code = `package main

import "github.com/landlock-lsm/go-landlock/landlock"

func main() {
	if err := landlock.V5.BestEffort().RestrictPaths(landlock.RODirs("/usr")); err != nil {
		panic(err)
	}
}
`;
  const modern = onlyOp(fn(irOf(code, { goLandlockVersion: "v0.9.0" }), "main").body, "restrict");
  assert.equal(modern.mechanism, "library");
  assert.equal(modern.resultChecked, "yes");
  assert.equal(modern.api, "landlock.V5.BestEffort().RestrictPaths");
  assert.deepEqual(modern.ruleset?.scopes, []);
  assert.equal(modern.ruleset?.scopesKnown, true, "RestrictPaths never enforces scopes");
  assert.deepEqual(
    { ...modern.library, description: undefined },
    { name: "go-landlock", version: "v0.9.0", tsyncWhenAvailable: true, fallbackBelowTsync: "per-thread", bestEffort: true, description: undefined },
  );
  assert.match(modern.library!.description, /^go-landlock v0\.9\.0 \(go\.mod\) uses TSYNC on ABI 8 kernels and falls back to per-thread enforcement through libpsx below ABI 8/);

  const old = onlyOp(fn(irOf(code, { goLandlockVersion: "v0.4.0" }), "main").body, "restrict");
  assert.equal(old.library?.tsyncWhenAvailable, false);
  assert.equal(old.library?.fallbackBelowTsync, "per-thread");
  assert.equal(old.flags.tsync, "no");
  assert.match(old.library!.description, /libpsx on every kernel/);

  const tagged = onlyOp(fn(irOf(`//go:build linux && landlocktsync\n\n${code}`, { goLandlockVersion: "v0.10.1" }), "main").body, "restrict");
  assert.equal(tagged.library?.fallbackBelowTsync, "error");
  assert.equal(tagged.flags.tsync, "yes");
  assert.match(tagged.library!.description, /landlocktsync/);
  const untagged = onlyOp(fn(irOf(`//go:build !landlocktsync\n\n${code}`, { goLandlockVersion: "v0.10.1" }), "main").body, "restrict");
  assert.equal(untagged.library?.fallbackBelowTsync, "per-thread");
  const projectTag = onlyOp(fn(irOf(code, { goLandlockVersion: "v0.10.1", goBuildTags: ["landlocktsync"] }), "main").body, "restrict");
  assert.equal(projectTag.library?.fallbackBelowTsync, "error");

  const unknown = onlyOp(fn(irOf(code), "main").body, "restrict");
  assert.match(unknown.library!.description, /version unknown/);
});

test("go-landlock: V6 Restrict enforces both scopes, config variables and MustConfig are followed, discarded results are unchecked", () => {
  const body = fn(
    irOf(`package main

import (
	"github.com/landlock-lsm/go-landlock/landlock"
	llsyscall "github.com/landlock-lsm/go-landlock/landlock/syscall"
)

func main() {
	cfg := landlock.V6.BestEffort()
	_ = cfg.Restrict(landlock.RODirs("/etc"))
	sig := landlock.MustConfig(landlock.ScopedSet(llsyscall.ScopeSignal))
	sig.RestrictScoped()
	landlock.V6.RestrictNet()
}
`, { goLandlockVersion: "v0.9.0" }),
    "main",
  ).body;
  const [restrict, scoped, net] = opsOfType(body, "restrict");
  assert.deepEqual([...restrict!.ruleset!.scopes].sort(), ["abstract_unix_socket", "signal"]);
  assert.equal(restrict!.library?.bestEffort, true);
  assert.equal(restrict!.resultChecked, "no", "`_ =` discards the error");
  assert.match(restrict!.library!.description, /erratum 2/);
  assert.deepEqual(scoped!.ruleset!.scopes, ["signal"]);
  assert.equal(scoped!.resultChecked, "no");
  assert.deepEqual(net!.ruleset!.scopes, []);
});

test("llsyscall wrappers: create/add/restrict ops, AllThreadsLandlockRestrictSelf is psx, AllThreadsPrctl sets no_new_privs", () => {
  const body = fn(
    irOf(`package main

import (
	ll "github.com/landlock-lsm/go-landlock/landlock/syscall"
	"golang.org/x/sys/unix"
)

func main() {
	attr := ll.RulesetAttr{HandledAccessFS: ll.AccessFSReadFile, Scoped: ll.ScopeSignal}
	fd, err := ll.LandlockCreateRuleset(&attr, 0)
	if err != nil {
		return
	}
	ll.LandlockAddPathBeneathRule(fd, nil, 0)
	if err := ll.AllThreadsPrctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return
	}
	err = ll.AllThreadsLandlockRestrictSelf(fd, 0)
	if err != nil {
		return
	}
}
`),
    "main",
  ).body;
  assert.equal(onlyOp(body, "create-ruleset").resultChecked, "yes");
  assert.equal(onlyOp(body, "add-rule").resultChecked, "no");
  assert.ok(onlyOp(body, "no-new-privs"));
  const r = onlyOp(body, "restrict");
  assert.equal(r.mechanism, "libpsx");
  assert.deepEqual(r.ruleset?.scopes, ["signal"]);
  assert.equal(r.resultChecked, "yes");
});

test("signals: targets of Kill, Tgkill, os.Process.Signal; F_SETOWN through FcntlInt", () => {
  const body = mainBody(`
	unix.Kill(os.Getppid(), unix.SIGUSR1)
	unix.Kill(os.Getpid(), unix.SIGHUP)
	syscall.Kill(0, syscall.SIGTERM)
	syscall.Kill(-pgid, syscall.SIGTERM)
	unix.Tgkill(unix.Getpid(), unix.Gettid(), unix.SIGURG)
	p, _ := os.FindProcess(os.Getppid())
	p.Signal(syscall.SIGHUP)
	unix.FcntlInt(3, unix.F_SETOWN, os.Getppid())
	unix.FcntlInt(3, unix.F_SETOWN, os.Getpid())`);
  assert.deepEqual(
    opsOfType(body, "signal").map((s) => [s.api, s.target]),
    [
      ["unix.Kill", "parent"],
      ["unix.Kill", "own-process"],
      ["syscall.Kill", "process-group"],
      ["syscall.Kill", "process-group"],
      ["unix.Tgkill", "own-thread"],
      ["os.Process.Signal", "parent"],
    ],
  );
  assert.deepEqual(opsOfType(body, "setown").map((s) => s.target), ["parent", "own-process"]);
});

test("a child started by exec.Cmd is a process start; signalling it after the start names another process", () => {
  const ir = irOf(`package main

import (
	"os/exec"
	"syscall"
)

func main() {
	cmd := exec.Command("sleep", "60")
	cmd.Start()
	cmd.Process.Signal(syscall.SIGTERM)
	syscall.Kill(cmd.Process.Pid, syscall.SIGKILL)
}
`);
  const body = fn(ir, "main").body;
  const children = nodesOfKind(body, "child");
  assert.equal(children.length, 1);
  assert.equal(children[0]!.how, "exec.Cmd.Start");
  assert.deepEqual(opsOfType(body, "signal").map((s) => s.target), ["other-process", "other-process"]);
});

test("abstract unix sockets: net.Dial with @ or NUL names, DialUnix, unix.Connect; pathname sockets are not abstract", () => {
  const ir = irOf(`package main

import (
	"net"
	"golang.org/x/sys/unix"
)

const x11 = "@/tmp/.X11-unix/X0"

func main() {
	net.Dial("unix", x11)
	net.Dial("unixpacket", "\\x00dbus-session")
	net.Dial("unix", "/run/app.sock")
	net.Dial("tcp", "@not-a-socket")
	net.DialUnix("unix", nil, &net.UnixAddr{Name: "@notify", Net: "unix"})
	addr := &unix.SockaddrUnix{Name: "@supervisor"}
	unix.Connect(3, addr)
}
`);
  assert.deepEqual(
    opsOfType(fn(ir, "main").body, "abstract-connect").map((o) => [o.api, o.name]),
    [
      ["net.Dial", "@/tmp/.X11-unix/X0"],
      ["net.Dial", "@dbus-session"],
      ["net.DialUnix", "@notify"],
      ["unix.Connect", "@supervisor"],
    ],
  );
});

test("setuid family and exec: syscall/unix wrappers", () => {
  const body = mainBody(`
	syscall.Setgroups([]int{})
	syscall.Setgid(100)
	unix.Setuid(100)
	syscall.Exec("/bin/true", nil, nil)
	unix.Exec("/bin/true", nil, nil)`);
  assert.deepEqual(opsOfType(body, "setuid").map((s) => s.api.split(" ")[0]), ["syscall.Setgroups", "syscall.Setgid", "unix.Setuid"]);
  assert.equal(opsOfType(body, "exec").length, 2);
});

test("goroutines: go func literal is a spawn plus a thread node; go f() names the routine; in a loop they are many", () => {
  const ir = irOf(`${HEADER}
type Server struct{}

func (s *Server) serve() {}

func worker(id int) {}

func main() {
	s := &Server{}
	go s.serve()
	for i := 0; i < 4; i++ {
		go worker(i)
	}
	go func() {
		syscall.Syscall(446, 3, 0, 0)
	}()
}
`);
  const body = fn(ir, "main").body;
  const spawns = opsOfType(body, "spawn");
  assert.deepEqual(
    spawns.map((s) => [s.mechanism, s.routine, s.count]),
    [
      ["go statement", "Server.serve", "one"],
      ["go statement", "worker", "many"],
      ["go statement", undefined, "one"],
    ],
  );
  const thread = nodesOfKind(body, "thread")[0]!;
  assert.equal(thread.how, "go statement");
  assert.equal(onlyOp(thread.body, "restrict").mechanism, "syscall");
  assert.ok(fn(ir, "Server.serve"), "methods are named Type.Method");
});

test("errgroup.Go and time.AfterFunc run their literal on another goroutine; sync.Once.Do runs it here", () => {
  const ir = irOf(`package main

import (
	"sync"
	"time"
	"golang.org/x/sync/errgroup"
)

func restrict() error { return nil }

func main() {
	var g errgroup.Group
	g.Go(func() error { return restrict() })
	time.AfterFunc(time.Second, func() { restrict() })
	var once sync.Once
	once.Do(func() { restrict() })
}
`);
  const body = fn(ir, "main").body;
  assert.deepEqual(nodesOfKind(body, "thread").map((t) => t.how), ["g.Go", "time.AfterFunc"]);
  const once = nodesOfKind(body, "branch").find((b) => b.arms[0]!.cond?.kind === "other" && /once\.Do/.test((b.arms[0]!.cond as { text: string }).text));
  assert.ok(once && once.exhaustive, "sync.Once.Do runs the callback in place");
});

test("control flow: if/else, switch, type switch and select are branches; for is a loop; exits say what they leave", () => {
  const body = mainBody(`
	if len(os.Args) > 1 {
		return
	} else {
		os.Exit(2)
	}
	switch os.Args[0] {
	case "a":
		panic("a")
	default:
	}
	var v any
	switch v.(type) {
	case int:
	}
	ch := make(chan int)
	select {
	case <-ch:
		log.Fatalf("closed")
	}
	for range ch {
	}`);
  const kinds = body.map((n) => n.kind);
  assert.deepEqual(kinds, ["branch", "branch", "branch", "branch", "loop"]);
  const [ifElse, sw, ts, sel] = body as Extract<IrNode, { kind: "branch" }>[];
  assert.equal(ifElse!.exhaustive, true);
  assert.deepEqual(ifElse!.arms.map((a) => (a.body[0] as Extract<IrNode, { kind: "exit" }>).leaves), ["function", "process"]);
  assert.equal(sw!.exhaustive, true);
  assert.equal((sw!.arms[0]!.body[0] as Extract<IrNode, { kind: "exit" }>).leaves, "process");
  assert.equal(ts!.exhaustive, false);
  assert.equal(sel!.exhaustive, true, "select waits until one case runs");
});

test("switch on the ABI gives abi-at-least arms", () => {
  const body = mainBody(`
	abi, _, _ := unix.Syscall(unix.SYS_LANDLOCK_CREATE_RULESET, 0, 0, unix.LANDLOCK_CREATE_RULESET_VERSION)
	switch abi {
	case 8, 9:
		unix.Syscall(446, 3, 8, 0)
	default:
		os.Exit(1)
	}`);
  const sw = nodesOfKind(body, "branch")[0]!;
  assert.deepEqual(sw.arms[0]!.cond, { kind: "abi-at-least", abi: 8, negated: false });
});

test("results: a statement or `_` ignores it; a tested or returned error checks it, and a returned one is handed to the caller", () => {
  const ir = irOf(`${HEADER}
func ignored() {
	syscall.Syscall(446, 3, 0, 0)
	_, _, _ = syscall.Syscall(446, 3, 0, 0)
}

func returned() error {
	_, _, errno := syscall.Syscall(446, 3, 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

func direct() error {
	_, _, e := unix.Syscall(446, 3, 0, 0)
	return e
}

func logged() {
	_, _, e := unix.Syscall(446, 3, 0, 0)
	log.Printf("restrict: %v", e)
}

func main() {
	returned()
	if err := direct(); err != nil {
		log.Fatal(err)
	}
}
`);
  assert.deepEqual(opsOfType(fn(ir, "ignored").body, "restrict").map((r) => r.resultChecked), ["no", "no"]);
  const ret = onlyOp(fn(ir, "returned").body, "restrict");
  assert.equal(ret.resultChecked, "yes");
  assert.equal(ret.resultReturned, true);
  assert.equal(onlyOp(fn(ir, "direct").body, "restrict").resultReturned, true);
  assert.equal(onlyOp(fn(ir, "logged").body, "restrict").resultChecked, "maybe");
  const calls = opsOfType(fn(ir, "main").body, "call");
  assert.deepEqual(calls.map((c) => [c.callee, c.resultChecked]), [["returned", "no"], ["direct", "yes"]]);
});

test("unix.Prctl(PR_SET_NO_NEW_PRIVS, 1, ...) and raw prctl set no_new_privs; PR_GET does not", () => {
  const body = mainBody(`
	unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
	syscall.Syscall(syscall.SYS_PRCTL, 38, 1, 0)
	unix.Prctl(unix.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)`);
  assert.equal(opsOfType(body, "no-new-privs").length, 2);
});

test("os.Geteuid() != 0 then exit: what follows runs as root (CAP_SYS_ADMIN)", () => {
  const body = mainBody(`
	if os.Geteuid() != 0 {
		log.Fatal("must run as root")
	}
	syscall.Syscall(446, 3, 0, 0)`);
  assert.deepEqual(ops(body).map((o) => o.type), ["cap-sys-admin", "restrict"]);
});

test("runtime.LockOSThread then restrict then exec: the exec'd program is a single-threaded child in the thread's domain", () => {
  const body = mainBody(`
	runtime.LockOSThread()
	if _, _, e := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, 3, 0, 0); e != 0 {
		log.Fatal(e)
	}
	if err := syscall.Exec("/bin/sh", nil, nil); err != nil {
		log.Fatal(err)
	}`);
  assert.equal(body.length, 1);
  const child = body[0] as Extract<IrNode, { kind: "child" }>;
  assert.equal(child.kind, "child");
  assert.match(child.how, /LockOSThread/);
  assert.deepEqual(ops(child.body).map((o) => o.type), ["restrict", "exec"]);
  // Without the lock the goroutine may move to another thread between restrict and exec.
  const unlocked = mainBody(`
	unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, 3, 0, 0)
	syscall.Exec("/bin/sh", nil, nil)`);
  assert.equal(nodesOfKind(unlocked, "child").length, 0);
});

test("a re-exec'd helper mode gets its own runtime's threads, named in the spawn evidence", () => {
  const ir = irOf(`${HEADER}
func helper() {
	unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, 3, 0, 0)
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "sandbox-helper" {
		helper()
		return
	}
	cmd := exec.Command(os.Args[0], "sandbox-helper")
	cmd.Run()
}
`);
  const body = fn(ir, "main").body;
  const spawn = opsOfType(body, "spawn")[0];
  assert.ok(spawn, JSON.stringify(body));
  assert.match(spawn.mechanism, /re-exec'd helper selected by .*sandbox-helper.* and started by exec\.Command\(os\.Args\[0\]\)/);
  assert.equal(spawn.count, "many");
});

test("comments are collected; a documented per-thread design marks the function", () => {
  const ir = irOf(`package main

// narrow confines the calling thread. By design this is
// per thread: each worker narrows only its own locked thread.
func narrow() {}

// landlock-lint-disable-next-line landlock/single-thread-restrict -- reason
func other() {}
`);
  assert.equal(fn(ir, "narrow").documentedPerThread, true);
  assert.equal(fn(ir, "other").documentedPerThread, undefined);
  assert.equal(ir.comments.length, 3);
  assert.equal(ir.comments[2]!.range.start.line, 7);
});

test("function literals stored in variables become functions of their own; method calls resolve through the receiver type", () => {
  const ir = irOf(`package sandbox

import "syscall"

type Jail struct{ fd uintptr }

func (j *Jail) Enter() error {
	return j.apply()
}

func (j *Jail) apply() error {
	_, _, e := syscall.Syscall(446, j.fd, 0, 0)
	return e
}

func Setup() {
	enter := func() { syscall.Syscall(446, 3, 0, 0) }
	enter()
	helper()
}

func helper() {}
`);
  const call = onlyOp(fn(ir, "Jail.Enter").body, "call");
  assert.equal(call.callee, "j.apply");
  assert.deepEqual(call.calleeCandidates, ["Jail.apply"]);
  assert.ok(fn(ir, "enter"));
  const setupCalls = opsOfType(fn(ir, "sandbox.Setup").body, "call");
  assert.deepEqual(setupCalls.map((c) => [c.callee, c.calleeCandidates ?? []]), [["enter", []], ["helper", ["sandbox.helper"]]]);
});

test("positions are UTF-16 based, as everywhere in the IR", () => {
  const ir = irOf(`package main

import "syscall"

func main() {
	s := "日本語 𝄞"; syscall.Syscall(446, 3, 0, 0)
}
`);
  const r = onlyOp(fn(ir, "main").body, "restrict");
  const line = `\ts := "日本語 𝄞"; `;
  assert.equal(r.range.start.line, 6);
  assert.equal(r.range.start.column, line.length);
});

test("library pieces: versions, release behaviour, build-tag requirements, literals", () => {
  assert.deepEqual(parseGoVersion("v0.10.1"), { major: 0, minor: 10, patch: 1 });
  assert.deepEqual(parseGoVersion("v0.0.0-20250303204525-1544bccde3a3"), { major: 0, minor: 0, patch: 0 });
  assert.equal(parseGoVersion("latest"), undefined);
  assert.equal(releaseUsesTsync("v0.9.0"), true);
  assert.equal(releaseUsesTsync("v0.8.3"), false);
  assert.equal(releaseUsesTsync("v0.0.0-20240216195629-efb66220540a"), false);
  assert.equal(releaseUsesTsync(undefined), true);
  assert.equal(releaseUsesTsync("v1.0.0"), true);
  assert.equal(buildTagRequirement("linux && landlocktsync", "landlocktsync"), "yes");
  assert.equal(buildTagRequirement("linux && !landlocktsync", "landlocktsync"), "no");
  assert.equal(buildTagRequirement("landlocktsync || cgo", "landlocktsync"), "maybe");
  assert.equal(buildTagRequirement("linux", "landlocktsync"), "maybe");
  assert.equal(buildTagRequirement("(linux && landlocktsync) || (darwin && landlocktsync)", "landlocktsync"), "yes");
  assert.equal(buildTagRequirement("linux && (", "landlocktsync"), "maybe");
  assert.equal(goLandlockLibrary({ tsyncTag: "maybe", bestEffort: false, scoped: false, version: "v0.9.0" }).fallbackBelowTsync, "per-thread");
  assert.equal(parseGoInt("0o17"), 15n);
  assert.equal(parseGoInt("017"), 15n);
  assert.equal(parseGoInt("1_000"), 1000n);
  assert.equal(parseGoInt("0x1p4"), undefined);
  assert.equal(decodeGoString("\\x00name"), "\0name");
  assert.equal(decodeGoString("\\000a\\u00e9"), "\0aé");
});

test("syscall stubs: a function that only forwards its parameters to the syscall is the API; its call sites are the ops", () => {
  const ir = irOf(`${HEADER}
func landlockRestrictSelf(fd int, flags uint32) error {
	if _, _, errno := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, uintptr(fd), uintptr(flags), 0); errno != 0 {
		return errno
	}
	return nil
}

func landlock_create_ruleset(attr unsafe.Pointer, size uintptr, flags uint32) (int, error) {
	fd, _, e := syscall.Syscall(444, uintptr(attr), size, uintptr(flags))
	return int(fd), e
}

func main() {
	abi, _ := landlock_create_ruleset(nil, 0, 1)
	if abi < 8 {
		os.Exit(1)
	}
	landlockRestrictSelf(3, 1<<3)
}
`);
  assert.deepEqual(ops(fn(ir, "landlockRestrictSelf").body), [], "nothing inside the stub");
  assert.deepEqual(ops(fn(ir, "landlock_create_ruleset").body), []);
  const body = fn(ir, "main").body;
  assert.equal(onlyOp(body, "abi-query").api, "landlock_create_ruleset");
  const r = onlyOp(body, "restrict");
  assert.equal(r.api, "landlockRestrictSelf");
  assert.equal(r.flags.tsync, "yes");
  assert.equal(r.resultChecked, "no");
});

test("go.mod: require lines and blocks, replace directives, the nearest go.mod above a file", async () => {
  const { parseGoMod, goModFactsFor } = await import("../src/frontends/go/go-mod.js");
  assert.deepEqual(parseGoMod("module example.org/a\n\ngo 1.22\n\nrequire github.com/landlock-lsm/go-landlock v0.4.0\n"), {
    file: "go.mod",
    module: "example.org/a",
    goLandlockVersion: "v0.4.0",
  });
  const block = parseGoMod(`module x
require (
	golang.org/x/sys v0.21.0 // indirect
	github.com/landlock-lsm/go-landlock v0.9.0
)
replace github.com/landlock-lsm/go-landlock => github.com/acme/go-landlock v0.9.2-acme.1
`);
  assert.equal(block.goLandlockVersion, "v0.9.2-acme.1");
  assert.match(block.note ?? "", /acme/);
  const local = parseGoMod("module x\nrequire github.com/landlock-lsm/go-landlock v0.9.0\nreplace github.com/landlock-lsm/go-landlock => ../go-landlock\n");
  assert.equal(local.goLandlockVersion, undefined);
  assert.match(local.note ?? "", /local directory/);
  assert.equal(parseGoMod("module x\n").goLandlockVersion, undefined);
  const { FIXTURES } = await import("./fixture-harness.js");
  const { join } = await import("node:path");
  const facts = goModFactsFor(join(FIXTURES, "go", "relayd", "cmd", "relayd", "main.go"));
  assert.equal(facts?.module, "example.org/relayd");
  assert.equal(goModFactsFor(join(FIXTURES, "go", "mirrord", "sandbox.go"))?.goLandlockVersion, "v0.9.0");
  assert.equal(goModFactsFor(join(FIXTURES, "go", "abi8", "missing-nnp.go"), join(FIXTURES, "go")), undefined);
});

test("helper dispatch: a switch on os.Args[1], and a helper flag in a program that runs itself again", () => {
  const viaSwitch = fn(
    irOf(`${HEADER}
func main() {
	switch os.Args[1] {
	case "serve":
		unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, 3, 0, 0)
	case "jail-child":
		unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, 3, 0, 0)
	}
	exec.Command("/proc/self/exe", "jail-child").Run()
}
`),
    "main",
  ).body;
  const sw = nodesOfKind(viaSwitch, "branch")[0]!;
  assert.equal(opsOfType(sw.arms[0]!.body, "spawn").length, 0, "a user subcommand is not a helper");
  const helper = opsOfType(sw.arms[1]!.body, "spawn")[0];
  assert.match(helper?.mechanism ?? "", /re-exec'd helper selected by case "jail-child" and started by exec\.Command\("\/proc\/self\/exe"\)/);
  const viaFlag = fn(
    irOf(`${HEADER}
var sandboxHelper = flag.Bool("sandbox-helper", false, "internal")

func main() {
	flag.Parse()
	if *sandboxHelper {
		unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, 3, 0, 0)
		return
	}
	self, _ := os.Executable()
	exec.Command(self, "-sandbox-helper").Run()
}
`),
    "main",
  ).body;
  assert.match(opsOfType(viaFlag, "spawn")[0]?.mechanism ?? "", /presumed re-exec'd helper selected by \*sandboxHelper/);
  const noReexec = fn(irOf(`${HEADER}\nfunc main() {\n\tif *sandboxHelper {\n\t\tunix.Syscall(446, 3, 0, 0)\n\t}\n}\n`), "main").body;
  assert.equal(opsOfType(noReexec, "spawn").length, 0, "no re-exec in the file: an ordinary flag");
});

test("loops: constant bounds, literal lengths and retry-on-failure loops are told to the checks", () => {
  const ir = irOf(`${HEADER}
func main() {
	for i := 0; i < 3; i++ {
		syscall.Syscall(446, 3, 8, 0)
	}
	layers := []uint64{1, 2}
	for i := 0; i < len(layers); i++ {
	}
	for _, d := range []string{"a", "b", "c", "d"} {
		_ = d
	}
	for i := 0; i <= n; i++ {
	}
	for {
		_, _, e := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, 3, 8, 0)
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			os.Exit(1)
		}
		break
	}
	for {
		_, _, e := unix.Syscall(unix.SYS_LANDLOCK_RESTRICT_SELF, 3, 8, 0)
		if e == 0 {
			continue
		}
		break
	}
}
`);
  const loops = nodesOfKind(fn(ir, "main").body, "loop");
  assert.deepEqual(loops.map((l) => l.maxIterations), [3, 2, 4, undefined, undefined, undefined]);
  assert.deepEqual(loops.map((l) => l.repeatCond?.kind), [undefined, undefined, undefined, undefined, "error-path", undefined], "only the loop that continues on failure is a retry loop");
});

test("HTTP handlers run once per request: named ones are marked, literal ones are a loop", () => {
  const ir = irOf(`package main

import "net/http"

type api struct{}

func (a *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {}

func albums(w http.ResponseWriter, r *http.Request) {}

func main() {
	http.HandleFunc("/albums", albums)
	http.HandleFunc("/x", func(w http.ResponseWriter, r *http.Request) { albums(w, r) })
}
`);
  assert.match(fn(ir, "albums").runsRepeatedly?.how ?? "", /HandleFunc/);
  assert.match(fn(ir, "api.ServeHTTP").runsRepeatedly?.how ?? "", /ServeHTTP/);
  assert.equal(fn(ir, "main").runsRepeatedly, undefined);
  assert.equal(nodesOfKind(fn(ir, "main").body, "loop").length, 1);
});

test("a pid parameter makes the caller's argument the signal target", () => {
  const ir = irOf(`${HEADER}
func notify(pid int) {
	unix.Kill(pid, unix.SIGUSR1)
}

func setOwner(fd uintptr, owner int) {
	unix.FcntlInt(fd, unix.F_SETOWN, owner)
}

func main() {
	notify(os.Getppid())
	notify(os.Getppid())
	setOwner(3, os.Getpid())
	setOwner(4, os.Getppid())
}
`);
  const kill = onlyOp(fn(ir, "notify").body, "signal");
  assert.equal(kill.targetParam, 0);
  assert.equal(kill.target, "parent", "every caller in the file passes the parent");
  const setown = onlyOp(fn(ir, "setOwner").body, "setown");
  assert.equal(setown.targetParam, 1);
  assert.equal(setown.target, "unknown", "callers disagree");
  const calls = opsOfType(fn(ir, "main").body, "call");
  assert.deepEqual(calls.map((c) => c.argTargets), [[{ index: 0, target: "parent" }], [{ index: 0, target: "parent" }], [{ index: 1, target: "own-process" }], [{ index: 1, target: "parent" }]]);
});
