// steps_freezer.h -- the freezer (kernel-semantics.md section 16, v6.7+ text): the seed's
// freezable kthread (ThreadFn::kFreezableWaitLoop) and one suspend/resume cycle of its
// driver (Driver::kRunFreezeStop, the port's freezable module). Included by model/steps.h
// only; see its contract. Every step is disabled (a C++ `if` on the parameter) under the
// other configurations, so no other configuration sees them.
//
// The thread (impl/modules/freezable.cc freezable_fn()), one step per line:
//   set_freezable():  flags &= ~PF_NOFREEZE;               kSetFreezable
//                     try_to_freeze():
//                       if (!freezing(current)) return;    kTryToFreeze
//                       __refrigerator(false):
//                         for (;;) {
//                           set_current_state(TASK_FROZEN);
//                           saved_state = TASK_RUNNING;    kRefrigSetFrozen
//                           if (!freezing(current)) break; kRefrigTestFreezing
//                           schedule();                    kRefrigSchedule (kZFrozenSleep)
//                         }
//                         __set_current_state(TASK_RUNNING); kRefrigSetRunning
//   while (!kthread_should_stop()) {                       kFnTestStop
//     wait_event_freezable(wq, do_work || kthread_should_stop());
//                          the wait-queue loop (steps_wait_event.h), whose sleep state is
//                          TASK_INTERRUPTIBLE|TASK_FREEZABLE and whose wakeup is wake_up()
//     if (kthread_should_stop()) break;                    kWaitStopTest
//     do_work = false; io_done++;                          kWaitConsume
//   }
// The freezable worker's loop is steps_worker.h; it shares set_freezable(), try_to_freeze()
// and the refrigerator, and its driver shares the freeze and the thaw.
// The driver (freezable.cc run(); kernel/power/process.c), after kthread_run():
//   suspend_freeze_processes():
//     freeze_processes()          (pm_freezing: no kthread freezes on it, no user task
//                                  here; not a step)
//     freeze_kernel_threads():
//       pm_nosig_freezing = true;                          kFreezeKernelThreads
//       while (freeze_task(p)) sleep;                      kFreezeTask, until it says done
//   WRITE_ONCE(do_work, true);                             kFreezerRaiseWork
//   wake_up(&wq);                                          kFreezerWakeUp
//   suspend_thaw_processes():
//     pm_freezing = pm_nosig_freezing = false;             kThawUnfreeze
//     __thaw_task(p);                                      kThawTask
//   kthread_stop(p);                                       steps_controller.h
// thaw_before_unfreezing swaps the last two lines of the thaw; thaw_loses_stop_wakeup's
// __thaw_task() restores saved_state even when a wakeup consumed it.
// Abstractions:
// - freeze_task() and __thaw_task() are one step each: both run under freezer_lock and
//   change the task under its pi_lock (task_call_func()), which every wakeup holds too.
// - The freezer retries freeze_task() with no bound: its 20 s timeout (freeze_processes()
//   failing) is not modelled; the port's driver WARNs if it fires.
#ifndef KTHCHECK_MODEL_STEPS_FREEZER_H_
#define KTHCHECK_MODEL_STEPS_FREEZER_H_

namespace kthcheck::model {

// freezing(p) for a kernel thread: pm_nosig_freezing, and PF_NOFREEZE cleared.
template <class D>
BoolOf<D> Freezing(const SharedT<D>& s, const CpuT<D>& t) {
  return s.nosig_freezing && t.freezable;
}

template <class D>
BoolOf<D> Frozen(const CpuT<D>& t) {
  return (t.task_state & kTaskFrozen) != 0;
}

// Under freezer_lock: the freezer either sees PF_NOFREEZE (and leaves the thread alone), or
// the try_to_freeze() that follows sees the freezing condition.
KTH_STEP(kSetFreezable) {
  const D& d = k.d;
  if (!Freezable(k.thread_fn)) return d.B(false);
  nt.freezable = d.B(true);
  nt.pc = d.Lit(kZTryFreeze);
  return t.pc == kZSetFreezable;
}

// Where try_to_freeze() returns to: the freezable thread calls it from set_freezable()
// only, before its loop; kthread_worker_fn() calls it there and at the end of its loop,
// and both return to `repeat:`.
inline int AfterFreeze(ThreadFn f) { return f == ThreadFn::kFreezableWorker ? kKSet : kFTop; }

// might_sleep() WARNs unless the thread runs in TASK_RUNNING here: the invariant
// might_sleep.
KTH_STEP(kTryToFreeze) {
  const D& d = k.d;
  if (!Freezable(k.thread_fn)) return d.B(false);
  nt.pc = d.Ite(Freezing(s, t), d.Lit(kZRefrigSet), d.Lit(AfterFreeze(k.thread_fn)));
  return t.pc == kZTryFreeze;
}

// ATOMICITY: both stores are under the thread's pi_lock, which try_to_wake_up() holds for
// its state match: a wakeup sees both or neither. saved_state = TASK_RUNNING makes
// __thaw_task() wake the thread instead of restoring a state.
KTH_STEP(kRefrigSetFrozen) {
  const D& d = k.d;
  if (!Freezable(k.thread_fn)) return d.B(false);
  nt.task_state = d.Lit(kTaskFrozen);
  nt.saved_state = d.Lit(kTaskRunning);
  nt.pc = d.Lit(kZRefrigTest);
  return t.pc == kZRefrigSet;
}

KTH_STEP(kRefrigTestFreezing) {
  const D& d = k.d;
  if (!Freezable(k.thread_fn)) return d.B(false);
  nt.pc = d.Ite(Freezing(s, t), d.Lit(kZRefrigSchedule), d.Lit(kZRefrigDone));
  return t.pc == kZRefrigTest;
}

// schedule() blocks in TASK_FROZEN unless __thaw_task()'s wakeup already stored
// TASK_RUNNING; either way the loop sets TASK_FROZEN and tests again.
KTH_STEP(kRefrigSchedule) {
  const D& d = k.d;
  if (!Freezable(k.thread_fn)) return d.B(false);
  nt.pc = d.Ite(FnBlocks(t), d.Lit(kZFrozenSleep), d.Lit(kZRefrigSet));
  nt.task_state = d.Ite(FnBlocks(t), t.task_state, d.Lit(kTaskRunning));
  return t.pc == kZRefrigSchedule;
}

// Back from try_to_freeze() to the threadfn's loop.
KTH_STEP(kRefrigSetRunning) {
  const D& d = k.d;
  if (!Freezable(k.thread_fn)) return d.B(false);
  nt.task_state = d.Lit(kTaskRunning);
  nt.pc = d.Lit(AfterFreeze(k.thread_fn));
  return t.pc == kZRefrigDone;
}

KTH_STEP(kFreezeKernelThreads) {
  const D& d = k.d;
  if (!FreezerDriver(k.driver)) return d.B(false);
  ns.nosig_freezing = d.B(true);
  ns.ctl_sub = d.Lit(kSubFreezeTask);
  return CtlAt(s, c, kSubFreezeBegin);
}

// freeze_task(p): nothing to do if p is not freezing or already frozen; a p blocked (off
// its runqueue: no wakeup in flight) in a TASK_FREEZABLE sleep is frozen in place
// (__set_task_frozen(): its state moves to saved_state); otherwise wake_up_state(p,
// TASK_NORMAL) sends it to a freezing point and try_to_freeze_tasks() tries again.
KTH_STEP(kFreezeTask) {
  const D& d = k.d;
  if (!FreezerDriver(k.driver)) return d.B(false);
  auto blocked = Sleeping(k, t) && t.pending == kPendNone;
  auto freeze_now = Freezing(s, t) && !Frozen(t) && blocked && (t.task_state & kTaskFreezable) != 0;
  auto done = !Freezing(s, t) || Frozen(t) || freeze_now;
  nt.saved_state = d.Ite(freeze_now, t.task_state, t.saved_state);
  nt.task_state = d.Ite(freeze_now, d.Lit(kTaskFrozen), t.task_state);
  auto g = WakeWhen(k, t, nt, !done, kTaskNormal);
  const int next = k.driver == Driver::kRunWorkerFreezeStop ? kSubWorkerQueue : kSubFreezerWork;
  ns.ctl_sub = d.Ite(done, d.Lit(next), d.Lit(kSubFreezeTask));
  return CtlAt(s, c, kSubFreezeTask) && g;
}

KTH_STEP(kFreezerRaiseWork) {
  const D& d = k.d;
  if (k.driver != Driver::kRunFreezeStop) return d.B(false);
  nt.work = d.Lit(1);
  ns.ctl_sub = d.Lit(kSubFreezerWake);
  return CtlAt(s, c, kSubFreezerWork);
}

// wake_up(&wq): __wake_up(wq, TASK_NORMAL, 1). A frozen sleeper whose saved state matches
// keeps sleeping; the wakeup is recorded in saved_state (steps.h Wake()).
KTH_STEP(kFreezerWakeUp) {
  const D& d = k.d;
  if (k.driver != Driver::kRunFreezeStop) return d.B(false);
  auto g = WakeQueue(k, t, nt, kTaskNormal);
  const bool thaw_first = k.variant == Variant::kThawBeforeUnfreezing;
  ns.ctl_sub = d.Lit(thaw_first ? kSubThawTask : kSubThawUnfreeze);
  return CtlAt(s, c, kSubFreezerWake) && g;
}

// After the thaw, the module's exit: kthread_stop() (kKthreadStopSetBit).
template <class D>
void ToStop(const D& d, SharedT<D>& ns) {
  ns.ctl_op = d.Lit(kOpUnregister);
  ns.ctl_sub = d.Lit(kSubStopSet);
}

KTH_STEP(kThawUnfreeze) {
  const D& d = k.d;
  if (!FreezerDriver(k.driver)) return d.B(false);
  ns.nosig_freezing = d.B(false);
  if (k.variant == Variant::kThawBeforeUnfreezing) {
    ToStop(d, ns);
  } else {
    ns.ctl_sub = d.Lit(kSubThawTask);
  }
  return CtlAt(s, c, kSubThawUnfreeze);
}

// __thaw_task(p): WARN_ON_ONCE(freezing(p)) and leave it (the invariant thaw_condition is
// that this does not fire); a task that is not frozen is left alone; otherwise
// __restore_freezer_state() puts back the saved sleep state, or, if a wakeup consumed it
// (saved_state == TASK_RUNNING), wake_up_state(p, TASK_FROZEN) runs the task.
// thaw_loses_stop_wakeup restores saved_state whatever it holds: a task woken while frozen
// is left asleep with __state == TASK_RUNNING, which no wakeup matches.
KTH_STEP(kThawTask) {
  const D& d = k.d;
  if (!FreezerDriver(k.driver)) return d.B(false);
  auto thaw = !Freezing(s, t) && Frozen(t);
  auto restore =
      k.variant == Variant::kThawLosesStopWakeup ? thaw : thaw && t.saved_state != kTaskRunning;
  nt.task_state = d.Ite(restore, t.saved_state, t.task_state);
  if (k.variant != Variant::kThawLosesStopWakeup)
    nt.saved_state = d.Ite(restore, d.Lit(kTaskRunning), t.saved_state);
  auto g = WakeWhen(k, t, nt, thaw && !restore, kTaskFrozen);
  if (k.variant == Variant::kThawBeforeUnfreezing) {
    ns.ctl_sub = d.Lit(kSubThawUnfreeze);
  } else if (k.driver == Driver::kRunWorkerFreezeStop) {  // kthread_destroy_worker()
    ns.ctl_sub = d.Lit(kSubFlushQueue);
  } else {
    ToStop(d, ns);
  }
  return CtlAt(s, c, kSubThawTask) && g;
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_STEPS_FREEZER_H_
