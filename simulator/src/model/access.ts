// The access checks Landlock makes: filesystem and network rights checked against every
// layer of a domain, and scopes (signals, abstract unix sockets) checked between two
// domains.

import type { FsAccess, NetAccess, Scope } from "../scenario.js";
import type { Domain } from "./state.js";
import { isBeneath } from "./paths.js";

/** Layers of a domain from the newest (the domain itself) to the oldest. */
export function layersOf(domain: Domain | null): Domain[] {
  const out: Domain[] = [];
  for (let d = domain; d; d = d.parent) out.push(d);
  return out;
}

/**
 * The newest layer that denies `access` on `path`, or undefined when every layer allows
 * it. A layer denies when it handles the right and none of its rules on the path or a
 * parent directory grants it.
 */
export function fsDenyingLayer(domain: Domain | null, path: string, access: FsAccess): Domain | undefined {
  return layersOf(domain).find(
    (layer) =>
      layer.handledFs.includes(access) &&
      !layer.fsRules.some((rule) => rule.access.includes(access) && isBeneath(path, rule.path)),
  );
}

export function netDenyingLayer(domain: Domain | null, port: number, access: NetAccess): Domain | undefined {
  return layersOf(domain).find(
    (layer) =>
      layer.handledNet.includes(access) &&
      !layer.netRules.some((rule) => rule.access.includes(access) && rule.port === port),
  );
}

/** True when `ancestor` is `domain` or one of its parents. */
export function isSameOrAncestor(ancestor: Domain, domain: Domain | null): boolean {
  for (let d = domain; d; d = d.parent) if (d === ancestor) return true;
  return false;
}

/**
 * The kernel's domain_is_scoped(): the layer of the client's domain that forbids reaching
 * the server, or undefined when the scope allows it. Every client layer that has the
 * scope must also be an ancestor of (or equal to) the server's domain: a client may
 * reach its own domain and its descendants, nothing else.
 */
export function scopeDenyingLayer(client: Domain | null, server: Domain | null, scope: Scope): Domain | undefined {
  return layersOf(client).find((layer) => layer.scoped.includes(scope) && !isSameOrAncestor(layer, server));
}
