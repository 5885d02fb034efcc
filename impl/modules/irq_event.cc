// irq_event -- the seed's event-driven thread, fed by a device interrupt: the handler
// (request_irq()'s, raised on the thread's CPU) queues work and calls wake_up_process().
// In hard interrupt context (the default) the handler may run between the thread's
// set_current_state() and schedule() on the thread's own CPU, where it takes
// try_to_wake_up()'s `p == current` path; --irq=threaded runs it as a thread instead.
// The variant `event_test_under_preempt_disable` tests for work before setting the
// sleep state, with preemption disabled around both: no task can run on the CPU in
// between, so with a threaded handler it holds, but an interrupt can.
#include "impl/kernel/irq.h"
#include "impl/kernel/sleep.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"
#include "impl/platform/proto_event.h"
#include "impl/variants.h"

namespace kt {
namespace {

constexpr unsigned int kDeviceCpu = 0;
constexpr int kDeviceIrq = 42;

struct my_device {
  int pending;    // work items queued by the interrupt handler
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

int irq_thread_fn(void* arg) {
  auto* d = static_cast<my_device*>(arg);
  sys().SetWakeCondition([d] { return d->pending != 0; }, "has_pending_work(dev)");
  while (!kt_proto_test(ProtoEv::kFnTestStop, kthread_should_stop())) {
    if (kt_variant(Variant::kEventTestUnderPreemptDisable)) {
      // BUG (variant): "nothing runs on this CPU between the test and the sleep".
      preempt_disable();
      if (!has_pending_work(d)) {
        set_current_state(TASK_INTERRUPTIBLE);
        kt_proto(ProtoEv::kFnSetInterruptible);
        schedule_preempt_disabled();
        preempt_enable();
        continue;
      }
      preempt_enable();
    } else {
      set_current_state(TASK_INTERRUPTIBLE);  // before the test: pairs with ttwu
      kt_proto(ProtoEv::kFnSetInterruptible);
      if (!has_pending_work(d)) {
        schedule();
        continue;
      }
      __set_current_state(TASK_RUNNING);
      kt_proto(ProtoEv::kFnSetRunning);
    }
    process_pending_work(d);
  }
  __set_current_state(TASK_RUNNING);
  return 0;
}

// The device's interrupt handler: queue the work, wake the thread.
int device_irq_handler(int irq, void* dev_id) {
  (void)irq;
  auto* d = static_cast<my_device*>(dev_id);
  WRITE_ONCE(d->pending, READ_ONCE(d->pending) + 1);
  kt_proto(ProtoEv::kWorkRaised, kNoTask, 0);
  kt_proto(ProtoEv::kWakeIntent, thread_task->tid, kWakeWork);
  wake_up_process(thread_task);
  return IRQ_HANDLED;
}

void run() {
  dev = my_device{};
  thread_task = kthread_create(irq_thread_fn, &dev, "irq_event_thread");
  kthread_bind(thread_task, kDeviceCpu);
  kt_proto(ProtoEv::kWakeIntent, thread_task->tid, kWakeRun);  // kthread_run()'s wakeup
  wake_up_process(thread_task);
  // The device raises its interrupt on the thread's CPU, at any moment from here on.
  raise_irq(kDeviceCpu, kDeviceIrq, device_irq_handler, &dev, "irq/42-mydev");
  // Leave the module loaded a while: the system goes idle here, and the thread must
  // not be asleep with work pending.
  msleep(100);
  kthread_stop(thread_task);
}

}  // namespace

extern const Scenario kIrqEvent = {
    "irq_event",
    "the seed's event thread woken by a device interrupt on its CPU (hard interrupt "
    "context: between set_current_state() and schedule() too)",
    run};

}  // namespace kt
