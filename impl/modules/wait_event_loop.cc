// wait_event_loop -- the seed's wait_event_interruptible() pattern: the thread waits
// for `work_pending || kthread_should_stop()`; the driver sets work_pending and calls
// wake_up_interruptible(). (The seed reads work_pending plainly; the port uses
// READ_ONCE/WRITE_ONCE so the access is a seam operation the checker can interleave.)
// The variant `hand_rolled_wait_without_loop` writes the wait out by hand and tests the
// condition once: a stale wake_up_interruptible() (sent for work already consumed) ends
// its next sleep with no work pending.
#include "impl/kernel/bug.h"
#include "impl/kernel/sleep.h"
#include "impl/kernel/wait.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"
#include "impl/platform/proto_event.h"
#include "impl/variants.h"

namespace kt {
namespace {

wait_queue_head my_wq;
bool work_pending;
int works_done;
task_struct* waiter;

void do_work() { WRITE_ONCE(works_done, READ_ONCE(works_done) + 1); }

// kt_proto_test: the condition's two reads, the lines the model's wait steps stand for
// (conformance); the lost-wakeup oracle's evaluation of it emits nothing.
bool work_or_stop() {
  return kt_proto_test(ProtoEv::kWaitCondWork, READ_ONCE(work_pending)) ||
         kt_proto_test(ProtoEv::kWaitCondStop, kthread_should_stop());
}

// BUG (variant): wait_event_interruptible() written out by hand without its loop. Every
// wakeup the module sends comes with work or a stop, so the author believed one test
// was enough; but a wakeup can reach a later sleep than the one it was sent for.
void hand_rolled_wait() {
  wait_queue_entry wait;
  init_wait_entry(&wait, 0);  // DEFINE_WAIT(wait)
  prepare_to_wait(&my_wq, &wait, TASK_INTERRUPTIBLE);
  if (!work_or_stop()) {
    sys().SetWakeCondition(work_or_stop, "work_pending || kthread_should_stop()");
    kt_annotate_wait("schedule() in the hand-rolled wait", nullptr);
    schedule();
    sys().SetWakeCondition({}, nullptr);
  }
  finish_wait(&my_wq, &wait);
}

int waiter_thread_fn(void* unused) {
  (void)unused;
  while (!kt_proto_test(ProtoEv::kFnTestStop, kthread_should_stop())) {
    // Wait until there is work or kthread_stop() was called.
    if (kt_variant(Variant::kHandRolledWaitWithoutLoop))
      hand_rolled_wait();
    else
      wait_event_interruptible(my_wq, work_or_stop());
    if (kt_proto_test(ProtoEv::kFnTestStop, kthread_should_stop())) break;
    // A driver dequeues a work item here; an empty queue would be a NULL dereference
    // (list_first_entry of an empty list). The WARN stands for that crash.
    WARN_ON(!READ_ONCE(work_pending));
    WRITE_ONCE(work_pending, false);
    kt_proto(ProtoEv::kFnTakeWork);
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
  kt_proto(ProtoEv::kWorkRaised, kNoTask, 0);
  kt_proto(ProtoEv::kWakeIntent, waiter->tid, kWakeQueue);
  wake_up_interruptible(&my_wq);
  kt_proto(ProtoEv::kWakeReturned, waiter->tid);
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
