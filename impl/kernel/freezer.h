// freezer.h -- the task freezer (include/linux/freezer.h, kernel/freezer.c, v6.7+ text;
// kernel-semantics.md section 16) and the suspend path's freeze/thaw of the system
// (kernel/power/process.c).
//
// Kernel threads start PF_NOFREEZE (inherited from kthreadd); set_freezable() makes the
// caller freezable. While the freezer is active, a freezable kthread is frozen in one of
// two ways:
//   - it calls try_to_freeze() (or kthread_freezable_should_stop()) and sleeps in
//     __refrigerator() in TASK_FROZEN with saved_state = TASK_RUNNING;
//   - it sleeps in a TASK_FREEZABLE state (wait_event_freezable()) and freeze_task()
//     freezes it in place: saved_state = its sleep state, __state = TASK_FROZEN.
// A wakeup that matches saved_state while frozen is kept there (saved_state becomes
// TASK_RUNNING; sched.cc ttwu_state_match()); __thaw_task() then either restores the
// sleep state (no wakeup arrived) or wakes the task with wake_up_state(p, TASK_FROZEN).
//
// |                      | freeze_task(p)                    | __thaw_task(p)               |
// |----------------------+-----------------------------------+------------------------------|
// | running              | wake_up_state(p, TASK_NORMAL)     | wake_up_state(FROZEN): no-op |
// | asleep, FREEZABLE    | saved = state; state = FROZEN     | -                            |
// | asleep, other state  | wake_up_state(p, TASK_NORMAL)     | -                            |
// | FROZEN, saved != RUN | -                                 | state = saved; saved = RUN   |
// | FROZEN, saved == RUN | -                                 | wake_up_state(p, TASK_FROZEN)|
//
// Memory ordering: freezing()'s inputs (pm_nosig_freezing, PF_NOFREEZE) change under
// freezer_lock, which freeze_task(), __refrigerator() and set_freezable() take.
#ifndef KTHCHECK_IMPL_KERNEL_FREEZER_H_
#define KTHCHECK_IMPL_KERNEL_FREEZER_H_

#include "impl/kernel/sched.h"
#include "impl/kernel/wait.h"  // wait_event_freezable()

namespace kt {

inline constexpr unsigned int PF_SUSPEND_TASK = 0x80000000;

struct FreezerGlobals {
  int freezer_active;      // DEFINE_STATIC_KEY_FALSE(freezer_active): freezing conditions
  bool pm_freezing;        // freeze_processes() .. thaw_processes()
  bool pm_nosig_freezing;  // freeze_kernel_threads() .. thaw_*()
  spinlock_t freezer_lock; // protects freezing and frozen transitions
};
extern FreezerGlobals freezer_globals;

// Resets the freezer of a new kernel instance (called from kernel_boot()).
void freezer_init_globals();

bool freezing(task_struct* p);
bool frozen(task_struct* p);
bool __refrigerator(bool check_kthr_stop);
// try_to_freeze() -- might_sleep(), then enter the refrigerator if freezing.
bool try_to_freeze();
bool set_freezable();
bool freeze_task(task_struct* p);
void __thaw_task(task_struct* p);

// kthread_freezable_should_stop() -- kernel/kthread.c: freeze if needed (leaving the
// refrigerator early if kthread_stop() is pending), then kthread_should_stop().
bool kthread_freezable_should_stop(bool* was_frozen);

// kernel/power/process.c and kernel/power/power.h. User space is not modelled: the task
// that runs the suspend path is the only non-kthread and marks itself PF_SUSPEND_TASK.
int freeze_processes();
int freeze_kernel_threads();
void thaw_processes();
void thaw_kernel_threads();
// suspend_freeze_processes() = freeze_processes() + freeze_kernel_threads();
// suspend_thaw_processes() = thaw_processes().
int suspend_freeze_processes();
void suspend_thaw_processes();

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_FREEZER_H_
