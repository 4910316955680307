// The cheap test that keeps ESLint fast on the many files that cannot hold a finding.
// Findings sit on Landlock calls, or, after enforcement elsewhere in the program, on a
// signal, an F_SETOWN, a socket connect or a privilege change; each of those needs one of
// these patterns in the file's own text (thread spawns never carry a finding: they are
// related locations). The patterns are anchored on word starts or a following "(" so that
// ordinary code ("compute", ".clone()", "skill") does not pass.
//
// A file with none of them can still call a project wrapper defined elsewhere
// (`enter_sandbox();` with the result ignored): project-relevance.ts covers that case.

const LANDLOCK = String.raw`landlock|restrict_self|create_ruleset|add_rule|no_new_privs|\bpsx|allthreadssyscall|\b(?:444|445|446|0x1b[cde])\b`;
const SIGNALS = String.raw`\b(?:kill|killpg|tgkill|tkill|sigqueue|raise|pthread_kill|signal)\s*\(|setown`;
const SOCKETS = String.raw`\bconnect\w*\s*\(|\bdial\w*\s*\(|sun_path`;
const PRIVILEGES = String.raw`\bset(?:e|re|res|fs)?[ug]id\b|\bsetgroups\b`;

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const cache = new Map<string, RegExp>();

/** Whether a file may hold findings, given the configured spawner and wrapper names. */
export function mayHoldFindings(text: string, extraNames: readonly string[] = []): boolean {
  const key = extraNames.join("\u0000");
  let re = cache.get(key);
  if (!re) {
    const names = extraNames
      .map((n) => n.split(/::|\.|->/).pop() ?? n)
      .filter((n) => n.length > 0)
      .map((n) => `\\b${escape(n)}\\b`);
    re = new RegExp([LANDLOCK, SIGNALS, SOCKETS, PRIVILEGES, ...names].join("|"), "i");
    cache.set(key, re);
  }
  return re.test(text);
}
