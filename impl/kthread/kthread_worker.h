// kthread_worker.h -- one kthread that runs queued works in order (include/linux/kthread.h,
// kernel/kthread.c, v6.14; kernel-semantics.md section 14).
//
// All list, current_work and canceling changes happen under worker->lock. A work is on
// at most one list: worker->work_list (ready, FIFO) or worker->delayed_work_list (its
// timer is armed); it leaves the list before it runs, so its function may requeue it.
//
// | work state           | kthread_queue_work | timer fires          | cancel_*_sync        |
// |----------------------+--------------------+----------------------+----------------------|
// | idle                 | -> work_list       | -                    | returns false        |
// | on delayed_work_list | false (pending)    | -> work_list         | timer deleted, unlink|
// | on work_list         | false (pending)    | -                    | unlink, returns true |
// | running              | -> work_list       | -                    | waits (flush), with  |
// |                      |                    |                      | canceling > 0        |
// | canceling > 0        | false (blocked)    | dropped (6993d0fdbee0)| -                   |
//
// v6.14: kthread_create_worker() does not start the task; kthread_run_worker() creates
// and wakes it. Flushes wait without a timeout: a flush work that never runs is a hang.
//
// The checker's invariant `invariant:worker_list` (kernel-semantics.md section 18, item
// 6) is checked where worker->lock is released: every work on the lists belongs to this
// worker and is there once, a flush work is never on delayed_work_list, no work is
// inserted while it is being cancelled, and kthread_cancel_*_sync() leave the work
// unqueued.
#ifndef KTHCHECK_IMPL_KTHREAD_KTHREAD_WORKER_H_
#define KTHCHECK_IMPL_KTHREAD_KTHREAD_WORKER_H_

#include "impl/kernel/completion.h"
#include "impl/kernel/list.h"
#include "impl/kernel/sched.h"
#include "impl/kernel/spinlock.h"
#include "impl/kernel/timer.h"

namespace kt {

enum {
  KTW_FREEZABLE = 1 << 0, /* freeze during suspend */
};

struct kthread_work;
using kthread_work_func_t = void (*)(kthread_work* work);

struct kthread_worker {
  unsigned int flags;
  raw_spinlock_t lock;
  list_head work_list;
  list_head delayed_work_list;
  task_struct* task;
  kthread_work* current_work;
  int kt_destroyed;  // checker ghost: kthread_destroy_worker() freed it
};

struct kthread_work {
  list_head node;
  kthread_work_func_t func;
  kthread_worker* worker;
  int canceling;  // Number of canceling calls that are running at the moment.
};

struct kthread_delayed_work {
  kthread_work work;
  timer_list timer;
};

void kthread_delayed_work_timer_fn(timer_list* t);

void __kthread_init_worker(kthread_worker* worker, const char* name);
inline void kthread_init_worker(kthread_worker* worker) { __kthread_init_worker(worker, "worker"); }
void kthread_init_work(kthread_work* work, kthread_work_func_t fn);
void kthread_init_delayed_work(kthread_delayed_work* dwork, kthread_work_func_t fn);

int kthread_worker_fn(void* worker_ptr);
kthread_worker* kthread_create_worker(unsigned int flags, const char* name);
// kthread_run_worker() -- include/linux/kthread.h (v6.14): create, then wake the task.
kthread_worker* kthread_run_worker(unsigned int flags, const char* name);
// kthread_create_worker_on_cpu() / kthread_run_worker_on_cpu(): the same, bound to @cpu.
kthread_worker* kthread_create_worker_on_cpu(int cpu, unsigned int flags, const char* name);
kthread_worker* kthread_run_worker_on_cpu(int cpu, unsigned int flags, const char* name);

bool kthread_queue_work(kthread_worker* worker, kthread_work* work);
bool kthread_queue_delayed_work(kthread_worker* worker, kthread_delayed_work* dwork,
                                unsigned long delay);
bool kthread_mod_delayed_work(kthread_worker* worker, kthread_delayed_work* dwork,
                              unsigned long delay);
void kthread_flush_work(kthread_work* work);
void kthread_flush_worker(kthread_worker* worker);
bool kthread_cancel_work_sync(kthread_work* work);
bool kthread_cancel_delayed_work_sync(kthread_delayed_work* dwork);
void kthread_destroy_worker(kthread_worker* worker);

}  // namespace kt

#endif  // KTHCHECK_IMPL_KTHREAD_KTHREAD_WORKER_H_
