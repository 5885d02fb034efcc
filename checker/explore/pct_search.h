// pct_search.h -- probabilistic concurrency testing with depth d (Burckhardt, Kothari,
// Musuvathi, Nagarakatte: "A randomized scheduler with probabilistic guarantees of
// finding bugs", ASPLOS'10).
//
// Each execution gives every task a random priority (a task created later gets a random
// place among the existing ones), draws d-1 priority change points uniformly among the
// steps 1..k, and always runs the enabled task with the highest priority. At the i-th
// change point the task about to run drops to priority i, below every initial priority.
//
// Guarantee (the paper's Theorem 1): a bug of depth d -- one that needs d ordering
// constraints between steps to show -- is found by one execution with probability at
// least 1/(n k^(d-1)), where n is the number of tasks and k the number of steps, so N
// executions miss it with probability at most (1 - 1/(n k^(d-1)))^N. Here k is the
// longest execution seen so far (the first execution has no change points) and n the
// most tasks seen; the verdict states the bound with the measured n and k.
#ifndef KTHCHECK_CHECKER_EXPLORE_PCT_SEARCH_H_
#define KTHCHECK_CHECKER_EXPLORE_PCT_SEARCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "checker/explore/random_search.h"
#include "checker/explore/rng.h"
#include "checker/explore/search_strategy.h"
#include "checker/explore/shard.h"
#include "checker/runtime/controlled_sys.h"

namespace kt::explore {

class PctSearch final : public SearchStrategy {
 public:
  PctSearch(uint64_t seed, uint64_t executions, int depth, Shard shard = {})
      : runs_(seed, executions, shard), depth_(depth < 1 ? 1 : depth) {}

  TaskId Choose(const rt::ChoicePoint& cp) override;
  bool Next() override;
  RunKind Done(const rt::RunResult& r) override;
  std::string Cut() const override { return "executions=" + std::to_string(runs_.executions()); }
  std::string Guarantee() const override;
  std::vector<std::string> FindingNotes() const override;
  double Fraction() const override { return runs_.Fraction(); }

  // The per-execution lower bound 1/(n k^(d-1)) with the n and k seen so far.
  double ProbabilityBound() const;

 private:
  TaskId Highest(uint32_t enabled) const;

  RandomizedRuns runs_;
  int depth_;
  Rng rng_;
  uint64_t prio_[rt::kMaxTasks] = {};
  int known_ = 0;                        // tasks given a priority in this execution
  std::vector<uint64_t> change_points_;  // steps (1-based, sorted) where priorities drop
  size_t next_change_ = 0;
  uint64_t k_ = 0;                       // the longest execution seen, in steps
  int n_ = 0;                            // the most tasks seen
};

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_PCT_SEARCH_H_
