// search_test -- the searches of checker/explore on the kernel port: PCT finds the seed's
// lost wakeup with a stated probability, a split search adds up to the single run, and
// a shrunk counterexample replays through its token.
#include <gtest/gtest.h>

#include <string>

#include "checker/explore/explorer.h"
#include "checker/explore/parallel.h"
#include "checker/explore/schedule.h"
#include "checker/explore/shrink.h"
#include "tests/kthcheck/oracle_common.h"

namespace kt::testing {
namespace {

using explore::Bounds;
using explore::Search;
using explore::SearchOptions;
using explore::Verdict;
using explore::VerdictKind;

explore::Program EventLoop(const std::string& variant = "") {
  return cli::MakeProgram(TargetFor("event_loop", variant));
}

// event_check_before_set_state: the event thread tests for work, then sets
// TASK_INTERRUPTIBLE and sleeps; the lost wakeup needs two orderings -- the producer's
// store of the work after the thread's test, and the producer's wakeup (which finds the
// thread still TASK_RUNNING, so does nothing) before the thread's set_current_state --
// so it has depth 2. PCT at depth 1 (no change point) runs each task until it blocks in
// priority order and never shows it. At depth 2, with n = 3 tasks and k <= 263 steps
// (the longest execution of the scenario, measured), each run after the first finds it
// with p >= 1/(n k) >= 1/789 (ASPLOS'10, Theorem 1), so 6000 runs all miss it with
// probability <= (1 - 1/789)^5999 < 5.1e-4. Measured over seeds 1..40: found after 355
// runs on average (8 to 1034).
TEST(PctSearchTest, FindsEventLoopLostWakeupWithinStatedRuns) {
  SearchOptions o;
  o.search = Search::kPct;
  o.seed = 1;
  o.executions = 6000;
  o.pct_depth = 2;
  Verdict v = explore::Explore(EventLoop("event_check_before_set_state"), o, Bounds{});
  EXPECT_EQ(v.kind, VerdictKind::kViolation) << "seed " << o.seed << ": " << Describe(v);
  EXPECT_EQ(v.oracle, "lost_wakeup") << "seed " << o.seed;
  std::printf("[ counts ] PCT depth 2, seed 1: found in execution %llu\n",
              static_cast<unsigned long long>(v.executions));

  o.pct_depth = 1;
  o.executions = 2000;
  Verdict d1 = explore::Explore(EventLoop("event_check_before_set_state"), o, Bounds{});
  EXPECT_EQ(d1.kind, VerdictKind::kBoundReached) << "depth 1 cannot show a depth-2 bug";
}

// The faithful event loop: the shards of a split search add up to the single run with
// the same split, complete at least the 15336 executions of plain DPOR (one per trace;
// the split's top branches on every task, and the sleep sets' conservative rules for CPU
// holds let a few traces complete twice; at most a tenth more, checked below), and
// --jobs gives those counts.
TEST(SplitSearchTest, ShardsAddUpToTheSingleRunOnEventLoop) {
  Verdict plain = explore::Explore(EventLoop(), Search::kDpor, Bounds{});
  ASSERT_EQ(plain.kind, VerdictKind::kHolds) << Describe(plain);
  SearchOptions split;
  split.split_levels = explore::kSplitLevels;
  Verdict whole = explore::Explore(EventLoop(), split, Bounds{});
  EXPECT_EQ(whole.kind, VerdictKind::kHolds);
  const uint64_t traces = plain.executions - plain.sleep_blocked;
  EXPECT_GE(whole.executions - whole.sleep_blocked, traces);
  EXPECT_LE(whole.executions - whole.sleep_blocked, traces + traces / 10);
  uint64_t executions = 0, blocked = 0;
  for (int i = 0; i < 4; ++i) {
    SearchOptions o;
    o.shard_index = i;
    o.shard_count = 4;
    Verdict v = explore::Explore(EventLoop(), o, Bounds{});
    EXPECT_EQ(v.kind, VerdictKind::kHolds) << "shard " << i << ": " << Describe(v);
    EXPECT_TRUE(v.exhaustive);
    executions += v.executions;
    blocked += v.sleep_blocked;
    std::printf("[ counts ] event_loop shard %d/4: %llu executions\n", i,
                static_cast<unsigned long long>(v.executions));
  }
  EXPECT_EQ(executions, whole.executions);
  EXPECT_EQ(blocked, whole.sleep_blocked);
  Verdict jobs = explore::ExploreParallel(EventLoop(), SearchOptions{}, Bounds{}, 2);
  EXPECT_EQ(jobs.kind, VerdictKind::kHolds);
  EXPECT_EQ(jobs.executions, whole.executions);
}

TEST(SplitSearchTest, SomeShardFindsTheVariantAndTogetherTheyAgreeWithDpor) {
  int violations = 0;
  for (int i = 0; i < 3; ++i) {
    SearchOptions o;
    o.shard_index = i;
    o.shard_count = 3;
    Verdict v = explore::Explore(EventLoop("event_check_before_set_state"), o, Bounds{});
    EXPECT_NE(v.kind, VerdictKind::kBoundReached) << Describe(v);
    if (v.kind == VerdictKind::kViolation) {
      ++violations;
      EXPECT_EQ(v.oracle, "lost_wakeup");
    }
  }
  EXPECT_GE(violations, 1);
}

// Random search's first counterexample (seed 1) has preemptions; shrunk, it has none
// (the bug needs no preemption: the producer runs on the other CPU), keeps its oracle,
// and replays from its token.
TEST(ShrinkTest, RandomCounterexampleOnEventLoopShrinksAndReplaysFromItsToken) {
  SearchOptions o;
  o.search = Search::kRandom;
  o.seed = 1;
  o.executions = 20000;  // seed 1 first finds it at execution 2321
  cli::Target target = TargetFor("event_loop", "event_check_before_set_state");
  explore::Program program = cli::MakeProgram(target);
  Verdict v = explore::Explore(program, o, Bounds{});
  ASSERT_EQ(v.kind, VerdictKind::kViolation) << Describe(v);
  EXPECT_GE(v.preemptions, 1);
  int before = v.preemptions;
  size_t steps = v.schedule.size();
  explore::ShrinkVerdict(program, Bounds{}, &v);
  EXPECT_EQ(v.preemptions, 0) << "from " << before;
  EXPECT_LE(v.schedule.size(), steps);
  EXPECT_EQ(v.oracle, "lost_wakeup");

  std::string token = explore::EncodeToken(cli::MakeToken(target, v.schedule));
  std::string error;
  std::optional<explore::ScheduleToken> decoded = explore::DecodeToken(token, &error);
  ASSERT_TRUE(decoded) << error;
  explore::Replayed r = explore::Replay(program, decoded->choices, Bounds{});
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.verdict.oracle, "lost_wakeup");
  EXPECT_EQ(r.verdict.preemptions, 0);
}

}  // namespace
}  // namespace kt::testing
