// wait.h -- wait queues and the wait_event family (kernel/sched/wait.c,
// include/linux/wait.h; kernel-semantics.md section 6).
//
// The condition of wait_event_*() is evaluated after prepare_to_wait_event() has set the
// sleep state (set_current_state, with its full barrier), the lost-wakeup-free order.
// Timeouts are ticks of the virtual clock (timer.h); a timed sleep ends by its timer
// only when every task is blocked (seam.h).
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
// prepare_to_wait(): queue at the head (non-exclusive), then set_current_state(state),
// both under wq->lock. prepare_to_wait_exclusive() queues at the tail and returns
// whether the queue was empty.
void prepare_to_wait(wait_queue_head* wq, wait_queue_entry* e, unsigned int state);
bool prepare_to_wait_exclusive(wait_queue_head* wq, wait_queue_entry* e, unsigned int state);
long prepare_to_wait_event(wait_queue_head* wq, wait_queue_entry* e, unsigned int state);
void finish_wait(wait_queue_head* wq, wait_queue_entry* e);
void __wake_up(wait_queue_head* wq, unsigned int mode, int nr_exclusive);

inline void wake_up(wait_queue_head* wq) { __wake_up(wq, TASK_NORMAL, 1); }
inline void wake_up_all(wait_queue_head* wq) { __wake_up(wq, TASK_NORMAL, 0); }
inline void wake_up_interruptible(wait_queue_head* wq) { __wake_up(wq, TASK_INTERRUPTIBLE, 1); }

// might_sleep() -- kernel/sched/core.c __might_sleep() (CONFIG_DEBUG_ATOMIC_SLEEP): a
// blocking primitive called when the task is not TASK_RUNNING would destroy the state
// its caller set ("do not call blocking ops when !TASK_RUNNING"): a WARN.
void might_sleep(const char* fn = __builtin_FUNCTION());

// ___wait_event() with cmd = schedule(); returns 0 or -ERESTARTSYS.
long ___wait_event(wait_queue_head* wq, const std::function<bool()>& cond, unsigned int state,
                   const char* text);
// __wait_event_timeout() / __wait_event_freezable() -- see the macros below.
long __wait_event_timeout(wait_queue_head* wq, const std::function<bool()>& cond,
                          unsigned int state, long timeout, const char* text);
long __wait_event_freezable(wait_queue_head* wq, const std::function<bool()>& cond,
                            const char* text);

#define wait_event_interruptible(wq, condition)                                          \
  ({                                                                                     \
    long __ret = 0;                                                                      \
    if (!(condition))                                                                    \
      __ret = ::kt::___wait_event(&(wq), [&]() -> bool { return (condition); },          \
                                  ::kt::TASK_INTERRUPTIBLE, #condition);                 \
    __ret;                                                                               \
  })

// wait_event_timeout() -- sleep TASK_UNINTERRUPTIBLE until the condition holds or the
// timeout (ticks of the virtual clock) passes. Returns 0 if the condition is still false
// when the timeout elapsed, otherwise the ticks left (at least 1).
#define wait_event_timeout(wq, condition, timeout)                                       \
  ::kt::__wait_event_timeout(&(wq), [&]() -> bool { return (condition); },                \
                             ::kt::TASK_UNINTERRUPTIBLE, (timeout), #condition)
#define wait_event_interruptible_timeout(wq, condition, timeout)                         \
  ::kt::__wait_event_timeout(&(wq), [&]() -> bool { return (condition); },                \
                             ::kt::TASK_INTERRUPTIBLE, (timeout), #condition)

// wait_event_freezable() -- v6.1+: an interruptible sleep that the freezer may freeze in
// place (TASK_INTERRUPTIBLE|TASK_FREEZABLE; freezer.h). Returns 0 or -ERESTARTSYS.
#define wait_event_freezable(wq, condition)                                              \
  ({                                                                                     \
    long __ret = 0;                                                                      \
    ::kt::might_sleep(__func__);                                                         \
    if (!(condition))                                                                    \
      __ret = ::kt::__wait_event_freezable(&(wq), [&]() -> bool { return (condition); }, \
                                           #condition);                                  \
    __ret;                                                                               \
  })

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_WAIT_H_
