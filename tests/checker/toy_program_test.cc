// toy_program_test -- the explorer (checker/explore) and the controlled runtime
// (checker/runtime) on toy programs written directly against the seam, with no kernel
// code: every oracle and every count here can be checked by hand.
//
// Step model (controlled_sys.h): a task's first step is its start (no shared access),
// then every seam call (Load, Store, ReadModifyWrite, SpinUntil, Lock, Unlock, Block,
// MakeRunnable) is one step. Exit() and Spawn() are not steps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/explore/explorer.h"
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
// Spawn's id slot (seam.h) for the toy tasks whose id nobody needs.
TaskId g_unused_id;
TaskId Spawn(void (*entry)(void*), void* arg, const char* name, int cpu,
             TaskId* slot = &g_unused_id) {
  return sys().Spawn(entry, arg, name, cpu, slot);
}

uint64_t FetchAdd(uint64_t* p, uint64_t v, const char* what) {
  return sys().ReadModifyWrite(p, sizeof *p, Rmw::kFetchAdd, v, 0, Order::kFull, kFn, what);
}

std::string Describe(const Verdict& v) {
  return std::string(VerdictName(v.kind)) + " oracle='" + v.oracle + "' bound='" + v.bound +
         "' executions=" + std::to_string(v.executions) +
         " sleep_blocked=" + std::to_string(v.sleep_blocked) + " " + v.message;
}

// --- Toy 1: two tasks increment a shared counter ---------------------------------------
//
// main spawns A and B; each increments `counter` (non-atomically: Load then Store, or
// atomically: one fetch_add) and then `done` atomically; main spins until done == 2 and
// WARNs if counter != 2.
struct Counter {
  uint64_t counter = 0;
  uint64_t done = 0;
  bool atomic = false;
};
Counter g_counter;

void Incrementer(void*) {
  if (g_counter.atomic) {
    FetchAdd(&g_counter.counter, 1, "counter");
  } else {
    uint64_t v = Load(&g_counter.counter, "counter");
    Store(&g_counter.counter, v + 1, "counter");
  }
  FetchAdd(&g_counter.done, 1, "done");
  sys().Exit();
}

void CounterMain(void*) {
  Spawn(Incrementer, nullptr, "A", 0);
  Spawn(Incrementer, nullptr, "B", 1);
  const void* watch[] = {&g_counter.done};
  sys().SpinUntil([] { return g_counter.done == 2; }, watch, 1, kFn, "done == 2");
  if (Load(&g_counter.counter, "counter") != 2)
    sys().Warn(__FILE__, __LINE__, "WARN_ON(counter != 2)", "CounterMain");
  sys().Exit();
}

Program CounterProgram(bool atomic) {
  Program p;
  p.boot = [atomic] {
    g_counter = Counter{};
    g_counter.atomic = atomic;
    return Spawn(CounterMain, nullptr, "main", 0);
  };
  return p;
}

TEST(ToyProgramTest, DporFindsLostUpdateOfNonAtomicIncrement) {
  Verdict v = Explore(CounterProgram(/*atomic=*/false), Search::kDpor, Bounds{});
  EXPECT_EQ(v.kind, VerdictKind::kViolation) << Describe(v);
  EXPECT_EQ(v.oracle, "warn") << Describe(v);
  EXPECT_NE(v.message.find("counter != 2"), std::string::npos) << v.message;
  EXPECT_FALSE(v.schedule.empty());

  // The counterexample replays to the same finding, and in it both loads happen before
  // either store (that is the only way to lose an update).
  Replayed r = Replay(CounterProgram(false), v.schedule, Bounds{});
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.verdict.oracle, "warn");
  int loads = 0;
  bool store_seen = false;
  for (const rt::TraceLine& l : r.trace) {
    if (l.text.rfind("counter -> ", 0) == 0 && !store_seen && l.task != 0) ++loads;
    if (l.text.rfind("counter = ", 0) == 0) store_seen = true;
  }
  EXPECT_EQ(loads, 2) << "both increments read the counter before either wrote it";
}

TEST(ToyProgramTest, DfsAlsoFindsLostUpdate) {
  Verdict v = Explore(CounterProgram(false), Search::kDfs, Bounds{});
  EXPECT_EQ(v.kind, VerdictKind::kViolation) << Describe(v);
  EXPECT_EQ(v.oracle, "warn");
}

TEST(ToyProgramTest, AtomicIncrementHoldsExhaustively) {
  Verdict dpor = Explore(CounterProgram(/*atomic=*/true), Search::kDpor, Bounds{});
  EXPECT_EQ(dpor.kind, VerdictKind::kHolds) << Describe(dpor);
  EXPECT_TRUE(dpor.exhaustive);
  Verdict dfs = Explore(CounterProgram(true), Search::kDfs, Bounds{});
  EXPECT_EQ(dfs.kind, VerdictKind::kHolds) << Describe(dfs);
  EXPECT_TRUE(dfs.exhaustive);
  EXPECT_LT(dpor.executions, dfs.executions) << Describe(dpor) << "\n" << Describe(dfs);
}

// --- Toy 2: counting Mazurkiewicz traces -----------------------------------------------
//
// T0 and T1 (spawned at boot, no main) each run: start, Load(x), Store(x, v+1).
// Starts touch nothing shared, and the two loads commute, so the dependent pairs are
// (L0,S1), (S0,L1), (S0,S1). Of the C(4,2) = 6 interleavings of L0 S0 with L1 S1,
//   L0 S0 L1 S1   -> x = 2
//   L0 L1 S0 S1 ~ L1 L0 S0 S1   -> x = 1 (S1 last)
//   L0 L1 S1 S0 ~ L1 L0 S1 S0   -> x = 1 (S0 last)
//   L1 S1 L0 S0   -> x = 2
// so there are exactly 4 Mazurkiewicz traces (final values {1, 1, 2, 2}), and plain DFS
// runs all C(6,3) = 20 interleavings of the 3-step tasks (starts included).
//
// The final value of each execution is collected by the next boot (and after the
// search), so observing it adds no step and no dependency.
struct Racy {
  uint64_t x = 0;
  bool started = false;
  std::vector<uint64_t> finals;
};
Racy g_racy;

void RacyIncrement(void*) {
  uint64_t v = Load(&g_racy.x, "x");
  Store(&g_racy.x, v + 1, "x");
  sys().Exit();
}

Program RacyProgram(int tasks) {
  Program p;
  p.boot = [tasks] {
    if (g_racy.started) g_racy.finals.push_back(g_racy.x);
    g_racy.started = true;
    g_racy.x = 0;
    TaskId root = Spawn(RacyIncrement, nullptr, "T0", 0);
    for (int t = 1; t < tasks; ++t) Spawn(RacyIncrement, nullptr, "Tn", t % 2);
    return root;
  };
  return p;
}

std::vector<uint64_t> RunRacy(Search search, Verdict* v, int tasks = 2) {
  g_racy = Racy{};
  *v = Explore(RacyProgram(tasks), search, Bounds{});
  g_racy.finals.push_back(g_racy.x);  // the last execution's
  std::vector<uint64_t> f = g_racy.finals;
  std::sort(f.begin(), f.end());
  return f;
}

TEST(ToyProgramTest, DporRunsOneExecutionPerMazurkiewiczTrace) {
  Verdict v;
  std::vector<uint64_t> finals = RunRacy(Search::kDpor, &v);
  EXPECT_EQ(v.kind, VerdictKind::kHolds) << Describe(v);
  EXPECT_TRUE(v.exhaustive);
  // 4 traces, counted by hand above; no execution is redundant (sleep-set blocked).
  EXPECT_EQ(v.executions, 4u) << Describe(v);
  EXPECT_EQ(v.sleep_blocked, 0u) << Describe(v);
  EXPECT_EQ(finals, (std::vector<uint64_t>{1, 1, 2, 2}));
}

// Three such tasks: 36 Mazurkiewicz traces of the 90 interleavings of their loads and
// stores (counted by enumerating the 90 and grouping them by the order of every
// dependent pair), and 9!/(3!)^3 = 1680 interleavings with the starts. Source-DPOR may
// begin executions that sleep sets then cut (sleep_blocked); the complete ones are
// exactly the traces.
TEST(ToyProgramTest, DporCompletesOneExecutionPerTraceWithThreeTasks) {
  Verdict v;
  std::vector<uint64_t> finals = RunRacy(Search::kDpor, &v, 3);
  EXPECT_EQ(v.kind, VerdictKind::kHolds) << Describe(v);
  EXPECT_TRUE(v.exhaustive);
  EXPECT_EQ(v.executions - v.sleep_blocked, 36u) << Describe(v);
  std::printf("[ counts ] 3 tasks: %llu executions, %llu sleep-set blocked\n",
              static_cast<unsigned long long>(v.executions),
              static_cast<unsigned long long>(v.sleep_blocked));
  Verdict dfs;
  RunRacy(Search::kDfs, &dfs, 3);
  EXPECT_EQ(dfs.executions, 1680u) << Describe(dfs);
}

TEST(ToyProgramTest, DfsRunsEveryInterleaving) {
  Verdict v;
  std::vector<uint64_t> finals = RunRacy(Search::kDfs, &v);
  EXPECT_EQ(v.kind, VerdictKind::kHolds) << Describe(v);
  EXPECT_TRUE(v.exhaustive);
  EXPECT_EQ(v.executions, 20u) << Describe(v);  // C(6,3)
  EXPECT_EQ(finals.size(), 20u);
}

// --- Toy 3: independent steps ----------------------------------------------------------
//
// T0 stores to a[0..K-1], T1 to b[0..K-1]: no two steps of different tasks touch a
// common object, so there is one Mazurkiewicz trace and DPOR runs one execution, while
// DFS runs every interleaving of two (K+1)-step tasks: C(2K+2, K+1) = 70 for K = 3.
constexpr int kK = 3;
uint64_t g_a[kK], g_b[kK];

void StoreAll(void* arg) {
  auto* p = static_cast<uint64_t*>(arg);
  for (int i = 0; i < kK; ++i) Store(&p[i], i + 1, "private");
  sys().Exit();
}

Program IndependentProgram() {
  Program p;
  p.boot = [] {
    TaskId root = Spawn(StoreAll, g_a, "T0", 0);
    Spawn(StoreAll, g_b, "T1", 1);
    return root;
  };
  return p;
}

TEST(ToyProgramTest, DporRunsFewerExecutionsThanDfsOnIndependentSteps) {
  Verdict dpor = Explore(IndependentProgram(), Search::kDpor, Bounds{});
  Verdict dfs = Explore(IndependentProgram(), Search::kDfs, Bounds{});
  EXPECT_EQ(dpor.kind, VerdictKind::kHolds) << Describe(dpor);
  EXPECT_EQ(dfs.kind, VerdictKind::kHolds) << Describe(dfs);
  EXPECT_TRUE(dpor.exhaustive && dfs.exhaustive);
  EXPECT_EQ(dpor.executions, 1u) << Describe(dpor);
  EXPECT_EQ(dfs.executions, 70u) << Describe(dfs);
  EXPECT_LT(dpor.executions, dfs.executions);
}

// --- Toy 4: blocking, wakeups and the hang oracle --------------------------------------
//
// main spawns a waker, then Blocks; the waker MakeRunnable()s main. The permit rule
// (seam.h: a wakeup that comes first is kept) means no interleaving hangs. Without the
// waker, main blocks forever: the hang oracle fires, naming the wait.
bool g_with_waker = true;
TaskId g_main = kNoTask;

void Waker(void*) {
  sys().MakeRunnable(g_main, 0);
  sys().Exit();
}

void BlockingMain(void*) {
  if (g_with_waker) Spawn(Waker, nullptr, "waker", 1);
  WaitInfo w;
  w.what = "toy_wait";
  w.state = "TASK_UNINTERRUPTIBLE";
  sys().Block(w);
  sys().Exit();
}

Program BlockingProgram(bool with_waker) {
  Program p;
  p.boot = [with_waker] {
    g_with_waker = with_waker;
    return Spawn(BlockingMain, nullptr, "main", 0, &g_main);
  };
  return p;
}

TEST(ToyProgramTest, WakeupBeforeOrAfterBlockNeverHangs) {
  Verdict v = Explore(BlockingProgram(true), Search::kDpor, Bounds{});
  EXPECT_EQ(v.kind, VerdictKind::kHolds) << Describe(v);
  EXPECT_TRUE(v.exhaustive);
}

TEST(ToyProgramTest, BlockWithoutWakerIsAHang) {
  Verdict v = Explore(BlockingProgram(false), Search::kDpor, Bounds{});
  EXPECT_EQ(v.kind, VerdictKind::kViolation) << Describe(v);
  EXPECT_EQ(v.oracle, "hang");
  EXPECT_NE(v.message.find("toy_wait"), std::string::npos) << v.message;
}

// --- Toy 5: a lock makes the increment atomic -----------------------------------------
LockWord g_lock;
uint64_t g_locked_counter;

void LockedIncrement(void*) {
  sys().Lock(&g_lock, kFn, "lock");
  uint64_t v = Load(&g_locked_counter, "counter");
  Store(&g_locked_counter, v + 1, "counter");
  sys().Unlock(&g_lock, kFn, "lock");
  sys().Exit();
}

void LockedMain(void*) {
  Spawn(LockedIncrement, nullptr, "A", 0);
  Spawn(LockedIncrement, nullptr, "B", 1);
  const void* watch[] = {&g_lock};
  // Spin until both are done: the lock is free and the counter is 2, or not yet.
  sys().SpinUntil([] { return g_lock.owner == kNoTask && g_locked_counter == 2; }, watch, 1, kFn,
                  "counter == 2");
  sys().Exit();
}

TEST(ToyProgramTest, LockedIncrementHoldsAndDporExploresBothLockOrders) {
  Program p;
  p.boot = [] {
    g_lock = LockWord{};
    g_locked_counter = 0;
    return Spawn(LockedMain, nullptr, "main", 0);
  };
  Verdict v = Explore(p, Search::kDpor, Bounds{});
  EXPECT_EQ(v.kind, VerdictKind::kHolds) << Describe(v);
  EXPECT_TRUE(v.exhaustive);
  // Two traces: A's critical section first, or B's.
  EXPECT_EQ(v.executions - v.sleep_blocked, 2u) << Describe(v);
}

// --- Toy 6: the lost-wakeup oracle -------------------------------------------------------
//
// The sleeper sleeps unless `flag` is set; the waker sets `flag`, then wakes the sleeper
// if it announced that it sleeps. Buggy order: the sleeper tests `flag` before it
// announces `sleeping`, so the waker can test `sleeping` in between, skip the wakeup, and
// the sleeper blocks with its wake condition (flag != 0) true. Fixed order (announce,
// then test): under sequential consistency one of the two always sees the other's store.
struct Handshake {
  uint64_t flag = 0;
  uint64_t sleeping = 0;
  bool fixed = false;
  TaskId sleeper = kNoTask;
};
Handshake g_hs;

void Sleeper(void*) {
  sys().SetWakeCondition([] { return g_hs.flag != 0; }, "flag != 0");
  WaitInfo w;
  w.what = "sleeper_wait";
  if (g_hs.fixed) {
    Store(&g_hs.sleeping, 1, "sleeping");
    if (Load(&g_hs.flag, "flag") == 0) sys().Block(w);
  } else if (Load(&g_hs.flag, "flag") == 0) {
    Store(&g_hs.sleeping, 1, "sleeping");
    sys().Block(w);
  }
  sys().SetWakeCondition({}, nullptr);
  sys().Exit();
}

void WakerRoot(void*) {
  Store(&g_hs.flag, 1, "flag");
  if (Load(&g_hs.sleeping, "sleeping")) sys().MakeRunnable(g_hs.sleeper, 1);
  sys().Exit();
}

Program HandshakeProgram(bool fixed) {
  Program p;
  p.boot = [fixed] {
    g_hs = Handshake{};
    g_hs.fixed = fixed;
    // The waker is the root: once it has exited, a sleeper blocked with its condition
    // true is a lost wakeup (not a hang of the root).
    TaskId root = Spawn(WakerRoot, nullptr, "waker", 0);
    Spawn(Sleeper, nullptr, "sleeper", 1, &g_hs.sleeper);
    return root;
  };
  return p;
}

TEST(ToyProgramTest, TestBeforeAnnounceLosesTheWakeup) {
  for (Search search : {Search::kDpor, Search::kDfs}) {
    Verdict v = Explore(HandshakeProgram(/*fixed=*/false), search, Bounds{});
    EXPECT_EQ(v.kind, VerdictKind::kViolation) << SearchName(search) << ": " << Describe(v);
    EXPECT_EQ(v.oracle, "lost_wakeup") << SearchName(search) << ": " << Describe(v);
  }
}

TEST(ToyProgramTest, AnnounceBeforeTestNeverLosesTheWakeup) {
  for (Search search : {Search::kDpor, Search::kDfs}) {
    Verdict v = Explore(HandshakeProgram(/*fixed=*/true), search, Bounds{});
    EXPECT_EQ(v.kind, VerdictKind::kHolds) << SearchName(search) << ": " << Describe(v);
    EXPECT_TRUE(v.exhaustive);
  }
}

// --- Toy 7: a spin that can miss its window -------------------------------------------
//
// The root spins until x == 1; the other task stores x = 1 and then (in the buggy
// version) x = 0. If both stores come before the spinner looks, it spins forever: a hang
// that only the order "store, store, spin" shows, so DPOR must reverse the spin with the
// store after it.
struct Window {
  uint64_t x = 0;
  bool reset = false;
};
Window g_win;

void Spinner(void*) {
  const void* watch[] = {&g_win.x};
  sys().SpinUntil([] { return g_win.x == 1; }, watch, 1, kFn, "x == 1");
  sys().Exit();
}

void Setter(void*) {
  Store(&g_win.x, 1, "x");
  if (g_win.reset) Store(&g_win.x, 0, "x");
  sys().Exit();
}

Program WindowProgram(bool reset) {
  Program p;
  p.boot = [reset] {
    g_win = Window{};
    g_win.reset = reset;
    TaskId root = Spawn(Spinner, nullptr, "spinner", 0);
    Spawn(Setter, nullptr, "setter", 1);
    return root;
  };
  return p;
}

TEST(ToyProgramTest, SpinThatMissesItsWindowIsAHang) {
  for (Search search : {Search::kDpor, Search::kDfs}) {
    Verdict v = Explore(WindowProgram(/*reset=*/true), search, Bounds{});
    EXPECT_EQ(v.kind, VerdictKind::kViolation) << SearchName(search) << ": " << Describe(v);
    EXPECT_EQ(v.oracle, "hang") << SearchName(search) << ": " << Describe(v);
  }
}

TEST(ToyProgramTest, SpinOnAStableValueHolds) {
  for (Search search : {Search::kDpor, Search::kDfs}) {
    Verdict v = Explore(WindowProgram(/*reset=*/false), search, Bounds{});
    EXPECT_EQ(v.kind, VerdictKind::kHolds) << SearchName(search) << ": " << Describe(v);
    EXPECT_TRUE(v.exhaustive);
  }
}

}  // namespace
}  // namespace kt::explore
