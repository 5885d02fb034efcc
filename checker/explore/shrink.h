// shrink.h -- counterexample shrinking: before a counterexample is shown, it is reduced
// to the fewest preemptions, then the fewest steps, keeping the oracle that fired.
//
// Local search over schedules, each candidate checked by running it (the runtime is the
// only judge of what a schedule does). A candidate keeps a prefix of the current
// counterexample and changes one choice:
//   - at a preemption, the preempted task continues instead; then either it runs until
//     it cannot, or every later choice avoids preempting;
//   - at any switch between tasks, another enabled task runs instead;
// and after the change, tasks run in the order of the current counterexample as far as
// possible ("guided": the task whose next step came earliest there goes first). A
// candidate is kept if the same oracle fires and it has fewer preemptions, or as many
// and fewer steps. The search restarts from every kept candidate and stops when no
// candidate improves, or at the run or time limit.
//
// The result is a local minimum, not a proof of minimality; it replays exactly (it is
// the schedule of a run that produced the finding).
#ifndef KTHCHECK_CHECKER_EXPLORE_SHRINK_H_
#define KTHCHECK_CHECKER_EXPLORE_SHRINK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "checker/explore/bounds.h"
#include "checker/explore/explorer.h"
#include "checker/explore/verdict.h"

namespace kt::explore {

struct ShrinkLimits {
  int max_runs = 4000;
  double max_seconds = 10;
};

struct ShrinkResult {
  std::vector<TaskId> schedule;  // the shrunk counterexample
  int preemptions = 0;
  std::string message;           // the finding, as the shrunk run reports it
  std::vector<std::string> details;
  int from_preemptions = 0;      // the counterexample it started from
  size_t from_steps = 0;
  int runs = 0;                  // candidate executions run
  bool limit_reached = false;    // stopped by ShrinkLimits, not at a local minimum
};

// Shrinks `schedule`, which must end in a finding of `oracle` under `bounds`.
ShrinkResult Shrink(const Program& program, const Bounds& bounds,
                    const std::vector<TaskId>& schedule, const std::string& oracle,
                    const ShrinkLimits& limits = {});

// Shrinks a violation's counterexample in place (schedule, preemptions, message and
// details), adding a note that says what shrinking did.
void ShrinkVerdict(const Program& program, const Bounds& bounds, Verdict* v,
                   const ShrinkLimits& limits = {});

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_SHRINK_H_
