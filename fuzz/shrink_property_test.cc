// shrink_property_test -- rapidcheck property of counterexample shrinking
// (checker/explore/shrink.h): whatever violating execution the scenario fuzzer stumbles
// on, shrinking it keeps the verdict. The shrunk schedule replays (as `kthcheck replay`
// would) without divergence to the same oracle, and it is no worse than the original:
// fewer preemptions, or as many and no more steps.
//
// The inputs are scenario_fuzzer inputs on planted variants (random bytes, so random
// schedules), which gives a spread of oracles, scenarios and CPU counts; inputs that
// show no finding are discarded (RC_PRE).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "checker/cli/kernel_program.h"
#include "checker/explore/explorer.h"
#include "checker/explore/shrink.h"
#include "fuzz/scenario_fuzz.h"

namespace kt::fuzz {
namespace {

RC_GTEST_PROP(ShrinkPropertyTest, ShrinkingKeepsTheOracleAndNeverAddsPreemptions, ()) {
  int nv = 0;
  const VariantInfo* variants = AllVariants(&nv);
  const VariantInfo& v = variants[*rc::gen::inRange(0, nv)];
  FuzzConfig config{v.id, FindScenario(v.scenario)};
  std::vector<uint8_t> input = *rc::gen::container<std::vector<uint8_t>>(
      *rc::gen::inRange<size_t>(2, 40), rc::gen::arbitrary<uint8_t>());
  FuzzRun run = RunScenarioInput(input.data(), input.size(), config, {false, false});
  RC_PRE(!run.oracle.empty());
  RC_TAG(run.oracle);
  // Copied now: the runtime's result is overwritten by the runs Shrink makes.
  const std::string oracle = run.oracle;
  const std::vector<TaskId> schedule = run.result->schedule;
  const int preemptions = run.result->preemptions;
  const size_t steps = run.result->steps.size();

  explore::Bounds bounds;
  if (run.fair) bounds.livelock_steps = kLivelockSteps;
  explore::Program program = cli::MakeProgram(run.target);
  explore::ShrinkResult s =
      explore::Shrink(program, bounds, schedule, oracle, {/*max_runs=*/400, /*max_seconds=*/2});

  explore::Replayed rep = explore::Replay(program, s.schedule, bounds);
  RC_ASSERT(rep.error.empty());
  RC_ASSERT(rep.verdict.oracle == oracle);
  RC_ASSERT(s.preemptions <= preemptions);
  if (s.preemptions == preemptions) RC_ASSERT(rep.verdict.steps <= steps);
}

}  // namespace
}  // namespace kt::fuzz
