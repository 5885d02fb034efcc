/* smpboot.pml -- the smpboot hotplug protocol of model/ in Promela, for the SPIN comparison
 * (issue 4 item 6; bench/spin_vs_model.sh runs it).
 *
 * Parameters from the command line: spin -DNCPU=3 -DH=2 -DW=2 -a smpboot.pml
 *   NCPU CPUs (1-4), H hotplug offlines, W work items.
 *   -DPARK_WITHOUT_WAKEUP: the park_without_wakeup variant (both tools must report a hang;
 *   SPIN calls it an invalid end state).
 *   -DPARKME_PLAIN_STATE_STORE: the parkme_plain_state_store variant (both tools must report
 *   invariant special_state_exclusivity; SPIN as an assertion violation).
 *
 * Granularity: one d_step per row of model/actions.def, with the same guard and effect as
 * model/steps_thread.h and model/steps_controller.h (the comments name the row).  d_step
 * keeps no intermediate states, so a SPIN state is a model/ state plus the process
 * counters (every process sits at the head of its do-loop, except the controller after
 * its last step).  Variable names and values follow model/state.h and model/pcs.def.
 *
 * Oracles, as in model/:
 * - the six invariants of model/invariants.def (model/invariants.h), as an assertion in the
 *   `monitor` process, enabled in every state that violates one.  The three lemma rows are
 *   not transcribed (they only serve proofs/), so SPIN evaluates less per state than ours.
 * - hang: a state without successors that is not a valid end is SPIN's "invalid end state".
 *   Threads, producer and monitor have end labels; the controller ends only at OP_DONE
 *   (model/invariants.h ValidEnd).
 * Differences: is_per_cpu is constant true in model/ and is left out here.
 *
 * POR: every variable is global (the controller and the invariants read every CPU's
 * variables), so SPIN's partial-order reduction finds no safe moves; model/README.md says
 * why a reduction degenerates on this protocol anyway.
 */
#ifndef NCPU
#define NCPU 2
#endif
#ifndef H
#define H 1
#endif
#ifndef W
#define W 1
#endif

/* include/linux/sched.h bit values (model/state.h TaskStateBits) */
#define RUNNING 0
#define INTERRUPTIBLE 1
#define UNINTERRUPTIBLE 2
#define TASK_NORMAL 3
#define PARKED 64
#define DEAD 128

/* thread pcs, model/pcs.def order */
#define TNEW 0
#define TSTARTED 1
#define PSET 2
#define PTEST 3
#define PBREAK 4
#define PCOMPLETE 5
#define PSCHEDULE 6
#define PSLEEP 7
#define LSET 8
#define LSTOP 9
#define LPARK 10
#define LSTATUS 11
#define LRUNCHECK 12
#define LTHREADFN 13
#define LSCHEDULE 14
#define LSLEEP 15
#define TEXIT 16
#define TDEAD 17
#define LOOPTOP LSET

/* controller ops and sub-positions */
#define OP_REG 0
#define OP_IDLE 1
#define OP_OFFLINE 2
#define OP_ONLINE 3
#define OP_UNREG 4
#define OP_DONE 5
#define SUB_NONE 0
#define SUB_PARKSET 1
#define SUB_PARKWAKE 2
#define SUB_PARKWAIT 3
#define SUB_PARKINACTIVE 4
#define SUB_TAKEDOWN 5
#define SUB_UNPARKTEST 6
#define SUB_UNPARKBIND 7
#define SUB_UNPARKCLEAR 8
#define SUB_UNPARKWAKE 9
#define SUB_STOPSET 10
#define SUB_STOPWAKE 11
#define SUB_STOPWAIT 12

#define HP_NONE 0
#define HP_ACTIVE 1
#define HP_PARKED 2
#define PEND_NONE 0
#define PEND_NORMAL 1
#define PEND_PARKED 2
#define PROD_IDLE 0
#define PROD_WAKE 1

/* shared (model/state.h KTH_SHARED_FIELDS) */
byte ctl_op = OP_REG;
byte ctl_sub = SUB_PARKSET;
byte ctl_cpu = 0;
byte offlines_left = H;
bit prod_pc = PROD_IDLE;
byte prod_cpu = 0;
byte prod_left = W;

/* per CPU (KTH_CPU_FIELDS); initialised in init_cpus below */
byte pc[NCPU];
byte tstate[NCPU];
byte parked_done[NCPU];
byte exited_done[NCPU];
byte status[NCPU];
byte pending[NCPU];
byte work[NCPU];
bool should_stop[NCPU];
bool should_park[NCPU];
bool online[NCPU];
bool park_returned[NCPU];
bool bind_warn[NCPU];

#define SLEEPING(c) (pc[c] == TNEW || pc[c] == PSLEEP || pc[c] == LSLEEP)
#define RESUME(c) (pc[c] == TNEW -> TSTARTED : (pc[c] == PSLEEP -> PSET : LOOPTOP))

/* steps.h Wake(): try_to_wake_up(p, mask); the caller's guard has pending[c] == PEND_NONE */
#define WAKE(c, mask, kind) \
  if \
  :: (tstate[c] & (mask)) != 0 && SLEEPING(c) -> tstate[c] = RUNNING; pc[c] = RESUME(c) \
  :: (tstate[c] & (mask)) != 0 && !SLEEPING(c) -> pending[c] = kind \
  :: else -> skip \
  fi

/* steps.h InactiveOrMismatch() */
#define INACTIVE_OR_MISMATCH(c) ((SLEEPING(c) && pending[c] == PEND_NONE) || (tstate[c] & PARKED) == 0)

/* steps.h AfterUnpark(): next CPU of registration, idle after cpu_up, or kthread_stop's wake */
#define AFTER_UNPARK(c) \
  if \
  :: ctl_op == OP_REG && (c) + 1 < NCPU -> ctl_cpu = (c) + 1; ctl_sub = SUB_PARKSET \
  :: (ctl_op == OP_REG && (c) + 1 >= NCPU) || ctl_op == OP_ONLINE -> \
     ctl_op = OP_IDLE; ctl_cpu = 0; ctl_sub = SUB_NONE \
  :: else -> ctl_sub = SUB_STOPWAKE \
  fi

/* ---- the per-CPU smpboot thread (steps_thread.h); thread c has _pid c ---- */
active [NCPU] proctype thread() {
end:
  do
  :: d_step { pc[_pid] == TSTARTED ->                       /* kKthreadTestShouldStop */
       pc[_pid] = (should_stop[_pid] -> TEXIT : PSET) }
#ifdef PARKME_PLAIN_STATE_STORE
  :: d_step { pc[_pid] == PSET ->                           /* kParkmeSetParked, plain store */
#else
  :: d_step { pc[_pid] == PSET && pending[_pid] == PEND_NONE -> /* kParkmeSetParked */
#endif
       tstate[_pid] = PARKED; pc[_pid] = PTEST }
  :: d_step { pc[_pid] == PTEST ->                          /* kParkmeTestShouldPark */
       pc[_pid] = (should_park[_pid] -> PCOMPLETE : PBREAK) }
  :: d_step { pc[_pid] == PBREAK ->                         /* kParkmeSetRunning */
       tstate[_pid] = RUNNING; pc[_pid] = LOOPTOP }
  :: d_step { pc[_pid] == PCOMPLETE ->                      /* kParkmeComplete */
       parked_done[_pid]++; pc[_pid] = PSCHEDULE }
  :: d_step { pc[_pid] == PSCHEDULE ->                      /* kParkmeSchedule */
       pc[_pid] = (tstate[_pid] == RUNNING -> PSET : PSLEEP) }
  :: d_step { pc[_pid] == LSET ->                           /* kLoopSetInterruptible */
       tstate[_pid] = INTERRUPTIBLE; pc[_pid] = LSTOP }
  :: d_step { pc[_pid] == LSTOP ->                          /* kLoopShouldStop */
       if
       :: should_stop[_pid] -> tstate[_pid] = RUNNING; pc[_pid] = TEXIT
       :: else -> pc[_pid] = LPARK
       fi }
  :: d_step { pc[_pid] == LPARK ->                          /* kLoopShouldPark */
       if
       :: should_park[_pid] ->
          tstate[_pid] = RUNNING;
          if
          :: status[_pid] == HP_ACTIVE -> status[_pid] = HP_PARKED
          :: else -> skip
          fi;
          pc[_pid] = PSET
       :: else -> pc[_pid] = LSTATUS
       fi }
  :: d_step { pc[_pid] == LSTATUS ->                        /* kLoopStatus */
       if
       :: status[_pid] == HP_ACTIVE -> pc[_pid] = LRUNCHECK
       :: else -> tstate[_pid] = RUNNING; status[_pid] = HP_ACTIVE; pc[_pid] = LOOPTOP
       fi }
  :: d_step { pc[_pid] == LRUNCHECK ->                      /* kLoopThreadShouldRun */
       pc[_pid] = (work[_pid] > 0 -> LTHREADFN : LSCHEDULE) }
  :: d_step { pc[_pid] == LTHREADFN ->                      /* kLoopThreadFn */
       tstate[_pid] = RUNNING; work[_pid]--; pc[_pid] = LOOPTOP }
  :: d_step { pc[_pid] == LSCHEDULE ->                      /* kLoopSchedule */
       pc[_pid] = (tstate[_pid] == RUNNING -> LOOPTOP : LSLEEP) }
  :: d_step { pc[_pid] == TEXIT && pending[_pid] == PEND_NONE -> /* kKthreadExit */
       exited_done[_pid]++; tstate[_pid] = DEAD; pc[_pid] = TDEAD }
  :: d_step { pending[_pid] != PEND_NONE ->                 /* kTtwuDoWakeup */
       tstate[_pid] = RUNNING; pending[_pid] = PEND_NONE;
       if
       :: SLEEPING(_pid) -> pc[_pid] = RESUME(_pid)
       :: else -> skip
       fi }
  od
}

/* ---- the controller (steps_controller.h): register, H offline/online cycles, unregister ---- */
#define C ctl_cpu
#define CPU_CHOICES(c) \
  :: d_step { ctl_op == OP_IDLE && online[c] && offlines_left > 0 ->  /* kCpuDownBegin */ \
       ctl_op = OP_OFFLINE; ctl_cpu = c; ctl_sub = SUB_PARKSET; offlines_left-- } \
  :: d_step { ctl_op == OP_IDLE && !online[c] ->                      /* kCpuUpOnline */ \
       online[c] = 1; ctl_op = OP_ONLINE; ctl_cpu = c; ctl_sub = SUB_UNPARKTEST }

proctype controller() {
  do
  :: d_step { ctl_sub == SUB_PARKSET ->                     /* kKthreadParkSetBit */
       should_park[C] = 1;
#ifdef PARK_WITHOUT_WAKEUP
       ctl_sub = SUB_PARKWAIT }
#else
       ctl_sub = SUB_PARKWAKE }
#endif
  :: d_step { ctl_sub == SUB_PARKWAKE && pending[C] == PEND_NONE -> /* kKthreadParkWake */
       WAKE(C, TASK_NORMAL, PEND_NORMAL); ctl_sub = SUB_PARKWAIT }
  :: d_step { ctl_sub == SUB_PARKWAIT && parked_done[C] > 0 -> /* kKthreadParkWaitParked */
       parked_done[C]--; ctl_sub = SUB_PARKINACTIVE }
  :: d_step { ctl_sub == SUB_PARKINACTIVE && INACTIVE_OR_MISMATCH(C) -> /* kKthreadParkWaitInactive */
       park_returned[C] = 1;
       ctl_sub = (ctl_op == OP_REG -> SUB_UNPARKTEST : SUB_TAKEDOWN) }
  :: d_step { ctl_sub == SUB_UNPARKTEST ->                  /* kKthreadUnparkTest */
       if
       :: should_park[C] -> ctl_sub = SUB_UNPARKBIND       /* is_per_cpu */
       :: else -> AFTER_UNPARK(C)
       fi }
  :: d_step { ctl_sub == SUB_UNPARKBIND && INACTIVE_OR_MISMATCH(C) -> /* kKthreadUnparkBind */
       bind_warn[C] = (bind_warn[C] || (tstate[C] & PARKED) == 0); ctl_sub = SUB_UNPARKCLEAR }
  :: d_step { ctl_sub == SUB_UNPARKCLEAR ->                 /* kKthreadUnparkClear */
       should_park[C] = 0; park_returned[C] = 0; ctl_sub = SUB_UNPARKWAKE }
  :: d_step { ctl_sub == SUB_UNPARKWAKE && pending[C] == PEND_NONE -> /* kKthreadUnparkWake */
       WAKE(C, PARKED, PEND_PARKED); AFTER_UNPARK(C) }
  :: d_step { ctl_sub == SUB_STOPSET ->                     /* kKthreadStopSetBit */
       should_stop[C] = 1; ctl_sub = SUB_UNPARKTEST }
  :: d_step { ctl_sub == SUB_STOPWAKE && pending[C] == PEND_NONE -> /* kKthreadStopWake */
       WAKE(C, TASK_NORMAL, PEND_NORMAL); ctl_sub = SUB_STOPWAIT }
  :: d_step { ctl_sub == SUB_STOPWAIT && exited_done[C] > 0 && C + 1 < NCPU -> /* kKthreadStopWaitExited */
       exited_done[C]--; ctl_sub = SUB_STOPSET; ctl_cpu = C + 1 }
  :: d_step { ctl_sub == SUB_STOPWAIT && exited_done[C] > 0 && C + 1 >= NCPU -> /* (last CPU) */
       exited_done[C]--; ctl_op = OP_DONE; ctl_sub = SUB_NONE; ctl_cpu = 0 };
     break                                                  /* ValidEnd: OP_DONE */
  :: d_step { ctl_sub == SUB_TAKEDOWN ->                    /* kTakedownCpu */
       online[C] = 0; ctl_op = OP_IDLE; ctl_sub = SUB_NONE; ctl_cpu = 0 }
  :: d_step { ctl_op == OP_IDLE && offlines_left == 0 ->    /* kSmpbootUnregister */
       ctl_op = OP_UNREG; ctl_cpu = 0; ctl_sub = SUB_STOPSET }
  CPU_CHOICES(0)
#if NCPU > 1
  CPU_CHOICES(1)
#endif
#if NCPU > 2
  CPU_CHOICES(2)
#endif
#if NCPU > 3
  CPU_CHOICES(3)
#endif
  od
}

/* ---- the producer (kRaiseWork, kProducerWake) ---- */
#define RAISE(c) \
  :: d_step { prod_pc == PROD_IDLE && prod_left > 0 && online[c] && ctl_op != OP_REG -> \
       work[c]++; prod_left--; prod_pc = PROD_WAKE; prod_cpu = c }

proctype producer() {
end:
  do
  RAISE(0)
#if NCPU > 1
  RAISE(1)
#endif
#if NCPU > 2
  RAISE(2)
#endif
#if NCPU > 3
  RAISE(3)
#endif
  :: d_step { prod_pc == PROD_WAKE && pending[prod_cpu] == PEND_NONE ->
       WAKE(prod_cpu, TASK_NORMAL, PEND_NORMAL); prod_pc = PROD_IDLE; prod_cpu = 0 }
  od
}

/* ---- invariants (model/invariants.h), per CPU c ---- */
#define QUIESCENT (prod_pc == PROD_IDLE && prod_left == 0 && (ctl_op == OP_IDLE || ctl_op == OP_DONE))
#define IN_ACTIVE_LOOP(c) (pc[c] == LRUNCHECK || pc[c] == LTHREADFN || pc[c] == LSCHEDULE || pc[c] == LSLEEP)
#define PAST_BUG_ON(c) (pc[c] == LSTATUS || pc[c] == LRUNCHECK || pc[c] == LTHREADFN || pc[c] == LSCHEDULE)
#define PARK_POSTCONDITION(c) \
  (!park_returned[c] || (pc[c] == PSLEEP && tstate[c] == PARKED && should_park[c]))
#define COMPLETION_BALANCE(c) \
  (parked_done[c] <= 1 && \
   (parked_done[c] != 1 || (ctl_cpu == c && (ctl_sub == SUB_PARKWAKE || ctl_sub == SUB_PARKWAIT))) && \
   exited_done[c] <= 1 && (exited_done[c] != 1 || pc[c] == TDEAD))
#define SPECIAL_STATE_EXCLUSIVITY(c) \
  ((tstate[c] != PARKED || pending[c] != PEND_NORMAL) && (pc[c] != PSLEEP || tstate[c] == PARKED))
#define SMPBOOT_STATUS(c) \
  ((!IN_ACTIVE_LOOP(c) || status[c] == HP_ACTIVE) && (!park_returned[c] || status[c] != HP_ACTIVE) && \
   status[c] <= HP_PARKED)
#define BINDING(c) \
  (!bind_warn[c] && \
   (!(PAST_BUG_ON(c) || (pc[c] == LPARK && should_park[c] && status[c] == HP_ACTIVE)) || online[c]))
#define NO_LOST_WAKEUP(c) \
  (!(QUIESCENT && pending[c] == PEND_NONE && pc[c] == LSLEEP && work[c] > 0))
#define INV(c) (PARK_POSTCONDITION(c) && COMPLETION_BALANCE(c) && SPECIAL_STATE_EXCLUSIVITY(c) && \
                SMPBOOT_STATUS(c) && BINDING(c) && NO_LOST_WAKEUP(c))
#if NCPU == 1
#define ALL_INV INV(0)
#elif NCPU == 2
#define ALL_INV (INV(0) && INV(1))
#elif NCPU == 3
#define ALL_INV (INV(0) && INV(1) && INV(2))
#else
#define ALL_INV (INV(0) && INV(1) && INV(2) && INV(3))
#endif

/* Enabled exactly in the states that violate an invariant. */
proctype monitor() {
end:
  atomic { !ALL_INV -> assert(ALL_INV) }
}

/* model.cc InitialState(): every thread asleep in kthread() in TASK_UNINTERRUPTIBLE,
 * status NONE, CPU online; the controller is about to kthread_park() CPU 0. */
init {
  d_step {
    byte i = 0;
    do
    :: i < NCPU -> pc[i] = TNEW; tstate[i] = UNINTERRUPTIBLE; online[i] = 1; i++
    :: else -> break
    od;
    i = 0
  };
  atomic { run controller(); run producer(); run monitor() }
}
