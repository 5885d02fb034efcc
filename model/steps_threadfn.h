// steps_threadfn.h -- steps of a plain kthread's threadfn: the loops that the park scenarios
// of the catalog run instead of smpboot_thread_fn() (Params::thread_fn, state.h). Included
// by model/steps.h only; see its contract. Every step here is disabled (a C++ `if` on the
// parameter) under ThreadFn::kSmpboot, so the smpboot model, its proofs and its counts do
// not see them.
//
// The loop, one step per line (kParkableLoop has the two park tests, kStopLoop not):
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

inline bool Parkable(ThreadFn f) { return f == ThreadFn::kParkableLoop; }

KTH_STEP(kFnTestStop) {
  const D& d = k.d;
  if (k.thread_fn == ThreadFn::kSmpboot) return d.B(false);
  int body = Parkable(k.thread_fn)                  ? kFPark
             : k.thread_fn == ThreadFn::kTimedLoop ? kFTimedTop
                                                   : kFSet;
  nt.pc = d.Ite(t.should_stop, d.Lit(kTExit), d.Lit(body));
  return t.pc == kFTop;
}

// kthread_parkme() from the loop returns to set_current_state(): fn_parkme records that.
KTH_STEP(kFnTestPark) {
  const D& d = k.d;
  if (!Parkable(k.thread_fn)) return d.B(false);
  nt.pc = d.Ite(t.should_park, d.Lit(ParkmeTop(k.variant)), d.Lit(kFSet));
  nt.fn_parkme = t.should_park;
  return t.pc == kFPark;
}

// A plain store plus smp_mb(), not under pi_lock: an in-flight wakeup may still land after
// it (kTtwuDoWakeup), and then schedule() does not block.
KTH_STEP(kFnSetInterruptible) {
  const D& d = k.d;
  if (k.thread_fn == ThreadFn::kSmpboot) return d.B(false);
  nt.task_state = d.Lit(kTaskInterruptible);
  nt.pc = d.Lit(kFTestStop);
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

// schedule(): a task whose state is TASK_RUNNING again (a wakeup's store landed) is not
// dequeued; otherwise it blocks until a TASK_NORMAL wakeup (Resume() -> kFRunning).
KTH_STEP(kFnSchedule) {
  const D& d = k.d;
  if (k.thread_fn == ThreadFn::kSmpboot) return d.B(false);
  nt.pc = d.Ite(t.task_state == kTaskRunning, d.Lit(kFRunning), d.Lit(kFSleep));
  return t.pc == kFSchedule;
}

KTH_STEP(kFnSetRunning) {
  const D& d = k.d;
  if (k.thread_fn == ThreadFn::kSmpboot) return d.B(false);
  nt.task_state = d.Lit(kTaskRunning);
  nt.pc = d.Lit(kFTop);
  return t.pc == kFRunning;
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_STEPS_THREADFN_H_
