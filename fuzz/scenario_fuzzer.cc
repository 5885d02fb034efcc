// scenario_fuzzer -- libFuzzer target: the input chooses a scenario of the kernel port, its
// parameters and every scheduling choice of one execution on the controlled runtime, with
// all oracles on (input format: scenario_fuzz.h). A finding prints its oracle and replay
// token on stderr and aborts, so libFuzzer saves the input as a crash file; the token
// replays through `kthcheck replay`, the crash file through this binary.
//
// Environment: KT_FUZZ_VARIANT=<variant> plants a variant (default none: the faithful
// port, where any finding is a real bug); KT_FUZZ_SCENARIO=<scenario>|all and
// KT_FUZZ_CPUS=<n>|<lo>-<hi> restrict the scenario and the CPU counts;
// KT_FUZZ_FINDINGS=count does not abort on findings but counts them, printing the first
// of each oracle (benchmarks: bench/fuzz_bench.sh measures executions per second with it).
// See fuzz/README.md.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "fuzz/scenario_fuzz.h"

namespace {

const kt::fuzz::FuzzConfig& Config() {
  static const kt::fuzz::FuzzConfig config = [] {
    std::string error;
    std::optional<kt::fuzz::FuzzConfig> c = kt::fuzz::ConfigFromEnv(&error);
    if (!c) {
      std::fprintf(stderr, "scenario_fuzzer: %s\n", error.c_str());
      std::exit(2);
    }
    return *c;
  }();
  return config;
}

bool CountOnly() {
  static const bool count = [] {
    const char* v = std::getenv("KT_FUZZ_FINDINGS");
    return v && std::string(v) == "count";
  }();
  return count;
}

// KT_FUZZ_FINDINGS=count: the first finding of each oracle is printed, the rest counted.
void Count(const kt::fuzz::FuzzRun& run) {
  static std::map<std::string, uint64_t> seen;
  if (seen[run.oracle]++ == 0)
    std::fprintf(stderr, "==kthcheck== counting findings (KT_FUZZ_FINDINGS=count); first %s:\n%s",
                 run.oracle.c_str(), kt::fuzz::DescribeFinding(run).c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  kt::fuzz::FuzzRun run = kt::fuzz::RunScenarioInput(data, size, Config());
  if (run.oracle.empty()) return 0;
  if (CountOnly()) {
    Count(run);
    return 0;
  }
  std::string report = kt::fuzz::DescribeFinding(run);
  std::fputs(report.c_str(), stderr);
  std::fflush(stderr);
  std::abort();
}
