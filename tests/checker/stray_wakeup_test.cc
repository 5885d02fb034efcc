// stray_wakeup_test -- spurious-wakeup injection (RunOptions::stray_wakeups) on toy
// programs written against the seam.
//
// A sleep marked WaitInfo::stray_wakeups may end by an injected stray wakeup (Block
// returns false) at any scheduling point, up to K times per execution. Such a step is
// no reordering that a race asks for, so DPOR branches on it at every node where it is
// offered and relies on sleep sets to skip the positions where it commutes with
// everything in between (dpor.cc). These tests check that reasoning against plain DFS,
// which tries every stray at every point: both must reach the same outcomes.
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
TaskId g_unused;

uint64_t Load(const uint64_t* p, const char* what) {
  return sys().Load(p, sizeof *p, Order::kOnce, kFn, what);
}
void Store(uint64_t* p, uint64_t v, const char* what) {
  sys().Store(p, sizeof *p, v, Order::kOnce, kFn, what);
}

WaitInfo StrayableWait() {
  WaitInfo w;
  w.what = "toy_wait";
  w.state = "TASK_UNINTERRUPTIBLE";
  w.stray_wakeups = true;
  return w;
}

std::string Describe(const Verdict& v) {
  return std::string(VerdictName(v.kind)) + " oracle='" + v.oracle + "' executions=" +
         std::to_string(v.executions) + " " + v.message;
}

// --- A flag, a wakeup, and a waiter that tests once or in a loop ----------------------
//
// main spawns the setter and waits for `flag`: set_current_state-like test, then Block.
// The setter stores the flag, then wakes main. Every wakeup the program sends comes
// with the flag set, so a single test is enough until a stray wakeup ends the sleep.
struct Flag {
  uint64_t flag = 0;
  bool loop = false;
  TaskId main = kNoTask;
};
Flag g_flag;

void Setter(void*) {
  Store(&g_flag.flag, 1, "flag");
  sys().MakeRunnable(g_flag.main, 0);
  sys().Exit();
}

void FlagMain(void*) {
  sys().Spawn(Setter, nullptr, "setter", 1, &g_unused);
  if (g_flag.loop) {
    while (Load(&g_flag.flag, "flag") == 0) sys().Block(StrayableWait());
  } else if (Load(&g_flag.flag, "flag") == 0) {
    sys().Block(StrayableWait());
  }
  if (Load(&g_flag.flag, "flag") == 0)
    sys().Warn(__FILE__, __LINE__, "WARN_ON(!flag)", "FlagMain");
  sys().Exit();
}

Program FlagProgram(bool loop, int strays) {
  Program p;
  p.boot = [loop] {
    g_flag = Flag{};
    g_flag.loop = loop;
    return sys().Spawn(FlagMain, nullptr, "main", 0, &g_flag.main);
  };
  p.stray_wakeups = strays;
  return p;
}

TEST(StrayWakeupTest, SingleTestHoldsWithoutInjection) {
  for (Search s : {Search::kDpor, Search::kDfs}) {
    Verdict v = Explore(FlagProgram(false, 0), s, Bounds{});
    EXPECT_EQ(v.kind, VerdictKind::kHolds) << SearchName(s) << ": " << Describe(v);
  }
}

TEST(StrayWakeupTest, SingleTestFailsUnderInjectionAndReplays) {
  for (Search s : {Search::kDpor, Search::kDfs}) {
    Verdict v = Explore(FlagProgram(false, 1), s, Bounds{});
    ASSERT_EQ(v.kind, VerdictKind::kViolation) << SearchName(s) << ": " << Describe(v);
    EXPECT_EQ(v.oracle, "warn");
    Replayed r = Replay(FlagProgram(false, 1), v.schedule, Bounds{});
    EXPECT_EQ(r.verdict.oracle, "warn") << r.error;
    bool shown = false;
    for (const rt::TraceLine& l : r.trace)
      shown |= l.text.find("spurious wakeup") != std::string::npos;
    EXPECT_TRUE(shown) << "the trace names the injected wakeup";
    // Without the injection the same schedule does not fit: the stray was a choice.
    Replayed plain = Replay(FlagProgram(false, 0), v.schedule, Bounds{});
    EXPECT_NE(plain.verdict.oracle, "warn");
  }
}

TEST(StrayWakeupTest, LoopHoldsUnderInjection) {
  for (int strays : {1, 2, 3})
    for (Search s : {Search::kDpor, Search::kDfs}) {
      Verdict v = Explore(FlagProgram(true, strays), s, Bounds{});
      EXPECT_EQ(v.kind, VerdictKind::kHolds)
          << SearchName(s) << " strays=" << strays << ": " << Describe(v);
    }
}

// --- A wakeup that arrives after a timer fired, before the sleeper runs -----------------
//
// S sleeps with a timeout; B sleeps in an idle wait that only a stray wakeup ends, then
// sets `flag` and wakes S. When every task is blocked, S's timer fires (its permit is
// granted, the sleep counts as timed out); a stray wakeup of B may then come before S
// runs, and B's wakeup of S lands on a sleep already ended. S acts as the port does
// after a timeout (sched.cc context_switch_out): if the other waker has begun (flag set),
// it sleeps again to be ended by that waker's wakeup. The two wakeups must not merge into
// one permit, or S sleeps for ever. (Found by injecting a stray wakeup into the percpu
// scenario: a thread slept for ever in msleep() after kthread_stop() woke it.)
struct Late {
  uint64_t flag = 0;
  TaskId s = kNoTask;
};
Late g_late;

void LateB(void*) {
  WaitInfo w = StrayableWait();
  w.idle = true;  // a daemon's wait: no hang, no lifetime finding if nothing ends it
  sys().Block(w);
  Store(&g_late.flag, 1, "flag");
  sys().MakeRunnable(g_late.s, 0);
  sys().Exit();
}

void LateS(void*) {
  sys().Spawn(LateB, nullptr, "B", 1, &g_unused);
  WaitInfo w;
  w.what = "timed_wait";
  w.timeout = 10;
  if (!sys().Block(w) && Load(&g_late.flag, "flag") != 0) {
    WaitInfo again;
    again.what = "wait_for_B";
    sys().Block(again);
  }
  sys().Exit();
}

TEST(StrayWakeupTest, WakeupAfterATimerFiredIsKeptForTheNextSleep) {
  Program p;
  p.boot = [] {
    g_late = Late{};
    return sys().Spawn(LateS, nullptr, "S", 0, &g_late.s);
  };
  p.stray_wakeups = 1;
  for (Search s : {Search::kDpor, Search::kDfs}) {
    Verdict v = Explore(p, s, Bounds{});
    EXPECT_EQ(v.kind, VerdictKind::kHolds) << SearchName(s) << ": " << Describe(v);
  }
}

// --- Generated programs: DPOR reaches DFS's outcomes --------------------------------------
//
// Tasks 0 and 2 each sleep once between loads and stores; task 1 wakes task 0, then task
// 2, between its own. Two words. An outcome is every loaded value, how each sleep ended
// (1 woken, 2 stray) and the final words. Every sleep has its wakeup (the permit keeps
// one that comes first), so no execution hangs and every one runs to its end. DPOR must
// reach exactly DFS's outcomes, for 0, 1 and 2 strays.
struct GenOp {
  bool store;
  int var;
};
struct Gen {
  std::vector<GenOp> ops[3][3];  // task, segment (before, between and after its sleep or
                                 // wakeups; the sleepers have two)
  uint64_t vars[2] = {};
  std::vector<uint64_t> seen[3];
  int finished = 0;
  bool started = false;
  TaskId ids[3] = {kNoTask, kNoTask, kNoTask};
  std::set<std::vector<uint64_t>> outcomes;
  // Only complete executions count (a search may abandon one part-way: sleep sets).
  void Record() {
    if (finished != 3) return;
    std::vector<uint64_t> o = {vars[0], vars[1]};
    for (const auto& s : seen) {
      o.push_back(~0ull);  // separator
      o.insert(o.end(), s.begin(), s.end());
    }
    outcomes.insert(o);
  }
};
Gen g_gen;
int g_index[3] = {0, 1, 2};

// "T0: L0 | S1  T1: ..." -- loads and stores of each segment, for failure messages.
std::string Text(const Gen& g) {
  std::string s;
  for (int t = 0; t < 3; ++t) {
    s += " T" + std::to_string(t) + ":";
    for (int seg = 0; seg < (t == 1 ? 3 : 2); ++seg) {
      if (seg) s += t == 1 ? " wake" : " sleep";
      for (const GenOp& op : g.ops[t][seg]) s += std::string(op.store ? " S" : " L") + std::to_string(op.var);
    }
  }
  return s;
}

void RunSegment(int t, int seg) {
  for (size_t k = 0; k < g_gen.ops[t][seg].size(); ++k) {
    const GenOp& op = g_gen.ops[t][seg][k];
    if (op.store)
      Store(&g_gen.vars[op.var], 100 * t + 10 * seg + k + 1, "v");
    else
      g_gen.seen[t].push_back(Load(&g_gen.vars[op.var], "v"));
  }
}

void GenTask(void* arg) {
  int t = *static_cast<int*>(arg);
  RunSegment(t, 0);
  if (t == 1) {
    sys().MakeRunnable(g_gen.ids[0], 0);
    RunSegment(t, 1);
    sys().MakeRunnable(g_gen.ids[2], 1);
    RunSegment(t, 2);
  } else {
    g_gen.seen[t].push_back(sys().Block(StrayableWait()) ? 1 : 2);
    RunSegment(t, 1);
  }
  ++g_gen.finished;
  sys().Exit();
}

std::set<std::vector<uint64_t>> GenOutcomes(const Gen& program, Search search, int strays) {
  g_gen = program;
  Program p;
  p.boot = [] {
    if (g_gen.started) g_gen.Record();
    g_gen.started = true;
    g_gen.vars[0] = g_gen.vars[1] = 0;
    for (auto& s : g_gen.seen) s.clear();
    g_gen.finished = 0;
    for (int t = 0; t < 3; ++t)
      sys().Spawn(GenTask, &g_index[t], "T", t == 2 ? 1 : 0, &g_gen.ids[t]);
    return g_gen.ids[1];
  };
  p.stray_wakeups = strays;
  Explore(p, search, Bounds{});
  g_gen.Record();
  return g_gen.outcomes;
}

TEST(StrayWakeupTest, DporReachesTheOutcomesOfDfsOnGeneratedPrograms) {
  Rng rng(2026);
  const char* env = std::getenv("KT_GENERATED_PROGRAMS");
  const int programs = env ? std::atoi(env) : 40;
  int grew = 0;
  for (int n = 0; n < programs; ++n) {
    Gen g;
    for (auto& task : g.ops)
      for (auto& seg : task) {
        seg.resize(rng.Below(2));
        for (GenOp& op : seg) op = GenOp{rng.Below(2) == 0, static_cast<int>(rng.Below(2))};
      }
    std::set<std::vector<uint64_t>> none = GenOutcomes(g, Search::kDfs, 0);
    for (int strays = 0; strays <= 2; ++strays) {
      std::set<std::vector<uint64_t>> dfs = GenOutcomes(g, Search::kDfs, strays);
      ASSERT_EQ(GenOutcomes(g, Search::kDpor, strays), dfs)
          << "program " << n << " (" << Text(g) << "), strays " << strays;
      if (strays > 0 && dfs.size() > none.size()) ++grew;
    }
  }
  // The injection is not vacuous: it adds outcomes (a sleep ended by a stray) everywhere.
  EXPECT_EQ(grew, 2 * programs);
}

}  // namespace
}  // namespace kt::explore
