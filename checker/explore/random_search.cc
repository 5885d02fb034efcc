#include "checker/explore/random_search.h"

namespace kt::explore {

bool RandomizedRuns::Next(Rng* rng) {
  while (index_ < executions_ && !shard_.Owns(index_)) ++index_;
  if (index_ >= executions_) return false;
  *rng = Rng(Mix(seed_, index_));
  ++index_;
  return true;
}

std::string RandomizedRuns::ShardText() const {
  if (shard_.count <= 1) return "";
  return " (shard " + std::to_string(shard_.index) + " of " + std::to_string(shard_.count) + ")";
}

std::string RandomSearch::Guarantee() const {
  return "no finding in " + std::to_string(runs_.executions()) +
         " executions scheduled uniformly at random (seed " + std::to_string(runs_.seed()) + ")" +
         runs_.ShardText() + "; a random search is not exhaustive";
}

std::vector<std::string> RandomSearch::FindingNotes() const {
  return {"found by random scheduling: seed " + std::to_string(runs_.seed()) + ", execution " +
          std::to_string(runs_.index()) + " of " + std::to_string(runs_.executions())};
}

}  // namespace kt::explore
