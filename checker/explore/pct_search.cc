#include "checker/explore/pct_search.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kt::explore {
namespace {

// Initial priorities live above every lowered one (1 .. d-1).
constexpr uint64_t kHighBand = 1ull << 32;

std::string Format(const char* fmt, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, x);
  return buf;
}

}  // namespace

bool PctSearch::Next() {
  if (!runs_.Next(&rng_)) return false;
  known_ = 0;
  next_change_ = 0;
  change_points_.clear();
  if (k_ > 0)
    for (int i = 0; i < depth_ - 1; ++i) change_points_.push_back(1 + rng_.Below(k_));
  std::sort(change_points_.begin(), change_points_.end());
  return true;
}

TaskId PctSearch::Highest(uint32_t enabled) const {
  TaskId best = kNoTask;
  for (uint32_t m = enabled; m; m &= m - 1) {
    TaskId t = __builtin_ctz(m);
    if (best == kNoTask || prio_[t] > prio_[best]) best = t;
  }
  return best;
}

TaskId PctSearch::Choose(const rt::ChoicePoint& cp) {
  // New tasks: a uniformly random place among the initial priorities.
  for (; known_ < cp.rt->NumTasks(); ++known_) prio_[known_] = kHighBand + (rng_.Next() >> 2);
  TaskId t = Highest(cp.enabled);
  uint64_t step = static_cast<uint64_t>(cp.depth) + 1;
  while (next_change_ < change_points_.size() && change_points_[next_change_] <= step) {
    if (change_points_[next_change_] == step) {
      prio_[t] = next_change_ + 1;  // the i-th change point: priority i
      t = Highest(cp.enabled);
    }
    ++next_change_;
  }
  return t;
}

RunKind PctSearch::Done(const rt::RunResult& r) {
  k_ = std::max<uint64_t>(k_, r.steps.size());
  n_ = std::max<int>(n_, static_cast<int>(r.task_names.size()));
  return RunKind::kCounted;
}

double PctSearch::ProbabilityBound() const {
  if (n_ == 0 || k_ == 0) return 0;
  return 1.0 / (n_ * std::pow(static_cast<double>(k_), depth_ - 1));
}

std::string PctSearch::Guarantee() const {
  double p = ProbabilityBound();
  double miss = std::pow(1 - p, static_cast<double>(runs_.executions()));
  return "no finding in " + std::to_string(runs_.executions()) + " PCT executions (depth " +
         std::to_string(depth_) + ", seed " + std::to_string(runs_.seed()) + ")" +
         runs_.ShardText() + "; a bug of depth <= " + std::to_string(depth_) +
         " shows in each with probability >= 1/(n k^(d-1)) = " + Format("%.3g", p) + " (n = " +
         std::to_string(n_) + " tasks, k = " + std::to_string(k_) +
         " steps), so one would be missed with probability <= " + Format("%.3g", miss) +
         "; PCT is not exhaustive";
}

std::vector<std::string> PctSearch::FindingNotes() const {
  return {"found by PCT (depth " + std::to_string(depth_) + ", seed " +
          std::to_string(runs_.seed()) + ") in execution " + std::to_string(runs_.index()) +
          " of " + std::to_string(runs_.executions())};
}

}  // namespace kt::explore
