// migrate_test -- hotplug_migrate's configuration (model/steps_migrate.h; ThreadFn::kBusyWait,
// Driver::kRunCpuDownStop): the faithful cpu_down() waits for balance_push() to move the
// busy thread, which it does only while the CPU is inactive and still online; the golden
// counts are plain_kthread_test's row. offline_before_wait_empty takes the CPU offline
// with the thread still queued there.
#include <gtest/gtest.h>

#include <string>

#include "checker/explicit/explorer.h"
#include "model/model.h"
#include "tests/model/plain_config.h"

namespace kthcheck::model {
namespace {

using explicit_engine::Explore;
using explicit_engine::Options;
using explicit_engine::Result;
using explicit_engine::Verdict;

Params MigrateParams(Variant v = Variant::kFaithful) {
  return Plain(ThreadFn::kBusyWait, Driver::kRunCpuDownStop, v);
}

TEST(MigrateTest, FaithfulCpuDownWaitsForThePush) {
  ASSERT_EQ(Validate(MigrateParams()), "");
  int while_inactive = 0, while_offline = 0;
  bool offline_with_thread_elsewhere = false;
  ObservedSpec spec(MigrateParams(), [&](const State& before, ActionId a, const State& after) {
    if (a == ActionId::kBalancePush) {
      while_inactive += before.shared.last_cpu == kLastCpuInactive;
      while_offline += before.shared.last_cpu == kLastCpuOffline;
    }
    offline_with_thread_elsewhere |=
        after.shared.last_cpu == kLastCpuOffline && !after.shared.task_cpu_last;
  });
  Result r = Explore(spec, Options{});
  EXPECT_EQ(r.verdict, Verdict::kHolds) << r.oracle << " " << r.detail;
  EXPECT_GT(while_inactive, 0);
  EXPECT_EQ(while_offline, 0);  // sched_cpu_wait_empty() came first
  EXPECT_TRUE(offline_with_thread_elsewhere);
}

TEST(MigrateTest, OfflineBeforeWaitEmptyLeavesTheThreadOnTheDeadCpu) {
  Result r = ExpectFound({ThreadFn::kBusyWait, Driver::kRunCpuDownStop,
                          Variant::kOfflineBeforeWaitEmpty, "invariant:cpu_vacated"});
  ASSERT_FALSE(r.trace.empty());
  EXPECT_NE(r.trace.back().action.find("take_cpu_down()"), std::string::npos)
      << r.trace.back().action;
  for (const auto& step : r.trace) {
    EXPECT_EQ(step.action.find("balance_push"), std::string::npos) << step.action;
    EXPECT_EQ(step.action.find("sched_cpu_wait_empty"), std::string::npos) << step.action;
  }
}

TEST(MigrateTest, ValidateKeepsTheVariantInItsConfiguration) {
  Params other{1, 0, 0, Variant::kOfflineBeforeWaitEmpty};
  EXPECT_NE(Validate(other), "");  // the smpboot protocol
  Params mismatched = MigrateParams();
  mismatched.thread_fn = ThreadFn::kTimedLoop;
  EXPECT_NE(Validate(mismatched), "");
  mismatched = MigrateParams();
  mismatched.driver = Driver::kRunStop;
  EXPECT_NE(Validate(mismatched), "");
}

}  // namespace
}  // namespace kthcheck::model
