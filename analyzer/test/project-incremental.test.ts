// A project created with `incremental` (the language server's) keeps trees and function IR
// between analyses: its reports must be those of a plain project, edit after edit, and
// after a file is closed, removed and opened again.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Project } from "../src/project.js";
import type { FileReport } from "../src/findings.js";

const PROGRAM = `#include <linux/landlock.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *worker(void *arg)
{
\treturn arg;
}

static int sandbox(int fd)
{
\t/* note */
\treturn syscall(SYS_landlock_restrict_self, fd, 0);
}

int main(void)
{
\tpthread_t t;
\tpthread_create(&t, NULL, worker, NULL);
\treturn sandbox(3);
}
`;

/** What a report says, without the scenario objects (compared on their own below). */
function summary(report: FileReport): unknown {
  return { ...report, findings: report.findings.map((f) => ({ ...f, scenario: f.scenario ? JSON.stringify(f.scenario) : undefined })) };
}

test("an incremental project reports what a plain one does, edit after edit", () => {
  const dir = mkdtempSync(join(tmpdir(), "landlock-incremental-"));
  try {
    writeFileSync(join(dir, ".landlock-lint.json"), "{}");
    const file = join(dir, "program.c");
    writeFileSync(file, PROGRAM);
    const incremental = new Project(dir, { incremental: true });
    const edits = [
      (t: string) => t.replace("/* note */", "/* note: x */"),
      (t: string) => t.replace("\treturn arg;\n", "\n\n\treturn arg;\n"),
      (t: string) => t.replace("fd, 0)", "fd, LANDLOCK_RESTRICT_SELF_TSYNC)"),
      (t: string) => t.replace("LANDLOCK_RESTRICT_SELF_TSYNC)", "0)"),
      (t: string) => t.replace("int main(void)\n{", "int main(void)\n{\n\tif (1) {"),
      (t: string) => t.replace("\tif (1) {", ""),
    ];
    let text = PROGRAM;
    let findings = 0;
    for (const edit of edits) {
      text = edit(text);
      incremental.setFileText(file, text);
      const plain = new Project(dir);
      plain.setFileText(file, text);
      const expected = plain.analyzeFile(file);
      assert.deepStrictEqual(summary(incremental.analyzeFile(file)), summary(expected));
      findings += expected.findings.length;
    }
    // The program has its finding in most versions: the comparison is not between empty reports.
    assert.ok(findings >= 4, `findings over the edits: ${findings}`);
    // Closed: the disk text counts again; removed: the file is gone; opened again: analysed afresh.
    incremental.closeFile(file);
    assert.deepStrictEqual(summary(incremental.analyzeFile(file)), summary(new Project(dir).analyzeFile(file)));
    incremental.removeFile(file);
    assert.equal(incremental.analyzeFile(file).findings.length, 0);
    incremental.setFileText(file, text);
    const reopened = new Project(dir);
    reopened.setFileText(file, text);
    assert.deepStrictEqual(summary(incremental.analyzeFile(file)), summary(reopened.analyzeFile(file)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
