// litmus.h -- the litmus-test harness of tso_test and pso_test: two threads on CPU0 and
// CPU1 written against the seam, their results r0 and r1, and a main task that waits for
// both and records the outcome "r0r1" (e.g. "00"). Every outcome is checkable by hand.
#ifndef KTHCHECK_TESTS_CHECKER_LITMUS_H_
#define KTHCHECK_TESTS_CHECKER_LITMUS_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "checker/explore/explorer.h"
#include "impl/platform/seam.h"

namespace kt::explore::litmus {

using rt::MemoryModel;

inline constexpr const char* kFn = "litmus";

inline uint64_t Load(const uint64_t* p, const char* what) {
  return sys().Load(p, sizeof *p, Order::kOnce, kFn, what);
}
inline void Store(uint64_t* p, uint64_t v, const char* what) {
  sys().Store(p, sizeof *p, v, Order::kOnce, kFn, what);
}
inline void Done(uint64_t* done) {
  sys().ReadModifyWrite(done, sizeof *done, Rmw::kFetchAdd, 1, 0, Order::kFull, kFn, "done");
}
inline TaskId g_unused;

// One litmus test: two threads on CPU0 and CPU1, their two results, and a main task
// that waits for both and records the outcome "r0r1" (e.g. "00").
// How MP's writer orders its two stores.
enum class MpOrder { kNone, kWmb, kRelease };

struct Litmus {
  uint64_t x = 0, y = 0, a = 0, b = 0, done = 0;
  MpOrder mp = MpOrder::kNone;
  uint64_t r0 = 0, r1 = 0;
  bool fence = false;
  int stores = 1;  // count test: stores per thread before its load
};
inline Litmus g;
inline std::set<std::string> g_outcomes;

inline void LitmusMain(void* t0_fn) {
  auto* fns = static_cast<void (**)(void*)>(t0_fn);
  sys().Spawn(fns[0], nullptr, "T0", 0, &g_unused);
  sys().Spawn(fns[1], nullptr, "T1", 1, &g_unused);
  const void* watch[] = {&g.done};
  sys().SpinUntil([] { return g.done == 2; }, watch, 1, kFn, "done == 2");
  g_outcomes.insert(std::to_string(g.r0) + std::to_string(g.r1));
  sys().Exit();
}

inline Program LitmusProgram(void (*t0)(void*), void (*t1)(void*), MemoryModel mm, Litmus init = {}) {
  static void (*fns[2])(void*);
  Program p;
  p.memory_model = mm;
  p.boot = [t0, t1, init] {
    g = init;
    fns[0] = t0;
    fns[1] = t1;
    TaskId root;
    sys().Spawn(LitmusMain, fns, "main", 0, &root);
    return root;
  };
  return p;
}

inline std::set<std::string> Outcomes(const Program& p, Search s, Verdict* out = nullptr) {
  g_outcomes.clear();
  Verdict v = Explore(p, s, Bounds{});
  EXPECT_EQ(v.kind, VerdictKind::kHolds) << v.message;
  if (out) *out = v;
  return g_outcomes;
}

// SB: T0: x = 1; [smp_mb();] r0 = y.   T1: y = 1; [smp_mb();] r1 = x.
inline void SbT0(void*) {
  for (int i = 0; i < g.stores; ++i) Store(&g.x, 1, "x");
  if (g.fence) sys().Fence(Order::kFull, kFn);
  g.r0 = Load(&g.y, "y");
  Done(&g.done);
  sys().Exit();
}
inline void SbT1(void*) {
  for (int i = 0; i < g.stores; ++i) Store(&g.y, 1, "y");
  if (g.fence) sys().Fence(Order::kFull, kFn);
  g.r1 = Load(&g.x, "x");
  Done(&g.done);
  sys().Exit();
}

// MP: T0: x = 1; [smp_wmb();] y = 1 (or smp_store_release(&y, 1)).   T1: r0 = y; r1 = x.
// TSO keeps both pairs in order; PSO only with the barrier.
inline void MpT0(void*) {
  Store(&g.x, 1, "x");
  if (g.mp == MpOrder::kWmb) sys().Fence(Order::kRelease, kFn);
  sys().Store(&g.y, sizeof g.y, 1, g.mp == MpOrder::kRelease ? Order::kRelease : Order::kOnce,
              kFn, "y");
  Done(&g.done);
  sys().Exit();
}
inline void MpT1(void*) {
  g.r0 = Load(&g.y, "y");
  g.r1 = Load(&g.x, "x");
  Done(&g.done);
  sys().Exit();
}

// Forwarding: T0: x = 1; r0 = x.   T1: x = 2.   r0 is never the initial 0 (T0 reads its
// own buffered store), and both 1 and 2 are reachable (T0's store drains before T1's).
inline void FwdT0(void*) {
  Store(&g.x, 1, "x");
  g.r0 = Load(&g.x, "x");
  Done(&g.done);
  sys().Exit();
}
inline void FwdT1(void*) {
  Store(&g.x, 2, "x");
  Done(&g.done);
  sys().Exit();
}

}  // namespace kt::explore::litmus

#endif  // KTHCHECK_TESTS_CHECKER_LITMUS_H_
