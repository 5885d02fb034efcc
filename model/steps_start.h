// steps_start.h -- completion_sync's start handshake (Driver::kRunWaitStop, state.h): the
// thread signals that its initialisation is done before it enters its timed loop, and the
// creator waits for that signal before it goes on to kthread_stop(). Included by
// model/steps.h only; see its contract. Every step is disabled (a C++ `if` on the
// parameter) under the other drivers, so no other configuration sees them.
//
// The thread (impl/modules/completion_sync.cc my_thread_fn()), before its kTimedLoop:
//   WRITE_ONCE(initialised, 1);                       kFnStartFlag
//   complete(&thread_started);                        kFnStartSignal
//     (start_flag_without_loop: wake_up_process(creator))
// The creator, after kthread_run():
//   wait_for_completion(&thread_started);             kStartWaitCompletion
//   (start_flag_without_loop's wait_for_start_flag() instead:
//     set_current_state(TASK_UNINTERRUPTIBLE);        kStartSetUninterruptible
//     if (!READ_ONCE(initialised))                    kStartTestFlag
//       schedule();                                   kStartSchedule (kSubStartSleep)
//     __set_current_state(TASK_RUNNING);)             kStartSetRunning
//   WARN_ON(!READ_ONCE(initialised));                 kStartWarn (invariant start_condition)
//   kthread_stop(kth);                                kSmpbootUnregister's stop
// Abstractions:
// - wait_for_completion() is one guarded step: do_wait_for_common() tests `done` again
//   after every wakeup and sleeps again if it is 0, so whatever wakes it early stutters.
// - A spurious wakeup (kSpuriousWake) may end the hand-rolled sleep at any time. The
//   kernel allows them (a stale wakeup of an earlier wait, a signal), and the port injects
//   them with --spurious-wakeups. Only this sleep can meet one here: the model's other
//   sleeps all re-test their condition, and a stray wakeup of them stutters.
// - The creator's wakeups are whole (state match and TASK_RUNNING store in one step): the
//   only store it makes to its state between set_current_state() and schedule() is
//   TASK_RUNNING, the value a late ttwu_do_wakeup() would store too.
#ifndef KTHCHECK_MODEL_STEPS_START_H_
#define KTHCHECK_MODEL_STEPS_START_H_

namespace kthcheck::model {

// try_to_wake_up(creator, TASK_NORMAL): a creator in its hand-rolled wait matches; a
// blocked one resumes after its schedule(). Otherwise it wakes nobody.
template <class D>
void WakeCreator(const D& d, const SharedT<D>& s, SharedT<D>& ns) {
  auto match = (s.ctl_state & kTaskNormal) != 0;
  ns.ctl_state = d.Ite(match, d.Lit(kTaskRunning), s.ctl_state);
  ns.ctl_sub = d.Ite(match && s.ctl_sub == kSubStartSleep, d.Lit(kSubStartRunning), s.ctl_sub);
}

// The hand-rolled wait's steps: start_flag_without_loop's handshake only.
template <class D>
bool InHandRolledStart(const StepContext<D>& k) {
  return k.driver == Driver::kRunWaitStop && HandRolledStart(k.variant);
}

KTH_STEP(kFnStartFlag) {
  const D& d = k.d;
  if (k.driver != Driver::kRunWaitStop) return d.B(false);
  ns.initialised = d.B(true);
  nt.pc = d.Lit(kFStartSignal);
  return t.pc == kFStartFlag;
}

// complete() raises `done` and wakes the waiter, whose guarded wait the raise enables.
KTH_STEP(kFnStartSignal) {
  const D& d = k.d;
  if (k.driver != Driver::kRunWaitStop) return d.B(false);
  if (HandRolledStart(k.variant)) {
    WakeCreator(d, s, ns);
  } else {
    ns.started = d.B(true);
  }
  nt.pc = d.Lit(kFTop);
  return t.pc == kFStartSignal;
}

// Returns once `done` is 1, and consumes it.
KTH_STEP(kStartWaitCompletion) {
  const D& d = k.d;
  if (k.driver != Driver::kRunWaitStop || HandRolledStart(k.variant)) return d.B(false);
  ns.started = d.B(false);
  ns.ctl_sub = d.Lit(kSubStartWarn);
  return CtlAt(s, c, kSubStartWait) && s.started;
}

// The hand-rolled wait's lines. A plain store plus smp_mb(): the thread's wakeup after its
// flag store either finds this state or its flag load below sees the flag.
KTH_STEP(kStartSetUninterruptible) {
  const D& d = k.d;
  if (!InHandRolledStart(k)) return d.B(false);
  ns.ctl_state = d.Lit(kTaskUninterruptible);
  ns.ctl_sub = d.Lit(kSubStartTest);
  return CtlAt(s, c, kSubStartSet);
}

KTH_STEP(kStartTestFlag) {
  const D& d = k.d;
  if (!InHandRolledStart(k)) return d.B(false);
  ns.ctl_sub = d.Ite(s.initialised, d.Lit(kSubStartRunning), d.Lit(kSubStartSchedule));
  return CtlAt(s, c, kSubStartTest);
}

// schedule() blocks unless a wakeup already stored TASK_RUNNING; it returns to the line
// after it whatever woke it: there is no loop to test the flag again.
KTH_STEP(kStartSchedule) {
  const D& d = k.d;
  if (!InHandRolledStart(k)) return d.B(false);
  auto blocks = s.ctl_state != kTaskRunning;
  ns.ctl_sub = d.Ite(blocks, d.Lit(kSubStartSleep), d.Lit(kSubStartRunning));
  return CtlAt(s, c, kSubStartSchedule);
}

KTH_STEP(kStartSetRunning) {
  const D& d = k.d;
  if (!InHandRolledStart(k)) return d.B(false);
  ns.ctl_state = d.Lit(kTaskRunning);
  ns.ctl_sub = d.Lit(kSubStartWarn);
  return CtlAt(s, c, kSubStartRunning);
}

// The WARN is the invariant start_condition (a state predicate at kSubStartWarn); the step
// goes on to the module's kthread_stop() (kSmpbootUnregister from idle).
KTH_STEP(kStartWarn) {
  const D& d = k.d;
  if (k.driver != Driver::kRunWaitStop) return d.B(false);
  ns.ctl_op = d.Lit(kOpIdle);
  ns.ctl_sub = d.Lit(kSubNone);
  return CtlAt(s, c, kSubStartWarn);
}

KTH_STEP(kSpuriousWake) {
  const D& d = k.d;
  if (k.driver != Driver::kRunWaitStop) return d.B(false);
  WakeCreator(d, s, ns);
  return CtlAt(s, c, kSubStartSleep);
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_STEPS_START_H_
