// The cheap test that keeps ESLint fast on the many files that cannot hold a finding: a
// finding sits on a Landlock call, a thread or process operation, a signal, a socket
// connect or a privilege change in the file itself, and each of those needs one of these
// words in the text. Files without any skip the analysis (and the project index) entirely.
//
// A file with none of the words can still call a project wrapper defined elsewhere;
// project-relevance.ts covers that case.

const WORDS = [
  // Landlock itself, however it is reached (wrappers, raw syscall numbers, libraries).
  "landlock", "restrict_self", "create_ruleset", "add_rule", "ruleset", "no_new_privs", "prctl",
  "cap_sys_admin", "capset", "cap_set_proc", "syscall", "psx", "allthreadssyscall",
  // Threads and processes.
  "thread", "spawn", "fork", "clone", "pre_exec", "child_setup", "omp", "async", "tokio", "rayon",
  "worker", "go func", "exec",
  // Signals, SIGIO owners, abstract sockets, privilege changes.
  "kill", "sigqueue", "raise", "setown", "sun_path", "abstract", "connect", "setuid", "setgid",
  "setresuid", "setresgid", "setreuid", "setregid", "seteuid", "setegid", "setgroups",
];

const NUMBERS = ["444", "445", "446", "0x1bc", "0x1bd", "0x1be"];

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const cache = new Map<string, RegExp>();

/** The test for files that may hold findings, given the configured spawner and wrapper names. */
export function mayHoldFindings(text: string, extraNames: readonly string[] = []): boolean {
  const key = extraNames.join("\u0000");
  let re = cache.get(key);
  if (!re) {
    const names = extraNames.map((n) => n.split(/::|\.|->/).pop() ?? n).filter((n) => n.length > 0);
    const alternatives = [...WORDS, ...names.map((n) => n.toLowerCase())].map(escape);
    re = new RegExp(`${alternatives.join("|")}|\\b(?:${NUMBERS.join("|")})\\b`, "i");
    cache.set(key, re);
  }
  return re.test(text);
}
