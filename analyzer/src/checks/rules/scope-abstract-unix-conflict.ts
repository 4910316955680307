// landlock/scope-abstract-unix-conflict: after a domain with
// LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET is enforced, connecting to an abstract socket bound
// outside the domain (D-Bus, X11, an abstract notify socket) fails with EPERM.

import type { RuleModule } from "../hit.js";
import { scenarioBasis } from "./common.js";
import type { OpEvent } from "../engine.js";
import { callChainRelated, uniqueRelated } from "../describe.js";
import { abstractUnixScenario } from "../../scenario/build.js";

function blockingDomain(event: OpEvent) {
  if (event.op.type !== "abstract-connect") return undefined;
  return event.state.enforcements.find((e) => e.scopesKnown && e.abstractScope);
}

export const scopeAbstractUnixConflict: RuleModule = {
  name: "scope-abstract-unix-conflict",
  check(event) {
    return blockingDomain(event) ? { range: event.op.range } : undefined;
  },
  describe(hit, env) {
    const op = hit.op as Extract<typeof hit.op, { type: "abstract-connect" }>;
    const domain = hit.events.map(blockingDomain).find((d) => d)!;
    const socket = op.name ? `the abstract socket "${op.name.replace(/\0/g, "@")}"` : "an abstract unix socket";
    return {
      message: `${op.api} to ${socket} after enforcement with LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (at ${env.where(domain.file, domain.range, hit.file)}) fails with EPERM unless the socket was bound inside the same domain.`,
      related: uniqueRelated([{ file: domain.file, range: domain.range, message: "abstract unix socket scope enforced here" }, ...callChainRelated(hit.events)]),
      fixes: [],
      scenario: abstractUnixScenario({ ...scenarioBasis(hit, env), op, threads: [], socket: op.name, enforcedAt: { file: domain.file, range: domain.range } }),
    };
  },
};
