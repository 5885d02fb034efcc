#include "checker/explore/replay.h"

namespace kt::explore {

static std::string MaskText(uint32_t m) {
  std::string s = "{";
  for (int t = 0; m; ++t, m >>= 1)
    if (m & 1) s += (s.size() > 1 ? "," : "") + std::to_string(t);
  return s + "}";
}

TaskId ReplayStrategy::Choose(const rt::ChoicePoint& cp) {
  size_t d = static_cast<size_t>(cp.depth);
  if (d >= choices_.size()) {
    divergence_ = "the schedule ends after " + std::to_string(d) +
                  " steps but tasks " + MaskText(cp.enabled) + " can still run";
    return kNoTask;
  }
  if (d < enabled_.size() && enabled_[d] != cp.enabled) {
    divergence_ = "step " + std::to_string(d) + ": runnable are " + MaskText(cp.enabled) +
                  ", the checkpoint recorded " + MaskText(enabled_[d]);
    return kNoTask;
  }
  TaskId t = choices_[d];
  if (t < 0 || t >= 32 || !(cp.enabled >> t & 1)) {
    divergence_ = "schedule step " + std::to_string(d) + " wants task " + std::to_string(t) +
                  ", runnable are " + MaskText(cp.enabled) +
                  ": is the code under test deterministic, and is the token for this "
                  "scenario and variant?";
    return kNoTask;
  }
  return t;
}

}  // namespace kt::explore
