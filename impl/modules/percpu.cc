// percpu -- the seed's per-CPU module: one thread per online CPU, created with
// kthread_create_on_cpu() and woken, looping on kthread_should_stop() with park support
// and msleep() between rounds of per-CPU work.
//
// The driver parks the last CPU's thread, kicks every thread with wake_up_process() (as
// a module cutting the msleep short would; the kick must not end the park), unparks
// it, and unloads: kthread_stop() on each thread.
#include "impl/boot.h"
#include "impl/kernel/bug.h"
#include "impl/kernel/sleep.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"
#include "impl/platform/proto_event.h"

namespace kt {
namespace {

task_struct* per_cpu_threads[NR_CPUS];

// kt_proto*: the lines the model's parkable timed loop stands for (conformance).
int per_cpu_fn(void* data) {
  unsigned int cpu = static_cast<unsigned int>(reinterpret_cast<unsigned long>(data));
  while (!kt_proto_test(ProtoEv::kFnTestStop, kthread_should_stop())) {
    if (kt_proto_test(ProtoEv::kFnTestPark, kthread_should_park())) kthread_parkme();
    // "CPU %u: doing work": per-CPU work on another CPU is the per-CPU thread's bug.
    if (static_cast<unsigned int>(smp_processor_id()) != cpu)
      sys().Finding("wrong_cpu", __FILE__, __LINE__, "per-CPU work on another CPU", __func__);
    // The seed sleeps 5000 ms; 1000 keeps kthread_park()'s wait for this sleep to end
    // under the checker's hung-task bound (--hung-task-timeout, 5000 virtual ms).
    msleep(1000);
  }
  return 0;
}

int percpu_init() {
  for (int cpu = 0; cpu < kt_boot_params().cpus; ++cpu) {  // for_each_online_cpu
    per_cpu_threads[cpu] = nullptr;
    task_struct* t = kthread_create_on_cpu(
        per_cpu_fn, reinterpret_cast<void*>(static_cast<unsigned long>(cpu)),
        static_cast<unsigned int>(cpu), "my_pcpu");
    if (IS_ERR(t)) continue;
    per_cpu_threads[cpu] = t;
    kt_proto(ProtoEv::kWakeIntent, t->tid, kWakeRun);
    wake_up_process(t);
  }
  return 0;
}

void percpu_exit() {
  for (int cpu = 0; cpu < kt_boot_params().cpus; ++cpu)
    if (per_cpu_threads[cpu]) kthread_stop(per_cpu_threads[cpu]);
}

void run() {
  percpu_init();
  task_struct* last = per_cpu_threads[kt_boot_params().cpus - 1];
  if (last) {
    kthread_park(last);
    for (int cpu = 0; cpu < kt_boot_params().cpus; ++cpu) {
      if (!per_cpu_threads[cpu]) continue;
      kt_proto(ProtoEv::kWakeIntent, per_cpu_threads[cpu]->tid, kWakeKick);
      wake_up_process(per_cpu_threads[cpu]);
    }
    kthread_unpark(last);
  }
  percpu_exit();
}

}  // namespace

extern const Scenario kPercpu = {
    "percpu",
    "the seed's per-CPU module: kthread_create_on_cpu() per CPU, park/kick/unpark one, stop all",
    run, /*parameterized=*/false, /*search_budget=*/20000};

}  // namespace kt
