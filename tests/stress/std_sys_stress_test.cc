// Every scenario of the catalog, run kRuns times on real threads (StdSys). Each run must
// finish within its timeout (no hang) and hit no WARN_ON/BUG_ON; under --config=tsan,
// ThreadSanitizer must report no data race (it aborts the test if it does).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "impl/boot.h"
#include "impl/modules/scenario.h"
#include "impl/platform/std_sys.h"

namespace kt {
namespace {

int Runs() {
  const char* env = std::getenv("KT_STRESS_RUNS");
  return env ? std::atoi(env) : 1000;
}

class StdSysStressTest : public ::testing::TestWithParam<const Scenario*> {};

TEST_P(StdSysStressTest, EveryRunFinishesWithoutWarnings) {
  const Scenario* scenario = GetParam();
  const int runs = Runs();
  for (int i = 0; i < runs; ++i) {
    StdSys sys(std::chrono::microseconds(1));
    StdSys::Result r = sys.Run(
        [scenario, i] {
          BootParams p;
          p.scenario = scenario;
          p.cpus = 2 + i % 3;
          return kernel_boot(p);
        },
        std::chrono::seconds(20));
    ASSERT_TRUE(r.finished) << scenario->name << ": run " << i << " hung (20 s timeout)";
    ASSERT_TRUE(r.warnings.empty()) << scenario->name << ": run " << i << ": " << r.warnings[0];
  }
}

std::vector<const Scenario*> Catalog() {
  int n = 0;
  const Scenario* const* all = AllScenarios(&n);
  return std::vector<const Scenario*>(all, all + n);
}

INSTANTIATE_TEST_SUITE_P(Catalog, StdSysStressTest, ::testing::ValuesIn(Catalog()),
                         [](const auto& info) { return std::string(info.param->name); });

}  // namespace
}  // namespace kt
