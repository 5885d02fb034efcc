// search_strategy.h -- a search: a strategy that chooses over many executions.
//
// The explorer (explorer.cc) drives every search the same way:
//
//   while (search.Next()) {                  // prepare the next execution, or stop
//     r = runtime.Run(program, search);      // Choose() at every scheduling point
//     switch (search.Done(r)) { ... }        // what the run counts as; learn from it
//   }
//
// and a search decides what is explored, when it is over, and what its result means
// (Cut(), Guarantee()). One search per file: dpor.h (dpor, dfs), bounded_search.h,
// random_search.h, pct_search.h, fair_search.h.
#ifndef KTHCHECK_CHECKER_EXPLORE_SEARCH_STRATEGY_H_
#define KTHCHECK_CHECKER_EXPLORE_SEARCH_STRATEGY_H_

#include <string>
#include <vector>

#include "checker/runtime/run_result.h"
#include "checker/runtime/strategy.h"

namespace kt::explore {

// How an execution that ran counts.
enum class RunKind {
  kCounted,       // one execution of the search
  kSleepBlocked,  // counted, and cut short by sleep sets (only redundant orders remained)
  kOtherShard,    // a prefix run only to reach this shard's part of the tree: not counted,
                  // and a finding in it belongs to the shard that owns it
};

class SearchStrategy : public rt::Strategy {
 public:
  // Prepares the next execution; false when the search is over.
  virtual bool Next() = 0;
  // Called after every execution, findings included.
  virtual RunKind Done(const rt::RunResult& r) = 0;
  // Once Next() returned false: "" if nothing cut the search, else the bound that did,
  // as "name=value" ("max_preemptions=2", "executions=1000").
  virtual std::string Cut() const = 0;
  // One sentence: what a search that found nothing has shown.
  virtual std::string Guarantee() const = 0;
  // Lines that say how a finding was reached (seed, execution, bound), for the verdict.
  virtual std::vector<std::string> FindingNotes() const { return {}; }
  // Estimated fraction of the search done, in [0, 1]; negative if unknown.
  virtual double Fraction() const { return -1; }
  // Bytes held by the search's own structures (the stack, the analysis scratch).
  virtual size_t MemoryBytes() const { return 0; }
};

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_SEARCH_STRATEGY_H_
