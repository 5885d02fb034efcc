// model_exhaustive_test.cc -- the largest state spaces the exact store handles on a
// developer machine, pinned like the fast golden table (tagged "exhaustive": minutes).
#include <gtest/gtest.h>

#include "checker/explicit/explorer.h"
#include "model/model.h"
#include "model/symmetry.h"

namespace kthcheck::model {
namespace {

using explicit_engine::Explore;
using explicit_engine::Options;
using explicit_engine::Result;
using explicit_engine::Verdict;

// Holds, with these counts, on `spec` (the model, or its closure by CPU orbits).
template <class Spec>
void ExpectCounts(const Spec& spec, std::uint64_t stored, std::uint64_t transitions, int depth) {
  Options o;
  o.max_states = 1'000'000'000;
  o.threads = 2;  // the same counts as one thread (parallel_bfs_test)
  Result r = Explore(spec, o);
  EXPECT_EQ(r.verdict, Verdict::kHolds) << r.oracle << " " << r.detail;
  EXPECT_EQ(r.stats.states_stored, stored);
  EXPECT_EQ(r.stats.transitions, transitions);
  EXPECT_EQ(r.stats.depth, depth);
}

// Recorded 2026-11-26: about 50 s and 2 GB on the development machine.
TEST(ModelExhaustiveTest, ThreeCpusTwoCyclesTwoWorkItems) {
  ExpectCounts(SmpbootSpec(Params{3, 2, 2, Variant::kFaithful}), 26747436, 122470327, 142);
}

// Recorded 2026-11-26: about 100 s and 2.8 GB on the development machine.
TEST(ModelExhaustiveTest, FourCpusOneCycleOneWorkItem) {
  ExpectCounts(SmpbootSpec(Params{4, 1, 1, Variant::kFaithful}), 42926827, 217102664, 140);
}

// The any-order closure by CPU orbits (model/symmetry.h): holding there implies holding for
// the model, whose N = 4, H = 2, W = 2 space (about 10^9 states) the exact store cannot
// hold. Recorded 2026-11-27: about 9 s and 0.5 GB.
TEST(ModelExhaustiveTest, ThreeCpusTwoCyclesTwoWorkItemsBySymmetry) {
  ExpectCounts(SymmetricSmpbootSpec(Params{3, 2, 2, Variant::kFaithful}), 7834850, 35127637, 142);
}

// About 139 s and 9.6 GB on two threads (bench/model_symmetry.sh; 340 s and 5.6 GB on one).
TEST(ModelExhaustiveTest, FourCpusTwoCyclesTwoWorkItemsBySymmetry) {
  ExpectCounts(SymmetricSmpbootSpec(Params{4, 2, 2, Variant::kFaithful}), 96453601, 517791286, 169);
}

}  // namespace
}  // namespace kthcheck::model
