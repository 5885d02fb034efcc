// bounds.h -- named limits on a search. Reaching one is its own verdict
// (`bound_reached`, naming the limit), never "no bug found".
#ifndef KTHCHECK_CHECKER_EXPLORE_BOUNDS_H_
#define KTHCHECK_CHECKER_EXPLORE_BOUNDS_H_

#include <cstdint>

namespace kt::explore {

struct Bounds {
  uint64_t max_steps = 20000;           // steps in one execution (KT_MAX_STEPS)
  // Executions in one search (KT_MAX_EXECUTIONS). The largest default check of the
  // faithful catalog, park_unpark_stop under tso, takes 21,624,415 (about 18 minutes).
  uint64_t max_executions = 50000000;
  int max_preemptions = -1;             // preemptions in one execution; -1 = unbounded
  uint64_t hung_task_timeout = 5000;    // virtual ms an untimed wait may last (hang)
  // Livelock oracle (fair search only, and replays of its findings): a task that runs
  // this many steps without blocking while another task starves. 0 = oracle off.
  uint64_t livelock_steps = 0;
  // Resident memory of the checker process, checked between executions; 0 = no limit.
  uint64_t max_memory_mb = 0;
};

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_BOUNDS_H_
