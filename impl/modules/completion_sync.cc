// completion_sync -- the seed's start synchronisation: the thread completes
// `thread_started`, then loops on msleep(100) until kthread_stop(); the creator waits
// for the completion before going on. Variant `loop_ignores_should_stop` drops the
// kthread_should_stop() test, so kthread_stop() waits for `exited` forever.
#include "impl/kernel/sleep.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"
#include "impl/variants.h"

namespace kt {
namespace {

completion thread_started;
int work_count;
task_struct* kth;

void do_work() { WRITE_ONCE(work_count, READ_ONCE(work_count) + 1); }

int my_thread_fn(void* unused) {
  (void)unused;
  // Signal that initialisation is complete.
  complete(&thread_started);
  while (kt_variant(Variant::kLoopIgnoresShouldStop) || !kthread_should_stop()) {
    do_work();
    msleep(100);
  }
  return 0;
}

void run() {
  work_count = 0;
  init_completion(&thread_started, "completion `thread_started`", nullptr);
  kth = kthread_run(my_thread_fn, nullptr, "my_thread");
  thread_started.kt_owner = kth;  // for the hang oracle's wait-for chain
  wait_for_completion(&thread_started);
  // Here the thread's initialisation is certainly complete.
  kthread_stop(kth);
}

}  // namespace

extern const Scenario kCompletionSync = {
    "completion_sync",
    "the thread complete()s thread_started and loops on msleep(100); the creator waits for it",
    run};

}  // namespace kt
