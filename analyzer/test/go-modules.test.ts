// Go facts per module: each Go file is analysed with the go-landlock release of the nearest
// go.mod above it (a repository can hold several modules on different releases, and a
// config file can sit between a file and its go.mod), read by the one go.mod reader; and
// `--go-tags` (ProjectOptions.goBuildTags) builds every Go file with the given tags, so
// `landlocktsync` removes go-landlock's per-thread fallback.

import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Project } from "../src/project.js";
import { FileFacts, readProjectFacts } from "../src/project-facts.js";
import { parseGoMod } from "../src/frontends/go/go-mod.js";
import { parseGoTags, UsageError } from "../src/cli/options.js";
import { lint, tempProject } from "./golden/harness.js";

const goMod = (module: string, version: string): string => `module ${module}\n\ngo 1.22\n\nrequire (\n\tgithub.com/landlock-lsm/go-landlock ${version} // indirect\n)\n`;

/** A best-effort go-landlock restriction: TSYNC or per-thread fallback from v0.9.0, libpsx on every kernel before. */
const sandboxGo = (pkg: string, fn: string): string => `package ${pkg}

import "github.com/landlock-lsm/go-landlock/landlock"

func ${fn}() error {
	return landlock.V5.BestEffort().RestrictPaths(landlock.RODirs("/usr"))
}
${pkg === "main" ? `\nfunc main() {\n\tif err := ${fn}(); err != nil {\n\t\tpanic(err)\n\t}\n}\n` : ""}`;

// v0.8.0 predates TSYNC (per-thread through libpsx on every kernel, fine without scopes);
// v0.9.0 falls back to per-thread below ABI 8, which targetAbi 6 reaches. `svc` is a module
// whose package has its own `.landlock-lint.json`, so its project root is not its module root.
const MODULES: Record<string, string> = {
  "old/go.mod": goMod("example.org/old", "v0.8.0"),
  "old/sandbox.go": sandboxGo("main", "confineOld"),
  "new/go.mod": goMod("example.org/new", "v0.9.0"),
  "new/sandbox.go": sandboxGo("main", "confineNew"),
  "svc/go.mod": goMod("example.org/svc", "v0.8.0"),
  "svc/internal/sandbox/.landlock-lint.json": '{ "targetAbi": 6 }\n',
  "svc/internal/sandbox/sandbox.go": sandboxGo("sandbox", "ConfineSvc"),
};

interface JsonReport {
  findings: { ruleId: string; file: string; line: number; message: string }[];
}

async function findingsOf(dir: string, extra: string[] = []): Promise<Map<string, string[]>> {
  const run = await lint(["--format", "json", ...extra, "."], dir);
  assert.equal(run.stderr, "", "no errors");
  const report = JSON.parse(run.stdout) as JsonReport;
  const byFile = new Map<string, string[]>();
  for (const f of report.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), `${f.ruleId}: ${f.message}`]);
  return byFile;
}

test("each Go module's go-landlock release counts for its own files, even below another project marker", async () => {
  const project = tempProject(MODULES);
  try {
    const found = await findingsOf(project.dir);
    const fallback = found.get("new/sandbox.go") ?? [];
    assert.equal(fallback.length, 1, JSON.stringify([...found]));
    assert.match(fallback[0]!, /^landlock\/unsafe-tsync-fallback: go-landlock v0\.9\.0 \(go\.mod\)/);
    assert.deepEqual(found.get("old/sandbox.go"), undefined, "v0.8.0 uses libpsx on every kernel: nothing to report without scopes");
    assert.deepEqual(found.get("svc/internal/sandbox/sandbox.go"), undefined, "svc's go.mod (v0.8.0) is above the package's .landlock-lint.json");
  } finally {
    project.remove();
  }
});

test("--go-tags landlocktsync removes the per-thread fallback of releases that have the tag; other tags change nothing", async () => {
  const project = tempProject(MODULES);
  try {
    const tagged = await findingsOf(project.dir, ["--go-tags", "linux,landlocktsync"]);
    assert.deepEqual([...tagged], [], "built with landlocktsync, v0.9.0 has no psx fallback; v0.8.0 has no such tag");
    const other = await findingsOf(project.dir, ["--go-tags", "netgo", "--go-tags", "osusergo"]);
    assert.deepEqual([...other.keys()], ["new/sandbox.go"]);
  } finally {
    project.remove();
  }
});

test("one project over several modules (an editor's or API user's root): per-file releases and build tags", () => {
  const project = tempProject(MODULES);
  try {
    const rules = (p: Project, file: string) => p.analyzeFile(join(project.dir, file)).findings.map((f) => f.ruleId);
    const plain = new Project(project.dir);
    assert.deepEqual(rules(plain, "new/sandbox.go"), ["landlock/unsafe-tsync-fallback"]);
    assert.deepEqual(rules(plain, "old/sandbox.go"), []);
    const tagged = new Project(project.dir, { goBuildTags: ["landlocktsync"] });
    assert.deepEqual(rules(tagged, "new/sandbox.go"), []);

    const facts = new FileFacts(project.dir, { goBuildTags: ["landlocktsync"] });
    assert.deepEqual(facts.factsFor(join(project.dir, "old", "sandbox.go")), { goLandlockVersion: "v0.8.0", goBuildTags: ["landlocktsync"] });
    assert.deepEqual(facts.factsFor(join(project.dir, "new", "sandbox.go")), { goLandlockVersion: "v0.9.0", goBuildTags: ["landlocktsync"] });
    assert.deepEqual(facts.factsFor(join(project.dir, "svc", "internal", "sandbox", "sandbox.go")).goLandlockVersion, "v0.8.0");
    assert.deepEqual(facts.factsFor(join(project.dir, "notes.c")), {}, "no Go facts for other languages");
  } finally {
    project.remove();
  }
});

test("a Go file outside every module gets no release, not the root's, and the root's go.mod is read by the same reader", () => {
  const project = tempProject({
    "go.mod": "module example.org/root\nrequire github.com/landlock-lsm/go-landlock v0.9.0\nreplace github.com/landlock-lsm/go-landlock => github.com/acme/go-landlock v0.9.2-acme.1\n",
    "tools/go.mod": "module example.org/tools\n",
    "tools/gen.go": "package main\n",
    "main.go": "package main\n",
  });
  try {
    // The replace directive is honoured at the root too (a second, regex-based reader ignored it).
    assert.deepEqual(readProjectFacts(project.dir), { goLandlockVersion: "v0.9.2-acme.1" });
    const facts = new FileFacts(project.dir);
    assert.deepEqual(facts.factsFor(join(project.dir, "main.go")), { goLandlockVersion: "v0.9.2-acme.1" });
    assert.deepEqual(facts.factsFor(join(project.dir, "tools", "gen.go")), {}, "tools/ is its own module, without go-landlock");
  } finally {
    project.remove();
  }
});

test("go.mod syntax the reader accepts: quoted paths, `require(` blocks, CRLF line ends, comments", () => {
  const text = 'module "example.org/quoted"\r\n\r\nrequire(\r\n\t"github.com/landlock-lsm/go-landlock" v0.9.1 // pinned\r\n)\r\n// github.com/landlock-lsm/go-landlock v0.1.0 in a comment\r\n';
  assert.deepEqual(parseGoMod(text), { file: "go.mod", module: "example.org/quoted", goLandlockVersion: "v0.9.1" });
});

test("--go-tags values: comma or space separated, de-duplicated; anything but a build tag is a usage error naming the option", () => {
  assert.deepEqual(parseGoTags("linux,landlocktsync"), ["linux", "landlocktsync"]);
  assert.deepEqual(parseGoTags(" a b,a "), ["a", "b"]);
  assert.throws(() => parseGoTags(""), (e: unknown) => e instanceof UsageError && /--go-tags expects/.test(e.message));
  assert.throws(() => parseGoTags("landlock-tsync"), (e: unknown) => e instanceof UsageError && /--go-tags: "landlock-tsync" is not a build tag/.test(e.message));
});

test("--go-tags with an empty value or a bad tag exits 2 with the reason", async () => {
  const project = tempProject({ "main.go": "package main\n" });
  try {
    const empty = await lint(["--go-tags=", "."], project.dir);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /--go-tags expects a comma-separated list of build tags, got ""/);
    const bad = await lint(["--go-tags", "a;b", "."], project.dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--go-tags: "a;b" is not a build tag/);
  } finally {
    project.remove();
  }
});
