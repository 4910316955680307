// Which package a name in a Go file refers to: the file's imports (with aliases) mapped to
// short canonical ids the walker recognises (`unix`, `syscall`, `psx`, `landlock`,
// `llsyscall`, `os`, `exec`, `runtime`, `net`, `log`, ...). A name that no import declares
// is still read by its conventional package name, so snippets without imports work.

import type { Node } from "../treesitter.js";
import { goStringValue } from "./expr.js";

const KNOWN_PATHS: Record<string, string> = {
  "golang.org/x/sys/unix": "unix",
  syscall: "syscall",
  "kernel.org/pub/linux/libs/security/libcap/psx": "psx",
  "github.com/landlock-lsm/go-landlock/landlock": "landlock",
  "github.com/landlock-lsm/go-landlock/landlock/syscall": "llsyscall",
  "github.com/landlock-lsm/go-landlock/landlock/lltest": "lltest",
  os: "os",
  "os/exec": "exec",
  "os/signal": "signal",
  runtime: "runtime",
  net: "net",
  log: "log",
  "log/slog": "slog",
  fmt: "fmt",
  errors: "errors",
  flag: "flag",
  sync: "sync",
  time: "time",
  context: "context",
  "golang.org/x/sync/errgroup": "errgroup",
};

/** Ids assumed for names no import declares. */
const CONVENTIONAL: Record<string, string> = {
  unix: "unix",
  syscall: "syscall",
  psx: "psx",
  landlock: "landlock",
  llsyscall: "llsyscall",
  llsys: "llsyscall",
  ll: "llsyscall",
  os: "os",
  exec: "exec",
  runtime: "runtime",
  net: "net",
  log: "log",
};

/** Standard library packages (no dot in the first path element): no function of the project lives there. */
function isStandardLibrary(path: string): boolean {
  return !path.split("/")[0]!.includes(".");
}

export interface ImportedPackage {
  path: string;
  /** Canonical id for known packages, else the package's own name (last path element). */
  id: string;
  standard: boolean;
}

export class Imports {
  private readonly byName = new Map<string, ImportedPackage>();

  constructor(root: Node) {
    for (const decl of root.namedChildren) {
      if (decl.type !== "import_declaration") continue;
      for (const spec of decl.descendantsOfType("import_spec")) {
        const path = goStringValue(spec.childForFieldName("path"));
        if (!path) continue;
        const alias = spec.childForFieldName("name")?.text;
        if (alias === "_" || alias === ".") continue;
        const last = path.split("/").filter((p) => !/^v\d+$/.test(p)).pop() ?? path;
        const id = KNOWN_PATHS[path] ?? last.replace(/^go-/, "").replace(/[^\w]/g, "_");
        this.byName.set(alias ?? (KNOWN_PATHS[path] === "llsyscall" ? "syscall" : last.replace(/^go-/, "").replace(/[^\w]/g, "_")), {
          path,
          id,
          standard: isStandardLibrary(path),
        });
      }
    }
  }

  /** The canonical id of the package a selector operand names, or undefined for a variable. */
  packageId(name: string, isLocal: (name: string) => boolean): string | undefined {
    if (isLocal(name)) return undefined;
    return this.byName.get(name)?.id ?? CONVENTIONAL[name];
  }

  /** The import a name refers to. */
  get(name: string): ImportedPackage | undefined {
    return this.byName.get(name);
  }

  /** Whether the file imports this canonical package. */
  has(id: string): boolean {
    for (const p of this.byName.values()) if (p.id === id) return true;
    return false;
  }
}
