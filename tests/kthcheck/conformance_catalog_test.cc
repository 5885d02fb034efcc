// conformance_catalog_test -- conformance over the scenario catalog: which scenarios model/
// can follow (checker/cli/conformance_scope.cc), that every covered one maps to model paths
// on its searches and drives the model to its end, and that a deliberately broken mapping
// row fires on each scenario that the plain-kthread configurations of model/ cover.
// (smpboot_hotplug's own cases are in conformance_test.cc.)
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "checker/cli/conformance.h"
#include "checker/explore/explorer.h"
#include "tests/kthcheck/oracle_common.h"

namespace kt::testing {
namespace {

namespace model = ::kthcheck::model;
using explore::Bounds;
using explore::Search;
using explore::Verdict;
using explore::VerdictKind;

// The scenarios of one plain kthread: model/'s ThreadFn/Driver configurations.
const std::vector<std::string> kPlain = {"stop_before_wakeup", "park_unpark_stop", "park_stop",
                                         "park_before_wakeup", "basic_loop",
                                         "completion_sync",    "polling_loop",
                                         "event_loop",         "irq_event",
                                         "wait_event_loop"};

cli::Target ConformanceTarget(const std::string& scenario, const std::string& variant = "") {
  cli::Target t = TargetFor(scenario, variant);
  t.conformance = true;
  EXPECT_EQ(cli::CheckConformanceTarget(t), "") << scenario;
  return t;
}

// The covered set, in catalog order, and one line naming the reason for every other one.
TEST(ConformanceCatalogTest, CoversTheParkAndTimedScenariosAndSaysWhyNotTheRest) {
  int n = 0;
  const Scenario* const* all = AllScenarios(&n);
  std::vector<std::string> covered;
  for (int i = 0; i < n; ++i) {
    cli::Target t = TargetFor(all[i]->name);
    t.conformance = true;
    std::string why = cli::CheckConformanceTarget(t);
    if (why.empty()) {
      covered.push_back(all[i]->name);
      continue;
    }
    EXPECT_NE(why.find("cannot follow '" + std::string(all[i]->name) + "': "), std::string::npos)
        << why;
    EXPECT_EQ(why.find('\n'), std::string::npos) << why;
    EXPECT_EQ(why.find("its threads and driver have no model processes"), std::string::npos)
        << "no specific reason for " << all[i]->name;
  }
  EXPECT_EQ(covered, (std::vector<std::string>{
                         "basic_loop", "event_loop", "wait_event_loop", "completion_sync",
                         "stop_before_wakeup", "park_unpark_stop", "park_stop",
                         "park_before_wakeup", "smpboot_hotplug", "percpu", "polling_loop",
                         "irq_event"}));
  std::vector<std::string> listed = cli::ConformanceScenarios();
  std::sort(listed.begin(), listed.end());
  std::sort(covered.begin(), covered.end());
  EXPECT_EQ(listed, covered);
}

// The plain-kthread scenarios map to one thread in model/, whatever --cpus the port runs.
TEST(ConformanceCatalogTest, PlainScenariosFollowOneModelThread) {
  std::string why;
  for (const std::string& s : kPlain) {
    std::optional<model::Params> p = cli::ConformanceParams(s, "", 3, 1, 1, &why);
    ASSERT_TRUE(p.has_value()) << why;
    EXPECT_EQ(p->cpus, 1) << s;
    EXPECT_FALSE(model::IsSmpboot(*p)) << s;
  }
  // park_stop's variants are the model controller's own.
  std::optional<model::Params> p =
      cli::ConformanceParams("park_stop", "stop_without_unpark", 2, 0, 0, &why);
  ASSERT_TRUE(p.has_value()) << why;
  EXPECT_EQ(p->variant, model::Variant::kStopWithoutUnpark);
  EXPECT_FALSE(cli::ConformanceParams("polling_loop", "hog_loop", 2, 0, 0, &why));
  // percpu: a thread per CPU of the port's run.
  for (int cpus = 1; cpus <= 3; ++cpus) {
    p = cli::ConformanceParams("percpu", "", cpus, 1, 1, &why);
    ASSERT_TRUE(p.has_value()) << why;
    EXPECT_EQ(p->cpus, cpus);
    EXPECT_EQ(p->driver, model::Driver::kPercpu);
  }
}

// Not vacuous: the first execution of each plain-kthread scenario takes the model from its initial
// state to its end (the driver done, every thread dead), through its threadfn where it has one.
TEST(ConformanceCatalogTest, AWholeExecutionDrivesTheModelToItsEnd) {
  std::vector<std::string> scenarios = kPlain;
  scenarios.push_back("percpu");
  for (const std::string& s : scenarios) {
    std::shared_ptr<cli::ConformanceRun> run;
    explore::Program program = cli::MakeProgram(ConformanceTarget(s), &run);
    ASSERT_NE(run, nullptr);
    Bounds b;
    b.max_executions = 1;
    Verdict v = explore::Explore(program, Search::kDfs, b);
    EXPECT_NE(v.kind, VerdictKind::kViolation) << s << ": " << v.message;
    const model::State& m = run->mapping().model_state();
    EXPECT_EQ(m.shared.ctl_op, model::kOpDone) << s;
    for (int c = 0; c < (s == "percpu" ? 2 : 1); ++c) EXPECT_EQ(m.cpu[c].pc, model::kTDead) << s;
    // stop_before_wakeup: stop (set, unpark test, wake, wait) and kthread()'s exit path.
    EXPECT_GE(run->mapping().model_steps(), s == "stop_before_wakeup" ? 6 : 15) << s;
  }
}

// Every covered scenario maps to model paths on a bounded DPOR search and a random one
// (stop_before_wakeup's DPOR search is exhaustive: 1002 executions). The exhaustive searches
// of the others are in conformance_catalog_exhaustive_test.
TEST(ConformanceCatalogTest, EveryCoveredScenarioConforms) {
  uint64_t executions = 3000;
#ifdef KT_CONFORMANCE_EXHAUSTIVE
  executions = 0;  // no bound: the whole search
#endif
  for (const std::string& s : cli::ConformanceScenarios()) {
    SCOPED_TRACE(s);
    cli::Target t = ConformanceTarget(s);
    Bounds b;
    if (executions) b.max_executions = executions;
    if (s == "smpboot_hotplug") b.max_executions = 3000;  // its exhaustive test is its own
    // percpu is beyond DPOR's exhaustive reach (a budgeted scenario): 200,000 executions
    // in the exhaustive twin, each conforming.
    if (s == "percpu") b.max_executions = executions ? executions : 200000;
    Verdict v = explore::Explore(cli::MakeProgram(t), Search::kDpor, b);
    EXPECT_NE(v.kind, VerdictKind::kViolation) << v.oracle << ": " << v.message;
    EXPECT_GT(v.executions, 500u);
    explore::SearchOptions o;
    o.search = Search::kRandom;
    o.executions = 500;
    v = explore::Explore(cli::MakeProgram(t), o, Bounds{});
    EXPECT_NE(v.kind, VerdictKind::kViolation) << v.oracle << ": " << v.message;
  }
}

// A port variant with a model counterpart: park_stop without kthread_stop()'s unpark
// hangs in both; the mapping follows it up to the hang and reports the hang, not a
// conformance finding.
TEST(ConformanceCatalogTest, AVariantTheModelSharesConformsUpToItsHang) {
  Verdict v =
      explore::Explore(cli::MakeProgram(ConformanceTarget("park_stop", "stop_without_unpark")),
                       Search::kDpor, Bounds{});
  ASSERT_EQ(v.kind, VerdictKind::kViolation);
  EXPECT_EQ(v.oracle, "hang") << v.message;
}

// The other port variants the mapping follows (conformance_scope.cc kConformingVariants):
// each is found with the port's own oracle, never as a conformance finding. smpboot_hotplug
// runs at N=2 H=2 W=1 (ConformanceTarget). PCT with the fixed seed 1 and depth 3 (what
// `kthcheck check` starts smpboot_hotplug with) finds each well within 1000 executions;
// DPOR's order needs minutes for the smpboot one.
TEST(ConformanceCatalogTest, SharedVariantsConformUpToTheirOwnFinding) {
  struct Case {
    const char* scenario;
    const char* variant;
    const char* oracle;
  };
  const Case cases[] = {
      {"smpboot_hotplug", "smpboot_park_ignores_status", "invariant:smpboot_status"},
      {"park_unpark_stop", "parkme_complete_all", "invariant:completion_balance"},
      {"park_unpark_stop", "parkme_not_special", "invariant:park_postcondition"},
      {"event_loop", "event_check_before_set_state", "lost_wakeup"},
      {"percpu", "ttwu_matches_any_sleep", "invariant:special_state"},
      {"irq_event", "event_test_under_preempt_disable", "lost_wakeup"},
      {"stop_before_wakeup", "exit_before_result", "invariant:result_before_exited"},
      {"basic_loop", "exit_without_stop", "lifetime"},
      // The hand-rolled wait's prepare_to_wait() is the model variant's kWaitPrepare.
      {"wait_event_loop", "hand_rolled_wait_without_loop", "warn"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.variant);
    explore::SearchOptions o;
    o.search = Search::kPct;
    o.executions = 1000;
    Verdict v =
        explore::Explore(cli::MakeProgram(ConformanceTarget(c.scenario, c.variant)), o, Bounds{});
    ASSERT_EQ(v.kind, VerdictKind::kViolation) << v.message;
    EXPECT_EQ(v.oracle, c.oracle) << v.message;
  }
}

// irq_event's event_test_under_preempt_disable with threaded interrupts: the port's
// variant holds there (preempt_disable() keeps the handler thread out), and every execution
// of its whole DPOR search maps onto the model's variant, including the path with work,
// which has no TASK_RUNNING store (model/steps_event_loop.h).
TEST(ConformanceCatalogTest, PreemptDisabledEventTestConformsWithThreadedInterrupts) {
  cli::Target t = ConformanceTarget("irq_event", "event_test_under_preempt_disable");
  t.irq_threaded = true;
  Verdict v = explore::Explore(cli::MakeProgram(t), Search::kDpor, Bounds{});
  EXPECT_EQ(v.kind, VerdictKind::kHolds) << v.oracle << ": " << v.message;
  EXPECT_EQ(v.executions, 23616u);
}

struct Broken {
  std::string scenario;
  ProtoEv event;           // the row altered
  model::ActionId wrong;   // what it now maps to
  std::string impl_event;  // the finding names the impl event ...
  std::string allowed;     // ... and a step the model allowed there
  long site = -1;          // a wakeup row's call site (WakeSite)
};

// One altered row per plain-kthread scenario, on a line that scenario runs:
// every one is a `conformance` finding naming the impl event and the model's choices, and
// its schedule replays it.
TEST(ConformanceCatalogTest, ABrokenRowFiresOnEachPlainScenario) {
  using A = model::ActionId;
  const Broken cases[] = {
      {"stop_before_wakeup", ProtoEv::kStopSetBit, A::kKthreadParkSetBit,
       "kthread_stop: set_bit(KTHREAD_SHOULD_STOP)", "cpu0 kthread_stop: set_bit"},
      {"park_before_wakeup", ProtoEv::kFnSleepTestStop, A::kFnTestStop,
       "threadfn: if (!kthread_should_stop() ...) schedule()",
       "cpu0 threadfn: if (!kthread_should_stop() ...)"},
      {"park_unpark_stop", ProtoEv::kFnTestPark, A::kFnSleepTestPark,
       "threadfn: if (kthread_should_park()) kthread_parkme()",
       "cpu0 threadfn: if (kthread_should_park()) kthread_parkme()"},
      {"park_stop", ProtoEv::kUnparkClearBit, A::kKthreadParkSetBit,
       "kthread_unpark: clear_bit(KTHREAD_SHOULD_PARK)", "cpu0 kthread_unpark: clear_bit"},
      // The timed loops: their kthread_should_stop() test taken for the state store that
      // only a timed sleep's top allows.
      {"basic_loop", ProtoEv::kFnTestStop, A::kFnTimedSetInterruptible,
       "threadfn: while (!kthread_should_stop())", "cpu0 threadfn: while (!kthread_should_stop())"},
      {"completion_sync", ProtoEv::kFnTestStop, A::kFnTimedSetUninterruptible,
       "threadfn: while (!kthread_should_stop())", "cpu0 threadfn: while (!kthread_should_stop())"},
      {"polling_loop", ProtoEv::kFnTestStop, A::kFnTimedReturn,
       "threadfn: while (!kthread_should_stop())", "cpu0 threadfn: while (!kthread_should_stop())"},
      // The event loops: the take of the work read as the test for it.
      {"event_loop", ProtoEv::kFnTakeWork, A::kFnTestWork,
       "threadfn: process_pending_work(): pending = 0", "cpu0 threadfn: process_pending_work()"},
      {"irq_event", ProtoEv::kFnTakeWork, A::kFnTestWork,
       "threadfn: process_pending_work(): pending = 0", "cpu0 threadfn: process_pending_work()"},
      // wait_event_loop: prepare_to_wait_event() read as the finish_wait() that only the
      // loop's break allows.
      {"wait_event_loop", ProtoEv::kWaitPrepare, A::kWaitFinish, "prepare_to_wait_event()",
       "cpu0 ___wait_event: prepare_to_wait_event()"},
      // percpu: the kthread_should_stop() test read as the park test that follows it.
      {"percpu", ProtoEv::kFnTestStop, A::kFnTestPark, "threadfn: while (!kthread_should_stop())",
       "threadfn: while (!kthread_should_stop())"},
      // percpu's kick (wake_up_process() from the module) read as kthread_run()'s wakeup,
      // which the model does not allow once the thread has run.
      {"percpu", ProtoEv::kTtwuStateMatch, A::kKthreadRunWake,
       "try_to_wake_up: ttwu_state_match() reads __state",
       "percpu: wake_up_process(k), the module's kick", kWakeKick},
  };
  for (const Broken& c : cases) {
    SCOPED_TRACE(c.scenario);
    auto broken = std::make_shared<std::vector<cli::MappingRow>>(cli::FaithfulMapping());
    int altered = 0;
    for (cli::MappingRow& row : *broken)
      if (row.event == c.event && row.site == c.site) row.action = c.wrong, ++altered;
    ASSERT_EQ(altered, 1);
    cli::Target t = ConformanceTarget(c.scenario);
    t.mapping = broken;
    explore::Program program = cli::MakeProgram(t);
    Bounds b;
    b.max_executions = 3000;
    Verdict v = explore::Explore(program, Search::kDpor, b);
    ASSERT_EQ(v.kind, VerdictKind::kViolation) << v.message;
    EXPECT_EQ(v.oracle, "conformance");
    EXPECT_NE(v.message.find("impl event `" + c.impl_event + "`"), std::string::npos) << v.message;
    EXPECT_NE(v.message.find("the model allows only:"), std::string::npos) << v.message;
    EXPECT_NE(v.message.find(c.allowed), std::string::npos) << v.message;
    explore::Replayed rep = explore::Replay(program, v.schedule, Bounds{});
    EXPECT_EQ(rep.error, "");
    EXPECT_EQ(rep.verdict.oracle, "conformance");
  }
}

}  // namespace
}  // namespace kt::testing
