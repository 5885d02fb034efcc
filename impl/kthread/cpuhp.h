// cpuhp.h -- CPU hotplug, reduced to the states that matter to per-CPU kthreads
// (kernel/cpu.c, v6.x; kernel-semantics.md section 15.4):
//
//   cpu_up(N):   CPUHP_CREATE_THREADS   smpboot_create_threads(N) (create once, parked)
//                CPUHP_BRINGUP_CPU      N becomes online
//                CPUHP_AP_SMPBOOT_THREADS  smpboot_unpark_threads(N) (rebind to N, wake)
//   cpu_down(N): CPUHP_AP_SMPBOOT_THREADS teardown: smpboot_park_threads(N)
//                CPUHP_TEARDOWN_CPU     N goes offline; blocked tasks of N move to an
//                                       online CPU at their next wakeup
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
