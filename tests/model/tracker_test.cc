// tracker_test.cc -- the model side of conformance: a run the model allows is followed
// step by step, and a wrong mapping is a finding naming the impl step and the allowed ones.
#include "model/tracker.h"

#include <gtest/gtest.h>

#include "checker/explicit/explorer.h"

namespace kthcheck::model {
namespace {

// Every shortest counterexample the explicit engine finds is a path the tracker accepts.
TEST(ModelTrackerTest, FollowsEveryVariantsCounterexample) {
  for (const VariantInfo& v : Variants()) {
    Params p = VariantParams(v);
    SmpbootSpec spec(p);
    explicit_engine::Result r = explicit_engine::Explore(spec, explicit_engine::Options{});
    ASSERT_EQ(r.verdict, explicit_engine::Verdict::kViolation) << v.name;
    // Replay the trace through the tracker by action name and CPU ("cpu0 <label>").
    ModelTracker tracker(p);
    for (std::size_t i = 1; i < r.trace.size(); ++i) {
      const std::string& action = r.trace[i].action;
      int cpu = action[3] - '0';
      std::optional<ActionId> id = ParseAction(action.substr(5));
      ASSERT_TRUE(id.has_value()) << action;
      std::optional<std::string> finding = tracker.Advance({*id, cpu});
      EXPECT_FALSE(finding.has_value()) << *finding;
    }
    EXPECT_EQ(PrintState(p, tracker.state()), r.trace.back().state) << v.name;
  }
}

// A deliberately broken mapping: the impl "parks" before the controller set SHOULD_PARK.
TEST(ModelTrackerTest, WrongStepIsAFindingNamingTheAllowedSteps) {
  ModelTracker tracker(Params{1, 0, 0, Variant::kFaithful});
  std::optional<std::string> finding = tracker.Advance({ActionId::kParkmeSetParked, 0});
  ASSERT_TRUE(finding.has_value());
  EXPECT_NE(finding->find("the impl did `cpu0 __kthread_parkme: set_special_state(TASK_PARKED)`"),
            std::string::npos);
  EXPECT_NE(
      finding->find("the model allows only:\n  cpu0 kthread_park: set_bit(KTHREAD_SHOULD_PARK)"),
      std::string::npos)
      << *finding;
  EXPECT_EQ(tracker.steps(), 0);
}

TEST(ModelTrackerTest, ParsesEnumNamesAndLabels) {
  EXPECT_EQ(ParseAction("kKthreadParkSetBit"), ActionId::kKthreadParkSetBit);
  EXPECT_EQ(ParseAction("kthread_park: set_bit(KTHREAD_SHOULD_PARK)"),
            ActionId::kKthreadParkSetBit);
  EXPECT_FALSE(ParseAction("kthread_park").has_value());
}

}  // namespace
}  // namespace kthcheck::model
