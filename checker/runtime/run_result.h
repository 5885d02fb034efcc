// run_result.h -- the record of one execution under the controlled runtime.
#ifndef KTHCHECK_CHECKER_RUNTIME_RUN_RESULT_H_
#define KTHCHECK_CHECKER_RUNTIME_RUN_RESULT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "checker/runtime/op.h"

namespace kt::rt {

enum class Outcome : uint8_t {
  kComplete,    // the root task finished and every other task is idle or done
  kHang,        // oracle `hang`
  kLostWakeup,  // oracle `lost_wakeup`
  kFinding,     // a named finding: `warn` (WARN_ON/BUG_ON), `invariant:<name>`, `livelock`,
                // `wrong_cpu`, `lifetime`; the name is RunResult::oracle
  kStepBound,   // bound `max_steps` reached
  kAbandoned,   // the strategy abandoned it (sleep-set blocked, or a bound)
  kDiverged,    // a replayed schedule asked for a task that cannot run
};
const char* OutcomeName(Outcome o);
// Non-null iff the outcome is a finding; for kFinding the oracle's name is in
// RunResult::oracle (this returns "warn" for it).
const char* OutcomeOracle(Outcome o);

// What the partial-order reduction needs of each step.
struct StepRecord {
  TaskId task;
  int16_t cpu;
  OpKind kind;
  bool preempted;     // the previous task could have continued
  bool global_sync;   // a timer fired because every task was blocked: ordered after all
  uint8_t nacc;
  Access acc[kMaxAccesses];
  uint32_t enabled;   // tasks enabled at the state before this step
  uint32_t cpu_blocked;  // tasks that could run but for a preemption-disabled CPU
  int32_t parent_step;  // kStart: the creator's step that spawned this task, or -1
  // The step after which this step's task last went from disabled to enabled (the
  // store that ended a spin, the wakeup that granted a permit, the unlock that freed a
  // lock or the CPU), or -1. The two steps cannot be reordered.
  int32_t enabled_by;
  // From this step on, its task keeps the other tasks of its CPU off it: it disables
  // preemption, takes a lock, turns interrupts off, or starts a hard interrupt handler.
  bool closes_cpu = false;
  // kMigrate: the task the stopper moved.
  TaskId moved = kNoTask;
};

// One line of the human trace.
struct TraceLine {
  int step;
  TaskId task;
  int cpu;
  bool preempted;
  std::string fn;
  std::string text;
  // For the trace exporters (checker/cli/export_*.cc): the step's operation, and for a
  // kWake step the task it made runnable and on which CPU.
  OpKind kind = OpKind::kStart;
  TaskId woken = kNoTask;
  int woken_cpu = -1;
  // tso: a kStore that went into the CPU's store buffer; for a kDrain line (the task is
  // the buffer's pseudo-task), the task whose store it wrote to memory.
  bool buffered = false;
  TaskId stored_by = kNoTask;
};

struct RunResult {
  Outcome outcome = Outcome::kComplete;
  std::string oracle;                // the finding's oracle, empty if none
  std::string message;               // one sentence on what went wrong
  std::vector<std::string> details;  // e.g. the wait-for chain, one link per line
  std::vector<StepRecord> steps;
  std::vector<TaskId> schedule;      // the task of each step
  std::vector<TraceLine> trace;      // filled only when tracing
  std::vector<std::string> task_names;
  uint64_t virtual_time = 0;
  int preemptions = 0;
};

}  // namespace kt::rt

#endif  // KTHCHECK_CHECKER_RUNTIME_RUN_RESULT_H_
