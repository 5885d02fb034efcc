// portfolio_test -- PCT and DPOR in turn (checker/explore/alternating_search.h,
// portfolio.h), the search of a budgeted `kthcheck check`, on toy programs whose counts
// follow from the searches alone.
#include <gtest/gtest.h>

#include <string>

#include "checker/explore/portfolio.h"
#include "impl/platform/seam.h"

namespace kt::explore {
namespace {

constexpr const char* kFn = "toy";
TaskId g_unused;

// T0 and T1 each add 1 to x; the second to finish WARNs unless x == 2. With `atomic`,
// the add is one fetch_add and never lost; without, a load and a store, lost when both
// loads come first -- a bug of depth 2, which PCT at depth 1 never shows (it runs the
// higher-priority task to its end).
struct Counter {
  uint64_t x = 0, done = 0;
  bool atomic = false;
};
Counter g_counter;

void Increment(void*) {
  Sys& s = sys();
  if (g_counter.atomic) {
    s.ReadModifyWrite(&g_counter.x, 8, Rmw::kFetchAdd, 1, 0, Order::kFull, kFn, "x");
  } else {
    uint64_t v = s.Load(&g_counter.x, 8, Order::kOnce, kFn, "x");
    s.Store(&g_counter.x, 8, v + 1, Order::kOnce, kFn, "x");
  }
  if (s.ReadModifyWrite(&g_counter.done, 8, Rmw::kFetchAdd, 1, 0, Order::kFull, kFn, "done") == 1 &&
      s.Load(&g_counter.x, 8, Order::kOnce, kFn, "x") != 2)
    s.Warn(__FILE__, __LINE__, "WARN_ON(x != 2)", "Increment");
  s.Exit();
}

Program CounterProgram(bool atomic) {
  Program p;
  p.boot = [atomic] {
    g_counter = Counter{};
    g_counter.atomic = atomic;
    TaskId root = sys().Spawn(Increment, nullptr, "T0", 0, &g_unused);
    sys().Spawn(Increment, nullptr, "T1", 1, &g_unused);
    return root;
  };
  return p;
}

SearchOptions Pct(int depth, uint64_t runs) {
  SearchOptions o;
  o.search = Search::kPct;
  o.pct_depth = depth;
  o.executions = runs;
  return o;
}

std::string Notes(const Verdict& v) {
  std::string s = v.message;
  for (const std::string& n : v.notes) s += " | " + n;
  return s;
}

// One search run alone, and PCT at `pct_depth` and DPOR in turn, on the counter program;
// 1000 executions each.
struct AloneAndInTurn {
  Verdict alone;
  PortfolioResult in_turn;
};
AloneAndInTurn RunBoth(bool atomic, const SearchOptions& alone, int pct_depth) {
  Bounds b;
  b.max_executions = 1000;
  return {Explore(CounterProgram(atomic), alone, b),
          PctAndDpor(CounterProgram(atomic), Pct(pct_depth, 1000), SearchOptions{}, b)};
}

// PCT takes the even executions, DPOR the odd ones: a bug that only DPOR reaches, at
// its k-th execution alone, is found at execution 2k, by DPOR, with its own schedule.
TEST(PortfolioTest, DporsFindingComesAtTwiceItsOwnExecutions) {
  auto [alone, r] = RunBoth(false, SearchOptions{}, 1);
  ASSERT_EQ(alone.kind, VerdictKind::kViolation) << Notes(alone);
  ASSERT_EQ(r.verdict.kind, VerdictKind::kViolation) << Notes(r.verdict);
  EXPECT_EQ(r.verdict.oracle, "warn");
  EXPECT_FALSE(r.found_by_pct);
  EXPECT_EQ(r.dpor_executions, alone.executions);
  EXPECT_EQ(r.pct_executions, alone.executions);
  EXPECT_EQ(r.verdict.executions, 2 * alone.executions);
  EXPECT_EQ(r.verdict.schedule, alone.schedule);
  EXPECT_NE(Notes(r.verdict).find("found by DPOR"), std::string::npos) << Notes(r.verdict);
}

// A bug PCT reaches first is PCT's finding, at the same place in PCT's own sequence.
TEST(PortfolioTest, PctsFindingKeepsItsSeedAndExecution) {
  auto [alone, r] = RunBoth(false, Pct(2, 1000), 2);
  ASSERT_EQ(alone.kind, VerdictKind::kViolation) << Notes(alone);
  ASSERT_EQ(r.verdict.kind, VerdictKind::kViolation);
  if (r.found_by_pct) {  // unless DPOR's own earlier executions got there first
    EXPECT_EQ(r.pct_executions, alone.executions);
    EXPECT_EQ(r.verdict.schedule, alone.schedule);
  } else {
    EXPECT_LT(r.dpor_executions, alone.executions);
  }
}

// A tree that DPOR finishes within its share is exhaustive: the search holds there,
// without running the rest of PCT's budget.
TEST(PortfolioTest, DporsCompleteTreeEndsTheSearchAsHolds) {
  auto [alone, r] = RunBoth(true, SearchOptions{}, 3);
  ASSERT_EQ(alone.kind, VerdictKind::kHolds) << Notes(alone);
  EXPECT_EQ(r.verdict.kind, VerdictKind::kHolds) << Notes(r.verdict);
  EXPECT_TRUE(r.verdict.exhaustive);
  EXPECT_EQ(r.dpor_executions, alone.executions);
  EXPECT_LE(r.pct_executions, alone.executions + 1);  // PCT goes first
}

// Neither finds anything and DPOR's share ends first: bound_reached, never holds, with
// both searches' counts.
TEST(PortfolioTest, BudgetsEndWithBoundReachedAndBothCounts) {
  Bounds b;
  b.max_executions = 1;  // DPOR's share: one execution, not its whole tree
  PortfolioResult r = PctAndDpor(CounterProgram(true), Pct(3, 5), SearchOptions{}, b);
  EXPECT_EQ(r.verdict.kind, VerdictKind::kBoundReached) << Notes(r.verdict);
  EXPECT_FALSE(r.verdict.exhaustive);
  EXPECT_EQ(r.pct_executions, 5u);
  EXPECT_EQ(r.dpor_executions, 1u);
  EXPECT_EQ(r.verdict.executions, 6u);
  EXPECT_NE(r.pct_guarantee.find("PCT is not exhaustive"), std::string::npos) << r.pct_guarantee;
  EXPECT_EQ(r.verdict.bound, "max_executions=1");
}

}  // namespace
}  // namespace kt::explore
