// model_exhaustive_test.cc -- the largest state spaces the exact store handles on a
// developer machine, pinned like the fast golden table (tagged "exhaustive": minutes).
#include <gtest/gtest.h>

#include "checker/explicit/explorer.h"
#include "model/model.h"

namespace kthcheck::model {
namespace {

using explicit_engine::Explore;
using explicit_engine::Options;
using explicit_engine::Result;
using explicit_engine::Verdict;

void ExpectCounts(Params p, std::uint64_t stored, std::uint64_t transitions, int depth) {
  SmpbootSpec spec(p);
  Result r = Explore(spec, Options{});
  EXPECT_EQ(r.verdict, Verdict::kHolds) << r.oracle << " " << r.detail;
  EXPECT_EQ(r.stats.states_stored, stored);
  EXPECT_EQ(r.stats.transitions, transitions);
  EXPECT_EQ(r.stats.depth, depth);
}

// Recorded 2026-11-26: about 50 s and 2 GB on the development machine.
TEST(ModelExhaustiveTest, ThreeCpusTwoCyclesTwoWorkItems) {
  ExpectCounts(Params{3, 2, 2, Variant::kFaithful}, 26747436, 122470327, 142);
}

// Recorded 2026-11-26: about 100 s and 2.8 GB on the development machine.
TEST(ModelExhaustiveTest, FourCpusOneCycleOneWorkItem) {
  ExpectCounts(Params{4, 1, 1, Variant::kFaithful}, 42926827, 217102664, 140);
}

}  // namespace
}  // namespace kthcheck::model
