// steps_worker.h -- kthread_worker_fn() and the queue, flush and destroy of a worker:
// a KTW_FREEZABLE worker and its driver (ThreadFn::kFreezableWorker,
// Driver::kRunWorkerFreezeStop; kernel-semantics.md sections 14 and 16), the port's
// freezable_worker module. The plain worker of the kthread_worker module runs the same
// loop without the freezer; its delayed work, cancel and exit are steps_delayed_work.h.
// Included by model/steps.h only; see its contract. Every step is disabled (a C++ `if` on
// the parameter) under the other configurations.
//
// The worker (kthread_worker_fn()), one step per line:
//   if (worker->flags & KTW_FREEZABLE) set_freezable();    steps_freezer.h
//   repeat:
//   set_current_state(TASK_INTERRUPTIBLE);                 kWorkerSetInterruptible
//   if (kthread_should_stop()) {
//     __set_current_state(TASK_RUNNING); ... return 0; }   kWorkerTestStop
//   lock; work = first of work_list, off the list;
//   worker->current_work = work; unlock;                   kWorkerTake
//   if (work) { __set_current_state(TASK_RUNNING);
//               work->func(work); }                        kWorkerRun
//   else if (!freezing(current)) schedule();               kWorkerTestFreezing, kFnSchedule
//   else __set_current_state(TASK_RUNNING);                kWorkerSetRunning
//   try_to_freeze();                                       steps_freezer.h kTryToFreeze
//   goto repeat;                                           (cond_resched(): no step)
// worker_sleeps_while_freezing leaves out the `else` (before e16c7b07784f): the worker
// reaches try_to_freeze() in TASK_INTERRUPTIBLE, and its might_sleep() WARNs (the
// invariant might_sleep).
// The driver (freezable_worker.cc run()), after kthread_run_worker()'s wakeup:
//   suspend_freeze_processes();                            steps_freezer.h
//   kthread_queue_work(worker, &my_work);                  kWorkerQueueWork
//   suspend_thaw_processes();                              steps_freezer.h
//   kthread_destroy_worker(worker):
//     kthread_flush_worker(): kthread_queue_work(fwork)    kFlushQueueWork
//                             wait_for_completion(&done)   kFlushWaitDone
//     kthread_stop(task);                                  steps_controller.h
// Abstractions (of the freezable worker; steps_delayed_work.h says the plain worker's):
// - work_list holds at most my_work and then the flush work (the driver queues them in
//   that order, and nothing else queues), so two bits and their order are the list.
// - A work's func is one step with the TASK_RUNNING store before it: my_work's only counts
//   a run (not modelled), the flush work's complete()s `done`, which enables the driver's
//   guarded wait (wait_for_completion() re-tests `done` after every wakeup).
// - kthread_destroy_worker()'s WARNs on non-empty lists cannot fire after the flush and
//   the stop here (nothing queues after the flush), so they are not invariants.
#ifndef KTHCHECK_MODEL_STEPS_WORKER_H_
#define KTHCHECK_MODEL_STEPS_WORKER_H_

namespace kthcheck::model {

// kthread_worker_fn(): of the KTW_FREEZABLE worker here, and of the plain worker whose
// delayed work steps_delayed_work.h adds.
inline bool Worker(ThreadFn f) { return f == ThreadFn::kFreezableWorker || f == ThreadFn::kWorker; }
inline bool WorkerDriver(Driver d) {
  return d == Driver::kRunWorkerFreezeStop || d == Driver::kRunWorkerDelayedExit;
}

// A plain store plus smp_mb(), paired with kthread_stop()'s and kthread_insert_work()'s
// wakeups: a wakeup after it finds TASK_INTERRUPTIBLE, or the tests after it see its cause.
KTH_STEP(kWorkerSetInterruptible) {
  const D& d = k.d;
  if (!Worker(k.thread_fn)) return d.B(false);
  nt.task_state = d.Lit(kTaskInterruptible);
  nt.pc = d.Lit(kKTestStop);
  return t.pc == kKSet;
}

// ATOMICITY: the test and the TASK_RUNNING store are one step: a wakeup in between stores
// TASK_RUNNING too, and worker->task = NULL under worker->lock is seen by no later queue
// (the driver queues nothing once it stops the worker).
KTH_STEP(kWorkerTestStop) {
  const D& d = k.d;
  if (!Worker(k.thread_fn)) return d.B(false);
  nt.pc = d.Ite(t.should_stop, d.Lit(kTExit), d.Lit(kKTake));
  nt.task_state = d.Ite(t.should_stop, d.Lit(kTaskRunning), t.task_state);
  return t.pc == kKTestStop;
}

// Under worker->lock, as kthread_insert_work() is: the first work comes off the list, and
// current_work names it (none when the list is empty).
// my_work is always first (the driver queues it before anything else reaches work_list);
// the delayed work and a flush work come in the order flush_first says.
KTH_STEP(kWorkerTake) {
  const D& d = k.d;
  if (!Worker(k.thread_fn)) return d.B(false);
  auto mine = t.work > 0;
  auto flush = !mine && t.flush_queued;
  auto delayed = d.B(false);
  if (k.thread_fn == ThreadFn::kWorker) {
    auto on_list = s.dwork == kDworkWorkList;
    flush = flush && (!on_list || s.flush_first);
    delayed = !mine && on_list && !flush;
    ns.dwork = d.Ite(delayed, d.Lit(kDworkIdle), s.dwork);
  }
  nt.work = d.Ite(mine, d.Lit(0), t.work);
  nt.flush_queued = t.flush_queued && !flush;
  nt.current_work =
      d.Ite(mine, d.Lit(kWorkMine),
            d.Ite(flush, d.Lit(kWorkFlush), d.Ite(delayed, d.Lit(kWorkDelayed), d.Lit(kWorkNone))));
  nt.pc = d.Ite(mine || flush || delayed, d.Lit(kKRun), d.Lit(kKTestFreezing));
  return t.pc == kKTake;
}

// The plain worker has no try_to_freeze() step (it is not freezable: the call returns);
// its delayed work's func requeues it on its first run (steps_delayed_work.h).
KTH_STEP(kWorkerRun) {
  const D& d = k.d;
  if (!Worker(k.thread_fn)) return d.B(false);
  nt.task_state = d.Lit(kTaskRunning);
  nt.flush_done = t.flush_done || t.current_work == kWorkFlush;
  if (k.thread_fn == ThreadFn::kWorker) {
    auto delayed = t.current_work == kWorkDelayed;
    ns.dwork_ran = s.dwork_ran || delayed;
    nt.pc = d.Ite(delayed && !s.dwork_ran, d.Lit(kKRequeue), d.Lit(kKSet));
  } else {
    nt.pc = d.Lit(kZTryFreeze);
  }
  return t.pc == kKRun;
}

KTH_STEP(kWorkerTestFreezing) {
  const D& d = k.d;
  if (!Worker(k.thread_fn)) return d.B(false);
  if (k.thread_fn == ThreadFn::kWorker) {  // never freezing: schedule()
    nt.pc = d.Lit(kFSchedule);
    return t.pc == kKTestFreezing;
  }
  const int freezing_next =
      k.variant == Variant::kWorkerSleepsWhileFreezing ? kZTryFreeze : kKSetRunning;
  nt.pc = d.Ite(Freezing(s, t), d.Lit(freezing_next), d.Lit(kFSchedule));
  return t.pc == kKTestFreezing;
}

KTH_STEP(kWorkerSetRunning) {
  const D& d = k.d;
  if (!Worker(k.thread_fn)) return d.B(false);
  nt.task_state = d.Lit(kTaskRunning);
  nt.pc = d.Lit(kZTryFreeze);
  return t.pc == kKSetRunning;
}

// kthread_insert_work()'s wakeup, after it linked a work: wake_up_process() of the worker
// if it runs no work (worker->task is set: kthread_create_worker() stored it, and after
// the worker's exit the wakeup matches nothing). The second form is for a step that links
// a work only when `inserted` holds (steps_delayed_work.h).
template <class D>
BoolOf<D> InsertWake(const StepContext<D>& k, const CpuT<D>& t, CpuT<D>& nt) {
  return WakeWhen(k, t, nt, t.current_work == kWorkNone, kTaskNormal);
}
template <class D>
BoolOf<D> InsertWake(const StepContext<D>& k, const CpuT<D>& t, CpuT<D>& nt, BoolOf<D> inserted) {
  return WakeWhen(k, t, nt, inserted && t.current_work == kWorkNone, kTaskNormal);
}

KTH_STEP(kWorkerQueueWork) {
  const D& d = k.d;
  if (!WorkerDriver(k.driver)) return d.B(false);
  auto g = InsertWake(k, t, nt);  // kthread_queue_work(): idle, not canceling
  nt.work = d.Lit(1);
  const bool freezer = k.driver == Driver::kRunWorkerFreezeStop;
  ns.ctl_sub = d.Lit(freezer ? kSubThawUnfreeze : kSubQueueDelayed);
  return CtlAt(s, c, kSubWorkerQueue) && g;
}

// At the tail of work_list: after the delayed work if it is there.
KTH_STEP(kFlushQueueWork) {
  const D& d = k.d;
  if (!WorkerDriver(k.driver)) return d.B(false);
  auto g = InsertWake(k, t, nt);  // kthread_queue_work(): idle, not canceling
  nt.flush_queued = d.B(true);
  if (k.thread_fn == ThreadFn::kWorker) ns.flush_first = d.B(false);
  ns.ctl_sub = d.Lit(kSubFlushWait);
  return CtlAt(s, c, kSubFlushQueue) && g;
}

// Returns once the flush work ran; then kthread_destroy_worker() stops the worker.
KTH_STEP(kFlushWaitDone) {
  const D& d = k.d;
  if (!WorkerDriver(k.driver)) return d.B(false);
  nt.flush_done = d.B(false);
  ToStop(d, ns);
  return CtlAt(s, c, kSubFlushWait) && t.flush_done;
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_STEPS_WORKER_H_
