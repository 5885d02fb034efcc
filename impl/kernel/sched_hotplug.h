// sched_hotplug.h -- the scheduler's CPU hotplug callbacks (kernel/sched/core.c, v6.14)
// and the cpumask setters they and kernel/cpu.c use.
//
// Teardown, in cpuhp state order (cpuhp.h):
//   CPUHP_AP_ACTIVE           sched_cpu_deactivate(): clear cpu_active; from here
//                             balance_push() pushes every task queued on the CPU, other
//                             than per-CPU kthreads, to another CPU, and wakeups place no
//                             regular kthread there (is_cpu_allowed())
//   CPUHP_AP_SCHED_WAIT_EMPTY sched_cpu_wait_empty(): wait until only the hotplug thread
//                             is left on the CPU's runqueue
//   CPUHP_TEARDOWN_CPU        take_cpu_down(): offline, then sched_cpu_dying() WARNs if
//                             the CPU was not vacated
// Bringup ends with CPUHP_AP_ACTIVE: sched_cpu_activate().
#ifndef KTHCHECK_IMPL_KERNEL_SCHED_HOTPLUG_H_
#define KTHCHECK_IMPL_KERNEL_SCHED_HOTPLUG_H_

namespace kt {

void set_cpu_online(unsigned int cpu, bool online);
void set_cpu_active(unsigned int cpu, bool active);
void set_cpu_dying(unsigned int cpu, bool dying);

int sched_cpu_activate(unsigned int cpu);
int sched_cpu_deactivate(unsigned int cpu);
int sched_cpu_wait_empty(unsigned int cpu);
int sched_cpu_dying(unsigned int cpu);

}  // namespace kt

#endif  // KTHCHECK_IMPL_KERNEL_SCHED_HOTPLUG_H_
