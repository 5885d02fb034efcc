// bounded_search.h -- iterative context bounding (Musuvathi, Qadeer: "Iterative context
// bounding for systematic testing of multithreaded programs", PLDI'07) over DPOR.
//
// Runs the DPOR search (dpor.h) with preemption bound 0, then 1, 2, ... up to
// max_preemptions (or, with -1, until a bound prunes nothing: then the search was
// complete). A preemption is an involuntary switch on one CPU: the task that ran the
// previous step could have continued, and the new task is on the same CPU (tasks on
// other CPUs run in parallel, so switching to them is free).
//
// Guarantee: a finding reported at bound c has a counterexample with at most c
// preemptions, and none was found at bounds below c. With no finding, every execution
// with at most max_preemptions preemptions is covered, up to the reordering of
// independent steps: DPOR's backtracking is made conservative for the bound (BPOR,
// Coons et al., OOPSLA'13), since plain DPOR under a bound may drop a reversal whose
// only representative needs one preemption more. Most bugs need few preemptions
// (PLDI'07 found every bug in their study with at most 2), so the first finding comes
// early and is easy to read.
#ifndef KTHCHECK_CHECKER_EXPLORE_BOUNDED_SEARCH_H_
#define KTHCHECK_CHECKER_EXPLORE_BOUNDED_SEARCH_H_

#include <memory>
#include <string>
#include <vector>

#include "checker/explore/dpor.h"
#include "checker/explore/search_strategy.h"

namespace kt::explore {

class BoundedSearch final : public SearchStrategy {
 public:
  // max_preemptions = -1: raise the bound until a search completes without pruning.
  BoundedSearch(int max_preemptions, const DporOptions& base);

  TaskId Choose(const rt::ChoicePoint& cp) override { return inner_->Choose(cp); }
  bool Next() override;
  RunKind Done(const rt::RunResult& r) override { return inner_->Done(r); }
  std::string Cut() const override;
  std::string Guarantee() const override;
  std::vector<std::string> FindingNotes() const override;
  double Fraction() const override;
  size_t MemoryBytes() const override { return inner_->MemoryBytes(); }

  int bound() const { return bound_; }

 private:
  void Start(int bound);

  int max_;
  DporOptions base_;
  int bound_ = 0;
  bool complete_ = false;
  std::unique_ptr<DporStrategy> inner_;
};

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_BOUNDED_SEARCH_H_
