// explorer_test.cc -- the generic explicit engine on toy specs whose counts are known in
// closed form, so the engine is tested without the kthread model.
#include "checker/explicit/explorer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tests/model/toy_specs.h"

namespace kthcheck::explicit_engine {
namespace {

static_assert(ExplicitSpec<GridSpec>);
static_assert(ExplicitSpec<RingSpec>);
static_assert(ExplicitSpec<RaceSpec>);

Options With(SearchOrder order, StoreMode store) {
  Options o;
  o.order = order;
  o.store = store;
  return o;
}

TEST(ExplorerTest, BfsCountsMatchClosedFormOnGrid) {
  GridSpec spec;  // K = 3
  Result r = Explore(spec, Options{});
  EXPECT_EQ(r.verdict, Verdict::kHolds);
  EXPECT_EQ(r.stats.states_stored, 16u);  // (K+1)^2
  EXPECT_EQ(r.stats.transitions, 24u);    // 2K(K+1)
  EXPECT_EQ(r.stats.states_matched, 9u);  // 24 - 16 + 1
  EXPECT_EQ(r.stats.depth, 6);            // 2K
  EXPECT_EQ(r.stats.collision_probability, 0.0);
}

TEST(ExplorerTest, DfsAndFingerprintModesStoreTheSameStates) {
  GridSpec spec;
  spec.k = 40;  // 1681 states: enough to grow both hash tables several times
  for (auto order : {SearchOrder::kBfs, SearchOrder::kDfs}) {
    for (auto store : {StoreMode::kExact, StoreMode::kFingerprint}) {
      Result r = Explore(spec, With(order, store));
      EXPECT_EQ(r.verdict, Verdict::kHolds);
      EXPECT_EQ(r.stats.states_stored, 41u * 41u);
      EXPECT_EQ(r.stats.transitions, 2u * 40u * 41u);
      EXPECT_EQ(r.stats.states_matched, 2u * 40u * 41u - 41u * 41u + 1u);
    }
  }
}

TEST(ExplorerTest, FingerprintModeReportsBirthdayBound) {
  GridSpec spec;
  Result r = Explore(spec, With(SearchOrder::kBfs, StoreMode::kFingerprint));
  // 16 states: 16 * 15 / 2 / 2^64.
  EXPECT_DOUBLE_EQ(r.stats.collision_probability, 120.0 / 18446744073709551616.0);
}

TEST(ExplorerTest, BfsFindsShortestTraceToInvariantViolation) {
  GridSpec spec;
  spec.bad_sum = 4;
  Result r = Explore(spec, Options{});
  ASSERT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.oracle, "invariant:sum");
  ASSERT_EQ(r.trace.size(), 5u);  // init + 4 steps: the shortest path to i + j = 4
  EXPECT_EQ(r.trace.front().action, "init");
  EXPECT_EQ(r.trace.back().state, "(3,1)");  // BFS order: right before up
}

TEST(ExplorerTest, DfsFindsSomeTraceInFingerprintMode) {
  GridSpec spec;
  spec.bad_sum = 4;
  Result r = Explore(spec, With(SearchOrder::kDfs, StoreMode::kFingerprint));
  ASSERT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.trace.size(), 5u);  // every path to i + j = 4 has 4 steps
}

TEST(ExplorerTest, TerminalOracleFiresOnStatesWithoutSuccessors) {
  GridSpec spec;
  spec.corner_is_deadlock = true;
  for (auto order : {SearchOrder::kBfs, SearchOrder::kDfs}) {
    Result r = Explore(spec, With(order, StoreMode::kExact));
    ASSERT_EQ(r.verdict, Verdict::kViolation);
    EXPECT_EQ(r.oracle, "hang");
    EXPECT_EQ(r.trace.back().state, "(3,3)");
  }
}

TEST(ExplorerTest, MaxStatesIsBoundReachedNotPass) {
  GridSpec spec;
  Options o;
  o.max_states = 5;
  Result r = Explore(spec, o);
  EXPECT_EQ(r.verdict, Verdict::kBoundReached);
  EXPECT_NE(r.bound_message.find("max_states=5"), std::string::npos);
}

TEST(ExplorerTest, MaxDepthIsBoundReachedNotPass) {
  GridSpec spec;
  Options o;
  o.max_depth = 2;
  for (auto order : {SearchOrder::kBfs, SearchOrder::kDfs}) {
    o.order = order;
    Result r = Explore(spec, o);
    EXPECT_EQ(r.verdict, Verdict::kBoundReached);
    EXPECT_NE(r.bound_message.find("max_depth=2"), std::string::npos);
  }
}

TEST(ExplorerTest, FindsLostUpdateRace) {
  // The shortest lost update interleaves both loads before the stores (4 steps).
  RaceSpec spec;
  Result r = Explore(spec, Options{});
  ASSERT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.oracle, "invariant:lost_update");
  EXPECT_EQ(r.detail, "x=1");
  ASSERT_EQ(r.trace.size(), 5u);  // load, load, store, store
  EXPECT_EQ(r.trace[1].action, "p0");
  EXPECT_EQ(r.trace[2].action, "p1");
}

TEST(ExplorerTest, BitstateVisitsEverythingWhenTheArrayIsLarge) {
  GridSpec spec;
  spec.k = 40;
  Options o;
  o.store = StoreMode::kBitstate;
  o.bitstate_log2_bits = 24;  // 16 Mbit for 1681 states: omissions are very unlikely
  Result r = Explore(spec, o);
  EXPECT_EQ(r.verdict, Verdict::kHolds);
  EXPECT_EQ(r.stats.states_stored, 41u * 41u);
  EXPECT_EQ(r.stats.transitions, 2u * 40u * 41u);
  EXPECT_GT(r.stats.hash_factor, 9000);
  EXPECT_LT(r.stats.collision_probability, 1e-7);
}

TEST(ExplorerTest, BitstateTraceIsTheDfsStack) {
  GridSpec spec;
  spec.bad_sum = 4;
  Options o;
  o.store = StoreMode::kBitstate;
  o.bitstate_log2_bits = 16;
  Result r = Explore(spec, o);
  ASSERT_EQ(r.verdict, Verdict::kViolation);
  ASSERT_EQ(r.trace.size(), 5u);
  EXPECT_EQ(r.trace[0].state, "(0,0)");
  EXPECT_EQ(r.trace.back().state, "(3,1)");  // DFS goes right first, then up once
  spec.bad_sum = -1;
  spec.corner_is_deadlock = true;
  r = Explore(spec, o);
  ASSERT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.oracle, "hang");
  EXPECT_EQ(r.trace.size(), 7u);  // 6 steps to (3,3)
  EXPECT_EQ(r.trace.back().state, "(3,3)");
}

TEST(ExplorerTest, ProgressIsReportedEveryNStates) {
  GridSpec spec;  // 16 states
  Options o;
  o.progress_every = 5;
  std::vector<std::uint64_t> seen;
  o.progress = [&](const Stats& s) { seen.push_back(s.states_stored); };
  Explore(spec, o);
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{5, 10, 15}));
}

TEST(ExplorerTest, CycleDetectionReportsTheRepeatingRun) {
  RingSpec spec;
  Options o;
  EXPECT_EQ(Explore(spec, o).verdict, Verdict::kHolds);  // no terminal state, no cycle check
  o.detect_cycles = true;
  Result r = Explore(spec, o);
  ASSERT_EQ(r.verdict, Verdict::kViolation);
  EXPECT_EQ(r.oracle, "cycle");
  ASSERT_EQ(r.trace.size(), 5u);  // 0 1 2 3 and back to 0
  EXPECT_EQ(r.trace.back().state, "0");
  EXPECT_EQ(r.trace.back().action, "tick");
}

TEST(ExplorerTest, CycleDetectionAcceptsAcyclicSpaces) {
  GridSpec spec;
  Options o;
  o.detect_cycles = true;
  Result r = Explore(spec, o);
  EXPECT_EQ(r.verdict, Verdict::kHolds);
  EXPECT_EQ(r.stats.states_stored, 16u);
}

}  // namespace
}  // namespace kthcheck::explicit_engine
