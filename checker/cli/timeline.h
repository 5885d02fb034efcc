// timeline.h -- a counterexample's trace read back as scheduler activity, for the trace
// exporters (export_perfetto.cc, export_ftrace.cc, export_html.cc).
//
// The trace has one line per step (checker/runtime/run_result.h). ReadTimeline() reads it
// as a kernel tracer would have seen the run, with 1 step = 1 us:
//   - per CPU, which task is on it: a task that steps on a CPU switches it in (the task
//     that was there is preempted: it stays on_cpu, runnable); a task that blocks or
//     exits leaves the CPU idle;
//   - per task, a sequence of slices:
//
//     | status    | from                                    | until                        |
//     |-----------+-----------------------------------------+------------------------------|
//     | running   | its first step, or the step it resumes  | it blocks, exits or is       |
//     |           |                                         | preempted                    |
//     | preempted | another task steps on its CPU           | it steps again               |
//     | sleeping  | the step after its last one (`state` is | a wakeup makes it runnable   |
//     |           | its own last __state: TASK_PARKED etc.) |                              |
//     | woken     | the step after that wakeup              | it steps again (resumes)     |
//
//     A task still asleep after the last step keeps its slice to Timeline::end.
//     A task blocks after step i when its next step is the end of a block (OpKind::kBlock),
//     or, for its last step, when that step stored its own on_cpu = 0. A task that blocks
//     in TASK_DEAD has exited: it has no slice after that.
//   - events: wakeup attempts (matched or not), the TASK_RUNNING store that ends a sleep,
//     task state stores, kthread flag stores and completion counts; under tso, stores
//     entering a store buffer and their drains. A drain line is a step of the buffer's
//     pseudo-task (store_buffer/N): it has a lane but never runs on a CPU.
//
// Events are read from the values that the CLI's formatter wrote into each line
// (kernel_program.cc): "T->__state = TASK_PARKED", "T kthread->flags = SHOULD_STOP",
// "completion `x`.done = 1", with loads written "->" instead of "=". A line that reads
// otherwise is still a step of its task; it just adds no event.
#ifndef KTHCHECK_CHECKER_CLI_TIMELINE_H_
#define KTHCHECK_CHECKER_CLI_TIMELINE_H_

#include <string>
#include <vector>

#include "checker/runtime/run_result.h"

namespace kt::cli {

enum class TaskStatus : uint8_t { kRunning, kPreempted, kSleeping, kWoken };
const char* StatusName(TaskStatus s);  // "running", "preempted", "sleeping", "woken"

struct TaskSlice {
  TaskId task = kNoTask;
  TaskStatus status = TaskStatus::kRunning;
  std::string state;  // kSleeping/kWoken: the state it blocked in, e.g. "TASK_PARKED"
  int cpu = 0;
  int begin = 0, end = 0;  // steps [begin, end)
};
// "running", "preempted (runnable)", "sleeping (TASK_INTERRUPTIBLE)", "parked
// (TASK_PARKED)", "woken (runnable)".
std::string SliceName(const TaskSlice& s);

struct CpuSlice {
  int cpu;
  TaskId task;
  int begin, end;  // steps [begin, end)
};

enum class EventKind : uint8_t {
  kSwitch,      // `cpu` goes from `task` to `target` (either kNoTask: idle); `value` is
                // task's ftrace prev_state ("R+" preempted, "S", "D", "P", "X")
  kWaking,      // `task` tries to wake `target`, whose state is `value`; `matched`
  kWakeup,      // `task` stores TASK_RUNNING to a sleeping `target`, which will run on
                // `cpu`; `resume` is target's next step (or -1)
  kSetState,    // `task` stores target->__state = `value`
  kFlags,       // `task` stores target's kthread->flags = `value`
  kCompletion,  // `task` sets completion `value` (its name) to done = `detail`
  kBuffered,    // tso: `task`'s store `value` ("T->__state = TASK_PARKED") enters CPU
                // `cpu`'s store buffer; other CPUs do not see it yet
  kDrained,     // tso: CPU `cpu`'s store buffer (`target`, its pseudo-task) writes `task`'s
                // store `value` to memory; `detail` names who read the old value meanwhile
};

struct Event {
  int step;
  EventKind kind;
  TaskId task;
  TaskId target = kNoTask;
  int cpu = -1;
  bool matched = false;
  int resume = -1;
  std::string value;
  std::string detail;
};

struct Timeline {
  int steps = 0;  // the trace's length; the failing step is steps - 1
  // A task asleep when the trace ends sleeps forever (that is often the finding): its
  // last slice runs on to `end` = steps + steps/10 (at least steps + 1), so it shows.
  int end = 0;
  int cpus = 0;
  std::vector<std::string> names;      // by TaskId
  std::vector<TaskSlice> task_slices;  // by task, then time
  std::vector<CpuSlice> cpu_slices;    // by time
  std::vector<Event> events;           // by step (a step's switch-in first)
  std::vector<bool> started;           // by TaskId: the task has at least one step
  std::vector<bool> asleep_at_end;     // by TaskId: sleeping or woken after the last step
};

// `cpus` is the modelled CPU count (more are added if the trace names them).
Timeline ReadTimeline(const std::vector<rt::TraceLine>& trace,
                      const std::vector<std::string>& names, int cpus);

// The ftrace prev_state letter of a task state name ("TASK_PARKED" -> "P").
const char* StateLetter(const std::string& state);

}  // namespace kt::cli

#endif  // KTHCHECK_CHECKER_CLI_TIMELINE_H_
