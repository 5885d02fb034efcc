// hotplug_migrate -- a regular kthread still running on a CPU that goes offline
// (kernel-semantics.md section 15; balance_push() in kernel/sched/core.c).
//
//   main: creates `busy`, binds it to the last CPU with kthread_bind() (PF_NO_SETAFFINITY,
//         but not a per-CPU kthread: no hotplug callback parks it), wakes it and waits
//         until it runs; takes that CPU down; tells `busy`; stops it; brings the CPU up.
//   busy: completes `started`, then busy-waits, queued and preemptible on its CPU, until
//         told that the CPU is down; then the CPU it runs on must be online; it exits.
//
// cpu_down() must move `busy` before the CPU goes offline: the CPU's stopper pushes it
// at a point where it could be preempted, and select_fallback_rq() breaks its binding
// ("no longer affine to cpu1"). Without that, it would run on an offline CPU.
#include "impl/boot.h"
#include "impl/kernel/bug.h"
#include "impl/kernel/completion.h"
#include "impl/kthread/cpuhp.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"

namespace kt {
namespace {

completion started;
int cpu_is_down;

int busy_fn(void* unused) {
  (void)unused;
  complete(&started);
  // while (!READ_ONCE(cpu_is_down)) cpu_relax(); -- preemption stays enabled.
  const void* watch[] = {&cpu_is_down};
  sys().SpinUntil([] { return READ_ONCE(cpu_is_down) != 0; }, watch, 1, __func__,
                  "while (!READ_ONCE(cpu_is_down)) cpu_relax()");
  unsigned int cpu = static_cast<unsigned int>(smp_processor_id());
  if (!cpu_online(cpu))
    sys().Finding("wrong_cpu", __FILE__, __LINE__, "a regular kthread runs on an offline CPU",
                  __func__);
  // Done: kthread_stop() of an exited thread returns its result (it started, so not
  // -EINTR).
  return 0;
}

void run() {
  unsigned int cpu = static_cast<unsigned int>(kt_boot_params().cpus - 1);
  cpu_is_down = 0;
  init_completion(&started, "completion `started`", nullptr);
  task_struct* busy = kthread_create(busy_fn, nullptr, "busy");
  started.kt_owner = busy;
  kthread_bind(busy, cpu);
  wake_up_process(busy);
  wait_for_completion(&started);
  if (cpu > 0) cpu_down(cpu);  // CPU 0 never goes offline
  WRITE_ONCE(cpu_is_down, 1);
  WARN_ON(kthread_stop(busy) != 0);
  if (cpu > 0) cpu_up(cpu);
}

}  // namespace

extern const Scenario kHotplugMigrate = {
    "hotplug_migrate",
    "a regular kthread bound to the last CPU busy-waits there while that CPU goes offline: "
    "cpu_down() must push it to another CPU first",
    run};

}  // namespace kt
