// variants_test.cc -- every variant of variants.def is caught by the explicit engine with
// its stated oracle, within its stated BMC bound, and the faithful model holds on the same
// parameters (rcutorture's BUSTED discipline, STYLE.md 3.7).
#include <gtest/gtest.h>

#include <iterator>

#include "model/model.h"
#include "model/run.h"

namespace kthcheck::model {
namespace {

TEST(ModelVariantsTest, EachVariantIsCaughtWithItsOracleWithinItsBound) {
  for (const VariantInfo& v : Variants()) {
    SCOPED_TRACE(v.name);
    ModelCheckResult r = CheckModel(VariantParams(v), 10'000'000);
    EXPECT_EQ(r.verdict, "violation");
    EXPECT_EQ(r.oracle, v.oracle) << r.detail;
    // BFS gives the shortest trace (init + steps); BMC must reach it within bmc_bound steps.
    ASSERT_FALSE(r.trace.empty());
    EXPECT_LE(static_cast<int>(r.trace.size()) - 1, v.bmc_bound);
  }
}

TEST(ModelVariantsTest, FaithfulModelHoldsOnEachVariantsParameters) {
  for (const VariantInfo& v : Variants()) {
    SCOPED_TRACE(v.name);
    Params faithful = VariantParams(v);
    faithful.variant = Variant::kFaithful;
    ModelCheckResult r = CheckModel(faithful, 10'000'000);
    EXPECT_EQ(r.verdict, "holds") << r.oracle << " " << r.detail;
  }
}

// Shortest counterexamples (steps after init), pinned so a model change that lengthens or
// shortens a known bug is noticed.  Recorded 2026-11-26 with BFS; the rows from
// unpark_before_rebind on 2026-11-27; the next three on 2026-11-28; the memory-model ones
// (from event_loop_no_barrier on) on 2026-11-28; hand_rolled_wait_without_loop, in the
// wait-queue loop's configuration (VARIANT_PLAIN), on 2026-11-29; start_flag_without_loop,
// in completion_sync's start handshake, and hog_loop, in polling_loop's configuration with
// its driver's msleep() (both VARIANT_PLAIN), on 2026-11-29; the freezer's three, in the
// freezable and freezable_worker configurations, on 2026-11-29 (a later session); the
// kthread_worker module's four and hotplug_migrate's offline_before_wait_empty on 2026-11-29
// (the session after).
TEST(ModelVariantsTest, ShortestTraceLengthsArePinned) {
  struct Row {
    const char* variant;
    std::size_t steps;
  };
  const Row rows[] = {
      {"loop_ignores_should_stop", 30},       {"stop_without_unpark", 26},
      {"park_without_wakeup", 1},             {"event_check_before_set_state", 27},
      {"parkme_plain_state_store", 23},       {"unpark_without_should_park_check", 17},
      {"unpark_before_rebind", 13},           {"unpark_before_online", 34},
      {"smpboot_park_after_schedule", 27},    {"smpboot_park_ignores_status", 21},
      {"smpboot_check_before_set_state", 30}, {"parkme_complete_before_state", 6},
      {"parkme_complete_all", 6},             {"parkme_not_special", 7},
      {"exit_before_result", 21},             {"exit_without_stop", 14},
      {"ttwu_matches_any_sleep", 17},         {"event_test_under_preempt_disable", 27},
      {"event_loop_no_barrier", 30},          {"smpboot_no_barrier", 32},
      {"parkable_loop_no_barrier", 32},       {"ttwu_no_barrier", 28},
      {"exit_flag_without_release", 21},      {"hand_rolled_wait_without_loop", 20},
      {"start_flag_without_loop", 6},         {"hog_loop", 5},
      {"thaw_loses_stop_wakeup", 20},         {"thaw_before_unfreezing", 10},
      {"worker_sleeps_while_freezing", 12},   {"flush_on_delayed_list", 4},
      {"timer_fn_ignores_canceling", 5},      {"destroy_with_pending_delayed", 25},
      {"cancel_sync_without_canceling", 21},  {"offline_before_wait_empty", 9}};
  // Every variant has its pinned length.
  EXPECT_EQ(std::size(rows), Variants().size());
  for (Row row : rows) {
    Variant id;
    ASSERT_TRUE(ParseVariant(row.variant, &id));
    for (const VariantInfo& v : Variants()) {
      if (v.variant != id) continue;
      ModelCheckResult r = CheckModel(VariantParams(v), 10'000'000);
      EXPECT_EQ(r.trace.size() - 1, row.steps) << row.variant;
    }
  }
}

// With a hotplug cycle, a thread that ignores SHOULD_STOP is stopped while its CPU is
// offline: kthread_unpark() releases it, and it reaches BUG_ON(td->cpu !=
// smp_processor_id()) before anyone waits forever (kernel-semantics 15.4, last paragraph).
TEST(ModelVariantsTest, IgnoredStopOnOfflineCpuHitsTheWrongCpuBugOn) {
  ModelCheckResult r = CheckModel(1, 1, 0, "loop_ignores_should_stop", 10'000'000);
  EXPECT_EQ(r.verdict, "violation");
  EXPECT_EQ(r.oracle, "invariant:binding");
}

TEST(ModelVariantsTest, BadParametersAreUsageErrorsNamingTheFlag) {
  EXPECT_EQ(CheckModel(5, 1, 1, "", 1000).verdict, "usage");
  EXPECT_EQ(CheckModel(5, 1, 1, "", 1000).detail, "--cpus=5: the model has 1 to 4 CPUs");
  ModelCheckResult r = CheckModel(1, 1, 1, "no_such_variant", 1000);
  EXPECT_EQ(r.verdict, "usage");
  EXPECT_NE(r.detail.find("--variant=no_such_variant"), std::string::npos);
}

TEST(ModelVariantsTest, StoresAgreeOnVerdictsAndReportTheirPrecision) {
  ModelCheckResult exact = CheckModel(2, 1, 1, "", 10'000'000, "exact");
  ModelCheckResult fp = CheckModel(2, 1, 1, "", 10'000'000, "fingerprint");
  ModelCheckResult bits = CheckModel(2, 1, 1, "", 10'000'000, "bitstate");
  EXPECT_EQ(fp.verdict, "holds");
  EXPECT_EQ(bits.verdict, "holds");
  EXPECT_EQ(fp.states, exact.states);
  EXPECT_GT(fp.collision_probability, 0);
  EXPECT_GT(bits.hash_factor, 1000);
  ModelCheckResult bug =
      CheckModel(1, 0, 1, "event_check_before_set_state", 10'000'000, "bitstate");
  // DFS order reaches the variant's other symptom first: kthread_stop()'s wakeup is lost
  // the same way, a hang.  BFS (exact) finds the shorter lost work wakeup.
  EXPECT_EQ(bug.verdict, "violation");
  EXPECT_EQ(bug.oracle, "hang");
  EXPECT_EQ(CheckModel(1, 0, 0, "", 100, "btree").verdict, "usage");
}

TEST(ModelVariantsTest, StateBoundIsReportedAsBoundReached) {
  ModelCheckResult r = CheckModel(2, 1, 1, "", 100);
  EXPECT_EQ(r.verdict, "bound_reached");
  EXPECT_EQ(r.oracle, "");
  EXPECT_NE(r.detail.find("max_states=100"), std::string::npos);
}

}  // namespace
}  // namespace kthcheck::model
