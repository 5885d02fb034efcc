// racy_program.h -- the toy program the split and resume tests search: `tasks` racy
// increments of one word (start, Load(x), Store(x, v+1)), alternating between two
// CPUs. Three tasks give 36 Mazurkiewicz traces (toy_program_test counts them); four
// give a search of a few thousand executions.
#ifndef KTHCHECK_TESTS_CHECKER_RACY_PROGRAM_H_
#define KTHCHECK_TESTS_CHECKER_RACY_PROGRAM_H_

#include <cstdint>

#include "checker/explore/explorer.h"
#include "impl/platform/seam.h"

namespace kt::explore::testing {

inline uint64_t g_racy_x;
inline TaskId g_racy_unused;

inline void RacyIncrement(void*) {
  uint64_t v = sys().Load(&g_racy_x, 8, Order::kOnce, "toy", "x");
  sys().Store(&g_racy_x, 8, v + 1, Order::kOnce, "toy", "x");
  sys().Exit();
}

inline Program Racy(int tasks) {
  Program p;
  p.boot = [tasks] {
    g_racy_x = 0;
    TaskId root = sys().Spawn(RacyIncrement, nullptr, "T0", 0, &g_racy_unused);
    for (int t = 1; t < tasks; ++t)
      sys().Spawn(RacyIncrement, nullptr, "T", t % 2, &g_racy_unused);
    return root;
  };
  return p;
}

}  // namespace kt::explore::testing

#endif  // KTHCHECK_TESTS_CHECKER_RACY_PROGRAM_H_
