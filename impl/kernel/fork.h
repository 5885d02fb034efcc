// fork.h -- task creation and exit: kernel_thread() (kernel/fork.c) and do_exit()
// (kernel/exit.c), reduced to what the kthread protocols observe: the new task starts
// in TASK_NEW, wake_up_new_task() makes it runnable, and exit completes vfork_done
// (mm_release -> complete_vfork_done) before the task dies in TASK_DEAD.
#ifndef KTHCHECK_IMPL_KERNEL_FORK_H_
#define KTHCHECK_IMPL_KERNEL_FORK_H_

#include "impl/kernel/sched.h"

namespace kt {

// Allocates and starts a task running fn(arg), then do_exit(fn's return value).
// `flags` are the new task's PF_* flags (PF_KTHREAD for kernel threads); `tid_out`,
// if given, receives the new task's seam id (also in p->tid).
task_struct* kernel_thread(int (*fn)(void*), void* arg, const char* name, unsigned int flags,
                           unsigned int cpu, TaskId* tid_out = nullptr);

[[noreturn]] void do_exit(long code);

void get_task_struct(task_struct* p);
void put_task_struct(task_struct* p);

// Copies `s` into the kernel arena (kasprintf for names and trace labels).
const char* kstrdup(const char* s);

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_FORK_H_
