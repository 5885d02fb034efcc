// replay_property_test -- rapidcheck properties of replay (DESIGN.md "The same token
// replays the failure deterministically"):
//   - a counterexample found by a search (random scheduling with a generated seed, on a
//     planted variant's scenario) replays from its token to the same verdict twice, with
//     identical traces;
//   - every scenario_fuzzer execution replays from its token (as `kthcheck replay` would)
//     to the same outcome: same oracle (or none), same number of steps, no divergence.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "checker/cli/kernel_program.h"
#include "checker/explore/explorer.h"
#include "checker/explore/schedule.h"
#include "fuzz/scenario_fuzz.h"

namespace kt::fuzz {
namespace {

// Token text -> replay, through the same steps as `kthcheck replay`.
explore::Replayed ReplayToken(const std::string& text) {
  std::string error;
  std::optional<explore::ScheduleToken> token = explore::DecodeToken(text, &error);
  RC_ASSERT(token.has_value());
  std::optional<cli::Target> target = cli::TargetFromToken(*token, &error);
  RC_ASSERT(target.has_value());
  explore::Bounds bounds;
  if (const std::string* l = token->Param("livelock")) bounds.livelock_steps = std::stoull(*l);
  return explore::Replay(cli::MakeProgram(*target), token->choices, bounds);
}

void AssertSameReplay(const explore::Replayed& a, const explore::Replayed& b) {
  RC_ASSERT(a.error == b.error);
  RC_ASSERT(a.verdict.kind == b.verdict.kind);
  RC_ASSERT(a.verdict.oracle == b.verdict.oracle);
  RC_ASSERT(a.verdict.message == b.verdict.message);
  RC_ASSERT(a.verdict.details == b.verdict.details);
  RC_ASSERT(a.verdict.steps == b.verdict.steps);
  RC_ASSERT(a.task_names == b.task_names);
  RC_ASSERT(a.trace.size() == b.trace.size());
  for (size_t i = 0; i < a.trace.size(); ++i) {
    const rt::TraceLine& x = a.trace[i];
    const rt::TraceLine& y = b.trace[i];
    RC_ASSERT(x.step == y.step && x.task == y.task && x.cpu == y.cpu &&
              x.preempted == y.preempted && x.fn == y.fn && x.text == y.text);
  }
}

// Variants whose bug random scheduling finds within a few thousand executions on 2 CPUs.
const char* const kQuickVariants[] = {"event_check_before_set_state", "stop_without_unpark",
                                      "park_without_wakeup", "exit_without_stop",
                                      "loop_ignores_should_stop"};

RC_GTEST_PROP(ReplayPropertyTest, ExploredCounterexampleReplaysToTheSameVerdictTwice, ()) {
  int nv = 0;
  const VariantInfo* variants = AllVariants(&nv);
  std::string name = *rc::gen::elementOf(std::vector<std::string>(
      std::begin(kQuickVariants), std::end(kQuickVariants)));
  const VariantInfo* info = nullptr;
  for (int i = 0; i < nv; ++i)
    if (name == variants[i].name) info = &variants[i];
  RC_ASSERT(info != nullptr);
  std::string error;
  std::optional<cli::Target> target = cli::ResolveTarget(info->scenario, name, 2, &error);
  RC_ASSERT(target.has_value());
  explore::SearchOptions o;
  o.search = explore::Search::kRandom;
  o.seed = *rc::gen::inRange<uint64_t>(1, 1u << 30);
  o.executions = 5000;
  explore::Verdict v = explore::Explore(cli::MakeProgram(*target), o, explore::Bounds{});
  RC_PRE(v.kind == explore::VerdictKind::kViolation);  // rare misses are discarded
  std::string token = explore::EncodeToken(cli::MakeToken(*target, v.schedule));
  explore::Replayed first = ReplayToken(token);
  explore::Replayed second = ReplayToken(token);
  RC_ASSERT(first.error.empty());
  RC_ASSERT(first.verdict.oracle == v.oracle);
  AssertSameReplay(first, second);
}

RC_GTEST_PROP(ReplayPropertyTest, EveryFuzzerExecutionReplaysFromItsToken, ()) {
  std::vector<uint8_t> input = *rc::gen::container<std::vector<uint8_t>>(
      *rc::gen::inRange<size_t>(0, 48), rc::gen::arbitrary<uint8_t>());
  FuzzConfig config;
  if (*rc::gen::inRange(0, 3) == 0) {
    int nv = 0;
    const VariantInfo* variants = AllVariants(&nv);
    const VariantInfo& v = variants[*rc::gen::inRange(0, nv)];
    config.variant = v.id;
    config.only_scenario = FindScenario(v.scenario);
  }
  FuzzRun run = RunScenarioInput(input.data(), input.size(), config, {false, false});
  RC_TAG(run.oracle.empty() ? "no finding" : run.oracle);
  std::string oracle = run.oracle;
  uint64_t steps = run.result->steps.size();
  explore::Replayed rep = ReplayToken(run.Token());
  RC_ASSERT(rep.error.empty());
  RC_ASSERT(rep.verdict.oracle == oracle);
  RC_ASSERT(rep.verdict.steps == steps);
}

}  // namespace
}  // namespace kt::fuzz
