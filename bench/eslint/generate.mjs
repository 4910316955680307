// Deterministic C sources for the ESLint benchmark: ordinary programs (string handling,
// parsing, checksums, sorting) with no Landlock call, signal, connect or privilege change,
// and the same programs with a correct single-threaded sandbox function added.

/** Small seeded PRNG (mulberry32) so every run lints the same files. */
export function random(seed) {
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

function pick(rnd, list) {
  return list[Math.floor(rnd() * list.length)];
}

function fn(rnd, index) {
  const name = `${pick(rnd, VERBS)}_${pick(rnd, NOUNS)}_${index}`;
  switch (index % 4) {
    case 0:
      return `static size_t ${name}(const char *s, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n && s[i] != '\\0'; i++) {
        if (isspace((unsigned char)s[i]))
            continue;
        total += (size_t)(unsigned char)s[i] * ${1 + Math.floor(rnd() * 97)}u;
    }
    return total % ${1000 + Math.floor(rnd() * 9000)}u;
}
`;
    case 1:
      return `static int ${name}(struct table *t, const char *key, long value)
{
    if (t->count == t->capacity) {
        size_t cap = t->capacity ? t->capacity * 2 : ${4 + Math.floor(rnd() * 12)};
        struct row *rows = realloc(t->rows, cap * sizeof(*rows));
        if (!rows)
            return -1;
        t->rows = rows;
        t->capacity = cap;
    }
    snprintf(t->rows[t->count].key, sizeof(t->rows[t->count].key), "%s", key);
    t->rows[t->count].value = value;
    t->count++;
    return 0;
}
`;
    case 2:
      return `static int ${name}_cmp(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->value != y->value)
        return x->value < y->value ? -1 : 1;
    return strcmp(x->key, y->key);
}

static void ${name}(struct table *t)
{
    qsort(t->rows, t->count, sizeof(*t->rows), ${name}_cmp);
}
`;
    default:
      return `static char *${name}(char *line)
{
    char *end;
    while (*line == ' ' || *line == '\\t')
        line++;
    end = line + strlen(line);
    while (end > line && (end[-1] == '\\n' || end[-1] == ' '))
        *--end = '\\0';
    return line;
}
`;
  }
}

const HEADER = `#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct row {
    char key[64];
    long value;
};

struct table {
    struct row *rows;
    size_t count, capacity;
};
`;

const SANDBOX = `#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Confines this single-threaded tool to reading: called first thing in main. */
static int sandbox_read_only(void)
{
    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0)
        return -1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || syscall(SYS_landlock_restrict_self, fd, 0) != 0) {
        close(fd);
        return -1;
    }
    close(fd);
    return 0;
}
`;

/** One program: `functions` helpers and a main reading stdin; with `sandbox`, main sandboxes itself first. */
export function program(seed, { sandbox = false, functions = 12 } = {}) {
  const rnd = random(seed);
  const parts = [HEADER];
  if (sandbox) parts.push(SANDBOX);
  for (let i = 0; i < functions; i++) parts.push(fn(rnd, i));
  parts.push(`int main(void)
{
    char buf[512];
    struct table t = { 0 };
${sandbox ? "    if (sandbox_read_only() != 0)\n        return 1;\n" : ""}    while (fgets(buf, sizeof(buf), stdin))
        printf("%s\\n", buf);
    free(t.rows);
    return 0;
}
`);
  return parts.join("\n");
}
