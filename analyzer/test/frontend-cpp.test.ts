// IR shape of the C++ side of the front-end: methods, lambdas, std::thread and friends,
// pools, call candidates, `.h` detection.

import { test } from "node:test";
import assert from "node:assert/strict";
import { cFrontEnd, looksLikeCpp } from "../src/frontends/c/index.js";
import { DEFAULT_SETTINGS } from "../src/settings.js";
import { fn, irOf, nodesOfKind, onlyOp, opsOfType, shape } from "./frontend-c-helpers.js";

const cpp = (code: string, settings = {}) => irOf(code, { language: "cpp", settings });

test("languageOf and extensions: .c/.h are C, C++ extensions are cpp", () => {
  assert.equal(cFrontEnd.languageOf("a/b/sandbox.c"), "c");
  assert.equal(cFrontEnd.languageOf("sandbox.h"), "c");
  for (const f of ["x.cc", "x.cpp", "x.cxx", "x.hh", "x.hpp", "x.hxx", "X.CPP"]) assert.equal(cFrontEnd.languageOf(f), "cpp", f);
  for (const ext of [".c", ".h", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx"]) assert.ok(cFrontEnd.extensions.includes(ext), ext);
  assert.deepEqual(cFrontEnd.languages, ["c", "cpp"]);
});

test("a .h file is C unless C++ syntax is found", () => {
  const cHeader = "#ifndef X_H\n#define X_H\nstatic inline int f(void) { return 0; }\n#endif\n";
  const cppHeader = "#pragma once\nnamespace sandbox {\nclass Policy {\n public:\n  int apply() { return landlock_restrict_self(fd_, 0); }\n  int fd_;\n};\n}\n";
  assert.equal(looksLikeCpp(cHeader), false);
  assert.equal(looksLikeCpp(cppHeader), true);
  assert.equal(looksLikeCpp("/* uses the class keyword in a comment: class of problems */\nint f(void);\n"), false);
  const ir = cFrontEnd.toIr(cppHeader, "policy.h", cFrontEnd.languageOf("policy.h"), { settings: DEFAULT_SETTINGS, facts: {} });
  assert.equal(ir.language, "cpp");
  assert.deepEqual(ir.parseProblems, []);
  assert.deepEqual(ir.functions.map((f) => f.name), ["Policy::apply"]);
});

test("methods are named Class::method, in and out of the class body, without file namespaces", () => {
  const ir = cpp(`
namespace sandbox {
class Jail {
 public:
  int Enforce() { return landlock_restrict_self(fd_, 0); }
  void Start();
  struct Inner { void Go() {} };
 private:
  int fd_;
};
void Jail::Start() { Enforce(); this->Enforce(); }
template <typename T> T Twice(T x) { return x + x; }
}  // namespace sandbox
extern "C" int c_entry(void) { return 0; }
int main() { sandbox::Jail j; j.Start(); return 0; }`);
  assert.deepEqual(ir.functions.map((f) => f.name), ["Jail::Enforce", "Jail::Inner::Go", "Jail::Start", "Twice", "c_entry", "main"]);
  const calls = opsOfType(fn(ir, "Jail::Start").body, "call");
  assert.deepEqual(calls.map((c) => [c.callee, c.calleeCandidates]), [
    ["Enforce", ["Jail::Enforce"]],
    ["Enforce", ["Jail::Enforce"]],
  ]);
  const viaObject = opsOfType(fn(ir, "main").body, "call");
  assert.deepEqual(viaObject.map((c) => [c.callee, c.calleeCandidates]), [
    ["sandbox::Jail::Jail", ["Jail::Jail"]],
    ["Start", ["sandbox::Jail::Start", "Jail::Start"]],
  ]);
});

test("constructors run where objects are built: T x(args), T x{...}, T x, new T, make_unique<T>; not for C structs", () => {
  const ir = cpp(`
class RulesetFd { public: explicit RulesetFd(const landlock_ruleset_attr& a); void enforce(); };
void f() {
  landlock_ruleset_attr attr{};
  RulesetFd ruleset(attr);
  farm::RenderPool pool(dir, 4);
  Worker w{1};
  Logger log;
  auto p = new Logger(2);
  auto q = std::make_unique<Worker>(3);
  termios tio{};
  int n(3);
  ruleset.enforce();
}`);
  assert.deepEqual(opsOfType(fn(ir, "f").body, "call").map((c) => [c.callee, c.calleeCandidates]), [
    ["RulesetFd::RulesetFd", undefined],
    ["farm::RenderPool::RenderPool", ["RenderPool::RenderPool"]],
    ["Worker::Worker", undefined],
    ["Logger::Logger", undefined],
    ["Logger::Logger", undefined],
    ["Worker::Worker", undefined],
    ["enforce", ["RulesetFd::enforce"]],
  ]);
});

test("a member container of threads filled with member functions starts threads, even with its type in an unseen header", () => {
  const ir = cpp(`
#include "pool.hpp"
RenderPool::RenderPool(unsigned n) {
  for (unsigned i = 0; i < n; ++i)
    threads_.emplace_back(&RenderPool::worker_loop, this);
  queue_.emplace_back(std::move(job), 1);
}`);
  assert.deepEqual(opsOfType(fn(ir, "RenderPool::RenderPool").body, "spawn").map((s) => [s.mechanism, s.routine, s.count]), [
    ["threads_.emplace_back", "RenderPool::worker_loop", "many"],
  ]);
  const declared = cpp(`
class Pool { std::vector<std::thread> workers_; void start(); void run(); };
void Pool::start() { workers_.emplace_back([this] { run(); }); }`);
  assert.deepEqual(shape(fn(declared, "Pool::start").body), ["spawn", { thread: ["call:run"] }]);
});

test("qualified calls offer the shorter names as candidates", () => {
  const call = onlyOp(fn(cpp(`void f() { app::sandbox::Enter(3); }`), "f").body, "call");
  assert.equal(call.callee, "app::sandbox::Enter");
  assert.deepEqual(call.calleeCandidates, ["sandbox::Enter", "Enter"]);
});

test("std::thread with a lambda: a spawn, then the lambda body as a thread node", () => {
  const body = fn(cpp(`
#include <thread>
void f() {
  std::thread t([&] { landlock_restrict_self(fd, 0); });
  t.join();
}`), "f").body;
  assert.deepEqual(shape(body), ["spawn", { thread: ["restrict"] }]);
  const spawn = onlyOp(body, "spawn");
  assert.deepEqual([spawn.mechanism, spawn.routine, spawn.count], ["std::thread", undefined, "one"]);
});

test("std::thread / std::jthread with a function, temporaries, new, make_unique, containers", () => {
  const body = fn(cpp(`
void worker(int);
void f(int n) {
  std::thread a(worker, 1);
  std::jthread b{worker, 2};
  std::thread(worker, 3).detach();
  auto c = new std::thread(worker, 4);
  auto d = std::make_unique<std::thread>(worker, 5);
  std::vector<std::thread> pool;
  for (int i = 0; i < n; i++) pool.emplace_back(worker, i);
  for (int i = 0; i < n; i++) pool.push_back(std::thread(worker, i));
  std::thread idle;
}`), "f").body;
  assert.deepEqual(opsOfType(body, "spawn").map((s) => [s.mechanism, s.routine, s.count]), [
    ["std::thread", "worker", "one"],
    ["std::jthread", "worker", "one"],
    ["std::thread", "worker", "one"],
    ["std::thread", "worker", "one"],
    ["std::thread", "worker", "one"],
    ["std::vector<std::thread>.emplace_back", "worker", "many"],
    ["std::thread", "worker", "many"],
  ]);
});

test("std::async starts a thread with launch::async or the default policy, not with launch::deferred", () => {
  const body = fn(cpp(`
void f() {
  auto a = std::async(std::launch::async, [] { return scan(); });
  auto b = std::async(compute);
  auto c = std::async(std::launch::deferred, compute);
}`), "f").body;
  assert.deepEqual(opsOfType(body, "spawn").map((s) => [s.mechanism, s.routine]), [
    ["std::async(std::launch::async)", undefined],
    ["std::async", "compute"],
  ]);
  assert.deepEqual(nodesOfKind(body, "thread").map((t) => shape(t.body)), [["call:scan", "exit"]]);
});

test("thread pools: constructed pools are many-thread spawns; lambdas submitted to them are thread nodes", () => {
  const body = fn(cpp(`
void f() {
  boost::asio::thread_pool io(4);
  ThreadPool workers(8);
  auto p = std::make_unique<ThreadPool>(2);
  std::unique_ptr<ThreadPool> later;
  ThreadPool *borrowed = get_pool();
  workers.enqueue([] { landlock_restrict_self(3, 0); });
  boost::asio::post(io, [] { handle(); });
}`), "f").body;
  assert.deepEqual(opsOfType(body, "spawn").map((s) => [s.mechanism, s.count]), [
    ["boost::asio::thread_pool", "many"],
    ["ThreadPool", "many"],
    ["ThreadPool", "many"],
  ]);
  assert.deepEqual(nodesOfKind(body, "thread").map((t) => [t.how, shape(t.body)]), [
    ["workers.enqueue", ["restrict"]],
    ["boost::asio::post(io)", ["call:handle"]],
  ]);
});

test("a gRPC server's BuildAndStart starts its threads", () => {
  const body = fn(cpp(`
void Serve() {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("0.0.0.0:50051", grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server(builder.BuildAndStart());
  server->Wait();
}`), "Serve").body;
  assert.deepEqual(opsOfType(body, "spawn").map((s) => [s.mechanism, s.count]), [["gRPC server (BuildAndStart)", "many"]]);
});

test("a lambda stored in a variable is a function of its own; an immediately invoked one runs in place", () => {
  const ir = cpp(`
int main() {
  auto enter_sandbox = [&]() -> int {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) return -1;
    return landlock_restrict_self(fd, 0);
  };
  if (enter_sandbox() != 0) return 1;
  [&] { landlock_restrict_self(fd2, 0); }();
  return 0;
}`);
  assert.deepEqual(ir.functions.map((f) => f.name), ["main", "enter_sandbox"]);
  assert.deepEqual(opsOfType(fn(ir, "enter_sandbox").body, "restrict").length, 1);
  const main = fn(ir, "main").body;
  assert.deepEqual(shape(main).slice(0, 3), ["call:enter_sandbox", { branch: [["exit"]], exhaustive: false }, "restrict"]);
});

test("a lambda passed to an unknown call may run there or not: an optional arm", () => {
  const body = fn(cpp(`void f() { loop.on_ready([] { landlock_restrict_self(3, 0); }); std::call_once(flag, [] { init(); }); }`), "f").body;
  assert.deepEqual(shape(body), [
    { branch: [["restrict"]], exhaustive: false },
    "call:on_ready",
    { branch: [["call:init"]], exhaustive: true },
  ]);
});

test("C++ conditions with initialisers, if-declarations, throw and std::exit", () => {
  const body = fn(cpp(`
int f(int fd) {
  if (int rc = landlock_restrict_self(fd, LANDLOCK_RESTRICT_SELF_TSYNC); rc != 0) throw std::system_error(errno, std::generic_category());
  if (auto abi = landlock_create_ruleset(nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION); abi < 8) std::exit(1);
  return 0;
}`), "f").body;
  const restrict = onlyOp(body, "restrict");
  assert.equal(restrict.resultChecked, "yes");
  assert.equal(restrict.flags.tsync, "yes");
  const branches = nodesOfKind(body, "branch");
  assert.deepEqual(branches[0]!.arms[0]!.cond, { kind: "error-path" });
  assert.deepEqual(branches[1]!.arms[0]!.cond, { kind: "abi-at-least", abi: 8, negated: true });
  assert.deepEqual(nodesOfKind(body, "exit").map((e) => e.leaves), [undefined, "process", undefined]);
});

test("static-initialised threads and pools run before main", () => {
  const ir = cpp(`
static ThreadPool g_pool(4);
int main() { return landlock_restrict_self(3, 0); }`);
  assert.equal(fn(ir, "main").runtimeThreads?.mechanism, "ThreadPool");
  const ctor = cpp(`
__attribute__((constructor)) static void start_logger(void) { pthread_create(&t, nullptr, log_loop, nullptr); }
int main() { return 0; }`);
  assert.equal(fn(ctor, "main").runtimeThreads?.mechanism, "start_logger (constructor)");
  assert.equal(fn(cpp(`int main() { return 0; }`), "main").runtimeThreads, undefined);
});

test("try/catch: the handlers are optional arms after the body", () => {
  const body = fn(cpp(`void f() { try { enter(); } catch (const std::exception &e) { report(); } }`), "f").body;
  assert.deepEqual(shape(body), ["call:enter", { branch: [["call:report"]], exhaustive: false }]);
});

test("settings.restrictWrappers may name methods as Type::method", () => {
  const code = `void f(int fd) { Policy policy; if (policy.Enforce(fd) != 0) std::exit(1); other.Enforce(fd); }`;
  const body = fn(cpp(code, { restrictWrappers: ["Policy::Enforce"] }), "f").body;
  assert.deepEqual(opsOfType(body, "restrict").map((r) => [r.api, r.resultChecked]), [["Enforce", "yes"]]);
});
