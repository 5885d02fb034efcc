// mutex.h -- a sleeping lock (kernel/locking/mutex.c, reduced): an owner, a FIFO of
// waiters sleeping in TASK_UNINTERRUPTIBLE, and a spinlock guarding both. Holders may
// sleep (kthread_park() runs under smpboot_threads_lock). No optimistic spinning, no
// handoff flag: a woken waiter retries, which the kernel's slow path also allows.
#ifndef KTHCHECK_IMPL_KERNEL_MUTEX_H_
#define KTHCHECK_IMPL_KERNEL_MUTEX_H_

#include "impl/kernel/list.h"
#include "impl/kernel/sched.h"

namespace kt {

struct mutex {
  raw_spinlock_t wait_lock;
  task_struct* owner;
  list_head wait_list;
  const char* kt_name;  // for the hang oracle
};

void mutex_init(mutex* lock, const char* name);
void mutex_lock(mutex* lock);
void mutex_unlock(mutex* lock);

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_MUTEX_H_
