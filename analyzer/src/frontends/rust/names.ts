// Names of the Rust library functions, methods and macros the front-end gives a meaning
// to. Paths are matched by their tail after `use` resolution (`std::thread::spawn` and
// `thread::spawn` both match "thread::spawn"), so code that imports a module or calls it
// fully qualified reads the same.

import { lastSegment, pathEndsWith } from "./syntax.js";

/** `path` matches one of `names` (each a path tail). */
export function matchesAny(path: string, names: readonly string[]): boolean {
  return names.some((n) => pathEndsWith(path, n));
}

/** Calls that end the process. */
export const PROCESS_EXITS = ["process::exit", "process::abort", "libc::exit", "libc::_exit", "libc::abort", "unistd::_exit", "std::process::exit"];

/** Macros that end the process (a panic in `main` or a sandbox helper unwinds and exits). */
export const PANIC_MACROS = new Set(["panic", "unreachable", "todo", "unimplemented"]);

/** Macros that return an error from the function. */
export const BAIL_MACROS = new Set(["bail"]);

/** Macros whose arguments are a condition that must hold: the process panics otherwise. */
export const ASSERT_MACROS = new Set(["assert", "assert_eq", "assert_ne"]);

/** `ensure!(cond, ...)` (anyhow, eyre): returns an error when the condition fails. */
export const ENSURE_MACROS = new Set(["ensure"]);

/** Macros whose arguments are ordinary expressions (re-parsed to see the calls inside). */
export const EXPRESSION_MACROS = new Set([
  "println", "eprintln", "print", "eprint", "format", "write", "writeln", "format_args", "dbg", "debug_assert", "debug_assert_eq",
  "debug_assert_ne", "matches", "info", "warn", "error", "debug", "trace", "log", "anyhow", "eyre", "join", "try_join", "vec",
]);

/** Thread starters taking the routine (a closure or a function) as their only argument. */
export const THREAD_SPAWNS: readonly { name: string; mechanism: string; count: "one" | "many" }[] = [
  { name: "thread::spawn", mechanism: "std::thread::spawn", count: "one" },
  { name: "rayon::spawn", mechanism: "rayon::spawn (rayon global pool)", count: "many" },
  { name: "rayon::spawn_fifo", mechanism: "rayon::spawn_fifo (rayon global pool)", count: "many" },
  { name: "task::spawn_blocking", mechanism: "tokio::task::spawn_blocking (a blocking-pool thread, even on a current_thread runtime)", count: "many" },
  { name: "tokio::spawn_blocking", mechanism: "tokio::task::spawn_blocking (a blocking-pool thread, even on a current_thread runtime)", count: "many" },
];

/** `thread::scope` and friends: the closure runs here, its handle's `spawn` starts threads. */
export const SCOPES: readonly { name: string; how: string; onPool: boolean }[] = [
  { name: "thread::scope", how: "std::thread::scope", onPool: false },
  { name: "crossbeam::scope", how: "crossbeam::scope", onPool: false },
  { name: "crossbeam_utils::thread::scope", how: "crossbeam::scope", onPool: false },
  { name: "crossbeam::thread::scope", how: "crossbeam::scope", onPool: false },
  { name: "rayon::scope", how: "rayon::scope (rayon global pool)", onPool: true },
  { name: "rayon::scope_fifo", how: "rayon::scope_fifo (rayon global pool)", onPool: true },
  { name: "rayon::in_place_scope", how: "rayon::in_place_scope", onPool: false },
];

/** Async task spawners: on a multi-thread runtime the task runs on some worker thread. */
export const TASK_SPAWNS: readonly { name: string; runtime: "tokio" | "async-std" }[] = [
  { name: "tokio::spawn", runtime: "tokio" },
  { name: "tokio::task::spawn", runtime: "tokio" },
  { name: "async_std::task::spawn", runtime: "async-std" },
  { name: "async_std::task::spawn_blocking", runtime: "async-std" },
  { name: "smol::spawn", runtime: "async-std" },
];

/** Parallel iterator entry points (rayon): their closures run on pool threads. */
export const PAR_METHODS = new Set([
  "par_iter", "par_iter_mut", "into_par_iter", "par_bridge", "par_chunks", "par_chunks_mut", "par_lines", "par_split", "par_windows",
  "par_sort", "par_sort_unstable", "par_extend", "par_drain", "par_bytes", "par_chars",
]);

export const FORKS = ["libc::fork", "libc::vfork", "unistd::fork", "nix::unistd::fork"];

export const EXECS = [
  "libc::execv", "libc::execve", "libc::execvp", "libc::execvpe", "libc::execl", "libc::execlp", "libc::execle", "libc::fexecve",
  "unistd::execv", "unistd::execve", "unistd::execvp", "unistd::execvpe", "unistd::fexecve", "unistd::execveat",
];

export const SETUIDS = [
  "setuid", "setgid", "seteuid", "setegid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups", "initgroups", "setfsuid", "setfsgid",
].flatMap((n) => [`libc::${n}`, `unistd::${n}`]);

/** Signal senders and where their target pid is (undefined: the calling thread). */
export const SIGNALS = new Map<string, { pidArg?: number; group?: boolean }>([
  ["libc::kill", { pidArg: 0 }],
  ["signal::kill", { pidArg: 0 }],
  ["libc::killpg", { pidArg: 0, group: true }],
  ["signal::killpg", { pidArg: 0, group: true }],
  ["libc::sigqueue", { pidArg: 0 }],
  ["libc::raise", {}],
  ["signal::raise", {}],
  ["libc::pthread_kill", {}],
  ["pthread::pthread_kill", {}],
  ["libc::tgkill", { pidArg: 0 }],
]);

/** Calls that return a pid, and whose pid it is. */
export const PID_SOURCES: readonly { name: string; origin: "getpid" | "getppid" | "gettid" | "pgrp" }[] = [
  { name: "libc::getppid", origin: "getppid" },
  { name: "unistd::getppid", origin: "getppid" },
  { name: "Pid::parent", origin: "getppid" },
  { name: "os::unix::process::parent_id", origin: "getppid" },
  { name: "libc::getpid", origin: "getpid" },
  { name: "unistd::getpid", origin: "getpid" },
  { name: "Pid::this", origin: "getpid" },
  { name: "process::id", origin: "getpid" },
  { name: "libc::gettid", origin: "gettid" },
  { name: "unistd::gettid", origin: "gettid" },
  { name: "libc::getpgrp", origin: "pgrp" },
  { name: "unistd::getpgrp", origin: "pgrp" },
];

/** no_new_privs setters that take no "on" argument. */
export const NNP_SETTERS = ["prctl::set_no_new_privs", "thread::set_no_new_privs", "prctl::set_no_new_privileges"];

/** Landlock syscall wrappers named after the syscalls (landlock-sys style bindings, project shims). */
export const LANDLOCK_FUNCTIONS = new Map<string, bigint>([
  ["landlock_create_ruleset", 444n],
  ["landlock_add_rule", 445n],
  ["landlock_restrict_self", 446n],
]);

/** Methods that test a `Result` (the error is looked at). */
export const RESULT_CHECKERS = new Set(["expect", "unwrap", "unwrap_or_else", "expect_err", "unwrap_err", "is_ok", "is_err", "is_ok_and", "is_err_and", "unwrap_unchecked"]);

/** Methods that keep the `Result` (or turn it into an Option) for whoever uses their value. */
export const RESULT_PASS_THROUGH = new Set(["map_err", "context", "with_context", "wrap_err", "wrap_err_with", "map", "ok", "err", "inspect", "inspect_err", "and_then", "or_else", "as_ref", "into", "map_or_else"]);

/** Methods that swallow the error. */
export const RESULT_SWALLOWERS = new Set(["unwrap_or_default", "unwrap_or", "map_or", "is_some"]);

/** Methods of std types that never run project code (no call op for them). */
export const INERT_METHODS = new Set([
  "clone", "to_string", "to_owned", "as_str", "as_ref", "as_mut", "len", "is_empty", "iter", "iter_mut", "into_iter", "collect", "push",
  "push_str", "insert", "remove", "get", "get_mut", "contains", "contains_key", "join", "lock", "read", "write", "send", "recv", "try_recv",
  "trim", "split", "lines", "parse", "display", "to_path_buf", "exists", "is_dir", "is_file", "flush", "next", "map", "filter", "for_each",
  "expect", "unwrap", "unwrap_or", "unwrap_or_else", "unwrap_or_default", "ok", "err", "is_ok", "is_err", "map_err", "context",
  "with_context", "and_then", "or_else", "as_raw_fd", "into_raw_fd", "wait", "borrow", "borrow_mut", "load", "store", "fetch_add",
  "starts_with", "ends_with", "chars", "bytes", "as_bytes", "extend", "keys", "values", "enumerate", "zip", "take", "skip", "rev",
  "cloned", "copied", "count", "sum", "min", "max", "sort", "dedup", "retain", "drain", "first", "last", "split_whitespace", "format",
  "into", "from", "try_into", "try_from", "with_capacity", "new", "default", "take_while", "skip_while", "filter_map", "flat_map",
  "any", "all", "position", "find", "fold", "chain", "peekable", "wait_timeout", "elapsed", "now", "sleep", "duration_since",
]);

/** Standard and well-known crates whose functions never call back into the project's sandbox code. */
export const EXTERNAL_CRATES = new Set([
  "std", "core", "alloc", "libc", "nix", "tokio", "rayon", "crossbeam", "crossbeam_utils", "async_std", "smol", "anyhow", "thiserror",
  "eyre", "log", "tracing", "serde", "serde_json", "clap", "landlock", "landlock_sys", "caps", "prctl", "rustix", "signal_hook", "futures",
  "env_logger", "tempfile", "regex", "once_cell", "lazy_static", "bytes", "mio", "threadpool", "num_cpus",
]);

/** Types from std and common crates: `Type::f(...)` on them is not a project call. */
export const EXTERNAL_TYPES = new Set([
  "String", "Vec", "Box", "Arc", "Rc", "Mutex", "RwLock", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "VecDeque", "Path", "PathBuf",
  "File", "OpenOptions", "Command", "Duration", "Instant", "SystemTime", "Option", "Some", "None", "Ok", "Err", "Result", "Cell",
  "RefCell", "AtomicBool", "AtomicUsize", "AtomicU64", "Condvar", "Barrier", "OsString", "OsStr", "CString", "CStr", "UnixStream",
  "UnixListener", "UnixDatagram", "TcpStream", "TcpListener", "UdpSocket", "Ruleset", "RulesetCreated", "PathFd", "PathBeneath",
  "AccessFs", "AccessNet", "Scope", "ABI", "Pid", "Signal", "Uid", "Gid", "ForkResult", "Sender", "Receiver", "JoinHandle", "Builder",
  "ThreadPoolBuilder", "Runtime", "SocketAddr", "Stdio", "BufReader", "BufWriter", "Error", "io", "fs", "env", "mpsc",
]);

export function isExternalPath(path: string): boolean {
  const segments = path.split("::");
  if (segments.length === 1) return false;
  if (EXTERNAL_CRATES.has(segments[0]!)) return true;
  const owner = segments[segments.length - 2]!;
  return EXTERNAL_TYPES.has(owner) || /^[a-z]/.test(lastSegment(path)) === false;
}
