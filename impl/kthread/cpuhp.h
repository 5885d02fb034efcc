// cpuhp.h -- CPU hotplug, reduced to the states that matter to per-CPU kthreads
// (kernel/cpu.c, v6.x; kernel-semantics.md section 15.4):
//
//   cpu_up(N):   CPUHP_CREATE_THREADS   smpboot_create_threads(N) (create once, parked)
//                CPUHP_BRINGUP_CPU      N becomes online
//                CPUHP_AP_SMPBOOT_THREADS  smpboot_unpark_threads(N) (rebind to N, wake)
//                CPUHP_AP_ACTIVE        sched_cpu_activate(N): N becomes active
//   cpu_down(N): CPUHP_AP_ACTIVE        sched_cpu_deactivate(N): N becomes inactive;
//                                       regular tasks are pushed off it (balance_push)
//                CPUHP_AP_SMPBOOT_THREADS teardown: smpboot_park_threads(N)
//                CPUHP_AP_SCHED_WAIT_EMPTY sched_cpu_wait_empty(N): the runnable tasks
//                                       still on N move to another CPU, per-CPU
//                                       kthreads on their way out are waited for
//                CPUHP_TEARDOWN_CPU     take_cpu_down(): N goes offline, and
//                                       sched_cpu_dying(N) WARNs if it is not vacated;
//                                       blocked tasks of N move at their next wakeup
// N is dying from the start of cpu_down() until the next cpu_up() (cpu_dying_mask).
// See impl/kernel/sched_hotplug.h.
//
// The AP-side states run here on the controlling task rather than on cpuhp/N, and CPU 0
// (the boot CPU) never goes offline. The cpu hotplug lock is a plain sleeping lock: the
// readers (smpboot register/unregister, the producer) and the writer (hotplug) exclude
// each other, and readers also exclude each other, which only removes interleavings of
// readers the scenarios do not have.
#ifndef KTHCHECK_IMPL_KTHREAD_CPUHP_H_
#define KTHCHECK_IMPL_KTHREAD_CPUHP_H_

namespace kt {

void cpuhp_init_globals();
void cpus_read_lock();
void cpus_read_unlock();
int cpu_up(unsigned int cpu);
int cpu_down(unsigned int cpu);

}  // namespace kt

#endif  // KTHCHECK_IMPL_KTHREAD_CPUHP_H_
