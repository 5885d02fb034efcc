// verdict.h -- the outcome of a search: a value, never an exception.
#ifndef KTHCHECK_CHECKER_EXPLORE_VERDICT_H_
#define KTHCHECK_CHECKER_EXPLORE_VERDICT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "impl/platform/seam.h"

namespace kt::explore {

enum class VerdictKind { kHolds, kViolation, kBoundReached };
const char* VerdictName(VerdictKind k);

struct Verdict {
  VerdictKind kind = VerdictKind::kHolds;
  std::string oracle;                 // "hang", "lost_wakeup", "warn"; empty if none
  std::string message;                // one sentence
  std::vector<std::string> details;   // the oracle's, e.g. the wait-for chain
  // How the search reached the finding (strategy, seed, execution, bound) and what
  // shrinking did; not part of the finding (a replay has none).
  std::vector<std::string> notes;
  std::string bound;                  // the bound that was reached, if any
  bool exhaustive = false;            // no bound cut the search
  uint64_t executions = 0;
  uint64_t steps = 0;                 // over all executions
  uint64_t sleep_blocked = 0;         // executions cut short by sleep sets
  uint64_t other_shard = 0;           // prefixes run only to reach this shard's part
  uint64_t traces = 0;                // --count-traces: distinct Mazurkiewicz traces run
  uint64_t memory_traces = 0;         // the same, CPU regions ignored (trace_signature.h)
  std::vector<TaskId> schedule;       // the counterexample's, if any
  int preemptions = 0;                // in the counterexample
  double seconds = 0;
};

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_VERDICT_H_
