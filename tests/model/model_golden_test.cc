// model_golden_test.cc -- exact state-space counts of the faithful smpboot hotplug model
// (GenMC-style golden numbers, STYLE.md 3.7).  A change to the model that changes any count
// must update this table on purpose, with the reason in the commit message.
#include <gtest/gtest.h>

#include "checker/explicit/explorer.h"
#include "model/model.h"

namespace kthcheck::model {
namespace {

using explicit_engine::Explore;
using explicit_engine::Options;
using explicit_engine::Result;
using explicit_engine::SearchOrder;
using explicit_engine::StoreMode;
using explicit_engine::Verdict;

struct Golden {
  int cpus, hotplug, work;
  std::uint64_t stored, matched, transitions;
  int depth;  // BFS levels = the longest shortest path
};

// Recorded 2026-11-26 (BFS, exact store).  transitions = stored + matched - 1 always.
constexpr Golden kGolden[] = {
    {1, 0, 0, 111, 65, 175, 30},
    {1, 1, 1, 1541, 1749, 3289, 57},
    {2, 1, 1, 66809, 142852, 209660, 86},
    {3, 1, 1, 1856726, 5762849, 7619574, 113},
    {2, 2, 2, 521392, 1328470, 1849861, 113},
};

TEST(ModelGoldenTest, BfsCountsMatchGoldenTable) {
  for (const Golden& g : kGolden) {
    SCOPED_TRACE("N=" + std::to_string(g.cpus) + " H=" + std::to_string(g.hotplug) +
                 " W=" + std::to_string(g.work));
    SmpbootSpec spec(Params{g.cpus, g.hotplug, g.work, Variant::kFaithful});
    Result r = Explore(spec, Options{});
    EXPECT_EQ(r.verdict, Verdict::kHolds) << r.oracle << " " << r.detail;
    EXPECT_EQ(r.stats.states_stored, g.stored);
    EXPECT_EQ(r.stats.states_matched, g.matched);
    EXPECT_EQ(r.stats.transitions, g.transitions);
    EXPECT_EQ(r.stats.depth, g.depth);
  }
}

// The store mode and the search order must not change which states are reachable.
TEST(ModelGoldenTest, DfsAndFingerprintStoreTheSameStates) {
  const Golden& g = kGolden[2];
  SmpbootSpec spec(Params{g.cpus, g.hotplug, g.work, Variant::kFaithful});
  for (auto order : {SearchOrder::kBfs, SearchOrder::kDfs}) {
    for (auto store : {StoreMode::kExact, StoreMode::kFingerprint}) {
      Options o;
      o.order = order;
      o.store = store;
      Result r = Explore(spec, o);
      EXPECT_EQ(r.verdict, Verdict::kHolds);
      EXPECT_EQ(r.stats.states_stored, g.stored);
      EXPECT_EQ(r.stats.transitions, g.transitions);
    }
  }
}

// Pack() must be injective on reachable states, or the exact store would merge states.
TEST(ModelGoldenTest, PackRoundTripsOnInitialStates) {
  for (int n = 1; n <= kMaxCpus; ++n) {
    Params p{n, 2, 3, Variant::kFaithful};
    State s = InitialState(p);
    EXPECT_TRUE(Unpack(Pack(s)) == s);
    EXPECT_EQ(PrintState(p, Unpack(Pack(s))), PrintState(p, s));
  }
}

// Bitstate DFS with a roomy array (hash factor ~4000) visits the same states.  The hash is
// fixed, so this is deterministic, not a probabilistic test.
TEST(ModelGoldenTest, BitstateVisitsTheSameStates) {
  const Golden& g = kGolden[2];
  SmpbootSpec spec(Params{g.cpus, g.hotplug, g.work, Variant::kFaithful});
  Options o;
  o.store = StoreMode::kBitstate;
  o.bitstate_log2_bits = 28;
  Result r = Explore(spec, o);
  EXPECT_EQ(r.verdict, Verdict::kHolds);
  EXPECT_EQ(r.stats.states_stored, g.stored);
  EXPECT_EQ(r.stats.transitions, g.transitions);
}

// Every run of the faithful model is finite: with no cycles, and no state without
// successors except valid ends (the hang oracle), no wait can last forever, livelock
// included.  (proofs/ proves deadlock freedom for any N; acyclicity is checked here.)
TEST(ModelGoldenTest, FaithfulStateSpacesAreAcyclic) {
  for (Params p : {Params{1, 2, 2, Variant::kFaithful}, Params{2, 1, 1, Variant::kFaithful},
                   Params{2, 2, 2, Variant::kFaithful}}) {
    SmpbootSpec spec(p);
    Options o;
    o.detect_cycles = true;
    Result r = Explore(spec, o);
    EXPECT_EQ(r.verdict, Verdict::kHolds) << r.oracle << " N=" << p.cpus;
  }
}

// Repack() (the engine's fast path) must equal Pack() of the full successor.
TEST(ModelGoldenTest, RepackEqualsPackAlongARun) {
  Params p{4, 2, 2, Variant::kFaithful};
  State s = InitialState(p);
  for (int step = 0; step < 200; ++step) {
    std::vector<State> next;
    ForEachStep(p, s, [&](ActionInstance a, const Shared& ns, const Cpu& nt) {
      State n = s;
      n.shared = ns;
      n.cpu[a.cpu] = nt;
      EXPECT_TRUE(Repack(Pack(s), ns, a.cpu, nt) == Pack(n));
      next.push_back(n);
    });
    if (next.empty()) break;
    s = next[(step * 7) % next.size()];  // a deterministic zig-zag through the interleavings
  }
}

}  // namespace
}  // namespace kthcheck::model
