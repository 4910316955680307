// Which scenario paths are regular files: what add_rule's file check needs. A scenario
// lists its files and opens paths; any path with another scenario path beneath it must be
// a directory, and everything else (rule targets, their parents) is one too.

import type { Scenario } from "../scenario.js";
import { isBeneath, normalizePath } from "./paths.js";

export function regularFiles(scenario: Scenario): Set<string> {
  const steps = Array.isArray(scenario.steps) ? scenario.steps : [];
  const listed = Array.isArray(scenario.files) ? scenario.files.filter((f): f is string => typeof f === "string") : [];
  const opened = steps.flatMap((s) => (s && s.op === "open" && typeof s.path === "string" ? [s.path] : []));
  const ruleTargets = steps.flatMap((s) => (s && s.op === "add_rule" && s.type === "path_beneath" && typeof s.path === "string" ? [s.path] : []));
  const candidates = new Set([...listed, ...opened].map(normalizePath));
  const all = new Set([...candidates, ...ruleTargets.map(normalizePath)]);
  const hasPathBeneath = (p: string) => [...all].some((q) => q !== p && isBeneath(q, p));
  return new Set([...candidates].filter((p) => p !== "/" && !hasPathBeneath(p)));
}
