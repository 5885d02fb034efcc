// generated_outcomes.h -- what the tests that compare DPOR with plain DFS on generated
// toy programs record of one execution, and how they print what DPOR missed.
#ifndef KTHCHECK_TESTS_CHECKER_GENERATED_OUTCOMES_H_
#define KTHCHECK_TESTS_CHECKER_GENERATED_OUTCOMES_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace kt::explore {

using Outcome = std::vector<uint64_t>;
inline constexpr uint64_t kOutcomeSeparator = ~0ull;

// The final values of the words, then each task's observations after a separator.
inline Outcome OutcomeOf(const uint64_t* vars, int nvars, const std::vector<uint64_t>* seen,
                         int ntasks) {
  Outcome o(vars, vars + nvars);
  for (int t = 0; t < ntasks; ++t) {
    o.push_back(kOutcomeSeparator);
    o.insert(o.end(), seen[t].begin(), seen[t].end());
  }
  return o;
}

// " { 1 0 | 0 | 101 }" for each outcome of `dfs` that `dpor` lacks.
inline std::string Missing(const std::set<Outcome>& dfs, const std::set<Outcome>& dpor) {
  std::string missing;
  for (const Outcome& o : dfs)
    if (!dpor.count(o)) {
      missing += " {";
      for (uint64_t v : o) missing += v == kOutcomeSeparator ? " |" : " " + std::to_string(v);
      missing += " }";
    }
  return missing;
}

}  // namespace kt::explore

#endif  // KTHCHECK_TESTS_CHECKER_GENERATED_OUTCOMES_H_
