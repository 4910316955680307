// Operations Landlock mediates through access rights and the abstract unix socket scope:
// open(2), TCP bind/connect, abstract unix socket bind/connect.

import type { FsAccess, NetAccess } from "../scenario.js";
import type { AbstractSocket, Kernel, Thread } from "./state.js";
import { joinNames } from "./describe.js";
import { domainIdOf } from "./state.js";
import { fsDenyingLayer, netDenyingLayer, scopeDenyingLayer } from "./access.js";
import { normalizePath } from "./paths.js";

function where(thread: Thread) {
  return { thread: thread.name, process: thread.process.name, domainBefore: domainIdOf(thread), domainAfter: domainIdOf(thread) };
}

export function open(k: Kernel, thread: Thread, path: string, mode: "read" | "write", as?: string): void {
  const access: FsAccess = mode === "read" ? "read_file" : "write_file";
  const flag = mode === "read" ? "O_RDONLY" : "O_WRONLY";
  const call = `open("${path}", ${flag})${as ? ` as ${as}` : ""}`;
  const layer = fsDenyingLayer(thread.cred.domain, path, access);
  if (layer) {
    if (as) thread.process.fds.set(as, { num: -1, object: null, failure: "open failed with EACCES" });
    k.emit({
      ...where(thread), op: "open", call, target: normalizePath(path), access, result: "EACCES", value: -1,
      blocker: { kind: "fs", access, domain: layer.id },
      note: `denied by domain ${layer.id}: it handles ${access} and no rule allows it on ${normalizePath(path)}`,
    });
    return;
  }
  const num = thread.process.nextFd++;
  if (as) thread.process.fds.set(as, { num, object: { kind: "file", path: normalizePath(path) } });
  k.emit({
    ...where(thread), op: "open", call, target: normalizePath(path), access, result: "ok", value: num,
    note: thread.cred.domain ? `allowed by every layer of ${thread.cred.domain.id}` : `${thread.name} has no domain: nothing is restricted`,
  });
}

export function tcp(k: Kernel, thread: Thread, kind: "bind" | "connect", port: number): void {
  const access: NetAccess = kind === "bind" ? "bind_tcp" : "connect_tcp";
  const op = `${kind}_tcp`;
  const call = `${kind}(tcp, port ${port})`;
  const layer = k.abi >= 4 ? netDenyingLayer(thread.cred.domain, port, access) : undefined;
  if (layer) {
    k.emit({
      ...where(thread), op, call, target: String(port), access, result: "EACCES", value: -1,
      blocker: { kind: "net", access, domain: layer.id },
      note: `denied by domain ${layer.id}: it handles ${access} and no rule allows port ${port}`,
    });
    return;
  }
  k.emit({ ...where(thread), op, call, target: String(port), access, result: "ok", value: 0 });
}

/** The binder, and who holds the socket when that is not simply the binder's live process. */
function boundBy(k: Kernel, socket: AbstractSocket): string {
  const holders = k.socketHolders(socket);
  const onlyBinder = socket.binder.alive && holders.length === 1 && holders[0] === socket.binder.process;
  if (onlyBinder) return socket.binder.name;
  const exited = socket.binder.alive ? "" : "which has exited; ";
  return `${socket.binder.name} (${exited}the socket is held by ${joinNames(holders.map((p) => p.name))})`;
}

/** The socket bound to `name`, if a process still holds it open. */
function openSocket(k: Kernel, name: string): AbstractSocket | undefined {
  const socket = k.sockets.get(name);
  return socket && k.socketHolders(socket).length > 0 ? socket : undefined;
}

export function bindAbstract(k: Kernel, thread: Thread, name: string): void {
  const call = `bind(unix, "@${name}")`;
  const existing = openSocket(k, name);
  if (existing) {
    k.emit({ ...where(thread), op: "bind_abstract", call, target: name, result: "EADDRINUSE", value: -1, note: `@${name} is already bound by ${boundBy(k, existing)}` });
    return;
  }
  k.sockets.set(name, { name, binder: thread, domain: thread.cred.domain, holders: new Set([thread.process]) });
  k.emit({
    ...where(thread), op: "bind_abstract", call, target: name, result: "ok", value: 0,
    note: thread.cred.domain ? `@${name} belongs to domain ${thread.cred.domain.id}` : `@${name} belongs to no domain`,
  });
}

export function connectAbstract(k: Kernel, thread: Thread, name: string): void {
  const call = `connect(unix, "@${name}")`;
  const server = openSocket(k, name);
  if (!server) {
    const closed = k.sockets.has(name) ? ": the socket bound there was closed (exec or exit of every process holding it)" : "";
    k.emit({ ...where(thread), op: "connect_abstract", call, target: name, access: "abstract_unix_socket", result: "ECONNREFUSED", value: -1, note: `nothing listens on @${name}${closed}` });
    return;
  }
  const layer = scopeDenyingLayer(thread.cred.domain, server.domain, "abstract_unix_socket");
  if (layer) {
    k.emit({
      ...where(thread), op: "connect_abstract", call, target: name, access: "abstract_unix_socket", result: "EPERM", value: -1,
      blocker: { kind: "scope", access: "abstract_unix_socket", domain: layer.id },
      note: `@${name} was bound by ${boundBy(k, server)} in ${server.domain ? `domain ${server.domain.id}` : "no domain"}, outside scoped domain ${layer.id}`,
    });
    return;
  }
  k.emit({ ...where(thread), op: "connect_abstract", call, target: name, access: "abstract_unix_socket", result: "ok", value: 0 });
}
