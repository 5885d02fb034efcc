// strategies_test -- the bounded, random, PCT and fair searches (checker/explore) on toy
// programs written against the seam, where every probability and count can be worked
// out by hand. Seeds are fixed; each test states the probability that its seed could
// have missed, and prints the seed when it fails.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "checker/explore/explorer.h"
#include "checker/explore/rng.h"
#include "impl/platform/seam.h"

namespace kt::explore {
namespace {

constexpr const char* kFn = "toy";

uint64_t Load(const uint64_t* p, const char* what) {
  return sys().Load(p, sizeof *p, Order::kOnce, kFn, what);
}
void Store(uint64_t* p, uint64_t v, const char* what) {
  sys().Store(p, sizeof *p, v, Order::kOnce, kFn, what);
}
uint64_t FetchAdd(uint64_t* p, uint64_t v, const char* what) {
  return sys().ReadModifyWrite(p, sizeof *p, Rmw::kFetchAdd, v, 0, Order::kFull, kFn, what);
}
TaskId g_unused;

std::string Describe(const Verdict& v) {
  std::string s = std::string(VerdictName(v.kind)) + " oracle='" + v.oracle + "' bound='" +
                  v.bound + "' executions=" + std::to_string(v.executions) + " " + v.message;
  for (const std::string& d : v.details) s += "\n    " + d;
  for (const std::string& n : v.notes) s += "\n    note: " + n;
  return s;
}

// --- Lost update -------------------------------------------------------------------------
//
// T0 and T1 (spawned at boot, T0 the root) each run: start, Load(x), Store(x, v+1),
// FetchAdd(done); the one that finishes second loads x and WARNs unless x == 2. The
// update is lost iff both loads come before either store.
//
// Under uniform random scheduling, while both tasks still have a step before their
// store, each step is T0's or T1's with probability 1/2; the bug needs the first four
// steps to be two of each (s, L of both, in any order): p = C(4,2)/2^4 = 3/8 per run.
struct Lost {
  uint64_t x = 0;
  uint64_t done = 0;
};
Lost g_lost;

void LostIncrement(void*) {
  uint64_t v = Load(&g_lost.x, "x");
  Store(&g_lost.x, v + 1, "x");
  if (FetchAdd(&g_lost.done, 1, "done") == 1 && Load(&g_lost.x, "x") != 2)
    sys().Warn(__FILE__, __LINE__, "WARN_ON(x != 2)", "LostIncrement");
  sys().Exit();
}

Program LostUpdate(int cpu_of_t1) {
  Program p;
  p.boot = [cpu_of_t1] {
    g_lost = Lost{};
    TaskId root = sys().Spawn(LostIncrement, nullptr, "T0", 0, &g_unused);
    sys().Spawn(LostIncrement, nullptr, "T1", cpu_of_t1, &g_unused);
    return root;
  };
  return p;
}

TEST(RandomSearchTest, FindsLostUpdateWithStatedProbability) {
  // p = 3/8 per run (above): 20 runs all miss with probability (5/8)^20 < 1e-4.
  SearchOptions o;
  o.search = Search::kRandom;
  o.seed = 1;
  o.executions = 20;
  Verdict v = Explore(LostUpdate(1), o, Bounds{});
  EXPECT_EQ(v.kind, VerdictKind::kViolation) << "seed " << o.seed << ": " << Describe(v);
  EXPECT_EQ(v.oracle, "warn");
  ASSERT_FALSE(v.notes.empty());
  EXPECT_NE(v.notes.back().find("seed 1"), std::string::npos) << v.notes.back();
}

TEST(RandomSearchTest, NeverClaimsHoldsAndIsReproducibleFromItsSeed) {
  // The atomic-free increment of a private word cannot fail: no finding, and the
  // verdict is bound_reached (executions=50), never holds.
  Program p;
  p.boot = [] { return sys().Spawn([](void*) { sys().Exit(); }, nullptr, "T0", 0, &g_unused); };
  SearchOptions o;
  o.search = Search::kRandom;
  o.executions = 50;
  Verdict v = Explore(p, o, Bounds{});
  EXPECT_EQ(v.kind, VerdictKind::kBoundReached) << Describe(v);
  EXPECT_EQ(v.bound, "executions=50");
  EXPECT_FALSE(v.exhaustive);
  EXPECT_NE(v.message.find("not exhaustive"), std::string::npos) << v.message;

  // Same seed, same first finding.
  o.executions = 1000;
  for (uint64_t seed : {7u, 8u}) {
    o.seed = seed;
    Verdict a = Explore(LostUpdate(1), o, Bounds{});
    Verdict b = Explore(LostUpdate(1), o, Bounds{});
    EXPECT_EQ(a.schedule, b.schedule) << "seed " << seed;
    EXPECT_EQ(a.executions, b.executions) << "seed " << seed;
  }
}

TEST(PctSearchTest, FindsDepthTwoLostUpdateWithStatedProbability) {
  // The lost update has depth 2: PCT at depth 1 runs the higher-priority task to its
  // end and never loses it. At depth 2 (one change point), n = 2 tasks and k <= 10 steps
  // (5 per task), so each run after the first finds it with p >= 1/(n k) = 1/20
  // (ASPLOS'10, Theorem 1); 200 runs all miss with probability <= (19/20)^199 < 4e-5.
  SearchOptions o;
  o.search = Search::kPct;
  o.seed = 1;
  o.executions = 200;
  o.pct_depth = 1;
  Verdict d1 = Explore(LostUpdate(1), o, Bounds{});
  EXPECT_EQ(d1.kind, VerdictKind::kBoundReached) << Describe(d1);
  EXPECT_NE(d1.message.find("PCT is not exhaustive"), std::string::npos) << d1.message;
  o.pct_depth = 2;
  Verdict d2 = Explore(LostUpdate(1), o, Bounds{});
  EXPECT_EQ(d2.kind, VerdictKind::kViolation) << "seed " << o.seed << ": " << Describe(d2);
  EXPECT_EQ(d2.oracle, "warn");
}

// --- Bounded search ----------------------------------------------------------------------
//
// With both tasks on CPU 0, the lost update needs exactly one preemption: T0 loads, is
// preempted by T1 (which runs to its end: no second preemption), then T0 stores.
TEST(BoundedSearchTest, ReportsTheBoundAtWhichTheLostUpdateAppears) {
  Verdict v = Explore(LostUpdate(/*cpu_of_t1=*/0), Search::kBounded, Bounds{});
  EXPECT_EQ(v.kind, VerdictKind::kViolation) << Describe(v);
  EXPECT_EQ(v.preemptions, 1) << Describe(v);
  ASSERT_FALSE(v.notes.empty());
  EXPECT_NE(v.notes.back().find("preemption bound 1"), std::string::npos) << v.notes.back();

  Bounds zero;
  zero.max_preemptions = 0;
  Verdict none = Explore(LostUpdate(0), Search::kBounded, zero);
  EXPECT_EQ(none.kind, VerdictKind::kBoundReached) << Describe(none);
  EXPECT_EQ(none.bound, "max_preemptions=0");
}

// Three racy increments (start, Load, Store) on one CPU. An outcome is what each task
// loaded plus the final value. With no preemption each task runs to its end once it
// starts, in any of the 3! = 6 orders, so bound 0 has 6 outcomes (each task loads the
// number of tasks before it). Bounded DPOR (with conservative BPOR backtracking) must
// reach exactly the outcomes that bounded plain DFS reaches, at every bound.
struct Racy {
  uint64_t x = 0;
  uint64_t loaded[3] = {};
  int stores = 0;  // executions cut by the bound end before all three stored
  bool started = false;
  std::set<std::vector<uint64_t>> outcomes;
  void Record() {
    if (stores == 3) outcomes.insert({loaded[0], loaded[1], loaded[2], x});
  }
};
Racy g_racy;
int g_index[3] = {0, 1, 2};

void RacyIncrement(void* arg) {
  int i = *static_cast<int*>(arg);
  g_racy.loaded[i] = Load(&g_racy.x, "x");
  Store(&g_racy.x, g_racy.loaded[i] + 1, "x");
  ++g_racy.stores;
  sys().Exit();
}

std::set<std::vector<uint64_t>> Outcomes(Search search, int bound) {
  g_racy = Racy{};
  Program p;
  p.boot = [] {
    if (g_racy.started) g_racy.Record();
    g_racy.started = true;
    g_racy.x = 0;
    g_racy.stores = 0;
    TaskId root = sys().Spawn(RacyIncrement, &g_index[0], "T0", 0, &g_unused);
    sys().Spawn(RacyIncrement, &g_index[1], "T1", 0, &g_unused);
    sys().Spawn(RacyIncrement, &g_index[2], "T2", 0, &g_unused);
    return root;
  };
  Bounds b;
  b.max_preemptions = bound;
  Explore(p, search, b);
  g_racy.Record();
  return g_racy.outcomes;
}

// Measured: 6, 15, 16, 16 outcomes at bounds 0..3 (two lost updates need 2 preemptions).
// DPOR with plain sleep sets and backtracking under the same bound reached 1, 6, 13 and
// 16 (at bound 0 only T0, T1, T2: under T1-first its sleep set put T0 to sleep, because
// T0-first was explored -- but there the equivalent order costs a preemption that bound
// 0 cuts); dpor.h describes the two fixes.
TEST(BoundedSearchTest, ReachesTheOutcomesOfBoundedDfsAtEveryBound) {
  const size_t expected[] = {6, 15, 16, 16};
  for (int c = 0; c <= 3; ++c) {
    std::set<std::vector<uint64_t>> dfs = Outcomes(Search::kDfs, c);
    EXPECT_EQ(dfs.size(), expected[c]) << "bound " << c;
    EXPECT_EQ(Outcomes(Search::kBounded, c), dfs) << "bounded, bound " << c;
    EXPECT_EQ(Outcomes(Search::kDpor, c), dfs) << "dpor --max-preemptions=" << c;
  }
}

// Store buffering and a reader, all on one CPU: T0: x = 1, r0 = y; T1: y = 1, r1 = x;
// T2: r2 = x, r3 = y, r4 = x. The same check with two variables and more races.
struct Sb {
  uint64_t x = 0, y = 0;
  uint64_t r[5] = {};
  int finished = 0;
  bool started = false;
  std::set<std::vector<uint64_t>> outcomes;
  void Record() {
    if (finished == 3) outcomes.insert(std::vector<uint64_t>(r, r + 5));
  }
};
Sb g_sb;

void SbWriter(void* arg) {
  bool first = arg != nullptr;
  Store(first ? &g_sb.x : &g_sb.y, 1, first ? "x" : "y");
  g_sb.r[first ? 0 : 1] = Load(first ? &g_sb.y : &g_sb.x, first ? "y" : "x");
  ++g_sb.finished;
  sys().Exit();
}

void SbReader(void*) {
  g_sb.r[2] = Load(&g_sb.x, "x");
  g_sb.r[3] = Load(&g_sb.y, "y");
  g_sb.r[4] = Load(&g_sb.x, "x");
  ++g_sb.finished;
  sys().Exit();
}

std::set<std::vector<uint64_t>> SbOutcomes(Search search, int bound) {
  g_sb = Sb{};
  Program p;
  p.boot = [] {
    if (g_sb.started) g_sb.Record();
    std::set<std::vector<uint64_t>> keep = std::move(g_sb.outcomes);
    g_sb = Sb{};
    g_sb.outcomes = std::move(keep);
    g_sb.started = true;
    TaskId root = sys().Spawn(SbWriter, &g_sb, "T0", 0, &g_unused);
    sys().Spawn(SbWriter, nullptr, "T1", 0, &g_unused);
    sys().Spawn(SbReader, nullptr, "T2", 0, &g_unused);
    return root;
  };
  Bounds b;
  b.max_preemptions = bound;
  Explore(p, search, b);
  g_sb.Record();
  return g_sb.outcomes;
}

TEST(BoundedSearchTest, ReachesTheOutcomesOfBoundedDfsWithTwoVariables) {
  size_t previous = 0;
  for (int c = 0; c <= 4; ++c) {
    std::set<std::vector<uint64_t>> dfs = SbOutcomes(Search::kDfs, c);
    EXPECT_GE(dfs.size(), previous);
    previous = dfs.size();
    EXPECT_EQ(SbOutcomes(Search::kBounded, c), dfs) << "bounded, bound " << c;
    EXPECT_EQ(SbOutcomes(Search::kDpor, c), dfs) << "dpor --max-preemptions=" << c;
    std::printf("[ counts ] two variables, bound %d: %zu outcomes\n", c, dfs.size());
  }
  EXPECT_EQ(SbOutcomes(Search::kDpor, -1), SbOutcomes(Search::kDfs, -1));
}

// Generated programs: 3 tasks of 2-4 loads and stores over 2 words, every task on CPU 0
// or the tasks spread over two CPUs. An outcome is every loaded value plus the final
// words. For each program and bound, bounded DPOR and dpor --max-preemptions must reach
// exactly the outcomes of bounded plain DFS (which runs every schedule within the bound).
struct GenOp {
  bool store;
  int var;
};
struct Gen {
  std::vector<std::vector<GenOp>> tasks;
  std::vector<int> cpus;
  uint64_t vars[2] = {};
  std::vector<uint64_t> loads[3];
  int finished = 0;
  bool started = false;
  std::set<std::vector<uint64_t>> outcomes;
  void Record() {
    if (finished != 3) return;
    std::vector<uint64_t> o = {vars[0], vars[1]};
    for (const auto& l : loads) o.insert(o.end(), l.begin(), l.end());
    outcomes.insert(o);
  }
};
Gen g_gen;

void GenTask(void* arg) {
  int t = *static_cast<int*>(arg);
  for (size_t k = 0; k < g_gen.tasks[t].size(); ++k) {
    const GenOp& op = g_gen.tasks[t][k];
    if (op.store)
      Store(&g_gen.vars[op.var], 10 * t + k + 1, "v");
    else
      g_gen.loads[t].push_back(Load(&g_gen.vars[op.var], "v"));
  }
  ++g_gen.finished;
  sys().Exit();
}

std::set<std::vector<uint64_t>> GenOutcomes(const Gen& program, Search search, int bound) {
  g_gen = program;
  Program p;
  p.boot = [] {
    if (g_gen.started) g_gen.Record();
    g_gen.started = true;
    g_gen.vars[0] = g_gen.vars[1] = 0;
    for (auto& l : g_gen.loads) l.clear();
    g_gen.finished = 0;
    TaskId root = kNoTask;
    for (int t = 0; t < 3; ++t) {
      TaskId id = sys().Spawn(GenTask, &g_index[t], "T", g_gen.cpus[t], &g_unused);
      if (t == 0) root = id;
    }
    return root;
  };
  Bounds b;
  b.max_preemptions = bound;
  Explore(p, search, b);
  g_gen.Record();
  return g_gen.outcomes;
}

TEST(BoundedSearchTest, ReachesTheOutcomesOfBoundedDfsOnGeneratedPrograms) {
  Rng rng(2024);
  int compared = 0;
  const int programs = std::getenv("KT_GENERATED_PROGRAMS") ? std::atoi(std::getenv("KT_GENERATED_PROGRAMS")) : 150;
  for (int n = 0; n < programs; ++n) {
    Gen g;
    for (int t = 0; t < 3; ++t) {
      std::vector<GenOp> ops(2 + rng.Below(3));
      for (GenOp& op : ops) op = GenOp{rng.Below(2) == 0, static_cast<int>(rng.Below(2))};
      g.tasks.push_back(ops);
    }
    g.cpus = n % 3 == 0 ? std::vector<int>{0, 1, 0} : std::vector<int>{0, 0, 0};
    for (int c = 0; c <= 2 + (programs > 150); ++c) {
      std::set<std::vector<uint64_t>> dfs = GenOutcomes(g, Search::kDfs, c);
      ASSERT_EQ(GenOutcomes(g, Search::kBounded, c), dfs) << "program " << n << ", bound " << c;
      ASSERT_EQ(GenOutcomes(g, Search::kDpor, c), dfs) << "program " << n << ", bound " << c;
      ++compared;
    }
  }
  if (programs == 150) EXPECT_EQ(compared, 450);
}

// --- Fair search and the livelock oracle --------------------------------------------------
//
// main starts a poller and sleeps until the poller wakes it; the poller spins on `flag`
// (loads in a loop, never sleeping) and wakes main once it sees the flag. Buggy: main
// sets the flag only after it has been woken, so the poller spins forever while main
// starves: a livelock. Fixed: main sets the flag first. Under DPOR, which is free to
// never run main again, the fixed program also spins until max_steps.
struct Poll {
  uint64_t flag = 0;
  bool fixed = false;
  TaskId main = kNoTask;
};
Poll g_poll;

void Poller(void*) {
  while (Load(&g_poll.flag, "flag") == 0) {
  }
  sys().MakeRunnable(g_poll.main, 0);
  sys().Exit();
}

void PollMain(void*) {
  sys().Spawn(Poller, nullptr, "poller", 1, &g_unused);
  if (g_poll.fixed) Store(&g_poll.flag, 1, "flag");
  WaitInfo w;
  w.what = "wait_for_poller";
  sys().Block(w);
  if (!g_poll.fixed) Store(&g_poll.flag, 1, "flag");
  sys().Exit();
}

Program PollProgram(bool fixed) {
  Program p;
  p.boot = [fixed] {
    g_poll = Poll{};
    g_poll.fixed = fixed;
    return sys().Spawn(PollMain, nullptr, "main", 0, &g_poll.main);
  };
  return p;
}

TEST(FairSearchTest, FindsLivelockAndItReplays) {
  SearchOptions o;
  o.search = Search::kFair;
  o.executions = 10;
  Bounds b;
  b.livelock_steps = 100;
  Verdict v = Explore(PollProgram(false), o, b);
  ASSERT_EQ(v.kind, VerdictKind::kViolation) << Describe(v);
  EXPECT_EQ(v.oracle, "livelock") << Describe(v);
  EXPECT_NE(v.message.find("poller ran"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("main starved"), std::string::npos) << v.message;
  // Every run livelocks (main never sets the flag before it is woken): the first does.
  EXPECT_EQ(v.executions, 1u);

  Replayed r = Replay(PollProgram(false), v.schedule, b);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.verdict.oracle, "livelock");
}

TEST(FairSearchTest, FixedPollerIsNoLivelockButUnfairDporOnlyReachesTheStepBound) {
  SearchOptions o;
  o.search = Search::kFair;
  o.executions = 200;
  Bounds b;
  b.livelock_steps = 100;
  b.max_steps = 2000;
  Verdict fair = Explore(PollProgram(true), o, b);
  EXPECT_EQ(fair.kind, VerdictKind::kBoundReached) << Describe(fair);
  EXPECT_EQ(fair.bound, "executions=200");

  Verdict dpor = Explore(PollProgram(true), Search::kDpor, b);
  EXPECT_EQ(dpor.kind, VerdictKind::kBoundReached) << Describe(dpor);
  EXPECT_EQ(dpor.bound, "max_steps=2000") << Describe(dpor);
  EXPECT_TRUE(dpor.oracle.empty()) << "the livelock oracle needs a fair strategy";
}

}  // namespace
}  // namespace kt::explore
