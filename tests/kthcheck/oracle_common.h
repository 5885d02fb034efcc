// oracle_common.h -- helpers shared by the kthcheck tests: a scenario (with a variant)
// of the kernel port as an explorable Program, and printers for test names.
#ifndef KTHCHECK_TESTS_KTHCHECK_ORACLE_COMMON_H_
#define KTHCHECK_TESTS_KTHCHECK_ORACLE_COMMON_H_

#include <gtest/gtest.h>

#include <cctype>
#include <ostream>
#include <string>
#include <vector>

#include "checker/cli/kernel_program.h"
#include "checker/explore/explorer.h"
#include "checker/explore/portfolio.h"
#include "impl/modules/scenario.h"
#include "impl/variants.h"

namespace kt::testing {

// The target for `scenario` (and `variant`, "" = faithful) on 2 CPUs, the CLI default,
// under the variant's own memory model (tso or pso for VARIANT_TSO/VARIANT_PSO rows, else
// sc) and with its
// own spurious-wakeup injection (one stray wakeup for VARIANT_SPURIOUS rows, else none).
// Fails the test (and returns a null scenario) if the catalog does not know them.
inline cli::Target TargetFor(const std::string& scenario, const std::string& variant = "") {
  std::string error;
  std::optional<cli::Target> t = cli::ResolveTarget(scenario, variant, 2, &error);
  EXPECT_TRUE(t.has_value()) << error;
  if (t) t->memory_model = cli::VariantMemoryModel(t->variant);
  if (t) t->stray_wakeups = cli::VariantStrayWakeups(t->variant);
  return t.value_or(cli::Target{});
}

// The same target under memory model `mm`.
inline cli::Target TargetFor(const std::string& scenario, const std::string& variant,
                             rt::MemoryModel mm) {
  cli::Target t = TargetFor(scenario, variant);
  t.memory_model = mm;
  return t;
}

inline bool NeedsTso(const VariantInfo& info) { return std::string(info.memory_model) == "tso"; }
inline bool NeedsPso(const VariantInfo& info) { return std::string(info.memory_model) == "pso"; }
inline bool NeedsStrays(const VariantInfo& info) { return info.stray_wakeups > 0; }

inline std::vector<std::string> VariantNames() {
  int n = 0;
  const VariantInfo* v = AllVariants(&n);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(v[i].name);
  return out;
}

inline const VariantInfo& InfoOf(const std::string& name) {
  int n = 0;
  const VariantInfo* v = AllVariants(&n);
  for (int i = 0; i < n; ++i)
    if (name == v[i].name) return v[i];
  ADD_FAILURE() << "no variant " << name;
  return v[0];
}

inline std::vector<std::string> ScenarioNames() {
  int n = 0;
  const Scenario* const* all = AllScenarios(&n);
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(all[i]->name);
  return out;
}

// Scenarios beyond exhaustive search (Scenario::search_budget): PCT (seed 1, depth 3)
// and DPOR in turn, the budget each -- what a default
// `kthcheck check` runs on them.
inline uint64_t BudgetOf(const std::string& scenario) {
  const Scenario* s = FindScenario(scenario);
  return s ? s->search_budget : 0;
}

inline explore::Verdict PctAndDpor(const cli::Target& target, explore::Bounds b,
                                    uint64_t pct_runs) {
  // The function the budgeted `kthcheck check` calls (checker/explore/portfolio.h);
  // pct_runs == 0 is DPOR alone.
  if (pct_runs == 0) return explore::Explore(cli::MakeProgram(target), explore::Search::kDpor, b);
  explore::SearchOptions pct;
  pct.search = explore::Search::kPct;
  pct.executions = pct_runs;
  return explore::PctAndDpor(cli::MakeProgram(target), pct, explore::SearchOptions{}, b).verdict;
}

// A variant's counterexample as its test finds it: DPOR with default bounds, or on a
// scenario beyond exhaustive search, PCT and DPOR within the scenario's budget, or on
// a busy-polling scenario the fair strategy with the livelock oracle (as `check` does).
inline explore::Verdict FairSearch(const cli::Target& target) {
  explore::SearchOptions fair;
  fair.search = explore::Search::kFair;
  explore::Bounds b;
  b.livelock_steps = explore::kDefaultLivelockSteps;
  return explore::Explore(cli::MakeProgram(target), fair, b);
}

inline explore::Verdict FindVariantViolation(const cli::Target& target) {
  if (target.scenario && target.scenario->needs_fairness) return FairSearch(target);
  explore::Bounds b;
  const uint64_t budget = target.scenario ? target.scenario->search_budget : 0;
  if (budget) b.max_executions = budget;
  return PctAndDpor(target, b, budget);
}

// One line a failing test prints so the verdict can be read without a debugger.
inline std::string Describe(const explore::Verdict& v) {
  std::string s = std::string(explore::VerdictName(v.kind)) + " oracle='" + v.oracle + "' bound='" +
                  v.bound + "' exhaustive=" + (v.exhaustive ? "1" : "0") +
                  " executions=" + std::to_string(v.executions) + " message: " + v.message;
  for (const std::string& d : v.details) s += "\n    " + d;
  return s;
}

// Trace text with every hexadecimal address replaced by "0x?". KNOWN BUG (see
// replay_test's SameTokenTwiceGivesByteIdenticalTraces): traces print pointer
// values raw ("l->next = 0x5601156503c0"), and those differ between runtimes (each
// ControlledSys allocates its own fiber stacks) and between processes (ASLR).
inline std::string WithoutAddresses(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "0x") == 0 && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += "0x?";
      i += 2;
      while (i < text.size() && std::isxdigit(static_cast<unsigned char>(text[i]))) ++i;
    } else {
      out += text[i++];
    }
  }
  return out;
}

// gtest parameter names: catalog names are already [a-z_].
struct NameParam {
  std::string operator()(const ::testing::TestParamInfo<std::string>& info) const {
    return info.param;
  }
};

}  // namespace kt::testing

#endif  // KTHCHECK_TESTS_KTHCHECK_ORACLE_COMMON_H_
