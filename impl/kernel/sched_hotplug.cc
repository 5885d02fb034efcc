// sched_hotplug.cc -- CPU hotplug in the scheduler (kernel/sched/core.c, v6.14): the
// active and dying masks, balance_push() and the callbacks of sched_hotplug.h.
//
// The kernel's balance_push() is a balance callback that __schedule() runs on the
// outgoing CPU once it is inactive: the task it is about to run there, unless it is a
// per-CPU kthread (or migration-disabled, not modelled), is handed to the CPU's stopper,
// which moves it with __balance_push_cpu_stop(). The port's __schedule() has no balance
// callbacks and its hotplug thread does not run on the outgoing CPU, so the push is made
// from balance_hotplug_wait(): for each task queued there, the hotplug thread runs
// __balance_push_cpu_stop() as that CPU's stopper (stop_one_cpu(), the seam's StopCpu),
// which can start only where the task could be preempted. A task is therefore pushed at
// some preemption point between sched_cpu_wait_empty() and its end, never earlier (the
// kernel may push it as soon as the CPU schedules after sched_cpu_deactivate()); a task
// asleep at that time moves at its wakeup (is_cpu_allowed()).
#include "impl/kernel/sched_hotplug.h"

#include <cstddef>

#include "impl/kernel/bug.h"
#include "impl/kernel/list.h"
#include "impl/kernel/sched.h"
#include "impl/kthread/kthread.h"

namespace kt {
namespace {

void set_cpu_mask_bit(unsigned int mask, unsigned int cpu, bool on) {
  if (on)
    set_bit(cpu_mask_bit(mask, cpu), &sched_globals.cpu_masks);
  else
    clear_bit(cpu_mask_bit(mask, cpu), &sched_globals.cpu_masks);
}

// for_each_process_thread() restricted to the tasks the backend may run on `cpu`
// (seam.h TasksOnCpu); each is re-read by the caller.
template <typename F>
void for_each_task_on_cpu(unsigned int cpu, F f) {
  TaskId* slots[kMaxTasks];
  int n = sys().TasksOnCpu(static_cast<int>(cpu), slots, kMaxTasks);
  for (int i = 0; i < n; ++i) f(list_entry(slots[i], task_struct, tid));
}

// task_rq(p) == rq && task_on_rq_queued(p), for rq = cpu_rq(cpu).
bool queued_on(task_struct* p, unsigned int cpu) {
  return READ_ONCE(p->cpu) == cpu && READ_ONCE(p->on_rq);
}

// __migrate_task() -> move_queued_task(): dequeue, set_task_cpu(), enqueue on the new
// rq. The task stays queued; the seam moves it (it is preempted: the stopper holds its
// CPU).
void __migrate_task(task_struct* p, unsigned int dest_cpu) {
  set_task_cpu(p, dest_cpu);
  sys().MigrateTask(p->tid, static_cast<int>(dest_cpu));
}

// __balance_push_cpu_stop() -- run by the stopper of `cpu`.
void __balance_push_cpu_stop(task_struct* p, unsigned int cpu) {
  raw_spin_lock_irq(&p->pi_lock);
  rq* rq = task_rq(p);
  raw_spin_lock(&rq->lock);  // rq_lock(rq, &rf)
  if (queued_on(p, cpu)) {
    unsigned int dest_cpu = select_fallback_rq(cpu, p);
    __migrate_task(p, dest_cpu);
  }
  raw_spin_unlock(&rq->lock);
  raw_spin_unlock_irq(&p->pi_lock);
}

// stop_one_cpu(cpu, __balance_push_cpu_stop, p): the hotplug thread runs the work as
// `cpu`'s stopper and waits for it (balance_push() uses the _nowait form from
// __schedule(); the hotplug thread's wait below covers the waiting).
void stop_one_cpu(unsigned int cpu, task_struct* p) {
  sys().StopCpu(static_cast<int>(cpu));
  __balance_push_cpu_stop(p, cpu);
  sys().StopCpuEnd();
}

// balance_hotplug_wait() -- rcuwait_wait_event(rq->nr_running == 1): every task still
// queued on the CPU is pushed by its stopper (balance_push(), see the top of the file),
// and a per-CPU kthread, which balance_push() leaves alone, is waited for until it has
// left the runqueue (a parked smpboot thread between complete(&parked) and schedule()).
// One pass suffices: after sched_cpu_deactivate() no wakeup places a regular task here
// (is_cpu_allowed()), and the per-CPU ones are parked.
void balance_hotplug_wait(unsigned int cpu) {
  for_each_task_on_cpu(cpu, [cpu](task_struct* p) {
    if (!queued_on(p, cpu)) return;
    /*
     * Both the cpu-hotplug and stop task are in this case and are
     * required to complete the hotplug process.
     */
    if (kthread_is_per_cpu(p)) {
      const void* watch[] = {&p->on_rq, &p->cpu};
      sys().SpinUntil([p, cpu] { return !queued_on(p, cpu); }, watch, 2, __func__,
                      "rcuwait_wait_event(rq->nr_running == 1)");
      return;
    }
    stop_one_cpu(cpu, p);
  });
}

}  // namespace

// set_cpu_online(), set_cpu_active(), set_cpu_dying() -- include/linux/cpumask.h: atomic
// bit ops on the masks.
void set_cpu_online(unsigned int cpu, bool online) { set_cpu_mask_bit(CPU_MASK_ONLINE, cpu, online); }
void set_cpu_active(unsigned int cpu, bool active) { set_cpu_mask_bit(CPU_MASK_ACTIVE, cpu, active); }
void set_cpu_dying(unsigned int cpu, bool dying) { set_cpu_mask_bit(CPU_MASK_DYING, cpu, dying); }

// sched_cpu_activate() -- balance_push_set(cpu, false) has nothing to clear here (see
// the top of the file); sched domains and rq->online are not modelled.
int sched_cpu_activate(unsigned int cpu) {
  set_cpu_active(cpu, true);
  return 0;
}

// sched_cpu_deactivate() -- from here the CPU refuses every task that is not a per-CPU
// kthread. balance_push_set(cpu, true) arms balance_push(), which the port runs from
// sched_cpu_wait_empty(); synchronize_rcu() waits for preempt-disabled users of
// cpu_active_mask, which here read it in one access (sched.h).
int sched_cpu_deactivate(unsigned int cpu) {
  set_cpu_active(cpu, false);
  return 0;
}

// sched_cpu_wait_empty() -- CPUHP_AP_SCHED_WAIT_EMPTY teardown.
int sched_cpu_wait_empty(unsigned int cpu) {
  balance_hotplug_wait(cpu);
  return 0;
}

// sched_cpu_dying() -- in take_cpu_down(), on the dead CPU: nothing but the stopper may
// be left on its runqueue.
int sched_cpu_dying(unsigned int cpu) {
  bool vacated = true;
  for_each_task_on_cpu(cpu, [cpu, &vacated](task_struct* p) {
    if (vacated && queued_on(p, cpu)) vacated = false;
  });
  WARN(!vacated, "Dying CPU not properly vacated!");
  return 0;
}

}  // namespace kt
