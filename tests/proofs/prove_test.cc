// prove_test.cc -- the parametric proof goes through (and is not vacuous), BMC catches every
// variant within its stated bound, and the faithful model has no bounded counterexample.
#include "proofs/prove.h"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "model/invariants.h"
#include "model/state.h"
#include "proofs/bmc.h"
#include "proofs/encode.h"
#include "proofs/induction.h"
#include "proofs/solver.h"

namespace kthcheck::proofs {
namespace {

TEST(ProveTest, EveryInductiveObligationIsProvedForAnyCpuCount) {
  std::vector<ObligationResult> rows = ProveAllInductive(kDefaultTimeoutMs);
  ASSERT_EQ(rows.size(), static_cast<std::size_t>(model::kNumSmpbootActions + 2));
  for (const ObligationResult& r : rows) {
    EXPECT_EQ(r.result, "proved") << r.name << "\n" << r.detail;
    EXPECT_TRUE(r.parametric) << r.name;
    EXPECT_EQ(r.kind, "inductive");
  }
}

// For each action, whether some state satisfying the invariant, for some N and CPU, enables
// it (the steps of the plain-kthread configurations, model/steps_threadfn.h, never do).
SatResult EnabledUnderInvariant(model::ActionId id) {
  z3::context ctx;
  SymbolicDomain d{ctx};
  z3::expr n = ctx.bv_const("N", SymbolicDomain::kParametricWidth);
  z3::expr j = ctx.bv_const("j", SymbolicDomain::kParametricWidth);
  SContext k{d, model::Variant::kFaithful, n};
  SShared s = FreshShared(d, "0");
  SCpu t = FreshCpu(d, "cpu_j", "0");
  SShared ns = s;
  SCpu nt = t;
  z3::solver solver(ctx);
  solver.add(1 <= n && n <= 1024 && 0 <= j && j < n);
  solver.add(Inv(k, j, s, t) && model::Step(k, id, j, s, t, ns, nt));
  return Check(solver, "vacuity", kDefaultTimeoutMs).result;
}

// A step whose guard is the constant false under `variant`: a step that variant does not
// have (the same test proofs/bmc.cc uses to leave it out of the transition relation).
bool StepAbsent(model::ActionId id, model::Variant variant) {
  z3::context ctx;
  SymbolicDomain d{ctx};
  SContext k{d, variant, ctx.bv_const("N", SymbolicDomain::kParametricWidth)};
  SShared s = FreshShared(d, "0");
  SCpu t = FreshCpu(d, "cpu_j", "0");
  SShared ns = s;
  SCpu nt = t;
  return model::Step(k, id, ctx.bv_const("j", SymbolicDomain::kParametricWidth), s, t, ns, nt)
      .is_false();
}

// Each step's guard is satisfiable together with the invariant: otherwise its
// inductiveness row would be proved vacuously. The exception is a step that only a variant
// has (its reordered half, e.g. exit_before_result's late result store): absent from the
// faithful model, present in some variant, never enabled under the faithful invariant.
TEST(ProveTest, InvariantLeavesEveryStepEnabledSomewhere) {
  for (int a = 0; a < model::kNumSmpbootActions; ++a) {
    auto id = static_cast<model::ActionId>(a);
    bool variant_only = StepAbsent(id, model::Variant::kFaithful);
    if (variant_only) {
      bool in_some_variant = false;
      for (const model::VariantInfo& v : model::Variants())
        in_some_variant = in_some_variant || !StepAbsent(id, v.variant);
      EXPECT_TRUE(in_some_variant) << model::ActionEnumName(id) << " exists in no variant";
    }
    EXPECT_EQ(EnabledUnderInvariant(id), variant_only ? SatResult::kUnsat : SatResult::kSat)
        << model::ActionEnumName(id);
  }
}

// The proofs leave the plain-kthread steps out (model/ids.h kNumSmpbootActions); that is
// sound only because no smpboot state enables them, for any N.
TEST(ProveTest, PlainKthreadStepsAreNeverEnabledUnderTheSmpbootInvariant) {
  for (int a = model::kNumSmpbootActions; a < model::kNumActions; ++a) {
    auto id = static_cast<model::ActionId>(a);
    EXPECT_EQ(EnabledUnderInvariant(id), SatResult::kUnsat) << model::ActionEnumName(id);
  }
}

// The faithful invariant is not inductive for any variant's steps: each variant breaks at
// least one step's query, with a counterexample to induction that names the invariant.
// One test per variant, like the BMC rows below: Bazel's shards spread them.
class ProveVariantTest : public ::testing::TestWithParam<model::VariantInfo> {};

TEST_P(ProveVariantTest, BreaksSomeInductiveStep) {
  const model::VariantInfo& v = GetParam();
  int violated = 0;
  for (int a = 0; a < model::kNumActions; ++a) {
    ObligationResult r = ProveStep(static_cast<model::ActionId>(a), kDefaultTimeoutMs, v.variant);
    EXPECT_NE(r.result, "unknown") << v.name << " " << r.name << ": " << r.detail;
    if (r.result != "violated") continue;
    ++violated;
    EXPECT_NE(r.detail.find("fails after the step:"), std::string::npos) << r.detail;
  }
  EXPECT_GT(violated, 0) << v.name;
}

std::string VariantTestName(const ::testing::TestParamInfo<model::VariantInfo>& info) {
  return info.param.name;
}

// The parametric proof is of the smpboot protocol: a variant of a plain kthread's loop
// (variants.def VARIANT_PLAIN) changes no step of it. BMC below finds those in their own
// configuration.
std::vector<model::VariantInfo> SmpbootVariants() {
  std::vector<model::VariantInfo> out;
  for (const model::VariantInfo& v : model::Variants())
    if (v.thread_fn == model::ThreadFn::kSmpboot) out.push_back(v);
  return out;
}

INSTANTIATE_TEST_SUITE_P(EachVariant, ProveVariantTest, ::testing::ValuesIn(SmpbootVariants()),
                         VariantTestName);

// A variant's BMC row takes up to about 45 s of CPU on the development machine
// (proofs/README.md), and Z3's timeout is wall-clock. CI runs two tests at once on two
// cores, beside other work, so this test allows four times the CLI's default before a row
// would come back unknown: a loaded machine is not a wrong encoding.
constexpr unsigned kBmcTestTimeoutMs = 4 * kDefaultTimeoutMs;

// One test per variant (the rows take up to about 45 s each).
class ProveBmcTest : public ::testing::TestWithParam<model::VariantInfo> {};

TEST_P(ProveBmcTest, FindsTheVariantWithinItsBound) {
  const model::VariantInfo& v = GetParam();
  ObligationResult r = RunBmc(model::VariantParams(v), v.oracle, v.bmc_bound, kBmcTestTimeoutMs);
  EXPECT_EQ(r.result, "violated") << v.name << ": " << r.detail;
  EXPECT_EQ(r.kind, "bmc");
  EXPECT_FALSE(r.parametric);
  EXPECT_NE(r.detail.find("step 1: cpu0 "), std::string::npos) << r.detail;
}

INSTANTIATE_TEST_SUITE_P(EachVariant, ProveBmcTest, ::testing::ValuesIn(model::Variants()),
                         VariantTestName);

TEST(ProveTest, FaithfulModelHasNoBoundedCounterexample) {
  model::Params p{1, 1, 1, model::Variant::kFaithful};
  ObligationResult r = RunBmc(p, "any", 20, kDefaultTimeoutMs);
  EXPECT_EQ(r.result, "proved") << r.detail;
}

TEST(ProveTest, RunProveOnVariantPrintsTraceAndExitsOne) {
  std::ostringstream out;
  ProveOptions o;
  o.variant = "park_without_wakeup";
  EXPECT_EQ(RunProve(o, out), 1);
  EXPECT_NE(out.str().find("bmc:park_without_wakeup:hang"), std::string::npos);
  EXPECT_NE(out.str().find("kthread_park: set_bit(KTHREAD_SHOULD_PARK)"), std::string::npos);
}

TEST(ProveTest, UnknownVariantIsUsageError) {
  std::ostringstream out;
  ProveOptions o;
  o.variant = "nope";
  EXPECT_EQ(RunProve(o, out), 2);
  EXPECT_EQ(out.str(), "--variant=nope: unknown; `kthcheck list` names the variants\n");
}

TEST(ProveTest, ExitCodeIsViolatedThenUnknownThenProved) {
  ObligationResult proved{"a", "inductive", "proved", true, 0, ""};
  ObligationResult unknown{"b", "inductive", "unknown", true, 0, "timeout"};
  ObligationResult violated{"c", "bmc", "violated", false, 0, ""};
  EXPECT_EQ(ExitCode({proved}), 0);
  EXPECT_EQ(ExitCode({proved, unknown}), 3);
  EXPECT_EQ(ExitCode({unknown, violated}), 1);
}

TEST(ProveTest, JsonHasTheCliShape) {
  std::ostringstream out;
  PrintJson({{"ind:init", "inductive", "proved", true, 0.5, "x\"y"}}, out);
  EXPECT_EQ(out.str(),
            "{\"obligations\":[{\"name\":\"ind:init\",\"kind\":\"inductive\",\"result\":"
            "\"proved\",\"parametric\":true,\"seconds\":0.5,\"detail\":\"x\\\"y\"}]}\n");
}

}  // namespace
}  // namespace kthcheck::proofs
