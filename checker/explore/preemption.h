// preemption.h -- what counts as a preemption, for the strategies that bound or
// minimise them (dpor.h, shrink.h). The runtime marks the same steps
// (StepRecord::preempted).
//
// A preemption is an involuntary switch on one CPU: the task that last ran a step on
// that CPU is still enabled (it could have continued), and another task of the CPU runs
// instead. Steps of other CPUs in between do not count: CPUs run in parallel, so
// switching to a task of another CPU is free. A store buffer's drain (tso) is neither.
#ifndef KTHCHECK_CHECKER_EXPLORE_PREEMPTION_H_
#define KTHCHECK_CHECKER_EXPLORE_PREEMPTION_H_

#include <cstdint>

#include "checker/runtime/controlled_sys.h"
#include "checker/runtime/strategy.h"

namespace kt::explore {

class CpuTracker {
 public:
  static constexpr int kMaxCpus = 64;

  // The enabled tasks whose step at `cp` would be a preemption. Resets at depth 0.
  uint32_t Preempting(const rt::ChoicePoint& cp) {
    if (cp.depth == 0) Reset();
    uint32_t mask = 0;
    for (uint32_t m = cp.enabled; m; m &= m - 1) {
      TaskId t = __builtin_ctz(m);
      if (cp.rt->IsDrainer(t) && cp.rt->Exists(t)) continue;  // a drain is no task switch
      int cpu = cp.rt->TaskCpu(t);
      TaskId running = cpu >= 0 && cpu < kMaxCpus ? running_[cpu] : kNoTask;
      if (running != kNoTask && running != t && (cp.enabled >> running & 1) &&
          cp.rt->TaskCpu(running) == cpu)
        mask |= 1u << t;
    }
    return mask;
  }
  // Task t runs the step chosen at `cp`.
  void Ran(const rt::ChoicePoint& cp, TaskId t) {
    if (cp.depth == 0) Reset();
    if (cp.rt->IsDrainer(t) && cp.rt->Exists(t)) return;
    int cpu = cp.rt->TaskCpu(t);
    if (cpu >= 0 && cpu < kMaxCpus) running_[cpu] = t;
  }
  void Reset() {
    for (TaskId& t : running_) t = kNoTask;
  }

 private:
  TaskId running_[kMaxCpus];
};

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_PREEMPTION_H_
