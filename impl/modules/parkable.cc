// parkable.cc -- see parkable.h.
#include "impl/modules/parkable.h"

#include "impl/kernel/bug.h"
#include "impl/kthread/kthread.h"
#include "impl/variants.h"

namespace kt {

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

void check_parked(task_struct* k) {
  kt_invariant("park_postcondition", READ_ONCE(k->__state) == TASK_PARKED);
  kt_invariant("park_postcondition", READ_ONCE(k->on_rq) == 0);
  kt_invariant("park_postcondition", READ_ONCE(k->on_cpu) == 0);
}

}  // namespace kt
