// kthread.h -- kernel threads: creation through kthreadd, stop, park/unpark, bind
// (include/linux/kthread.h, kernel/kthread.c, v6.14).
//
// Protocol summary (kernel-semantics.md sections 7-12):
//   creator --list_add + wake_up_process--> kthreadd --kernel_thread--> kthread()
//   kthread(): complete(done); sleep TASK_UNINTERRUPTIBLE until the first wakeup;
//              if SHOULD_STOP: exit -EINTR without running threadfn;
//              else __kthread_parkme() then threadfn().
//   kthread_park():   set SHOULD_PARK, wake, wait `parked`, wait_task_inactive(PARKED).
//   kthread_unpark(): rebind per-CPU threads, clear SHOULD_PARK, wake_up_state(PARKED).
//   kthread_stop():   set SHOULD_STOP, unpark, TIF_NOTIFY_SIGNAL, wake, wait `exited`.
#ifndef KTHCHECK_IMPL_KTHREAD_KTHREAD_H_
#define KTHCHECK_IMPL_KTHREAD_KTHREAD_H_

#include "impl/kernel/completion.h"
#include "impl/kernel/err.h"
#include "impl/kernel/sched.h"

namespace kt {

enum KTHREAD_BITS {
  KTHREAD_IS_PER_CPU = 0,
  KTHREAD_SHOULD_STOP,
  KTHREAD_SHOULD_PARK,
};

struct kthread {
  unsigned long flags;
  unsigned int cpu;
  int result;
  int (*threadfn)(void*);
  void* data;
  completion parked;
  completion exited;
  int started;
  const char* full_name;
  task_struct* task;
  int kt_result_stored;  // checker ghost: kthread_exit() stored `result`
  // Variant exit_flag_without_release only: a lock-free "result is valid" flag that
  // kthread_stop() polls before waiting for `exited` (not in the kernel).
  int result_published;
};

inline constexpr int NUMA_NO_NODE = -1;

void kthread_init_globals();
void set_kthread_struct(task_struct* p);
kthread* to_kthread(task_struct* k);
int kthreadd(void* unused);
task_struct* kthreadd_task();
void kthreadd_start(unsigned int cpu);

task_struct* kthread_create_on_node(int (*threadfn)(void*), void* data, int node,
                                    const char* name);
inline task_struct* kthread_create(int (*threadfn)(void*), void* data, const char* name) {
  return kthread_create_on_node(threadfn, data, NUMA_NO_NODE, name);
}
task_struct* kthread_create_on_cpu(int (*threadfn)(void*), void* data, unsigned int cpu,
                                   const char* name);
// kthread_run(): create, then wake_up_process() unless creation failed.
task_struct* kthread_run(int (*threadfn)(void*), void* data, const char* name);

bool kthread_should_stop();
bool kthread_should_park();
bool __kthread_should_park(task_struct* k);
int kthread_stop(task_struct* k);
int kthread_park(task_struct* k);
void kthread_unpark(task_struct* k);
void kthread_parkme();
[[noreturn]] void kthread_exit(long result);
void kthread_bind(task_struct* p, unsigned int cpu);
void kthread_bind_mask(task_struct* p, unsigned long mask);
void kthread_set_per_cpu(task_struct* k, int cpu);
bool kthread_is_per_cpu(task_struct* p);

}  // namespace kt

#endif  // KTHCHECK_IMPL_KTHREAD_KTHREAD_H_
