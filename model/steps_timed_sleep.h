// steps_timed_sleep.h -- a plain kthread that sleeps with a timeout: msleep(),
// msleep_interruptible() or usleep_range() in a kthread_should_stop() loop
// (ThreadFn::kTimedLoop, state.h). Included by model/steps.h only; see its contract. Every
// step is disabled (a C++ `if` on the parameter) under the other configurations, so the
// smpboot model, its proofs and its counts do not see them.
//
// The loop (kernel/time/sleep_timeout.c), one step per line:
//   while (!kthread_should_stop()) {                       kFnTestStop
//     do_work();                                           (private: no step)
//     while (timeout [&& !signal_pending(current)])        kFnTimedReturn ends it
//       __set_current_state(TASK_[UN]INTERRUPTIBLE);       kFnTimedSet[Un]interruptible
//       timeout = schedule_timeout(timeout);               kFnTimedSchedule, then asleep
//   }                                                      until kTimerWake or any
//                                                          TASK_NORMAL wakeup
// Abstractions, each a superset of the kernel's runs (so a port run that the model refuses
// is a real divergence, and a model run the port lacks is not a false alarm):
// - The timeout's value is not modelled. At the loop's top the thread may sleep again or
//   return, whatever time is left: a wakeup before the expiry (kthread_stop()'s) makes
//   msleep() sleep again, msleep_interruptible() return on TIF_NOTIFY_SIGNAL; the model
//   allows both after every wakeup. usleep_range() sleeps once.
// - The timer may fire whenever the thread is blocked in schedule_timeout(), at any
//   point of the other processes (the port's checker fires it early or late, seam.h).
// - TASK_INTERRUPTIBLE or TASK_UNINTERRUPTIBLE: two steps; the port's event names which.
#ifndef KTHCHECK_MODEL_STEPS_TIMED_SLEEP_H_
#define KTHCHECK_MODEL_STEPS_TIMED_SLEEP_H_

namespace kthcheck::model {

inline bool Timed(ThreadFn f) {
  return f == ThreadFn::kTimedLoop || f == ThreadFn::kParkableTimedLoop;
}

// __set_current_state(): a plain store (no barrier is needed: schedule_timeout()'s
// __schedule() reads the state under rq->lock, and an in-flight wakeup may still land
// after it, kTtwuDoWakeup, so that __schedule() does not block).
template <class D>
BoolOf<D> TimedSetState(const StepContext<D>& k, const CpuT<D>& t, CpuT<D>& nt, int state) {
  const D& d = k.d;
  if (!Timed(k.thread_fn)) return d.B(false);
  nt.task_state = d.Lit(state);
  nt.pc = d.Lit(kFTimedSchedule);
  return t.pc == kFTimedTop;
}

KTH_STEP(kFnTimedSetInterruptible) { return TimedSetState(k, t, nt, kTaskInterruptible); }
KTH_STEP(kFnTimedSetUninterruptible) { return TimedSetState(k, t, nt, kTaskUninterruptible); }

// __schedule() in schedule_timeout(): a state that is TASK_RUNNING again (a wakeup's
// store landed), or TASK_INTERRUPTIBLE with kthread_stop()'s TIF_NOTIFY_SIGNAL, does not
// block (FnBlocks()); otherwise the thread sleeps with its timer armed.
KTH_STEP(kFnTimedSchedule) {
  const D& d = k.d;
  if (!Timed(k.thread_fn)) return d.B(false);
  nt.pc = d.Ite(FnBlocks(t), d.Lit(kFTimedSleep), d.Lit(kFTimedTop));
  nt.task_state = d.Ite(FnBlocks(t), t.task_state, d.Lit(kTaskRunning));
  return t.pc == kFTimedSchedule;
}

// The timeout loop ends (timeout spent, or a signal pending): on to kthread_should_stop().
// Its state is TASK_RUNNING by then unless it never slept in this call.
KTH_STEP(kFnTimedReturn) {
  const D& d = k.d;
  if (!Timed(k.thread_fn)) return d.B(false);
  nt.pc = d.Lit(kFTop);
  return t.pc == kFTimedTop;
}

// process_timeout(): wake_up_process() of the sleeper, TASK_NORMAL, once its timer expires.
// The timer is armed only while the thread is blocked in schedule_timeout().
KTH_STEP(kTimerWake) {
  const D& d = k.d;
  if (!Timed(k.thread_fn)) return d.B(false);
  auto g = Wake(k, t, nt, kTaskNormal, kPendNormal);
  return t.pc == kFTimedSleep && g;
}

// Driver::kRunSleepStop: the driver's msleep(5) between kthread_run() and kthread_stop().
// The port's clock is virtual (impl/platform/seam.h): it advances only while every task is
// idle, so the sleep can end only while the thread is blocked or dead. It is the kernel's
// one CPU without preemption: the driver's timer may fire, but the driver runs only once
// the thread gives up the CPU. A thread that never sleeps (hog_loop) starves it, and the
// run can go on only by the thread's steps that change nothing: the model's `livelock`
// (model.h HangOracle).
KTH_STEP(kDriverSleepReturn) {
  const D& d = k.d;
  if (k.driver != Driver::kRunSleepStop) return d.B(false);
  ns.ctl_op = d.Lit(kOpIdle);
  ns.ctl_sub = d.Lit(kSubNone);
  return CtlAt(s, c, kSubDriverSleep) && (Sleeping(k, t) || t.pc == kTDead);
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_STEPS_TIMED_SLEEP_H_
