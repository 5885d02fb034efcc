// portfolio.h -- PCT, then DPOR: the search a default `kthcheck check` runs on a scenario
// beyond exhaustive search (Scenario::search_budget). PCT's randomized priorities reach
// the deep schedules of those scenarios' bugs within a few hundred runs; DPOR then
// covers the first executions of its tree. The result is PCT's finding, or else DPOR's
// verdict with its counts raised by PCT's; the caller decides how to name a verdict
// that is neither a finding nor exhaustive.
#ifndef KTHCHECK_CHECKER_EXPLORE_PORTFOLIO_H_
#define KTHCHECK_CHECKER_EXPLORE_PORTFOLIO_H_

#include "checker/explore/explorer.h"

namespace kt::explore {

struct PortfolioResult {
  Verdict verdict;       // PCT's finding, or DPOR's verdict with both searches' counts
  Verdict pct;           // PCT's own verdict
  bool found_by_pct = false;
};

// `pct` must be a PCT search; `dpor` a tree search bounded by `dpor_bounds`. PCT runs
// with `dpor_bounds` except max_executions (its own `pct.executions` counts its runs).
PortfolioResult PctThenDpor(const Program& program, const SearchOptions& pct,
                            const SearchOptions& dpor, const Bounds& dpor_bounds, int jobs = 1,
                            const ProgressFn& progress = {});

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_PORTFOLIO_H_
