// sched.h -- task_struct, task states, and the scheduler entry points the kthread code
// uses (include/linux/sched.h and kernel/sched/core.c, v6.x semantics).
//
// Fidelity notes (see ../shared/docs/kernel-semantics.md sections 1-4):
//   - States are the kernel's bit values and wakeups match by bitwise AND
//     (ttwu_state_match), so wake_up_process() never ends a TASK_PARKED sleep.
//   - try_to_wake_up() is several seam operations: the state match under pi_lock, the
//     on_rq check, the wait for on_cpu == 0, and the later TASK_RUNNING store. A wakeup
//     can be in flight while its target changes state.
//   - schedule() dequeues (on_rq = 0) under the rq lock unless a signal is pending for an
//     interruptible state, then clears on_cpu and blocks at the seam until enqueued.
//   - on_cpu is 1 whenever a task is not blocked in schedule(): a task the checker
//     preempts stays "on CPU" (its waiters spin), which wait_task_inactive() treats the
//     same way as "queued": it keeps waiting.
#ifndef KTHCHECK_IMPL_KERNEL_SCHED_H_
#define KTHCHECK_IMPL_KERNEL_SCHED_H_

#include <cstdint>

#include "impl/kernel/atomic.h"
#include "impl/kernel/spinlock.h"
#include "impl/platform/seam.h"

namespace kt {

// include/linux/sched.h task state bits.
inline constexpr unsigned int TASK_RUNNING = 0x0000;
inline constexpr unsigned int TASK_INTERRUPTIBLE = 0x0001;
inline constexpr unsigned int TASK_UNINTERRUPTIBLE = 0x0002;
inline constexpr unsigned int __TASK_STOPPED = 0x0004;
inline constexpr unsigned int __TASK_TRACED = 0x0008;
inline constexpr unsigned int TASK_PARKED = 0x0040;
inline constexpr unsigned int TASK_DEAD = 0x0080;
inline constexpr unsigned int TASK_WAKEKILL = 0x0100;
inline constexpr unsigned int TASK_WAKING = 0x0200;
inline constexpr unsigned int TASK_NOLOAD = 0x0400;
inline constexpr unsigned int TASK_NEW = 0x0800;
inline constexpr unsigned int TASK_FREEZABLE = 0x2000;
inline constexpr unsigned int TASK_FROZEN = 0x8000;
inline constexpr unsigned int TASK_KILLABLE = TASK_WAKEKILL | TASK_UNINTERRUPTIBLE;
inline constexpr unsigned int TASK_IDLE = TASK_UNINTERRUPTIBLE | TASK_NOLOAD;
inline constexpr unsigned int TASK_NORMAL = TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE;

// task->flags (PF_*).
inline constexpr unsigned int PF_EXITING = 0x00000004;
inline constexpr unsigned int PF_NOFREEZE = 0x00008000;
inline constexpr unsigned int PF_KTHREAD = 0x00200000;
inline constexpr unsigned int PF_NO_SETAFFINITY = 0x04000000;

// thread_info flags (TIF_*), bit numbers.
inline constexpr long TIF_SIGPENDING = 2;
inline constexpr long TIF_NOTIFY_SIGNAL = 17;

inline constexpr int NR_CPUS = 4;
inline constexpr long MAX_SCHEDULE_TIMEOUT = 0x7fffffffffffffffL;
inline constexpr int kMaxTasks = 32;  // tasks per boot (tids are not reused)

struct completion;

// The runqueue. This port has no shared runqueue structure (no CFS tree, no load
// balancing): what the kernel's rq->lock protects that the protocols can observe is
// each task's on_rq and the TASK_RUNNING store of its wakeup. So each task carries its
// own runqueue lock: schedule() and try_to_wake_up() of the same task exclude each
// other as in the kernel, while scheduler operations on unrelated tasks stay
// independent, which keeps the partial-order reduction effective.
struct rq {
  raw_spinlock_t lock;
};

struct task_struct {
  unsigned int __state;
  unsigned int saved_state;
  int on_rq;
  int on_cpu;
  unsigned int cpu;       // task_cpu(p)
  unsigned int wake_cpu;
  unsigned int flags;     // PF_*
  unsigned long thread_flags;  // TIF_* (thread_info)
  raw_spinlock_t pi_lock;
  unsigned long cpus_mask;     // one bit per CPU
  unsigned long nvcsw;
  rq kt_rq;                    // see struct rq
  void* worker_private;        // struct kthread * for kthreads
  completion* vfork_done;
  const char* comm;
  TaskId tid;                  // the seam's id for this task
  // Checker annotation, not kernel state: why the next schedule() sleeps.
  WaitInfo kt_wait;
  // Checker annotation: the next sleep is one that no stray waker can reach
  // (kt_annotate_private_sleep()).
  bool kt_private_sleep;
};

// cpu_online_mask, cpu_active_mask and cpu_dying_mask (include/linux/cpumask.h) share
// one word, kCpuMaskBits bits each. select_task_rq() needs all three at every wakeup and
// reads them with one access, as the port read cpu_online_mask alone before the other
// two were modelled: a second access per wakeup would multiply every search for
// nothing outside hotplug. The kernel reads each mask on its own; one snapshot is a
// subset of what those reads can see, and the hotplug writers (under cpu_hotplug_lock)
// change one bit at a time anyway.
inline constexpr unsigned int kCpuMaskBits = 8;  // the word stays small enough to print
static_assert(NR_CPUS <= static_cast<int>(kCpuMaskBits), "a mask must hold every CPU");
inline constexpr unsigned int CPU_MASK_ONLINE = 0;
inline constexpr unsigned int CPU_MASK_ACTIVE = 1;
inline constexpr unsigned int CPU_MASK_DYING = 2;
inline constexpr long cpu_mask_bit(unsigned int mask, unsigned int cpu) {
  return static_cast<long>(mask * kCpuMaskBits + cpu);
}

// One read of the three masks.
struct cpu_masks {
  unsigned long word;
  bool test(unsigned int mask, unsigned int cpu) const {
    return (word >> cpu_mask_bit(mask, cpu)) & 1;
  }
  bool online(unsigned int cpu) const { return test(CPU_MASK_ONLINE, cpu); }
  bool active(unsigned int cpu) const { return test(CPU_MASK_ACTIVE, cpu); }
  bool dying(unsigned int cpu) const { return test(CPU_MASK_DYING, cpu); }
};

// Machine description, reset for every execution.
struct SchedGlobals {
  int nr_cpu_ids;
  unsigned long cpu_masks;  // see struct cpu_masks
  task_struct* task_by_tid[kMaxTasks];
};
extern SchedGlobals sched_globals;

void sched_init(int nr_cpus);
int nr_cpu_ids();
cpu_masks read_cpu_masks();
bool cpu_online(unsigned int cpu);
bool cpu_active(unsigned int cpu);
bool cpu_dying(unsigned int cpu);

// `current`, spelled as in the kernel: current->flags, p == current.
struct CurrentTask {
  task_struct* get() const;
  task_struct* operator->() const { return get(); }
  operator task_struct*() const { return get(); }  // NOLINT: kernel spelling
};
inline constexpr CurrentTask current{};

inline unsigned int task_cpu(const task_struct* p) { return p->cpu; }
inline rq* task_rq(task_struct* p) { return &p->kt_rq; }
int smp_processor_id();
const char* task_state_name(unsigned int state);

void __set_current_state(unsigned int state, const char* fn = __builtin_FUNCTION());
void set_current_state(unsigned int state, const char* fn = __builtin_FUNCTION());
void set_special_state(unsigned int state, const char* fn = __builtin_FUNCTION());

bool signal_pending(task_struct* p);
bool signal_pending_state(unsigned int state, task_struct* p);

void preempt_disable();
void preempt_enable();
void preempt_enable_no_resched();
void sched_preempt_enable_no_resched();

void schedule();
void schedule_preempt_disabled();
// Sleeps up to `timeout` ticks in the state the caller set; returns the ticks left.
long schedule_timeout(long timeout);

int try_to_wake_up(task_struct* p, unsigned int state, int wake_flags);
int wake_up_process(task_struct* p);
int wake_up_state(task_struct* p, unsigned int state);
void wake_up_new_task(task_struct* p);

unsigned long wait_task_inactive(task_struct* p, unsigned int match_state);
bool is_cpu_allowed(task_struct* p, unsigned int cpu, const cpu_masks& m);
unsigned int select_fallback_rq(unsigned int cpu, task_struct* p);
void do_set_cpus_allowed(task_struct* p, unsigned long new_mask);
void set_task_cpu(task_struct* p, unsigned int new_cpu);

// Annotates the next sleep of the current task for the hang oracle.
void kt_annotate_wait(const char* what, task_struct* waits_for);
// The next sleep can be ended only by the wakeup the code expects, because nobody else
// holds the task yet (kthread()'s first sleep): no stray wakeup is injected into it.
void kt_annotate_private_sleep();

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_SCHED_H_
