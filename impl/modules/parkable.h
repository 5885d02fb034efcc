// parkable.h -- the seed's parkable thread and the park postcondition, shared by the
// modules that park it (park_unpark_stop, park_stop, api_sequence).
#ifndef KTHCHECK_IMPL_MODULES_PARKABLE_H_
#define KTHCHECK_IMPL_MODULES_PARKABLE_H_

#include "impl/kernel/sched.h"

namespace kt {

// A loop on kthread_should_stop() that parks on kthread_should_park() and otherwise
// sleeps TASK_INTERRUPTIBLE, testing both requests after setting its state (variant
// parkable_loop_no_barrier drops the barrier).
int parkable_thread_fn(void* unused);

// Invariant 2 of kernel-semantics.md section 18, checked where kthread_park() returns:
// the thread sleeps in TASK_PARKED, off the runqueue and off the CPU.
void check_parked(task_struct* k);

}  // namespace kt

#endif  // KTHCHECK_IMPL_MODULES_PARKABLE_H_
