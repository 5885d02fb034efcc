// parallel_bfs_test.cc -- BFS on several threads (checker/explicit/parallel_bfs.h) gives
// the result of one thread: counts, verdict and the very same shortest trace, on toy specs
// and on the smpboot model with every variant.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checker/explicit/explorer.h"
#include "model/model.h"
#include "tests/model/toy_specs.h"

namespace kthcheck::explicit_engine {
namespace {

Options Threads(int n) {
  Options o;
  o.threads = n;
  return o;
}

std::vector<std::string> Actions(const Result& r) {
  std::vector<std::string> out;
  for (const TraceStep& s : r.trace) out.push_back(s.action + " " + s.state);
  return out;
}

void ExpectSameResult(const Result& one, const Result& many) {
  EXPECT_EQ(VerdictName(one.verdict), VerdictName(many.verdict));
  EXPECT_EQ(one.oracle, many.oracle);
  EXPECT_EQ(one.detail, many.detail);
  EXPECT_EQ(Actions(one), Actions(many));
  if (one.verdict == Verdict::kHolds) {
    EXPECT_EQ(one.stats.states_stored, many.stats.states_stored);
    EXPECT_EQ(one.stats.states_matched, many.stats.states_matched);
    EXPECT_EQ(one.stats.transitions, many.stats.transitions);
    EXPECT_EQ(one.stats.depth, many.stats.depth);
  }
}

// Levels of the 300 x 300 grid are up to 301 states wide, so several threads share them.
TEST(ParallelBfsTest, GridCountsMatchTheClosedForm) {
  GridSpec spec;
  spec.k = 300;
  for (int threads : {2, 4}) {
    Result r = Explore(spec, Threads(threads));
    ASSERT_EQ(r.verdict, Verdict::kHolds);
    const std::uint64_t k = 300;
    EXPECT_EQ(r.stats.states_stored, (k + 1) * (k + 1));
    EXPECT_EQ(r.stats.transitions, 2 * k * (k + 1));
    EXPECT_EQ(r.stats.states_matched, 2 * k * (k + 1) - (k + 1) * (k + 1) + 1);
    EXPECT_EQ(r.stats.depth, 2 * 300);
  }
}

// Many states of the violating level are bad: the one reported, and its path, must be
// the first in sequential BFS order, whatever the threads' timing.
TEST(ParallelBfsTest, ReportsTheViolationAndTraceOfSequentialBfs) {
  GridSpec spec;
  spec.k = 300;
  spec.bad_sum = 400;
  Result one = Explore(spec, Options{});
  ASSERT_EQ(one.verdict, Verdict::kViolation);
  for (int rep = 0; rep < 5; ++rep) ExpectSameResult(one, Explore(spec, Threads(3)));
}

TEST(ParallelBfsTest, TerminalOracleAndBoundsAsInOneThread) {
  GridSpec deadlock;
  deadlock.k = 200;
  deadlock.corner_is_deadlock = true;
  ExpectSameResult(Explore(deadlock, Options{}), Explore(deadlock, Threads(2)));

  GridSpec big;
  big.k = 300;
  Options o = Threads(2);
  o.max_states = 5000;
  Result r = Explore(big, o);
  EXPECT_EQ(r.verdict, Verdict::kBoundReached);
  EXPECT_NE(r.bound_message.find("max_states=5000"), std::string::npos);
  // Workers count new states in batches of 256, so the search may pass the bound by that
  // much per thread before it stops.
  EXPECT_LT(r.stats.states_stored, 5000u + 2 * 256 + 2 * 301);
  o.max_states = 100'000'000;
  o.max_depth = 50;
  EXPECT_EQ(Explore(big, o).verdict, Verdict::kBoundReached);
}

TEST(ParallelBfsTest, SmpbootModelFaithfulCountsAsOneThread) {
  model::SmpbootSpec spec(model::Params{2, 1, 1, model::Variant::kFaithful});
  Result one = Explore(spec, Options{});
  ASSERT_EQ(one.verdict, Verdict::kHolds);
  ExpectSameResult(one, Explore(spec, Threads(2)));
  ExpectSameResult(one, Explore(spec, Threads(4)));
}

TEST(ParallelBfsTest, SmpbootModelVariantsGiveTheSameShortestTrace) {
  for (const model::VariantInfo& v : model::Variants()) {
    SCOPED_TRACE(v.name);
    model::SmpbootSpec spec(model::VariantParams(v));
    Result one = Explore(spec, Options{});
    EXPECT_EQ(one.verdict, Verdict::kViolation);
    ExpectSameResult(one, Explore(spec, Threads(2)));
  }
}

}  // namespace
}  // namespace kthcheck::explicit_engine
