// stop_before_wakeup -- kthread_create() then kthread_stop() with no wake_up_process():
// the thread wakes from kthread()'s first sleep, sees SHOULD_STOP and exits with -EINTR
// without ever running threadfn (kernel-semantics.md section 8, step 7).
#include "impl/kernel/bug.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"

namespace kt {
namespace {

int threadfn_ran;

int never_thread_fn(void* unused) {
  (void)unused;
  WRITE_ONCE(threadfn_ran, 1);
  return 0;
}

void run() {
  threadfn_ran = 0;
  task_struct* k = kthread_create(never_thread_fn, nullptr, "never_run");
  int ret = kthread_stop(k);
  WARN_ON(ret != -EINTR);
  WARN_ON(READ_ONCE(threadfn_ran));
}

}  // namespace

extern const Scenario kStopBeforeWakeup = {
    "stop_before_wakeup",
    "kthread_create then kthread_stop: returns -EINTR and threadfn never runs", run};

}  // namespace kt
