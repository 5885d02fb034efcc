#include "impl/boot.h"

#include "impl/kernel/fork.h"
#include "impl/kernel/freezer.h"
#include "impl/kernel/timer.h"
#include "impl/kthread/cpuhp.h"
#include "impl/kthread/kthread.h"
#include "impl/kthread/smpboot.h"
#include "impl/platform/arena.h"

namespace kt {
namespace {

const Scenario* g_scenario = nullptr;
BootParams g_params;

// The driver: insmod (module init), the scenario's exercise, rmmod (module exit).
int driver(void* unused) {
  (void)unused;
  g_scenario->run();
  return 0;
}

}  // namespace

const BootParams& kt_boot_params() { return g_params; }

TaskId kernel_boot(const BootParams& params) {
  ArenaReset();
  SetActiveVariant(params.variant);
  sched_init(params.cpus);
  kthread_init_globals();
  timers_init_globals();
  freezer_init_globals();
  g_scenario = params.scenario;
  g_params = params;
  smpboot_init_globals();
  cpuhp_init_globals();
  kthreadd_start(params.cpus > 1 ? 1 : 0);
  TaskId main = kNoTask;
  kernel_thread(driver, nullptr, "main", 0, 0, &main);
  return main;
}

}  // namespace kt
