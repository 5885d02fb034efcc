// suspend.cc -- the freezer half of the suspend path: kernel/power/process.c (v6.x) and
// suspend_freeze_processes() / suspend_thaw_processes() of kernel/power/power.h.
//
// Reduced: user space is not modelled. The task running the suspend path is the only
// non-kthread (the driver), marks itself PF_SUSPEND_TASK and is never frozen; so
// freeze_processes() has no user task to freeze, and the usermode-helper, OOM-killer and
// workqueue steps have nothing to act on. for_each_process_thread() walks the tasks that
// exist (sched_globals.task_by_tid), skipping exited ones (release_task() would have
// taken them off the task list). Delays are ticks of the virtual clock.
#include "impl/kernel/bug.h"
#include "impl/kernel/err.h"
#include "impl/kernel/freezer.h"
#include "impl/kernel/sleep.h"
#include "impl/kernel/timer.h"
#include "impl/variants.h"

namespace kt {
namespace {

constexpr unsigned int freeze_timeout_msecs = 20 * 1000;
constexpr int USEC_PER_MSEC = 1000;

template <typename F>
void for_each_process_thread(F f) {
  for (task_struct* p : sched_globals.task_by_tid) {
    if (!p || (READ_ONCE(p->flags) & PF_EXITING)) continue;
    f(p);
  }
}

// try_to_freeze_tasks() -- freeze_task() every task until none is left to wait for,
// sleeping with exponential backoff (1 ms up to 8 ms) between rounds; give up after
// freeze_timeout_msecs.
// The user-space pass visits only user tasks: while only pm_freezing is set, freezing()
// is false for a kthread and freeze_task() returns false without any change.
int try_to_freeze_tasks(bool user_only) {
  unsigned long end_time = jiffies + msecs_to_jiffies(freeze_timeout_msecs);
  int sleep_usecs = USEC_PER_MSEC;
  unsigned int todo;
  for (;;) {
    todo = 0;
    for_each_process_thread([&todo, user_only](task_struct* p) {
      if (user_only && (kt_peek(p->flags) & PF_KTHREAD)) return;
      if (p == current || !freeze_task(p)) return;
      todo++;
    });
    if (!todo || time_after(jiffies, end_time)) break;
    // We need to retry, but first give the freezing tasks some time to enter the
    // refrigerator (usleep_range(sleep_usecs / 2, sleep_usecs)).
    schedule_timeout_uninterruptible(sleep_usecs / USEC_PER_MSEC);
    if (sleep_usecs < 8 * USEC_PER_MSEC) sleep_usecs *= 2;
  }
  return todo ? -EBUSY : 0;
}

}  // namespace

// freeze_processes() -- first phase: user space (none here), with the freezer enabled.
int freeze_processes() {
  // Make sure this task doesn't get frozen
  WRITE_ONCE(current->flags, current->flags | PF_SUSPEND_TASK);
  if (!READ_ONCE(freezer_globals.pm_freezing))  // static_branch_inc(&freezer_active)
    WRITE_ONCE(freezer_globals.freezer_active, READ_ONCE(freezer_globals.freezer_active) + 1);
  WRITE_ONCE(freezer_globals.pm_freezing, true);
  int error = try_to_freeze_tasks(true);
  if (error) thaw_processes();
  return error;
}

// freeze_kernel_threads() -- second phase: freezable kernel threads.
int freeze_kernel_threads() {
  WRITE_ONCE(freezer_globals.pm_nosig_freezing, true);
  int error = try_to_freeze_tasks(false);
  if (error) thaw_kernel_threads();
  return error;
}

// thaw_processes() -- end both phases, then thaw every task.
void thaw_processes() {
  task_struct* curr = current;
  auto thaw_all = [curr] {
    for_each_process_thread([curr](task_struct* p) {
      // No other threads should have PF_SUSPEND_TASK set
      WARN_ON((p != curr) && (READ_ONCE(p->flags) & PF_SUSPEND_TASK));
      __thaw_task(p);
    });
  };
  if (kt_variant(Variant::kThawBeforeUnfreezing)) {
    // BUG (variant): the tasks are thawed while the freezing condition still holds;
    // __thaw_task() WARNs and a thawed kthread would freeze again at once.
    thaw_all();
  }
  if (READ_ONCE(freezer_globals.pm_freezing))  // static_branch_dec(&freezer_active)
    WRITE_ONCE(freezer_globals.freezer_active, READ_ONCE(freezer_globals.freezer_active) - 1);
  WRITE_ONCE(freezer_globals.pm_freezing, false);
  WRITE_ONCE(freezer_globals.pm_nosig_freezing, false);
  if (!kt_variant(Variant::kThawBeforeUnfreezing)) thaw_all();
  WARN_ON(!(READ_ONCE(curr->flags) & PF_SUSPEND_TASK));
  WRITE_ONCE(curr->flags, curr->flags & ~PF_SUSPEND_TASK);
  // The closing schedule() only yields the CPU to the thawed tasks: nothing to model.
}

// thaw_kernel_threads() -- thaw the kthreads only (freeze_kernel_threads() failed).
void thaw_kernel_threads() {
  WRITE_ONCE(freezer_globals.pm_nosig_freezing, false);
  for_each_process_thread([](task_struct* p) {
    if (READ_ONCE(p->flags) & PF_KTHREAD) __thaw_task(p);
  });
}

int suspend_freeze_processes() {
  int error = freeze_processes();
  // freeze_processes() automatically thaws every task if freezing fails.
  if (error) return error;
  error = freeze_kernel_threads();
  // freeze_kernel_threads() thaws only kernel threads upon freezing failure. So we have
  // to thaw the userspace tasks ourselves.
  if (error) thaw_processes();
  return error;
}

void suspend_thaw_processes() { thaw_processes(); }

}  // namespace kt
