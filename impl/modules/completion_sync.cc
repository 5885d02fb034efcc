// completion_sync -- the seed's start synchronisation: the thread completes
// `thread_started`, then loops on msleep(100) until kthread_stop(); the creator waits
// for the completion before going on. Variant `loop_ignores_should_stop` drops the
// kthread_should_stop() test, so kthread_stop() waits for `exited` forever. Variant
// `start_flag_without_loop` replaces the completion with a flag, a wake_up_process() and
// a single test before schedule(): correct for every wakeup the module sends, wrong for a
// spurious one (--spurious-wakeups=1).
#include "impl/kernel/bug.h"
#include "impl/kernel/sleep.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"
#include "impl/platform/proto_event.h"
#include "impl/variants.h"

namespace kt {
namespace {

completion thread_started;
int initialised;        // the thread's set-up is done
task_struct* creator;   // start_flag_without_loop: the task to wake
int work_count;
task_struct* kth;

void do_work() { WRITE_ONCE(work_count, READ_ONCE(work_count) + 1); }

int my_thread_fn(void* unused) {
  (void)unused;
  WRITE_ONCE(initialised, 1);
  // Signal that initialisation is complete.
  if (kt_variant(Variant::kStartFlagWithoutLoop))
    wake_up_process(creator);  // after the flag: this wakeup always finds it set
  else
    complete(&thread_started);
  // kt_proto_test: the line the model's kFnTestStop stands for (conformance).
  while (kt_variant(Variant::kLoopIgnoresShouldStop) ||
         !kt_proto_test(ProtoEv::kFnTestStop, kthread_should_stop())) {
    do_work();
    msleep(100);
  }
  return 0;
}

// BUG (variant): the flag is tested once. Set the state first, test, sleep: no wakeup of
// the thread's is lost, but a spurious one ends the sleep before the flag is set.
void wait_for_start_flag() {
  set_current_state(TASK_UNINTERRUPTIBLE);
  if (!READ_ONCE(initialised)) {
    sys().SetWakeCondition([] { return initialised != 0; }, "initialised");
    kt_annotate_wait("schedule() until `initialised`", kth);
    schedule();
    sys().SetWakeCondition({}, nullptr);
  }
  __set_current_state(TASK_RUNNING);
}

void run() {
  work_count = 0;
  initialised = 0;
  creator = current;
  init_completion(&thread_started, "completion `thread_started`", nullptr);
  kth = kthread_run(my_thread_fn, nullptr, "my_thread");
  thread_started.kt_owner = kth;  // for the hang oracle's wait-for chain
  if (kt_variant(Variant::kStartFlagWithoutLoop))
    wait_for_start_flag();
  else
    wait_for_completion(&thread_started);
  // Here the thread's initialisation is certainly complete.
  WARN_ON(!READ_ONCE(initialised));
  kthread_stop(kth);
}

}  // namespace

extern const Scenario kCompletionSync = {
    "completion_sync",
    "the thread complete()s thread_started and loops on msleep(100); the creator waits for it",
    run};

}  // namespace kt
