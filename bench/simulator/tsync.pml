/*
 * The TSYNC protocol model of simulator/src/explorer/tsync-model.ts (correct variant,
 * one caller, no injected interrupts), written for SPIN so the explorer can be compared
 * with a reference model checker on the same state graph.
 *
 * Every action of the TypeScript model is one d_step alternative of a single process, so
 * SPIN stores one state per model state (plus a few set-up states of init and one
 * post-loop state per final state). Where the TypeScript model branches inside a step
 * (the works allocation failing with ENOMEM), the step has a twin alternative with the
 * failure; when no allocation happens in that step both twins lead to the same state.
 *
 * Configure with cpp defines, e.g.
 *   spin -DTHREADS=4 -DSPAWNS=2 -DEXITS=8 -DENOMEM=1 -a tsync.pml
 * THREADS  threads alive at the start, caller included
 * SPAWNS   spawns allowed in one run
 * EXITS    exits allowed in one run (0: none)
 * ENOMEM   1: ENOMEM may hit the caller's prepare_creds, the works allocation and any
 *          sibling's prepare_creds; siblings start sharing the caller's cred or with
 *          their own cred and domain, in every combination
 */

#ifndef THREADS
#define THREADS 3
#endif
#ifndef SPAWNS
#define SPAWNS 0
#endif
#ifndef EXITS
#define EXITS 0
#endif
#ifndef ENOMEM
#define ENOMEM 0
#endif
#define MAXT (THREADS + SPAWNS)

#define ST_NONE 0
#define ST_RUN 1
#define ST_EXITING 2
#define ST_DEAD 3
#define CR_ORIG 0
#define CR_PRIV 1
#define CR_NEW 2
#define DM_ORIG 0
#define DM_DIV 1
#define DM_NEW 2
#define PC_ENTER 0
#define PC_SCAN 1
#define PC_ADD 2
#define PC_WAIT_PREP 3
#define PC_WAIT_FIN 4
#define PC_DONE_OK 6
#define PC_DONE_ERR 7
#define ERR_NONE 0
#define ERR_ENOMEM 1

/* Per thread: status, cred object, domain, no_new_privs, seen by the call, task_work
 * queued, waiting in the task_work for ready_to_commit. */
byte st[MAXT];
byte cr[MAXT];
byte dm[MAXT];
bit nnp[MAXT];
bit seen[MAXT];
bit pend[MAXT];
bit tw[MAXT];
/* The caller and the shared context of its call. */
byte pc;
byte j;
bit found;
byte cap;
byte err;
byte nprep;
bit allprep;
bit ready;
byte nunf;
bit allfin;
byte oldcred;
bit locked;
/* Globals: threads created, exits so far (a function of st[], kept to write guards), result of the call. */
byte nt;
byte exits;
byte last;
/* Scratch for loops inside d_steps: not part of the state. */
hidden byte i;
hidden byte n;
hidden byte e;
hidden byte k;

#define DONE (pc == PC_DONE_OK || pc == PC_DONE_ERR)
#define ELIGIBLE(t) ((t) != 0 && st[t] == ST_RUN && !seen[t])
#define SHARED(t) (oldcred != CR_PRIV && cr[t] == oldcred)

/* Release the lock, commit or abort the caller's own cred, return: check the invariants. */
inline finish_step() {
  locked = 0;
  if
  :: err == ERR_NONE ->
    cr[0] = CR_NEW; dm[0] = DM_NEW; nnp[0] = 1;
    i = 0;
    do
    :: i < nt -> assert(st[i] != ST_RUN || (dm[i] == DM_NEW && nnp[i] == 1)); i++
    :: else -> break
    od;
    pc = PC_DONE_OK; last = 1
  :: else ->
    i = 0;
    do
    :: i < nt -> assert(!((st[i] == ST_RUN || st[i] == ST_EXITING) && dm[i] == DM_NEW)); i++
    :: else -> break
    od;
    pc = PC_DONE_ERR; last = 2
  fi;
  j = 0; found = 0; cap = 0; err = 0; nprep = 0; allprep = 0; ready = 0; nunf = 0; allfin = 0; oldcred = 0;
  i = 0;
  do
  :: i < nt -> seen[i] = 0; i++
  :: else -> break
  od;
  i = 0  /* a d_step must not end in a loop: its break would leave the d_step */
}

/* complete_all(ready_to_commit); the caller's own num_unfinished decrement. */
inline ready_step() {
  ready = 1;
  nunf--;
  if
  :: nunf > 0 -> pc = PC_WAIT_FIN
  :: else -> finish_step()
  fi
}

/* count_additional_threads, tsync_works_grow_by (fails when gf), reset all_prepared. */
inline round_step(gf) {
  n = 0; i = 0;
  do
  :: i < nt -> if :: ELIGIBLE(i) -> n++ :: else fi; i++
  :: else -> break
  od;
  if
  :: n == 0 -> ready_step()
  :: else ->
    if
    :: gf -> err = ERR_ENOMEM; ready_step()
    :: else ->
      k = 0; i = 0;
      do
      :: i < nt -> k = k + seen[i]; i++
      :: else -> break
      od;
      if :: k + n > cap -> cap = k + n :: else fi;
      nprep = 1; allprep = 0; found = 0; j = 0; pc = PC_SCAN
    fi
  fi
}

/* while (found_more_threads && !preparation_error) */
inline loop_step(gf) {
  if
  :: found && err == ERR_NONE -> round_step(gf)
  :: else -> ready_step()
  fi
}

/* The caller's num_preparing decrement after a pass. */
inline endscan_step(gf) {
  nprep--;
  if
  :: nprep > 0 -> pc = PC_WAIT_PREP
  :: else -> loop_step(gf)
  fi
}

/* One step of the RCU scan. */
inline scan_step(gf) {
  e = 255; i = j;
  do
  :: i < nt -> if :: ELIGIBLE(i) -> e = i; break :: else -> i++ fi
  :: else -> break
  od;
  if
  :: e == 255 -> endscan_step(gf)
  :: else ->
    found = 1;
    k = 0; i = 0;
    do
    :: i < nt -> k = k + seen[i]; i++
    :: else -> break
    od;
    if
    :: k >= cap -> endscan_step(gf)
    :: else -> seen[e] = 1; j = e; pc = PC_ADD
    fi
  fi
}

inline enter_step(gf) {
  locked = 1; oldcred = cr[0]; err = ERR_NONE; nunf = 1; allfin = 0; ready = 0; allprep = 0; nprep = 0; found = 0; cap = 0; j = 0;
  round_step(gf)
}

#if ENOMEM
#define RUN_FAIL(t) \
  :: d_step { !DONE && (t) < nt && (st[t] == ST_RUN || st[t] == ST_EXITING) && !tw[t] && pend[t] && !SHARED(t) -> \
       pend[t] = 0; err = ERR_ENOMEM; \
       nprep--; if :: nprep == 0 -> allprep = 1 :: else fi; \
       nunf--; if :: nunf == 0 -> allfin = 1 :: else fi }
#else
#define RUN_FAIL(t)
#endif

#if SPAWNS > 0
#define SPAWN(t) \
  :: d_step { !DONE && (t) < nt && st[t] == ST_RUN && !tw[t] && nt - THREADS < SPAWNS -> \
       st[nt] = ST_RUN; cr[nt] = cr[t]; dm[nt] = dm[t]; nnp[nt] = nnp[t]; nt++ }
#else
#define SPAWN(t)
#endif

#if EXITS > 0
#define EXIT(t) \
  :: d_step { !DONE && (t) < nt && st[t] == ST_RUN && !tw[t] && exits < EXITS -> st[t] = ST_EXITING; exits++ } \
  :: d_step { !DONE && (t) < nt && st[t] == ST_EXITING && !tw[t] && !pend[t] -> \
       st[t] = ST_DEAD; cr[t] = 0; dm[t] = 0; nnp[t] = 0 }
#else
#define EXIT(t)
#endif

/* Sibling t: commit or abort after ready_to_commit; start its task_work; spawn; exit. */
#define THREAD(t) \
  :: d_step { !DONE && (t) < nt && tw[t] && ready -> \
       if :: err == ERR_NONE -> cr[t] = (SHARED(t) -> CR_NEW : CR_PRIV); dm[t] = DM_NEW; nnp[t] = 1 :: else fi; \
       tw[t] = 0; nunf--; if :: nunf == 0 -> allfin = 1 :: else fi } \
  :: d_step { !DONE && (t) < nt && (st[t] == ST_RUN || st[t] == ST_EXITING) && !tw[t] && pend[t] -> \
       pend[t] = 0; nprep--; if :: nprep == 0 -> allprep = 1 :: else fi; tw[t] = 1 } \
  RUN_FAIL(t) \
  SPAWN(t) \
  EXIT(t)

proctype tsync() {
  do
  :: DONE -> break
  :: d_step { pc == PC_ENTER -> enter_step(0) }
#if ENOMEM
  :: d_step { pc == PC_ENTER -> enter_step(1) }
  :: d_step { pc == PC_ENTER -> pc = PC_DONE_ERR; last = 2 }
#endif
  :: d_step { pc == PC_SCAN -> scan_step(0) }
#if ENOMEM
  :: d_step { pc == PC_SCAN -> scan_step(1) }
#endif
  :: d_step { pc == PC_ADD ->
       if
       :: st[j] == ST_DEAD -> seen[j] = 0
       :: else -> pend[j] = 1; nprep++; nunf++
       fi;
       j++; pc = PC_SCAN }
  :: d_step { pc == PC_WAIT_PREP && allprep -> loop_step(0) }
#if ENOMEM
  :: d_step { pc == PC_WAIT_PREP && allprep -> loop_step(1) }
#endif
  :: d_step { pc == PC_WAIT_FIN && allfin -> finish_step() }
#if MAXT > 1
  THREAD(1)
#endif
#if MAXT > 2
  THREAD(2)
#endif
#if MAXT > 3
  THREAD(3)
#endif
#if MAXT > 4
  THREAD(4)
#endif
#if MAXT > 5
  THREAD(5)
#endif
#if MAXT > 6
  THREAD(6)
#endif
#if MAXT > 7
  THREAD(7)
#endif
  od;
  /* Enforcement over: after a success every live thread is in the same domain. */
  skip;
  d_step {
    i = 0; n = 255;
    do
    :: i < nt && last == 1 && st[i] == ST_RUN -> assert(n == 255 || n == dm[i]); n = dm[i]; i++
    :: i < nt && !(last == 1 && st[i] == ST_RUN) -> i++
    :: else -> break
    od;
    i = 0
  }
}

init {
  d_step {
    nt = THREADS;
    i = 0;
    do
    :: i < THREADS -> st[i] = ST_RUN; i++
    :: else -> break
    od;
    nnp[0] = 1
  }
#if ENOMEM
  /* Each sibling shares the caller's cred or has its own cred and domain. */
#define DIVERGE(t) if :: cr[t] = CR_PRIV; dm[t] = DM_DIV :: skip fi
#if THREADS > 1
  DIVERGE(1);
#endif
#if THREADS > 2
  DIVERGE(2);
#endif
#if THREADS > 3
  DIVERGE(3);
#endif
#if THREADS > 4
  DIVERGE(4);
#endif
#if THREADS > 5
  DIVERGE(5);
#endif
#if THREADS > 6
  DIVERGE(6);
#endif
#if THREADS > 7
  DIVERGE(7);
#endif
#endif
  run tsync()
}
