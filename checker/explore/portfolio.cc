#include "checker/explore/portfolio.h"

#include <memory>

#include "checker/explore/alternating_search.h"
#include "checker/explore/parallel.h"

namespace kt::explore {
namespace {

// jobs > 1, a checkpoint, or a resume: PCT first, then DPOR as Explore runs it.
// (With max_executions == 0, Explore runs no DPOR execution at all.)
PortfolioResult InSequence(const Program& program, const SearchOptions& pct,
                           const SearchOptions& dpor, const Bounds& dpor_bounds, int jobs,
                           const ProgressFn& progress) {
  PortfolioResult r;
  Bounds pb = dpor_bounds;
  pb.max_executions = Bounds{}.max_executions;
  Verdict p = Explore(program, pct, pb, progress);
  r.pct_executions = p.executions;
  if (p.kind == VerdictKind::kViolation) {
    r.verdict = p;
    r.found_by_pct = true;
    return r;
  }
  r.pct_guarantee = p.message;
  r.verdict = ExploreParallel(program, dpor, dpor_bounds, jobs, progress);
  r.dpor_executions = r.verdict.executions;
  r.verdict.executions += p.executions;
  r.verdict.seconds += p.seconds;
  return r;
}

}  // namespace

PortfolioResult PctAndDpor(const Program& program, const SearchOptions& pct,
                           const SearchOptions& dpor, const Bounds& dpor_bounds, int jobs,
                           const ProgressFn& progress) {
  // (No DPOR share at all is PCT alone: InSequence's DPOR then runs nothing.)
  if (jobs > 1 || dpor.resume || !dpor.checkpoint.empty() || dpor_bounds.max_executions == 0)
    return InSequence(program, pct, dpor, dpor_bounds, jobs, progress);
  // Each has its own budget: PCT its executions, DPOR its share of max_executions.
  AlternatingSearch both(MakeSearch(pct, dpor_bounds), MakeSearch(dpor, dpor_bounds), "PCT",
                         "DPOR", dpor_bounds.max_executions);
  Bounds b = dpor_bounds;
  b.max_executions = dpor_bounds.max_executions + pct.executions;
  PortfolioResult r;
  r.verdict = ExploreWith(program, both, dpor, b, progress);
  r.pct_executions = both.executions(0);
  r.dpor_executions = both.executions(1);
  r.found_by_pct = r.verdict.kind == VerdictKind::kViolation && both.last() == 0;
  if (r.verdict.kind != VerdictKind::kViolation) r.pct_guarantee = both.Guarantee(0);
  return r;
}

}  // namespace kt::explore
