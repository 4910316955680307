// Which files of a project the analysis must build the IR of. A finding always involves a
// Landlock call, so the seeds are the files that mention Landlock itself; every other file
// matters only through the call graph: it calls a function that leads to a Landlock call
// (it may start threads, fork or set no_new_privs before), or it defines a function such
// code calls or starts as a thread routine (a spawn, a signal sender, a wrapper in
// another file). Both ways are tried with a cheap text test first and confirmed with the
// file's IR, round after round, so a file linked to no seed is read but never parsed.
//
// Every definition of a called name is taken in, not only the one a call will resolve to:
// call resolution looks at all the definitions of a name (an ambiguous name resolves to
// none), so the set must hold the same candidates the whole project would.

import type { IrFile } from "./ir.js";
import { forEachOp } from "./checks/program.js";

/** Rounds of growth along the call graph (wrappers of wrappers, helpers of helpers). */
export const MAX_GROWTH_ROUNDS = 8;

export interface RelevanceSource {
  /** Candidate files, in a stable order. */
  files: Iterable<string>;
  /** A file's text; undefined when it cannot be read (it then takes no part). */
  textOf(file: string): string | undefined;
  /** A file's IR; undefined when no front-end could build it. Called only for files that pass a text test. */
  irOf(file: string): IrFile | undefined;
  /** Configured names of Landlock wrappers (`restrictWrappers`): a call to one is a Landlock call. */
  wrapperNames: readonly string[];
  maxRounds?: number;
}

// `add_rule` alone is left out: other libraries have one (z3, netfilter), and Landlock's
// comes with one of these words in the same file (`landlock_add_rule`, `use landlock::`).
const LANDLOCK_WORDS = ["landlock", "restrict_?self", "create_?ruleset"];
/**
 * Raw syscall numbers (create_ruleset, add_rule, restrict_self) where a syscall is made
 * (`syscall(446, ...)`, `unix.Syscall(446, ...)`, `psx_syscall3(446, ...)`) or named
 * (`#define NR_RESTRICT 446`, `sysRestrict = 446`): a bare 444 is far more often
 * something else (an HTTP status, a table entry). Checked on the text just before each
 * number, so a file without one costs one scan.
 */
const SYSCALL_NUMBER = /\b44[456]\b/g;
const SYSCALL_NUMBER_CONTEXT = /(?:syscall\w*\s*\(\s*|#\s*define\s+\w+\s+|(?:nr|sys)\w*\s*[:=]\s*)$/i;
const CONTEXT_CHARS = 80;

function hasSyscallNumber(text: string): boolean {
  SYSCALL_NUMBER.lastIndex = 0;
  for (let m = SYSCALL_NUMBER.exec(text); m; m = SYSCALL_NUMBER.exec(text)) {
    if (SYSCALL_NUMBER_CONTEXT.test(text.slice(Math.max(0, m.index - CONTEXT_CHARS), m.index))) return true;
  }
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A test for "this text mentions Landlock": API names, constants, crates and modules, raw syscall numbers, configured wrappers. */
export function mentionsLandlock(wrapperNames: readonly string[]): (text: string) => boolean {
  const wrappers = wrapperNames.filter((n) => n.length > 0).map((n) => escapeRegExp(n));
  const re = new RegExp([...LANDLOCK_WORDS, ...wrappers].join("|"), "i");
  return (text) => re.test(text) || hasSyscallNumber(text);
}

/** The part of a qualified name a call site writes last (`Type::run`, `pkg.Run`, `obj->run` -> `run`); a module's own name (`<module:worker>`) whole. */
export function lastSegment(name: string): string {
  if (moduleOf(name) !== undefined) return name;
  return name.split(/::|\.|->/).pop() ?? name;
}

/**
 * The file name (without extension) of a JS/TS module's top level, which the JS front-end
 * names `<module:NAME>`: a worker thread runs it, and the spawning file names it by path.
 */
function moduleOf(name: string): string | undefined {
  return /^<module:(.+)>$/.exec(name)?.[1];
}

/** A file's module name as the JS front-end writes it: its base name without the extension. */
function moduleNameOfFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(0, dot) : base;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function identifiers(names: Iterable<string>): string[] {
  return [...new Set([...names].map(lastSegment))].filter((n) => IDENTIFIER.test(n));
}

function alternation(names: readonly string[]): string {
  return names.map(escapeRegExp).join("|");
}

/**
 * A test for "this text names one of these functions": a call, the function passed as a
 * thread routine or callback, or a module run as a worker (named by its file's path).
 */
export function mentionsAnyOf(names: Iterable<string>): ((text: string) => boolean) | undefined {
  const list = [...names];
  const simple = identifiers(list);
  const modules = [...new Set(list.map(moduleOf).filter((m): m is string => m !== undefined))];
  const parts: string[] = [];
  if (simple.length > 0) parts.push(`(?<![\\w$])(?:${alternation(simple)})(?![\\w$])`);
  if (modules.length > 0) parts.push(`(?<![\\w$-])(?:${alternation(modules)})(?![\\w$-])`);
  if (parts.length === 0) return undefined;
  const re = new RegExp(parts.join("|"));
  return (text) => re.test(text);
}

/**
 * A test for "this text may define one of these functions", shaped after definitions in
 * the five languages: `func`/`fn`/`function` before the name (Go receivers included); a
 * parameter list followed by a body (C, C++, JS/TS methods, with qualifiers or a return
 * type between); a name bound to a function (`name = (...) =>`, `name: function`). Loose on
 * purpose: a false match costs one parse, the IR decides.
 */
export function definesAnyOf(names: Iterable<string>): ((text: string) => boolean) | undefined {
  const simple = identifiers(names);
  if (simple.length === 0) return undefined;
  const alt = `(?:${alternation(simple)})`;
  const keyword = new RegExp(`\\b(?:func|fn|function)\\s*\\*?\\s*(?:\\([^()]*\\)\\s*)?${alt}(?![\\w$])`);
  const withBody = new RegExp(`(?<![\\w$])${alt}\\s*(?:<[^;{}()]*>\\s*)?\\((?:[^;{}()]|\\([^;{}()]*\\))*\\)[\\w\\s&:<>,*\\[\\]|.\\-?]*\\{`);
  const bound = new RegExp(`(?<![\\w$])${alt}\\s*[:=]\\s*(?:async\\b\\s*)?(?:function\\b|func\\b|\\(|[A-Za-z_$][\\w$]*\\s*=>)`);
  return (text) => keyword.test(text) || withBody.test(text) || bound.test(text);
}

type FunctionLinks = { file: string; name: string; calls: Set<string>; landlock: boolean };

const LANDLOCK_OPS = new Set(["restrict", "create-ruleset", "add-rule", "abi-query"]);

/** Per function: its name, the names it calls or starts as thread routines, and whether it makes a Landlock call itself. */
function linksOf(file: string, ir: IrFile, wrappers: ReadonlySet<string>): FunctionLinks[] {
  return ir.functions.map((fn) => {
    const calls = new Set<string>();
    let landlock = false;
    forEachOp(fn.body, (op) => {
      if (LANDLOCK_OPS.has(op.type)) landlock = true;
      else if (op.type === "call") {
        const callee = lastSegment(op.callee);
        calls.add(callee);
        for (const c of op.calleeCandidates ?? []) calls.add(lastSegment(c));
        if (wrappers.has(callee)) landlock = true;
      } else if (op.type === "spawn" && op.routine) calls.add(lastSegment(op.routine));
    });
    return { file, name: lastSegment(fn.name), calls, landlock };
  });
}

/**
 * What the set needs next, from the call graph of the files in it (linked by name, as
 * loosely as call resolution may link them):
 * - `callers`: the names of the functions that lead to a Landlock call (a caller decides
 *   what runs before it: threads, forks, no_new_privs); plus every function of a file
 *   where such a function has no caller in the set (whether any other file calls into
 *   that file changes what its uncalled functions may assume);
 * - `callees`: the names those functions, and everything they call, call or start as
 *   thread routines (what runs after, or on other threads: signals, spawns, helpers).
 */
function wantedNames(functions: readonly FunctionLinks[], isEntry: (f: FunctionLinks) => boolean): { callers: Set<string>; callees: Set<string> } {
  const leads = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of functions) {
      if (leads.has(f.name)) continue;
      if (f.landlock || [...f.calls].some((c) => leads.has(c))) {
        leads.add(f.name);
        changed = true;
      }
    }
  }
  const byName = new Map<string, FunctionLinks[]>();
  for (const f of functions) (byName.get(f.name) ?? byName.set(f.name, []).get(f.name)!).push(f);
  const reached = new Set(leads);
  const callees = new Set<string>();
  for (let queue = [...leads]; queue.length > 0; ) {
    for (const f of byName.get(queue.pop()!) ?? []) {
      for (const c of f.calls) {
        callees.add(c);
        if (!reached.has(c)) {
          reached.add(c);
          queue.push(c);
        }
      }
    }
  }
  const calledInSet = new Set(functions.flatMap((f) => [...f.calls].filter((c) => c !== f.name)));
  // (A file with an entry point counts as called from outside anyway.)
  const filesWithEntry = new Set(functions.filter(isEntry).map((f) => f.file));
  const uncalledFiles = new Set(
    functions.filter((f) => leads.has(f.name) && !calledInSet.has(f.name) && !filesWithEntry.has(f.file)).map((f) => f.file),
  );
  const callers = new Set<string>();
  for (const f of functions) {
    // Nobody calls an entry point, but any module may be started as a worker.
    if (isEntry(f) && moduleOf(f.name) === undefined) continue;
    if (leads.has(f.name) || uncalledFiles.has(f.file)) callers.add(f.name);
  }
  return { callers, callees };
}

function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) return true;
  return false;
}

/** The files that may carry or influence a finding: the Landlock files and their call-graph neighbourhood. */
export function relevantProjectFiles(source: RelevanceSource): Set<string> {
  const isSeed = mentionsLandlock(source.wrapperNames);
  const wrappers = new Set(source.wrapperNames.map(lastSegment));
  const chosen = new Set<string>();
  let pending: string[] = [];
  for (const file of source.files) {
    const text = source.textOf(file);
    if (text === undefined) continue;
    if (isSeed(text)) chosen.add(file);
    else pending.push(file);
  }
  const functions: FunctionLinks[] = [];
  const entries = new Set<FunctionLinks>();
  const take = (file: string, ir: IrFile): void => {
    const links = linksOf(file, ir, wrappers);
    ir.functions.forEach((fn, i) => fn.isEntry && entries.add(links[i]!));
    functions.push(...links);
  };
  // Names already looked for: each round looks only for the names the last round brought.
  const searchedCallers = new Set<string>();
  const searchedCallees = new Set<string>();
  let frontier = [...chosen];
  const maxRounds = source.maxRounds ?? MAX_GROWTH_ROUNDS;
  let rounds = 0;
  while (rounds < maxRounds && frontier.length > 0 && pending.length > 0) {
    for (const file of frontier) {
      const ir = source.irOf(file);
      if (ir) take(file, ir);
    }
    const wanted = wantedNames(functions, (f) => entries.has(f));
    const defined = new Set([...wanted.callers].filter((n) => !searchedCallers.has(n)));
    const called = new Set([...wanted.callees].filter((n) => !searchedCallees.has(n)));
    for (const n of defined) searchedCallers.add(n);
    for (const n of called) searchedCallees.add(n);
    const mayCall = mentionsAnyOf(defined);
    const mayDefine = definesAnyOf(called);
    const calledModules = new Set([...called].map(moduleOf).filter((m) => m !== undefined));
    if (!mayCall && !mayDefine && calledModules.size === 0) break;
    rounds++;
    const added: string[] = [];
    for (const file of pending) {
      const text = source.textOf(file);
      if (text === undefined) continue;
      const caller = mayCall?.(text) ?? false;
      const callee = (mayDefine?.(text) ?? false) || calledModules.has(moduleNameOfFile(file));
      if (!caller && !callee) continue;
      const ir = source.irOf(file);
      if (!ir) continue;
      const links = linksOf(file, ir, wrappers);
      const linked =
        (caller && links.some((f) => intersects(f.calls, defined))) ||
        (callee && ir.functions.some((fn, i) => (!fn.isEntry || moduleOf(fn.name) !== undefined) && called.has(links[i]!.name)));
      if (linked) added.push(file);
    }
    if (added.length === 0) break;
    const addedSet = new Set(added);
    for (const f of added) chosen.add(f);
    pending = pending.filter((f) => !addedSet.has(f));
    frontier = added;
  }
  return chosen;
}
