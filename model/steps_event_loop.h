// steps_event_loop.h -- the work lines of a plain kthread that waits for a producer's work
// in its own loop (ThreadFn::kEventLoop, state.h): the seed's event loop and the
// interrupt-driven one. Included by model/steps.h only; see its contract. The loop's other
// lines are steps_threadfn.h's, with the event loop's successors:
//   while (!kthread_should_stop()) {                       kFnTestStop
//     set_current_state(TASK_INTERRUPTIBLE);               kFnSetInterruptible
//     if (!has_pending_work(d)) {                          kFnTestWork
//       schedule();                                        kFnSchedule
//       continue;                                          (back to kFTop)
//     }
//     __set_current_state(TASK_RUNNING);                   kFnSetRunning
//     process_pending_work(d);                             kFnProcessWork
//   }
// The producer is the smpboot model's (kRaiseWork, then kProducerWake's wake_up_process()),
// W items, once kthread_run() returned; lost_wakeup is the smpboot loop's oracle on this
// loop's sleep (invariants.h NoLostWakeup).
#ifndef KTHCHECK_MODEL_STEPS_EVENT_LOOP_H_
#define KTHCHECK_MODEL_STEPS_EVENT_LOOP_H_

namespace kthcheck::model {

// has_pending_work(): one read of the work count. No work: schedule() (or, in
// event_check_before_set_state, set_current_state() first). Work: the TASK_RUNNING store,
// which event_test_under_preempt_disable leaves out (it never left TASK_RUNNING there).
KTH_STEP(kFnTestWork) {
  const D& d = k.d;
  if (k.thread_fn != ThreadFn::kEventLoop) return d.B(false);
  int work_next = k.variant == Variant::kEventTestUnderPreemptDisable ? kFProcess : kFRunning;
  nt.pc = d.Ite(t.work > 0, d.Lit(work_next), d.Lit(EventFirst(k) ? kFSet : kFSchedule));
  return t.pc == kFWorkTest;
}

// process_pending_work(): `pending = 0` takes every item raised so far; the rest of the
// work is private to the thread.
KTH_STEP(kFnProcessWork) {
  const D& d = k.d;
  if (k.thread_fn != ThreadFn::kEventLoop) return d.B(false);
  nt.work = d.Lit(0);
  nt.pc = d.Lit(kFTop);
  return t.pc == kFProcess;
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_STEPS_EVENT_LOOP_H_
