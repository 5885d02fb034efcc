// park_before_wakeup -- kthread_create() then kthread_park() instead of wake_up_process()
// ("the thread will park without calling threadfn()"), then kthread_unpark() lets it
// fall through into threadfn, and kthread_stop() ends it.
#include "impl/kernel/bug.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"
#include "impl/platform/proto_event.h"

namespace kt {
namespace {

int threadfn_ran;

int thread_fn(void* unused) {
  (void)unused;
  WRITE_ONCE(threadfn_ran, 1);
  // kt_proto*: the lines the model's plain-kthread loop steps stand for (conformance).
  while (!kt_proto_test(ProtoEv::kFnTestStop, kthread_should_stop())) {
    set_current_state(TASK_INTERRUPTIBLE);
    kt_proto(ProtoEv::kFnSetInterruptible);
    if (!kt_proto_test(ProtoEv::kFnSleepTestStop, kthread_should_stop())) {
      sys().SetWakeCondition([] { return kthread_should_stop(); }, "kthread_should_stop()");
      schedule();
      sys().SetWakeCondition({}, nullptr);
    }
    __set_current_state(TASK_RUNNING);
    kt_proto(ProtoEv::kFnSetRunning);
  }
  return 0;
}

void run() {
  threadfn_ran = 0;
  task_struct* k = kthread_create(thread_fn, nullptr, "early_park");
  WARN_ON(kthread_park(k) != 0);
  WARN_ON(READ_ONCE(k->__state) != TASK_PARKED);
  WARN_ON(READ_ONCE(threadfn_ran));  // parked before threadfn
  kthread_unpark(k);
  kthread_stop(k);
}

}  // namespace

extern const Scenario kParkBeforeWakeup = {
    "park_before_wakeup",
    "kthread_create then kthread_park: parks without running threadfn; unpark, stop", run};

}  // namespace kt
