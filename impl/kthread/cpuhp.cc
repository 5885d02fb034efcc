// cpuhp.cc -- kernel/cpu.c, reduced (see cpuhp.h).
#include "impl/kthread/cpuhp.h"

#include "impl/kernel/bug.h"
#include "impl/variants.h"
#include "impl/kernel/err.h"
#include "impl/kernel/mutex.h"
#include "impl/kernel/sched.h"
#include "impl/kthread/smpboot.h"
#include "impl/platform/proto_event.h"

namespace kt {
namespace {
mutex cpu_hotplug_lock;

// set_cpu_online() -- atomic bit ops on cpu_online_mask.
void set_cpu_online(unsigned int cpu, bool online) {
  if (online)
    set_bit(cpu, &sched_globals.cpu_online_mask);
  else
    clear_bit(cpu, &sched_globals.cpu_online_mask);
}
}  // namespace

void cpuhp_init_globals() { mutex_init(&cpu_hotplug_lock, "cpu_hotplug_lock"); }
void cpus_read_lock() { mutex_lock(&cpu_hotplug_lock); }
void cpus_read_unlock() { mutex_unlock(&cpu_hotplug_lock); }

int cpu_up(unsigned int cpu) {
  if (cpu_online(cpu)) return 0;
  mutex_lock(&cpu_hotplug_lock);  // cpus_write_lock()
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
  }
  mutex_unlock(&cpu_hotplug_lock);
  return ret;
}

int cpu_down(unsigned int cpu) {
  if (WARN_ON(cpu == 0) || !cpu_online(cpu)) return -EBUSY;
  mutex_lock(&cpu_hotplug_lock);  // cpus_write_lock()
  kt_proto(ProtoEv::kCpuDownBegin, kNoTask, cpu);
  smpboot_park_threads(cpu);      // CPUHP_AP_SMPBOOT_THREADS teardown
  set_cpu_online(cpu, false);     // CPUHP_TEARDOWN_CPU: take_cpu_down()
  kt_proto(ProtoEv::kCpuOffline, kNoTask, cpu);
  mutex_unlock(&cpu_hotplug_lock);
  return 0;
}

}  // namespace kt
