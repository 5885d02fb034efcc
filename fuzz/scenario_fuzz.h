// scenario_fuzz.h -- the scenario-and-schedule fuzzer's input format and one execution of it.
//
// An input is a scenario of the kernel port, its parameters, and every scheduling choice
// of one execution on the controlled runtime (checker/runtime/controlled_sys.h), with all
// oracles on. Layout (FuzzedDataProvider reads integers from the end, bytes from the
// front):
//
//   last byte         scenario: catalog index (byte % catalog size; stable for byte <
//                     size as long as the catalog only appends)
//   last byte but 1   config: bits 0-1 CPUs - 1 (1-4; KT_FUZZ_CPUS narrows the range),
//                     bits 2-3 hotplug cycles, bits 4-5 work items, bit 6 fair mode,
//                     bit 7 unused
//   api_sequence      (a programmed scenario) then a count byte n (mod kMaxApiOps + 1)
//   only, from the    and n operation bytes, each an operation of the program
//   end               (ApiOpFromByte: letter and digit of impl/modules/api_program.h),
//                     legalized for the CPU count; a program with no legal operation is
//                     the default one. The token carries the legalized program as ops=.
//   the rest, from    the schedule, one byte per run: at a scheduling point with a choice
//   the front         (two or more enabled tasks) that no run covers, the next byte b
//                     picks the task ((b & 15) % n)-th among the n enabled ones, in
//                     rotation order starting at the task that ran the previous step, and
//                     keeps it for the next (b >> 4) choice points while it stays enabled.
//                     So 0 means "no preemption" (keep running, or the next enabled task
//                     after it, for one point), a byte is one context switch, and an
//                     input that runs out of bytes continues without preemptions: every
//                     input is a complete execution.
//
// Fair mode adds bounded fairness (a task left enabled for kPatience choice points runs
// next; such forced points read no byte) and turns on the livelock oracle, which is only
// sound under a fair scheduler (fair_search.h); its tokens carry livelock=N so that
// `kthcheck replay` turns the oracle on too.
//
// The variant is not chosen by the input: the environment selects it (ConfigFromEnv), so
// a fuzzing run on the faithful port reports only real findings, and a run with a planted
// variant has one bug to find.
#ifndef KTHCHECK_FUZZ_SCENARIO_FUZZ_H_
#define KTHCHECK_FUZZ_SCENARIO_FUZZ_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/cli/kernel_program.h"
#include "checker/runtime/run_result.h"

namespace kt::fuzz {

inline constexpr int kPatience = 8;                // fair mode, as FairSearch::kPatience
inline constexpr uint64_t kLivelockSteps = 1000;   // fair mode, explore::kDefaultLivelockSteps

// What the environment fixes for a whole fuzzing run.
struct FuzzConfig {
  Variant variant = Variant::kNone;
  const Scenario* only_scenario = nullptr;  // nullptr: the input picks from the catalog
  int min_cpus = 1;  // the config bits pick min_cpus + (bits & 3) % (max - min + 1)
  int max_cpus = 4;
};

// KT_FUZZ_VARIANT=<name> (default none) selects a variant of impl/variants.def; it also
// restricts the scenario to the variant's own, unless KT_FUZZ_SCENARIO=<name> names
// another one or "all". KT_FUZZ_SCENARIO alone restricts the faithful port to one
// scenario. KT_FUZZ_CPUS=<n> or <lo>-<hi> (default 1-4) restricts the CPU counts.
// Unknown names or bad ranges: nullopt with *error.
std::optional<FuzzConfig> ConfigFromEnv(std::string* error);

// A preemption in an execution, as the runtime counts them (an involuntary switch on
// one CPU), for finding signatures (fuzz/triage.cc).
struct Preemption {
  std::string from;  // "event_thread:event_thread_fn" (task name, pending kernel function)
  std::string to;
};

// One execution of an input.
struct FuzzRun {
  cli::Target target;
  bool fair = false;
  const rt::RunResult* result = nullptr;  // valid until the next RunScenarioInput
  std::string oracle;                     // the finding's oracle; empty if none
  size_t choice_bytes_used = 0;
  std::vector<Preemption> preemptions;    // only with record_preemptions

  // The replay token of this execution (`kthcheck replay <token>`).
  std::string Token() const;
};

struct RunFlags {
  bool coverage = true;             // feed the protocol-state counters
  bool record_preemptions = false;  // fill FuzzRun::preemptions
};

// Runs one execution of the input. Not reentrant (one controlled runtime per process).
FuzzRun RunScenarioInput(const uint8_t* data, size_t size, const FuzzConfig& config,
                         const RunFlags& flags = {});

// The finding report printed before the fuzzer aborts: oracle, message, details, token
// and the replay command, each line prefixed "==kthcheck== ".
std::string DescribeFinding(const FuzzRun& run);

}  // namespace kt::fuzz

#endif  // KTHCHECK_FUZZ_SCENARIO_FUZZ_H_
