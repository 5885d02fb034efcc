// event_loop -- the seed's conditional-sleep pattern: set_current_state(), then the
// condition, then schedule(); the driver adds work and calls wake_up_process(). The
// variant `event_check_before_set_state` tests for work before setting the sleep state,
// the ordering the seed warns about: a wakeup between the test and the state store is
// lost and the work waits until something else wakes the thread.
#include "impl/kernel/sleep.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"
#include "impl/platform/proto_event.h"
#include "impl/variants.h"

namespace kt {
namespace {

struct my_device {
  int pending;    // work items queued by add_work()
  int processed;  // work items done by the thread
};
my_device dev;
task_struct* thread_task;

// kt_proto*: the lines the model's event-loop steps stand for (conformance).
bool has_pending_work(my_device* d) {
  return kt_proto_test(ProtoEv::kFnTestWork, READ_ONCE(d->pending) != 0);
}

void process_pending_work(my_device* d) {
  WRITE_ONCE(d->pending, 0);
  kt_proto(ProtoEv::kFnTakeWork);
  WRITE_ONCE(d->processed, READ_ONCE(d->processed) + 1);
}

int event_thread_fn(void* arg) {
  auto* d = static_cast<my_device*>(arg);
  sys().SetWakeCondition([d] { return d->pending != 0; }, "has_pending_work(dev)");
  while (!kt_proto_test(ProtoEv::kFnTestStop, kthread_should_stop())) {
    if (kt_variant(Variant::kEventCheckBeforeSetState)) {
      // BUG (seed): the condition is tested before the sleep state is set.
      if (!has_pending_work(d)) {
        set_current_state(TASK_INTERRUPTIBLE);
        kt_proto(ProtoEv::kFnSetInterruptible);
        schedule();
        continue;
      }
    } else {
      // (1) first set TASK_INTERRUPTIBLE ...
      if (kt_variant(Variant::kEventLoopNoBarrier))
        __set_current_state(TASK_INTERRUPTIBLE);  // BUG (variant): no smp_mb after it
      else
        set_current_state(TASK_INTERRUPTIBLE);  // mb paired with try_to_wake_up()
      kt_proto(ProtoEv::kFnSetInterruptible);
      // (2) ... then test the condition; sleep if there is no work.
      if (!has_pending_work(d)) {
        schedule();
        continue;
      }
    }
    // (3) work to do: back to RUNNING, process it.
    __set_current_state(TASK_RUNNING);
    kt_proto(ProtoEv::kFnSetRunning);
    process_pending_work(d);
  }
  __set_current_state(TASK_RUNNING);
  return 0;
}

void add_work(my_device* d) {
  WRITE_ONCE(d->pending, READ_ONCE(d->pending) + 1);
  kt_proto(ProtoEv::kWorkRaised, kNoTask, 0);
}

void run() {
  dev = my_device{};
  thread_task = kthread_run(event_thread_fn, &dev, "event_thread");
  // Producer: add work, then wake the thread.
  add_work(&dev);
  kt_proto(ProtoEv::kWakeIntent, thread_task->tid, kWakeWork);
  wake_up_process(thread_task);
  // Leave the module loaded a while: the system goes idle here, and the thread must
  // not be asleep with work pending.
  msleep(100);
  kthread_stop(thread_task);
}

}  // namespace

extern const Scenario kEventLoop = {
    "event_loop",
    "set_current_state, test for work, schedule; a producer adds work and wake_up_process()",
    run};

}  // namespace kt
