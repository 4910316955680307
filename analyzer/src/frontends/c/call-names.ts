// Names of the library calls the C/C++ front-end gives a meaning to, and how a callee
// expression is named (`foo`, `ns::foo`, `obj.method`, `this->method`, `foo<T>`).

import type { Node } from "../treesitter.js";

/** Functions that never return to the caller: the IR marks an exit after them. */
export const EXIT_CALLS = new Set([
  "exit", "_exit", "_Exit", "abort", "quick_exit", "err", "errx", "verr", "verrx", "pthread_exit", "thrd_exit",
  "terminate", "die", "fatal", "panic", "bail", "xdie", "fatal_error", "g_error", "__builtin_trap", "__assert_fail",
  "std::exit", "std::abort", "std::terminate", "std::quick_exit", "std::_Exit", "errExit", "err_exit", "die_errno",
]);

/** GNU `error(status, errnum, fmt...)`: exits when status is not 0. */
export const STATUS_EXIT_CALLS = new Set(["error", "error_at_line"]);

export const EXEC_CALLS = new Set(["execve", "execv", "execvp", "execvpe", "execl", "execlp", "execle", "fexecve", "execveat", "execvP", "execlpe"]);

export const SETUID_CALLS = new Set([
  "setuid", "setgid", "seteuid", "setegid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups", "initgroups", "setfsuid", "setfsgid",
]);

export const FORK_CALLS = new Set(["fork", "vfork", "__fork", "_Fork"]);

/** Signal senders and the argument holding the target pid (undefined: own thread). */
export const SIGNAL_CALLS = new Map<string, { pidArg?: number; own?: "thread" }>([
  ["kill", { pidArg: 0 }],
  ["sigqueue", { pidArg: 0 }],
  ["killpg", { pidArg: 0 }],
  ["raise", { own: "thread" }],
  ["pthread_kill", { own: "thread" }],
  ["pthread_sigqueue", { own: "thread" }],
  ["tkill", { own: "thread" }],
  ["tgkill", { pidArg: 0 }],
  ["pidfd_send_signal", {}],
]);

/** Thread creation APIs with the argument holding the start routine. */
export const THREAD_CREATE_CALLS = new Map<string, { routineArg: number; count: "one" | "many" }>([
  ["pthread_create", { routineArg: 2, count: "one" }],
  ["thrd_create", { routineArg: 1, count: "one" }],
  ["g_thread_new", { routineArg: 1, count: "one" }],
  ["g_thread_try_new", { routineArg: 1, count: "one" }],
  ["g_thread_create", { routineArg: 0, count: "one" }],
  ["g_thread_pool_new", { routineArg: 0, count: "many" }],
  ["g_thread_pool_new_full", { routineArg: 0, count: "many" }],
  ["g_task_run_in_thread", { routineArg: 1, count: "many" }],
  ["g_task_run_in_thread_sync", { routineArg: 1, count: "many" }],
  ["uv_queue_work", { routineArg: 2, count: "many" }],
  ["uv_thread_create", { routineArg: 1, count: "one" }],
  ["uv_thread_create_ex", { routineArg: 2, count: "one" }],
  ["SDL_CreateThread", { routineArg: 0, count: "one" }],
  ["PR_CreateThread", { routineArg: 1, count: "one" }],
  ["apr_thread_create", { routineArg: 2, count: "one" }],
  ["apr_thread_pool_create", { routineArg: -1, count: "many" }],
  ["tp_create", { routineArg: -1, count: "many" }],
]);

/** Parallel-algorithm and pool entry points that start worker threads (no routine to name). */
export const PARALLEL_CALLS = new Set([
  "tbb::parallel_for", "tbb::parallel_for_each", "tbb::parallel_invoke", "tbb::parallel_reduce", "tbb::parallel_sort", "tbb::parallel_pipeline",
  "oneapi::tbb::parallel_for", "oneapi::tbb::parallel_for_each", "oneapi::tbb::parallel_invoke", "oneapi::tbb::parallel_reduce",
  "omp_set_num_threads", "dispatch_async", "dispatch_apply",
]);

/** C++ types whose construction starts threads. */
export const THREAD_TYPES = /^(?:::)?(?:std::)?(?:thread|jthread)$|^(?:::)?boost::thread$|^(?:::)?QThread$/;
export const POOL_TYPES = /thread_?pool|ThreadPool|task_group|task_arena|static_thread_pool|io_context_pool|Executor(?:Service)?Pool/i;

/** Methods on a pool object that hand a callable to a worker thread. */
export const POOL_SUBMIT_METHODS = new Set(["submit", "enqueue", "post", "push", "execute", "run", "add", "schedule", "dispatch", "push_task", "detach_task", "submit_task", "Schedule", "Submit", "Enqueue", "Post", "AddTask", "start", "Start"]);

/** Methods on a container of threads that start a thread (vector<std::thread>). */
export const THREAD_CONTAINER_METHODS = new Set(["emplace_back", "push_back", "emplace", "push", "push_front", "emplace_front", "insert"]);

/** Calls whose arguments are checked results when a Landlock call result is passed in. */
export const CHECKING_CALL = /assert|check|expect|ensure|verify|require|must|fail|fatal|die|abort|err|panic|try|unwrap|throw|guard|success|ok\b|^ok|^OK|CHECK|ASSERT|EXPECT/i;

/** Calls that pass their argument through unchanged (their use is the caller's use). */
export const TRANSPARENT_CALLS = new Set(["static_cast", "reinterpret_cast", "const_cast", "dynamic_cast", "std::move", "TEMP_FAILURE_RETRY", "likely", "unlikely", "__builtin_expect", "LIKELY", "UNLIKELY", "G_LIKELY", "G_UNLIKELY", "RETRY_ON_EINTR", "HANDLE_EINTR", "IGNORE_EINTR"]);

/**
 * Library calls that cannot reach Landlock, threads or processes: not emitted as `call`
 * ops, which keeps the IR small.
 */
export const INERT_CALLS = new Set([
  "printf", "fprintf", "sprintf", "snprintf", "vprintf", "vfprintf", "vsnprintf", "dprintf", "puts", "fputs", "putchar", "fputc", "perror", "fflush",
  "strlen", "strnlen", "strcmp", "strncmp", "strcasecmp", "strncasecmp", "strcpy", "strncpy", "strlcpy", "strcat", "strncat", "strlcat", "strchr", "strrchr", "strstr", "strdup", "strndup", "strtok", "strtok_r", "strerror", "strerror_r", "strsep", "strspn", "strcspn",
  "memcpy", "memmove", "memset", "memcmp", "memchr", "bzero", "explicit_bzero",
  "malloc", "calloc", "realloc", "free", "reallocarray", "aligned_alloc", "posix_memalign",
  "open", "openat", "close", "read", "write", "pread", "pwrite", "lseek", "fopen", "fclose", "fread", "fwrite", "fgets", "getline", "stat", "fstat", "lstat", "access", "unlink", "mkdir", "rmdir",
  "atoi", "atol", "strtol", "strtoul", "strtoll", "strtoull", "sscanf", "getenv", "setenv", "isatty", "sizeof", "offsetof", "errno", "assert", "static_assert",
  "std::move", "std::forward", "std::make_pair", "std::to_string", "std::string", "std::cout", "std::cerr", "std::min", "std::max", "std::get", "std::ref", "std::cref",
  "g_print", "g_printerr", "g_free", "g_malloc", "g_strdup", "g_debug", "g_message", "g_warning", "g_critical", "g_info",
  "syslog", "socket", "waitpid", "wait", "sleep", "usleep", "nanosleep", "time", "clock_gettime", "gettimeofday",
  "fcntl", "ioctl", "dup", "dup2", "dup3", "pipe", "pipe2", "poll", "select", "epoll_wait", "epoll_ctl", "epoll_create1", "eventfd",
  "bind", "listen", "accept", "accept4", "send", "recv", "sendmsg", "recvmsg", "recvfrom", "shutdown", "setsockopt", "getsockopt", "getsockname", "getpeername", "socketpair",
  "htonl", "htons", "ntohl", "ntohs", "inet_pton", "inet_ntop", "getaddrinfo", "freeaddrinfo",
  "opendir", "fdopendir", "readdir", "closedir", "dirfd", "rename", "renameat", "chdir", "fchdir", "chmod", "fchmod", "chown", "mkdtemp", "mkstemp", "realpath", "readlink", "symlink", "link", "truncate", "ftruncate", "fsync", "fstatat", "statx",
  "mmap", "munmap", "mprotect", "madvise", "getopt", "getopt_long", "setitimer", "alarm", "pause", "sigemptyset", "sigaddset", "sigfillset", "sigprocmask", "pthread_sigmask", "sigwait", "sigwaitinfo",
  "pthread_join", "pthread_detach", "pthread_mutex_lock", "pthread_mutex_unlock", "pthread_mutex_init", "pthread_mutex_destroy", "pthread_cond_wait", "pthread_cond_signal", "pthread_cond_broadcast", "pthread_cond_init", "pthread_once", "pthread_attr_init", "pthread_attr_destroy", "pthread_attr_setdetachstate", "pthread_barrier_wait", "pthread_barrier_init", "pthread_setname_np", "pthread_self", "pthread_equal",
  "sem_wait", "sem_post", "sem_init", "atomic_store", "atomic_load", "atomic_fetch_add", "abs", "labs", "qsort", "bsearch", "rand", "srand", "exp", "log", "sqrt", "floor", "ceil", "round",
  "fseek", "ftell", "rewind", "feof", "ferror", "fileno", "fdopen", "setvbuf", "getc", "fgetc", "ungetc", "scanf", "fscanf", "vsprintf", "asprintf", "vasprintf",
  "toupper", "tolower", "isalpha", "isdigit", "isspace", "isalnum", "isprint", "strtod", "strtof", "atof", "basename", "dirname",
  "g_object_unref", "g_error_free", "g_clear_error", "g_strfreev", "g_ptr_array_add", "g_hash_table_insert", "g_hash_table_lookup", "g_list_append", "g_main_loop_run", "g_main_loop_new", "g_main_loop_quit", "g_string_append", "g_string_free", "g_string_new",
  "geteuid", "getuid", "getegid", "getgid", "getpid", "getppid", "gettid", "getpgrp", "getsid", "setsid",
  "S_ISDIR", "S_ISREG", "S_ISLNK", "FD_SET", "FD_ZERO", "FD_ISSET", "CAP_TO_INDEX", "CAP_TO_MASK", "WIFEXITED", "WEXITSTATUS", "WIFSIGNALED", "WTERMSIG", "offsetof", "ARRAY_SIZE", "countof",
]);

/** Name of a callee expression as callers write it, with candidate qualified names. */
export interface CalleeName {
  /** `foo`, `ns::foo`, `method` (for `obj.method`). */
  name: string;
  /** The object of a method call (`obj` of `obj.method()`), when there is one. */
  object?: Node;
  /** `this->method()` or a plain call inside a method: resolve in the class. */
  viaThis: boolean;
}

export function calleeNameOf(fn: Node): CalleeName | undefined {
  switch (fn.type) {
    case "identifier":
      return { name: fn.text, viaThis: false };
    case "qualified_identifier": {
      const text = fn.text.replace(/\s+/g, "").replace(/^::/, "");
      return { name: text.replace(/<[^<>]*(?:<[^<>]*>[^<>]*)*>/g, ""), viaThis: false };
    }
    case "template_function": {
      const name = fn.childForFieldName("name");
      return name ? calleeNameOf(name) : undefined;
    }
    case "field_expression": {
      const field = fn.childForFieldName("field");
      const object = fn.childForFieldName("argument");
      if (!field) return undefined;
      const fieldName = field.type === "template_method" ? (field.childForFieldName("name")?.text ?? field.text) : field.text;
      const viaThis = object?.type === "this";
      return object ? { name: fieldName, object, viaThis } : { name: fieldName, viaThis };
    }
    case "parenthesized_expression": {
      const inner = fn.namedChild(0);
      return inner ? calleeNameOf(inner) : undefined;
    }
    case "pointer_expression": {
      const arg = fn.childForFieldName("argument");
      return arg ? calleeNameOf(arg) : undefined;
    }
    default:
      return undefined;
  }
}

/** `std::thread` -> `thread`; `::close` -> `close`. */
export function baseName(name: string): string {
  const i = name.lastIndexOf("::");
  return i >= 0 ? name.slice(i + 2) : name;
}

/** `std::exit` and `exit` both match `exit`; other namespaces do not. */
export function stdName(name: string): string {
  return name.startsWith("std::") ? name.slice(5) : name;
}

/** Name of a function passed by reference (`routine`, `&routine`, `(void *(*)(void *))routine`, `Class::method`). */
export function functionRefName(node: Node | null | undefined): string | undefined {
  let n = node;
  for (let i = 0; n && i < 8; i++) {
    switch (n.type) {
      case "identifier":
        return n.text;
      case "qualified_identifier":
        return n.text.replace(/\s+/g, "").replace(/^::/, "");
      case "pointer_expression":
      case "cast_expression":
        n = n.childForFieldName("argument") ?? n.childForFieldName("value");
        continue;
      case "parenthesized_expression":
        n = n.namedChild(0);
        continue;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** Calls that use a descriptor without looking at whether it is valid (passing it on is not a check). */
export const NOT_A_CHECK = /^(?:landlock_\w+|sys_landlock_\w+|syscall|psx_syscall\d?|close|dup2?|dup3|fcntl|ioctl|read|write|fstat)$/;

/** Exit calls that end the calling thread, not the process. */
export const THREAD_EXIT_CALLS = new Set(["pthread_exit", "thrd_exit"]);

/** Registration calls and the argument holding a function that then runs repeatedly. */
export const CALLBACK_REGISTRATIONS = new Map<string, number>([
  ["signal", 1],
  ["bsd_signal", 1],
  ["sigset", 1],
  ["atexit", 0],
  ["on_exit", 0],
  ["at_quick_exit", 0],
  ["g_timeout_add", 1],
  ["g_timeout_add_seconds", 1],
  ["g_idle_add", 0],
  ["g_unix_signal_add", 1],
  ["uv_timer_start", 1],
  ["uv_signal_start", 1],
  ["uv_idle_start", 1],
  ["event_new", 3],
  ["evtimer_new", 1],
  ["evsignal_new", 2],
  ["sd_event_add_time", 5],
  ["sd_event_add_signal", 3],
]);

/** Types that hold a pool without constructing one (`std::unique_ptr<ThreadPool> pool;`). */
export const HOLDER_TYPE = /^(?:const)?(?:std::)?(?:unique_ptr|shared_ptr|weak_ptr|optional|vector|reference_wrapper)</;

export const SUN_PATH_WRITERS = new Set(["strcpy", "strncpy", "strlcpy", "stpcpy", "stpncpy", "memcpy", "memmove", "snprintf", "sprintf"]);
