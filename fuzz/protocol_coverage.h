// protocol_coverage.h -- coverage keyed on protocol transitions of the kernel port, so the
// scenario fuzzer is guided by protocol states and not only by code edges (counters.h).
//
// Features, at every scheduling point of an execution on the controlled runtime:
//   - transition: a task's protocol state changed since the previous scheduling point:
//     (scenario, task, state before, state after, the kernel function and op kind of the
//     step that just ran); the protocol state is task->__state, on_rq, on_cpu and the
//     kthread flags (IS_PER_CPU, SHOULD_STOP, SHOULD_PARK);
//   - switch: the step runs another task than the previous one: (scenario, the previous
//     step's kernel function, this one's, whether the previous task could have continued);
// and at the end of an execution its outcome and oracle. For a scenario that runs an
// operation program (api_sequence), also each pair of consecutive operations of the
// legalized program (OnProgram), so that inputs reaching a new order of API calls are
// kept even before the calls reach a new protocol state.
//
// The kernel state is read directly from task_struct and struct kthread (not through the
// seam): the coverage observes, it never takes a step. Cost: a scan of at most kMaxTasks
// task_structs per scheduling point, no allocation.
#ifndef KTHCHECK_FUZZ_PROTOCOL_COVERAGE_H_
#define KTHCHECK_FUZZ_PROTOCOL_COVERAGE_H_

#include <cstdint>
#include <string_view>

#include "checker/runtime/run_result.h"
#include "checker/runtime/strategy.h"
#include "fuzz/counters.h"
#include "impl/kernel/sched.h"

namespace kt::fuzz {

// Follows one execution of the kernel port under the controlled runtime.
class KernelCoverage {
 public:
  void BeginRun(int scenario);
  // After BeginRun: the legalized program's text (letter-digit pairs, api_program.h).
  void OnProgram(std::string_view ops);
  // At a scheduling point, before `chosen` runs its pending step.
  void OnChoice(const rt::ChoicePoint& cp, TaskId chosen);
  void EndRun(const rt::RunResult& r);

 private:
  static constexpr int kTasks = kMaxTasks;  // impl/kernel/sched.h: task_by_tid's size
  uint64_t scenario_ = 0;
  uint64_t last_fn_ = 0;  // the kernel function (and op kind) of the step that just ran
  uint64_t state_[kTasks] = {};
};

}  // namespace kt::fuzz

#endif  // KTHCHECK_FUZZ_PROTOCOL_COVERAGE_H_
