// pso_test -- the pso memory model (checker/runtime/store_buffer.h: per-word FIFO lanes)
// on litmus tests written against the seam, each outcome checkable by hand with
// Documentation/memory-barriers.txt and the shapes of tools/memory-model/litmus-tests
// (MP+poonceonces, MP+fencewmbonceonce+fencermbonceonce, MP+pooncerelease+poacquireonce).
//
// Soundness of the reduction with lanes: DPOR must reach every outcome that plain DFS
// reaches, on the litmus tests and on a family of generated programs with smp_wmb(),
// release stores and full barriers; the count test shows the reduction still pays.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "checker/explore/rng.h"
#include "tests/checker/litmus.h"

namespace kt::explore {
namespace {

using namespace litmus;  // NOLINT: the harness is this test's vocabulary

TEST(PsoTest, MessagePassingReordersWithoutABarrier) {
  // "10": T1 sees the new y and then the old x -- T0's stores became visible out of
  // order. TSO forbids it (tso_test); PSO allows it.
  std::set<std::string> want = {"00", "01", "10", "11"};
  for (Search s : {Search::kDpor, Search::kDfs})
    EXPECT_EQ(Outcomes(LitmusProgram(MpT0, MpT1, MemoryModel::kPso), s), want) << SearchName(s);
}

TEST(PsoTest, SmpWmbAndReleaseKeepMessagePassingOrdered) {
  std::set<std::string> want = {"00", "01", "11"};
  for (MpOrder order : {MpOrder::kWmb, MpOrder::kRelease}) {
    Litmus init;
    init.mp = order;
    for (Search s : {Search::kDpor, Search::kDfs})
      EXPECT_EQ(Outcomes(LitmusProgram(MpT0, MpT1, MemoryModel::kPso, init), s), want)
          << SearchName(s) << (order == MpOrder::kWmb ? " smp_wmb" : " release");
  }
}

// T0: smp_store_release(&x, 1); y = 1.   A release orders what comes before it, not
// what comes after: y may still become visible before x ("10").
void ReleaseFirstT0(void*) {
  sys().Store(&g.x, sizeof g.x, 1, Order::kRelease, kFn, "x");
  Store(&g.y, 1, "y");
  Done(&g.done);
  sys().Exit();
}

TEST(PsoTest, LaterStoresMayPassARelease) {
  std::set<std::string> want = {"00", "01", "10", "11"};
  for (Search s : {Search::kDpor, Search::kDfs})
    EXPECT_EQ(Outcomes(LitmusProgram(ReleaseFirstT0, MpT1, MemoryModel::kPso), s), want)
        << SearchName(s);
}

// CoWW + CoRR: T0: x = 1; x = 2.   T1: r0 = x; r1 = x. Stores to one word stay in order
// (one lane), so T1 never reads 2 and then 1.
void CoT0(void*) {
  Store(&g.x, 1, "x");
  Store(&g.x, 2, "x");
  Done(&g.done);
  sys().Exit();
}
void CoT1(void*) {
  g.r0 = Load(&g.x, "x");
  g.r1 = Load(&g.x, "x");
  Done(&g.done);
  sys().Exit();
}

TEST(PsoTest, StoresToOneWordStayInOrder) {
  std::set<std::string> want = {"00", "01", "02", "11", "12", "22"};
  for (Search s : {Search::kDpor, Search::kDfs})
    EXPECT_EQ(Outcomes(LitmusProgram(CoT0, CoT1, MemoryModel::kPso), s), want) << SearchName(s);
}

TEST(PsoTest, StoreBufferingAndForwardingAsUnderTso) {
  std::set<std::string> sb = {"00", "01", "10", "11"};
  std::set<std::string> fwd = {"10", "20"};
  for (Search s : {Search::kDpor, Search::kDfs}) {
    EXPECT_EQ(Outcomes(LitmusProgram(SbT0, SbT1, MemoryModel::kPso), s), sb) << SearchName(s);
    EXPECT_EQ(Outcomes(LitmusProgram(FwdT0, FwdT1, MemoryModel::kPso), s), fwd) << SearchName(s);
  }
}

// MP with a store to a third word on each side: T0: x = 1; y = 1; a = 1.
// T1: r0 = y; b = 1; r1 = x. Under pso y may drain before x ("10").
void Mp3T0(void*) {
  Store(&g.x, 1, "x");
  Store(&g.y, 1, "y");
  Store(&g.a, 1, "a");
  Done(&g.done);
  sys().Exit();
}
void Mp3T1(void*) {
  g.r0 = Load(&g.y, "y");
  Store(&g.b, 1, "b");
  g.r1 = Load(&g.x, "x");
  Done(&g.done);
  sys().Exit();
}

// The reduction still beats plain DFS with lanes as choices (each store, each drain and
// each load a step). The counts are deterministic; the test prints them.
TEST(PsoTest, DporBeatsDfsUnderPso) {
  Verdict dpor, dfs, tso;
  std::set<std::string> a =
      Outcomes(LitmusProgram(Mp3T0, Mp3T1, MemoryModel::kPso), Search::kDpor, &dpor);
  std::set<std::string> b =
      Outcomes(LitmusProgram(Mp3T0, Mp3T1, MemoryModel::kPso), Search::kDfs, &dfs);
  Outcomes(LitmusProgram(Mp3T0, Mp3T1, MemoryModel::kTso), Search::kDpor, &tso);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.count("10"), 1u);
  std::printf("[ counts ] MP with a third word: pso dpor %llu executions, pso dfs "
              "%llu, tso dpor %llu\n",
              static_cast<unsigned long long>(dpor.executions),
              static_cast<unsigned long long>(dfs.executions),
              static_cast<unsigned long long>(tso.executions));
  EXPECT_LT(dpor.executions * 100, dfs.executions);
  EXPECT_GT(dpor.executions, tso.executions);  // the reorderings of the lanes
}

// --- Generated programs: DPOR reaches DFS's outcomes ----------------------------------
//
// Two tasks, on CPU0 and CPU1, each 2-4 operations over four words: a store, a load,
// smp_wmb(), a release store or smp_mb(). Four words can make a task's fourth word share
// a lane with its first (controlled_tso.cc LaneFor); barriers make drains of one lane
// wait for those of others. An outcome is every value loaded and the final memory.
enum class GenKind { kStore, kLoad, kWmb, kRelease, kMb };
struct GenOp {
  GenKind kind;
  int var;
};
struct Gen {
  std::vector<GenOp> ops[2];
  MemoryModel mm = MemoryModel::kPso;
  uint64_t vars[4] = {};
  std::vector<uint64_t> seen[2];
  uint64_t done = 0;
  std::set<std::vector<uint64_t>> outcomes;
};
Gen g_gen;
int g_index[2] = {0, 1};

std::string Text(const Gen& g) {
  const char* names[] = {"S", "L", "wmb", "R", "mb"};
  std::string s;
  for (int t = 0; t < 2; ++t) {
    s += " T" + std::to_string(t) + ":";
    for (const GenOp& op : g.ops[t]) {
      s += std::string(" ") + names[static_cast<int>(op.kind)];
      if (op.kind != GenKind::kWmb && op.kind != GenKind::kMb) s += std::to_string(op.var);
    }
  }
  return s;
}

void GenTask(void* arg) {
  int t = *static_cast<int*>(arg);
  for (size_t k = 0; k < g_gen.ops[t].size(); ++k) {
    const GenOp& op = g_gen.ops[t][k];
    uint64_t* p = &g_gen.vars[op.var];
    uint64_t v = 10 * t + k + 1;
    switch (op.kind) {
      case GenKind::kStore: sys().Store(p, 8, v, Order::kOnce, kFn, "v"); break;
      case GenKind::kRelease: sys().Store(p, 8, v, Order::kRelease, kFn, "v"); break;
      case GenKind::kLoad: g_gen.seen[t].push_back(sys().Load(p, 8, Order::kOnce, kFn, "v")); break;
      case GenKind::kWmb: sys().Fence(Order::kRelease, kFn); break;
      case GenKind::kMb: sys().Fence(Order::kFull, kFn); break;
    }
  }
  Done(&g_gen.done);  // an RMW: drains the task's buffer
  sys().Exit();
}

void GenMain(void*) {
  sys().Spawn(GenTask, &g_index[0], "T0", 0, &g_unused);
  sys().Spawn(GenTask, &g_index[1], "T1", 1, &g_unused);
  const void* watch[] = {&g_gen.done};
  sys().SpinUntil([] { return g_gen.done == 2; }, watch, 1, kFn, "done == 2");
  std::vector<uint64_t> o(g_gen.vars, g_gen.vars + 4);
  for (const auto& l : g_gen.seen) {
    o.push_back(~0ull);
    o.insert(o.end(), l.begin(), l.end());
  }
  g_gen.outcomes.insert(o);
  sys().Exit();
}

std::set<std::vector<uint64_t>> GenOutcomes(const Gen& program, Search search,
                                            bool* exhaustive = nullptr) {
  g_gen = program;
  Program p;
  p.memory_model = program.mm;
  p.boot = [] {
    for (uint64_t& v : g_gen.vars) v = 0;
    for (auto& l : g_gen.seen) l.clear();
    g_gen.done = 0;
    TaskId root;
    sys().Spawn(GenMain, nullptr, "main", 0, &root);
    return root;
  };
  Bounds b;
  b.max_executions = 200000;
  Verdict v = Explore(p, search, b);
  if (exhaustive) *exhaustive = v.kind == VerdictKind::kHolds && v.exhaustive;
  return g_gen.outcomes;
}

// Task 0 mostly stores and barriers, task 1 mostly loads: the shapes (MP, SB, 2+2W)
// where the order of one CPU's stores shows.
Gen Generate(Rng& rng, MemoryModel mm) {
  Gen g;
  g.mm = mm;
  for (int t = 0; t < 2; ++t) {
    g.ops[t].resize(2 + rng.Below(3));
    for (GenOp& op : g.ops[t]) {
      uint64_t k = rng.Below(16);
      GenKind kind = k < (t == 0 ? 8u : 4u) ? GenKind::kStore
                     : k < 12             ? (t == 0 ? GenKind::kWmb : GenKind::kLoad)
                     : k < 14             ? (t == 0 ? GenKind::kRelease : GenKind::kLoad)
                     : k < 15             ? (t == 0 ? GenKind::kLoad : GenKind::kMb)
                                          : GenKind::kMb;
      op = GenOp{kind, static_cast<int>(rng.Below(4))};
    }
  }
  return g;
}

// Compares DPOR with DFS under `mm` on the generated programs, and counts those where
// `mm` reaches an outcome that the stronger model `stronger` does not.
// KT_GENERATED_PROGRAMS overrides how many programs are generated.
void CompareGenerated(MemoryModel mm, MemoryModel stronger, int min_compared) {
  Rng rng(8);
  const char* env = std::getenv("KT_GENERATED_PROGRAMS");
  const int programs = env ? std::atoi(env) : 60;
  int compared = 0, weaker = 0;
  for (int n = 0; n < programs; ++n) {
    Gen g = Generate(rng, mm);
    bool exhaustive = false;
    std::set<std::vector<uint64_t>> dfs = GenOutcomes(g, Search::kDfs, &exhaustive);
    if (!exhaustive) continue;  // DFS cut by max_executions: no reference
    std::set<std::vector<uint64_t>> dpor = GenOutcomes(g, Search::kDpor);
    EXPECT_EQ(dpor, dfs) << rt::MemoryModelName(mm) << " program " << n << ":" << Text(g);
    Gen s = g;
    s.mm = stronger;
    if (GenOutcomes(s, Search::kDfs) != dfs) ++weaker;
    ++compared;
  }
  std::printf("[ counts ] %s: %d programs compared, %d with outcomes %s lacks\n",
              rt::MemoryModelName(mm), compared, weaker, rt::MemoryModelName(stronger));
  EXPECT_GE(compared, min_compared);
  EXPECT_GT(weaker, 0);  // the family does exercise what the weaker model allows
}

TEST(PsoTest, DporReachesTheOutcomesOfDfsOnGeneratedProgramsUnderPso) {
  CompareGenerated(MemoryModel::kPso, MemoryModel::kTso, 45);
}

TEST(PsoTest, DporReachesTheOutcomesOfDfsOnGeneratedProgramsUnderTso) {
  CompareGenerated(MemoryModel::kTso, MemoryModel::kSc, 45);
}

}  // namespace
}  // namespace kt::explore
