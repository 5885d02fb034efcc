// parkable.cc -- see parkable.h.
#include "impl/modules/parkable.h"

#include "impl/kernel/bug.h"
#include "impl/kthread/kthread.h"
#include "impl/platform/proto_event.h"
#include "impl/variants.h"

namespace kt {

int parkable_thread_fn(void* unused) {
  (void)unused;
  // kt_proto*: the lines the model's plain-kthread loop steps stand for (conformance).
  while (!kt_proto_test(ProtoEv::kFnTestStop, kthread_should_stop())) {
    if (kt_proto_test(ProtoEv::kFnTestPark, kthread_should_park())) kthread_parkme();
    if (kt_variant(Variant::kParkableLoopNoBarrier))
      __set_current_state(TASK_INTERRUPTIBLE);  // BUG (variant): no mb before the tests
    else
      set_current_state(TASK_INTERRUPTIBLE);  // mb paired with kthread_park()'s wakeup
    kt_proto(ProtoEv::kFnSetInterruptible);
    if (!kt_proto_test(ProtoEv::kFnSleepTestStop, kthread_should_stop()) &&
        !kt_proto_test(ProtoEv::kFnSleepTestPark, kthread_should_park())) {
      sys().SetWakeCondition([] { return kthread_should_stop() || kthread_should_park(); },
                             "kthread_should_stop() || kthread_should_park()");
      schedule();
      sys().SetWakeCondition({}, nullptr);
    }
    __set_current_state(TASK_RUNNING);
    kt_proto(ProtoEv::kFnSetRunning);
  }
  return 0;
}

void check_parked(task_struct* k) {
  kt_invariant("park_postcondition", READ_ONCE(k->__state) == TASK_PARKED);
  kt_invariant("park_postcondition", READ_ONCE(k->on_rq) == 0);
  kt_invariant("park_postcondition", READ_ONCE(k->on_cpu) == 0);
}

}  // namespace kt
