// The checks a schema cannot express: names must exist before they are used, new names
// must be new, and a few combinations make no sense. Runtime conditions (a thread that has
// exited, a ruleset fd that another process never inherited) are left to the model, which
// reports them as the kernel would.

import type { ConcurrentOp, Scenario, Step } from "./scenario.js";
import type { ValidationError } from "./validate.js";

interface Names {
  threads: Map<string, number>;
  processes: Map<string, number>;
  fds: Map<string, number>;
  owned: Set<string>;
}

/** Index of the first step introducing each name, to say "used before it is created (at $.steps[n])". */
function futureNames(steps: readonly Step[]): { threads: Map<string, number>; fds: Map<string, number> } {
  const threads = new Map<string, number>();
  const fds = new Map<string, number>();
  steps.forEach((s, i) => {
    if (s.op === "spawn_thread" && !threads.has(s.new)) threads.set(s.new, i);
    if (s.op === "fork" && !threads.has(s.child)) threads.set(s.child, i);
    if (s.op === "create_ruleset" && !fds.has(s.as)) fds.set(s.as, i);
    if (s.op === "open" && s.as && !fds.has(s.as)) fds.set(s.as, i);
    if (s.op === "restrict_self") for (const c of s.concurrent ?? []) if (c.op === "spawn_thread" && !threads.has(c.new)) threads.set(c.new, i);
  });
  return { threads, fds };
}

export function checkSemantics(scenario: Scenario): ValidationError[] {
  const errors: ValidationError[] = [];
  const mainThread = scenario.mainThread ?? "main";
  const processName = scenario.process ?? "p1";
  const names: Names = {
    threads: new Map([[mainThread, -1]]),
    processes: new Map([[processName, -1]]),
    fds: new Map(),
    owned: new Set(),
  };
  const later = futureNames(scenario.steps);

  const needThread = (name: string, path: string) => {
    if (names.threads.has(name)) return;
    const at = later.threads.get(name);
    errors.push({ path, message: at !== undefined ? `thread "${name}" is used before it is created (at $.steps[${at}])` : `unknown thread "${name}": no step creates it` });
  };
  const needProcessOrThread = (name: string, path: string) => {
    if (names.threads.has(name) || names.processes.has(name)) return;
    const at = later.threads.get(name);
    errors.push({ path, message: at !== undefined ? `"${name}" is used before it is created (at $.steps[${at}])` : `unknown process or thread "${name}"` });
  };
  const needRuleset = (name: string, path: string) => {
    if (names.fds.has(name)) return;
    const at = later.fds.get(name);
    errors.push({ path, message: at !== undefined ? `ruleset "${name}" is used before it is created (at $.steps[${at}])` : `unknown ruleset "${name}": no create_ruleset step names it` });
  };
  const fresh = (name: string, path: string, kind: string) => {
    if (names.threads.has(name) || names.processes.has(name)) {
      errors.push({ path, message: `the name "${name}" is already taken by an existing thread or process; a new ${kind} needs a new name` });
      return false;
    }
    return true;
  };

  scenario.steps.forEach((step, i) => {
    const at = `$.steps[${i}]`;
    if ("thread" in step) needThread(step.thread, `${at}.thread`);
    switch (step.op) {
      case "spawn_thread":
        if (fresh(step.new, `${at}.new`, "thread")) names.threads.set(step.new, i);
        break;
      case "fork":
        if (fresh(step.child, `${at}.child`, "process")) {
          names.threads.set(step.child, i);
          names.processes.set(step.child, i);
        }
        break;
      case "create_ruleset":
        names.fds.set(step.as, i);
        break;
      case "open":
        if (step.as) names.fds.set(step.as, i);
        break;
      case "add_rule":
        needRuleset(step.ruleset, `${at}.ruleset`);
        break;
      case "restrict_self":
        if (step.ruleset !== -1) needRuleset(step.ruleset, `${at}.ruleset`);
        if (step.via && step.via !== "syscall" && step.flags?.includes("tsync")) {
          errors.push({ path: `${at}.flags`, message: `tsync cannot be combined with via "${step.via}": the broadcast already makes every thread call restrict_self` });
        }
        (step.concurrent ?? []).forEach((c: ConcurrentOp, j) => {
          const cpath = `${at}.concurrent[${j}]`;
          needThread(c.thread, `${cpath}.thread`);
          if (c.thread === step.thread) errors.push({ path: `${cpath}.thread`, message: `"${c.thread}" is the thread making the call: it cannot do anything else meanwhile` });
          if (c.op === "spawn_thread" && fresh(c.new, `${cpath}.new`, "thread")) names.threads.set(c.new, i);
        });
        break;
      case "kill":
        needProcessOrThread(step.target, `${at}.target`);
        break;
      case "tgkill":
        needThread(step.target, `${at}.target`);
        break;
      case "fcntl_setown":
        needProcessOrThread(step.owner, `${at}.owner`);
        names.owned.add(step.fd);
        break;
      case "sigio":
        if (!names.owned.has(step.fd)) errors.push({ path: `${at}.fd`, message: `no earlier fcntl_setown step sets an owner for "${step.fd}"` });
        break;
      default:
        break;
    }
  });

  const faulty = scenario.faults?.enomemAtPrepare;
  if (faulty !== undefined && !names.threads.has(faulty)) {
    errors.push({ path: "$.faults.enomemAtPrepare", message: `unknown thread "${faulty}"` });
  }
  return errors;
}
