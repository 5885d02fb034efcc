// dpor.h -- exhaustive DFS over schedules with source-DPOR and sleep sets
// (Abdulla, Aronis, Jonsson, Sagonas: "Optimal dynamic partial order reduction",
// POPL'14, Algorithm 1 "source-DPOR"), or plain DFS over every enabled task.
//
// Stateless: every execution re-runs the program from the start, replaying the choices
// on the stack up to the backtrack point. After each execution, races are found on the
// executed steps with vector clocks: steps i < j of different tasks race if they are
// dependent (op.h) and i happens-before j only through their own dependency. For each
// race, a task that can start the reversed order (an initial of notdep(i).j) is added
// to the backtrack set before i, unless one already is. Sleep sets cut executions that
// only reorder independent steps already explored.
//
// Blocking operations (lock, block, spin) are never co-enabled with the step that
// enables them; such races are skipped. Lock acquisitions race with the previous
// acquisition of the same lock, not with its release.
#ifndef KTHCHECK_CHECKER_EXPLORE_DPOR_H_
#define KTHCHECK_CHECKER_EXPLORE_DPOR_H_

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "checker/runtime/controlled_sys.h"
#include "checker/runtime/run_result.h"
#include "checker/runtime/strategy.h"

namespace kt::explore {

class DporStrategy final : public rt::Strategy {
 public:
  // reduce = false gives plain DFS: every enabled task is explored at every node.
  explicit DporStrategy(bool reduce, int max_preemptions = -1)
      : reduce_(reduce), max_preemptions_(max_preemptions) {}

  TaskId Choose(const rt::ChoicePoint& cp) override;
  // After an execution: add backtrack points for its races.
  void Analyze(const std::vector<rt::StepRecord>& steps);
  // Moves to the next schedule prefix; false when the search is complete.
  bool NextExecution();
  // True if the preemption bound pruned a choice.
  bool preemption_bound_hit() const { return preemption_bound_hit_; }

 private:
  struct Node {
    uint32_t enabled = 0;
    uint32_t backtrack = 0;
    uint32_t done = 0;
    uint32_t sleep = 0;
    TaskId chosen = kNoTask;
    int preemptions = 0;  // in the prefix up to and including this node's step
  };
  using Clock = std::array<uint32_t, rt::kMaxTasks>;
  struct History {  // per object: the last step of each task that read / wrote it
    uint64_t generation;  // the execution these entries belong to
    int32_t last_read[rt::kMaxTasks];
    int32_t last_write[rt::kMaxTasks];
    int32_t last_acquire[rt::kMaxTasks];
  };

  uint32_t ChildSleep(int depth, const rt::ChoicePoint& cp) const;
  bool AllowedByPreemptionBound(int depth, TaskId t, const rt::ChoicePoint& cp) const;
  void HandleRace(const std::vector<rt::StepRecord>& steps, int i, int j);
  History& HistoryOf(uintptr_t obj);

  bool reduce_;
  int max_preemptions_;
  bool preemption_bound_hit_ = false;
  std::vector<Node> stack_;
  uint32_t next_sleep_ = 0;
  // Analysis scratch, reused across executions.
  std::vector<Clock> clocks_;
  std::vector<uint32_t> pos_;
  // Objects keep their addresses across executions (the kernel arena is reset to the
  // same base), so the object -> history map is kept and entries are invalidated by
  // generation instead of being cleared.
  std::unordered_map<uintptr_t, History> history_;
  uint64_t generation_ = 0;
  int replay_depth_ = 0;  // steps below this were analysed in an earlier execution
};

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_DPOR_H_
