// random_search.h -- seeded uniform random scheduling: at every scheduling point, one of
// the enabled tasks, uniformly; N executions.
//
// Guarantee: none beyond the executions run. An interleaving reached with probability p
// by uniform choices is missed by N executions with probability (1-p)^N; the first
// finding's seed and execution index are reported, and `--seed` reruns the same search.
// With no finding the verdict is `bound_reached` with bound executions=N: a random
// search is never exhaustive, so it never says "holds".
#ifndef KTHCHECK_CHECKER_EXPLORE_RANDOM_SEARCH_H_
#define KTHCHECK_CHECKER_EXPLORE_RANDOM_SEARCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "checker/explore/rng.h"
#include "checker/explore/search_strategy.h"
#include "checker/explore/shard.h"

namespace kt::explore {

// The execution counter shared by the randomized searches: execution i of N uses the
// seed Mix(seed, i), and a shard runs the indices it owns.
class RandomizedRuns {
 public:
  RandomizedRuns(uint64_t seed, uint64_t executions, Shard shard)
      : seed_(seed), executions_(executions), shard_(shard) {}
  // Moves to the next owned execution and seeds `rng` for it; false when none is left.
  bool Next(Rng* rng);
  uint64_t index() const { return index_ - 1; }  // of the execution running now
  uint64_t seed() const { return seed_; }
  uint64_t executions() const { return executions_; }
  double Fraction() const { return executions_ ? double(index_) / executions_ : 1; }
  std::string ShardText() const;

 private:
  uint64_t seed_;
  uint64_t executions_;
  Shard shard_;
  uint64_t index_ = 0;  // of the next candidate execution
};

class RandomSearch final : public SearchStrategy {
 public:
  RandomSearch(uint64_t seed, uint64_t executions, Shard shard = {})
      : runs_(seed, executions, shard) {}

  TaskId Choose(const rt::ChoicePoint& cp) override { return rng_.PickBit(cp.enabled); }
  bool Next() override { return runs_.Next(&rng_); }
  RunKind Done(const rt::RunResult&) override { return RunKind::kCounted; }
  std::string Cut() const override { return "executions=" + std::to_string(runs_.executions()); }
  std::string Guarantee() const override;
  std::vector<std::string> FindingNotes() const override;
  double Fraction() const override { return runs_.Fraction(); }

 private:
  RandomizedRuns runs_;
  Rng rng_;
};

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_RANDOM_SEARCH_H_
