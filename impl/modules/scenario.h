// scenario.h -- a Scenario is a module (init, thread functions, exit) plus the driver
// that loads it, exercises it and unloads it, as a user with insmod/rmmod would.
#ifndef KTHCHECK_IMPL_MODULES_SCENARIO_H_
#define KTHCHECK_IMPL_MODULES_SCENARIO_H_

#include <string_view>

namespace kt {

struct Scenario {
  const char* name;
  const char* description;
  void (*run)();  // runs in the driver task: init, exercise, exit
  // Reads BootParams::hotplug and ::work (kt_boot_params()); its tokens carry them.
  bool parameterized = false;
  // Nonzero for scenarios whose exhaustive search does not finish in minutes at the
  // default parameters: a default `kthcheck check` runs DPOR for this many executions,
  // then PCT for as many runs, and reports bound_reached (never "holds").
  unsigned long search_budget = 0;
  // True for busy-polling scenarios: a default `kthcheck check` uses the fair strategy
  // with the livelock oracle, since an unfair search may simply never run the poller's
  // victims (DPOR would report max_steps, not the starvation).
  bool needs_fairness = false;
  // Reads BootParams::ops, an operation program (api_program.h); its tokens carry it.
  bool programmed = false;
};

// The catalog, in a stable order.
const Scenario* const* AllScenarios(int* count);
const Scenario* FindScenario(std::string_view name);

}  // namespace kt

#endif  // KTHCHECK_IMPL_MODULES_SCENARIO_H_
