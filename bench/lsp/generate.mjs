// Fixture-like C files for the language-server benchmark: ordinary helper functions
// (string handling, tables, checksums, file reading), then a sandbox function calling
// landlock_restrict_self without TSYNC, and a main that starts a thread first, so every
// file carries one single-thread-restrict finding. Deterministic: same sizes, same text.

function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOUNS = ["record", "entry", "token", "buffer", "field", "header", "chunk", "line", "item", "column"];
const VERBS = ["parse", "count", "trim", "scan", "merge", "split", "hash", "copy", "check", "format"];
const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];

function helper(rnd, index) {
  const name = `${pick(rnd, VERBS)}_${pick(rnd, NOUNS)}_${index}`;
  switch (index % 3) {
    case 0:
      return `static size_t ${name}(const char *s, size_t n)
{
\tsize_t total = 0;
\tfor (size_t i = 0; i < n && s[i] != '\\0'; i++) {
\t\tif (isspace((unsigned char)s[i]))
\t\t\tcontinue;
\t\ttotal += (size_t)(unsigned char)s[i] * ${1 + Math.floor(rnd() * 97)}u;
\t}
\treturn total % ${1000 + Math.floor(rnd() * 9000)}u;
}
`;
    case 1:
      return `static int ${name}(const char *path, char *out, size_t len)
{
\tFILE *f = fopen(path, "r");
\tif (!f)
\t\treturn -1;
\tsize_t got = fread(out, 1, len - 1, f);
\tout[got] = '\\0';
\tfclose(f);
\treturn (int)got;
}
`;
    default:
      return `static void ${name}(int *values, size_t n)
{
\tfor (size_t i = 1; i < n; i++) {
\t\tint v = values[i];
\t\tsize_t j = i;
\t\twhile (j > 0 && values[j - 1] > v) {
\t\t\tvalues[j] = values[j - 1];
\t\t\tj--;
\t\t}
\t\tvalues[j] = v;
\t}
}
`;
  }
}

const HEADER = `#include <ctype.h>
#include <linux/landlock.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

`;

const SANDBOX = `static void *worker(void *arg)
{
\treturn arg;
}

static int sandbox(void)
{
\tstruct landlock_ruleset_attr attr = {
\t\t.handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE,
\t};
\tint fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
\tif (fd < 0)
\t\treturn -1;
\tif (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
\t\treturn -1;
\tint status = 0; /* edited by the benchmark */
\tif (syscall(SYS_landlock_restrict_self, fd, 0))
\t\treturn -1;
\treturn status;
}

int main(void)
{
\tpthread_t t;
\tpthread_create(&t, NULL, worker, NULL);
\tif (sandbox())
\t\treturn 1;
\treturn 0;
}
`;

/** A C file of about `lines` lines (helpers first, the sandbox at the end). */
export function generateC(lines, seed = 1) {
  const rnd = random(seed);
  const parts = [HEADER];
  let count = HEADER.split("\n").length + SANDBOX.split("\n").length;
  for (let i = 0; count < lines; i++) {
    const h = helper(rnd, i);
    parts.push(h, "\n");
    count += h.split("\n").length;
  }
  parts.push(SANDBOX);
  return parts.join("");
}

/** 0-based line of the edited statement (two lines above the restrict call) and its text. */
export function editLine(text) {
  const lines = text.split("\n");
  const line = lines.findIndex((l) => l.includes("/* edited by the benchmark */"));
  return { line, text: lines[line], restrictLine: line + 1 };
}
