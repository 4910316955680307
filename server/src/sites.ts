// The restrict_self calls of a document (code lenses, hovers on calls without a finding)
// and the scenario shown for a call the analysis found nothing wrong with: the call as
// written, made by the calling thread. The analyzer builds the scenarios of findings; it
// has no public scenario for a clean call, so this one stays deliberately plain (no
// threads are invented, nothing is inferred beyond the call's own flags and ruleset).

import type { IrBlock, IrFile, IrOp, Range, Settings } from "@landlock-lint/analyzer";
import type { Abi, Erratum, RestrictFlag, Scenario, Scope, Step } from "@landlock-lint/simulator";

export type RestrictOp = Extract<IrOp, { type: "restrict" }>;

export interface RestrictSite {
  op: RestrictOp;
  /** Enclosing function name. */
  functionName: string;
}

/** Every restrict op in the file, in source order. */
export function restrictSites(ir: IrFile): RestrictSite[] {
  const out: RestrictSite[] = [];
  const walk = (block: IrBlock, fn: string): void => {
    for (const node of block) {
      switch (node.kind) {
        case "op":
          if (node.op.type === "restrict") out.push({ op: node.op, functionName: fn });
          break;
        case "branch":
          for (const arm of node.arms) walk(arm.body, fn);
          break;
        case "loop":
        case "child":
        case "thread":
          walk(node.body, fn);
          break;
        case "exit":
          break;
      }
    }
  };
  for (const fn of ir.functions) walk(fn.body, fn.name);
  const seen = new Set<string>();
  return out
    .filter((s) => {
      const key = `${s.op.range.start.offset}:${s.op.range.end.offset}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.op.range.start.offset - b.op.range.start.offset);
}

const SECRET = "/etc/shadow";

function flagsOf(op: RestrictOp, abi: number): RestrictFlag[] {
  const flags: RestrictFlag[] = [];
  if (abi >= 7) {
    if (op.flags.logSameExecOff === "yes") flags.push("log_same_exec_off");
    if (op.flags.logNewExecOn === "yes") flags.push("log_new_exec_on");
    if (op.flags.logSubdomainsOff === "yes") flags.push("log_subdomains_off");
  }
  if (op.flags.tsync === "yes") flags.push("tsync");
  return flags;
}

/** The scenario of a call with no finding: the calling thread restricts itself with the call's flags and ruleset scopes. */
export function cleanCallScenario(site: RestrictSite, settings: Settings, fileLabel: string): Scenario {
  const op = site.op;
  const abi = Math.max(1, Math.min(11, op.flags.tsync === "yes" ? Math.max(8, settings.targetAbi) : settings.targetAbi)) as Abi;
  const scopes: Scope[] = op.ruleset?.scopesKnown ? op.ruleset.scopes.filter((s): s is Scope => s === "signal" || s === "abstract_unix_socket") : [];
  const steps: Step[] = [
    { op: "prctl_no_new_privs", thread: "main" },
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file", "write_file"], ...(abi >= 6 && scopes.length ? { scoped: scopes } : {}) },
    { op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path: "/usr", access: ["read_file"] },
    { op: "restrict_self", thread: "main", ruleset: "rs", flags: flagsOf(op, abi) },
    { op: "open", thread: "main", path: SECRET, access: "read" },
  ];
  return {
    name: `${op.api} in ${site.functionName} (${fileLabel}:${op.range.start.line})`,
    description: `No finding on this call. The calling thread restricts itself with ${op.api}${op.flags.text ? ` (flags ${op.flags.text})` : ""}.`,
    abi,
    errata: settings.errata.filter((e): e is Erratum => e === 1 || e === 2 || e === 3),
    files: [SECRET, "/usr/share/doc/README"],
    steps,
  };
}

/** The site whose call (callee name or whole call) contains the position, innermost first. */
export function siteAt(sites: RestrictSite[], contains: (r: Range) => boolean): RestrictSite | undefined {
  return sites.filter((s) => contains(s.op.range)).sort((a, b) => a.op.range.end.offset - a.op.range.start.offset - (b.op.range.end.offset - b.op.range.start.offset))[0];
}
