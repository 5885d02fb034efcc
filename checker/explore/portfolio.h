// portfolio.h -- PCT and DPOR: the search a default `kthcheck check` runs on a scenario
// beyond exhaustive search (Scenario::search_budget). PCT's randomized priorities reach
// the deep schedules of most of those scenarios' bugs within a few hundred runs; DPOR
// reaches others within a number of executions that no seed changes. In one process
// the two take executions in turn (alternating_search.h), so a bug is found within
// twice the executions of the search that reaches it first; with several processes
// (jobs > 1) PCT runs first and DPOR's tree is then split among them (parallel.h).
// The result is the finding, or else both searches' counts; the caller decides how to
// name a verdict that is neither a finding nor exhaustive.
#ifndef KTHCHECK_CHECKER_EXPLORE_PORTFOLIO_H_
#define KTHCHECK_CHECKER_EXPLORE_PORTFOLIO_H_

#include <cstdint>
#include <string>

#include "checker/explore/explorer.h"

namespace kt::explore {

struct PortfolioResult {
  Verdict verdict;              // the finding, or DPOR's verdict with both searches' counts
  bool found_by_pct = false;
  uint64_t pct_executions = 0;  // counted executions of each
  uint64_t dpor_executions = 0;
  std::string pct_guarantee;    // PCT's Guarantee() when it found nothing
};

// `pct` must be a PCT search (pct.executions is its budget); `dpor` a tree search, given
// `dpor_bounds.max_executions` executions.
PortfolioResult PctAndDpor(const Program& program, const SearchOptions& pct,
                           const SearchOptions& dpor, const Bounds& dpor_bounds, int jobs = 1,
                           const ProgressFn& progress = {});

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_PORTFOLIO_H_
