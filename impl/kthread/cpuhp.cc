// cpuhp.cc -- kernel/cpu.c, reduced (see cpuhp.h).
#include "impl/kthread/cpuhp.h"

#include "impl/kernel/bug.h"
#include "impl/variants.h"
#include "impl/kernel/err.h"
#include "impl/kernel/mutex.h"
#include "impl/kernel/sched.h"
#include "impl/kernel/sched_hotplug.h"
#include "impl/kthread/smpboot.h"
#include "impl/platform/proto_event.h"

namespace kt {
namespace {
mutex cpu_hotplug_lock;

// take_cpu_down() -- CPUHP_TEARDOWN_CPU, under stop_machine() on the outgoing CPU:
// __cpu_disable() clears the online bit, then the dying states run, sched_cpu_dying()
// (CPUHP_AP_SCHED_STARTING teardown) among them.
void take_cpu_down(unsigned int cpu) {
  set_cpu_online(cpu, false);
  kt_proto(ProtoEv::kCpuOffline, kNoTask, cpu);
  sched_cpu_dying(cpu);
}
}  // namespace

void cpuhp_init_globals() { mutex_init(&cpu_hotplug_lock, "cpu_hotplug_lock"); }
void cpus_read_lock() { mutex_lock(&cpu_hotplug_lock); }
void cpus_read_unlock() { mutex_unlock(&cpu_hotplug_lock); }

int cpu_up(unsigned int cpu) {
  if (cpu_online(cpu)) return 0;
  mutex_lock(&cpu_hotplug_lock);  // cpus_write_lock()
  set_cpu_dying(cpu, false);      // cpuhp_set_state(): the motion is up
  int ret = smpboot_create_threads(cpu);  // CPUHP_CREATE_THREADS
  if (!ret) {
    if (kt_variant(Variant::kUnparkBeforeOnline)) {
      // BUG (variant): the threads are released before their CPU is online, so their
      // wakeup finds no allowed online CPU and select_fallback_rq() unbinds them.
      smpboot_unpark_threads(cpu);
      set_cpu_online(cpu, true);
      kt_proto(ProtoEv::kCpuOnline, kNoTask, cpu);
    } else {
      set_cpu_online(cpu, true);    // CPUHP_BRINGUP_CPU
      kt_proto(ProtoEv::kCpuOnline, kNoTask, cpu);
      smpboot_unpark_threads(cpu);  // CPUHP_AP_SMPBOOT_THREADS startup
    }
    sched_cpu_activate(cpu);        // CPUHP_AP_ACTIVE startup
  }
  mutex_unlock(&cpu_hotplug_lock);
  return ret;
}

int cpu_down(unsigned int cpu) {
  if (WARN_ON(cpu == 0) || !cpu_online(cpu)) return -EBUSY;
  mutex_lock(&cpu_hotplug_lock);  // cpus_write_lock()
  kt_proto(ProtoEv::kCpuDownBegin, kNoTask, cpu);
  set_cpu_dying(cpu, true);       // cpuhp_set_state(): the motion is down
  sched_cpu_deactivate(cpu);      // CPUHP_AP_ACTIVE teardown
  smpboot_park_threads(cpu);      // CPUHP_AP_SMPBOOT_THREADS teardown
  if (kt_variant(Variant::kOfflineBeforeWaitEmpty)) {
    // BUG (variant): the CPU is taken down before its runqueue is empty; a task that
    // balance_push() has not moved yet is still queued there.
    take_cpu_down(cpu);
    sched_cpu_wait_empty(cpu);
  } else {
    sched_cpu_wait_empty(cpu);    // CPUHP_AP_SCHED_WAIT_EMPTY teardown
    take_cpu_down(cpu);           // CPUHP_TEARDOWN_CPU
  }
  mutex_unlock(&cpu_hotplug_lock);
  return 0;
}

}  // namespace kt
