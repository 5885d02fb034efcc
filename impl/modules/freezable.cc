// freezable -- the seed's freezable kthread: set_freezable(), then a loop on
// wait_event_freezable(do_work || kthread_should_stop()). The driver runs one
// suspend/resume cycle (suspend_freeze_processes / suspend_thaw_processes, as the PM
// core does) and raises work while the system is frozen, then unloads (kthread_stop).
// The sleeper is frozen in place (TASK_FROZEN, its sleep state in saved_state); the
// wakeup that arrives while it is frozen must survive the thaw.
//
// Variants: `thaw_loses_stop_wakeup` and `thaw_before_unfreezing` (both in the port).
#include "impl/kernel/bug.h"
#include "impl/kernel/freezer.h"
#include "impl/kernel/wait.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"

namespace kt {
namespace {

task_struct* freeze_thread;
wait_queue_head wq;
bool do_work;
int io_done;

int freezable_fn(void* data) {
  (void)data;
  set_freezable();
  while (!kthread_should_stop()) {
    // Frozen in place during suspend, thawed on resume.
    wait_event_freezable(wq, READ_ONCE(do_work) || kthread_should_stop());
    if (kthread_should_stop()) break;
    WRITE_ONCE(do_work, false);
    WRITE_ONCE(io_done, READ_ONCE(io_done) + 1);  // "doing I/O work"
  }
  return 0;
}

void run() {
  do_work = false;
  io_done = 0;
  init_waitqueue_head(&wq);
  // module init
  freeze_thread = kthread_run(freezable_fn, nullptr, "freezable_kth");
  // suspend: freeze; work arrives while frozen; resume: thaw.
  int error = suspend_freeze_processes();
  WARN_ON(error);  // freezing must succeed: the thread freezes in its freezable sleep
  WRITE_ONCE(do_work, true);
  wake_up(&wq);
  if (!error) suspend_thaw_processes();
  // module exit
  kthread_stop(freeze_thread);
}

}  // namespace

extern const Scenario kFreezable = {
    "freezable",
    "set_freezable + wait_event_freezable thread; one suspend/resume cycle with work raised "
    "while frozen; kthread_stop",
    run, /*parameterized=*/false, /*search_budget=*/20000};

}  // namespace kt
