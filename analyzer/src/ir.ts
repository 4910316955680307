// The sandbox IR: what every front-end (C/C++, Go, Rust, JS/TS) produces and the only
// thing the checks read. It keeps the control-flow shape that matters for Landlock
// (sequence, alternatives, loops, code that runs in a fresh child process, code that runs
// on another thread) and drops everything else. No tree-sitter or ESTree type may leak
// into this file: that boundary is what lets one set of checks serve five languages.

export type Language = "c" | "cpp" | "go" | "rust" | "javascript" | "typescript";

/** A position: line 1-based, column 0-based in UTF-16 code units, offset 0-based into the text. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A place in some file of the project (findings point into other files through these). */
export interface Location {
  file: string;
  range: Range;
}

/** Three-valued knowledge: the front-end is sure it is set, sure it is not, or cannot tell. */
export type Tri = "yes" | "no" | "maybe";

/** Flags given to restrict_self, as far as the front-end could evaluate them. */
export interface RestrictFlags {
  tsync: Tri;
  logSameExecOff: Tri;
  logNewExecOn: Tri;
  logSubdomainsOff: Tri;
  noNewPrivs: Tri;
  /** The numeric value when it is a compile-time constant. */
  value?: number;
  /** TSYNC is present only when this ABI test holds (e.g. `abi >= 8 ? TSYNC : 0`). */
  tsyncIfAbiAtLeast?: number;
  /**
   * The flags are this (0-based) parameter of the enclosing function, passed through
   * unchanged (a wrapper: `int ll_restrict(int fd, __u32 flags) { return syscall(446, fd, flags); }`):
   * each caller's `argFlags` say what it passes.
   */
  fromParam?: number;
  /** Source text of the flags argument, for messages and fixes. */
  text?: string;
  /** Range of the flags argument (fixes edit it). */
  range?: Range;
}

/** Scopes / rights a ruleset handles, as far as known. */
export interface RulesetInfo {
  /** Scopes: "signal", "abstract_unix_socket"; `scopesKnown` false when an expression could not be evaluated. */
  scopes: string[];
  scopesKnown: boolean;
  /** Highest ABI any requested right/scope needs (e.g. 6 for scopes, 4 for TCP). */
  neededAbi: number;
  /** Names of rights or scopes that need `neededAbi`, for messages. */
  neededFor: string[];
  /** Rights/scopes are masked by an ABI query before use ("best effort"). */
  maskedByAbi: boolean;
}

/** How a restriction is applied to the threads of the process. */
export type RestrictMechanism =
  /** landlock_restrict_self / syscall(446) / wrapper: the calling thread (or all, with TSYNC). */
  | "syscall"
  /** libpsx psx_syscall / go psx.Syscall*: each thread restricts itself -> distinct domains. */
  | "libpsx"
  /** Go syscall.AllThreadsSyscall: same as libpsx, per-thread. */
  | "all-threads-syscall"
  /** A loop or routine in user code that makes every thread restrict itself. */
  | "per-thread-user"
  /** A library whose behaviour depends on its version and the kernel (go-landlock, rust-landlock). */
  | "library";

export interface LibraryInfo {
  name: "go-landlock" | "rust-landlock" | "landlock-sys" | "other";
  version?: string;
  /** Uses TSYNC when the running kernel has ABI >= 8. */
  tsyncWhenAvailable: boolean;
  /** What happens below ABI 8: per-thread (psx), one thread only, or refuse. */
  fallbackBelowTsync: "per-thread" | "single-thread" | "error" | "none";
  /** Best-effort mode drops what the kernel lacks instead of failing. */
  bestEffort: boolean;
  /** Free text for messages: "go-landlock v0.5.0 (go.mod) with build tag landlocktsync". */
  description: string;
}

export type IrOp =
  | {
      type: "spawn";
      /** "pthread_create", "std::thread", "g_thread_pool_new", "go statement", "tokio runtime", ... */
      mechanism: string;
      /** Function run by the new thread(s), when named. */
      routine?: string;
      count: "one" | "many";
      range: Range;
    }
  | {
      type: "restrict";
      mechanism: RestrictMechanism;
      flags: RestrictFlags;
      /** What the fd argument is: a ruleset, the literal -1, or unknown. */
      fd: "ruleset" | "minus-one" | "unknown";
      /** The ruleset this call enforces, when the front-end could link it. */
      ruleset?: RulesetInfo;
      rulesetRange?: Range;
      /** Whether the result (return value / error) is examined. */
      resultChecked: Tri;
      /** The result is handed to the caller (`return landlock_restrict_self(...)`, or a variable that is returned): the caller decides whether it is checked. */
      resultReturned?: boolean;
      library?: LibraryInfo;
      /**
       * A library call that reports partial or no enforcement without failing (rust-landlock's
       * `RestrictionStatus` under a best-effort or soft compatibility level: `ruleset ==
       * RulesetStatus::NotEnforced` on a kernel without Landlock) and the code never looks at
       * that report: the status is dropped, bound to `_`, or stored and never read. Absent when
       * the status is examined, handed on, or cannot be partial (HardRequirement).
       */
      statusIgnored?: boolean;
      /** The API as written, for messages ("landlock_restrict_self", "syscall(446)", "psx.Syscall3"). */
      api: string;
      range: Range;
      /** Range of the callee name (diagnostics underline it). */
      calleeRange: Range;
    }
  | {
      type: "create-ruleset";
      ruleset: RulesetInfo;
      resultChecked: Tri;
      /** See the restrict op: the result is returned to the caller. */
      resultReturned?: boolean;
      api: string;
      range: Range;
    }
  | { type: "add-rule"; resultChecked: Tri; resultReturned?: boolean; api: string; range: Range }
  | { type: "no-new-privs"; api: string; range: Range }
  /** The code states it runs with CAP_SYS_ADMIN (capset, a check of the capability, a documented privileged path). */
  | { type: "cap-sys-admin"; api: string; range: Range }
  /** landlock_create_ruleset(NULL, 0, VERSION) or a library ABI query. */
  | { type: "abi-query"; api: string; range: Range }
  | {
      type: "signal";
      /** Who receives it, as far as known. */
      target: "parent" | "process-group" | "other-process" | "own-thread" | "own-process" | "unknown";
      /**
       * The target pid is this (0-based) parameter of the enclosing function (`target` is
       * then "unknown"): each caller's `argTargets` say whom it names there.
       */
      targetParam?: number;
      api: string;
      range: Range;
    }
  /** fcntl(F_SETOWN / F_SETOWN_EX / F_SETSIG) naming a process that receives SIGIO. */
  | {
      type: "setown";
      target: "parent" | "other-process" | "own-process" | "unknown";
      /** As for signals: the owner pid is this parameter of the enclosing function. */
      targetParam?: number;
      api: string;
      range: Range;
    }
  | { type: "abstract-connect"; name?: string; api: string; range: Range }
  | { type: "setuid"; api: string; range: Range }
  | { type: "exec"; api: string; range: Range }
  /** A call to another function; resolved through the project's function summaries. */
  | {
      type: "call";
      callee: string;
      /** Candidate definitions when the front-end can name them (methods, qualified names). */
      calleeCandidates?: string[];
      resultChecked: Tri;
      /** The callee's result is returned by this function in turn (wrappers of wrappers). */
      resultReturned?: boolean;
      /**
       * Arguments that name a process (`getpid()`, `getppid()`, a forked child's pid, a
       * `(pid_t)` value), for callees whose signal/setown `targetParam` is that argument.
       */
      argTargets?: { index: number; target: "parent" | "process-group" | "other-process" | "own-thread" | "own-process" | "unknown" }[];
      /**
       * Arguments whose value is known as a restrict flags word (constants, flag macros,
       * `abi >= 8 ? TSYNC : 0`), for callees whose restrict flags come `fromParam` there.
       */
      argFlags?: { index: number; flags: RestrictFlags }[];
      range: Range;
      calleeRange: Range;
    };

export type IrNode =
  | { kind: "op"; op: IrOp }
  /**
   * Alternatives: exactly one arm runs (if/else, switch, `#if`/`#else`). `exhaustive`
   * false means "possibly none" (an `if` without `else`).
   */
  | { kind: "branch"; arms: IrArm[]; exhaustive: boolean; preprocessor: boolean; range: Range }
  | {
      kind: "loop";
      body: IrBlock;
      range: Range;
      /** The most rounds the loop can run, when the front-end can tell (`for (i = 0; i < 3; i++)`, a fixed array). */
      maxIterations?: number;
      /**
       * What makes the loop run again, when it is about Landlock: `error-path` for a retry
       * loop that repeats only while the last Landlock call fails (`do rc = restrict(...);
       * while (rc != 0 && errno == EINTR)`), so a successful call is not repeated.
       */
      repeatCond?: IrCond;
    }
  /**
   * Code that runs in a fresh single-threaded child process: the `pid == 0` arm of
   * fork/vfork, a clone without CLONE_THREAD, Rust `pre_exec`, GLib `child_setup`,
   * a Go re-exec'd helper mode.
   */
  | { kind: "child"; how: string; body: IrBlock; range: Range }
  /** Code that runs on another thread (closure given to std::thread, `go func(){}`, lambda to a pool). */
  | { kind: "thread"; how: string; body: IrBlock; range: Range }
  /**
   * Leaves the function (return, exit, panic, abort). `leaves` tells a `return` (the caller
   * continues: "function") from a call that ends the process (exit, _exit, abort, err/errx,
   * os.Exit, log.Fatal, panic, process.exit: "process"). The checks need the difference to
   * know that `if (abi < 8) die();` inside a helper protects its callers; absent means
   * "function".
   */
  | { kind: "exit"; range: Range; leaves?: "function" | "process" };

export interface IrArm {
  cond?: IrCond;
  body: IrBlock;
}

export type IrCond =
  /** The running ABI is at least `abi` (negated: below it). */
  | { kind: "abi-at-least"; abi: number; negated: boolean }
  /** The arm runs when the preceding Landlock call failed (error handling). */
  | { kind: "error-path" }
  | { kind: "other"; text: string };

export type IrBlock = IrNode[];

export interface IrFunction {
  /** Name as callers write it (C: `sandbox`; Go: `pkg.Sandbox` / method `T.Sandbox`; Rust: `sandbox` / `Type::sandbox`). */
  name: string;
  range: Range;
  nameRange: Range;
  /** The program entry point (C/C++/Rust/Go `main`, a JS module's top level). */
  isEntry: boolean;
  /** Set when the runtime is already multithreaded when this function runs (Go, tokio multi-thread, Node). */
  runtimeThreads?: { mechanism: string; range?: Range; note?: string };
  /** Set when this function runs in a fresh child (e.g. a Go/Rust helper mode re-exec'd). */
  childContext?: { how: string; note?: string };
  /** Comment or attribute stating an intentional per-thread design ("each worker sandboxes itself by design"). */
  documentedPerThread?: boolean;
  /**
   * The function may run any number of times outside the visible call graph: a signal
   * handler (`signal`/`sigaction`), a timer or event callback, an atexit handler.
   */
  runsRepeatedly?: { how: string; range?: Range };
  body: IrBlock;
}

export interface ParseProblem {
  message: string;
  range: Range;
}

/** Facts about the project that change what library calls do (read from go.mod, Cargo.lock, build tags...). */
export interface ProjectFacts {
  goLandlockVersion?: string;
  goBuildTags?: string[];
  rustLandlockVersion?: string;
}

export interface IrFile {
  file: string;
  language: Language;
  functions: IrFunction[];
  /** ERROR / MISSING nodes the parser left; the analysis covers what parsed. */
  parseProblems: ParseProblem[];
  /** Comments (range and text) for suppression directives. */
  comments: { range: Range; text: string }[];
  /** Set when the front-end could not analyse the file at all (why): the file gets an error, not a silent empty report. */
  failed?: string;
}
