// The fixed part of every generated real-kernel program: an interpreter for the step
// tables that `c-program.ts` emits. Kept as one C text so a program is a single file
// that needs nothing but a C compiler and static glibc.
//
// Shape of a run (one per embedded scenario):
//   top-level process ── forks ──► scenario launcher (own process group, own network
//   namespace when possible, never sandboxed) ── forks ──► scenario process 0, whose
//   first thread is the scenario's main thread.
// The launcher is the controller: it hands the turn to the step at index t (shared
// futex word `turn`), waits until the owning thread reports `done`, observes what
// must be observed from outside (uids after setuid), then hands out t+1. Steps whose
// owner is gone are "skipped"; `sigio` steps are performed by the launcher itself.
// Coordination uses only futexes on a MAP_SHARED file mapping, never signals, so
// Landlock scoping cannot interfere with the bookkeeping.
//
// `exec` re-executes the program from a memfd copy of itself: memfd files live on an
// internal mount that Landlock filesystem rules do not cover, so a sandbox that denies
// reading the binary's real path still lets the step continue.

/** Includes, UAPI declarations and the table types the generated data uses. */
export const C_PRELUDE = String.raw`
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/futex.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>

/* Landlock UAPI, declared here so the program does not depend on installed headers. */
#define LL_SYS_CREATE_RULESET 444
#define LL_SYS_ADD_RULE 445
#define LL_SYS_RESTRICT_SELF 446
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_CREATE_RULESET_ERRATA (1U << 1)
#define LL_RULE_PATH_BENEATH 1
#define LL_RULE_NET_PORT 2
struct ll_ruleset_attr { uint64_t handled_access_fs; uint64_t handled_access_net; uint64_t scoped; };
struct ll_path_beneath_attr { uint64_t allowed_access; int32_t parent_fd; } __attribute__((packed));
struct ll_net_port_attr { uint64_t allowed_access; uint64_t port; };

/* Capabilities, declared here for the same reason. */
#define CAP_V3 0x20080522
#define CAP_BIT_SYS_ADMIN 21
#define CAP_BIT_SETPCAP 8
struct cap_header { uint32_t version; int pid; };
struct cap_data { uint32_t effective; uint32_t permitted; uint32_t inheritable; };

enum op {
  OP_SPAWN_THREAD, OP_EXIT_THREAD, OP_FORK, OP_EXEC, OP_NNP, OP_DROP_CAP, OP_GET_ABI,
  OP_GET_ERRATA, OP_CREATE_RULESET, OP_ADD_RULE_PATH, OP_ADD_RULE_NET, OP_RESTRICT,
  OP_OPEN, OP_CONNECT_TCP, OP_BIND_TCP, OP_KILL, OP_TGKILL, OP_SETOWN, OP_SIGIO,
  OP_BIND_ABSTRACT, OP_CONNECT_ABSTRACT, OP_SETUID
};
enum restrict_via { VIA_SYSCALL, VIA_PER_THREAD };
enum setuid_via { SETUID_GLIBC, SETUID_RAW };
#define KERNEL_THREAD (-1)
#define NO_NAME (-1)
#define RULESET_MINUS_ONE (-2)
/* Any fd number the kernel cannot resolve: EBADF, never the special value -1. */
#define UNRESOLVABLE_FD INT_MAX

struct step {
  const char *opname;
  int index;      /* scenario step */
  int part;       /* 0: the step itself; 1..: a concurrent operation of a restrict_self */
  int op;
  int thread;     /* executing thread, KERNEL_THREAD for sigio */
  int target;     /* thread (spawn, tgkill), process (fork, kill, setown) or path (open, add_rule) */
  int object;     /* named fd, pipe, socket name */
  int mode;       /* restrict_via, setuid_via, open: 0 read 1 write */
  int sig;
  uint64_t a, b, c;
};
struct thread_def { const char *name; int process; };
struct process_def { const char *name; int main_thread; };
struct path_def { const char *path; int is_dir; };
struct scenario_def {
  const char *name;
  int nsteps, nthreads, nprocs, npaths, nnamed, nfds, nsockets, nports;
  const struct step *steps;
  const struct thread_def *threads;
  const struct process_def *procs;
  const struct path_def *paths;
  const char *const *sockets;
  const int *connect_ports;
  int init_uid, init_cap_sys_admin, init_nnp;
};
`;

/** The interpreter; expects MAX_* macros and `SCENARIOS[]` to be defined before it. */
export const C_RUNTIME = String.raw`
/* ---- shared state (one file mapping per scenario run) ---- */
#define TURN_DONE 0xffffffffu
enum thread_state { T_NONE, T_ALIVE, T_EXITED };
enum result_kind { RES_PENDING, RES_OK, RES_ERRNO, RES_SKIPPED, RES_DELIVERED, RES_DROPPED };
/* What a named fd holds, per process: fd tables are per process, survive fork as copies,
   and lose their close-on-exec entries (Landlock ruleset fds) at exec. */
enum named_kind { NAMED_NONE, NAMED_RULESET, NAMED_FILE, NAMED_FAILED };
struct thread_slot { int state; int tid; int pid; int psx_ack; int psx_result; };
struct proc_slot { int pid; int sigio_count; int signal_count; };
struct result_slot { int done; int kind; int err; long long value; char detail[240]; };
struct shared {
  uint32_t turn;
  int init_ready;
  int launcher_pid;
  int init_uid, init_cap_sys_admin, init_nnp, init_setup_errno;
  char root[200];
  char setup_error[120];
  int pipe_rd[MAX_FDS], pipe_wr[MAX_FDS];
  struct thread_slot threads[MAX_THREADS];
  struct proc_slot procs[MAX_PROCS];
  struct result_slot results[MAX_STEPS];
  int named_fd[MAX_PROCS][MAX_NAMED];
  int named_kind[MAX_PROCS][MAX_NAMED];
};

static const struct scenario_def *SC;
static struct shared *SH;
static int shm_fd = -1;
static int self_memfd = -1;
static int scenario_index;
static __thread int my_thread = -1;
static int my_proc = -1;
static volatile int psx_fd, psx_flags;

#define PSX_SIGNAL (SIGRTMIN + 3)
#define STEP_TIMEOUT_MS 3000
#define PSX_ACK_TIMEOUT_MS 2000

/* ---- small helpers ---- */
static long futex(int *word, int op, int val, const struct timespec *ts) {
  return syscall(SYS_futex, word, op, val, ts, NULL, 0);
}
static void wake_all(int *word) { futex(word, FUTEX_WAKE, INT_MAX, NULL); }
static long long now_ms(void) {
  struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
/* Waits until *word != unwanted; 0 on change, -1 on timeout. */
static int wait_change(int *word, int unwanted, int timeout_ms) {
  long long deadline = now_ms() + timeout_ms;
  while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == unwanted) {
    long long left = deadline - now_ms();
    if (left <= 0) return -1;
    struct timespec ts = { left / 1000, (left % 1000) * 1000000 };
    futex(word, FUTEX_WAIT, unwanted, &ts);
  }
  return 0;
}
static void store_wake(int *word, int value) {
  __atomic_store_n(word, value, __ATOMIC_RELEASE);
  wake_all(word);
}
static int my_tid(void) { return (int)syscall(SYS_gettid); }

static const char *errno_name(int e) {
  switch (e) {
  case EPERM: return "EPERM"; case ENOENT: return "ENOENT"; case ESRCH: return "ESRCH";
  case EINTR: return "EINTR"; case EBADF: return "EBADF"; case EAGAIN: return "EAGAIN";
  case ENOMEM: return "ENOMEM"; case EACCES: return "EACCES"; case EFAULT: return "EFAULT";
  case EEXIST: return "EEXIST"; case ENOTDIR: return "ENOTDIR"; case EISDIR: return "EISDIR";
  case EINVAL: return "EINVAL"; case EMFILE: return "EMFILE"; case E2BIG: return "E2BIG";
  case ENOSYS: return "ENOSYS"; case ENOMSG: return "ENOMSG"; case EBADFD: return "EBADFD";
  case EOPNOTSUPP: return "EOPNOTSUPP"; case EADDRINUSE: return "EADDRINUSE";
  case EADDRNOTAVAIL: return "EADDRNOTAVAIL"; case ECONNREFUSED: return "ECONNREFUSED";
  case EINPROGRESS: return "EINPROGRESS"; case ENOTSOCK: return "ENOTSOCK";
  case ETIMEDOUT: return "ETIMEDOUT"; case EAFNOSUPPORT: return "EAFNOSUPPORT";
  }
  static __thread char buf[16];
  snprintf(buf, sizeof buf, "E%d", e);
  return buf;
}

/* Names are printed percent-encoded so every output field is one token. */
static void encode_name(char *out, size_t cap, const char *in) {
  static const char hex[] = "0123456789ABCDEF";
  size_t o = 0;
  for (; *in && o + 4 < cap; in++) {
    unsigned char ch = (unsigned char)*in;
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
        ch == '.' || ch == '_' || ch == '-' || ch == '/' || ch == ':') {
      out[o++] = (char)ch;
    } else {
      out[o++] = '%'; out[o++] = hex[ch >> 4]; out[o++] = hex[ch & 15];
    }
  }
  out[o] = 0;
}

static int cap_get(struct cap_data d[2]) {
  struct cap_header h = { CAP_V3, 0 };
  return (int)syscall(SYS_capget, &h, d);
}
static int cap_set(struct cap_data d[2]) {
  struct cap_header h = { CAP_V3, 0 };
  return (int)syscall(SYS_capset, &h, d);
}
static int has_cap_sys_admin(void) {
  struct cap_data d[2];
  if (cap_get(d) != 0) return 0;
  return (d[0].effective >> CAP_BIT_SYS_ADMIN) & 1;
}
/* Per-thread, like the kernel's creds: clears CAP_SYS_ADMIN from every set of the
   calling thread, and from the bounding set so a later exec as root cannot regain it. */
static int drop_cap_sys_admin(void) {
  struct cap_data d[2];
  if (cap_get(d) != 0) return -1;
  uint32_t keep = ~(1u << CAP_BIT_SYS_ADMIN);
  int can_drop_bound = (d[0].effective >> CAP_BIT_SETPCAP) & 1;
  if (can_drop_bound) prctl(PR_CAPBSET_DROP, CAP_BIT_SYS_ADMIN, 0, 0, 0);
  d[0].effective &= keep; d[0].permitted &= keep; d[0].inheritable &= keep;
  return cap_set(d);
}

static void full_path(char *out, size_t cap, const char *scenario_path) {
  snprintf(out, cap, "%s/root%s", SH->root, scenario_path);
}

static void set_result(int t, int kind, int err) {
  SH->results[t].kind = kind;
  SH->results[t].err = err;
}
static void result_from(int t, long r) {
  if (r < 0) set_result(t, RES_ERRNO, errno); else set_result(t, RES_OK, 0);
}
static void report_done(int t) { store_wake(&SH->results[t].done, 1); }

/* ---- signal handlers: signals must never end a scenario process ---- */
static void count_signal(int sig) {
  (void)sig;
  if (my_proc >= 0) __atomic_add_fetch(&SH->procs[my_proc].signal_count, 1, __ATOMIC_RELAXED);
}
static void count_sigio(int sig) {
  (void)sig;
  if (my_proc >= 0) {
    __atomic_add_fetch(&SH->procs[my_proc].sigio_count, 1, __ATOMIC_RELEASE);
    wake_all(&SH->procs[my_proc].sigio_count);
  }
}
/* Per-thread broadcast (libpsx / AllThreadsSyscall): each thread restricts itself. */
static void psx_handler(int sig) {
  (void)sig;
  int saved = errno;
  long r = syscall(LL_SYS_RESTRICT_SELF, psx_fd, psx_flags);
  if (my_thread >= 0) {
    SH->threads[my_thread].psx_result = r < 0 ? errno : 0;
    store_wake(&SH->threads[my_thread].psx_ack, 1);
  }
  errno = saved;
}
static void install_handlers(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (int s = 1; s < 32; s++) {
    if (s == SIGKILL || s == SIGSTOP || s == SIGIO) continue;
    sa.sa_handler = count_signal;
    sigaction(s, &sa, NULL);
  }
  sa.sa_handler = count_sigio;
  sigaction(SIGIO, &sa, NULL);
  sa.sa_handler = psx_handler;
  sigaction(PSX_SIGNAL, &sa, NULL);
}

static void register_self(int thread) {
  my_thread = thread;
  SH->threads[thread].tid = my_tid();
  SH->threads[thread].pid = getpid();
  store_wake(&SH->threads[thread].state, T_ALIVE);
}

static void wait_turn_loop(void) __attribute__((noreturn));
static void run_step(int t);

static void *thread_main(void *arg) {
  register_self((int)(intptr_t)arg);
  wait_turn_loop();
}

/* The launcher ends every scenario process; should it die first, nobody would. */
static void exit_if_orphaned(void) {
  if (kill(SH->launcher_pid, 0) != 0 && errno == ESRCH) _exit(0);
}

static void wait_turn_loop(void) {
  const struct timespec liveness = { 10, 0 };
  for (;;) {
    uint32_t t = __atomic_load_n(&SH->turn, __ATOMIC_ACQUIRE);
    if (t != TURN_DONE && (int)t < SC->nsteps && SC->steps[t].thread == my_thread &&
        !__atomic_load_n(&SH->results[t].done, __ATOMIC_ACQUIRE)) {
      run_step((int)t);
      continue;
    }
    if (futex((int *)&SH->turn, FUTEX_WAIT, (int)t, &liveness) != 0 && errno == ETIMEDOUT) exit_if_orphaned();
  }
}

/* The fd a program would pass: a name that failed holds -1, as the C variable would. */
static int resolve_named(int object) {
  if (object == RULESET_MINUS_ONE) return -1;
  if (object < 0) return UNRESOLVABLE_FD;
  switch (SH->named_kind[my_proc][object]) {
  case NAMED_RULESET: case NAMED_FILE: return SH->named_fd[my_proc][object];
  case NAMED_FAILED: return -1;
  default: return UNRESOLVABLE_FD;
  }
}
static void set_named(int object, int kind, int fd) {
  if (object < 0) return;
  SH->named_kind[my_proc][object] = fd < 0 ? NAMED_FAILED : kind;
  SH->named_fd[my_proc][object] = fd;
}

static void append_detail(int t, const char *fmt, const char *name, const char *value) {
  char *d = SH->results[t].detail;
  size_t len = strlen(d);
  char enc[96];
  encode_name(enc, sizeof enc, name);
  snprintf(d + len, sizeof SH->results[t].detail - len, fmt, len ? "," : "", enc, value);
}

static void step_restrict_per_thread(int t, const struct step *s, int fd) {
  long r = syscall(LL_SYS_RESTRICT_SELF, fd, (int)s->a);
  if (r < 0) { result_from(t, r); return; }
  psx_fd = fd;
  psx_flags = (int)s->a;
  int first_error = 0;
  for (int i = 0; i < SC->nthreads; i++) {
    if (i == my_thread || SC->threads[i].process != my_proc) continue;
    if (__atomic_load_n(&SH->threads[i].state, __ATOMIC_ACQUIRE) != T_ALIVE) continue;
    SH->threads[i].psx_ack = 0;
    SH->threads[i].psx_result = 0;
    int err = 0;
    if (syscall(SYS_tgkill, getpid(), SH->threads[i].tid, PSX_SIGNAL) != 0) err = errno;
    else if (wait_change(&SH->threads[i].psx_ack, 0, PSX_ACK_TIMEOUT_MS) != 0) err = ETIMEDOUT;
    else err = SH->threads[i].psx_result;
    append_detail(t, "%s%s:%s", SC->threads[i].name, err ? errno_name(err) : "ok");
    if (err && !first_error) first_error = err;
  }
  if (first_error) set_result(t, RES_ERRNO, first_error); else set_result(t, RES_OK, 0);
}

static void step_exec(int t) {
  sigset_t all;
  sigfillset(&all);
  /* Dispositions reset at exec: keep signals pending until the new image has handlers. */
  sigprocmask(SIG_BLOCK, &all, NULL);
  for (int i = 0; i < SC->nthreads; i++)
    if (i != my_thread && SC->threads[i].process == my_proc &&
        __atomic_load_n(&SH->threads[i].state, __ATOMIC_ACQUIRE) == T_ALIVE)
      store_wake(&SH->threads[i].state, T_EXITED);
  for (int i = 0; i < SC->nnamed; i++)
    if (SH->named_kind[my_proc][i] == NAMED_RULESET) SH->named_kind[my_proc][i] = NAMED_NONE;
  char a1[16], a2[16], a3[16], a4[16], a5[16];
  snprintf(a1, sizeof a1, "%d", scenario_index);
  snprintf(a2, sizeof a2, "%d", t);
  snprintf(a3, sizeof a3, "%d", my_thread);
  snprintf(a4, sizeof a4, "%d", shm_fd);
  snprintf(a5, sizeof a5, "%d", self_memfd);
  char *argv[] = { "landlock-step", "--resume", a1, a2, a3, a4, a5, NULL };
  char *envp[] = { NULL };
  syscall(SYS_execveat, self_memfd, "", argv, envp, AT_EMPTY_PATH);
  int err = errno;
  sigprocmask(SIG_UNBLOCK, &all, NULL);
  set_result(t, RES_ERRNO, err);
  report_done(t);
}

static void step_fork(int t, const struct step *s) {
  int child_thread = SC->procs[s->target].main_thread;
  memcpy(SH->named_fd[s->target], SH->named_fd[my_proc], sizeof SH->named_fd[0]);
  memcpy(SH->named_kind[s->target], SH->named_kind[my_proc], sizeof SH->named_kind[0]);
  pid_t pid = fork();
  if (pid == 0) {
    my_proc = s->target;
    SH->procs[my_proc].pid = getpid();
    register_self(child_thread);
    wait_turn_loop();
  }
  if (pid < 0) { result_from(t, -1); return; }
  SH->procs[s->target].pid = pid;
  if (wait_change(&SH->threads[child_thread].state, T_NONE, STEP_TIMEOUT_MS) != 0)
    set_result(t, RES_ERRNO, ETIMEDOUT);
  else
    set_result(t, RES_OK, 0);
}

static void step_spawn(int t, const struct step *s) {
  pthread_t th;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  int err = pthread_create(&th, &attr, thread_main, (void *)(intptr_t)s->target);
  pthread_attr_destroy(&attr);
  if (err) { set_result(t, RES_ERRNO, err); return; }
  if (wait_change(&SH->threads[s->target].state, T_NONE, STEP_TIMEOUT_MS) != 0)
    set_result(t, RES_ERRNO, ETIMEDOUT);
  else
    set_result(t, RES_OK, 0);
}

static void abstract_address(struct sockaddr_un *addr, socklen_t *len, int socket_index) {
  memset(addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  /* Unique per run and scenario: abstract names are global to the network namespace. */
  int n = snprintf(addr->sun_path + 1, sizeof addr->sun_path - 1, "landlock-kernel-%d-%d-%s",
                   SH->procs[0].pid, scenario_index, SC->sockets[socket_index]);
  *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static void step_tcp(int t, const struct step *s, int do_bind) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) { result_from(t, -1); return; }
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)s->a);
  /* The launcher listens on 127.0.0.1 for connects; binds use 127.0.0.2 so they never
     collide with those listeners (Landlock only looks at the port). */
  addr.sin_addr.s_addr = htonl(do_bind ? 0x7f000002 : 0x7f000001);
  long r = do_bind ? bind(fd, (struct sockaddr *)&addr, sizeof addr)
                   : connect(fd, (struct sockaddr *)&addr, sizeof addr);
  result_from(t, r);
  close(fd);
}

static void step_setuid(int t, const struct step *s) {
  long r = s->mode == SETUID_RAW ? syscall(SYS_setuid, (uid_t)s->a) : setuid((uid_t)s->a);
  result_from(t, r);
}

/* After an exec by a non-leader thread, that thread takes over the leader's tid: a dead
   target's tid may now name a live thread, which the real call would wrongly reach. */
static int tid_taken_over(int target) {
  if (__atomic_load_n(&SH->threads[target].state, __ATOMIC_ACQUIRE) != T_EXITED) return 0;
  for (int i = 0; i < SC->nthreads; i++)
    if (i != target && SH->threads[i].state == T_ALIVE && SH->threads[i].tid == SH->threads[target].tid) return 1;
  return 0;
}

static void run_step(int t) {
  const struct step *s = &SC->steps[t];
  char path[512];
  long r;
  switch (s->op) {
  case OP_SPAWN_THREAD: step_spawn(t, s); break;
  case OP_EXIT_THREAD:
    set_result(t, RES_OK, 0);
    store_wake(&SH->threads[my_thread].state, T_EXITED);
    report_done(t);
    pthread_exit(NULL);
  case OP_FORK: step_fork(t, s); break;
  case OP_EXEC: step_exec(t); return;
  case OP_NNP: result_from(t, prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)); break;
  case OP_DROP_CAP: result_from(t, drop_cap_sys_admin()); break;
  case OP_GET_ABI:
  case OP_GET_ERRATA:
    r = syscall(LL_SYS_CREATE_RULESET, NULL, 0,
                s->op == OP_GET_ABI ? LL_CREATE_RULESET_VERSION : LL_CREATE_RULESET_ERRATA);
    result_from(t, r);
    SH->results[t].value = r;
    break;
  case OP_CREATE_RULESET: {
    struct ll_ruleset_attr attr = { s->a, s->b, s->c };
    r = syscall(LL_SYS_CREATE_RULESET, &attr, sizeof attr, 0);
    result_from(t, r);
    set_named(s->object, NAMED_RULESET, (int)r);
    break;
  }
  case OP_ADD_RULE_PATH: {
    full_path(path, sizeof path, SC->paths[s->target].path);
    int parent = open(path, O_PATH | O_CLOEXEC);
    if (parent < 0) { result_from(t, -1); snprintf(SH->results[t].detail, 64, "setup:open-path"); break; }
    struct ll_path_beneath_attr attr = { s->a, parent };
    result_from(t, syscall(LL_SYS_ADD_RULE, resolve_named(s->object), LL_RULE_PATH_BENEATH, &attr, 0));
    close(parent);
    break;
  }
  case OP_ADD_RULE_NET: {
    struct ll_net_port_attr attr = { s->a, s->b };
    result_from(t, syscall(LL_SYS_ADD_RULE, resolve_named(s->object), LL_RULE_NET_PORT, &attr, 0));
    break;
  }
  case OP_RESTRICT:
    if (s->mode == VIA_PER_THREAD) step_restrict_per_thread(t, s, resolve_named(s->object));
    else result_from(t, syscall(LL_SYS_RESTRICT_SELF, resolve_named(s->object), (int)s->a));
    break;
  case OP_OPEN: {
    full_path(path, sizeof path, SC->paths[s->target].path);
    /* A named file fd stays open, without O_CLOEXEC, like a program's own fd would. */
    int fd = open(path, (s->mode ? O_WRONLY : O_RDONLY) | (s->object >= 0 ? 0 : O_CLOEXEC));
    result_from(t, fd);
    if (s->object >= 0) set_named(s->object, NAMED_FILE, fd);
    else if (fd >= 0) close(fd);
    break;
  }
  case OP_CONNECT_TCP: step_tcp(t, s, 0); break;
  case OP_BIND_TCP: step_tcp(t, s, 1); break;
  case OP_KILL: {
    int pid = SH->procs[s->target].pid;
    if (pid <= 0) { set_result(t, RES_ERRNO, ESRCH); snprintf(SH->results[t].detail, 64, "target-never-started"); break; }
    result_from(t, kill(pid, s->sig));
    break;
  }
  case OP_TGKILL: {
    struct thread_slot *ts = &SH->threads[s->target];
    if (ts->tid <= 0) { set_result(t, RES_ERRNO, ESRCH); snprintf(SH->results[t].detail, 64, "target-never-started"); break; }
    if (tid_taken_over(s->target)) { set_result(t, RES_ERRNO, ESRCH); snprintf(SH->results[t].detail, 64, "target-gone-tid-reused"); break; }
    result_from(t, syscall(SYS_tgkill, ts->pid, ts->tid, s->sig));
    break;
  }
  case OP_SETOWN: {
    int pid = SH->procs[s->target].pid;
    if (pid <= 0) { set_result(t, RES_ERRNO, ESRCH); snprintf(SH->results[t].detail, 64, "owner-never-started"); break; }
    result_from(t, fcntl(SH->pipe_rd[s->object], F_SETOWN, pid));
    break;
  }
  case OP_BIND_ABSTRACT: {
    struct sockaddr_un addr; socklen_t len;
    abstract_address(&addr, &len, s->object);
    /* Close-on-exec, as servers usually create them: the name is released at exec
       unless a forked child still holds the socket. */
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) { result_from(t, -1); break; }
    r = bind(fd, (struct sockaddr *)&addr, len);
    if (r == 0) r = listen(fd, 128);
    result_from(t, r);
    if (r != 0) close(fd); /* a bound socket stays open for the rest of the run */
    break;
  }
  case OP_CONNECT_ABSTRACT: {
    struct sockaddr_un addr; socklen_t len;
    abstract_address(&addr, &len, s->object);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { result_from(t, -1); break; }
    result_from(t, connect(fd, (struct sockaddr *)&addr, len));
    close(fd);
    break;
  }
  case OP_SETUID: step_setuid(t, s); break;
  default: set_result(t, RES_ERRNO, ENOSYS); break;
  }
  report_done(t);
}

/* ---- the scenario's first process ---- */
static void drop_initial_privileges(void) {
  int uid = SC->init_uid;
  int err = 0;
  if (SC->init_cap_sys_admin) {
    if (uid != 0) {
      prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
      if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid)) err = errno;
      struct cap_data d[2];
      if (!err && cap_get(d) == 0) {
        d[0].effective |= 1u << CAP_BIT_SYS_ADMIN;
        if (cap_set(d) != 0) err = errno;
      }
    }
  } else if (uid != 0) {
    if (setgroups(0, NULL) || setresgid(uid, uid, uid) || setresuid(uid, uid, uid)) err = errno;
  } else if (drop_cap_sys_admin() != 0) {
    err = errno;
  }
  if (!err && SC->init_nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) err = errno;
  SH->init_setup_errno = err;
}

static void scenario_process_main(void) {
  my_proc = 0;
  SH->procs[0].pid = getpid();
  install_handlers();
  drop_initial_privileges();
  SH->init_uid = (int)geteuid();
  SH->init_cap_sys_admin = has_cap_sys_admin();
  SH->init_nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
  register_self(SC->procs[0].main_thread);
  store_wake(&SH->init_ready, 1);
  wait_turn_loop();
}

/* Entry after an exec step: the thread continues in a fresh image of this program. */
static int resume_after_exec(int argc, char **argv) {
  if (argc < 7) return 2;
  scenario_index = atoi(argv[2]);
  int t = atoi(argv[3]);
  int thread = atoi(argv[4]);
  shm_fd = atoi(argv[5]);
  self_memfd = atoi(argv[6]);
  SC = &SCENARIOS[scenario_index];
  SH = mmap(NULL, sizeof *SH, PROT_READ | PROT_WRITE, MAP_SHARED, shm_fd, 0);
  if (SH == MAP_FAILED) return 3;
  my_proc = SC->threads[thread].process;
  install_handlers();
  register_self(thread);
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_UNBLOCK, &all, NULL);
  set_result(t, RES_OK, 0);
  report_done(t);
  wait_turn_loop();
}

/* ---- the launcher ---- */
static int remove_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st; (void)flag; (void)ftw;
  return remove(p);
}

/* tmpfs when there is one: creating and removing the tree on a disk filesystem costs
   more than running most scenarios. */
static int make_tree(char *base, size_t cap) {
  struct stat st;
  const char *parent = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
  snprintf(base, cap, "%s/landlock-kernel-XXXXXX", parent);
  if (!mkdtemp(base)) return -1;
  /* The scenario may run as an unprivileged user: everything must stay reachable. */
  chmod(base, 0755);
  char p[512];
  snprintf(p, sizeof p, "%s/root", base);
  if (mkdir(p, 0755) != 0) return -1;
  chmod(p, 0755);
  for (int i = 0; i < SC->npaths; i++) {
    snprintf(p, sizeof p, "%s/root%s", base, SC->paths[i].path);
    if (SC->paths[i].is_dir) {
      if (mkdir(p, 0755) != 0 && errno != EEXIST) return -1;
      chmod(p, 0755);
    } else {
      int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
      if (fd < 0) return -1;
      if (write(fd, "content\n", 8) != 8) { close(fd); return -1; }
      fchmod(fd, 0666);
      close(fd);
    }
  }
  return 0;
}

static int bring_loopback_up(void) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strcpy(ifr.ifr_name, "lo");
  int r = ioctl(fd, SIOCGIFFLAGS, &ifr);
  if (r == 0) { ifr.ifr_flags |= IFF_UP; r = ioctl(fd, SIOCSIFFLAGS, &ifr); }
  close(fd);
  return r;
}

static int network_isolated;

/* One namespace for the whole program: scenarios use distinct abstract names and their
   TCP listeners close with their launcher; tearing a namespace down costs milliseconds. */
static int isolate_network(void) {
  if (unshare(CLONE_NEWNET) != 0) return 0;
  bring_loopback_up();
  int fd = open("/proc/sys/net/ipv4/ip_unprivileged_port_start", O_WRONLY | O_CLOEXEC);
  if (fd >= 0) { if (write(fd, "0", 1) != 1) {} close(fd); }
  return 1;
}

static void listen_on_connect_ports(void) {
  for (int i = 0; i < SC->nports; i++) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)SC->connect_ports[i]);
    addr.sin_addr.s_addr = htonl(0x7f000001);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0) listen(fd, 128);
  }
}

static int read_status_field(int pid, int tid, const char *key, char *out, size_t cap) {
  char p[96], buf[4096];
  snprintf(p, sizeof p, "/proc/%d/task/%d/status", pid, tid);
  int fd = open(p, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  size_t klen = strlen(key);
  for (char *line = buf; line && *line; ) {
    char *next = strchr(line, '\n');
    if (next) *next++ = 0;
    if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
      char *v = line + klen + 1;
      while (*v == ' ' || *v == '\t') v++;
      snprintf(out, cap, "%s", v);
      return 0;
    }
    line = next;
  }
  return -1;
}
/* Effective uid: the second field of "Uid:". */
static int thread_euid(int i) {
  char v[128];
  if (read_status_field(SH->threads[i].pid, SH->threads[i].tid, "Uid", v, sizeof v) != 0) return -1;
  unsigned ruid, euid;
  if (sscanf(v, "%u %u", &ruid, &euid) != 2) return -1;
  return (int)euid;
}
static int task_running(int pid, int tid) {
  char v[64];
  if (read_status_field(pid, tid, "State", v, sizeof v) != 0) return 0;
  return v[0] != 'Z' && v[0] != 'X';
}
static int thread_alive_in_kernel(int i) {
  struct thread_slot *ts = &SH->threads[i];
  if (__atomic_load_n(&ts->state, __ATOMIC_ACQUIRE) != T_ALIVE) return 0;
  return task_running(ts->pid, ts->tid);
}
/* A thread reports its exit before it is gone; until it is, a signal could still reach it. */
static void wait_task_gone(int i) {
  long long deadline = now_ms() + STEP_TIMEOUT_MS;
  while (task_running(SH->threads[i].pid, SH->threads[i].tid) && now_ms() < deadline) usleep(200);
}

static void describe_uids_after(int t, int proc) {
  char d[240] = "uids=";
  size_t len = strlen(d);
  int first = 1;
  for (int i = 0; i < SC->nthreads; i++) {
    if (SC->threads[i].process != proc || !thread_alive_in_kernel(i)) continue;
    char enc[96];
    encode_name(enc, sizeof enc, SC->threads[i].name);
    len += snprintf(d + len, sizeof d - len, "%s%s:%d", first ? "" : ",", enc, thread_euid(i));
    first = 0;
    if (len >= sizeof d) break;
  }
  snprintf(SH->results[t].detail, sizeof SH->results[t].detail, "%s", d);
}

static int owner_process_of(int pid) {
  for (int p = 0; p < SC->nprocs; p++) if (SH->procs[p].pid == pid && pid > 0) return p;
  return -1;
}
static int sigio_pending(int pid) {
  char p[64], buf[4096];
  snprintf(p, sizeof p, "/proc/%d/status", pid);
  int fd = open(p, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  char *line = strstr(buf, "ShdPnd:");
  if (!line) return 0;
  unsigned long long mask = strtoull(line + 7, NULL, 16);
  return (mask >> (SIGIO - 1)) & 1;
}

/* Whether any thread of process p is runnable: idle scenario threads sleep in futex
   waits, so a runnable one is on its way to (or inside) a signal handler, or has just
   been woken by a turn change. */
static int process_busy(int p) {
  for (int i = 0; i < SC->nthreads; i++) {
    if (SC->threads[i].process != p || __atomic_load_n(&SH->threads[i].state, __ATOMIC_ACQUIRE) != T_ALIVE) continue;
    char v[64];
    if (read_status_field(SH->threads[i].pid, SH->threads[i].tid, "State", v, sizeof v) == 0 && v[0] == 'R') return 1;
  }
  return 0;
}

/* The kernel queues SIGIO synchronously inside the write and wakes an owner thread at
   once: afterwards the signal is pending, or a woken thread is runnable until its handler
   has counted it, or it was never sent. No time window decides "dropped". */
static void launcher_sigio(int t, const struct step *s) {
  int fd = s->object;
  int owner_pid = fcntl(SH->pipe_rd[fd], F_GETOWN);
  int owner = owner_process_of(owner_pid);
  if (owner < 0) {
    /* No F_SETOWN: the kernel sends nothing at all. */
    set_result(t, RES_SKIPPED, 0);
    snprintf(SH->results[t].detail, 64, "no-owner");
    return;
  }
  int *count = &SH->procs[owner].sigio_count;
  int before = __atomic_load_n(count, __ATOMIC_ACQUIRE);
  if (write(SH->pipe_wr[fd], "x", 1) != 1) { result_from(t, -1); return; }
  long long deadline = now_ms() + STEP_TIMEOUT_MS;
  int kind = RES_DROPPED;
  for (;;) {
    if (__atomic_load_n(count, __ATOMIC_ACQUIRE) != before) { kind = RES_DELIVERED; break; }
    if (!sigio_pending(owner_pid) && !process_busy(owner)) {
      /* The handler may have finished between the reads above. */
      if (__atomic_load_n(count, __ATOMIC_ACQUIRE) != before) kind = RES_DELIVERED;
      break;
    }
    if (now_ms() > deadline) {
      snprintf(SH->results[t].detail, 64, "owner-never-settled");
      break;
    }
    usleep(50);
  }
  char drain[64];
  while (read(SH->pipe_rd[fd], drain, sizeof drain) > 0) {}
  set_result(t, kind, 0);
}

static void print_result_line(int t) {
  const struct step *s = &SC->steps[t];
  struct result_slot *r = &SH->results[t];
  char who[96];
  encode_name(who, sizeof who, s->thread == KERNEL_THREAD ? "kernel" : SC->threads[s->thread].name);
  const char *res = "pending";
  switch (r->kind) {
  case RES_OK: res = "ok"; break;
  case RES_ERRNO: res = errno_name(r->err); break;
  case RES_SKIPPED: res = "skipped"; break;
  case RES_DELIVERED: res = "delivered"; break;
  case RES_DROPPED: res = "dropped"; break;
  }
  char line[512];
  int n = s->part == 0
    ? snprintf(line, sizeof line, "STEP %d %s %s %s", s->index, who, s->opname, res)
    : snprintf(line, sizeof line, "CONCURRENT %d %d %s %s %s", s->index, s->part, who, s->opname, res);
  if (s->op == OP_GET_ABI || s->op == OP_GET_ERRATA)
    n += snprintf(line + n, sizeof line - n, " value=%lld", r->value);
  if (r->detail[0]) n += snprintf(line + n, sizeof line - n, " detail=%s", r->detail);
  snprintf(line + n, sizeof line - n, "\n");
  dprintf(1, "%s", line);
}

static void print_final_threads(void) {
  for (int i = 0; i < SC->nthreads; i++) {
    struct thread_slot *ts = &SH->threads[i];
    if (ts->state == T_NONE) continue;
    char name[96], proc[96];
    encode_name(name, sizeof name, SC->threads[i].name);
    encode_name(proc, sizeof proc, SC->procs[SC->threads[i].process].name);
    if (!thread_alive_in_kernel(i)) {
      dprintf(1, "THREAD %s process=%s alive=0\n", name, proc);
      continue;
    }
    char nnp[32] = "?", capeff[64] = "0";
    read_status_field(ts->pid, ts->tid, "NoNewPrivs", nnp, sizeof nnp);
    read_status_field(ts->pid, ts->tid, "CapEff", capeff, sizeof capeff);
    unsigned long long caps = strtoull(capeff, NULL, 16);
    dprintf(1, "THREAD %s process=%s alive=1 uid=%d nnp=%s capSysAdmin=%d\n", name, proc,
            thread_euid(i), nnp, (int)((caps >> CAP_BIT_SYS_ADMIN) & 1));
  }
}

static void stop_scenario_processes(void) {
  for (int p = 0; p < SC->nprocs; p++) if (SH->procs[p].pid > 0) kill(SH->procs[p].pid, SIGKILL);
  long long deadline = now_ms() + 5000;
  while (now_ms() < deadline) {
    pid_t r = waitpid(-1, NULL, WNOHANG);
    if (r < 0 && errno == ECHILD) break;
    if (r == 0) usleep(200);
  }
}

static int run_one_scenario(void) {
  char base[200];
  prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  signal(SIGCHLD, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  if (make_tree(base, sizeof base) != 0) {
    dprintf(1, "ERROR setup-tree %s\n", errno_name(errno));
    return 1;
  }
  char shm_path[256];
  snprintf(shm_path, sizeof shm_path, "%s/shared", base);
  shm_fd = open(shm_path, O_RDWR | O_CREAT, 0600);
  if (shm_fd < 0 || ftruncate(shm_fd, sizeof(struct shared)) != 0) {
    dprintf(1, "ERROR setup-shared %s\n", errno_name(errno));
    return 1;
  }
  SH = mmap(NULL, sizeof *SH, PROT_READ | PROT_WRITE, MAP_SHARED, shm_fd, 0);
  if (SH == MAP_FAILED) { dprintf(1, "ERROR setup-mmap %s\n", errno_name(errno)); return 1; }
  memset(SH, 0, sizeof *SH);
  SH->launcher_pid = getpid();
  snprintf(SH->root, sizeof SH->root, "%s", base);
  for (int i = 0; i < SC->nfds; i++) {
    int p[2];
    if (pipe(p) != 0) { dprintf(1, "ERROR setup-pipe %s\n", errno_name(errno)); return 1; }
    fcntl(p[0], F_SETFL, O_NONBLOCK | O_ASYNC);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    SH->pipe_rd[i] = p[0];
    SH->pipe_wr[i] = p[1];
  }
  listen_on_connect_ports();

  pid_t first = fork();
  if (first == 0) scenario_process_main();
  if (first < 0) { dprintf(1, "ERROR fork %s\n", errno_name(errno)); return 1; }
  SH->procs[0].pid = first;
  int status = 0;
  if (wait_change(&SH->init_ready, 0, STEP_TIMEOUT_MS) != 0) {
    dprintf(1, "ERROR start-timeout\n");
    status = 1;
  } else {
    dprintf(1, "INIT uid=%d capSysAdmin=%d nnp=%d abi=%ld errata=%ld netns=%d setup=%s\n",
            SH->init_uid, SH->init_cap_sys_admin, SH->init_nnp,
            syscall(LL_SYS_CREATE_RULESET, NULL, 0, LL_CREATE_RULESET_VERSION),
            syscall(LL_SYS_CREATE_RULESET, NULL, 0, LL_CREATE_RULESET_ERRATA), network_isolated,
            SH->init_setup_errno ? errno_name(SH->init_setup_errno) : "ok");
    for (int t = 0; t < SC->nsteps; t++) {
      const struct step *s = &SC->steps[t];
      if (s->thread == KERNEL_THREAD) {
        launcher_sigio(t, s);
        SH->results[t].done = 1;
      } else if (!thread_alive_in_kernel(s->thread)) {
        set_result(t, RES_SKIPPED, 0);
        SH->results[t].done = 1;
      } else {
        store_wake((int *)&SH->turn, t);
        if (wait_change(&SH->results[t].done, 0, STEP_TIMEOUT_MS) != 0) {
          print_result_line(t);
          dprintf(1, "ERROR step-timeout %d\n", t);
          status = 1;
          break;
        }
        if (s->op == OP_SETUID) describe_uids_after(t, SC->threads[s->thread].process);
        if (s->op == OP_EXIT_THREAD) wait_task_gone(s->thread);
      }
      print_result_line(t);
    }
    if (status == 0) print_final_threads();
  }
  store_wake((int *)&SH->turn, (int)TURN_DONE);
  stop_scenario_processes();
  nftw(base, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  return status;
}

static int copy_self_to_memfd(void) {
  int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (src < 0) return -1;
  struct stat st;
  if (fstat(src, &st) != 0) { close(src); return -1; }
  int fd = (int)syscall(SYS_memfd_create, "landlock-step", 0);
  if (fd < 0) { close(src); return -1; }
  off_t off = 0;
  while (off < st.st_size) {
    ssize_t n = sendfile(fd, src, &off, (size_t)(st.st_size - off));
    if (n <= 0) { close(src); close(fd); return -1; }
  }
  close(src);
  return fd;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--resume") == 0) return resume_after_exec(argc, argv);
  int only = argc > 1 ? atoi(argv[1]) : -1;
  self_memfd = copy_self_to_memfd();
  network_isolated = isolate_network();
  /* SIGCHLD stays blocked here so sigtimedwait can wait for a launcher with a timeout. */
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  for (int k = 0; k < (int)(sizeof SCENARIOS / sizeof SCENARIOS[0]); k++) {
    if (only >= 0 && k != only) continue;
    scenario_index = k;
    SC = &SCENARIOS[k];
    char name[200];
    encode_name(name, sizeof name, SC->name);
    dprintf(1, "BEGIN %d %s\n", k, name);
    long long deadline = now_ms() + (long long)(SC->nsteps + 2) * STEP_TIMEOUT_MS + 2000;
    pid_t launcher = fork();
    if (launcher == 0) {
      setpgid(0, 0);
      _exit(run_one_scenario());
    }
    int status = -1;
    while (launcher > 0) {
      pid_t r = waitpid(launcher, &status, WNOHANG);
      if (r == launcher) break;
      long long left = deadline - now_ms();
      if (left <= 0) {
        kill(-launcher, SIGKILL);
        waitpid(launcher, &status, 0);
        dprintf(1, "ERROR launcher-timeout\n");
        break;
      }
      struct timespec ts = { left / 1000, (left % 1000) * 1000000 };
      sigtimedwait(&chld, NULL, &ts);
    }
    dprintf(1, "END %d %s\n", k, WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "ok" : "error");
  }
  return 0;
}
`;
