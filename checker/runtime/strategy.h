// strategy.h -- how the next task is chosen at a scheduling point.
#ifndef KTHCHECK_CHECKER_RUNTIME_STRATEGY_H_
#define KTHCHECK_CHECKER_RUNTIME_STRATEGY_H_

#include <cstdint>

#include "checker/runtime/op.h"

namespace kt::rt {

class ControlledSys;

struct ChoicePoint {
  int depth;                 // index of the step about to be chosen
  uint32_t enabled;          // one bit per task that may run now (never 0)
  TaskId previous;           // the task that ran the previous step, or kNoTask
  const ControlledSys* rt;   // pending operations, CPUs and names of the tasks
  // The enabled tasks whose step would be an injected stray wakeup (spurious-wakeup
  // injection), not a step of their own: a search explores them, but not by default.
  uint32_t stray = 0;
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  // An enabled task, or kNoTask to abandon this execution.
  virtual TaskId Choose(const ChoicePoint& cp) = 0;
};

}  // namespace kt::rt

#endif  // KTHCHECK_CHECKER_RUNTIME_STRATEGY_H_
