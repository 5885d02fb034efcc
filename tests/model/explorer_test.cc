// explorer_test.cc -- the generic explicit engine on toy specs whose counts are known in
// closed form, so the engine is tested without the kthread model.
#include "checker/explicit/explorer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kthcheck::explicit_engine {
namespace {

// A (K+1) x (K+1) grid walked right (action 0) or up (action 1) from (0,0).
// Closed forms: states = (K+1)^2, transitions = 2K(K+1), matched = transitions - states + 1,
// depth = 2K.  `bad_sum` turns "i + j != bad_sum" into an invariant.
struct Cell {
  int i, j;
  bool operator==(const Cell& o) const { return i == o.i && j == o.j; }
};

struct GridSpec {
  using StateType = Cell;
  int k = 3;
  int bad_sum = -1;
  bool corner_is_deadlock = false;

  std::vector<Cell> InitialStates() const { return {Cell{0, 0}}; }
  template <class F>
  void ForEachSuccessor(const Cell& c, F&& f) const {
    if (c.i < k) f(0u, Cell{c.i + 1, c.j});
    if (c.j < k) f(1u, Cell{c.i, c.j + 1});
  }
  std::optional<std::string> CheckState(const Cell& c, std::string* detail) const {
    if (c.i + c.j != bad_sum) return std::nullopt;
    *detail = "i+j reached " + std::to_string(bad_sum);
    return "invariant:sum";
  }
  std::optional<std::string> CheckTerminal(const Cell&, std::string*) const {
    if (corner_is_deadlock) return "hang";
    return std::nullopt;
  }
  std::uint64_t Fingerprint(const Cell& c) const {
    return (static_cast<std::uint64_t>(c.i) * 0x9e3779b97f4a7c15ULL) ^
           (static_cast<std::uint64_t>(c.j) * 0xc2b2ae3d27d4eb4fULL);
  }
  std::string ActionName(std::uint32_t id) const { return id == 0 ? "right" : "up"; }
  std::string Describe(const Cell& c) const {
    return "(" + std::to_string(c.i) + "," + std::to_string(c.j) + ")";
  }
};

// Two processes increment a shared counter by load; store (the lost-update race).
// State: pc of each process (0 load, 1 store, 2 done), their registers, the counter.
struct Race {
  int pc[2], reg[2], x;
  bool operator==(const Race& o) const {
    return pc[0] == o.pc[0] && pc[1] == o.pc[1] && reg[0] == o.reg[0] && reg[1] == o.reg[1] &&
           x == o.x;
  }
};

struct RaceSpec {
  using StateType = Race;
  std::vector<Race> InitialStates() const { return {Race{{0, 0}, {0, 0}, 0}}; }
  template <class F>
  void ForEachSuccessor(const Race& s, F&& f) const {
    for (int p = 0; p < 2; ++p) {
      Race n = s;
      if (s.pc[p] == 0) {
        n.reg[p] = s.x;
        n.pc[p] = 1;
      } else if (s.pc[p] == 1) {
        n.x = s.reg[p] + 1;
        n.pc[p] = 2;
      } else {
        continue;
      }
      f(static_cast<std::uint32_t>(p), n);
    }
  }
  std::optional<std::string> CheckState(const Race& s, std::string* detail) const {
    if (s.pc[0] == 2 && s.pc[1] == 2 && s.x != 2) {
      *detail = "x=" + std::to_string(s.x);
      return "invariant:lost_update";
    }
    return std::nullopt;
  }
  std::optional<std::string> CheckTerminal(const Race&, std::string*) const { return std::nullopt; }
  std::uint64_t Fingerprint(const Race& s) const {
    std::uint64_t h = 1469598103934665603ULL;
    for (int v : {s.pc[0], s.pc[1], s.reg[0], s.reg[1], s.x}) h = (h ^ v) * 1099511628211ULL;
    return h;
  }
  std::string ActionName(std::uint32_t id) const { return "p" + std::to_string(id); }
  std::string Describe(const Race& s) const { return "x=" + std::to_string(s.x); }
};

// A counter modulo k: 0 -> 1 -> ... -> k-1 -> 0, a cycle of length k.
struct RingSpec {
  using StateType = int;
  int k = 4;
  std::vector<int> InitialStates() const { return {0}; }
  template <class F>
  void ForEachSuccessor(const int& s, F&& f) const {
    f(0u, (s + 1) % k);
  }
  std::optional<std::string> CheckState(const int&, std::string*) const { return std::nullopt; }
  std::optional<std::string> CheckTerminal(const int&, std::string*) const { return "hang"; }
  std::uint64_t Fingerprint(const int& s) const {
    return static_cast<std::uint64_t>(s) * 0x9e3779b97f4a7c15ULL;
  }
  std::string ActionName(std::uint32_t) const { return "tick"; }
  std::string Describe(const int& s) const { return std::to_string(s); }
};

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
