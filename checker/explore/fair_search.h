// fair_search.h -- random scheduling with bounded fairness, for the livelock oracle.
//
// At every scheduling point one enabled task is chosen uniformly at random, except that
// a task which has stayed enabled without running for kPatience scheduling points runs
// next (the one that has waited longest). So every task that stays enabled runs within
// kPatience + (number of tasks) steps: no execution starves a task that could run.
//
// Under this fairness the runtime's livelock oracle is on (Bounds::livelock_steps,
// controlled_sys.h): a task that runs more than L steps without blocking while another
// live task has not run for L steps is a `livelock` finding. A fair scheduler would have
// run the starving task if it could, so it is waiting for something that the running
// task never does. (Under an unfair strategy such as DPOR, the same execution may just
// be the scheduler's choice, so the oracle is off there and such runs end at max_steps.)
//
// Guarantee: none beyond the executions run, as for random; with no finding the verdict
// is `bound_reached` with bound executions=N.
#ifndef KTHCHECK_CHECKER_EXPLORE_FAIR_SEARCH_H_
#define KTHCHECK_CHECKER_EXPLORE_FAIR_SEARCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "checker/explore/random_search.h"
#include "checker/explore/rng.h"
#include "checker/explore/search_strategy.h"
#include "checker/explore/shard.h"
#include "checker/runtime/controlled_sys.h"

namespace kt::explore {

class FairSearch final : public SearchStrategy {
 public:
  static constexpr int kPatience = 8;

  FairSearch(uint64_t seed, uint64_t executions, Shard shard = {})
      : runs_(seed, executions, shard) {}

  TaskId Choose(const rt::ChoicePoint& cp) override;
  bool Next() override;
  RunKind Done(const rt::RunResult&) override { return RunKind::kCounted; }
  std::string Cut() const override { return "executions=" + std::to_string(runs_.executions()); }
  std::string Guarantee() const override;
  std::vector<std::string> FindingNotes() const override;
  double Fraction() const override { return runs_.Fraction(); }

 private:
  RandomizedRuns runs_;
  Rng rng_;
  int waited_[rt::kMaxTasks] = {};  // scheduling points enabled without running
};

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_FAIR_SEARCH_H_
