// Long handshake cycles on real threads (StdSys): 10,000 park/unpark/stop cycles and
// 10,000 CPU offline/online cycles of the smpboot hotplug driver. Each batch must finish
// within its timeout (no hang) and hit no WARN_ON/BUG_ON or invariant; CI runs this
// target under --config=tsan, where ThreadSanitizer aborts on a data race.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "impl/boot.h"
#include "impl/kernel/bug.h"
#include "impl/kernel/sched.h"
#include "impl/kthread/kthread.h"
#include "impl/modules/scenario.h"
#include "impl/platform/std_sys.h"

namespace kt {
namespace {

constexpr int kCycles = 10'000;
constexpr int kCyclesPerBoot = 20;  // one boot runs this many (tids are not reused)

int parkable_fn(void*) {
  while (!kthread_should_stop()) {
    if (kthread_should_park()) kthread_parkme();
    set_current_state(TASK_INTERRUPTIBLE);
    if (!kthread_should_stop() && !kthread_should_park()) schedule();
    __set_current_state(TASK_RUNNING);
  }
  return 0;
}

// One cycle: create and run a parkable thread, park it (the postcondition is checked
// inside kthread_park), unpark it, stop it.
void park_unpark_stop_cycles() {
  for (int i = 0; i < kCyclesPerBoot; ++i) {
    task_struct* t = kthread_run(parkable_fn, nullptr, "cycler");
    WARN_ON(kthread_park(t) != 0);
    kthread_unpark(t);
    WARN_ON(kthread_stop(t) != 0);
  }
}
const Scenario kParkCycles = {"park_unpark_stop_cycles", "", park_unpark_stop_cycles};

// Boots `scenario` `boots` times; every boot must end cleanly.
void RunBoots(const Scenario* scenario, int boots, int hotplug) {
  for (int i = 0; i < boots; ++i) {
    StdSys sys(std::chrono::microseconds(1));
    StdSys::Result r = sys.Run(
        [&] {
          BootParams p;
          p.scenario = scenario;
          p.cpus = 2 + i % 3;
          p.hotplug = hotplug;
          p.work = 4;
          return kernel_boot(p);
        },
        std::chrono::seconds(60));
    ASSERT_TRUE(r.finished) << scenario->name << ": boot " << i << " hung (60 s timeout)";
    ASSERT_TRUE(r.warnings.empty()) << scenario->name << ": boot " << i << ": " << r.warnings[0];
  }
}

TEST(CyclesStressTest, TenThousandParkUnparkStopCycles) {
  RunBoots(&kParkCycles, kCycles / kCyclesPerBoot, 0);
}

TEST(CyclesStressTest, TenThousandHotplugCycles) {
  constexpr int kHotplugPerBoot = 8;  // the driver's maximum (--hotplug=8)
  const Scenario* smpboot = FindScenario("smpboot_hotplug");
  ASSERT_NE(smpboot, nullptr);
  RunBoots(smpboot, kCycles / kHotplugPerBoot, kHotplugPerBoot);
}

}  // namespace
}  // namespace kt
