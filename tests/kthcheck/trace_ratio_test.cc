// trace_ratio_test.cc -- issue 4's DPOR floor on the catalog: executions explored at most
// 1.1 times the Mazurkiewicz traces, on the small scenarios, 2 CPUs and 1. The traces are
// counted by --count-traces' signatures (checker/explore/trace_signature.h) over the
// executions the search ran, so the count is at most the real one and the ratio checked
// here is at least the real ratio. bench/trace_ratio.sh prints the table for the README.
#include <gtest/gtest.h>

#include "tests/kthcheck/oracle_common.h"

namespace kt::testing {
namespace {

struct Case {
  const char* scenario;
  int cpus;
};

class TraceRatioTest : public ::testing::TestWithParam<Case> {};

TEST_P(TraceRatioTest, DporExploresAtMostOnePointOneExecutionsPerTrace) {
  cli::Target target = TargetFor(GetParam().scenario);
  target.cpus = GetParam().cpus;
  explore::SearchOptions o;
  o.count_traces = true;
  explore::Verdict v = explore::Explore(cli::MakeProgram(target), o, explore::Bounds{});
  ASSERT_TRUE(v.exhaustive) << v.bound;
  ASSERT_GT(v.traces, 0u);
  EXPECT_LE(v.executions, v.traces * 11 / 10)
      << v.executions << " executions for " << v.traces << " traces";
  // The coarser count never exceeds the finer one.
  EXPECT_LE(v.memory_traces, v.traces);
}

INSTANTIATE_TEST_SUITE_P(
    SmallScenarios, TraceRatioTest,
    ::testing::Values(Case{"stop_before_wakeup", 2}, Case{"basic_loop", 2},
                      Case{"completion_sync", 2}, Case{"polling_loop", 2},
                      Case{"stop_before_wakeup", 1}, Case{"basic_loop", 1}),
    [](const auto& info) {
      return std::string(info.param.scenario) + "_" + std::to_string(info.param.cpus) + "cpu";
    });

}  // namespace
}  // namespace kt::testing
