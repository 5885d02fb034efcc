// steps_delayed_work.h -- the kthread_worker module (ThreadFn::kWorker,
// Driver::kRunWorkerDelayedExit; kernel-semantics.md section 16): a plain worker, an
// immediate work, a delayed work that requeues itself once, and the module exit's cancel
// and destroy. Included by model/steps.h only; see its contract. Every step is disabled (a
// C++ `if` on the parameter) under the other configurations.
//
// The worker is kthread_worker_fn() of steps_worker.h (not freezable: no set_freezable(),
// its try_to_freeze() returns at once and is no step). Its delayed work's func:
//   runs = ++delayed_runs;                                 (kWorkerRun: dwork_ran)
//   if (runs <= 1) kthread_queue_delayed_work(...);        kWorkerRequeue
// The timer (an interrupt, at any point after add_timer(); the port's early expiry):
//   kthread_delayed_work_timer_fn(), under worker->lock    kDelayedWorkTimerFn
// The driver (impl/modules/kthread_worker.cc run()), after kthread_run_worker()'s wakeup:
//   kthread_queue_work(worker, &my_work);                  steps_worker.h kWorkerQueueWork
//   kthread_queue_delayed_work(worker, &my_dwork, delay);  kQueueDelayedWork
//   msleep(1);                                             (no step: exit may come at once)
//   [flush_on_delayed_list] kthread_flush_work(&my_dwork.work):
//     lock; link fwork after the work / at the head; unlock kFlushWorkInsert
//     wait_for_completion(&fwork.done);                    kFlushWorkWaitDone
//   [destroy_with_pending_delayed] kthread_destroy_worker() without the cancel
//   kthread_cancel_delayed_work_sync(&my_dwork):
//     lock; kthread_cancel_delayed_work_timer():
//       work->canceling++; unlock;                         kCancelTimerMark
//       timer_delete_sync(&dwork->timer);                  kCancelTimerDelete
//       lock; work->canceling--;
//     __kthread_cancel_work(work); if (current_work != work) goto out_fast;
//     work->canceling++; unlock;                           kCancelWork
//     kthread_flush_work(work);                            kFlushWorkInsert, kFlushWorkWaitDone
//     lock; work->canceling--; out_fast: unlock            kCancelSyncDone
//   kthread_destroy_worker(worker): kthread_flush_worker(), kthread_stop()   steps_worker.h
// Abstractions:
// - Each lock-held section is one step, and so is the timer callback (its only access
//   before the lock is READ_ONCE(work->worker), set since the driver queued it):
//   timer_delete_sync() finds the callback either not started or returned.
// - worker->lock is not a variable: no step holds it across another's.
// - `canceling` is a bit: only the driver cancels, one cancel at a time.
// - The lists: my_work (`work`) is first on work_list when there; the delayed work and
//   the one flush work are in the order flush_first says; a flush work on
//   delayed_work_list is flush_delayed (the worker_list invariant rules it out).
// - The port's worker_list checks at their sites (a work inserted while canceling; the
//   work pending when the cancel returns) set the ghost bit list_warn; a timer that fires
//   after kthread_destroy_worker() is worker_destroy's armed timer, which holds from the
//   destroy's end on.
#ifndef KTHCHECK_MODEL_STEPS_DELAYED_WORK_H_
#define KTHCHECK_MODEL_STEPS_DELAYED_WORK_H_

namespace kthcheck::model {

inline bool DelayedWorkDriver(Driver d) { return d == Driver::kRunWorkerDelayedExit; }

// kthread_queue_delayed_work() under worker->lock: unless queuing_blocked() (pending or
// canceling), __kthread_queue_delayed_work() links the work on delayed_work_list and
// add_timer()s; it wakes nobody (delay > 0).
template <class D>
void QueueDelayed(const D& d, const SharedT<D>& s, SharedT<D>& ns) {
  auto queue = s.dwork == kDworkIdle && !s.canceling;
  ns.dwork = d.Ite(queue, d.Lit(kDworkDelayedList), s.dwork);
  ns.dwork_timer = s.dwork_timer || queue;
}

KTH_STEP(kWorkerRequeue) {
  const D& d = k.d;
  if (k.thread_fn != ThreadFn::kWorker) return d.B(false);
  QueueDelayed(d, s, ns);
  nt.pc = d.Lit(kKSet);
  return t.pc == kKRequeue;
}

// Where the module exit goes after its works are queued: the variants' flush or destroy,
// or the cancel.
inline int ExitFirst(Variant v) {
  if (v == Variant::kFlushOnDelayedList) return kSubExitFlush;
  if (v == Variant::kDestroyWithPendingDelayed) return kSubFlushQueue;
  return kSubCancelMark;
}

KTH_STEP(kQueueDelayedWork) {
  const D& d = k.d;
  if (!DelayedWorkDriver(k.driver)) return d.B(false);
  QueueDelayed(d, s, ns);
  ns.ctl_sub = d.Lit(ExitFirst(k.variant));
  return CtlAt(s, c, kSubQueueDelayed);
}

// The callback moves the work off delayed_work_list and, unless it is being cancelled
// (6993d0fdbee0), kthread_insert_work()s it at the tail of work_list: after a flush work
// there, and with a wakeup if the worker runs no work. timer_fn_ignores_canceling inserts
// it anyway, and kthread_insert_work_sanity_check() finds `canceling` set (list_warn).
KTH_STEP(kDelayedWorkTimerFn) {
  const D& d = k.d;
  if (!DelayedWorkDriver(k.driver)) return d.B(false);
  auto insert = k.variant == Variant::kTimerFnIgnoresCanceling ? d.B(true) : !s.canceling;
  ns.dwork_timer = d.B(false);
  ns.dwork = d.Ite(insert, d.Lit(kDworkWorkList), d.Lit(kDworkIdle));
  ns.flush_first = d.IteB(insert, t.flush_queued, s.flush_first);
  ns.list_warn = s.list_warn || (insert && s.canceling);
  auto g = InsertWake(k, t, nt, insert);
  return s.dwork_timer && g;
}

// kthread_flush_work(&dwork->work) under worker->lock: the flush work goes right after
// the work on whichever list holds it (on delayed_work_list no timer will move it), or
// first on work_list if the work runs, else there is nothing to wait for. Its
// kthread_insert_work() wakes the worker if it runs no work.
KTH_STEP(kFlushWorkInsert) {
  const D& d = k.d;
  if (!DelayedWorkDriver(k.driver)) return d.B(false);
  auto exit = CtlAt(s, c, kSubExitFlush);
  auto on_work_list = s.dwork == kDworkWorkList;
  auto on_delayed_list = s.dwork == kDworkDelayedList;
  auto running = s.dwork == kDworkIdle && t.current_work == kWorkDelayed;
  auto noop = s.dwork == kDworkIdle && !running;
  nt.flush_queued = t.flush_queued || on_work_list || running;
  ns.flush_delayed = s.flush_delayed || on_delayed_list;
  ns.flush_first = d.IteB(on_work_list, d.B(false), d.IteB(running, d.B(true), s.flush_first));
  auto g = InsertWake(k, t, nt, !noop);
  ns.ctl_sub = d.Ite(exit, d.Ite(noop, d.Lit(kSubCancelMark), d.Lit(kSubExitFlushWait)),
                     d.Ite(noop, d.Lit(kSubCancelDone), d.Lit(kSubCancelFlushWait)));
  return (exit || CtlAt(s, c, kSubCancelFlush)) && g;
}

// wait_for_completion(&fwork.done) returns once the flush work ran.
KTH_STEP(kFlushWorkWaitDone) {
  const D& d = k.d;
  if (!DelayedWorkDriver(k.driver)) return d.B(false);
  auto exit = CtlAt(s, c, kSubExitFlushWait);
  nt.flush_done = d.B(false);
  ns.ctl_sub = d.Ite(exit, d.Lit(kSubCancelMark), d.Lit(kSubCancelDone));
  return (exit || CtlAt(s, c, kSubCancelFlushWait)) && t.flush_done;
}

KTH_STEP(kCancelTimerMark) {
  const D& d = k.d;
  if (!DelayedWorkDriver(k.driver)) return d.B(false);
  ns.canceling = d.B(true);
  ns.ctl_sub = d.Lit(kSubCancelTimer);
  return CtlAt(s, c, kSubCancelMark);
}

// The timer is neither armed nor running afterwards (the callback is one step).
KTH_STEP(kCancelTimerDelete) {
  const D& d = k.d;
  if (!DelayedWorkDriver(k.driver)) return d.B(false);
  ns.dwork_timer = d.B(false);
  ns.ctl_sub = d.Lit(kSubCancelWork);
  return CtlAt(s, c, kSubCancelTimer);
}

// Back under worker->lock: canceling--, the work off whichever list it is on; if it runs,
// canceling++ again while the flush waits for it (cancel_sync_without_canceling leaves
// that out: its own requeue is not blocked), else out_fast.
KTH_STEP(kCancelWork) {
  const D& d = k.d;
  if (!DelayedWorkDriver(k.driver)) return d.B(false);
  auto running = t.current_work == kWorkDelayed;
  const bool mark = k.variant != Variant::kCancelSyncWithoutCanceling;
  ns.canceling = mark ? running : d.B(false);
  ns.dwork = d.Lit(kDworkIdle);
  ns.ctl_sub = d.Ite(running, d.Lit(kSubCancelFlush), d.Lit(kSubFlushQueue));
  return CtlAt(s, c, kSubCancelWork);
}

// The port checks here that the work is not pending on return (list_warn if it is).
// Then kthread_destroy_worker() (steps_worker.h kFlushQueueWork).
KTH_STEP(kCancelSyncDone) {
  const D& d = k.d;
  if (!DelayedWorkDriver(k.driver)) return d.B(false);
  ns.canceling = d.B(false);
  ns.list_warn = s.list_warn || s.dwork != kDworkIdle;
  ns.ctl_sub = d.Lit(kSubFlushQueue);
  return CtlAt(s, c, kSubCancelDone);
}

}  // namespace kthcheck::model

#endif  // KTHCHECK_MODEL_STEPS_DELAYED_WORK_H_
