// Built-in stories about Landlock scopes: signals, SIGIO and abstract unix sockets.

import type { Scenario } from "../scenario.js";

export const scopeSignalParent: Scenario = {
  name: "scope-signal-parent",
  description:
    "A worker process forked by its supervisor reports progress with kill(getppid(), SIGUSR1). Once it enforces a ruleset " +
    "with LANDLOCK_SCOPE_SIGNAL, the supervisor is outside its domain and the signal is denied with EPERM.",
  abi: 6,
  process: "supervisor",
  steps: [
    { op: "fork", thread: "main", child: "worker", label: "worker process" },
    { op: "kill", thread: "worker", target: "supervisor", signal: "SIGUSR1" },
    { op: "prctl_no_new_privs", thread: "worker" },
    { op: "create_ruleset", thread: "worker", as: "rs", handledFs: ["write_file"], scoped: ["signal"] },
    { op: "restrict_self", thread: "worker", ruleset: "rs" },
    { op: "kill", thread: "worker", target: "supervisor", signal: "SIGUSR1" },
  ],
  highlights: ["kill(getppid()) works before enforcement", "after enforcement it fails with EPERM: the parent is outside the domain"],
};

export const sigioOutsideOwner: Scenario = {
  name: "sigio-outside-owner",
  description:
    "A server forked by a monitor asks for SIGIO on two sockets, owner: the monitor. F_SETOWN records the caller's domain " +
    "at the time of the call. The socket configured before enforcement keeps signalling the monitor; for the one configured " +
    "after enforcement with LANDLOCK_SCOPE_SIGNAL, the kernel silently drops every SIGIO.",
  abi: 6,
  process: "monitor",
  steps: [
    { op: "fork", thread: "main", child: "server", label: "server process" },
    { op: "fcntl_setown", thread: "server", fd: "early_sock", owner: "monitor" },
    { op: "prctl_no_new_privs", thread: "server" },
    { op: "create_ruleset", thread: "server", as: "rs", handledFs: ["write_file"], scoped: ["signal"] },
    { op: "restrict_self", thread: "server", ruleset: "rs" },
    { op: "fcntl_setown", thread: "server", fd: "late_sock", owner: "monitor" },
    { op: "sigio", fd: "early_sock" },
    { op: "sigio", fd: "late_sock" },
  ],
  highlights: ["F_SETOWN before restrict_self: SIGIO delivered", "F_SETOWN after restrict_self: SIGIO dropped, no error anywhere"],
};

export const abstractUnixScope: Scenario = {
  name: "abstract-unix-scope",
  description:
    "A desktop session listens on an abstract unix socket (as D-Bus or X11 do). An application it started enforces " +
    "LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET: connecting to the session's socket now fails with EPERM, while a socket the " +
    "application binds inside its own domain still works.",
  abi: 6,
  process: "session",
  steps: [
    { op: "bind_abstract", thread: "main", name: "/tmp/dbus-session" },
    { op: "fork", thread: "main", child: "app", label: "application" },
    { op: "connect_abstract", thread: "app", name: "/tmp/dbus-session" },
    { op: "prctl_no_new_privs", thread: "app" },
    { op: "create_ruleset", thread: "app", as: "rs", handledFs: ["write_file"], scoped: ["abstract_unix_socket"] },
    { op: "restrict_self", thread: "app", ruleset: "rs" },
    { op: "connect_abstract", thread: "app", name: "/tmp/dbus-session" },
    { op: "bind_abstract", thread: "app", name: "app-private" },
    { op: "connect_abstract", thread: "app", name: "app-private" },
  ],
  highlights: ["connect to @/tmp/dbus-session: ok before, EPERM after enforcement", "a socket bound inside the domain is reachable"],
};
