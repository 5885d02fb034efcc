// freezable_worker -- a kthread_worker created with KTW_FREEZABLE (the worker calls
// set_freezable() and try_to_freeze() between works). The driver runs one
// suspend/resume cycle while the worker idles, queues a work while the system is
// frozen, resumes, and destroys the worker (flush, then stop).
//
// Variant: `worker_sleeps_while_freezing` (in the port, before e16c7b07784f).
#include "impl/kernel/bug.h"
#include "impl/kernel/freezer.h"
#include "impl/kthread/kthread_worker.h"
#include "impl/modules/scenario.h"

namespace kt {
namespace {

kthread_worker* worker;
kthread_work my_work;
int works_done;

void work_func(kthread_work* work) {
  (void)work;
  WRITE_ONCE(works_done, READ_ONCE(works_done) + 1);
}

void run() {
  works_done = 0;
  worker = kthread_run_worker(KTW_FREEZABLE, "freezable_kworker");
  kthread_init_work(&my_work, work_func);
  int error = suspend_freeze_processes();
  WARN_ON(error);
  kthread_queue_work(worker, &my_work);  // a work arrives while frozen
  if (!error) suspend_thaw_processes();
  kthread_destroy_worker(worker);
  WARN_ON(READ_ONCE(works_done) != 1);  // destroy flushed it
}

}  // namespace

extern const Scenario kFreezableWorker = {
    "freezable_worker",
    "KTW_FREEZABLE kthread_worker; one suspend/resume cycle, a work queued while frozen; "
    "destroy_worker",
    run, /*parameterized=*/false, /*search_budget=*/20000};

}  // namespace kt
