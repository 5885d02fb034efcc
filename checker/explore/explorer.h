// explorer.h -- runs a search: executions under the controlled runtime, chosen by a
// strategy, until a finding, the end of the search, or a bound.
#ifndef KTHCHECK_CHECKER_EXPLORE_EXPLORER_H_
#define KTHCHECK_CHECKER_EXPLORE_EXPLORER_H_

#include <functional>
#include <string>
#include <vector>

#include "checker/explore/bounds.h"
#include "checker/explore/verdict.h"
#include "checker/runtime/controlled_sys.h"

namespace kt::explore {

// The program under test, as the checker sees it: a boot function that spawns the
// initial tasks (outside any task) and returns the root task, plus a value formatter
// for traces.
struct Program {
  std::function<TaskId()> boot;
  // Names a traced access for humans: given the address, the expression and the value,
  // sets *lhs ("main->__state") and *value ("TASK_PARKED"); either may be left empty.
  std::function<void(const void* addr, const char* what, uint64_t value, std::string* lhs,
                     std::string* text)>
      format_value;
};

enum class Search { kDpor, kDfs };
const char* SearchName(Search s);

// Exhaustive search (up to the bounds). Progress, if wanted, goes to `progress`
// every ~second: (executions, steps, elapsed seconds).
Verdict Explore(const Program& program, Search search, const Bounds& bounds,
                const std::function<void(uint64_t, uint64_t, double)>& progress = {});

// One execution following `schedule`, with a human trace. `error` is set if the
// schedule diverged.
struct Replayed {
  Verdict verdict;
  std::vector<rt::TraceLine> trace;
  std::vector<std::string> task_names;
  std::string error;
};
Replayed Replay(const Program& program, const std::vector<TaskId>& schedule,
                const Bounds& bounds);

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_EXPLORER_H_
