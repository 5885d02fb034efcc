// replay.h -- follows a recorded schedule exactly; a schedule that asks for a task that
// cannot run is a divergence, reported with what was runnable instead.
#ifndef KTHCHECK_CHECKER_EXPLORE_REPLAY_H_
#define KTHCHECK_CHECKER_EXPLORE_REPLAY_H_

#include <string>
#include <vector>

#include "checker/runtime/strategy.h"

namespace kt::explore {

class ReplayStrategy final : public rt::Strategy {
 public:
  explicit ReplayStrategy(std::vector<TaskId> choices) : choices_(std::move(choices)) {}
  // Also requires the runnable set at step i to be enabled[i] (a checkpoint's prefix).
  ReplayStrategy(std::vector<TaskId> choices, std::vector<uint32_t> enabled)
      : choices_(std::move(choices)), enabled_(std::move(enabled)) {}
  TaskId Choose(const rt::ChoicePoint& cp) override;
  // Empty unless the schedule diverged; then says where and why.
  const std::string& divergence() const { return divergence_; }
  // True if every choice of the schedule was used.
  bool consumed(size_t steps) const { return steps == choices_.size(); }

 private:
  std::vector<TaskId> choices_;
  std::vector<uint32_t> enabled_;
  std::string divergence_;
};

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_REPLAY_H_
