// wait.h -- wait queues and the wait_event family (kernel/sched/wait.c,
// include/linux/wait.h; kernel-semantics.md section 6).
//
// The condition of wait_event_*() is evaluated after prepare_to_wait_event() has set the
// sleep state (set_current_state, with its full barrier), the lost-wakeup-free order.
#ifndef KTHCHECK_IMPL_KERNEL_WAIT_H_
#define KTHCHECK_IMPL_KERNEL_WAIT_H_

#include <functional>

#include "impl/kernel/list.h"
#include "impl/kernel/sched.h"

namespace kt {

inline constexpr unsigned int WQ_FLAG_EXCLUSIVE = 0x01;
inline constexpr long ERESTARTSYS = 512;

struct wait_queue_entry;
using wait_queue_func_t = int (*)(wait_queue_entry* wq_entry, unsigned mode, int flags);

struct wait_queue_entry {
  unsigned int flags;
  task_struct* priv;  // `private` in the kernel
  wait_queue_func_t func;
  list_head entry;
};

struct wait_queue_head {
  spinlock_t lock;
  list_head head;
};

void init_waitqueue_head(wait_queue_head* wq);
void init_wait_entry(wait_queue_entry* e, unsigned int flags);
int autoremove_wake_function(wait_queue_entry* e, unsigned mode, int sync);
long prepare_to_wait_event(wait_queue_head* wq, wait_queue_entry* e, unsigned int state);
void finish_wait(wait_queue_head* wq, wait_queue_entry* e);
void __wake_up(wait_queue_head* wq, unsigned int mode, int nr_exclusive);

inline void wake_up(wait_queue_head* wq) { __wake_up(wq, TASK_NORMAL, 1); }
inline void wake_up_interruptible(wait_queue_head* wq) { __wake_up(wq, TASK_INTERRUPTIBLE, 1); }

// ___wait_event() with cmd = schedule(); returns 0 or -ERESTARTSYS.
long ___wait_event(wait_queue_head* wq, const std::function<bool()>& cond, unsigned int state,
                   const char* text);

#define wait_event_interruptible(wq, condition)                                          \
  ({                                                                                     \
    long __ret = 0;                                                                      \
    if (!(condition))                                                                    \
      __ret = ::kt::___wait_event(&(wq), [&]() -> bool { return (condition); },          \
                                  ::kt::TASK_INTERRUPTIBLE, #condition);                 \
    __ret;                                                                               \
  })

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_WAIT_H_
