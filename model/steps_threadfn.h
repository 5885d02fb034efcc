// steps_threadfn.h -- steps of a plain kthread's threadfn: the loops that the park scenarios
// of the catalog run instead of smpboot_thread_fn() (Params::thread_fn, state.h). Included
// by model/steps.h only; see its contract. Every step here is disabled (a C++ `if` on the
// parameter) under ThreadFn::kSmpboot, so the smpboot model, its proofs and its counts do
// not see them.
//
// The loop, one step per line (kParkableLoop has the two park tests, kStopLoop not;
// kEventLoop's work test and work are in steps_event_loop.h):
//   while (!kthread_should_stop()) {                       kFnTestStop
//     if (kthread_should_park()) kthread_parkme();         kFnTestPark
//     set_current_state(TASK_INTERRUPTIBLE);               kFnSetInterruptible
//     if (!kthread_should_stop() &&                        kFnSleepTestStop
//         !kthread_should_park())                          kFnSleepTestPark
//       schedule();                                        kFnSchedule
//     __set_current_state(TASK_RUNNING);                   kFnSetRunning
//   }
//   return 0;                                              -> kthread_exit (kTExit)
// Each test is one read of one flag and nothing else, so one line is one step and no
// ATOMICITY argument is needed.
#ifndef KTHCHECK_MODEL_STEPS_THREADFN_H_
#define KTHCHECK_MODEL_STEPS_THREADFN_H_

namespace kthcheck::model {

inline bool Parkable(ThreadFn f) {
  return f == ThreadFn::kParkableLoop || f == ThreadFn::kParkableTimedLoop;
}

// The event loop in event_check_before_set_state tests for work before it sets
// TASK_INTERRUPTIBLE (the seed's bug; the smpboot loop's variant of the same name moves
// smpboot_thread_fn()'s tests the same way).
template <class D>
bool EventFirst(const StepContext<D>& k) {
  return k.thread_fn == ThreadFn::kEventLoop && TestsBeforeState(k.variant);
}

// Where the loop's body starts, past its kthread_should_stop() test.
template <class D>
int LoopBody(const StepContext<D>& k) {
  switch (k.thread_fn) {
    case ThreadFn::kParkableLoop:
    case ThreadFn::kParkableTimedLoop:
      return kFPark;
    case ThreadFn::kTimedLoop:  // hog_loop polls and tests again, never sleeping
      return HogLoop(k.variant) ? kFTop : kFTimedTop;
    case ThreadFn::kWaitEventLoop:  // the hand-rolled wait has no fast-path test
      return HandRolledWait(k.variant) ? kWPrepare : kWFastWork;
    case ThreadFn::kFreezableWaitLoop:
      return kWFastWork;
    default:
      return EventFirst(k) ? kFWorkTest : kFSet;
  }
}

KTH_STEP(kFnTestStop) {
  const D& d = k.d;
  if (k.thread_fn == ThreadFn::kSmpboot) return d.B(false);
  nt.pc = d.Ite(t.should_stop, d.Lit(kTExit), d.Lit(LoopBody(k)));
  return t.pc == kFTop;
}

// kthread_parkme() from the loop returns to the line after the test: fn_parkme records that.
KTH_STEP(kFnTestPark) {
  const D& d = k.d;
  if (!Parkable(k.thread_fn)) return d.B(false);
  nt.pc = d.Ite(t.should_park, d.Lit(ParkmeTop(k.variant)), d.Lit(AfterParkTest(k.thread_fn)));
  nt.fn_parkme = t.should_park;
  return t.pc == kFPark;
}

// A plain store plus smp_mb(), not under pi_lock: an in-flight wakeup may still land after
// it (kTtwuDoWakeup), and then schedule() does not block.
// event_loop_no_barrier and parkable_loop_no_barrier: __set_current_state(), whose store
// goes to the store buffer (steps.h StateStoreBuffered).
KTH_STEP(kFnSetInterruptible) {
  const D& d = k.d;
  if (k.thread_fn == ThreadFn::kSmpboot) return d.B(false);
  if (StateStoreBuffered(k.variant)) {
    nt.sb_state = d.B(true);
  } else {
    nt.task_state = d.Lit(kTaskInterruptible);
  }
  int next = k.thread_fn != ThreadFn::kEventLoop ? kFTestStop : EventFirst(k) ? kFSchedule
                                                                               : kFWorkTest;
  nt.pc = d.Lit(next);
  return t.pc == kFSet;
}

KTH_STEP(kFnSleepTestStop) {
  const D& d = k.d;
  if (k.thread_fn == ThreadFn::kSmpboot) return d.B(false);
  int next = Parkable(k.thread_fn) ? kFTestPark : kFSchedule;
  nt.pc = d.Ite(t.should_stop, d.Lit(kFRunning), d.Lit(next));
  return t.pc == kFTestStop;
}

KTH_STEP(kFnSleepTestPark) {
  const D& d = k.d;
  if (!Parkable(k.thread_fn)) return d.B(false);
  nt.pc = d.Ite(t.should_park, d.Lit(kFRunning), d.Lit(kFSchedule));
  return t.pc == kFTestPark;
}

// schedule(): a task whose state is TASK_RUNNING again (a wakeup's store landed), or that
// kthread_stop()'s TIF_NOTIFY_SIGNAL interrupts (FnBlocks()), is not dequeued; otherwise it
// blocks until a TASK_NORMAL wakeup (Resume() -> AfterFnSchedule()).
KTH_STEP(kFnSchedule) {
  const D& d = k.d;
  if (k.thread_fn == ThreadFn::kSmpboot) return d.B(false);
  nt.pc = d.Ite(FnBlocks(t), d.Lit(kFSleep), d.Lit(AfterFnSchedule(k.thread_fn, k.variant)));
  nt.task_state = d.Ite(FnBlocks(t), t.task_state, d.Lit(kTaskRunning));
  return t.pc == kFSchedule && !t.sb_state;
}

KTH_STEP(kFnSetRunning) {
  const D& d = k.d;
  if (k.thread_fn == ThreadFn::kSmpboot) return d.B(false);
  nt.task_state = d.Lit(kTaskRunning);
  nt.pc = d.Lit(k.thread_fn == ThreadFn::kEventLoop ? kFProcess : kFTop);
  return t.pc == kFRunning && !t.sb_state;
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_STEPS_THREADFN_H_
