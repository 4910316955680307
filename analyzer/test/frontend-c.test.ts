// IR shape of the C front-end, construct by construct, on small realistic snippets.

import { test } from "node:test";
import assert from "node:assert/strict";
import { fn, irOf, nodesOfKind, onlyOp, ops, opsOfType, opsWithContext, shape, textAt } from "./frontend-c-helpers.js";

const SHIMS = `
#include <linux/landlock.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifndef landlock_create_ruleset
static inline int landlock_create_ruleset(const struct landlock_ruleset_attr *const attr, const size_t size, const __u32 flags)
{
	return syscall(__NR_landlock_create_ruleset, attr, size, flags);
}
#endif
#ifndef landlock_restrict_self
static inline int landlock_restrict_self(const int ruleset_fd, const __u32 flags)
{
	return syscall(__NR_landlock_restrict_self, ruleset_fd, flags);
}
#endif
`;

// ---------------------------------------------------------------------------------------------
// Functions

test("one IrFunction per definition; main is the entry; ranges cover the definition and name", () => {
  const code = `static int helper(int x) { return x + 1; }\nint main(int argc, char **argv) { return helper(argc); }\n`;
  const ir = irOf(code);
  assert.deepEqual(ir.functions.map((f) => [f.name, f.isEntry]), [["helper", false], ["main", true]]);
  const main = fn(ir, "main");
  assert.equal(textAt(code, main.nameRange), "main");
  assert.ok(textAt(code, main.range).startsWith("int main"));
  assert.deepEqual(shape(main.body), ["call:helper", "exit"]);
  assert.equal(onlyOp(main.body, "call").resultReturned, true);
});

test("canonical landlock_* shims emit nothing; their callers' calls are the ops", () => {
  const ir = irOf(SHIMS + `int main(void) { return landlock_restrict_self(3, 0); }`);
  assert.deepEqual(fn(ir, "landlock_restrict_self").body.filter((n) => n.kind === "op"), []);
  assert.deepEqual(fn(ir, "landlock_create_ruleset").body.filter((n) => n.kind === "op"), []);
  const r = onlyOp(fn(ir, "main").body, "restrict");
  assert.equal(r.api, "landlock_restrict_self");
  assert.equal(r.resultReturned, true);
});

// ---------------------------------------------------------------------------------------------
// restrict_self: the call forms

test("restrict_self is recognised directly, through syscall(__NR_/SYS_/446) and through libpsx", () => {
  const ir = irOf(`
#include <sys/psx_syscall.h>
void a(int fd) { landlock_restrict_self(fd, 0); }
void b(int fd) { syscall(__NR_landlock_restrict_self, fd, 0); }
void c(int fd) { syscall(SYS_landlock_restrict_self, fd, 0); }
void d(int fd) { syscall(446, fd, 0); }
void e(int fd) { psx_syscall3(SYS_landlock_restrict_self, fd, 0, 0); }
void f(int fd) { psx_syscall3(446, fd, 0, 0); }
`);
  const got = ir.functions.map((f) => {
    const r = onlyOp(f.body, "restrict");
    return [f.name, r.api, r.mechanism];
  });
  assert.deepEqual(got, [
    ["a", "landlock_restrict_self", "syscall"],
    ["b", "syscall(__NR_landlock_restrict_self)", "syscall"],
    ["c", "syscall(SYS_landlock_restrict_self)", "syscall"],
    ["d", "syscall(446)", "syscall"],
    ["e", "psx_syscall3(SYS_landlock_restrict_self)", "libpsx"],
    ["f", "psx_syscall3(446)", "libpsx"],
  ]);
});

test("the callee range underlines the function name and the flags range the flags argument", () => {
  const code = `void f(int fd) { if (landlock_restrict_self(fd, LANDLOCK_RESTRICT_SELF_TSYNC)) abort(); }`;
  const r = onlyOp(fn(irOf(code), "f").body, "restrict");
  assert.equal(textAt(code, r.calleeRange), "landlock_restrict_self");
  assert.equal(textAt(code, r.range), "landlock_restrict_self(fd, LANDLOCK_RESTRICT_SELF_TSYNC)");
  assert.equal(r.flags.text, "LANDLOCK_RESTRICT_SELF_TSYNC");
  assert.equal(textAt(code, r.flags.range!), "LANDLOCK_RESTRICT_SELF_TSYNC");
});

test("settings.restrictWrappers names are restrict points, with flags found among the arguments", () => {
  const code = `void f(int fd) { if (apply_sandbox(fd, LANDLOCK_RESTRICT_SELF_TSYNC) != 0) exit(1); enforce_policy("x"); }`;
  const ir = irOf(code, { settings: { restrictWrappers: ["apply_sandbox", "enforce_policy"] } });
  const [a, b] = opsOfType(fn(ir, "f").body, "restrict");
  assert.equal(a!.api, "apply_sandbox");
  assert.equal(a!.flags.tsync, "yes");
  assert.equal(a!.resultChecked, "yes");
  assert.equal(b!.api, "enforce_policy");
  assert.equal(b!.flags.tsync, "maybe");
  assert.equal(b!.resultChecked, "no");
  // Without the setting they are ordinary calls.
  assert.deepEqual(opsOfType(fn(irOf(code), "f").body, "restrict"), []);
});

test("a function-like macro expanding to the syscall is a restrict point with the macro's arguments", () => {
  const ir = irOf(`
#define my_restrict(fd, fl) syscall(__NR_landlock_restrict_self, fd, fl)
void f(int fd) { if (my_restrict(fd, LANDLOCK_RESTRICT_SELF_TSYNC)) abort(); }
`);
  const r = onlyOp(fn(ir, "f").body, "restrict");
  assert.equal(r.api, "my_restrict");
  assert.equal(r.flags.tsync, "yes");
  assert.equal(r.flags.text, "LANDLOCK_RESTRICT_SELF_TSYNC");
});

// ---------------------------------------------------------------------------------------------
// Flags

function flagsOf(body: string, prelude = ""): ReturnType<typeof onlyOp<"restrict">>["flags"] {
  return onlyOp(fn(irOf(`${prelude}\nvoid f(int fd, int abi) {\n${body}\n}\n`), "f").body, "restrict").flags;
}

test("flags: UAPI macros, numbers, shifts and | combinations evaluate to values", () => {
  assert.deepEqual(
    [
      flagsOf("landlock_restrict_self(fd, LANDLOCK_RESTRICT_SELF_TSYNC);"),
      flagsOf("landlock_restrict_self(fd, 1U << 3);"),
      flagsOf("landlock_restrict_self(fd, 8);"),
      flagsOf("landlock_restrict_self(fd, 0x8);"),
      flagsOf("landlock_restrict_self(fd, LANDLOCK_RESTRICT_SELF_TSYNC | LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF);"),
      flagsOf("landlock_restrict_self(fd, 0);"),
    ].map((f) => [f.tsync, f.logSubdomainsOff, f.value]),
    [
      ["yes", "no", 8],
      ["yes", "no", 8],
      ["yes", "no", 8],
      ["yes", "no", 8],
      ["yes", "yes", 12],
      ["no", "no", 0],
    ],
  );
  const all = flagsOf("landlock_restrict_self(fd, LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF | LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON | LANDLOCK_RESTRICT_SELF_NO_NEW_PRIVS);");
  assert.deepEqual([all.logSameExecOff, all.logNewExecOn, all.noNewPrivs, all.tsync, all.value], ["yes", "yes", "yes", "no", 19]);
});

test("flags: local #defines, enum values and const globals", () => {
  assert.equal(flagsOf("landlock_restrict_self(fd, MY_FLAGS);", "#define MY_FLAGS (LANDLOCK_RESTRICT_SELF_TSYNC | 4)").value, 12);
  assert.equal(flagsOf("landlock_restrict_self(fd, SYNC_ALL);", "enum { NONE = 0, LOGS = 1U << 2, SYNC_ALL = LOGS << 1 };").tsync, "yes");
  assert.equal(flagsOf("landlock_restrict_self(fd, SECOND);", "enum { FIRST = 7, SECOND };").value, 8);
  assert.equal(flagsOf("landlock_restrict_self(fd, kFlags);", "static const unsigned kFlags = 1U << 3;").tsync, "yes");
  // Alternative definitions under #if: either may apply.
  const alt = flagsOf("landlock_restrict_self(fd, RFLAGS);", "#ifdef USE_TSYNC\n#define RFLAGS LANDLOCK_RESTRICT_SELF_TSYNC\n#else\n#define RFLAGS 0\n#endif");
  assert.equal(alt.tsync, "maybe");
});

test("flags: a variable assigned earlier in the function, and updated", () => {
  assert.equal(flagsOf("__u32 flags = LANDLOCK_RESTRICT_SELF_TSYNC;\nlandlock_restrict_self(fd, flags);").tsync, "yes");
  assert.equal(flagsOf("__u32 flags = 0;\nflags |= LANDLOCK_RESTRICT_SELF_TSYNC;\nlandlock_restrict_self(fd, flags);").tsync, "yes");
  assert.equal(flagsOf("__u32 flags = LANDLOCK_RESTRICT_SELF_TSYNC;\nflags &= ~LANDLOCK_RESTRICT_SELF_TSYNC;\nlandlock_restrict_self(fd, flags);").tsync, "no");
  assert.equal(flagsOf("__u32 flags = read_flags();\nlandlock_restrict_self(fd, flags);").tsync, "maybe");
  assert.equal(flagsOf("landlock_restrict_self(fd, opts->flags);").tsync, "maybe");
});

test("flags: TSYNC only when the ABI test holds (ternary, if-or-assign, if/else)", () => {
  const ternary = flagsOf("landlock_restrict_self(fd, abi >= 8 ? LANDLOCK_RESTRICT_SELF_TSYNC : 0);");
  assert.deepEqual([ternary.tsync, ternary.tsyncIfAbiAtLeast], ["maybe", 8]);
  const negated = flagsOf("landlock_restrict_self(fd, abi < 8 ? 0 : LANDLOCK_RESTRICT_SELF_TSYNC);");
  assert.deepEqual([negated.tsync, negated.tsyncIfAbiAtLeast], ["maybe", 8]);
  const orAssign = flagsOf("__u32 flags = 0;\nif (abi >= 8)\n  flags |= LANDLOCK_RESTRICT_SELF_TSYNC;\nlandlock_restrict_self(fd, flags);");
  assert.deepEqual([orAssign.tsync, orAssign.tsyncIfAbiAtLeast], ["maybe", 8]);
  const ifElse = flagsOf("__u32 flags;\nif (abi > 7) flags = LANDLOCK_RESTRICT_SELF_TSYNC; else flags = 0;\nlandlock_restrict_self(fd, flags);");
  assert.deepEqual([ifElse.tsync, ifElse.tsyncIfAbiAtLeast], ["maybe", 8]);
  // The kernel documentation's pattern: a switch (abi) whose cases below 8 clear TSYNC.
  const switched = flagsOf(`__u32 restrict_flags = LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON | LANDLOCK_RESTRICT_SELF_TSYNC;
switch (abi) {
case 1 ... 6:
	restrict_flags &= ~LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON;
	__attribute__((fallthrough));
case 7:
	restrict_flags &= ~LANDLOCK_RESTRICT_SELF_TSYNC;
}
landlock_restrict_self(fd, restrict_flags);`);
  assert.deepEqual([switched.tsync, switched.tsyncIfAbiAtLeast, switched.logNewExecOn], ["maybe", 8, "maybe"]);
  // A test mixed with something else does not make TSYNC ABI-conditional.
  const mixed = flagsOf("landlock_restrict_self(fd, abi >= 8 && want_sync ? LANDLOCK_RESTRICT_SELF_TSYNC : 0);");
  assert.deepEqual([mixed.tsync, mixed.tsyncIfAbiAtLeast], ["maybe", undefined]);
  // A condition that is not about the ABI: TSYNC is merely "maybe".
  const other = flagsOf("__u32 flags = 0;\nif (getenv(\"X\")) flags |= LANDLOCK_RESTRICT_SELF_TSYNC;\nlandlock_restrict_self(fd, flags);");
  assert.deepEqual([other.tsync, other.tsyncIfAbiAtLeast], ["maybe", undefined]);
});

// ---------------------------------------------------------------------------------------------
// Rulesets

test("ruleset attr from a designated initialiser, linked to restrict through the fd variable", () => {
  const code = `
int sandbox(void) {
	struct landlock_ruleset_attr attr = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE,
		.handled_access_net = LANDLOCK_ACCESS_NET_CONNECT_TCP,
		.scoped = LANDLOCK_SCOPE_SIGNAL | LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET,
	};
	int ruleset_fd = landlock_create_ruleset(&attr, sizeof(attr), 0);
	if (ruleset_fd < 0)
		return -1;
	if (landlock_restrict_self(ruleset_fd, 0))
		return -1;
	return 0;
}`;
  const body = fn(irOf(code), "sandbox").body;
  const create = onlyOp(body, "create-ruleset");
  assert.deepEqual(create.ruleset, {
    scopes: ["signal", "abstract_unix_socket"],
    scopesKnown: true,
    neededAbi: 6,
    neededFor: ["LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET", "LANDLOCK_SCOPE_SIGNAL"],
    maskedByAbi: false,
  });
  assert.equal(create.resultChecked, "yes");
  const restrict = onlyOp(body, "restrict");
  assert.equal(restrict.fd, "ruleset");
  assert.deepEqual(restrict.ruleset, create.ruleset);
  assert.equal(textAt(code, restrict.rulesetRange!), "landlock_create_ruleset(&attr, sizeof(attr), 0)");
});

test("ruleset attr assembled by assignments; neededAbi from the rights (REFER 2, TRUNCATE 3, TCP 4, IOCTL_DEV 5)", () => {
  const needed = (assignments: string) =>
    onlyOp(
      fn(irOf(`void f(void) { struct landlock_ruleset_attr attr = {0};\n${assignments}\nint fd = landlock_create_ruleset(&attr, sizeof attr, 0); landlock_restrict_self(fd, 0); }`), "f").body,
      "create-ruleset",
    ).ruleset;
  assert.deepEqual([needed("attr.handled_access_fs = LANDLOCK_ACCESS_FS_REFER;").neededAbi, needed("attr.handled_access_fs = LANDLOCK_ACCESS_FS_REFER;").neededFor], [2, ["LANDLOCK_ACCESS_FS_REFER"]]);
  assert.equal(needed("attr.handled_access_fs = LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_EXECUTE;").neededAbi, 3);
  assert.equal(needed("attr.handled_access_net = LANDLOCK_ACCESS_NET_BIND_TCP;").neededAbi, 4);
  assert.equal(needed("attr.handled_access_fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;").neededAbi, 5);
  assert.equal(needed("attr.handled_access_fs = LANDLOCK_ACCESS_FS_RESOLVE_UNIX;").neededAbi, 9);
  assert.equal(needed("attr.handled_access_net = LANDLOCK_ACCESS_NET_BIND_UDP;").neededAbi, 10);
  assert.deepEqual(needed("attr.scoped = LANDLOCK_SCOPE_SIGNAL;").scopes, ["signal"]);
  assert.deepEqual(needed("attr.handled_access_fs = LANDLOCK_ACCESS_FS_EXECUTE;"), { scopes: [], scopesKnown: true, neededAbi: 1, neededFor: [], maskedByAbi: false });
  assert.equal(needed("attr.scoped = compute_scopes();").scopesKnown, false);
});

test("best-effort masking by ABI (switch with fallthrough, if (abi < 6)) sets maskedByAbi", () => {
  const sandboxer = `
int main(void) {
	struct landlock_ruleset_attr ruleset_attr = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_REFER | LANDLOCK_ACCESS_FS_TRUNCATE,
		.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL,
	};
	int abi = landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0)
		return 1;
	switch (abi) {
	case 1:
		ruleset_attr.handled_access_fs &= ~LANDLOCK_ACCESS_FS_REFER;
		__attribute__((fallthrough));
	case 2:
	case 3:
	case 4:
	case 5:
		ruleset_attr.scoped &= ~(LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL);
		__attribute__((fallthrough));
	case 6:
		break;
	}
	int ruleset_fd = landlock_create_ruleset(&ruleset_attr, sizeof(ruleset_attr), 0);
	return ruleset_fd;
}`;
  const create = onlyOp(fn(irOf(sandboxer), "main").body, "create-ruleset");
  assert.equal(create.ruleset.maskedByAbi, true);
  assert.deepEqual(create.ruleset.scopes, ["signal", "abstract_unix_socket"]);
  assert.equal(create.ruleset.neededAbi, 6);
  assert.equal(create.resultReturned, true);

  const ifMasked = onlyOp(
    fn(irOf(`void f(void) { struct landlock_ruleset_attr a = { .scoped = LANDLOCK_SCOPE_SIGNAL };\nint abi = landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);\nif (abi < 6) a.scoped = 0;\nlandlock_create_ruleset(&a, sizeof a, 0); }`), "f").body,
    "create-ruleset",
  );
  assert.equal(ifMasked.ruleset.maskedByAbi, true);
  const unmasked = onlyOp(fn(irOf(`void f(int debug) { struct landlock_ruleset_attr a = { .scoped = LANDLOCK_SCOPE_SIGNAL };\nif (debug) a.scoped = 0;\nlandlock_create_ruleset(&a, sizeof a, 0); }`), "f").body, "create-ruleset");
  assert.equal(unmasked.ruleset.maskedByAbi, false);
});

test("a home-made attr struct for raw syscalls (no UAPI header) is understood", () => {
  const body = fn(
    irOf(`struct ll_attr { unsigned long long fs, net, scoped; };
int main(void) {
    struct ll_attr attr = { .fs = (1U << 1) | (1U << 2), .scoped = (1U << 0) | (1U << 1) };
    long fd = syscall(444, &attr, sizeof(attr), 0);
    if (fd < 0) return 1;
    if (psx_syscall3(446, fd, 0, 0) < 0) return 1;
    return 0;
}`),
    "main",
  ).body;
  const create = onlyOp(body, "create-ruleset");
  assert.deepEqual(create.ruleset.scopes, ["signal", "abstract_unix_socket"]);
  assert.equal(onlyOp(body, "restrict").fd, "ruleset");
});

test("fd: the literal -1 and an unknown descriptor", () => {
  assert.equal(onlyOp(fn(irOf(`void f(void) { landlock_restrict_self(-1, LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF); }`), "f").body, "restrict").fd, "minus-one");
  assert.equal(onlyOp(fn(irOf(`void f(struct ctx *c) { landlock_restrict_self(c->fd, 0); }`), "f").body, "restrict").fd, "unknown");
});

test("add_rule ops with their result checking", () => {
  const body = fn(irOf(`int f(int fd, struct landlock_path_beneath_attr *pb) {
    syscall(__NR_landlock_add_rule, fd, LANDLOCK_RULE_PATH_BENEATH, pb, 0);
    if (landlock_add_rule(fd, LANDLOCK_RULE_PATH_BENEATH, pb, 0)) return -1;
    return 0; }`), "f").body;
  assert.deepEqual(opsOfType(body, "add-rule").map((o) => [o.api, o.resultChecked]), [
    ["syscall(__NR_landlock_add_rule)", "no"],
    ["landlock_add_rule", "yes"],
  ]);
});

// ---------------------------------------------------------------------------------------------
// ABI queries and conditions

test("ABI query, its variable, and conditions comparing it become abi-at-least", () => {
  const ir = irOf(`
void f(int fd) {
	int abi = landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0) exit(1);
	if (abi >= 8) a(); else b();
	if (abi < 8) c();
	if (abi > 7) d();
	if (7 < abi) e();
	if (abi <= 5) g();
}`);
  const body = fn(ir, "f").body;
  assert.equal(onlyOp(body, "abi-query").api, "landlock_create_ruleset");
  const branches = nodesOfKind(body, "branch");
  assert.deepEqual(branches[0]!.arms[0]!.cond, { kind: "error-path" });
  assert.deepEqual(branches[1]!.arms.map((a) => a.cond), [
    { kind: "abi-at-least", abi: 8, negated: false },
    { kind: "abi-at-least", abi: 8, negated: true },
  ]);
  assert.deepEqual(branches[2]!.arms[0]!.cond, { kind: "abi-at-least", abi: 8, negated: true });
  assert.deepEqual(branches[3]!.arms[0]!.cond, { kind: "abi-at-least", abi: 8, negated: false });
  assert.deepEqual(branches[4]!.arms[0]!.cond, { kind: "abi-at-least", abi: 8, negated: false });
  assert.deepEqual(branches[5]!.arms[0]!.cond, { kind: "abi-at-least", abi: 6, negated: true });
});

test("ABI query via syscall 444 with flag 1, and switch (abi) arms", () => {
  const body = fn(irOf(`
void f(void) {
	long abi = syscall(444, NULL, 0, 1);
	switch (abi) {
	case 8: case 9: tsync(); break;
	case 7: one(); break;
	default: other();
	}
}`), "f").body;
  assert.equal(onlyOp(body, "abi-query").api, "syscall(444)");
  const sw = nodesOfKind(body, "branch")[0]!;
  assert.equal(sw.exhaustive, true);
  assert.deepEqual(sw.arms.map((a) => a.cond), [
    { kind: "abi-at-least", abi: 8, negated: false },
    { kind: "abi-at-least", abi: 7, negated: false },
    { kind: "other", text: "default" },
  ]);
  assert.deepEqual(sw.arms.map((a) => shape(a.body)), [["call:tsync"], ["call:one"], ["call:other"]]);
});

test("a helper function returning the ABI makes its callers' variables ABI values", () => {
  const ir = irOf(`
static int ll_abi(void)
{
	int v = landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	return v;
}
int main(void)
{
	int level = ll_abi();
	if (level >= 8) return 1;
	if (ll_abi() < 6) return 2;
	return 0;
}`);
  const branches = nodesOfKind(fn(ir, "main").body, "branch");
  assert.deepEqual(branches[0]!.arms[0]!.cond, { kind: "abi-at-least", abi: 8, negated: false });
  assert.deepEqual(branches[1]!.arms[0]!.cond, { kind: "abi-at-least", abi: 6, negated: true });
});

test("ERRATA queries are not ABI queries", () => {
  const body = fn(irOf(`void f(void) { int e = landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_ERRATA); use(e); }`), "f").body;
  assert.deepEqual(opsOfType(body, "abi-query"), []);
  assert.deepEqual(opsOfType(body, "create-ruleset"), []);
});

// ---------------------------------------------------------------------------------------------
// Result checking

test("restrict result: checked in conditions, through tested or returned variables, by asserts; unchecked as a statement or cast to void", () => {
  const checks = (stmt: string) => onlyOp(fn(irOf(`int f(int fd) { int ret, x; ${stmt} }`), "f").body, "restrict").resultChecked;
  assert.equal(checks("if (landlock_restrict_self(fd, 0)) return 1; return 0;"), "yes");
  assert.equal(checks("if (landlock_restrict_self(fd, 0) < 0) return 1; return 0;"), "yes");
  assert.equal(checks("if (landlock_restrict_self(fd, 0) != 0) return 1; return 0;"), "yes");
  assert.equal(checks("if (!landlock_restrict_self(fd, 0)) ok(); return 0;"), "yes");
  assert.equal(checks("ret = landlock_restrict_self(fd, 0); if (ret) return 1; return 0;"), "yes");
  assert.equal(checks("ret = landlock_restrict_self(fd, 0); close(fd); return ret;"), "yes");
  assert.equal(checks("return landlock_restrict_self(fd, 0);"), "yes");
  assert.equal(checks("assert(landlock_restrict_self(fd, 0) == 0); return 0;"), "yes");
  assert.equal(checks("CHECK_OK(landlock_restrict_self(fd, 0)); return 0;"), "yes");
  assert.equal(checks("landlock_restrict_self(fd, 0); return 0;"), "no");
  assert.equal(checks("(void)landlock_restrict_self(fd, 0); return 0;"), "no");
  assert.equal(checks("ret = landlock_restrict_self(fd, 0); return 0;"), "no");
  assert.equal(checks("ret = landlock_restrict_self(fd, 0); ret = 0; if (ret) return 1; return 0;"), "no");
  assert.equal(checks("printf(\"%d\", landlock_restrict_self(fd, 0)); return 0;"), "maybe");
  assert.equal(checks("ret = landlock_restrict_self(fd, 0); log_value(ret); return 0;"), "maybe");
  assert.equal(checks("x = 1 + landlock_restrict_self(fd, 0); return x;"), "maybe");
});

test("resultReturned marks results handed to the caller", () => {
  const direct = onlyOp(fn(irOf(`int f(int fd) { return landlock_restrict_self(fd, 0); }`), "f").body, "restrict");
  assert.equal(direct.resultReturned, true);
  const viaVar = onlyOp(fn(irOf(`int f(int fd) { int err = syscall(SYS_landlock_restrict_self, fd, 0); close(fd); return err; }`), "f").body, "restrict");
  assert.equal(viaVar.resultReturned, true);
  const tested = onlyOp(fn(irOf(`int f(int fd) { if (landlock_restrict_self(fd, 0)) return -1; return 0; }`), "f").body, "restrict");
  assert.equal(tested.resultReturned, undefined);
});

test("error arms of Landlock checks are marked error-path", () => {
  const body = fn(irOf(`
int f(struct landlock_ruleset_attr *attr) {
	int fd = landlock_create_ruleset(attr, sizeof(*attr), 0);
	if (fd < 0) { perror("create"); return -1; }
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) return -1;
	if (!landlock_restrict_self(fd, 0)) ok(); else fail();
	return 0;
}`), "f").body;
  const branches = nodesOfKind(body, "branch");
  assert.deepEqual(branches[0]!.arms[0]!.cond, { kind: "error-path" });
  assert.deepEqual(branches[1]!.arms[0]!.cond, { kind: "error-path" });
  assert.deepEqual(branches[2]!.arms.map((a) => a.cond?.kind), ["other", "error-path"]);
});

// ---------------------------------------------------------------------------------------------
// no_new_privs and CAP_SYS_ADMIN

test("no_new_privs via prctl with the macro or the number 38; other prctl calls are not", () => {
  const nnp = (stmt: string) => opsOfType(fn(irOf(`void f(void) { ${stmt} }`), "f").body, "no-new-privs").length;
  assert.equal(nnp("prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);"), 1);
  assert.equal(nnp("prctl(38, 1, 0, 0, 0);"), 1);
  assert.equal(nnp("syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);"), 1);
  assert.equal(nnp("prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);"), 0);
  assert.equal(nnp("prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0);"), 0);
  assert.equal(nnp("prctl(PR_SET_NAME, \"x\", 0, 0, 0);"), 0);
});

test("CAP_SYS_ADMIN evidence: capset raising it, a capget helper guarding the path, a condition naming it", () => {
  const raise = fn(irOf(`void f(void) { cap_t caps = cap_get_proc(); cap_value_t v[] = { CAP_SYS_ADMIN };
    cap_set_flag(caps, CAP_EFFECTIVE, 1, v, CAP_SET); cap_set_proc(caps); landlock_restrict_self(3, 0); }`), "f").body;
  assert.deepEqual(shape(raise).filter((s) => s === "cap-sys-admin" || s === "restrict"), ["cap-sys-admin", "restrict"]);
  const drop = fn(irOf(`void f(void) { cap_t caps = cap_get_proc(); cap_value_t v[] = { CAP_SYS_ADMIN };
    cap_set_flag(caps, CAP_EFFECTIVE, 1, v, CAP_CLEAR); cap_set_proc(caps); }`), "f").body;
  assert.deepEqual(opsOfType(drop, "cap-sys-admin"), []);

  const guarded = irOf(`
static int has_cap_sys_admin(void) {
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) != 0) return 0;
	return (d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective & CAP_TO_MASK(CAP_SYS_ADMIN)) != 0;
}
int main(void) {
	if (!has_cap_sys_admin()) { fprintf(stderr, "needs privileges\\n"); return 1; }
	return landlock_restrict_self(3, 0);
}`);
  assert.deepEqual(shape(fn(guarded, "main").body), [
    "call:has_cap_sys_admin",
    { branch: [["exit"]], exhaustive: false },
    "cap-sys-admin",
    "restrict",
    "exit",
  ]);

  const inArm = fn(irOf(`void f(int caps) { if (caps & (1 << CAP_SYS_ADMIN)) { landlock_restrict_self(3, 0); } }`), "f").body;
  assert.deepEqual(shape(inArm), [{ branch: [["cap-sys-admin", "restrict"]], exhaustive: false }]);
});

test("geteuid() == 0 counts as CAP_SYS_ADMIN only when a comment states the privileged design", () => {
  const documented = fn(irOf(`
/* Runs as root from the init system: root has CAP_SYS_ADMIN, no need for no_new_privs. */
void f(void) {
	if (geteuid() != 0) exit(1);
	landlock_restrict_self(3, 0);
}`), "f").body;
  assert.deepEqual(shape(documented), [{ branch: [["exit"]], exhaustive: false }, "cap-sys-admin", "restrict"]);
  const silent = fn(irOf(`void f(void) { if (geteuid() != 0) exit(1); landlock_restrict_self(3, 0); }`), "f").body;
  assert.deepEqual(opsOfType(silent, "cap-sys-admin"), []);
});

// ---------------------------------------------------------------------------------------------
// Threads

test("pthread_create names its routine; in a loop it starts many threads", () => {
  const body = fn(irOf(`
static void *worker(void *arg) { return arg; }
int main(void) {
	pthread_t one, many[4];
	pthread_create(&one, NULL, worker, NULL);
	for (int i = 0; i < 4; i++)
		pthread_create(&many[i], NULL, (void *(*)(void *))&worker, NULL);
	return 0;
}`), "main").body;
  assert.deepEqual(opsOfType(body, "spawn").map((s) => [s.mechanism, s.routine, s.count]), [
    ["pthread_create", "worker", "one"],
    ["pthread_create", "worker", "many"],
  ]);
  assert.equal(nodesOfKind(body, "loop")[0]!.maxIterations, 4);
});

test("thrd_create, GLib threads and pools, uv_queue_work, clone with CLONE_THREAD, OpenMP", () => {
  const body = fn(irOf(`
void f(void) {
	thrd_create(&t, run, NULL);
	g_thread_new("indexer", index_thread, NULL);
	g_thread_try_new("x", other_thread, NULL, &err);
	GThreadPool *pool = g_thread_pool_new(parse_one, NULL, 4, FALSE, NULL);
	uv_queue_work(loop, &req, do_work, after_work);
	clone(thread_fn, stack + STACK, CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM, NULL);
#pragma omp parallel for
	for (int i = 0; i < n; i++) blur(i);
}`), "f").body;
  assert.deepEqual(opsOfType(body, "spawn").map((s) => [s.mechanism, s.routine, s.count]), [
    ["thrd_create", "run", "one"],
    ["g_thread_new", "index_thread", "one"],
    ["g_thread_try_new", "other_thread", "one"],
    ["g_thread_pool_new", "parse_one", "many"],
    ["uv_queue_work", "do_work", "many"],
    ["clone(CLONE_THREAD)", "thread_fn", "one"],
    ["OpenMP parallel region", undefined, "many"],
  ]);
});

test("settings.threadSpawners calls are spawns", () => {
  const code = `void f(void) { spawn_workers(8); for (;;) start_helper(); }`;
  const spawns = opsOfType(fn(irOf(code, { settings: { threadSpawners: ["spawn_workers", "start_helper"] } }), "f").body, "spawn");
  assert.deepEqual(spawns.map((s) => [s.mechanism, s.count]), [["spawn_workers", "one"], ["start_helper", "many"]]);
  assert.deepEqual(opsOfType(fn(irOf(code), "f").body, "spawn"), []);
});

// ---------------------------------------------------------------------------------------------
// fork / clone children

test("fork children: pid == 0 arm, !pid, if (fork() == 0), switch (fork()) case 0, else of pid > 0", () => {
  const childOf = (body: string) => shape(fn(irOf(`void f(void) { pid_t pid; ${body} }`), "f").body);
  assert.deepEqual(childOf("pid = fork(); if (pid == 0) { landlock_restrict_self(3, 0); _exit(0); }"), [
    { branch: [[{ child: ["restrict", "exit"] }]], exhaustive: false },
  ]);
  assert.deepEqual(childOf("pid = fork(); if (!pid) run(); else wait_for(pid);"), [
    { branch: [[{ child: ["call:run"] }], ["call:wait_for"]], exhaustive: true },
  ]);
  assert.deepEqual(childOf("if (fork() == 0) run();"), [{ branch: [[{ child: ["call:run"] }]], exhaustive: false }]);
  assert.deepEqual(childOf("if ((pid = vfork()) == 0) run();"), [{ branch: [[{ child: ["call:run"] }]], exhaustive: false }]);
  assert.deepEqual(childOf("switch (fork()) { case -1: fail(); break; case 0: run(); break; default: parent(); }"), [
    { branch: [["call:fail"], [{ child: ["call:run"] }], ["call:parent"]], exhaustive: true },
  ]);
  assert.deepEqual(childOf("pid = fork(); if (pid > 0) parent(); else run();"), [
    { branch: [["call:parent"], [{ child: ["call:run"] }]], exhaustive: true },
  ]);
  assert.deepEqual(childOf("pid = fork(); if (pid < 0) fail();"), [{ branch: [["call:fail"]], exhaustive: false }]);
  const how = nodesOfKind(fn(irOf(`void f(void) { if (vfork() == 0) { execv(p, a); _exit(1); } }`), "f").body, "child")[0]!;
  assert.equal(how.how, "vfork");
});

test("daemonising: after `if (fork() != 0) exit(0);` the rest of the block runs in the child", () => {
  const body = fn(irOf(`void f(void) { if (fork() != 0) exit(0); setsid(); serve_forever(); landlock_restrict_self(3, 0); }`), "f").body;
  assert.deepEqual(shape(body), [{ branch: [["exit"]], exhaustive: false }, { child: ["call:serve_forever", "restrict"] }]);
});

test("clone without CLONE_THREAD runs its function in a child", () => {
  const body = fn(irOf(`void f(void) { clone(child_main, stack + SIZE, CLONE_NEWPID | SIGCHLD, NULL); }`), "f").body;
  assert.deepEqual(shape(body), [{ child: ["call:child_main"] }]);
});

// ---------------------------------------------------------------------------------------------
// Signals, F_SETOWN, abstract sockets, setuid, exec

test("signal targets", () => {
  const body = fn(irOf(`
void f(pid_t pgid, pthread_t t) {
	pid_t me = getpid(), parent = getppid(), child = fork(), supervisor = read_pidfile();
	kill(getppid(), SIGUSR1);
	kill(parent, SIGUSR1);
	kill(0, SIGHUP);
	kill(-pgid, SIGTERM);
	killpg(pgid, SIGTERM);
	kill(supervisor, SIGUSR2);
	kill(child, SIGKILL);
	kill(getpid(), SIGSTOP);
	kill(me, SIGSTOP);
	raise(SIGTERM);
	pthread_kill(t, SIGUSR1);
	tgkill(getpid(), tid, SIGUSR1);
	sigqueue(supervisor, SIGUSR1, v);
	syscall(SYS_kill, getppid(), SIGUSR1);
	kill(lookup_pid(), SIGUSR1);
}`), "f").body;
  assert.deepEqual(opsOfType(body, "signal").map((s) => [s.api, s.target]), [
    ["kill", "parent"],
    ["kill", "parent"],
    ["kill", "process-group"],
    ["kill", "process-group"],
    ["killpg", "process-group"],
    ["kill", "other-process"],
    ["kill", "other-process"],
    ["kill", "own-process"],
    ["kill", "own-process"],
    ["raise", "own-thread"],
    ["pthread_kill", "own-thread"],
    ["tgkill", "own-thread"],
    ["sigqueue", "other-process"],
    ["syscall(SYS_kill)", "parent"],
    ["kill", "unknown"],
  ]);
});

test("a pid parameter: the target is left to the callers, whose calls say whom their arguments name", () => {
  const ir = irOf(`
static void notify(pid_t whom, int fd) { kill(whom, SIGUSR1); fcntl(fd, F_SETOWN, whom); }
int main(int argc, char **argv) {
	pid_t child = fork();
	notify(getppid(), 0);
	notify(getpid(), 1);
	notify(child, 2);
	notify((pid_t)atoi(argv[1]), 3);
	notify(compute(), 4);
	return 0;
}`);
  // Callers in this file pass different processes: the target stays open.
  const notify = fn(ir, "notify").body;
  assert.deepEqual(opsOfType(notify, "signal").map((s) => [s.target, s.targetParam]), [["unknown", 0]]);
  assert.deepEqual(opsOfType(notify, "setown").map((s) => [s.target, s.targetParam]), [["unknown", 0]]);
  assert.deepEqual(opsOfType(fn(ir, "main").body, "call").filter((c) => c.callee === "notify").map((c) => c.argTargets), [
    [{ index: 0, target: "parent" }],
    [{ index: 0, target: "own-process" }],
    [{ index: 0, target: "other-process" }],
    [{ index: 0, target: "other-process" }],
    undefined,
  ]);
  // No caller in this file: the pid comes from elsewhere. Callers that agree: their target.
  assert.deepEqual(opsOfType(fn(irOf(`int beat(pid_t sup) { return kill(sup, SIGUSR2); }`), "beat").body, "signal").map((s) => [s.target, s.targetParam]), [["other-process", 0]]);
  const agreeing = irOf(`static void up(pid_t p) { kill(p, SIGUSR1); }\nint main(void) { up(getppid()); pid_t sup = read_pidfile(); if (sup < 0) up(getppid()); return 0; }`);
  assert.deepEqual(opsOfType(fn(agreeing, "up").body, "signal").map((s) => [s.target, s.targetParam]), [["parent", 0]]);
  // A parameter the function reassigns is a local like any other.
  const reassigned = fn(irOf(`void g(pid_t p) { p = getppid(); kill(p, SIGTERM); }`), "g").body;
  assert.deepEqual(opsOfType(reassigned, "signal").map((s) => [s.target, s.targetParam]), [["parent", undefined]]);
});

test("fcntl(F_SETOWN) targets and F_SETOWN_EX", () => {
  const body = fn(irOf(`void f(int fd) {
	pid_t owner = read_owner();
	fcntl(fd, F_SETOWN, getpid());
	fcntl(fd, F_SETOWN, getppid());
	fcntl(fd, F_SETOWN, owner);
	fcntl(fd, F_SETOWN_EX, &ex);
	fcntl(fd, F_SETFL, O_ASYNC);
}`), "f").body;
  assert.deepEqual(opsOfType(body, "setown").map((s) => [s.api, s.target]), [
    ["fcntl(F_SETOWN)", "own-process"],
    ["fcntl(F_SETOWN)", "parent"],
    ["fcntl(F_SETOWN)", "other-process"],
    ["fcntl(F_SETOWN_EX)", "unknown"],
  ]);
});

test("abstract unix socket connects: leading NUL written, literal with \\0 or @, initialiser; pathname sockets are not", () => {
  const connects = (setup: string) =>
    opsOfType(fn(irOf(`#include <sys/un.h>\nvoid f(int fd) { struct sockaddr_un addr; memset(&addr, 0, sizeof(addr)); addr.sun_family = AF_UNIX;\n${setup}\nconnect(fd, (struct sockaddr *)&addr, sizeof(addr)); }`), "f").body, "abstract-connect");
  assert.deepEqual(connects(`addr.sun_path[0] = '\\0'; strcpy(addr.sun_path + 1, "gpumon");`).map((c) => c.name), ["@gpumon"]);
  assert.deepEqual(connects(`memcpy(addr.sun_path, "\\0/tmp/.X11-unix/X0", 19);`).map((c) => c.name), ["@/tmp/.X11-unix/X0"]);
  assert.deepEqual(connects(`strncpy(addr.sun_path, "@dbus-session", sizeof(addr.sun_path));`).map((c) => c.name), ["@dbus-session"]);
  assert.deepEqual(connects(`snprintf(&addr.sun_path[1], sizeof(addr.sun_path) - 1, "svc-%d", 3);`).length, 1);
  assert.deepEqual(connects(`strcpy(addr.sun_path, "/run/app.sock");`), []);
  const init = fn(irOf(`void f(int fd) { struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "\\0notify" }; connect(fd, (struct sockaddr *)&a, sizeof(a)); }`), "f").body;
  assert.deepEqual(opsOfType(init, "abstract-connect").map((c) => [c.api, c.name]), [["connect", "@notify"]]);
  const sendto = fn(irOf(`void f(int fd) { struct sockaddr_un a = { .sun_path = "\\0log" }; sendto(fd, "x", 1, 0, (struct sockaddr *)&a, sizeof a); }`), "f").body;
  assert.deepEqual(opsOfType(sendto, "abstract-connect").map((c) => c.api), ["sendto"]);
});

test("setuid family and exec family", () => {
  const body = fn(irOf(`void f(void) { setuid(1000); setgid(1000); setresuid(1, 1, 1); setresgid(1, 1, 1); setgroups(0, NULL); seteuid(1);
	execve(p, a, e); execv(p, a); execvp(p, a); execl(p, p, NULL); execlp(p, p, NULL); fexecve(fd, a, e); }`), "f").body;
  assert.deepEqual(opsOfType(body, "setuid").map((o) => o.api), ["setuid", "setgid", "setresuid", "setresgid", "setgroups", "seteuid"]);
  assert.deepEqual(opsOfType(body, "exec").map((o) => o.api), ["execve", "execv", "execvp", "execl", "execlp", "fexecve"]);
  const psx = fn(irOf(`void f(void) { psx_syscall3(SYS_setuid, 1000, 0, 0); }`), "f").body;
  assert.deepEqual(opsOfType(psx, "setuid").map((o) => o.api), ["psx_syscall3(SYS_setuid) (libpsx)"]);
});

// ---------------------------------------------------------------------------------------------
// Control flow

test("if/else is an exhaustive branch, if alone is not; loops; exits of several kinds", () => {
  const body = fn(irOf(`int f(int x) {
	if (x) a(); else b();
	if (x > 1) c();
	while (x--) d();
	do { e(); } while (0);
	for (;;) { if (g()) break; }
	if (x == 3) abort();
	if (x == 4) err(1, "x");
	if (x == 5) errx(1, "x");
	if (x == 6) error(1, 0, "fatal");
	if (x == 7) error(0, 0, "warning only");
	return 0;
}`), "f").body;
  assert.deepEqual(shape(body), [
    { branch: [["call:a"], ["call:b"]], exhaustive: true },
    { branch: [["call:c"]], exhaustive: false },
    { loop: ["call:d"] },
    { loop: ["call:e"] },
    { loop: ["call:g", { branch: [[]], exhaustive: false }] },
    { branch: [["exit"]], exhaustive: false },
    { branch: [["exit"]], exhaustive: false },
    { branch: [["exit"]], exhaustive: false },
    { branch: [["exit"]], exhaustive: false },
    { branch: [[]], exhaustive: false },
    "exit",
  ]);
  const exits = nodesOfKind(body, "exit");
  assert.deepEqual(exits.map((e) => e.leaves), ["process", "process", "process", "process", undefined]);
  assert.equal(nodesOfKind(body, "loop")[1]!.maxIterations, 1);
});

test("goto to an error label is an exit; a retry loop around restrict repeats only failures", () => {
  const body = fn(irOf(`int f(int fd) {
	int rc;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) goto err_close;
	do {
		rc = landlock_restrict_self(fd, 0);
	} while (rc != 0 && errno == EINTR);
	close(fd);
	return 0;
err_close:
	close(fd);
	return 1;
}`), "f").body;
  assert.deepEqual(shape(body).slice(0, 3), ["no-new-privs", { branch: [["exit"]], exhaustive: false }, { loop: ["restrict"] }]);
  const loop = nodesOfKind(body, "loop")[0]!;
  assert.deepEqual(loop.repeatCond, { kind: "error-path" });
  assert.equal(onlyOp(body, "restrict").resultChecked, "yes");
  const plain = nodesOfKind(fn(irOf(`void f(int n) { for (int i = 0; i < n; i++) landlock_restrict_self(3, 0); }`), "f").body, "loop")[0]!;
  assert.equal(plain.repeatCond, undefined);
  assert.equal(plain.maxIterations, undefined);
});

test("calls inside conditions run before the branch; && and ternaries make their calls conditional", () => {
  const body = fn(irOf(`void f(int fd) {
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || landlock_restrict_self(fd, 0)) exit(1);
	int v = ready() ? start() : 0;
}`), "f").body;
  assert.deepEqual(shape(body), [
    "no-new-privs",
    { branch: [["restrict"]], exhaustive: false },
    { branch: [["exit"]], exhaustive: false },
    "call:ready",
    { branch: [["call:start"], []], exhaustive: true },
  ]);
  const first = nodesOfKind(body, "branch")[1]!;
  assert.deepEqual(first.arms[0]!.cond, { kind: "error-path" });
});

test("signal handlers and timer callbacks run repeatedly; a restrict in a handler that threads are signalled into is per-thread-user", () => {
  const ir = irOf(`
static void on_usr1(int sig) { landlock_restrict_self(g_fd, 0); }
static void broadcast(pthread_t *threads, int n) { for (int i = 0; i < n; i++) pthread_kill(threads[i], SIGUSR1); }
static gboolean tick(gpointer data) { return TRUE; }
static void bye(void) {}
int main(void) {
	struct sigaction sa = {0};
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	g_timeout_add(1000, tick, NULL);
	atexit(bye);
	return 0;
}`);
  assert.equal(fn(ir, "on_usr1").runsRepeatedly?.how, "sigaction");
  assert.equal(fn(ir, "tick").runsRepeatedly?.how, "g_timeout_add");
  assert.equal(fn(ir, "bye").runsRepeatedly?.how, "atexit");
  assert.equal(fn(ir, "main").runsRepeatedly, undefined);
  assert.equal(onlyOp(fn(ir, "on_usr1").body, "restrict").mechanism, "per-thread-user");
  // A handler registered by an initialiser, in a program that does not signal its threads:
  // it runs repeatedly, but restricts only the thread it interrupts.
  const lockdown = irOf(`
static void on_lockdown(int sig) { syscall(__NR_landlock_restrict_self, g_fd, 0); }
int main(void) { struct sigaction sa = { .sa_handler = on_lockdown }; sigaction(SIGUSR1, &sa, NULL); return 0; }`);
  assert.equal(fn(lockdown, "on_lockdown").runsRepeatedly?.how, "sigaction");
  assert.equal(onlyOp(fn(lockdown, "on_lockdown").body, "restrict").mechanism, "syscall");
});

// ---------------------------------------------------------------------------------------------
// Preprocessor

test("#if/#ifdef/#elif/#else inside a body are preprocessor alternatives", () => {
  const body = fn(irOf(`void f(int fd) {
#if defined(HAVE_TSYNC)
	landlock_restrict_self(fd, LANDLOCK_RESTRICT_SELF_TSYNC);
#elif defined(HAVE_PSX)
	psx_syscall3(SYS_landlock_restrict_self, fd, 0, 0);
#else
	landlock_restrict_self(fd, 0);
#endif
#ifdef DEBUG
	dump();
#endif
}`), "f").body;
  assert.deepEqual(shape(body), [
    { branch: [["restrict"], ["restrict"], ["restrict"]], exhaustive: true, preprocessor: true },
    { branch: [["call:dump"]], exhaustive: false, preprocessor: true },
  ]);
  assert.deepEqual(nodesOfKind(body, "branch")[0]!.arms.map((a) => a.cond), [
    { kind: "other", text: "#if defined(HAVE_TSYNC)" },
    { kind: "other", text: "#elif defined(HAVE_PSX)" },
    { kind: "other", text: "#else" },
  ]);
});

test("compile_commands defines pick the live branch; #if 0 is dead even without them", () => {
  const code = `void f(int fd) {
#ifdef HAVE_TSYNC
	landlock_restrict_self(fd, LANDLOCK_RESTRICT_SELF_TSYNC);
#else
	landlock_restrict_self(fd, 0);
#endif
#if 0
	kill(getppid(), SIGTERM);
#endif
}`;
  const withTsync = fn(irOf(code, { defines: { HAVE_TSYNC: "1" } }), "f").body;
  assert.deepEqual(shape(withTsync), ["restrict"]);
  assert.equal(onlyOp(withTsync, "restrict").flags.tsync, "yes");
  const without = fn(irOf(code, { defines: { OTHER: "1" } }), "f").body;
  assert.equal(onlyOp(without, "restrict").flags.tsync, "no");
  const noDefines = fn(irOf(code), "f").body;
  assert.deepEqual(shape(noDefines), [{ branch: [["restrict"], ["restrict"]], exhaustive: true, preprocessor: true }]);
  // A project header might define the macro: with defines given but a local include, keep both.
  const included = fn(irOf(`#include "config.h"\n${code}`, { defines: { OTHER: "1" } }), "f").body;
  assert.equal(opsOfType(included, "restrict").length, 2);
});

test("top-level #if alternatives: functions of every branch are emitted unless defines settle it", () => {
  const code = `
#ifdef USE_THREADS
static void run(void) { pthread_create(&t, NULL, worker, NULL); }
#else
static void run(void) { worker(NULL); }
#endif
int main(void) { run(); return 0; }`;
  assert.deepEqual(irOf(code).functions.map((f) => f.name), ["run", "run", "main"]);
  const live = irOf(code, { defines: { USE_THREADS: "" } });
  assert.deepEqual(live.functions.map((f) => f.name), ["run", "main"]);
  assert.equal(opsOfType(fn(live, "run").body, "spawn").length, 1);
});

// ---------------------------------------------------------------------------------------------
// Comments

test("every comment is collected with its range; per-thread design comments mark the function", () => {
  const code = `// file header
/* each worker restricts itself by design: see docs/threads.md */
static void *worker(void *arg) {
	/* landlock-lint-disable-next-line landlock/thread-routine-restrict -- intentional */
	landlock_restrict_self(3, 0);
	return arg;
}
static void plain(void) { /* nothing special here */ }
static void nolint(void) {
	landlock_restrict_self(3, 0); // NOLINT(landlock): per-thread on purpose
}
`;
  const ir = irOf(code);
  assert.deepEqual(ir.comments.map((c) => textAt(code, c.range)), ir.comments.map((c) => c.text));
  assert.equal(ir.comments.length, 5);
  assert.equal(ir.comments[2]!.range.start.line, 4);
  assert.equal(fn(ir, "worker").documentedPerThread, true);
  assert.equal(fn(ir, "plain").documentedPerThread, undefined);
  assert.equal(fn(ir, "nolint").documentedPerThread, true);
});

test("every op is placed in control-flow order within its block", () => {
  const code = `int main(void) {
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	pthread_create(&t, NULL, w, NULL);
	int fd = landlock_create_ruleset(&attr, sizeof(attr), 0);
	landlock_restrict_self(fd, 0);
	kill(getppid(), SIGUSR1);
	execv(p, a);
	return 0;
}`;
  const found = opsWithContext(fn(irOf(code), "main").body).map((x) => x.op);
  assert.deepEqual(found.map((o) => o.type), ["no-new-privs", "spawn", "create-ruleset", "restrict", "signal", "exec"]);
  const offsets = found.map((o) => o.range.start.offset);
  assert.deepEqual([...offsets].sort((a, b) => a - b), offsets);
  assert.ok(ops(fn(irOf(code), "main").body).every((o) => o.range.start.line > 1));
});

test("op positions are UTF-16 based after non-ASCII and astral text on the same line", () => {
  const code = `int main(void) {\n\tconst char *m = "Grüße 😀 日本"; if (landlock_restrict_self(3, 0)) return 1;\n\treturn 0;\n}\n`;
  const r = onlyOp(fn(irOf(code), "main").body, "restrict");
  const lineStart = code.indexOf("\n") + 1;
  assert.equal(r.range.start.line, 2);
  assert.equal(r.range.start.offset, code.indexOf("landlock_restrict_self"));
  assert.equal(r.range.start.column, r.range.start.offset - lineStart);
  assert.equal(textAt(code, r.calleeRange), "landlock_restrict_self");
  const comment = irOf(`/* ✓ 😀 */ int x; // trailing é\n`).comments;
  assert.deepEqual(comment.map((c) => [c.text, c.range.start.column, c.range.end.column]), [
    ["/* ✓ 😀 */", 0, 10],
    ["// trailing é", 18, 31],
  ]);
});

test("wrapper flags: a restrict whose flags are a parameter says so; calls say what flags they pass", () => {
  const ir = irOf(`
static int ll_restrict(int fd, __u32 flags) { return syscall(SYS_landlock_restrict_self, fd, flags); }
int main(int argc, char **argv) {
	int abi = landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	int fd = open_ruleset(argv[1]);
	if (ll_restrict(fd, LANDLOCK_RESTRICT_SELF_TSYNC)) return 1;
	if (ll_restrict(fd, 0)) return 1;
	if (ll_restrict(fd, abi >= 8 ? LANDLOCK_RESTRICT_SELF_TSYNC : 0)) return 1;
	if (ll_restrict(fd, compute_flags())) return 1;
	return 0;
}`);
  const inner = onlyOp(fn(ir, "ll_restrict").body, "restrict");
  assert.equal(inner.flags.fromParam, 1);
  assert.equal(inner.flags.tsync, "maybe");
  const calls = opsOfType(fn(ir, "main").body, "call").filter((c) => c.callee === "ll_restrict");
  assert.deepEqual(
    calls.map((c) => c.argFlags?.map((a) => [a.index, a.flags.tsync, a.flags.tsyncIfAbiAtLeast, a.flags.value])),
    [[[1, "yes", undefined, 8]], [[1, "no", undefined, 0]], [[1, "maybe", 8, undefined]], undefined],
  );
  // Flags computed inside the wrapper are not a parameter.
  const own = onlyOp(fn(irOf(`int w(int fd, int v) { __u32 f = v ? 8 : 0; return landlock_restrict_self(fd, f); }`), "w").body, "restrict");
  assert.equal(own.flags.fromParam, undefined);
});
