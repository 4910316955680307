// Command-line parsing. Every option is declared once in OPTION_SPECS, which drives both
// the parser and --help; bad usage raises a UsageError whose message names the option and
// the problem (the CLI prints it and exits 2).

import type { RuleLevel } from "../settings.js";
import { DEFAULT_MAX_FILE_SIZE } from "./source.js";

export class UsageError extends Error {
  override name = "UsageError";
}

export type Concurrency = "auto" | "off" | number;

export interface CliOptions {
  patterns: string[];
  format: string;
  outputFile?: string;
  explain: boolean;
  fix: boolean;
  fixDryRun: boolean;
  /** Rule levels from --rule, keyed by bare rule name. */
  rules: Record<string, RuleLevel>;
  targetAbi?: number;
  errata?: number[];
  /** --go-tags: Go build tags the Go files are built with. */
  goBuildTags?: string[];
  config?: string;
  cache: boolean;
  cacheLocation?: string;
  quiet: boolean;
  /** -1: no limit. */
  maxWarnings: number;
  progress: boolean;
  /** undefined: colour when stdout is a terminal. */
  color?: boolean;
  maxFileSize: number;
  concurrency: Concurrency;
  /** Print files, projects, worker threads, cache hits and time on stderr. */
  stats: boolean;
  /** SARIF: name the run's directory as an absolute file: URI. */
  sarifAbsolutePaths?: boolean;
  /** Report only findings not recorded in this baseline file. */
  baseline?: string;
  /** Record the current findings in this baseline file. */
  writeBaseline?: string;
  /** Report suppression comments that silence nothing. */
  reportUnusedSuppressions?: boolean;
  help: boolean;
  version: boolean;
}

export interface OptionSpec {
  name: string;
  short?: string;
  /** Placeholder of the value; absent for flags. */
  value?: string;
  help: string;
  apply(options: CliOptions, value: string, context: ParseContext): void;
}

export interface ParseContext {
  ruleNames: readonly string[];
  formats: readonly string[];
}

export const RULE_LEVELS: readonly RuleLevel[] = ["off", "warn", "error"];

function integer(option: string, text: string, min: number): number {
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`${option} expects an integer, got "${text}"`);
  const n = Number(text);
  if (n < min) throw new UsageError(`${option} must be at least ${min}, got ${n}`);
  return n;
}

/** "5MB", "512K", "1048576": K and M are binary units (1K = 1024 bytes). */
export function parseSize(option: string, text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(text);
  if (!match) throw new UsageError(`${option} expects a size such as 5MB, 512KB or 1048576, got "${text}"`);
  const unit = (match[2] ?? "b").toLowerCase()[0]!;
  const scale = unit === "k" ? 1024 : unit === "m" ? 1024 ** 2 : unit === "g" ? 1024 ** 3 : 1;
  const bytes = Math.floor(Number(match[1]) * scale);
  if (bytes < 1) throw new UsageError(`${option} must be at least 1 byte, got "${text}"`);
  return bytes;
}

/** `name:level` pairs, comma-separated; the `landlock/` prefix is optional. */
export function parseRuleOption(text: string, ruleNames: readonly string[]): Record<string, RuleLevel> {
  const rules: Record<string, RuleLevel> = {};
  for (const item of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const colon = item.lastIndexOf(":");
    if (colon === -1) throw new UsageError(`--rule expects name:off|warn|error, got "${item}"`);
    const name = item.slice(0, colon).trim().replace(/^landlock\//, "");
    const level = item.slice(colon + 1).trim();
    if (!ruleNames.includes(name)) {
      throw new UsageError(`--rule: unknown rule "${item.slice(0, colon).trim()}"; known rules: ${ruleNames.join(", ")}`);
    }
    if (!(RULE_LEVELS as readonly string[]).includes(level)) {
      throw new UsageError(`--rule ${item}: level must be off, warn or error, got "${level}"`);
    }
    rules[name] = level as RuleLevel;
  }
  if (Object.keys(rules).length === 0) throw new UsageError(`--rule expects name:off|warn|error, got "${text}"`);
  return rules;
}

export function parseErrataOption(text: string): number[] {
  if (text.trim() === "" || text.trim() === "none") return [];
  const errata = text.split(",").map((s) => integer("--errata", s, 1));
  return [...new Set(errata)].sort((a, b) => a - b);
}

/** `a,b`: Go build tags as `go build -tags` takes them (comma-separated, or the older space-separated form). */
export function parseGoTags(text: string): string[] {
  const tags = text.split(/[\s,]+/).filter((t) => t !== "");
  if (tags.length === 0) throw new UsageError(`--go-tags expects a comma-separated list of build tags, got "${text}"`);
  for (const tag of tags) {
    if (!/^[A-Za-z0-9_.]+$/.test(tag)) throw new UsageError(`--go-tags: "${tag}" is not a build tag (letters, digits, _ and . only), in "${text}"`);
  }
  return [...new Set(tags)];
}

export function parseConcurrency(text: string): Concurrency {
  if (text === "auto" || text === "off") return text;
  return integer("--concurrency", text, 1);
}

export const OPTION_SPECS: readonly OptionSpec[] = [
  {
    name: "format",
    short: "f",
    value: "NAME",
    help: "output format (default: stylish)",
    apply(o, v, context) {
      if (!context.formats.includes(v)) {
        throw new UsageError(`--format: unknown format "${v}"; available: ${context.formats.join(", ")}`);
      }
      o.format = v;
    },
  },
  { name: "output-file", short: "o", value: "FILE", help: "write the report to FILE instead of stdout", apply: (o, v) => (o.outputFile = v) },
  { name: "sarif-absolute-paths", help: "SARIF output: give %SRCROOT% the absolute file: URI of the working directory", apply: (o) => (o.sarifAbsolutePaths = true) },
  { name: "baseline", value: "FILE", help: "report only findings not recorded in FILE (see --write-baseline)", apply: (o, v) => (o.baseline = v) },
  { name: "write-baseline", value: "FILE", help: "record the current findings in FILE by fingerprint, then report only new ones", apply: (o, v) => (o.writeBaseline = v) },
  { name: "report-unused-suppressions", help: "report suppression comments that silence nothing (as errors)", apply: (o) => (o.reportUnusedSuppressions = true) },
  { name: "explain", help: "add the simulated consequence to every finding", apply: (o) => (o.explain = true) },
  { name: "fix", help: 'apply automatic fixes (kind "fix" only) to the files, then report what remains', apply: (o) => (o.fix = true) },
  { name: "fix-dry-run", help: "compute fixes without writing; JSON output carries each fixed file's text as `output`", apply: (o) => (o.fixDryRun = true) },
  {
    name: "rule",
    value: "NAME:LEVEL",
    help: "set a rule to off, warn or error (repeatable; the landlock/ prefix is optional)",
    apply: (o, v, context) => Object.assign(o.rules, parseRuleOption(v, context.ruleNames)),
  },
  { name: "target-abi", value: "N", help: "lowest Landlock ABI the code must run on (default 6)", apply: (o, v) => (o.targetAbi = integer("--target-abi", v, 1)) },
  { name: "errata", value: "LIST", help: 'errata every target kernel has, e.g. 1,2,3 ("none" for none)', apply: (o, v) => (o.errata = parseErrataOption(v)) },
  {
    name: "go-tags",
    value: "TAGS",
    help: "Go build tags the Go files are built with, comma-separated, as go build -tags (e.g. landlocktsync); repeatable",
    apply: (o, v) => (o.goBuildTags = [...new Set([...(o.goBuildTags ?? []), ...parseGoTags(v)])]),
  },
  { name: "config", short: "c", value: "FILE", help: "use this configuration file instead of .landlock-lint.json found upward", apply: (o, v) => (o.config = v) },
  { name: "cache", help: "reuse results of unchanged files (node_modules/.cache/landlock-lint)", apply: (o) => (o.cache = true) },
  { name: "cache-location", value: "DIR", help: "directory of the cache (implies --cache)", apply: (o, v) => ((o.cacheLocation = v), (o.cache = true)) },
  { name: "quiet", help: "report errors only (warnings still count for --max-warnings)", apply: (o) => (o.quiet = true) },
  { name: "max-warnings", value: "N", help: "exit 1 when there are more than N warnings", apply: (o, v) => (o.maxWarnings = integer("--max-warnings", v, -1)) },
  { name: "max-file-size", value: "SIZE", help: "skip (and report) files larger than SIZE (default 5MB)", apply: (o, v) => (o.maxFileSize = parseSize("--max-file-size", v)) },
  { name: "concurrency", value: "N|auto|off", help: "threads to lint on, this one included: a number, auto (default: by files, projects and cores) or off", apply: (o, v) => (o.concurrency = parseConcurrency(v)) },
  { name: "stats", help: "print files, projects, worker threads, cache hits and time on stderr", apply: (o) => (o.stats = true) },
  { name: "progress", help: "show progress on stderr when it is a terminal (default)", apply: (o) => (o.progress = true) },
  { name: "no-progress", help: "never show progress", apply: (o) => (o.progress = false) },
  { name: "color", help: "force colours in stylish output", apply: (o) => (o.color = true) },
  { name: "no-color", help: "never use colours", apply: (o) => (o.color = false) },
  { name: "help", short: "h", help: "show this help", apply: (o) => (o.help = true) },
  { name: "version", short: "v", help: "print the version", apply: (o) => (o.version = true) },
];

export function defaultOptions(): CliOptions {
  return {
    patterns: [],
    format: "stylish",
    explain: false,
    fix: false,
    fixDryRun: false,
    rules: {},
    cache: false,
    quiet: false,
    maxWarnings: -1,
    progress: true,
    maxFileSize: DEFAULT_MAX_FILE_SIZE,
    concurrency: "auto",
    stats: false,
    help: false,
    version: false,
  };
}

export function parseArguments(argv: readonly string[], context: ParseContext): CliOptions {
  const options = defaultOptions();
  const byName = new Map(OPTION_SPECS.map((s) => [s.name, s]));
  const byShort = new Map(OPTION_SPECS.filter((s) => s.short).map((s) => [s.short!, s]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      options.patterns.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      options.patterns.push(arg);
      continue;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (eq !== -1) inline = arg.slice(eq + 1);
      spec = byName.get(name);
    } else if (arg.length === 2) {
      spec = byShort.get(arg.slice(1));
    }
    if (!spec) throw new UsageError(`unknown option "${arg}" (see --help)`);
    const shown = `--${spec.name}`;
    let value = "";
    if (spec.value) {
      if (inline !== undefined) value = inline;
      else if (i + 1 < argv.length) value = argv[++i]!;
      else throw new UsageError(`${shown} needs a value (${spec.value})`);
    } else if (inline !== undefined) {
      throw new UsageError(`${shown} takes no value, got "${arg}"`);
    }
    spec.apply(options, value, context);
  }
  if (options.fix && options.fixDryRun) throw new UsageError("--fix and --fix-dry-run cannot be used together");
  if (options.patterns.length === 0) options.patterns.push(".");
  return options;
}

export function helpText(formats: readonly string[]): string {
  const rows = OPTION_SPECS.map((s) => {
    const names = (s.short ? `-${s.short}, ` : "    ") + `--${s.name}` + (s.value ? ` ${s.value}` : "");
    return [names, s.name === "format" ? `${s.help}; one of ${formats.join(", ")}` : s.help] as const;
  });
  const width = Math.max(...rows.map(([n]) => n.length));
  return [
    "Usage: landlock-lint [options] [paths or globs...]   (default: .)",
    "",
    "Finds misuse of Linux Landlock sandboxing in C, C++, Go, Rust and JS/TS sources.",
    "",
    "Options:",
    ...rows.map(([n, h]) => `  ${n.padEnd(width)}  ${h}`),
    "",
    "Exit codes: 0 no errors (and warnings within --max-warnings), 1 error findings or too",
    "many warnings, 2 bad usage, bad configuration or a file that could not be analysed.",
    "",
  ].join("\n");
}
