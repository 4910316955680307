// What the names of a Rust file refer to: `use` declarations (lists, renames, `self`,
// globs), `extern crate ... as ...`, and functions declared in `extern "C"` blocks (a
// program that declares `fn syscall(...)` itself calls libc's). Paths are resolved to
// the crate they come from, so that `thread::spawn` after `use std::thread;` reads as
// `std::thread::spawn` and a bare `fork()` after `use nix::unistd::fork;` as nix's fork.

import type { Node } from "../treesitter.js";
import { pathOf } from "./syntax.js";

const MAX_USES = 5_000;

export class RustImports {
  /** Local name -> full path. */
  private readonly aliases = new Map<string, string>();
  /** Prefixes imported with `::*`. */
  private readonly globs: string[] = [];
  /** Crates the file names in a `use` or a path (`landlock`, `tokio`, `nix`, ...). */
  readonly crates = new Set<string>();

  constructor(root: Node) {
    let n = 0;
    for (const use of root.descendantsOfType("use_declaration")) {
      if (n++ > MAX_USES) break;
      const arg = use.childForFieldName("argument");
      if (arg) this.collect(arg, "");
    }
    for (const ext of root.descendantsOfType("extern_crate_declaration")) {
      const name = ext.childForFieldName("name")?.text;
      const alias = ext.childForFieldName("alias")?.text;
      if (name) {
        this.crates.add(name);
        if (alias) this.aliases.set(alias, name);
      }
    }
    for (const foreign of root.descendantsOfType("foreign_mod_item")) {
      for (const sig of foreign.descendantsOfType("function_signature_item")) {
        const name = sig.childForFieldName("name")?.text;
        if (name && !this.aliases.has(name)) this.aliases.set(name, `libc::${name}`);
      }
    }
  }

  private collect(node: Node, prefix: string): void {
    const join = (p: string) => (prefix ? `${prefix}::${p}` : p);
    switch (node.type) {
      case "identifier":
      case "scoped_identifier":
      case "crate":
      case "self":
      case "super": {
        const path = pathOf(node);
        if (!path) return;
        const full = join(path);
        const last = full.split("::").pop()!;
        if (last === "self") {
          const parent = full.slice(0, -"::self".length);
          const name = parent.split("::").pop();
          if (name) this.aliases.set(name, parent);
        } else this.aliases.set(last, full);
        this.noteCrate(full);
        return;
      }
      case "use_as_clause": {
        const path = pathOf(node.childForFieldName("path"));
        const alias = node.childForFieldName("alias")?.text;
        if (path && alias && alias !== "_") this.aliases.set(alias, join(path));
        if (path) this.noteCrate(join(path));
        return;
      }
      case "scoped_use_list": {
        const path = pathOf(node.childForFieldName("path"));
        const list = node.childForFieldName("list");
        const next = path ? join(path) : prefix;
        if (path) this.noteCrate(next);
        if (list) for (const c of list.namedChildren) this.collect(c, next);
        return;
      }
      case "use_list":
        for (const c of node.namedChildren) this.collect(c, prefix);
        return;
      case "use_wildcard": {
        const inner = node.namedChild(0);
        const path = inner ? pathOf(inner) : undefined;
        const full = path ? join(path) : prefix;
        if (full) {
          this.globs.push(full);
          this.noteCrate(full);
        }
        return;
      }
      default:
        return;
    }
  }

  private noteCrate(path: string): void {
    const first = path.replace(/^::/, "").split("::")[0];
    if (first && !["crate", "self", "super"].includes(first)) this.crates.add(first);
  }

  /**
   * The full path of a path as written: the first segment through the `use` aliases,
   * leading `crate::`/`self::`/`super::`/`::` removed. A bare name a glob may provide is
   * resolved when `known` says the glob's crate has it.
   */
  resolve(path: string, known?: (candidate: string) => boolean): string {
    let p = path.replace(/^::/, "");
    const segments = p.split("::");
    const first = segments[0]!;
    const alias = this.aliases.get(first);
    if (alias && first !== "self" && first !== "crate" && first !== "super") {
      p = [alias, ...segments.slice(1)].join("::");
    } else if (segments.length === 1 && known) {
      for (const g of this.globs) {
        const candidate = `${g}::${first}`;
        if (known(candidate)) return strip(candidate);
      }
    }
    return strip(p);
  }

  /** The file imports from (or names) this crate. */
  uses(crate: string): boolean {
    return this.crates.has(crate);
  }
}

function strip(path: string): string {
  let p = path;
  for (let i = 0; i < 8; i++) {
    const next = p.replace(/^(?:crate|self|super)::/, "");
    if (next === p) break;
    p = next;
  }
  return p;
}
