// Small C programs the server tests open: a thread started in another file before the
// sandbox (a single-thread-restrict finding reached across files) and a clean one.

export const WORKERS_C = `#include <pthread.h>

static void *work(void *arg) { return arg; }

void start_workers(void) {
	pthread_t t;
	pthread_create(&t, NULL, work, NULL);
}
`;

export const MAIN_C = `#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

void start_workers(void);

static int sandbox(void) {
	struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE };
	int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	if (syscall(SYS_landlock_restrict_self, fd, 0))
		return -1;
	return 0;
}

int main(void) {
	start_workers();
	if (sandbox())
		return 1;
	return 0;
}
`;

/** MAIN_C's restrict call: line 15 (0-based 14), the callee `syscall` at columns 5..12. */
export const RESTRICT_LINE = 14;
export const RESTRICT_CHAR = 5;

/** One file, no threads: the call is fine. */
export const CLEAN_C = `#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
	struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE };
	int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0)
		return 1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return 1;
	if (syscall(SYS_landlock_restrict_self, fd, 0))
		return 1;
	return 0;
}
`;
