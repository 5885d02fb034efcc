#include "checker/explore/portfolio.h"

#include "checker/explore/parallel.h"

namespace kt::explore {

PortfolioResult PctThenDpor(const Program& program, const SearchOptions& pct,
                            const SearchOptions& dpor, const Bounds& dpor_bounds, int jobs,
                            const ProgressFn& progress) {
  PortfolioResult r;
  Bounds pb = dpor_bounds;
  pb.max_executions = Bounds{}.max_executions;
  r.pct = Explore(program, pct, pb, progress);
  if (r.pct.kind == VerdictKind::kViolation) {
    r.verdict = r.pct;
    r.found_by_pct = true;
    return r;
  }
  r.verdict = ExploreParallel(program, dpor, dpor_bounds, jobs, progress);
  r.verdict.executions += r.pct.executions;
  r.verdict.seconds += r.pct.seconds;
  return r;
}

}  // namespace kt::explore
