// trace_count_test.cc -- counting Mazurkiewicz traces (checker/explore/trace_signature.h,
// `--count-traces`): plain DFS runs every interleaving and the signature groups them into
// the traces counted by hand; DPOR completes one execution per trace.
#include <gtest/gtest.h>

#include "checker/explore/explorer.h"
#include "impl/platform/seam.h"
#include "tests/checker/racy_program.h"

namespace kt::explore {
namespace {

Verdict Count(const Program& p, Search search) {
  SearchOptions o;
  o.search = search;
  o.count_traces = true;
  return Explore(p, o, Bounds{});
}

// Two racy increments: 20 interleavings (starts included), 4 traces (toy_program_test
// counts them by hand). Three: 1680 interleavings, 36 traces.
TEST(TraceCountTest, DfsInterleavingsFallIntoTheHandCountedTraces) {
  Verdict two = Count(testing::Racy(2), Search::kDfs);
  EXPECT_EQ(two.executions, 20u);
  EXPECT_EQ(two.traces, 4u);
  EXPECT_EQ(two.memory_traces, 4u);  // no CPU regions
  Verdict three = Count(testing::Racy(3), Search::kDfs);
  EXPECT_EQ(three.executions, 1680u);
  EXPECT_EQ(three.traces, 36u);
}

TEST(TraceCountTest, DporCompletesOneExecutionPerTrace) {
  Verdict v = Count(testing::Racy(3), Search::kDpor);
  EXPECT_TRUE(v.exhaustive);
  EXPECT_EQ(v.traces, 36u);
  EXPECT_EQ(v.executions - v.sleep_blocked, 36u);
}

// One CPU: T0 stores to `a` with preemption disabled, T1 starts and stores to `b`. No
// memory is shared, but each of T1's two steps runs before T0's region or after it (not
// inside): three traces, because the region's start disables T1. They all reach the same
// state, and DPOR, whose races are on memory, runs one execution; the memory-only count
// merges them too.
uint64_t g_a, g_b;
TaskId g_t1;

void RegionTask(void*) {
  sys().PreemptDisable();
  sys().Store(&g_a, 8, 1, Order::kOnce, "toy", "a");
  sys().PreemptEnable();
  sys().Exit();
}

void PlainTask(void*) {
  sys().Store(&g_b, 8, 1, Order::kOnce, "toy", "b");
  sys().Exit();
}

TEST(TraceCountTest, ARegionClosingTheCpuOrdersTheOtherTasksOfThatCpu) {
  Program p;
  p.boot = [] {
    TaskId root = sys().Spawn(RegionTask, nullptr, "T0", 0, &g_t1);
    sys().Spawn(PlainTask, nullptr, "T1", 0, &g_t1);
    return root;
  };
  Verdict dfs = Count(p, Search::kDfs);
  EXPECT_EQ(dfs.executions, 6u);
  EXPECT_EQ(dfs.traces, 3u);
  EXPECT_EQ(dfs.memory_traces, 1u);
  Verdict dpor = Count(p, Search::kDpor);
  EXPECT_EQ(dpor.executions, 1u);
  EXPECT_EQ(dpor.memory_traces, 1u);
}

// Without --count-traces nothing is counted (and nothing is kept).
TEST(TraceCountTest, OffByDefault) {
  EXPECT_EQ(Explore(testing::Racy(2), Search::kDfs, Bounds{}).traces, 0u);
}

}  // namespace
}  // namespace kt::explore
