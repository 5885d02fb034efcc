#include "checker/explore/fair_search.h"

namespace kt::explore {

bool FairSearch::Next() {
  for (int& w : waited_) w = 0;
  return runs_.Next(&rng_);
}

TaskId FairSearch::Choose(const rt::ChoicePoint& cp) {
  TaskId t = kNoTask;
  for (uint32_t m = cp.enabled; m; m &= m - 1) {
    TaskId u = __builtin_ctz(m);
    if (waited_[u] >= kPatience && (t == kNoTask || waited_[u] > waited_[t])) t = u;
  }
  if (t == kNoTask) t = rng_.PickBit(cp.enabled);
  for (int u = 0; u < rt::kMaxTasks; ++u)
    waited_[u] = (cp.enabled >> u & 1) && u != t ? waited_[u] + 1 : 0;
  return t;
}

std::string FairSearch::Guarantee() const {
  return "no finding in " + std::to_string(runs_.executions()) +
         " fair random executions (seed " + std::to_string(runs_.seed()) + ")" +
         runs_.ShardText() + ", livelock oracle on; a random search is not exhaustive";
}

std::vector<std::string> FairSearch::FindingNotes() const {
  return {"found by fair random scheduling: seed " + std::to_string(runs_.seed()) +
          ", execution " + std::to_string(runs_.index()) + " of " +
          std::to_string(runs_.executions())};
}

}  // namespace kt::explore
