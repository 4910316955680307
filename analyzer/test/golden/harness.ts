// Shared by the CI-format tests: the CLI run in-process, temporary projects, and the
// SARIF 2.1.0 validator (the official schema kept in analyzer/schema with its licence note).

import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import AjvModule from "ajv";
import { runCli } from "../../src/cli/run.js";

export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
export const GOLDEN_DIR = join(REPO_ROOT, "analyzer", "test", "golden");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function lint(argv: readonly string[], cwd: string): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await runCli([...argv, "--no-progress", "--concurrency", "off"], {
    cwd,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
  });
  return { code, stdout, stderr };
}

/** A temporary project (a `.landlock-lint.json` marks its root) with the given files. */
export function tempProject(files: Record<string, string>): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "landlock-ci-"));
  writeFileSync(join(dir, ".landlock-lint.json"), "{}\n");
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// RFC 3986: a URI reference uses these characters only, and `%` starts an escape.
const URI_REFERENCE = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

function isUriReference(text: string): boolean {
  if (!URI_REFERENCE.test(text)) return false;
  try {
    new URL(text, "file:///base/");
    return true;
  } catch {
    return false;
  }
}

function isUri(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(text) && isUriReference(text);
}

let validator: ((data: unknown) => { ok: boolean; errors: string[] }) | undefined;

/** Validates a SARIF log against the official SARIF 2.1.0 JSON schema. */
export function validateSarif(log: unknown): { ok: boolean; errors: string[] } {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, "analyzer", "schema", "sarif-2.1.0.json"), "utf8"));
    const Ajv = AjvModule.default;
    const ajv = new Ajv({
      allErrors: true,
      strict: true,
      // The official schema's `anyOf` branches require properties declared a level up
      // (e.g. location `index`): valid JSON Schema that this strict check alone rejects.
      strictRequired: false,
      formats: {
        uri: isUri,
        "uri-reference": isUriReference,
        "date-time": (text: string) => !Number.isNaN(Date.parse(text)) && /^\d{4}-\d\d-\d\dT/.test(text),
      },
    });
    const compiled = ajv.compile(schema);
    validator = (data) => {
      const ok = compiled(data) as boolean;
      return { ok, errors: (compiled.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? e.keyword}`) };
    };
  }
  return validator(log);
}

// Threads started before a TSYNC-less restrict_self: landlock/single-thread-restrict.
export const THREADED_C = `#define _GNU_SOURCE
#include <linux/landlock.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *worker(void *arg) { return arg; }

int main(void) {
    pthread_t a, b;
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, NULL);
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (fd < 0) exit(1);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) exit(1);
    if (syscall(SYS_landlock_restrict_self, fd, 0)) exit(1);
    return 0;
}
`;
