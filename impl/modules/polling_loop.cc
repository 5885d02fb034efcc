// polling_loop -- the seed's polling thread, "올바른 예" (the right way): poll for work,
// sleep 1-2 ms with usleep_range() when there is none, and cond_resched() after each
// item. The driver raises one work item, lets the module run 5 ms, and stops it.
//
// Its variant hog_loop is the seed's "잘못된 예" (CPU 100%): a loop that polls without
// ever sleeping. Virtual time only advances when every task is idle, so the driver's
// msleep() never ends: the driver starves, which the fair strategy's livelock oracle
// reports (the kernel's symptom is a soft lockup or starved tasks on that CPU).
#include "impl/kernel/bug.h"
#include "impl/kernel/sleep.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"
#include "impl/platform/proto_event.h"
#include "impl/variants.h"

namespace kt {
namespace {

unsigned long work_items, done_items;

bool has_work() { return READ_ONCE(work_items) != READ_ONCE(done_items); }
void do_work() { WRITE_ONCE(done_items, READ_ONCE(done_items) + 1); }
void do_polling() { (void)has_work(); }

int poll_thread_fn(void* unused) {
  (void)unused;
  // kt_proto_test: the line the model's kFnTestStop stands for (conformance).
  while (!kt_proto_test(ProtoEv::kFnTestStop, kthread_should_stop())) {
    if (kt_variant(Variant::kHogLoop)) {  // BUG (variant): never sleeps
      do_polling();
      continue;
    }
    if (!has_work()) {
      usleep_range(1000, 2000);
      continue;
    }
    do_work();
    cond_resched();
  }
  return 0;
}

void run() {
  work_items = done_items = 0;
  task_struct* t = kthread_run(poll_thread_fn, nullptr, "poll_thread");
  WRITE_ONCE(work_items, 1);
  msleep(5);
  int ret = kthread_stop(t);  // -EINTR if stopped before it first ran (real threads)
  WARN_ON(ret != 0 && ret != -EINTR);
}

}  // namespace

extern const Scenario kPollingLoop = {
    "polling_loop",
    "the seed's polling thread: usleep_range() when idle, cond_resched() after work; "
    "checked with the fair strategy and the livelock oracle",
    run, /*parameterized=*/false, /*search_budget=*/0, /*needs_fairness=*/true};

}  // namespace kt
