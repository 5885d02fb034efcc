// kthread_worker -- the seed's kthread_worker module: module init starts a worker with
// kthread_run_worker() and queues an immediate work and a delayed work that requeues
// itself (here a bounded number of times); the module stays loaded a while (the driver
// sleeps: every task goes idle); module exit cancels the delayed work and destroys the
// worker. The delayed work's timer fires at any point after it is armed (early expiry)
// or when the machine is idle (late expiry).
//
// Variants: `flush_on_delayed_list` (exit flushes the delayed work before cancelling
// it), `destroy_with_pending_delayed` (exit destroys the worker before cancelling), and
// in the port `timer_fn_ignores_canceling`, `cancel_sync_without_canceling`.
#include "impl/kernel/sleep.h"
#include "impl/kthread/kthread_worker.h"
#include "impl/modules/scenario.h"
#include "impl/variants.h"

namespace kt {
namespace {

constexpr int kRequeues = 1;  // the delayed work runs at most kRequeues + 1 times
constexpr unsigned int kDelayMs = 10;

kthread_worker* worker;
kthread_work my_work;
kthread_delayed_work my_delayed_work;
int works_done;
int delayed_runs;

void work_func(kthread_work* work) {
  (void)work;
  WRITE_ONCE(works_done, READ_ONCE(works_done) + 1);
}

void delayed_work_func(kthread_work* work) {
  (void)work;
  int runs = READ_ONCE(delayed_runs) + 1;
  WRITE_ONCE(delayed_runs, runs);
  // Requeue itself (periodic execution), a bounded number of times.
  if (runs <= kRequeues)
    kthread_queue_delayed_work(worker, &my_delayed_work, msecs_to_jiffies(kDelayMs));
}

void worker_init() {
  worker = kthread_run_worker(0, "my_kworker");
  // An immediate work.
  kthread_init_work(&my_work, work_func);
  kthread_queue_work(worker, &my_work);
  // A delayed work.
  kthread_init_delayed_work(&my_delayed_work, delayed_work_func);
  kthread_queue_delayed_work(worker, &my_delayed_work, msecs_to_jiffies(kDelayMs));
}

void worker_exit() {
  if (kt_variant(Variant::kFlushOnDelayedList)) {
    // BUG (variant): "let the pending run finish, then cancel". While the timer is armed
    // the flush work is linked after the work on delayed_work_list, and the timer moves
    // only the work: nothing ever runs the flush work.
    kthread_flush_work(&my_delayed_work.work);
  }
  if (kt_variant(Variant::kDestroyWithPendingDelayed)) {
    // BUG (variant): the worker is destroyed while the delayed work may still be armed.
    kthread_destroy_worker(worker);
    return;
  }
  kthread_cancel_delayed_work_sync(&my_delayed_work);
  kthread_destroy_worker(worker);
}

void run() {
  works_done = 0;
  delayed_runs = 0;
  worker_init();
  // The module stays loaded a while: every task goes idle before the exit (the
  // delayed work's timer, due later, may still fire at any point from here on).
  msleep(1);
  worker_exit();
}

}  // namespace

extern const Scenario kKthreadWorker = {
    "kthread_worker",
    "kthread_run_worker; an immediate work and a delayed work that requeues itself once; "
    "cancel_delayed_work_sync, destroy_worker",
    run, /*parameterized=*/false, /*search_budget=*/20000};

}  // namespace kt
