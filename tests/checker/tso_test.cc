// tso_test -- the tso memory model (checker/runtime/store_buffer.h) on litmus tests
// written against the seam, with every outcome checkable by hand (x86-TSO: Sewell et
// al., CACM 2010; the same shapes as tools/memory-model/litmus-tests SB+*, MP+*).
//
// Soundness of the reduction with store buffers: DPOR must reach every outcome that
// plain DFS reaches (drains are the visible writes, op.h), and the count test shows the
// reduction still pays.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "tests/checker/litmus.h"

namespace kt::explore {
namespace {

using namespace litmus;  // NOLINT: the harness is this test's vocabulary

TEST(TsoTest, StoreBufferingBothZeroOnlyUnderTso) {
  std::set<std::string> sc = {"01", "10", "11"};
  std::set<std::string> tso = {"00", "01", "10", "11"};
  for (Search s : {Search::kDpor, Search::kDfs}) {
    EXPECT_EQ(Outcomes(LitmusProgram(SbT0, SbT1, MemoryModel::kSc), s), sc) << SearchName(s);
    EXPECT_EQ(Outcomes(LitmusProgram(SbT0, SbT1, MemoryModel::kTso), s), tso) << SearchName(s);
  }
}

TEST(TsoTest, FullBarriersForbidStoreBufferingOutcome) {
  Litmus init;
  init.fence = true;
  std::set<std::string> want = {"01", "10", "11"};
  for (Search s : {Search::kDpor, Search::kDfs})
    EXPECT_EQ(Outcomes(LitmusProgram(SbT0, SbT1, MemoryModel::kTso, init), s), want)
        << SearchName(s);
}

TEST(TsoTest, MessagePassingStaysOrdered) {
  // "10" (new y, old x) would need the stores or the loads to reorder: never on TSO.
  std::set<std::string> want = {"00", "01", "11"};
  for (Search s : {Search::kDpor, Search::kDfs})
    EXPECT_EQ(Outcomes(LitmusProgram(MpT0, MpT1, MemoryModel::kTso), s), want) << SearchName(s);
}

TEST(TsoTest, LoadsForwardFromTheirOwnBuffer) {
  // The drain of T0's store and T0's forwarding load must be ordered by the search:
  // without that dependence DPOR misses "20" (T0 reads T1's later store from memory).
  std::set<std::string> want = {"10", "20"};
  for (Search s : {Search::kDpor, Search::kDfs})
    EXPECT_EQ(Outcomes(LitmusProgram(FwdT0, FwdT1, MemoryModel::kTso), s), want) << SearchName(s);
}

// The reduction still beats plain DFS with drains as choices. SB with 2 stores per
// thread (each store, each drain and each load a step): measured 18 DPOR executions
// against 85800 for DFS; the counts are deterministic.
TEST(TsoTest, DporBeatsDfsUnderTso) {
  Litmus init;
  init.stores = 2;
  Verdict dpor, dfs;
  std::set<std::string> a = Outcomes(LitmusProgram(SbT0, SbT1, MemoryModel::kTso, init),
                                     Search::kDpor, &dpor);
  std::set<std::string> b = Outcomes(LitmusProgram(SbT0, SbT1, MemoryModel::kTso, init),
                                     Search::kDfs, &dfs);
  EXPECT_EQ(a, b);
  std::printf("[ counts ] SB, 2 stores per thread, tso: dpor %llu executions, dfs %llu\n",
              static_cast<unsigned long long>(dpor.executions),
              static_cast<unsigned long long>(dfs.executions));
  EXPECT_EQ(dpor.executions, 18u);
  EXPECT_EQ(dfs.executions, 85800u);
}

}  // namespace
}  // namespace kt::explore
