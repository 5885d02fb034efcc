// park_unpark_stop and park_stop -- park, unpark and stop a running thread whose loop
// supports parking (the seed's parkable thread, with an interruptible sleep that tests
// both requests after setting its state); and stop a thread while it is parked, which
// kthread_stop() must unpark first. After each kthread_park() the driver checks the park
// postcondition: the thread sleeps in TASK_PARKED, off the runqueue and off the CPU.
#include "impl/kernel/bug.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"
#include "impl/variants.h"

namespace kt {
namespace {

task_struct* kth;

int parkable_thread_fn(void* unused) {
  (void)unused;
  while (!kthread_should_stop()) {
    if (kthread_should_park()) kthread_parkme();
    if (kt_variant(Variant::kParkableLoopNoBarrier))
      __set_current_state(TASK_INTERRUPTIBLE);  // BUG (variant): no mb before the tests
    else
      set_current_state(TASK_INTERRUPTIBLE);  // mb paired with kthread_park()'s wakeup
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
  kt_invariant("park_postcondition", READ_ONCE(k->__state) == TASK_PARKED);
  kt_invariant("park_postcondition", READ_ONCE(k->on_rq) == 0);
  kt_invariant("park_postcondition", READ_ONCE(k->on_cpu) == 0);
}

void park_unpark_stop() {
  kth = kthread_run(parkable_thread_fn, nullptr, "park_thread");
  if (kthread_park(kth) == 0) check_parked(kth);
  kthread_unpark(kth);
  WARN_ON(kthread_stop(kth) != 0);
}

void park_stop() {
  kth = kthread_run(parkable_thread_fn, nullptr, "park_thread");
  if (kthread_park(kth) == 0) check_parked(kth);
  WARN_ON(kthread_stop(kth) != 0);  // stop of a parked thread: kthread_stop unparks it
}

}  // namespace

extern const Scenario kParkUnparkStop = {
    "park_unpark_stop", "kthread_park, kthread_unpark, kthread_stop of a running parkable thread",
    park_unpark_stop};

extern const Scenario kParkStop = {
    "park_stop", "kthread_park, then kthread_stop of the parked thread (stop must unpark it)",
    park_stop};

}  // namespace kt
