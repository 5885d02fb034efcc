// boot.h -- one kernel instance per execution: reset every kernel global, fork kthreadd
// and the module driver task, then let the backend run the tasks.
#ifndef KTHCHECK_IMPL_BOOT_H_
#define KTHCHECK_IMPL_BOOT_H_

#include <string>

#include "impl/modules/scenario.h"
#include "impl/platform/seam.h"
#include "impl/variants.h"

namespace kt {

struct BootParams {
  const Scenario* scenario = nullptr;
  Variant variant = Variant::kNone;
  int cpus = 2;
  int hotplug = 2;  // offline/online cycles, for scenarios that do CPU hotplug
  int work = 2;     // work items, for scenarios with a producer
  std::string ops;  // the operation program of api_sequence (api_program.h); "": default
};

// The parameters of the running kernel instance (modules read hotplug and work).
const BootParams& kt_boot_params();

// Call outside any task, with the backend installed (SetSys). Returns the driver task,
// which loads the module, exercises it and unloads it; the run is over when it exits.
TaskId kernel_boot(const BootParams& params);

}  // namespace kt

#endif  // KTHCHECK_IMPL_BOOT_H_
