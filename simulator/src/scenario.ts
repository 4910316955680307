// The scenario format: the one input every part of the project hands to the simulator.
// The analyzer builds these from findings, the CLI reads them from JSON files, the
// real-kernel tests compile them to C. `schema/scenario.schema.json` is the JSON Schema
// of exactly these types; keep the two in step.

/** Landlock ABI version of the simulated kernel (1..11). */
export type Abi = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11;

/** Errata the simulated kernel has fixed: 1 TCP family check, 2 same-process signals always allowed, 3 disconnected directories. */
export type Erratum = 1 | 2 | 3;

export type FsAccess =
  | "execute" | "write_file" | "read_file" | "read_dir" | "remove_dir" | "remove_file"
  | "make_char" | "make_dir" | "make_reg" | "make_sock" | "make_fifo" | "make_block" | "make_sym"
  | "refer" | "truncate" | "ioctl_dev" | "resolve_unix";
export type NetAccess = "bind_tcp" | "connect_tcp" | "bind_udp" | "connect_udp" | "send_udp";
export type Scope = "abstract_unix_socket" | "signal";
export type RestrictFlag = "log_same_exec_off" | "log_new_exec_on" | "log_subdomains_off" | "tsync" | "no_new_privs";
export type Errno =
  | "EPERM" | "EINVAL" | "E2BIG" | "ENOMEM" | "EBADF" | "EBADFD" | "EOPNOTSUPP" | "ENOSYS"
  | "ENOMSG" | "EACCES" | "ESRCH" | "ECONNREFUSED" | "EFAULT" | "EINTR" | "EAGAIN" | "EADDRINUSE";

/**
 * What a step is expected to return. A run whose step disagrees lists it in
 * `Trace.failedExpectations` (and `landlock-sim run` exits 1).
 */
export type Expectation = "ok" | Errno | "delivered" | "dropped";

/**
 * Something another thread does while a `restrict_self` call is in progress: after the
 * first TSYNC discovery round has queued its task_work (the spawner was still inside
 * clone(), the exiting thread still had its task_work pending), or during a libpsx
 * broadcast (libpsx holds thread creation until the broadcast is over).
 */
export type ConcurrentOp =
  | { op: "spawn_thread"; thread: string; new: string }
  | { op: "exit_thread"; thread: string };

/** Starting credentials of the first thread of the first process. */
export interface InitialState {
  /** Effective uid; 0 does not by itself imply CAP_SYS_ADMIN (see capSysAdmin). */
  uid?: number;
  /** CAP_SYS_ADMIN in the effective set of the user namespace. Default false. */
  capSysAdmin?: boolean;
  /** no_new_privs already set (e.g. inherited). Default false. */
  noNewPrivs?: boolean;
}

/**
 * Where a program performs a step (the analyzer records it for steps taken from the code).
 * `file` is named as the analyzer names findings' files; line and column are 1-based.
 */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * One operation performed by one thread. Steps run in the order written (the real-kernel
 * programs enforce that order with barriers). Names (`thread`, `ruleset`, `process`, ...)
 * are identifiers local to the scenario. `source` only tells renderers where the program
 * does this; the simulator ignores it.
 */
export type Step = StepOperation & { source?: SourceLocation };

type StepOperation =
  | { op: "spawn_thread"; thread: string; new: string; label?: string; expect?: Expectation }
  | { op: "exit_thread"; thread: string; expect?: Expectation }
  | { op: "fork"; thread: string; child: string; label?: string; expect?: Expectation }
  | { op: "exec"; thread: string; expect?: Expectation }
  | { op: "prctl_no_new_privs"; thread: string; expect?: Expectation }
  | { op: "drop_cap_sys_admin"; thread: string; expect?: Expectation }
  | { op: "get_abi"; thread: string; expect?: Expectation }
  | { op: "get_errata"; thread: string; expect?: Expectation }
  | {
      op: "create_ruleset";
      thread: string;
      /** Name the ruleset fd is referred to by later steps. */
      as: string;
      handledFs?: FsAccess[];
      handledNet?: NetAccess[];
      scoped?: Scope[];
      expect?: Expectation;
    }
  | { op: "add_rule"; thread: string; ruleset: string; type: "path_beneath"; path: string; access: FsAccess[]; expect?: Expectation }
  | { op: "add_rule"; thread: string; ruleset: string; type: "net_port"; port: number; access: NetAccess[]; expect?: Expectation }
  | {
      op: "restrict_self";
      thread: string;
      /** Ruleset name, or -1 (only valid with log_subdomains_off, or tsync on kernels that accept it). */
      ruleset: string | -1;
      flags?: RestrictFlag[];
      /** How the call is made: directly, or broadcast by a user-space protocol to every thread of the process. */
      via?: "syscall" | "libpsx" | "all_threads_syscall";
      /** What other threads do while this call runs (see ConcurrentOp). */
      concurrent?: ConcurrentOp[];
      expect?: Expectation;
    }
  /** open(2); `as` names the resulting fd (a non-ruleset fd: passing it as a ruleset gives EBADFD). */
  | { op: "open"; thread: string; path: string; access: "read" | "write"; as?: string; expect?: Expectation }
  | { op: "connect_tcp"; thread: string; port: number; expect?: Expectation }
  | { op: "bind_tcp"; thread: string; port: number; expect?: Expectation }
  /** kill(2) to another process (its first thread) or tgkill(2) to a thread. */
  | { op: "kill"; thread: string; target: string; signal?: string; expect?: Expectation }
  | { op: "tgkill"; thread: string; target: string; signal?: string; expect?: Expectation }
  /** fcntl(F_SETOWN): the owner of `fd`'s SIGIO becomes `owner` (a process). */
  | { op: "fcntl_setown"; thread: string; fd: string; owner: string; expect?: Expectation }
  /** Something makes `fd` ready: the kernel sends SIGIO to its owner (or drops it under scoping). */
  | { op: "sigio"; fd: string; expect?: Expectation }
  | { op: "bind_abstract"; thread: string; name: string; expect?: Expectation }
  | { op: "connect_abstract"; thread: string; name: string; expect?: Expectation }
  /** setuid-family through glibc: the setxid broadcast (SIGSETXID to every thread). */
  | { op: "setuid"; thread: string; uid: number; via?: "glibc" | "raw"; expect?: Expectation };

/** Faults injected into the kernel model. */
export interface Faults {
  /**
   * Thread whose prepare_creds fails with ENOMEM in restrict_self (its own call, a libpsx
   * handler, or a TSYNC sibling's task_work). A TSYNC sibling that still shares the
   * caller's struct cred never calls prepare_creds (it takes a reference to the caller's
   * new cred), so the fault cannot fire there; the trace says so.
   */
  enomemAtPrepare?: string;
}

export interface Scenario {
  name: string;
  description?: string;
  /** Default: 6 (the project's default target ABI). */
  abi?: Abi;
  /** Errata present on the simulated kernel. Default: none. */
  errata?: Erratum[];
  initial?: InitialState;
  /** Name of the first process and of its first thread. Defaults: "p1", "main". */
  process?: string;
  mainThread?: string;
  /** Files that exist; paths not listed are still openable unless a domain denies them. */
  files?: string[];
  steps: Step[];
  faults?: Faults;
  /** What a reader should look at in the result; shown by renderers. */
  highlights?: string[];
}
