// shard_test -- a split search (checker/explore/shard.h) on toy programs: the shards'
// executions partition the single run with the same split, their complete executions
// are the Mazurkiewicz traces that plain DPOR completes, and their verdicts combine to
// plain DPOR's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checker/explore/explorer.h"
#include "checker/explore/parallel.h"
#include "impl/platform/seam.h"
#include "tests/checker/racy_program.h"

namespace kt::explore {
namespace {

using testing::Racy;

constexpr const char* kFn = "toy";
TaskId g_unused;

Verdict RunShard(const Program& p, int index, int count, int split = -1) {
  SearchOptions o;
  o.shard_index = index;
  o.shard_count = count;
  o.split_levels = split;
  return Explore(p, o, Bounds{});
}

std::string Describe(const Verdict& v) {
  return std::string(VerdictName(v.kind)) + " executions=" + std::to_string(v.executions) +
         " sleep_blocked=" + std::to_string(v.sleep_blocked) +
         " other_shard=" + std::to_string(v.other_shard);
}

TEST(ShardTest, ShardsPartitionTheSplitRunAndCompleteEveryTraceOnce) {
  for (int tasks : {3, 4}) {
    Program p = Racy(tasks);
    Verdict plain = RunShard(p, 0, 1);
    Verdict split = RunShard(p, 0, 1, kSplitLevels);
    ASSERT_EQ(plain.kind, VerdictKind::kHolds) << Describe(plain);
    ASSERT_EQ(split.kind, VerdictKind::kHolds) << Describe(split);
    if (tasks == 3) EXPECT_EQ(plain.executions - plain.sleep_blocked, 36u) << Describe(plain);
    // The split branches in full at the top, so it may start more executions that sleep
    // sets then cut, but it completes the same traces.
    EXPECT_EQ(split.executions - split.sleep_blocked, plain.executions - plain.sleep_blocked)
        << Describe(split) << " vs " << Describe(plain);
    for (int n : {2, 3, 7}) {
      uint64_t executions = 0, blocked = 0;
      for (int i = 0; i < n; ++i) {
        Verdict v = RunShard(p, i, n);
        EXPECT_EQ(v.kind, VerdictKind::kHolds) << "shard " << i << "/" << n;
        EXPECT_TRUE(v.exhaustive) << "shard " << i << "/" << n;
        executions += v.executions;
        blocked += v.sleep_blocked;
      }
      EXPECT_EQ(executions, split.executions) << tasks << " tasks, " << n << " shards";
      EXPECT_EQ(blocked, split.sleep_blocked) << tasks << " tasks, " << n << " shards";
    }
  }
}

// A lost update that WARNs: T0 and T1 increment, T0 waits for T1 (spins on done) and
// checks. Some shards find it, the others hold: together, a violation, as plain DPOR.
struct Lost {
  uint64_t x = 0, done = 0;
};
Lost g_lost;

void LostWorker(void*) {
  uint64_t v = sys().Load(&g_lost.x, 8, Order::kOnce, kFn, "x");
  sys().Store(&g_lost.x, 8, v + 1, Order::kOnce, kFn, "x");
  sys().Store(&g_lost.done, 8, 1, Order::kOnce, kFn, "done");
  sys().Exit();
}

void LostMain(void*) {
  sys().Spawn(LostWorker, nullptr, "T1", 1, &g_unused);
  uint64_t v = sys().Load(&g_lost.x, 8, Order::kOnce, kFn, "x");
  sys().Store(&g_lost.x, 8, v + 1, Order::kOnce, kFn, "x");
  const void* watch[] = {&g_lost.done};
  sys().SpinUntil([] { return g_lost.done == 1; }, watch, 1, kFn, "done");
  if (sys().Load(&g_lost.x, 8, Order::kOnce, kFn, "x") != 2)
    sys().Warn(__FILE__, __LINE__, "WARN_ON(x != 2)", "LostMain");
  sys().Exit();
}

Program LostUpdate() {
  Program p;
  p.boot = [] {
    g_lost = Lost{};
    return sys().Spawn(LostMain, nullptr, "main", 0, &g_unused);
  };
  return p;
}

TEST(ShardTest, ShardVerdictsCombineToThePlainVerdict) {
  Verdict plain = RunShard(LostUpdate(), 0, 1);
  ASSERT_EQ(plain.kind, VerdictKind::kViolation);
  int violations = 0, holds = 0;
  for (int i = 0; i < 4; ++i) {
    Verdict v = RunShard(LostUpdate(), i, 4);
    if (v.kind == VerdictKind::kViolation) {
      ++violations;
      EXPECT_EQ(v.oracle, "warn");
      Replayed r = Replay(LostUpdate(), v.schedule, Bounds{});
      EXPECT_EQ(r.verdict.oracle, "warn") << "a shard's counterexample replays";
    } else {
      ++holds;
      EXPECT_EQ(v.kind, VerdictKind::kHolds) << "shard " << i;
    }
  }
  EXPECT_GE(violations, 1);
  std::printf("[ counts ] lost update, 4 shards: %d violations, %d hold\n", violations, holds);
}

TEST(ShardTest, ParallelJobsGiveTheSplitRunsCounts) {
  Program p = Racy(4);
  Verdict split = RunShard(p, 0, 1, kSplitLevels);
  for (int jobs : {2, 3}) {
    Verdict v = ExploreParallel(p, SearchOptions{}, Bounds{}, jobs);
    EXPECT_EQ(v.kind, VerdictKind::kHolds) << Describe(v);
    EXPECT_TRUE(v.exhaustive);
    EXPECT_EQ(v.executions, split.executions) << jobs << " jobs";
    EXPECT_EQ(v.sleep_blocked, split.sleep_blocked) << jobs << " jobs";
  }
  Verdict bad = ExploreParallel(LostUpdate(), SearchOptions{}, Bounds{}, 2);
  EXPECT_EQ(bad.kind, VerdictKind::kViolation);
  EXPECT_EQ(bad.oracle, "warn");
  Verdict again = ExploreParallel(LostUpdate(), SearchOptions{}, Bounds{}, 3);
  EXPECT_EQ(again.schedule, bad.schedule) << "the verdict does not depend on the job count";
}

}  // namespace
}  // namespace kt::explore
