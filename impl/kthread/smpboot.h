// smpboot.h -- per-CPU hotplug threads (include/linux/smpboot.h, kernel/smpboot.c,
// v5.11+/v6.x; kernel-semantics.md section 15).
//
// A client registers a smp_hotplug_thread; smpboot creates one thread per online CPU,
// parks it before it runs (so it can start on its CPU when that CPU is up), and parks /
// unparks it across CPU hotplug. The thread's status moves NONE -> ACTIVE (setup) ->
// PARKED (park) -> ACTIVE (unpark) ...; cleanup runs iff status != NONE.
#ifndef KTHCHECK_IMPL_KTHREAD_SMPBOOT_H_
#define KTHCHECK_IMPL_KTHREAD_SMPBOOT_H_

#include "impl/kernel/list.h"
#include "impl/kernel/sched.h"

namespace kt {

struct smp_hotplug_thread {
  task_struct** store;  // per-CPU: [NR_CPUS]
  list_head list;
  int (*thread_should_run)(unsigned int cpu);
  void (*thread_fn)(unsigned int cpu);
  void (*create)(unsigned int cpu);
  void (*setup)(unsigned int cpu);
  void (*cleanup)(unsigned int cpu, bool online);
  void (*park)(unsigned int cpu);
  void (*unpark)(unsigned int cpu);
  bool selfparking;
  const char* thread_comm;
};

enum { HP_THREAD_NONE = 0, HP_THREAD_ACTIVE, HP_THREAD_PARKED };

void smpboot_init_globals();
int smpboot_register_percpu_thread(smp_hotplug_thread* plug_thread);
void smpboot_unregister_percpu_thread(smp_hotplug_thread* plug_thread);
// The CPU hotplug callbacks (kernel/cpu.c calls them at CPUHP_CREATE_THREADS and
// CPUHP_AP_SMPBOOT_THREADS).
int smpboot_create_threads(unsigned int cpu);
int smpboot_unpark_threads(unsigned int cpu);
int smpboot_park_threads(unsigned int cpu);

}  // namespace kt

#endif  // KTHCHECK_IMPL_KTHREAD_SMPBOOT_H_
