// steps_thread.h -- steps of the per-CPU smpboot thread and of in-flight wakeups.
// Included by model/steps.h only; see its contract.  Kernel text: kernel/kthread.c and
// kernel/smpboot.c as summarised in kernel-semantics.md sections 8, 10 and 15.1.
#ifndef KTHCHECK_MODEL_STEPS_THREAD_H_
#define KTHCHECK_MODEL_STEPS_THREAD_H_

namespace kthcheck::model {

// kthread(): `if (!test_bit(KTHREAD_SHOULD_STOP)) { __kthread_parkme(self); threadfn(); }
// kthread_exit(-EINTR)`.  threadfn is smpboot_thread_fn, whose loop top is where parkme
// returns to, so parkme needs no return address.
KTH_STEP(kKthreadTestShouldStop) {
  nt.pc = k.d.Ite(t.should_stop, k.d.Lit(kTExit), k.d.Lit(ParkmeTop(k.variant)));
  return t.pc == kTStarted;
}

// set_special_state(TASK_PARKED) stores under current->pi_lock, which serialises it with a
// matched wakeup's TASK_RUNNING store: the guard waits for any in-flight wakeup.  The
// parkme_plain_state_store variant drops that serialisation (v4.17-rc, bug B3).
// parkme_not_special sleeps with set_current_state(TASK_INTERRUPTIBLE) instead, a plain
// store plus smp_mb() that does not take pi_lock either.
KTH_STEP(kParkmeSetParked) {
  bool not_special = k.variant == Variant::kParkmeNotSpecial;
  nt.task_state = k.d.Lit(not_special ? kTaskInterruptible : kTaskParked);
  nt.pc = k.d.Lit(kPTest);
  if (k.variant == Variant::kParkmePlainStateStore || not_special) return t.pc == kPSet;
  return t.pc == kPSet && t.pending == kPendNone;
}

// In parkme_complete_before_state `parked` was completed at the loop top already.
KTH_STEP(kParkmeTestShouldPark) {
  bool completed = k.variant == Variant::kParkmeCompleteBeforeState;
  nt.pc = k.d.Ite(t.should_park, k.d.Lit(completed ? kPSchedule : kPComplete), k.d.Lit(kPBreak));
  return t.pc == kPTest;
}

// Returns to smpboot_thread_fn's loop top, or, for a plain kthread, to where its parkme
// was called from (state.h fn_parkme).
KTH_STEP(kParkmeSetRunning) {
  const D& d = k.d;
  nt.task_state = d.Lit(kTaskRunning);
  if (k.thread_fn == ThreadFn::kSmpboot) {
    nt.pc = d.Lit(LoopTop(k.variant));
  } else {
    nt.pc = d.Ite(t.fn_parkme, d.Lit(AfterParkTest(k.thread_fn)), d.Lit(FnEntry(k.driver)));
    nt.fn_parkme = d.B(false);
  }
  return t.pc == kPBreak;
}

// complete(&self->parked) once per decision to sleep; kthread_park() consumes it.
// parkme_complete_all uses complete_all(), which leaves done at its "all" value.
// parkme_complete_before_state runs `if (test_bit(SHOULD_PARK)) complete(&parked)` at the
// loop top, before the state store.  ATOMICITY: only kthread_unpark() clears SHOULD_PARK,
// and only after kthread_park() consumed this completion, so nobody can change the bit
// between the test and the complete().
KTH_STEP(kParkmeComplete) {
  const D& d = k.d;
  if (k.variant == Variant::kParkmeCompleteBeforeState) {
    nt.parked_done = d.Ite(t.should_park, t.parked_done + 1, t.parked_done);
    nt.pc = d.Lit(kPSet);
    return t.pc == kPComplete;
  }
  bool all = k.variant == Variant::kParkmeCompleteAll;
  nt.parked_done = all ? d.Lit(kCompletionDoneAll) : t.parked_done + 1;
  nt.pc = d.Lit(kPSchedule);
  return t.pc == kPComplete;
}

// schedule(): a task whose state is TASK_RUNNING again (a wakeup's store landed) is not
// dequeued and loops; otherwise it blocks.  ATOMICITY: preemption is disabled from
// complete() to schedule() (v5.7+), and the rq lock orders this against ttwu_runnable().
KTH_STEP(kParkmeSchedule) {
  nt.pc = k.d.Ite(t.task_state == kTaskRunning, k.d.Lit(ParkmeTop(k.variant)), k.d.Lit(kPSleep));
  return t.pc == kPSchedule;
}

// set_current_state(TASK_INTERRUPTIBLE): a plain store plus smp_mb(), not under pi_lock,
// so an in-flight wakeup may still overwrite it with TASK_RUNNING (harmless: the loop
// re-tests its events).  In event_check_before_set_state the events were already tested;
// in smpboot_check_before_set_state should_stop and should_park were, and the status
// switch and thread_should_run() follow.
// smpboot_no_barrier: __set_current_state(), whose store goes to the store buffer.
KTH_STEP(kLoopSetInterruptible) {
  if (StateStoreBuffered(k.variant)) {
    nt.sb_state = k.d.B(true);
  } else {
    nt.task_state = k.d.Lit(kTaskInterruptible);
  }
  int next = kLStop;
  if (TestsBeforeState(k.variant)) next = kLSchedule;
  if (k.variant == Variant::kSmpbootCheckBeforeSetState) next = kLStatus;
  nt.pc = k.d.Lit(next);
  return t.pc == kLSet;
}

// (c) kthread_should_stop() -> __set_current_state(TASK_RUNNING); return 0 -> kthread_exit.
// In smpboot_park_after_schedule (d) is not here but after schedule().
KTH_STEP(kLoopShouldStop) {
  const D& d = k.d;
  if (k.variant == Variant::kLoopIgnoresShouldStop) {
    nt.pc = d.Lit(kLPark);
    return t.pc == kLStop;
  }
  bool park_later = k.variant == Variant::kSmpbootParkAfterSchedule;
  nt.task_state = d.Ite(t.should_stop, d.Lit(kTaskRunning), t.task_state);
  nt.pc = d.Ite(t.should_stop, d.Lit(kTExit), d.Lit(park_later ? kLStatus : kLPark));
  return t.pc == kLStop && Drained(t, t.should_stop);
}

// (d) kthread_should_park() -> __set_current_state(TASK_RUNNING); if ACTIVE: ht->park(),
// status = PARKED; kthread_parkme().  ATOMICITY: td->status is private to the thread.
// Variants: smpboot_park_ignores_status runs ht->park() in any status (a move to PARKED
// from NONE or PARKED sets status_warn); smpboot_check_before_set_state goes on to the
// state store; smpboot_park_after_schedule tests here after schedule() and goes on to
// the loop top.
KTH_STEP(kLoopShouldPark) {
  const D& d = k.d;
  auto park = t.should_park;
  auto active = t.status == kHpActive;
  bool any_status = k.variant == Variant::kSmpbootParkIgnoresStatus;
  int next = kLStatus;
  if (k.variant == Variant::kSmpbootCheckBeforeSetState) next = kLSet;
  if (k.variant == Variant::kSmpbootParkAfterSchedule) next = LoopTop(k.variant);
  nt.task_state = d.Ite(park, d.Lit(kTaskRunning), t.task_state);
  nt.status = d.Ite(park && (any_status ? d.B(true) : active), d.Lit(kHpParked), t.status);
  if (any_status) nt.status_warn = t.status_warn || (park && !active);
  nt.pc = d.Ite(park, d.Lit(ParkmeTop(k.variant)), d.Lit(next));
  return t.pc == kLPark && Drained(t, park);
}

// (e) BUG_ON(td->cpu != smp_processor_id()) (the binding invariant checks it); then
// NONE -> setup(), PARKED -> unpark(): both set TASK_RUNNING, status = ACTIVE, continue.
KTH_STEP(kLoopStatus) {
  const D& d = k.d;
  auto active = t.status == kHpActive;
  nt.task_state = d.Ite(active, t.task_state, d.Lit(kTaskRunning));
  nt.status = d.Lit(kHpActive);
  nt.pc = d.Ite(active, d.Lit(kLRunCheck), d.Lit(LoopTop(k.variant)));
  return t.pc == kLStatus && Drained(t, !active);
}

// (f) if (!ht->thread_should_run()) schedule(); tested after the state store (faithful).
KTH_STEP(kLoopThreadShouldRun) {
  const D& d = k.d;
  bool late = TestsBeforeState(k.variant);
  nt.pc = d.Ite(t.work > 0, d.Lit(kLThreadFn), d.Lit(late ? kLSet : kLSchedule));
  return t.pc == kLRunCheck;
}

KTH_STEP(kLoopThreadFn) {
  nt.task_state = k.d.Lit(kTaskRunning);
  nt.work = t.work - 1;
  nt.pc = k.d.Lit(LoopTop(k.variant));
  return t.pc == kLThreadFn && !t.sb_state;
}

KTH_STEP(kLoopSchedule) {
  const D& d = k.d;
  nt.pc = d.Ite(t.task_state == kTaskRunning, d.Lit(AfterSchedule(k.variant)), d.Lit(kLSleep));
  return t.pc == kLSchedule && !t.sb_state;
}

// kthread_exit(): result store, then do_exit() -> complete(&exited) -> TASK_DEAD.
// ATOMICITY: `result` is read only after wait_for_completion(&exited), so the store and the
// completion are one step; TASK_DEAD is set with set_special_state (pi_lock), hence the guard.
// exit_before_result completes `exited` first (no pi_lock yet): the store and TASK_DEAD
// follow in kKthreadExitStoreResult.
KTH_STEP(kKthreadExit) {
  const bool early = ResultAfterPublication(k.variant);
  nt.exited_done = t.exited_done + 1;
  nt.task_state = early ? t.task_state : k.d.Lit(kTaskDead);
  nt.pc = k.d.Lit(early ? kTExitResult : kTDead);
  if (early) return t.pc == kTExit;
  return t.pc == kTExit && t.pending == kPendNone;
}

// exit_before_result and exit_flag_without_release: `kthread->result = ret;` after the
// completion, then TASK_DEAD. Only those variants have the step (a constant-false guard
// elsewhere, which proofs/bmc.cc drops from its transition relation).
KTH_STEP(kKthreadExitStoreResult) {
  if (!ResultAfterPublication(k.variant)) return k.d.B(false);
  nt.task_state = k.d.Lit(kTaskDead);
  nt.pc = k.d.Lit(kTDead);
  return t.pc == kTExitResult && t.pending == kPendNone;
}

// The buffered TASK_INTERRUPTIBLE store becomes visible (StateStoreBuffered variants only).
// A wakeup that came while it was buffered read TASK_RUNNING and did nothing; after the
// drain, the thread's schedule() blocks.
KTH_STEP(kStateStoreDrain) {
  if (!StateStoreBuffered(k.variant)) return k.d.B(false);
  nt.task_state = k.d.Lit(kTaskInterruptible);
  nt.sb_state = k.d.B(false);
  return t.sb_state;
}

// The delayed half of try_to_wake_up(): TASK_RUNNING lands; a thread that blocked in the
// meantime is activated and returns from schedule().
KTH_STEP(kTtwuDoWakeup) {
  const D& d = k.d;
  nt.task_state = d.Lit(kTaskRunning);
  nt.pending = d.Lit(kPendNone);
  nt.pc = d.Ite(Sleeping(k, t), Resume(k, t), t.pc);
  return t.pending != kPendNone;
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_STEPS_THREAD_H_
