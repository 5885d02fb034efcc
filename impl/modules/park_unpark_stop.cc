// park_unpark_stop -- park, unpark, park again and stop a running thread whose loop
// supports parking (the seed's parkable thread, with an interruptible sleep that tests
// both requests after setting its state). After each kthread_park() the driver checks
// the park postcondition: the thread sleeps in TASK_PARKED, off the runqueue and CPU.
#include "impl/kernel/bug.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"

namespace kt {
namespace {

task_struct* kth;

int parkable_thread_fn(void* unused) {
  (void)unused;
  while (!kthread_should_stop()) {
    if (kthread_should_park()) kthread_parkme();
    set_current_state(TASK_INTERRUPTIBLE);
    if (!kthread_should_stop() && !kthread_should_park()) {
      sys().SetWakeCondition([] { return kthread_should_stop() || kthread_should_park(); },
                             "kthread_should_stop() || kthread_should_park()");
      schedule();
      sys().SetWakeCondition({}, nullptr);
    }
    __set_current_state(TASK_RUNNING);
  }
  return 0;
}

// Invariant 2 of kernel-semantics.md section 18, checked where kthread_park() returns.
void check_parked(task_struct* k) {
  WARN_ON(READ_ONCE(k->__state) != TASK_PARKED);
  WARN_ON(READ_ONCE(k->on_rq) != 0);
  WARN_ON(READ_ONCE(k->on_cpu) != 0);
}

void run() {
  kth = kthread_run(parkable_thread_fn, nullptr, "park_thread");
  if (kthread_park(kth) == 0) check_parked(kth);
  kthread_unpark(kth);
  if (kthread_park(kth) == 0) check_parked(kth);
  int ret = kthread_stop(kth);  // stop of a parked thread: kthread_stop unparks it
  WARN_ON(ret != 0);
}

}  // namespace

extern const Scenario kParkUnparkStop = {
    "park_unpark_stop",
    "kthread_park, kthread_unpark, kthread_park, kthread_stop of a running parkable thread",
    run};

}  // namespace kt
