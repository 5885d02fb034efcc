// sleep_rules.h -- when source-DPOR (dpor.cc) may put a task to sleep beside the step
// chosen instead: the two pending steps must be independent, and the sleeper's step must
// not be able to keep the chosen task off its CPU. Apart from dpor.cc so that the rules
// the CPU regions and the hotplug stopper add to plain memory dependence read in one place.
#ifndef KTHCHECK_CHECKER_EXPLORE_SLEEP_RULES_H_
#define KTHCHECK_CHECKER_EXPLORE_SLEEP_RULES_H_

#include "checker/runtime/controlled_sys.h"

namespace kt::explore {

// Besides their common objects, a step of the CPU hotplug stopper that moves tasks onto
// or off a CPU depends on every step that runs on that CPU (op.h: each reads cpu(c)).
bool DependentPending(const rt::ControlledSys& rt, TaskId a, TaskId b);

// Whether running `sleeper`'s pending step could disable `chosen`, which touches no
// common object (see sleep_rules.cc). Such a sleeper may not be put to sleep.
bool MayDisable(const rt::ControlledSys& rt, TaskId sleeper, TaskId chosen);

}  // namespace kt::explore

#endif  // KTHCHECK_CHECKER_EXPLORE_SLEEP_RULES_H_
