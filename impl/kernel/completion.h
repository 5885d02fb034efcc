// completion.h -- counts complete() calls; each wait consumes one
// (kernel/sched/completion.c, v5.7+ swait version).
//
// |             | complete()             | wait_for_completion()          |
// |-------------+------------------------+--------------------------------|
// | done == 0   | done = 1, wake 1st     | queue at tail, sleep, re-check |
// | done  > 0   | done += 1, wake 1st    | done -= 1, return              |
//
// Memory ordering: everything the completer did before complete() is visible to the
// waiter after its wait returns (both sides hold x->wait.lock).
#ifndef KTHCHECK_IMPL_KERNEL_COMPLETION_H_
#define KTHCHECK_IMPL_KERNEL_COMPLETION_H_

#include "impl/kernel/list.h"
#include "impl/kernel/sched.h"

namespace kt {

// One waiter on an swait queue (struct swait_queue).
struct swait_queue {
  task_struct* task;
  list_head task_list;
};

struct swait_queue_head {
  raw_spinlock_t lock;
  list_head task_list;
};

struct completion {
  unsigned int done;
  swait_queue_head wait;
  // Checker annotation: a name for traces and the hang oracle ("kthread->exited of T1"),
  // and the task expected to complete it, if known.
  const char* kt_name;
  task_struct* kt_owner;
};

inline constexpr unsigned int UINT_MAX_DONE = 0xffffffffu;

void init_completion(completion* x, const char* name = "completion",
                     task_struct* owner = nullptr);
void complete(completion* x);
void complete_all(completion* x);
void wait_for_completion(completion* x);
// Returns -ERESTARTSYS if interrupted (kthreads get no fatal signal: never here).
int wait_for_completion_killable(completion* x);
bool try_wait_for_completion(completion* x);
bool completion_done(completion* x);

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_COMPLETION_H_
