// wait_event_loop -- the seed's wait_event_interruptible() pattern: the thread waits
// for `work_pending || kthread_should_stop()`; the driver sets work_pending and calls
// wake_up_interruptible(). (The seed reads work_pending plainly; the port uses
// READ_ONCE/WRITE_ONCE so the access is a seam operation the checker can interleave.)
#include "impl/kernel/sleep.h"
#include "impl/kernel/wait.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"

namespace kt {
namespace {

wait_queue_head my_wq;
bool work_pending;
int works_done;
task_struct* waiter;

void do_work() { WRITE_ONCE(works_done, READ_ONCE(works_done) + 1); }

int waiter_thread_fn(void* unused) {
  (void)unused;
  while (!kthread_should_stop()) {
    // Wait until there is work or kthread_stop() was called.
    wait_event_interruptible(my_wq, READ_ONCE(work_pending) || kthread_should_stop());
    if (kthread_should_stop()) break;
    WRITE_ONCE(work_pending, false);
    do_work();
  }
  return 0;
}

void run() {
  work_pending = false;
  works_done = 0;
  init_waitqueue_head(&my_wq);
  waiter = kthread_run(waiter_thread_fn, nullptr, "waiter_thread");
  WRITE_ONCE(work_pending, true);
  wake_up_interruptible(&my_wq);
  msleep(100);
  kthread_stop(waiter);
}

}  // namespace

extern const Scenario kWaitEventLoop = {
    "wait_event_loop",
    "wait_event_interruptible(work_pending || kthread_should_stop()) woken by "
    "wake_up_interruptible",
    run};

}  // namespace kt
