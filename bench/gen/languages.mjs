// Source templates per language: ordinary code (parsing, arithmetic, containers, error
// handling) and the Landlock code a sandboxed service carries (ABI probe, ruleset, rules,
// no_new_privs, restrict_self, worker threads, sometimes in the wrong order). Every
// generated file is syntactically valid for its language; only files that sandbox
// themselves mention Landlock at all, so the keyword prefilter sees realistic trees.

const NOUNS = ["record", "order", "entry", "packet", "metric", "sample", "token", "chunk", "frame", "event", "span", "job"];
const VERBS = ["parse", "score", "merge", "count", "scale", "filter", "encode", "check", "rank", "fold"];

function nameOf(r, i) {
  return `${r.pick(VERBS)}_${r.pick(NOUNS)}_${i}`;
}

function camel(snake) {
  return snake.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

// ---------------------------------------------------------------- C and C++

function cFunction(r, i) {
  const name = nameOf(r, i);
  const k = r.int(2, 97);
  switch (r.int(0, 3)) {
    case 0:
      return [
        `struct ${name}_row { int id; char label[32]; double weight; };`,
        ``,
        `static int ${name}(const char *line, struct ${name}_row *out) {`,
        `  char *end;`,
        `  long id = strtol(line, &end, 10);`,
        `  if (end == line || *end != ',') return -1;`,
        `  out->id = (int)id;`,
        `  strncpy(out->label, end + 1, sizeof out->label - 1);`,
        `  out->label[sizeof out->label - 1] = '\\0';`,
        `  out->weight = id * ${k}.0 / 100.0;`,
        `  return 0;`,
        `}`,
      ];
    case 1:
      return [
        `static double ${name}(const double *values, size_t count) {`,
        `  double total = 0;`,
        `  for (size_t i = 0; i < count; i++) {`,
        `    if (values[i] < 0) continue;`,
        `    total += values[i] * ${k};`,
        `  }`,
        `  return count ? total / (double)count : 0.0;`,
        `}`,
      ];
    case 2:
      return [
        `static size_t ${name}(const char *text) {`,
        `  size_t words = 0;`,
        `  int inside = 0;`,
        `  for (const char *p = text; *p; p++) {`,
        `    if (*p == ' ' || *p == '\\n' || *p == '\\t') {`,
        `      inside = 0;`,
        `    } else if (!inside) {`,
        `      inside = 1;`,
        `      words++;`,
        `    }`,
        `  }`,
        `  return words % ${k} == 0 ? words : words + 1;`,
        `}`,
      ];
    default:
      return [
        `static int ${name}(FILE *in, unsigned long *checksum) {`,
        `  char buffer[4096];`,
        `  size_t got;`,
        `  *checksum = ${k};`,
        `  while ((got = fread(buffer, 1, sizeof buffer, in)) > 0) {`,
        `    for (size_t i = 0; i < got; i++) *checksum = (*checksum * 31u) ^ (unsigned char)buffer[i];`,
        `  }`,
        `  if (ferror(in)) {`,
        `    perror("${name}");`,
        `    return -1;`,
        `  }`,
        `  return 0;`,
        `}`,
      ];
  }
}

function cSandbox(r, cpp) {
  const noNewPrivs = r.chance(0.8);
  const spawnFirst = r.chance(0.3);
  const tsync = r.chance(0.3);
  const dir = r.pick(["/usr", "/etc", "/var/lib/app", "/srv/data"]);
  const threadStart = cpp ? [`  std::thread worker(worker_main);`] : [`  pthread_t worker;`, `  if (pthread_create(&worker, NULL, worker_main, NULL) != 0) return 1;`];
  const threadJoin = cpp ? [`  worker.join();`] : [`  pthread_join(worker, NULL);`];
  return {
    includes: [
      "#include <linux/landlock.h>",
      "#include <sys/prctl.h>",
      "#include <sys/syscall.h>",
      "#include <fcntl.h>",
      "#include <unistd.h>",
      ...(cpp ? ["#include <thread>"] : ["#include <pthread.h>"]),
    ],
    body: [
      `static int apply_sandbox(void) {`,
      `  int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);`,
      `  if (abi < 0) return -1;`,
      `  struct landlock_ruleset_attr attr = {};`,
      `  attr.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_EXECUTE;`,
      `  int ruleset_fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);`,
      `  if (ruleset_fd < 0) return -1;`,
      `  struct landlock_path_beneath_attr beneath = {};`,
      `  beneath.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE;`,
      `  beneath.parent_fd = open("${dir}", O_PATH | O_CLOEXEC);`,
      `  if (beneath.parent_fd < 0 || syscall(SYS_landlock_add_rule, ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0)) {`,
      `    close(ruleset_fd);`,
      `    return -1;`,
      `  }`,
      `  close(beneath.parent_fd);`,
      ...(noNewPrivs ? [`  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {`, `    close(ruleset_fd);`, `    return -1;`, `  }`] : []),
      `  if (syscall(SYS_landlock_restrict_self, ruleset_fd, ${tsync ? "LANDLOCK_RESTRICT_SELF_TSYNC" : "0"})) {`,
      `    close(ruleset_fd);`,
      `    return -1;`,
      `  }`,
      `  close(ruleset_fd);`,
      `  return 0;`,
      `}`,
      ``,
      `static ${cpp ? "void" : "void *"} worker_main(${cpp ? "" : "void *arg"}) {`,
      ...(cpp ? [] : [`  (void)arg;`]),
      `  FILE *f = fopen("${dir}/state", "r");`,
      `  if (f) fclose(f);`,
      ...(cpp ? [] : [`  return NULL;`]),
      `}`,
      ``,
      `int main(int argc, char **argv) {`,
      `  (void)argv;`,
      ...(spawnFirst ? threadStart : []),
      `  if (apply_sandbox() != 0) {`,
      `    perror("sandbox");`,
      `    return 1;`,
      `  }`,
      ...(spawnFirst ? [] : threadStart),
      ...threadJoin,
      `  return argc > 1;`,
      `}`,
    ],
  };
}

function cppClass(r, i) {
  const name = camel(`${r.pick(NOUNS)}_${r.pick(["cache", "index", "queue", "table"])}_${i}`).replace(/^./, (c) => c.toUpperCase());
  const k = r.int(2, 64);
  return [
    `class ${name} {`,
    ` public:`,
    `  explicit ${name}(std::size_t limit) : limit_(limit) {}`,
    `  bool insert(const std::string &key, int value) {`,
    `    if (items_.size() >= limit_) return false;`,
    `    items_[key] = value * ${k};`,
    `    return true;`,
    `  }`,
    `  int total() const {`,
    `    int sum = 0;`,
    `    for (const auto &[key, value] : items_) sum += static_cast<int>(key.size()) + value;`,
    `    return sum;`,
    `  }`,
    ``,
    ` private:`,
    `  std::size_t limit_;`,
    `  std::map<std::string, int> items_;`,
    `};`,
  ];
}

function cFile(r, lines, sandboxed, cpp) {
  const out = [`// Generated benchmark source (seeded): ordinary ${cpp ? "C++" : "C"}${sandboxed ? " with a Landlock sandbox" : ""}.`];
  const base = cpp ? ["#include <cstdio>", "#include <cstdlib>", "#include <cstring>", "#include <map>", "#include <string>"] : ["#include <stdio.h>", "#include <stdlib.h>", "#include <string.h>"];
  const sandbox = sandboxed ? cSandbox(r, cpp) : undefined;
  out.push(...base, ...(sandbox?.includes ?? []), "");
  let i = 0;
  const budget = lines - (sandbox?.body.length ?? 0);
  while (out.length < budget) {
    out.push(...(cpp && r.chance(0.4) ? cppClass(r, i) : cFunction(r, i)), "");
    i++;
  }
  if (sandbox) out.push(...sandbox.body);
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------- Go

function goFunction(r, i) {
  const name = camel(nameOf(r, i));
  const k = r.int(2, 97);
  switch (r.int(0, 2)) {
    case 0:
      return [
        `type ${name}Row struct {`,
        `\tID     int`,
        `\tLabel  string`,
        `\tWeight float64`,
        `}`,
        ``,
        `func ${name}(line string) (${name}Row, error) {`,
        `\tparts := strings.SplitN(line, ",", 2)`,
        `\tif len(parts) != 2 {`,
        `\t\treturn ${name}Row{}, fmt.Errorf("${name}: want 2 fields, got %d", len(parts))`,
        `\t}`,
        `\tid, err := strconv.Atoi(parts[0])`,
        `\tif err != nil {`,
        `\t\treturn ${name}Row{}, err`,
        `\t}`,
        `\treturn ${name}Row{ID: id, Label: parts[1], Weight: float64(id) * ${k} / 100}, nil`,
        `}`,
      ];
    case 1:
      return [
        `func ${name}(values []float64) float64 {`,
        `\ttotal := 0.0`,
        `\tfor _, v := range values {`,
        `\t\tif v < 0 {`,
        `\t\t\tcontinue`,
        `\t\t}`,
        `\t\ttotal += v * ${k}`,
        `\t}`,
        `\tif len(values) == 0 {`,
        `\t\treturn 0`,
        `\t}`,
        `\treturn total / float64(len(values))`,
        `}`,
      ];
    default:
      return [
        `func ${name}(words []string) map[string]int {`,
        `\tcounts := make(map[string]int, len(words))`,
        `\tfor _, w := range words {`,
        `\t\tw = strings.ToLower(strings.TrimSpace(w))`,
        `\t\tif w == "" {`,
        `\t\t\tcontinue`,
        `\t\t}`,
        `\t\tcounts[w] += ${k}`,
        `\t}`,
        `\treturn counts`,
        `}`,
      ];
  }
}

function goSandbox(r) {
  const dir = r.pick(["/usr", "/etc", "/var/lib/app", "/srv/data"]);
  const spawnFirst = r.chance(0.3);
  const spawn = [`\tgo func() {`, `\t\tif _, err := os.ReadFile("${dir}/state"); err != nil {`, `\t\t\tlog.Print(err)`, `\t\t}`, `\t}()`];
  return {
    imports: [`"log"`, `"os"`, ``, `"github.com/landlock-lsm/go-landlock/landlock"`],
    body: [
      `func applySandbox() error {`,
      `\treturn landlock.V5.BestEffort().RestrictPaths(`,
      `\t\tlandlock.RODirs("${dir}"),`,
      `\t\tlandlock.RWDirs("/tmp"),`,
      `\t)`,
      `}`,
      ``,
      `func main() {`,
      ...(spawnFirst ? spawn : []),
      `\tif err := applySandbox(); err != nil {`,
      `\t\tlog.Fatalf("sandbox: %v", err)`,
      `\t}`,
      ...(spawnFirst ? [] : spawn),
      `}`,
    ],
  };
}

function goFile(r, lines, sandboxed, pkg) {
  const sandbox = sandboxed ? goSandbox(r) : undefined;
  const out = [
    `// Generated benchmark source (seeded): ordinary Go${sandboxed ? " with a Landlock sandbox" : ""}.`,
    `package ${sandboxed ? "main" : pkg}`,
    ``,
    `import (`,
    `\t"fmt"`,
    `\t"strconv"`,
    `\t"strings"`,
    ...(sandbox?.imports.map((l) => (l ? `\t${l}` : l)) ?? []),
    `)`,
    ``,
    `var _ = fmt.Sprint`,
    `var _ = strconv.Itoa`,
    `var _ = strings.ToLower`,
    ``,
  ];
  const budget = lines - (sandbox?.body.length ?? 0);
  let i = 0;
  while (out.length < budget) {
    out.push(...goFunction(r, i), "");
    i++;
  }
  if (sandbox) out.push(...sandbox.body);
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------- Rust

function rustFunction(r, i) {
  const name = nameOf(r, i);
  const k = r.int(2, 97);
  switch (r.int(0, 2)) {
    case 0:
      return [
        `#[derive(Debug, Clone)]`,
        `pub struct ${camel(name).replace(/^./, (c) => c.toUpperCase())}Row {`,
        `    pub id: u32,`,
        `    pub label: String,`,
        `}`,
        ``,
        `pub fn ${name}(line: &str) -> Result<(u32, String), String> {`,
        `    let (id, label) = line.split_once(',').ok_or_else(|| format!("no comma in {line:?}"))?;`,
        `    let id: u32 = id.trim().parse().map_err(|e| format!("bad id: {e}"))?;`,
        `    Ok((id * ${k}, label.to_string()))`,
        `}`,
      ];
    case 1:
      return [
        `pub fn ${name}(values: &[f64]) -> f64 {`,
        `    let kept: Vec<f64> = values.iter().copied().filter(|v| *v >= 0.0).collect();`,
        `    if kept.is_empty() {`,
        `        return 0.0;`,
        `    }`,
        `    kept.iter().map(|v| v * ${k}.0).sum::<f64>() / kept.len() as f64`,
        `}`,
      ];
    default:
      return [
        `pub fn ${name}(text: &str) -> std::collections::HashMap<String, usize> {`,
        `    let mut counts = std::collections::HashMap::new();`,
        `    for word in text.split_whitespace() {`,
        `        *counts.entry(word.to_lowercase()).or_insert(0) += ${k};`,
        `    }`,
        `    counts`,
        `}`,
      ];
  }
}

function rustSandbox(r) {
  const dir = r.pick(["/usr", "/etc", "/var/lib/app", "/srv/data"]);
  const spawnFirst = r.chance(0.3);
  const spawn = [`    let worker = std::thread::spawn(|| std::fs::read("${dir}/state").is_ok());`];
  return {
    uses: [`use landlock::{path_beneath_rules, Access, AccessFs, Ruleset, RulesetAttr, RulesetCreatedAttr, RulesetError, ABI};`],
    body: [
      `fn apply_sandbox() -> Result<(), RulesetError> {`,
      `    let abi = ABI::V5;`,
      `    let status = Ruleset::default()`,
      `        .handle_access(AccessFs::from_all(abi))?`,
      `        .create()?`,
      `        .add_rules(path_beneath_rules(&["${dir}"], AccessFs::from_read(abi)))?`,
      `        .restrict_self()?;`,
      `    eprintln!("sandbox: {:?}", status.ruleset);`,
      `    Ok(())`,
      `}`,
      ``,
      `fn main() {`,
      ...(spawnFirst ? spawn : []),
      `    if let Err(e) = apply_sandbox() {`,
      `        eprintln!("sandbox: {e}");`,
      `        std::process::exit(1);`,
      `    }`,
      ...(spawnFirst ? [] : spawn),
      `    let _ = worker.join();`,
      `}`,
    ],
  };
}

function rustFile(r, lines, sandboxed) {
  const sandbox = sandboxed ? rustSandbox(r) : undefined;
  const out = [`// Generated benchmark source (seeded): ordinary Rust${sandboxed ? " with a Landlock sandbox" : ""}.`, ...(sandbox?.uses ?? []), ``];
  const budget = lines - (sandbox?.body.length ?? 0);
  let i = 0;
  while (out.length < budget) {
    out.push(...rustFunction(r, i), "");
    i++;
  }
  if (sandbox) out.push(...sandbox.body);
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------- TypeScript

function tsFunction(r, i) {
  const name = camel(nameOf(r, i));
  const k = r.int(2, 97);
  switch (r.int(0, 2)) {
    case 0:
      return [
        `export interface ${name.replace(/^./, (c) => c.toUpperCase())}Row {`,
        `  id: number;`,
        `  label: string;`,
        `}`,
        ``,
        `export function ${name}(line: string): { id: number; label: string } {`,
        `  const comma = line.indexOf(",");`,
        `  if (comma < 0) throw new Error(\`${name}: no comma in \${JSON.stringify(line)}\`);`,
        `  const id = Number.parseInt(line.slice(0, comma), 10);`,
        `  if (!Number.isFinite(id)) throw new Error("${name}: bad id");`,
        `  return { id: id * ${k}, label: line.slice(comma + 1) };`,
        `}`,
      ];
    case 1:
      return [
        `export function ${name}(values: readonly number[]): number {`,
        `  const kept = values.filter((v) => v >= 0);`,
        `  if (kept.length === 0) return 0;`,
        `  return kept.reduce((sum, v) => sum + v * ${k}, 0) / kept.length;`,
        `}`,
      ];
    default:
      return [
        `export async function ${name}(urls: string[], fetchOne: (url: string) => Promise<string>): Promise<Map<string, number>> {`,
        `  const sizes = new Map<string, number>();`,
        `  for (const url of urls) {`,
        `    const body = await fetchOne(url);`,
        `    sizes.set(url, body.length % ${k});`,
        `  }`,
        `  return sizes;`,
        `}`,
      ];
  }
}

function tsSandbox(r) {
  const spawnFirst = r.chance(0.3);
  const spawn = [`  const worker = new Worker(new URL("./worker.js", import.meta.url));`, `  worker.unref();`];
  return {
    imports: [`import koffi from "koffi";`, `import { Worker } from "node:worker_threads";`],
    body: [
      `const libc = koffi.load("libc.so.6");`,
      `const syscall3 = libc.func("long syscall(long, long, long, long)");`,
      `const prctl = libc.func("int prctl(int, unsigned long, unsigned long, unsigned long, unsigned long)");`,
      `const SYS_landlock_create_ruleset = 444;`,
      `const SYS_landlock_restrict_self = 446;`,
      ``,
      `export function applySandbox(): void {`,
      `  const abi = syscall3(SYS_landlock_create_ruleset, 0, 0, 1);`,
      `  if (abi < 1) throw new Error("Landlock is not available");`,
      `  const attr = Buffer.alloc(24);`,
      `  attr.writeBigUInt64LE(1n << 2n, 0);`,
      `  const fd = syscall3(SYS_landlock_create_ruleset, attr, 24, 0);`,
      `  if (fd < 0) throw new Error("landlock_create_ruleset failed");`,
      `  if (prctl(38, 1, 0, 0, 0) !== 0) throw new Error("PR_SET_NO_NEW_PRIVS failed");`,
      `  if (syscall3(SYS_landlock_restrict_self, fd, 0, 0) !== 0) throw new Error("landlock_restrict_self failed");`,
      `}`,
      ``,
      `export function start(): void {`,
      ...(spawnFirst ? spawn : []),
      `  applySandbox();`,
      ...(spawnFirst ? [] : spawn),
      `}`,
    ],
  };
}

function tsFile(r, lines, sandboxed) {
  const sandbox = sandboxed ? tsSandbox(r) : undefined;
  const out = [`// Generated benchmark source (seeded): ordinary TypeScript${sandboxed ? " with a Landlock sandbox" : ""}.`, ...(sandbox?.imports ?? []), ``];
  const budget = lines - (sandbox?.body.length ?? 0);
  let i = 0;
  while (out.length < budget) {
    out.push(...tsFunction(r, i), "");
    i++;
  }
  if (sandbox) out.push(...sandbox.body);
  return out.join("\n") + "\n";
}

/** The languages the generator writes, with the extension and the project marker of each. */
export const LANGUAGES = {
  c: { ext: ".c", marker: ".landlock-lint.json", markerText: "{}\n", write: (r, lines, sandboxed) => cFile(r, lines, sandboxed, false) },
  cpp: { ext: ".cpp", marker: ".landlock-lint.json", markerText: "{}\n", write: (r, lines, sandboxed) => cFile(r, lines, sandboxed, true) },
  go: { ext: ".go", marker: "go.mod", markerText: "module example.com/svc\n\ngo 1.22\n\nrequire github.com/landlock-lsm/go-landlock v0.5.0\n", write: (r, lines, sandboxed, pkg) => goFile(r, lines, sandboxed, pkg) },
  rust: { ext: ".rs", marker: "Cargo.toml", markerText: '[package]\nname = "svc"\nversion = "0.1.0"\nedition = "2021"\n', write: (r, lines, sandboxed) => rustFile(r, lines, sandboxed) },
  ts: { ext: ".ts", marker: "package.json", markerText: '{ "name": "svc", "private": true, "type": "module" }\n', write: (r, lines, sandboxed) => tsFile(r, lines, sandboxed) },
};
