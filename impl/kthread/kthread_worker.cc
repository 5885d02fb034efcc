// kthread_worker.cc -- kernel/kthread.c (v6.14): kthread_worker_fn, the work queueing,
// flushing and cancelling API, delayed works on a timer, kthread_destroy_worker.
// Function names, order and comments on ordering follow the kernel.
#include "impl/kthread/kthread_worker.h"

#include "impl/kernel/bug.h"
#include "impl/kernel/freezer.h"
#include "impl/kthread/kthread.h"
#include "impl/platform/arena.h"
#include "impl/variants.h"

namespace kt {
namespace {

struct kthread_flush_work {
  kthread_work work;
  completion done;
};

void kthread_flush_work_fn(kthread_work* work) {
  struct kthread_flush_work* fwork = container_of(work, struct kthread_flush_work, work);
  complete(&fwork->done);
}

// Invariant 6 of kernel-semantics.md section 18 (the checker's, not kernel code), with
// worker->lock held: each work on the two lists belongs to this worker and is linked
// once, and no flush work sits on delayed_work_list (no timer would ever move it).
void kt_check_worker_lists(kthread_worker* worker) {
  constexpr int kMax = 16;
  const kthread_work* seen[kMax];
  int n = 0;
  bool each_work_once = true, works_belong_to_worker = true;
  bool no_flush_work_on_delayed_list = true;
  for (list_head* list : {&worker->work_list, &worker->delayed_work_list}) {
    for (list_head* pos = list->next; pos != list && n < kMax; pos = pos->next) {
      const kthread_work* work = container_of(pos, kthread_work, node);
      for (int i = 0; i < n; ++i)
        if (seen[i] == work) each_work_once = false;
      seen[n++] = work;
      if (work->worker != worker) works_belong_to_worker = false;
      if (list == &worker->delayed_work_list && work->func == kthread_flush_work_fn)
        no_flush_work_on_delayed_list = false;
    }
  }
  kt_invariant("worker_list", each_work_once);
  kt_invariant("worker_list", works_belong_to_worker);
  kt_invariant("worker_list", no_flush_work_on_delayed_list);
}

// Returns true when the work could not be queued at the moment. It happens when it is
// already pending in a worker list or when it is being cancelled.
bool queuing_blocked(kthread_worker* worker, kthread_work* work) {
  (void)worker;  // lockdep_assert_held(&worker->lock)
  return !list_empty(&work->node) || work->canceling;
}

void kthread_insert_work_sanity_check(kthread_worker* worker, kthread_work* work) {
  WARN_ON_ONCE(!list_empty(&work->node));
  // Do not use a work with >1 worker, see kthread_queue_work()
  WARN_ON_ONCE(work->worker && work->worker != worker);
  // The checker's invariant: nothing queues a work while it is being cancelled.
  kt_invariant("worker_list", work->canceling == 0);
}

// insert @work before @pos in @worker
void kthread_insert_work(kthread_worker* worker, kthread_work* work, list_head* pos) {
  kthread_insert_work_sanity_check(worker, work);
  list_add_tail(&work->node, pos);
  WRITE_ONCE(work->worker, worker);
  // No wakeup while a work runs: the worker rescans the list before it sleeps.
  task_struct* task = READ_ONCE(worker->task);
  if (!worker->current_work && task) wake_up_process(task);
  kt_check_worker_lists(worker);
}

void __kthread_queue_delayed_work(kthread_worker* worker, kthread_delayed_work* dwork,
                                  unsigned long delay) {
  timer_list* timer = &dwork->timer;
  kthread_work* work = &dwork->work;
  WARN_ON_ONCE(timer->function != kthread_delayed_work_timer_fn);
  // If @delay is 0, queue @dwork->work immediately. This is for both optimization and
  // correctness. The earliest @timer can expire is on the closest next tick and
  // delayed_work users depend on that there's no such delay when @delay is 0.
  if (!delay) {
    kthread_insert_work(worker, work, &worker->work_list);
    return;
  }
  // Be paranoid and try to detect possible races already now.
  kthread_insert_work_sanity_check(worker, work);
  list_add(&work->node, &worker->delayed_work_list);
  WRITE_ONCE(work->worker, worker);
  timer->expires = jiffies + delay;
  add_timer(timer);
  kt_check_worker_lists(worker);
}

// kthread_cancel_delayed_work_timer() -- make sure that the timer is neither set nor
// running and could not manipulate the work list_head any longer. Called under
// worker->lock, which is temporarily released: timer_delete_sync() must not wait for
// the callback with the lock the callback takes. In the meantime, any queuing is blocked
// by the canceling counter.
void kthread_cancel_delayed_work_timer(kthread_work* work, unsigned long* flags) {
  kthread_delayed_work* dwork = container_of(work, kthread_delayed_work, work);
  kthread_worker* worker = work->worker;
  work->canceling++;
  raw_spin_unlock_irqrestore(&worker->lock, *flags);
  timer_delete_sync(&dwork->timer);
  raw_spin_lock_irqsave(&worker->lock, *flags);
  work->canceling--;
}

// __kthread_cancel_work() -- remove the work from whichever worker list it is on (the
// timer must be dead). Returns true if it was pending.
bool __kthread_cancel_work(kthread_work* work) {
  if (!list_empty(&work->node)) {
    list_del_init(&work->node);
    return true;
  }
  return false;
}

bool __kthread_cancel_work_sync(kthread_work* work, bool is_dwork) {
  kthread_worker* worker = READ_ONCE(work->worker);
  unsigned long flags = 0;
  bool ret = false;
  if (!worker) return ret;

  raw_spin_lock_irqsave(&worker->lock, flags);
  // Work must not be used with >1 worker, see kthread_queue_work().
  WARN_ON_ONCE(work->worker != worker);
  if (is_dwork) kthread_cancel_delayed_work_timer(work, &flags);
  ret = __kthread_cancel_work(work);
  if (worker->current_work != work) goto out_fast;

  // The work is in progress and we need to wait with the lock released. In the meantime,
  // block any queuing by setting the canceling counter.
  if (!kt_variant(Variant::kCancelSyncWithoutCanceling)) work->canceling++;
  // BUG (variant cancel_sync_without_canceling): without the counter, a work that
  // requeues itself is queued again while we flush (the pre-37be45d49dec cancel).
  raw_spin_unlock_irqrestore(&worker->lock, flags);
  ::kt::kthread_flush_work(work);  // (the struct of the same name hides it here)
  raw_spin_lock_irqsave(&worker->lock, flags);
  if (!kt_variant(Variant::kCancelSyncWithoutCanceling)) work->canceling--;

out_fast:
  // The checker's invariant: on return the work is not pending.
  kt_invariant("worker_list", work->node.next == &work->node);
  raw_spin_unlock_irqrestore(&worker->lock, flags);
  return ret;
}

}  // namespace

// __kthread_init_worker() -- zero the worker, init its lock and lists.
void __kthread_init_worker(kthread_worker* worker, const char* name) {
  (void)name;  // lockdep class name
  *worker = kthread_worker{};
  raw_spin_lock_init(&worker->lock);
  INIT_LIST_HEAD(&worker->work_list);
  INIT_LIST_HEAD(&worker->delayed_work_list);
}

// kthread_init_work() -- KTHREAD_WORK_INIT.
void kthread_init_work(kthread_work* work, kthread_work_func_t fn) {
  *work = kthread_work{};
  INIT_LIST_HEAD(&work->node);
  work->func = fn;
}

// kthread_init_delayed_work() -- the work plus an irqsafe timer.
void kthread_init_delayed_work(kthread_delayed_work* dwork, kthread_work_func_t fn) {
  kthread_init_work(&dwork->work, fn);
  timer_setup(&dwork->timer, kthread_delayed_work_timer_fn, TIMER_IRQSAFE);
}

// kthread_worker_fn() -- the main cycle: process work_list until kthread_stop(); sleep
// when the queue is empty. The works are not allowed to keep any locks, disable
// preemption or interrupts when they finish. There is defined a safe point for freezing
// when one work finishes and before a new one is started.
int kthread_worker_fn(void* worker_ptr) {
  auto* worker = static_cast<kthread_worker*>(worker_ptr);
  kthread_work* work;

  // FIXME: Update the check and remove the assignment when all kthread worker users are
  // created using kthread_create_worker*() functions.
  task_struct* task = READ_ONCE(worker->task);
  WARN_ON(task && task != current);
  WRITE_ONCE(worker->task, current);

  if (worker->flags & KTW_FREEZABLE) set_freezable();

repeat:
  set_current_state(TASK_INTERRUPTIBLE);  // mb paired w/ kthread_stop

  if (kthread_should_stop()) {
    __set_current_state(TASK_RUNNING);
    raw_spin_lock_irq(&worker->lock);
    WRITE_ONCE(worker->task, nullptr);
    raw_spin_unlock_irq(&worker->lock);
    return 0;
  }

  work = nullptr;
  raw_spin_lock_irq(&worker->lock);
  if (!list_empty(&worker->work_list)) {
    work = list_first_entry(&worker->work_list, kthread_work, node);
    list_del_init(&work->node);
  }
  worker->current_work = work;
  raw_spin_unlock_irq(&worker->lock);

  if (work) {
    __set_current_state(TASK_RUNNING);
    work->func(work);
    // Avoid dereferencing work after this point.
  } else if (!freezing(current)) {
    sys().SetWakeCondition(
        [worker] { return worker->work_list.next != &worker->work_list || kthread_should_stop(); },
        "!list_empty(&worker->work_list) || kthread_should_stop()");
    kt_annotate_wait("kthread_worker_fn: idle", nullptr);
    schedule();
    sys().SetWakeCondition({}, nullptr);
  } else if (!kt_variant(Variant::kWorkerSleepsWhileFreezing)) {
    // Handle the case where the current remains TASK_INTERRUPTIBLE. try_to_freeze()
    // expects the current to be TASK_RUNNING (e16c7b07784f, v6.12).
    __set_current_state(TASK_RUNNING);
  }
  // BUG (variant worker_sleeps_while_freezing): before e16c7b07784f the worker reached
  // try_to_freeze() still TASK_INTERRUPTIBLE when freezing: might_sleep() WARNs.

  try_to_freeze();
  // cond_resched(): every seam operation is already a preemption point.
  goto repeat;
}

kthread_worker* kthread_create_worker(unsigned int flags, const char* name) {
  // __kthread_create_worker_on_node() -- v6.14: the task is created, not started.
  auto* worker = ArenaNew<kthread_worker>();
  kthread_init_worker(worker);
  task_struct* task = kthread_create(kthread_worker_fn, worker, name);
  if (IS_ERR(task)) return ERR_PTR<kthread_worker>(PTR_ERR(task));  // ERR_CAST
  worker->flags = flags;
  worker->task = task;  // the task waits for its first wakeup: nobody reads this yet
  return worker;
}

// kthread_create_worker_on_cpu() -- create, then kthread_bind() to @cpu. CPU hotplug is
// the user's business ("CPU affinity gets lost when it is scheduled on an offline CPU").
kthread_worker* kthread_create_worker_on_cpu(int cpu, unsigned int flags, const char* name) {
  kthread_worker* worker = kthread_create_worker(flags, name);
  if (!IS_ERR(worker)) kthread_bind(worker->task, static_cast<unsigned int>(cpu));
  return worker;
}

kthread_worker* kthread_run_worker_on_cpu(int cpu, unsigned int flags, const char* name) {
  kthread_worker* kw = kthread_create_worker_on_cpu(cpu, flags, name);
  if (!IS_ERR(kw)) wake_up_process(kw->task);
  return kw;
}

kthread_worker* kthread_run_worker(unsigned int flags, const char* name) {
  kthread_worker* kw = kthread_create_worker(flags, name);
  if (!IS_ERR(kw)) wake_up_process(kw->task);
  return kw;
}

// kthread_queue_work() -- queue @work unless it is pending or being cancelled.
bool kthread_queue_work(kthread_worker* worker, kthread_work* work) {
  bool ret = false;
  unsigned long flags = 0;
  raw_spin_lock_irqsave(&worker->lock, flags);
  if (!queuing_blocked(worker, work)) {
    kthread_insert_work(worker, work, &worker->work_list);
    ret = true;
  }
  raw_spin_unlock_irqrestore(&worker->lock, flags);
  return ret;
}

// kthread_delayed_work_timer_fn() -- the timer callback (irqsafe): move the work from
// delayed_work_list to work_list, unless it is being cancelled (6993d0fdbee0).
void kthread_delayed_work_timer_fn(timer_list* t) {
  kthread_delayed_work* dwork = from_timer(kthread_delayed_work, t, timer);
  kthread_work* work = &dwork->work;
  kthread_worker* worker = READ_ONCE(work->worker);
  unsigned long flags = 0;

  // This might happen when a pending work is reinitialized. It means that it is used a
  // wrong way.
  if (WARN_ON_ONCE(!worker)) return;

  raw_spin_lock_irqsave(&worker->lock, flags);
  // The checker's invariant: no timer fires after kthread_destroy_worker() freed it.
  kt_invariant("worker_list", !kt_peek(worker->kt_destroyed));
  // Work must not be used with >1 worker, see kthread_queue_work().
  WARN_ON_ONCE(work->worker != worker);

  // Move the work from worker->delayed_work_list.
  WARN_ON_ONCE(list_empty(&work->node));
  list_del_init(&work->node);
  // BUG (variant timer_fn_ignores_canceling): before 6993d0fdbee0 the callback queued
  // the work even while kthread_cancel_delayed_work_sync() waited for it.
  if (!work->canceling || kt_variant(Variant::kTimerFnIgnoresCanceling))
    kthread_insert_work(worker, work, &worker->work_list);
  kt_check_worker_lists(worker);

  raw_spin_unlock_irqrestore(&worker->lock, flags);
}

// kthread_queue_delayed_work() -- queue the work after @delay ticks; false if pending.
bool kthread_queue_delayed_work(kthread_worker* worker, kthread_delayed_work* dwork,
                                unsigned long delay) {
  kthread_work* work = &dwork->work;
  unsigned long flags = 0;
  bool ret = false;
  raw_spin_lock_irqsave(&worker->lock, flags);
  if (!queuing_blocked(worker, work)) {
    __kthread_queue_delayed_work(worker, dwork, delay);
    ret = true;
  }
  raw_spin_unlock_irqrestore(&worker->lock, flags);
  return ret;
}

// kthread_flush_work() -- if @work is queued or executing, wait for it to finish: a
// flush work is linked right after it (in whichever list it is on), or at the head of
// work_list if it runs.
void kthread_flush_work(kthread_work* work) {
  struct kthread_flush_work fwork;
  kthread_init_work(&fwork.work, kthread_flush_work_fn);
  init_completion(&fwork.done, "completion `fwork.done` (kthread_flush_work)", nullptr);
  bool noop = false;

  kthread_worker* worker = READ_ONCE(work->worker);
  if (!worker) return;
  fwork.done.kt_owner = kt_peek(worker->task);  // for the hang oracle's wait-for chain

  raw_spin_lock_irq(&worker->lock);
  // Work must not be used with >1 worker, see kthread_queue_work().
  WARN_ON_ONCE(work->worker != worker);
  if (!list_empty(&work->node))
    kthread_insert_work(worker, &fwork.work, work->node.next);
  else if (worker->current_work == work)
    kthread_insert_work(worker, &fwork.work, worker->work_list.next);
  else
    noop = true;
  raw_spin_unlock_irq(&worker->lock);

  if (!noop) wait_for_completion(&fwork.done);
}

// kthread_mod_delayed_work() -- modify delay of or queue a delayed work. Returns false if
// @dwork was idle and queued, true otherwise. If another command is cancelling the work
// at the same time, that one wins and the work is not queued.
bool kthread_mod_delayed_work(kthread_worker* worker, kthread_delayed_work* dwork,
                              unsigned long delay) {
  kthread_work* work = &dwork->work;
  unsigned long flags = 0;
  bool ret;

  raw_spin_lock_irqsave(&worker->lock, flags);
  // Do not bother with canceling when never queued.
  if (!work->worker) {
    ret = false;
    goto fast_queue;
  }
  // Work must not be used with >1 worker, see kthread_queue_work()
  WARN_ON_ONCE(work->worker != worker);
  // Temporary cancel the work but do not fight with another command that is canceling
  // the work as well. The timer must be canceled first because worker->lock is released
  // when doing so. But the work can be removed from the queue (list) only when it can be
  // queued again so that the return value can be used for reference counting.
  kthread_cancel_delayed_work_timer(work, &flags);
  if (work->canceling) {
    // The number of works in the queue does not change.
    ret = true;
    goto out;
  }
  ret = __kthread_cancel_work(work);

fast_queue:
  __kthread_queue_delayed_work(worker, dwork, delay);
out:
  raw_spin_unlock_irqrestore(&worker->lock, flags);
  return ret;
}

// kthread_cancel_work_sync() -- cancel @work and wait for its execution to finish. On
// return @work is neither pending nor executing. Must not be used for delayed works.
bool kthread_cancel_work_sync(kthread_work* work) { return __kthread_cancel_work_sync(work, false); }

bool kthread_cancel_delayed_work_sync(kthread_delayed_work* dwork) {
  return __kthread_cancel_work_sync(&dwork->work, true);
}

// kthread_flush_worker() -- wait for every work queued before this call (FIFO). Delayed
// works whose timers have not fired are not waited for.
void kthread_flush_worker(kthread_worker* worker) {
  struct kthread_flush_work fwork;
  kthread_init_work(&fwork.work, kthread_flush_work_fn);
  init_completion(&fwork.done, "completion `fwork.done` (kthread_flush_worker)",
                  kt_peek(worker->task));
  kthread_queue_work(worker, &fwork.work);
  wait_for_completion(&fwork.done);
}

// kthread_destroy_worker() -- flush and destroy @worker. The caller must have cancelled
// (or fired) every delayed work: an armed timer firing after kfree() is a use after free.
void kthread_destroy_worker(kthread_worker* worker) {
  task_struct* task = READ_ONCE(worker->task);
  if (WARN_ON(!task)) return;
  kthread_flush_worker(worker);
  kthread_stop(task);
  WARN_ON(!list_empty(&worker->delayed_work_list));
  WARN_ON(!list_empty(&worker->work_list));
  __atomic_store_n(&worker->kt_destroyed, 1, __ATOMIC_RELAXED);  // kfree(worker)
}

}  // namespace kt
