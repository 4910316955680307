// The Go fixtures are real Go: every program is type-checked with `go vet` (the
// distribution's toolchain, offline) against stand-ins for the modules that cannot be
// fetched here (golang.org/x/sys/unix, libcap's psx, go-landlock, x/sync/errgroup). The
// stand-ins declare, with the real packages' signatures, the identifiers the fixtures use;
// what is checked is the fixtures' own code: types, unused variables and imports, calls.
// Skipped, with the reason, when `go` is not installed.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { FIXTURES } from "./fixture-harness.js";

const STAND_INS: [string, string][] = [
  ["sys/go.mod", "module golang.org/x/sys\ngo 1.19\n"],
  ["sys/unix/unix.go", "// Package unix: a stand-in with the real signatures of golang.org/x/sys/unix used by the fixtures.\npackage unix\n\nimport \"syscall\"\n\ntype Errno = syscall.Errno\ntype Signal = syscall.Signal\n\nconst (\n\tEINTR   = syscall.EINTR\n\tEINVAL  = syscall.EINVAL\n\tENOTSUP = syscall.ENOTSUP\n\tF_SETFL = 0x4\n\tF_SETOWN = 0x8\n\tO_ASYNC = 0x2000\n\tO_CLOEXEC = 0x80000\n\tO_NOCTTY = 0x100\n\tO_NONBLOCK = 0x800\n\tO_PATH = 0x200000\n\tPR_SET_NO_NEW_PRIVS = 0x26\n\tSIGHUP = syscall.Signal(0x1)\n\tSIGTERM = syscall.Signal(0xf)\n\tSIGURG = syscall.Signal(0x17)\n\tSIGUSR1 = syscall.Signal(0xa)\n\tSIGUSR2 = syscall.Signal(0xc)\n\tSYS_LANDLOCK_ADD_RULE = 445\n\tSYS_LANDLOCK_CREATE_RULESET = 444\n\tSYS_LANDLOCK_RESTRICT_SELF = 446\n\tSYS_PRCTL = 157\n\tSYS_SETUID = 105\n\tLANDLOCK_ACCESS_FS_EXECUTE = 0x1\n\tLANDLOCK_ACCESS_FS_WRITE_FILE = 0x2\n\tLANDLOCK_ACCESS_FS_READ_FILE = 0x4\n\tLANDLOCK_ACCESS_FS_READ_DIR = 0x8\n\tLANDLOCK_ACCESS_FS_REMOVE_DIR = 0x10\n\tLANDLOCK_ACCESS_FS_REMOVE_FILE = 0x20\n\tLANDLOCK_ACCESS_FS_MAKE_DIR = 0x80\n\tLANDLOCK_ACCESS_FS_MAKE_REG = 0x100\n\tLANDLOCK_ACCESS_FS_MAKE_FIFO = 0x400\n\tLANDLOCK_CREATE_RULESET_VERSION = 0x1\n\tLANDLOCK_RULE_PATH_BENEATH = 0x1\n\tLANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET = 0x1\n\tLANDLOCK_SCOPE_SIGNAL = 0x2\n)\n\ntype LandlockRulesetAttr struct {\n\tAccess_fs  uint64\n\tAccess_net uint64\n\tScoped     uint64\n}\n\ntype LandlockPathBeneathAttr struct {\n\tAllowed_access uint64\n\tParent_fd      int32\n}\n\ntype Sockaddr interface{}\ntype SockaddrUnix struct{ Name string }\n\nfunc Close(fd int) error                                   { return nil }\nfunc FcntlInt(fd uintptr, cmd int, arg int) (int, error)   { return 0, nil }\nfunc Getpid() int                                          { return 0 }\nfunc Gettid() int                                          { return 0 }\nfunc Kill(pid int, sig syscall.Signal) error               { return nil }\nfunc Open(path string, mode int, perm uint32) (int, error) { return 0, nil }\nfunc Prctl(option int, arg2, arg3, arg4, arg5 uintptr) error { return nil }\nfunc Setsid() (int, error)                                 { return 0, nil }\nfunc Syscall(trap, a1, a2, a3 uintptr) (r1, r2 uintptr, err syscall.Errno) { return }\nfunc Syscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) (r1, r2 uintptr, err syscall.Errno) { return }\nfunc Tgkill(tgid, tid int, sig syscall.Signal) error       { return nil }\nfunc Connect(fd int, sa Sockaddr) error                    { return nil }\n"],
  ["psx/go.mod", "module kernel.org/pub/linux/libs/security/libcap/psx\ngo 1.19\n"],
  ["psx/psx.go", "package psx\n\nimport \"syscall\"\n\nfunc Syscall3(syscallnr, arg1, arg2, arg3 uintptr) (uintptr, uintptr, syscall.Errno) { return 0, 0, 0 }\nfunc Syscall6(syscallnr, arg1, arg2, arg3, arg4, arg5, arg6 uintptr) (uintptr, uintptr, syscall.Errno) { return 0, 0, 0 }\n"],
  ["go-landlock/go.mod", "module github.com/landlock-lsm/go-landlock\ngo 1.19\n"],
  ["go-landlock/landlock/landlock.go", "package landlock\n\ntype Config struct{ v int; be bool }\ntype Rule interface{ rule() }\ntype fsRule struct{}\n\nfunc (fsRule) rule() {}\n\nvar V3, V5, V6 = Config{v: 3}, Config{v: 5}, Config{v: 6}\n\nfunc (c Config) BestEffort() Config              { c.be = true; return c }\nfunc (c Config) RestrictPaths(rules ...Rule) error { return nil }\nfunc (c Config) RestrictNet(rules ...Rule) error   { return nil }\nfunc (c Config) Restrict(rules ...Rule) error      { return nil }\nfunc (c Config) RestrictScoped() error             { return nil }\nfunc RODirs(paths ...string) Rule                  { return fsRule{} }\nfunc ROFiles(paths ...string) Rule                 { return fsRule{} }\nfunc RWDirs(paths ...string) Rule                  { return fsRule{} }\n"],
  ["go-landlock/landlock/syscall/syscall.go", "package syscall\n\nconst (\n\tAccessFSWriteFile = 1 << 1\n\tAccessFSReadFile  = 1 << 2\n\tAccessFSReadDir   = 1 << 3\n\tAccessFSMakeDir   = 1 << 7\n\tAccessFSMakeReg   = 1 << 8\n)\n\ntype RulesetAttr struct{ HandledAccessFS, HandledAccessNet, Scoped uint64 }\ntype PathBeneathAttr struct {\n\tAllowedAccess uint64\n\tParentFd      int\n}\n\nfunc LandlockCreateRuleset(attr *RulesetAttr, flags int) (int, error)                 { return 0, nil }\nfunc LandlockAddPathBeneathRule(rulesetFd int, attr *PathBeneathAttr, flags int) error { return nil }\nfunc LandlockRestrictSelf(rulesetFd int, flags int) error                             { return nil }\nfunc AllThreadsPrctl(option int, arg2, arg3, arg4, arg5 uintptr) error                { return nil }\n"],
  ["sync/go.mod", "module golang.org/x/sync\ngo 1.19\n"],
  ["sync/errgroup/errgroup.go", "package errgroup\n\nimport \"context\"\n\ntype Group struct{}\n\nfunc WithContext(ctx context.Context) (*Group, context.Context) { return &Group{}, ctx }\nfunc (g *Group) Go(f func() error)                            {}\nfunc (g *Group) Wait() error                                  { return nil }\n"]
];

const MODULES: [string, string][] = [
  ["golang.org/x/sys", "sys"],
  ["kernel.org/pub/linux/libs/security/libcap/psx", "psx"],
  ["github.com/landlock-lsm/go-landlock", "go-landlock"],
  ["golang.org/x/sync", "sync"],
];

function goMod(module: string, standIns: string): string {
  const require = MODULES.map(([m]) => `\t${m} v0.0.0`).join("\n");
  const replace = MODULES.map(([m, dir]) => `replace ${m} => ${join(standIns, dir)}`).join("\n");
  return `module ${module}\n\ngo 1.19\n\nrequire (\n${require}\n)\n\n${replace}\n`;
}

function goFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? goFiles(p) : name.endsWith(".go") ? [p] : [];
    });
}

/** The folder of the go.mod a fixture belongs to, if any. */
function moduleRoot(file: string, top: string): string | undefined {
  for (let dir = dirname(file); dir.startsWith(top); dir = dirname(dir)) {
    if (existsSync(join(dir, "go.mod"))) return dir;
    if (dir === top) break;
  }
  return undefined;
}

test("every Go fixture program type-checks (go vet) against stand-ins of its dependencies", (t) => {
  const version = spawnSync("go", ["version"], { encoding: "utf8" });
  if (version.error || version.status !== 0) return t.skip("go is not installed (Debian: apt-get install golang-go)");
  const top = join(FIXTURES, "go");
  const work = mkdtempSync(join(tmpdir(), "landlock-go-vet-"));
  try {
    const standIns = join(work, "stand-ins");
    for (const [path, text] of STAND_INS) {
      mkdirSync(dirname(join(standIns, path)), { recursive: true });
      writeFileSync(join(standIns, path), text);
    }
    const env = { ...process.env, GOTOOLCHAIN: "local", GOPROXY: "off", GOSUMDB: "off", GOFLAGS: "-mod=mod", CGO_ENABLED: "0", GOPATH: join(work, "gopath"), GOCACHE: join(work, "gocache") };
    // Loose files: one package each, in one module. Programs with a go.mod: their own module.
    const loose = join(work, "loose");
    mkdirSync(loose);
    writeFileSync(join(loose, "go.mod"), goMod("fixtures.test/loose", standIns));
    const modules = new Set<string>();
    let programs = 0;
    for (const file of goFiles(top)) {
      const root = moduleRoot(file, top);
      if (root) {
        modules.add(root);
        continue;
      }
      const dir = join(loose, relative(top, file).replace(/[\/.]/g, "_"));
      mkdirSync(dir);
      cpSync(file, join(dir, "main.go"));
      programs++;
    }
    const runs: { dir: string; tags: string; shown: string }[] = [{ dir: loose, tags: "", shown: "fixtures/go (loose files)" }];
    for (const root of modules) {
      const copy = join(work, relative(top, root).replace(/[\/.]/g, "_"));
      cpSync(root, copy, { recursive: true });
      const module = /^module\s+(\S+)/m.exec(readFileSync(join(root, "go.mod"), "utf8"))?.[1] ?? "fixtures.test/module";
      writeFileSync(join(copy, "go.mod"), goMod(module, standIns));
      const tagged = goFiles(copy).some((f) => /^\/\/go:build.*\blandlocktsync\b/m.test(readFileSync(f, "utf8")));
      runs.push({ dir: copy, tags: tagged ? "landlocktsync" : "", shown: relative(join(FIXTURES, ".."), root) });
      programs++;
    }
    const problems: string[] = [];
    for (const run of runs) {
      const r = spawnSync("go", ["vet", "-tags", run.tags, "./..."], { cwd: run.dir, env, encoding: "utf8", timeout: 300_000 });
      if (r.status !== 0) problems.push(`${run.shown}:\n${(r.stderr || r.error?.message || "").trim()}`);
    }
    t.diagnostic(`${programs} Go programs vetted with ${version.stdout.trim()}`);
    assert.deepEqual(problems, []);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
