// livelock_oracle.cc -- the livelock oracle (DESIGN.md: "a task runs past a step bound
// without blocking while others starve, under a fair scheduler").
//
// At a scheduling point: if the task that ran the last step has run more than L steps
// since it last blocked, and some other live task has not run for more than L steps --
// not finished, not in an idle daemon's sleep (kthreadd) -- the execution ends with
// finding `livelock`, naming both. Only meaningful when the strategy is fair (every
// task that stays enabled runs soon: fair_search.h), so that a task that has not run
// could not: it waits for something that the running task never does. Blocking resets
// a task's count: sleeping lets virtual time advance and timers fire.
#include <string>

#include "checker/runtime/controlled_sys.h"

namespace kt::rt {

void ControlledSys::CheckLivelock() {
  if (last_ == kNoTask) return;
  const Task& runner = tasks_[last_];
  uint64_t bound = options_.livelock_steps;
  if (runner.finished || runner.since_block <= bound) return;
  int64_t now = static_cast<int64_t>(result_.steps.size());
  for (int i = 0; i < ntasks_; ++i) {
    const Task& t = tasks_[i];
    if (i == last_ || t.finished || (t.op.kind == OpKind::kBlock && t.wait.idle)) continue;
    if (now - 1 - t.last_ran <= static_cast<int64_t>(bound)) continue;
    result_.details.push_back(std::string(runner.name) + " (CPU" + std::to_string(runner.cpu) +
                              ") is in " + runner.op.fn + " after " +
                              std::to_string(runner.since_block) + " steps without blocking");
    result_.details.push_back(Describe(i) + "; it has not run for " +
                              std::to_string(now - 1 - t.last_ran) + " steps");
    EndFinding("livelock", std::string(runner.name) + " ran " +
                               std::to_string(runner.since_block) +
                               " steps without blocking while " + t.name +
                               " starved (livelock_steps=" + std::to_string(bound) + ")");
  }
}

}  // namespace kt::rt
