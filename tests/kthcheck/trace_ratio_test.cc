// trace_ratio_test.cc -- issue 4's DPOR floor on the catalog: executions explored at most
// 1.1 times the Mazurkiewicz traces on the small scenarios. Traces are counted by
// --count-traces' signatures (checker/explore/trace_signature.h) over the executions the
// search ran. Traces order steps by memory and by CPU regions (a region keeps the other
// tasks of its CPU off it: that is a dependence too, and DPOR must respect it to stay
// sound, dpor.cc); on them the floor holds. Memory traces, the coarse count that ignores
// regions, are what a search must cover at least: on 2 CPUs DPOR runs 1.6 to 1.8
// executions per memory trace (the orders of regions that change no value), checked
// here to stay under 2; on 1 CPU 40 to 150 (bench/trace_ratio.sh), and the check there
// is that no execution repeats another up to reordering independent steps.
#include <gtest/gtest.h>

#include "tests/kthcheck/oracle_common.h"

namespace kt::testing {
namespace {

explore::Verdict CountTraces(const char* scenario, int cpus) {
  cli::Target target = TargetFor(scenario);
  target.cpus = cpus;
  explore::SearchOptions o;
  o.count_traces = true;
  explore::Verdict v = explore::Explore(cli::MakeProgram(target), o, explore::Bounds{});
  EXPECT_TRUE(v.exhaustive) << v.bound;
  EXPECT_GT(v.memory_traces, 0u);
  EXPECT_LE(v.memory_traces, v.traces);  // the coarser count never exceeds the finer one
  return v;
}

class TwoCpuTraceRatioTest : public ::testing::TestWithParam<const char*> {};

TEST_P(TwoCpuTraceRatioTest, DporRunsAtMostOnePointOneExecutionsPerTrace) {
  explore::Verdict v = CountTraces(GetParam(), 2);
  EXPECT_LE(v.executions * 10, v.traces * 11)
      << v.executions << " executions for " << v.traces << " traces";
  EXPECT_LT(v.executions, v.memory_traces * 2)
      << v.executions << " executions for " << v.memory_traces << " memory traces";
}

INSTANTIATE_TEST_SUITE_P(SmallScenarios, TwoCpuTraceRatioTest,
                         ::testing::Values("stop_before_wakeup", "basic_loop",
                                           "completion_sync", "polling_loop"));

class OneCpuTraceRatioTest : public ::testing::TestWithParam<const char*> {};

TEST_P(OneCpuTraceRatioTest, NoExecutionRepeatsAnother) {
  explore::Verdict v = CountTraces(GetParam(), 1);
  EXPECT_EQ(v.executions - v.sleep_blocked, v.traces);
}

INSTANTIATE_TEST_SUITE_P(SmallScenarios, OneCpuTraceRatioTest,
                         ::testing::Values("stop_before_wakeup", "basic_loop"));

}  // namespace
}  // namespace kt::testing
