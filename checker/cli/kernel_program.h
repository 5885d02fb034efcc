// kernel_program.h -- where the pieces meet: a scenario of the kernel port, with a
// variant and a CPU count, as a Program the checker can explore.
#ifndef KTHCHECK_CHECKER_CLI_KERNEL_PROGRAM_H_
#define KTHCHECK_CHECKER_CLI_KERNEL_PROGRAM_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checker/cli/conformance.h"
#include "checker/explore/explorer.h"
#include "checker/explore/schedule.h"
#include "impl/modules/scenario.h"
#include "impl/variants.h"

namespace kt::cli {

struct Target {
  const Scenario* scenario = nullptr;
  Variant variant = Variant::kNone;
  int cpus = 2;
  int hotplug = 2;  // scenarios with CPU hotplug: offline/online cycles
  int work = 2;     // scenarios with a producer: work items
  // Scenario::programmed (api_sequence): the canonical operation program
  // (impl/modules/api_program.h); ResolveTarget sets the default program.
  std::string ops;
  // --conformance: every execution is also followed by the model (conformance.h), with
  // this mapping (null: FaithfulMapping(); tests pass a deliberately broken one).
  bool conformance = false;
  std::shared_ptr<const std::vector<MappingRow>> mapping;
  rt::MemoryModel memory_model = rt::MemoryModel::kSc;
  // Spurious-wakeup injection: stray wakeups per execution (0-3; RunOptions::stray_wakeups).
  int stray_wakeups = 0;
  // --irq=threaded: interrupt handlers run as threads, not in hard interrupt context.
  bool irq_threaded = false;
};

// With target->conformance set: "" if the model covers the target, else one line why.
std::string CheckConformanceTarget(const Target& target);
// "" if the model can follow runs under this memory model and stray-wakeup count (sc, none),
// else one line why; for every scenario alike (check --all says it once).
std::string ConformanceRunRefused(rt::MemoryModel memory_model, int stray_wakeups);

// nullopt with a one-line *error for an unknown scenario/variant or a bad CPU count.
std::optional<Target> ResolveTarget(const std::string& scenario, const std::string& variant,
                                    int cpus, std::string* error, int hotplug = 2, int work = 2);
// With target.conformance, *conformance (if given) receives the mapping the program's
// executions feed, so a test can look at the model state an execution reached.
explore::Program MakeProgram(const Target& target,
                             std::shared_ptr<ConformanceRun>* conformance = nullptr);
explore::ScheduleToken MakeToken(const Target& target, const std::vector<TaskId>& choices);
// tso or pso for a variant whose missing barrier only store buffers show (variants.def).
rt::MemoryModel VariantMemoryModel(Variant v);
// 1 for a wait that only a spurious wakeup shows (VARIANT_SPURIOUS rows), else 0.
int VariantStrayWakeups(Variant v);
inline constexpr int kMaxStrayWakeups = 3;
// Sets target->ops to the canonical form of `ops` for its scenario and CPU count; false
// with one line in *error if the scenario takes no program, `ops` does not parse, or none
// of its operations is legal ("" is the default program).
bool SetTargetOps(Target* target, const std::string& ops, std::string* error);
std::optional<Target> TargetFromToken(const explore::ScheduleToken& token, std::string* error);

}  // namespace kt::cli

#endif  // KTHCHECK_CHECKER_CLI_KERNEL_PROGRAM_H_
