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
//
// Bounded search (bounded_search.h): with a preemption bound, a race reversal that
// would need one preemption too many is also tried at the last point before the race
// where the task could be scheduled without a preemption (Coons, Musuvathi, McKinley:
// "Bounded partial-order reduction", OOPSLA'13, conservative BPOR). And a sibling
// whose subtree the bound cut is not put to sleep: the order it stands for can cost more
// preemptions there than here, so the bound may have cut it (plain sleep sets under a
// bound lose executions; strategies_test shows one).
//
// Sharding (shard.h): the first `split_levels` branching nodes of every path branch on
// every enabled task that is not asleep (as plain DFS would), so which children they
// have does not depend on what was found below them. The choices at those nodes are
// hashed to a shard; a shard runs only the executions it owns, plus one prefix per
// subtree it skips (not counted). Sleep sets at the split nodes come from the siblings
// explored before, owned or not, exactly as in a single run with the same split: the
// shards' executions partition that run's.
//
// Memory: the stack holds one node per step of the current execution and the analysis
// one vector clock per step, so both are bounded by max_steps (bounds.h); the access
// history has one entry per shared object the program touches.
#ifndef KTHCHECK_CHECKER_EXPLORE_DPOR_H_
#define KTHCHECK_CHECKER_EXPLORE_DPOR_H_

#include <array>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "checker/explore/preemption.h"
#include "checker/explore/search_strategy.h"
#include "checker/explore/trace_signature.h"
#include "checker/runtime/controlled_sys.h"
#include "checker/runtime/run_result.h"

namespace kt::explore {

struct DporOptions {
  bool reduce = true;        // false: plain DFS over every enabled task
  int max_preemptions = -1;  // -1 = unbounded
  bool bpor = false;         // with a preemption bound: conservative BPOR backtracking
  int split_levels = 0;      // branching nodes explored in full at the top (sharding)
  int shard_index = 0;       // this shard, of
  int shard_count = 1;       // shards
  // Count the distinct Mazurkiewicz traces among the executions run (trace_signature.h),
  // to measure how many executions a search spends per trace. One 64-bit hash per trace.
  bool count_traces = false;
};

// One node of the DFS stack: the scheduling point at one depth of the current prefix.
struct DporNode {
  uint32_t enabled = 0;
  uint32_t backtrack = 0;
  uint32_t done = 0;
  uint32_t sleep = 0;
  TaskId chosen = kNoTask;
  int preemptions = 0;  // in the prefix up to and including this node's step
  uint32_t preempts = 0;  // tasks whose step here would be a preemption (dpor.cc)
  uint32_t pruned = 0;  // children whose subtree the preemption bound cut
  int level = 0;        // branching nodes above it among the first split_levels
  uint64_t key = 0;     // hash of the choices at those nodes (the shard key)
};

// The part of a search that a checkpoint keeps (checkpoint.h).
struct DporState {
  std::vector<DporNode> stack;
  int replay_depth = 0;
  bool started = false;
  bool preemption_bound_hit = false;
};

class DporStrategy final : public SearchStrategy {
 public:
  explicit DporStrategy(const DporOptions& options) : o_(options) {}
  // reduce = false gives plain DFS: every enabled task is explored at every node.
  explicit DporStrategy(bool reduce, int max_preemptions = -1)
      : DporStrategy(DporOptions{reduce, max_preemptions}) {}

  TaskId Choose(const rt::ChoicePoint& cp) override;
  bool Next() override;
  RunKind Done(const rt::RunResult& r) override;
  std::string Cut() const override;
  std::string Guarantee() const override;
  double Fraction() const override;
  size_t MemoryBytes() const override;

  // After an execution: add backtrack points for its races.
  void Analyze(const std::vector<rt::StepRecord>& steps);
  // Moves to the next schedule prefix; false when the search is complete.
  bool NextExecution();
  // True if the preemption bound pruned a choice.
  bool preemption_bound_hit() const { return preemption_bound_hit_; }
  int depth() const { return static_cast<int>(stack_.size()); }
  // count_traces: the distinct traces of the counted executions so far.
  uint64_t traces() const { return traces_.size(); }
  // The same, when CPU regions are ignored (trace_signature.h).
  uint64_t memory_traces() const { return memory_traces_.size(); }

  DporState State() const;
  void Restore(const DporState& s);

 private:
  using Node = DporNode;
  using Clock = std::array<uint32_t, rt::kMaxTasks>;
  struct History {  // per object: the last step of each task that read / wrote it
    uint64_t generation;  // the execution these entries belong to
    int32_t last_read[rt::kMaxTasks];
    int32_t last_write[rt::kMaxTasks];
    int32_t last_acquire[rt::kMaxTasks];
  };
  enum class Abandon { kNone, kSleep, kBound, kOtherShard };

  uint32_t ChildSleep(int depth, const rt::ChoicePoint& cp) const;
  bool AllowedByPreemptionBound(int depth, TaskId t, uint32_t preempts) const;
  bool IsPreemption(int depth, TaskId t) const { return stack_[depth].preempts >> t & 1; }
  void MarkPruned(int depth);
  void AddBacktrack(const std::vector<rt::StepRecord>& steps, int i, TaskId t);
  void HandleRace(const std::vector<rt::StepRecord>& steps, int i, int j);
  // CPU hotplug's stopper (dpor.cc): its step `f` (k) waits for another CPU than its own.
  void AddBeforeCpuHold(const std::vector<rt::StepRecord>& steps, int i, int k);
  History& HistoryOf(uintptr_t obj);
  // Sharding: the level and key a new node at `depth` inherits from its parent.
  void Inherit(int depth, Node* n) const;
  bool Owned(uint64_t key) const;
  uint64_t PathKey() const;

  DporOptions o_;
  bool started_ = false;
  bool preemption_bound_hit_ = false;
  Abandon abandon_ = Abandon::kNone;
  std::vector<Node> stack_;
  uint32_t next_sleep_ = 0;
  CpuTracker cpus_;  // during an execution: the task each CPU runs (preemption.h)
  // Analysis scratch, reused across executions.
  std::vector<Clock> clocks_;
  std::vector<uint32_t> pos_;
  // Objects keep their addresses across executions (the kernel arena is reset to the
  // same base), so the object -> history map is kept and entries are invalidated by
  // generation instead of being cleared.
  std::unordered_map<uintptr_t, History> history_;
  uint64_t generation_ = 0;
  bool moves_ = false;  // the analysed execution has a CPU hotplug stopper's step
  // The tasks that a CPU hotplug stopper has moved in some execution: they never sleep.
  uint32_t moved_tasks_ = 0;
  int replay_depth_ = 0;  // steps below this were analysed in an earlier execution
  TraceSignature signature_;             // count_traces
  std::unordered_set<uint64_t> traces_;  // count_traces: signatures seen
  std::unordered_set<uint64_t> memory_traces_;
};

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_DPOR_H_
