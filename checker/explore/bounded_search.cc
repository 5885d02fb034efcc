#include "checker/explore/bounded_search.h"

namespace kt::explore {

BoundedSearch::BoundedSearch(int max_preemptions, const DporOptions& base)
    : max_(max_preemptions), base_(base) {
  Start(0);
}

void BoundedSearch::Start(int bound) {
  bound_ = bound;
  DporOptions o = base_;
  o.max_preemptions = bound;
  o.bpor = true;
  inner_ = std::make_unique<DporStrategy>(o);
}

bool BoundedSearch::Next() {
  for (;;) {
    if (inner_->Next()) return true;
    if (!inner_->preemption_bound_hit()) {
      complete_ = true;  // nothing was pruned: this bound covered every execution
      return false;
    }
    if (max_ >= 0 && bound_ >= max_) return false;
    Start(bound_ + 1);
  }
}

std::string BoundedSearch::Cut() const {
  return complete_ ? "" : "max_preemptions=" + std::to_string(bound_);
}

std::string BoundedSearch::Guarantee() const {
  if (complete_)
    return "no finding: iterative context bounding reached bound " + std::to_string(bound_) +
           ", which pruned nothing, so every interleaving up to the reordering of "
           "independent steps was explored";
  return "no finding with at most " + std::to_string(bound_) +
         " preemptions (iterative context bounding, bounds 0.." + std::to_string(bound_) +
         "); raise --max-preemptions to look further";
}

std::vector<std::string> BoundedSearch::FindingNotes() const {
  std::string below = bound_ == 0 ? "" : " (bounds 0.." + std::to_string(bound_ - 1) +
                                             " found nothing)";
  return {"found by iterative context bounding at preemption bound " + std::to_string(bound_) +
          below};
}

double BoundedSearch::Fraction() const {
  if (max_ < 0) return -1;
  return (bound_ + std::max(0.0, inner_->Fraction())) / (max_ + 1);
}

}  // namespace kt::explore
